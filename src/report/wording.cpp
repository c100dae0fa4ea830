#include "kneecheck/report/wording.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>

#include <fmt/format.h>

namespace kneecheck {

namespace {

void append_number(std::string& out, const logic::Value& value) {
  if (value.is_json_integer()) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, static_cast<std::int64_t>(value.as_number())).ptr);
  } else {
    fmt::format_to(std::back_inserter(out), "{:g}", value.as_number());
  }
}

void append_option_label(std::string& out, const Question& question, const logic::Value& value) {
  if (value.type() != logic::Value::Type::string) {
    out += value.to_json().dump();
    return;
  }
  const Option* option = question.option_of(value.as_string());
  out += option == nullptr ? value.as_string() : std::string_view(option->label);
}

bool fits(const Question& question, const logic::Value& value) {
  using Type = logic::Value::Type;
  switch (question.type) {
    case QuestionType::choice: return true;  // a value that is no option is shown as it is
    case QuestionType::multi: return value.type() == Type::array;
    case QuestionType::yes_no: return value.type() == Type::boolean;
    case QuestionType::number:
    case QuestionType::scale: return value.type() == Type::number;
  }
  return false;
}

// REQUIRES: fits(question, evidence.value).
void append_answer(std::string& out, const Question& question, const Evidence& evidence) {
  const logic::Value& value = evidence.value;
  switch (question.type) {
    case QuestionType::choice: append_option_label(out, question, value); return;
    case QuestionType::multi: {
      if (value.size() == 0) {
        out += "none of these";
        return;
      }
      bool first = true;
      bool filtered = evidence.filters_items();
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (filtered && !evidence.is_relevant(i)) continue;
        if (!first) out += ", ";
        first = false;
        append_option_label(out, question, value[i]);
      }
      return;
    }
    case QuestionType::yes_no: out += value.as_bool() ? "yes" : "no"; return;
    case QuestionType::number:
    case QuestionType::scale:
      append_number(out, value);
      if (!question.unit.empty()) (out += ' ') += question.unit;
      if (question.type == QuestionType::scale) out += " of 10";
      return;
  }
}

}  // namespace

void append_shown(std::string& out, const Evidence& evidence) {
  const logic::Value& value = evidence.value;
  if (value.is_null()) {
    out += "not answered";
  } else if (evidence.question != nullptr && fits(*evidence.question, value)) {
    append_answer(out, *evidence.question, evidence);
  } else if (value.type() == logic::Value::Type::number) {
    append_number(out, value);
  } else {
    out += value.to_json().dump();
  }
}

std::string shown(const Evidence& evidence) {
  std::string text;
  append_shown(text, evidence);
  return text;
}

namespace {

std::string format_number(const nlohmann::json& value) {
  if (value.is_number_float()) return fmt::format("{:g}", value.get<double>());
  return value.dump();
}

// An answer value in words, for answers no condition read (those come with
// the engine's wording in the evidence).
std::string plain_value(const nlohmann::json& value) {
  if (value.is_null()) return "not answered";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number()) return format_number(value);
  if (value.is_array()) {
    if (value.empty()) return "none of these";
    std::string text;
    for (const auto& item : value) text += (text.empty() ? "" : ", ") + plain_value(item);
    return text;
  }
  return value.dump();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> answers_shown(const Assessment& assessment) {
  std::map<std::string_view, std::string> shown_by_id;
  auto collect = [&](std::span<const Evidence> evidence) {
    for (Evidence item : evidence) {
      item.relevant = {};  // the table shows the whole answer
      shown_by_id.emplace(item.id, shown(item));
    }
  };
  for (const auto& flag : assessment.red_flags) collect(flag.evidence);
  for (const auto& cause : assessment.causes) {
    for (const auto& indicator : cause.indicators) collect(indicator.evidence);
  }
  std::vector<std::pair<std::string, std::string>> list;
  for (const auto& [id, value] : assessment.answers()) {
    auto it = shown_by_id.find(id);
    list.emplace_back(id, it != shown_by_id.end() ? it->second : plain_value(value.to_json()));
  }
  return list;
}

std::string rank_label(const Assessment& assessment, std::size_t index) {
  const auto& causes = assessment.causes;
  bool level = causes[index].level_with_previous ||
               (index + 1 < causes.size() && causes[index + 1].level_with_previous);
  return fmt::format("{}{}", causes[index].rank, level ? "=" : ".");
}

std::string rank_in_words(const Assessment& assessment, std::size_t index) {
  constexpr std::string_view kOrdinals[] = {"first", "second", "third",   "fourth", "fifth",
                                            "sixth", "seventh", "eighth", "ninth",  "tenth"};
  const auto& causes = assessment.causes;
  bool level = causes[index].level_with_previous ||
               (index + 1 < causes.size() && causes[index + 1].level_with_previous);
  auto rank = static_cast<std::size_t>(causes[index].rank);
  std::string ordinal = rank >= 1 && rank <= std::size(kOrdinals) ? std::string(kOrdinals[rank - 1])
                                                                  : fmt::format("{}th", rank);
  return level ? "joint " + ordinal : ordinal;
}

std::string_view level_heading(Level level) {
  switch (level) {
    case Level::urgent: return "Seek care today";
    case Level::soon: return "Book a professional within days";
    case Level::routine: return "See a physio or doctor";
    case Level::self_care: return "Look after it yourself, and review";
  }
  return "";
}

std::string from_runs_sentence(const std::vector<std::string>& labels) {
  if (labels.empty()) return "";
  return fmt::format("Answers from your recorded runs, not typed in: {}.", fmt::join(labels, "; "));
}

}  // namespace kneecheck
