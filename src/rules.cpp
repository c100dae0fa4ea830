#include "kneecheck/rules.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "condition_check.hpp"
#include "kneecheck/json_input.hpp"
#include "kneecheck/text.hpp"

namespace kneecheck {

using nlohmann::json;

const Option* Question::find_option(std::string_view value) const {
  for (const auto& option : options) {
    if (option.value == value) return &option;
  }
  return nullptr;
}

const Option* Question::option_of(std::string_view value) const {
  for (const auto& option : options) {
    if (option.value.data() == value.data() && option.value.size() == value.size()) return &option;
  }
  return find_option(value);
}

const Question* RuleSet::find_question(std::string_view question_id) const {
  for (const auto& question : questions) {
    if (question.id == question_id) return &question;
  }
  return nullptr;
}

std::string_view to_string(QuestionType type) {
  switch (type) {
    case QuestionType::choice: return "choice";
    case QuestionType::multi: return "multi";
    case QuestionType::yes_no: return "yes_no";
    case QuestionType::number: return "number";
    case QuestionType::scale: return "scale";
  }
  return "?";
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::urgent: return "urgent";
    case Level::soon: return "soon";
    case Level::routine: return "routine";
    case Level::self_care: return "self_care";
  }
  return "?";
}

namespace {

// Thrown inside this file only, caught by load_rules: a loader that stops at
// the first problem reads much more plainly this way than with a Result
// threaded through every field.
struct LoadError {
  Error error;
};

[[noreturn]] void fail(std::string pointer, std::string message) {
  throw LoadError{Error{std::move(message), std::move(pointer)}};
}

std::string child(const std::string& pointer, std::string_view key) {
  return pointer + "/" + json_pointer_escape(key);
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string_view type_name(const json& value) {
  return value.type_name();
}

const json& require(const json& object, const std::string& pointer, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end()) fail(pointer, fmt::format("missing \"{}\"", key));
  return *it;
}

const json& require_object(const json& value, const std::string& pointer) {
  if (!value.is_object()) fail(pointer, fmt::format("expected an object, found {}", type_name(value)));
  return value;
}

const json& require_array(const json& value, const std::string& pointer) {
  if (!value.is_array()) fail(pointer, fmt::format("expected an array, found {}", type_name(value)));
  return value;
}

std::string read_string(const json& object, const std::string& pointer, std::string_view key) {
  const json& value = require(object, pointer, key);
  if (!value.is_string()) {
    fail(child(pointer, key), fmt::format("expected a string, found {}", type_name(value)));
  }
  auto text = value.get<std::string>();
  if (text.empty()) fail(child(pointer, key), "must not be empty");
  return text;
}

std::string read_optional_string(const json& object, const std::string& pointer, std::string_view key) {
  if (!object.contains(key)) return {};
  return read_string(object, pointer, key);
}

double read_number(const json& object, const std::string& pointer, std::string_view key) {
  const json& value = require(object, pointer, key);
  if (!value.is_number()) {
    fail(child(pointer, key), fmt::format("expected a number, found {}", type_name(value)));
  }
  return value.get<double>();
}

bool read_optional_bool(const json& object, const std::string& pointer, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_boolean()) fail(child(pointer, key), fmt::format("expected true or false, found {}", type_name(*it)));
  return it->get<bool>();
}

// [a-z][a-z0-9]*(_[a-z0-9]+)*, checked by hand: std::regex took a third of
// the time it takes to load the default rules, which every run does.
bool is_snake_case(const std::string& id) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (id.empty() || id.front() < 'a' || id.front() > 'z' || id.back() == '_') return false;
  for (std::size_t i = 1; i < id.size(); ++i) {
    if (id[i] == '_' ? id[i - 1] == '_' : !lower_or_digit(id[i])) return false;
  }
  return true;
}

std::string read_id(const json& object, const std::string& pointer) {
  std::string id = read_string(object, pointer, "id");
  if (!is_snake_case(id)) fail(child(pointer, "id"), fmt::format("\"{}\" is not a snake_case id", id));
  return id;
}

// Rejects a second use of an id within one namespace.
class IdRegistry {
 public:
  void add(const std::string& id, const std::string& pointer, std::string_view what) {
    if (!seen_.insert(id).second) fail(child(pointer, "id"), fmt::format("duplicate {} id \"{}\"", what, id));
  }

 private:
  std::set<std::string> seen_;
};

// The state the loader carries from section to section.
// How much a load checks beyond what building the RuleSet needs.
enum class Checks {
  all,
  // Leaves out check_condition_types, which only finds authoring mistakes and
  // changes nothing in the RuleSet: for the embedded rules, which
  // tests/validate_test.cpp checks in full.
  skip_condition_types,
};

class Loader {
 public:
  explicit Loader(Checks checks = Checks::all) : checks_(checks) {}

  // Loads what it can and records one error per broken part; rules are
  // usable only when errors() is empty.
  RuleSet load(const json& document);
  const std::vector<Error>& errors() const { return errors_; }

 private:
  void load_header(const json& document);
  void load_sources(const json& document);
  void load_scoring(const json& document);
  void load_questions(const json& document);
  Question load_question(const json& object, const std::string& pointer);
  void load_options(Question& question, const json& object, const std::string& pointer);
  void load_default(Question& question, const json& object, const std::string& pointer);
  void load_tracked_pain(const json& document);
  void load_derived(const json& document);
  void load_red_flags(const json& document);
  void load_causes(const json& document);
  Cause load_cause(const json& object, const std::string& pointer);
  Indicator load_indicator(const json& object, const std::string& pointer, IdRegistry& ids);
  Advice load_advice(const json& object, const std::string& pointer, const std::string& cause_id,
                     const std::set<std::string>& indicator_ids);
  void load_escalation(const json& document);
  EscalationLevel load_level(const json& object, const std::string& pointer, bool has_condition);
  void load_disclaimer(const json& document);

  std::vector<std::string> read_sources(const json& object, const std::string& pointer);
  logic::Expression read_condition(const json& object, const std::string& pointer, std::string_view key);
  void check_variables(const logic::Expression& expression, const std::string& pointer);
  void check_history_variable(const std::string& path, const std::string& pointer);

  // Runs one loading step; a failure is recorded and loading goes on with
  // the next part, so that one run reports every broken part.
  template <typename Step>
  void guarded(Step&& step) {
    try {
      step();
    } catch (const LoadError& error) {
      errors_.push_back(error.error);
    }
  }

  Checks checks_;
  std::vector<Error> errors_;
  RuleSet rules_;
  std::set<std::string> known_sources_;
  // Names a condition may read at the current point of loading: the questions
  // asked so far while questions load, then every question and derived value.
  std::vector<std::string> readable_names_;
  std::set<std::string> known_later_;  // every question id, known before they load
  IdRegistry variable_ids_;
};

// The size of the array at document[key], or 0 when there is none.
std::size_t array_size(const json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? it->size() : 0;
}

void over_limit(std::vector<Error>& errors, std::size_t count, std::size_t limit, std::string_view what,
                const std::string& pointer) {
  if (count > limit) errors.push_back(Error{fmt::format("too many {} ({}, limit {})", what, count, limit), pointer});
}

// The resource limits, checked on the parsed document before anything is
// loaded, so that a rule file far beyond them costs no more than its parse.
std::vector<Error> check_limits(const json& document) {
  std::vector<Error> errors;
  over_limit(errors, array_size(document, "questions"), kMaxQuestions, "questions", "/questions");
  if (auto it = document.find("questions"); it != document.end() && it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      over_limit(errors, array_size((*it)[i], "options"), kMaxOptionsPerQuestion, "options",
                 child(child("/questions", i), "options"));
    }
  }
  over_limit(errors, array_size(document, "derived"), kMaxDerived, "derived values", "/derived");
  over_limit(errors, array_size(document, "red_flags"), kMaxRedFlags, "red flags", "/red_flags");
  over_limit(errors, array_size(document, "causes"), kMaxCauses, "causes", "/causes");
  std::size_t total = 0;
  if (auto it = document.find("causes"); it != document.end() && it->is_array()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::size_t count = array_size((*it)[i], "indicators");
      total += count;
      over_limit(errors, count, kMaxIndicatorsPerCause, "indicators", child(child("/causes", i), "indicators"));
    }
  }
  over_limit(errors, total, kMaxIndicators, "indicators over all causes", "/causes");
  return errors;
}

std::optional<std::string> raw_id(const json& object, std::string_view key = "id");

void reject_reserved_id(const std::string& id, const std::string& pointer) {
  if (id == kHistoryObject) {
    fail(child(pointer, "id"), fmt::format("\"{}\" is reserved for the history variables", kHistoryObject));
  }
}

// Every id a condition may read, known before anything is compiled, so that
// each condition is compiled once, to slots.
std::vector<std::string> slot_names(const json& document) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (std::string_view part : {"questions", "derived"}) {
    auto it = document.find(part);
    if (it == document.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      auto id = raw_id(item);
      if (id && seen.insert(*id).second) names.push_back(*id);
    }
  }
  // A question or derived value called "history" is refused while loading.
  if (seen.count(std::string(kHistoryObject)) == 0) names.emplace_back(kHistoryObject);
  return names;
}

RuleSet Loader::load(const json& document) {
  guarded([&] { require_object(document, ""); });
  if (!errors_.empty()) return {};
  errors_ = check_limits(document);
  if (!errors_.empty()) return {};
  rules_.slots = logic::SlotNames(slot_names(document));
  guarded([&] { load_header(document); });
  guarded([&] { load_sources(document); });
  guarded([&] { load_scoring(document); });
  guarded([&] { load_questions(document); });
  guarded([&] { load_tracked_pain(document); });
  guarded([&] { load_derived(document); });
  guarded([&] { load_red_flags(document); });
  guarded([&] { load_causes(document); });
  guarded([&] { load_escalation(document); });
  guarded([&] { load_disclaimer(document); });
  return std::move(rules_);
}

// The string at object[key], if there is one: lets later parts refer to a
// part that failed to load without a second, misleading error.
std::optional<std::string> raw_id(const json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void Loader::load_header(const json& document) {
  const json& version = require(document, "", "schema_version");
  if (!version.is_number_integer() || version.get<int>() != 1) {
    fail("/schema_version", fmt::format("unsupported schema_version {} (this kneecheck reads 1)", version.dump()));
  }
  rules_.id = read_string(document, "", "id");
  rules_.version = read_string(document, "", "version");
  rules_.title = read_string(document, "", "title");
}

void Loader::load_sources(const json& document) {
  const json& sources = require_array(require(document, "", "sources"), "/sources");
  IdRegistry ids;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (auto id = raw_id(sources[i])) known_sources_.insert(*id);
    guarded([&] {
      std::string pointer = child("/sources", i);
      const json& object = require_object(sources[i], pointer);
      Source source{read_string(object, pointer, "id"), read_string(object, pointer, "citation")};
      ids.add(source.id, pointer, "source");
      rules_.sources.push_back(std::move(source));
    });
  }
}

void Loader::load_scoring(const json& document) {
  const json& scoring = require_object(require(document, "", "scoring"), "/scoring");
  rules_.scoring.full_weight = read_number(scoring, "/scoring", "full_weight");
  if (!(rules_.scoring.full_weight > 0)) fail("/scoring/full_weight", "full_weight must be greater than 0");
  const json& bands = require_object(require(scoring, "/scoring", "bands"), "/scoring/bands");
  rules_.scoring.moderate = read_number(bands, "/scoring/bands", "moderate");
  rules_.scoring.high = read_number(bands, "/scoring/bands", "high");
  if (!(0 < rules_.scoring.moderate && rules_.scoring.moderate < rules_.scoring.high && rules_.scoring.high <= 100)) {
    fail("/scoring/bands", "bands must satisfy 0 < moderate < high <= 100");
  }
}

void Loader::load_questions(const json& document) {
  const json& questions = require_array(require(document, "", "questions"), "/questions");
  if (questions.empty()) fail("/questions", "a rule file needs at least one question");
  for (const auto& question : questions) {
    if (question.is_object() && question.contains("id") && question["id"].is_string()) {
      known_later_.insert(question["id"].get<std::string>());
    }
  }
  for (std::size_t i = 0; i < questions.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/questions", i);
      rules_.questions.push_back(load_question(require_object(questions[i], pointer), pointer));
    });
    if (auto id = raw_id(questions[i])) readable_names_.push_back(*id);
  }
}

QuestionType read_question_type(const json& object, const std::string& pointer) {
  static const std::pair<std::string_view, QuestionType> kTypes[] = {
      {"choice", QuestionType::choice}, {"multi", QuestionType::multi},   {"yes_no", QuestionType::yes_no},
      {"number", QuestionType::number}, {"scale", QuestionType::scale},
  };
  std::string name = read_string(object, pointer, "type");
  for (const auto& [type_name_text, type] : kTypes) {
    if (name == type_name_text) return type;
  }
  fail(child(pointer, "type"),
       fmt::format("unknown question type \"{}\" (expected choice, multi, yes_no, number or scale)", name));
}

Question Loader::load_question(const json& object, const std::string& pointer) {
  Question question;
  question.id = read_id(object, pointer);
  reject_reserved_id(question.id, pointer);
  variable_ids_.add(question.id, pointer, "question");
  question.text = read_string(object, pointer, "text");
  question.help = read_optional_string(object, pointer, "help");
  question.type = read_question_type(object, pointer);
  question.optional = read_optional_bool(object, pointer, "optional");
  question.unit = read_optional_string(object, pointer, "unit");
  if (question.type == QuestionType::choice || question.type == QuestionType::multi) {
    load_options(question, object, pointer);
  } else if (object.contains("options")) {
    fail(child(pointer, "options"), fmt::format("a {} question has no options", to_string(question.type)));
  }
  if (question.type == QuestionType::number) {
    question.min = read_number(object, pointer, "min");
    question.max = read_number(object, pointer, "max");
    question.integer = read_optional_bool(object, pointer, "integer");
    if (!(question.min < question.max)) fail(pointer, "min must be less than max");
  }
  if (question.type == QuestionType::scale) {
    question.min = 0;
    question.max = 10;
    question.integer = true;
  }
  load_default(question, object, pointer);
  if (object.contains("ask_if")) question.ask_if = read_condition(object, pointer, "ask_if");
  return question;
}

void Loader::load_options(Question& question, const json& object, const std::string& pointer) {
  std::string options_pointer = child(pointer, "options");
  const json& options = require_array(require(object, pointer, "options"), options_pointer);
  if (options.size() < 2) fail(options_pointer, "a choice needs at least two options");
  std::set<std::string> values;
  for (std::size_t i = 0; i < options.size(); ++i) {
    std::string option_pointer = child(options_pointer, i);
    const json& option = require_object(options[i], option_pointer);
    Option parsed{read_string(option, option_pointer, "value"), read_string(option, option_pointer, "label")};
    if (!is_snake_case(parsed.value)) {
      fail(child(option_pointer, "value"), fmt::format("\"{}\" is not a snake_case value", parsed.value));
    }
    if (!values.insert(parsed.value).second) {
      fail(child(option_pointer, "value"), fmt::format("duplicate option value \"{}\"", parsed.value));
    }
    question.options.push_back(std::move(parsed));
  }
}

bool default_fits(const Question& question, const json& value) {
  switch (question.type) {
    case QuestionType::choice:
      return value.is_string() && question.find_option(value.get<std::string>()) != nullptr;
    case QuestionType::multi:
      return value.is_array() && std::all_of(value.begin(), value.end(), [&](const json& item) {
               return item.is_string() && question.find_option(item.get<std::string>()) != nullptr;
             });
    case QuestionType::yes_no:
      return value.is_boolean();
    case QuestionType::number:
    case QuestionType::scale:
      return value.is_number() && value.get<double>() >= question.min && value.get<double>() <= question.max;
  }
  return false;
}

void Loader::load_default(Question& question, const json& object, const std::string& pointer) {
  auto it = object.find("default");
  if (it == object.end()) return;
  if (!default_fits(question, *it)) {
    fail(child(pointer, "default"), fmt::format("default {} is not a valid answer to this question", it->dump()));
  }
  question.default_answer = *it;
}

void Loader::load_derived(const json& document) {
  // From here on conditions may read the history variables too.
  readable_names_.emplace_back(kHistoryObject);
  auto it = document.find("derived");
  if (it == document.end()) return;
  const json& derived = require_array(*it, "/derived");
  for (std::size_t i = 0; i < derived.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/derived", i);
      const json& object = require_object(derived[i], pointer);
      std::string id = read_id(object, pointer);
      reject_reserved_id(id, pointer);
      variable_ids_.add(id, pointer, "question or derived");
      rules_.derived.push_back(Derived{id, read_optional_string(object, pointer, "description"),
                                       read_condition(object, pointer, "value"), read_sources(object, pointer),
                                       rules_.slots.find(id)});
    });
    if (auto id = raw_id(derived[i])) readable_names_.push_back(*id);
  }
}

Level read_red_flag_level(const json& object, const std::string& pointer) {
  std::string level = read_string(object, pointer, "level");
  if (level == "urgent") return Level::urgent;
  if (level == "soon") return Level::soon;
  fail(child(pointer, "level"), fmt::format("unknown red flag level \"{}\" (expected urgent or soon)", level));
}

void Loader::load_red_flags(const json& document) {
  const json& flags = require_array(require(document, "", "red_flags"), "/red_flags");
  IdRegistry ids;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/red_flags", i);
      const json& object = require_object(flags[i], pointer);
      RedFlag flag{read_id(object, pointer), read_condition(object, pointer, "when"),
                   read_red_flag_level(object, pointer), read_string(object, pointer, "message"),
                   read_sources(object, pointer)};
      ids.add(flag.id, pointer, "red flag");
      rules_.red_flags.push_back(std::move(flag));
    });
  }
}

void Loader::load_causes(const json& document) {
  const json& causes = require_array(require(document, "", "causes"), "/causes");
  if (causes.empty()) fail("/causes", "a rule file needs at least one cause");
  IdRegistry ids;
  for (std::size_t i = 0; i < causes.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/causes", i);
      Cause cause = load_cause(require_object(causes[i], pointer), pointer);
      ids.add(cause.id, pointer, "cause");
      rules_.causes.push_back(std::move(cause));
    });
  }
}

Cause Loader::load_cause(const json& object, const std::string& pointer) {
  Cause cause;
  cause.id = read_id(object, pointer);
  cause.title = read_string(object, pointer, "title");
  cause.summary = read_string(object, pointer, "summary");
  cause.sources = read_sources(object, pointer);

  std::string indicators_pointer = child(pointer, "indicators");
  const json& indicators = require_array(require(object, pointer, "indicators"), indicators_pointer);
  if (indicators.empty()) fail(indicators_pointer, "a cause needs at least one indicator");
  IdRegistry indicator_ids;
  std::set<std::string> raw_indicator_ids;
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (auto id = raw_id(indicators[i])) raw_indicator_ids.insert(*id);
    guarded([&] {
      std::string indicator_pointer = child(indicators_pointer, i);
      cause.indicators.push_back(
          load_indicator(require_object(indicators[i], indicator_pointer), indicator_pointer, indicator_ids));
    });
  }

  std::string advice_pointer = child(pointer, "advice");
  const json& advice = require_array(require(object, pointer, "advice"), advice_pointer);
  if (advice.empty()) fail(advice_pointer, "a cause needs advice");
  for (std::size_t i = 0; i < advice.size(); ++i) {
    guarded([&] {
      std::string item_pointer = child(advice_pointer, i);
      cause.advice.push_back(
          load_advice(require_object(advice[i], item_pointer), item_pointer, cause.id, raw_indicator_ids));
    });
  }
  for (Advice& item : cause.advice) {
    for (const std::string& id : item.for_indicators) {
      auto found = std::find_if(cause.indicators.begin(), cause.indicators.end(),
                                [&](const Indicator& indicator) { return indicator.id == id; });
      if (found != cause.indicators.end()) item.indicator_positions.push_back(found - cause.indicators.begin());
    }
  }
  return cause;
}

Indicator Loader::load_indicator(const json& object, const std::string& pointer, IdRegistry& ids) {
  Indicator indicator{read_id(object, pointer), read_condition(object, pointer, "when"),
                      read_number(object, pointer, "weight"), read_string(object, pointer, "because"),
                      read_sources(object, pointer)};
  ids.add(indicator.id, pointer, "indicator");
  if (!(indicator.weight > 0 && indicator.weight <= 10)) {
    fail(child(pointer, "weight"), fmt::format("weight {} is outside (0, 10]", indicator.weight));
  }
  return indicator;
}

Advice Loader::load_advice(const json& object, const std::string& pointer, const std::string& cause_id,
                           const std::set<std::string>& indicator_ids) {
  Advice advice{read_string(object, pointer, "text"), read_sources(object, pointer), {}, {}};
  auto it = object.find("for");
  if (it == object.end()) return advice;
  std::string for_pointer = child(pointer, "for");
  const json& ids = require_array(*it, for_pointer);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string()) fail(child(for_pointer, i), "expected an indicator id");
    auto id = ids[i].get<std::string>();
    if (indicator_ids.count(id) == 0) {
      fail(child(for_pointer, i), fmt::format("cause \"{}\" has no indicator \"{}\"", cause_id, id));
    }
    advice.for_indicators.push_back(std::move(id));
  }
  return advice;
}

void Loader::load_escalation(const json& document) {
  const json& escalation = require_object(require(document, "", "escalation"), "/escalation");
  rules_.routine = load_level(require_object(require(escalation, "/escalation", "routine"), "/escalation/routine"),
                              "/escalation/routine", true);
  rules_.self_care =
      load_level(require_object(require(escalation, "/escalation", "self_care"), "/escalation/self_care"),
                 "/escalation/self_care", false);
}

EscalationLevel Loader::load_level(const json& object, const std::string& pointer, bool has_condition) {
  EscalationLevel level;
  if (has_condition) level.when = read_condition(object, pointer, "when");
  level.message = read_string(object, pointer, "message");
  double days = read_number(object, pointer, "review_in_days");
  if (days != static_cast<int>(days) || days < 1 || days > 365) {
    fail(child(pointer, "review_in_days"), "review_in_days must be a whole number of days from 1 to 365");
  }
  level.review_in_days = static_cast<int>(days);
  level.sources = read_sources(object, pointer);
  return level;
}

// The pain question whose answer is followed from check-in to check-in.
void Loader::load_tracked_pain(const json& document) {
  rules_.tracked_pain = read_optional_string(document, "", "tracked_pain");
  if (rules_.tracked_pain.empty()) return;
  const Question* question = rules_.find_question(rules_.tracked_pain);
  if (question == nullptr) {
    fail("/tracked_pain", fmt::format("unknown question \"{}\"", rules_.tracked_pain));
  }
  if (question->type != QuestionType::scale && question->type != QuestionType::number) {
    fail("/tracked_pain", fmt::format("question \"{}\" is not a scale or a number", rules_.tracked_pain));
  }
}

void Loader::load_disclaimer(const json& document) {
  const json& disclaimer = require_object(require(document, "", "disclaimer"), "/disclaimer");
  rules_.disclaimer = read_string(disclaimer, "/disclaimer", "text");
  const json& groups = require_array(require(disclaimer, "/disclaimer", "not_covered"), "/disclaimer/not_covered");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!groups[i].is_string() || groups[i].get<std::string>().empty()) {
      fail(child("/disclaimer/not_covered", i), "expected a non-empty string");
    }
    rules_.not_covered.push_back(groups[i].get<std::string>());
  }
}

std::vector<std::string> Loader::read_sources(const json& object, const std::string& pointer) {
  const json& value = require(object, pointer, "source");
  std::string source_pointer = child(pointer, "source");
  std::vector<std::string> sources;
  if (value.is_string()) {
    sources.push_back(value.get<std::string>());
  } else if (value.is_array() && !value.empty() &&
             std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_string(); })) {
    sources = value.get<std::vector<std::string>>();
  } else {
    fail(source_pointer, "expected a source id or a non-empty array of source ids");
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    std::string id = sources[i].substr(0, sources[i].find('#'));
    if (known_sources_.count(id) == 0) {
      std::string where = value.is_array() ? child(source_pointer, i) : source_pointer;
      std::vector<std::string> known(known_sources_.begin(), known_sources_.end());
      fail(where, fmt::format("unknown source \"{}\"{}", id, did_you_mean(id, known)));
    }
  }
  return sources;
}

logic::Expression Loader::read_condition(const json& object, const std::string& pointer, std::string_view key) {
  const json& rule = require(object, pointer, key);
  std::string rule_pointer = child(pointer, key);
  auto compiled = logic::Expression::compile(rule, rule_pointer, {}, &rules_.slots);
  if (!compiled) throw LoadError{compiled.error()};
  check_variables(*compiled, rule_pointer);
  if (checks_ == Checks::all) {
    if (auto error = check_condition_types(rule, rule_pointer, rules_)) throw LoadError{*error};
  }
  return std::move(compiled).value();
}

void Loader::check_history_variable(const std::string& path, const std::string& pointer) {
  if (std::find(readable_names_.begin(), readable_names_.end(), kHistoryObject) == readable_names_.end()) {
    fail(pointer, fmt::format("condition reads \"{}\", but questions cannot depend on history", path));
  }
  std::string member = path.size() > kHistoryObject.size() ? path.substr(kHistoryObject.size() + 1) : "";
  std::vector<std::string> known(std::begin(kHistoryVariables), std::end(kHistoryVariables));
  if (std::find(known.begin(), known.end(), member) == known.end()) {
    fail(pointer, fmt::format("condition reads \"{}\", which is no history variable (known: history.{}){}", path,
                              fmt::join(known, ", history."), did_you_mean(member, known)));
  }
}

void Loader::check_variables(const logic::Expression& expression, const std::string& pointer) {
  for (const auto& path : expression.variables()) {
    std::string name = path.substr(0, path.find('.'));
    if (name == kHistoryObject) {
      check_history_variable(path, pointer);
      continue;
    }
    if (std::find(readable_names_.begin(), readable_names_.end(), name) != readable_names_.end()) continue;
    if (rules_.find_question(name) == nullptr && known_later_.count(name) != 0) {
      fail(pointer, fmt::format("condition reads \"{}\", which is asked only later", name));
    }
    fail(pointer, fmt::format("condition reads \"{}\", which is no question or derived value{}", name,
                              did_you_mean(name, readable_names_)));
  }
}

}  // namespace

namespace {

RuleCheck check_rules(const nlohmann::json& document, Checks checks) {
  Loader loader(checks);
  RuleSet rules;
  try {
    rules = loader.load(document);
  } catch (const json::exception& error) {
    return {{}, {Error{fmt::format("unexpected structure: {}", error.what())}}};
  }
  return {std::move(rules), loader.errors()};
}

Result<RuleSet> load_rules_text(std::string_view text, Checks checks) {
  if (text.size() > kMaxRuleFileBytes) {
    return Error{fmt::format("rule file is {} bytes, more than the limit of {}", text.size(), kMaxRuleFileBytes)};
  }
  auto document = parse_json(text);
  if (!document) return document.error();
  auto check = check_rules(*document, checks);
  if (!check.errors.empty()) return check.errors.front();
  return std::move(check.rules);
}

}  // namespace

Result<RuleSet> load_rules(std::string_view text) {
  return load_rules_text(text, Checks::all);
}

Result<RuleSet> load_rules_file(const std::filesystem::path& path) {
  auto text = read_file(path, kMaxRuleFileBytes);
  if (!text) return text.error();
  return load_rules(*text);
}

RuleCheck check_rules(const nlohmann::json& document) {
  return check_rules(document, Checks::all);
}

// Start-up pays for loading the default rules on every run.
Result<RuleSet> load_default_rules() {
  return load_rules_text(embedded_rules(), Checks::skip_condition_types);
}

}  // namespace kneecheck
