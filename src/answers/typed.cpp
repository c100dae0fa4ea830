#include "kneecheck/answers/answers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

Error invalid(std::string message) {
  return Error{std::move(message)};
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string range_text(const Question& question) {
  return fmt::format("{:g} to {}", question.min, quantity(question.max, question.unit));
}

// What a number answer is called in a message: a one-word label ("age"),
// else "answer".
std::string noun_of(const Question& question) {
  if (question.label.empty() || question.label.find_first_of(" ,") != std::string::npos) return "answer";
  return to_lower(question.label);
}

json number_value(const Question& question, double value) {
  // Whole numbers become JSON integers while a long long holds them exactly
  // (a rule file may allow larger ones; converting those would be undefined).
  constexpr double kExact = 9007199254740992.0;  // 2^53
  if ((question.integer || value == std::floor(value)) && std::fabs(value) <= kExact) {
    return static_cast<long long>(value);
  }
  return value;
}

// What is wrong with `value` as an answer to a number question, if anything.
std::optional<Error> number_problem(const Question& question, double value) {
  if (question.integer && value != std::floor(value)) {
    return invalid(fmt::format("{:g} is not a whole number: type one from {}", value, range_text(question)));
  }
  if (value > question.max) {
    return invalid(fmt::format("{:g} is above the highest {} this asks ({})", value, noun_of(question),
                               quantity(question.max, question.unit)));
  }
  if (value < question.min) {
    return invalid(fmt::format("{:g} is below the lowest {} this asks ({})", value, noun_of(question),
                               quantity(question.min, question.unit)));
  }
  return std::nullopt;
}

Result<json> check_number(const Question& question, double value) {
  if (auto problem = number_problem(question, value)) return *problem;
  return number_value(question, value);
}

// An option chosen by its number (1-based), value or label.
const Option* find_choice(const Question& question, std::string_view word) {
  if (auto number = parse_number(word); number && *number == std::floor(*number)) {
    // Compared as a double first: "5111111111111111111111" does not fit an integer.
    if (*number >= 1 && *number <= static_cast<double>(question.options.size())) {
      return &question.options[static_cast<std::size_t>(*number) - 1];
    }
    return nullptr;
  }
  std::string lower = to_lower(word);
  for (const auto& option : question.options) {
    if (option.value == lower || to_lower(option.label) == lower) return &option;
  }
  return nullptr;
}

std::string choices_hint(const Question& question) {
  return fmt::format("choose a number from 1 to {}", question.options.size());
}

Result<json> parse_choice(const Question& question, std::string_view line) {
  const Option* option = find_choice(question, line);
  if (option == nullptr) return invalid(choices_hint(question));
  return json(option->value);
}

std::vector<std::string_view> split_choices(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t position = 0;
  while (position <= line.size()) {
    std::size_t end = line.find_first_of(", ", position);
    if (end == std::string_view::npos) end = line.size();
    std::string_view word = trim(line.substr(position, end - position));
    if (!word.empty()) words.push_back(word);
    position = end + 1;
  }
  return words;
}

// What is wrong with a multi answer's set of options, if anything: an
// exclusive option ("None of these") chosen with others, or fewer than the
// question's min_choices. `chosen` are option values, each once.
std::optional<Error> choices_problem(const Question& question, const std::vector<std::string_view>& chosen) {
  if (chosen.size() < question.min_choices) {
    return invalid(question.min_choices == 1 ? std::string("choose at least one option")
                                             : fmt::format("choose at least {} options", question.min_choices));
  }
  if (chosen.size() < 2) return std::nullopt;
  for (std::string_view value : chosen) {
    const Option* option = question.find_option(value);
    if (option != nullptr && option->exclusive) {
      return invalid(fmt::format("\"{}\" cannot be chosen together with other options", option->label));
    }
  }
  return std::nullopt;
}

Result<json> parse_multi(const Question& question, std::string_view line) {
  bool none_is_an_option = find_choice(question, "none") != nullptr;
  if (line == "0" || (to_lower(line) == "none" && !none_is_an_option)) {
    if (auto problem = choices_problem(question, {})) return *problem;
    return json::array();
  }
  json chosen = json::array();
  std::set<std::string> seen;
  for (std::string_view word : split_choices(line)) {
    const Option* option = find_choice(question, word);
    if (option == nullptr) {
      return invalid(fmt::format("\"{}\" is not one of the choices: {}, separated by commas", word,
                                 choices_hint(question)));
    }
    if (seen.insert(option->value).second) chosen.push_back(option->value);
  }
  std::vector<std::string_view> values;
  for (const auto& item : chosen) values.push_back(item.get_ref<const std::string&>());
  if (auto problem = choices_problem(question, values)) return *problem;
  return chosen;
}

Result<json> parse_yes_no(std::string_view line) {
  std::string lower = to_lower(line);
  if (lower == "y" || lower == "yes") return json(true);
  if (lower == "n" || lower == "no") return json(false);
  return invalid("answer yes or no (y/n)");
}

Result<json> parse_number_answer(const Question& question, std::string_view line) {
  auto value = parse_number(line);
  if (!value) {
    return invalid(fmt::format("type a {}number from {}", question.integer ? "whole " : "", range_text(question)));
  }
  return check_number(question, *value);
}

// The unit a distance was typed in: none, km or miles in any usual
// spelling, or a word that is no unit.
enum class TypedUnit { none, km, mi, unknown };

TypedUnit unit_word(std::string_view word) {
  std::string lower = to_lower(word);
  if (lower.empty()) return TypedUnit::none;
  for (std::string_view km : {"km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "k"}) {
    if (lower == km) return TypedUnit::km;
  }
  for (std::string_view mi : {"mi", "mile", "miles"}) {
    if (lower == mi) return TypedUnit::mi;
  }
  return TypedUnit::unknown;
}

// "28 mi", "28miles", "45 km", "45km", or a bare number in `units`; kept in km.
Result<json> parse_distance(const Question& question, std::string_view line, Units units) {
  std::size_t number_end = line.find_first_not_of("0123456789.+-eE");
  std::string_view number_part = trim(line.substr(0, number_end));
  std::string_view unit_part = number_end == std::string_view::npos ? "" : trim(line.substr(number_end));
  auto value = parse_number(number_part);
  TypedUnit unit = unit_word(unit_part);
  std::string asked = units == Units::mi ? "miles" : "km";
  if (!value || unit == TypedUnit::unknown) {
    return invalid(fmt::format("type a distance such as 12 (in {}), 20 km or 12 mi", asked));
  }
  Units given = unit == TypedUnit::none ? units : unit == TypedUnit::km ? Units::km : Units::mi;
  double km = given == Units::mi ? std::round(*value * kKilometresPerMile * 100) / 100 : *value;
  if (km > question.max) {
    return invalid(fmt::format("{} is above the highest distance this asks ({})", distance_text(km, given),
                               distance_text(question.max, units)));
  }
  if (km < question.min) {
    return invalid(fmt::format("{} is below the lowest distance this asks ({})", distance_text(km, given),
                               distance_text(question.min, units)));
  }
  return number_value(question, km);
}

}  // namespace

Result<std::optional<json>> parse_typed_answer(const Question& question, std::string_view raw_line, Units units) {
  if (raw_line.size() > kMaxAnswerBytes) return invalid(fmt::format("answer longer than {} characters", kMaxAnswerBytes));
  if (auto nul = raw_line.find('\0'); nul != std::string_view::npos) {
    return invalid(fmt::format("a NUL byte (at column {}) is not part of any answer", nul + 1));
  }
  if (auto bad = invalid_utf8_at(raw_line)) {
    return invalid(fmt::format("not UTF-8 text (byte 0x{:02X} at column {})", static_cast<unsigned char>(raw_line[*bad]),
                               *bad + 1));
  }
  std::string_view line = trim(raw_line);
  if (line.empty()) {
    if (question.default_answer) return std::optional<json>(*question.default_answer);
    if (question.type == QuestionType::multi && question.min_choices == 0) return std::optional<json>(json::array());
    if (question.optional) return std::optional<json>();
    return invalid("an answer is needed here");
  }
  Result<json> parsed = [&]() -> Result<json> {
    switch (question.type) {
      case QuestionType::choice: return parse_choice(question, line);
      case QuestionType::multi: return parse_multi(question, line);
      case QuestionType::yes_no: return parse_yes_no(line);
      case QuestionType::number:
        if (is_distance(question)) return parse_distance(question, line, units);
        return parse_number_answer(question, line);
      case QuestionType::scale: return parse_number_answer(question, line);
    }
    return invalid("unknown question type");
  }();
  if (!parsed) return parsed.error();
  return std::optional<json>(std::move(parsed).value());
}

std::optional<Units> parse_units(std::string_view text) {
  std::string lower = to_lower(trim(text));
  if (lower == "km") return Units::km;
  if (lower == "mi" || lower == "miles") return Units::mi;
  return std::nullopt;
}

bool is_distance(const Question& question) { return question.type == QuestionType::number && question.unit == "km"; }

std::string distance_text(double km, Units units) {
  if (units == Units::km) return quantity(std::round(km * 10) / 10, "km");
  double miles = std::round(km / kKilometresPerMile * 10) / 10;
  return quantity(miles, "miles");
}

Result<logic::Value> check_answer(const Question& question, const logic::Value& value) {
  using Type = logic::Value::Type;
  switch (question.type) {
    case QuestionType::choice:
      if (value.type() == Type::string) {
        if (const Option* option = question.find_option(value.as_string())) return logic::Value::string(option->value);
      }
      return invalid(fmt::format("expected one of {}", [&] {
        std::string values;
        for (const auto& option : question.options) values += (values.empty() ? "\"" : ", \"") + option.value + "\"";
        return values;
      }()));
    case QuestionType::multi: {
      if (value.type() != Type::array) return invalid("expected an array of option values");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const logic::Value item = value[i];
        if (item.type() != Type::string || question.find_option(item.as_string()) == nullptr) {
          return invalid(fmt::format("{} is not an option of this question", item.to_json().dump()));
        }
        // The items before this one are distinct options, so the scan is no
        // longer than the option list, and cheaper than building a set.
        for (std::size_t j = 0; j < i; ++j) {
          if (value[j].as_string() == item.as_string()) {
            return invalid(fmt::format("{} is listed twice", item.to_json().dump()));
          }
        }
      }
      if (value.size() < question.min_choices || value.size() > 1) {
        std::vector<std::string_view> values;
        for (std::size_t i = 0; i < value.size(); ++i) values.push_back(value[i].as_string());
        if (auto problem = choices_problem(question, values)) return *problem;
      }
      return value;
    }
    case QuestionType::yes_no:
      if (value.type() == Type::boolean) return value;
      return invalid("expected true or false");
    case QuestionType::number:
    case QuestionType::scale:
      if (value.type() != Type::number) return invalid(fmt::format("expected a number from {}", range_text(question)));
      if (auto problem = number_problem(question, value.as_number())) return *problem;
      return logic::Value::number(value.as_number());  // whole numbers as integers, as number_value makes them
  }
  return invalid("unknown question type");
}

Result<json> check_answer(const Question& question, const json& value) {
  const logic::Data data = logic::Data::from_json(value);
  auto checked = check_answer(question, data.root());
  if (!checked) return checked.error();
  return checked->to_json();
}

bool is_asked(const Question& question, const Answers& answers) {
  return !question.ask_if || question.ask_if->matches(answers);
}

}  // namespace kneecheck
