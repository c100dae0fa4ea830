#include "kneecheck/rules/rules.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "rules/condition_check.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"

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

const PlanExercise* PlanRules::find_exercise(std::string_view exercise_id) const {
  for (const auto& exercise : exercises) {
    if (exercise.id == exercise_id) return &exercise;
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

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::article: return "article";
    case SourceKind::published: return "published";
    case SourceKind::expert_reading: return "expert_reading";
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

// A string that may be empty ("unit": "" for a ratio).
std::string read_text_allowing_empty(const json& object, const std::string& pointer, std::string_view key) {
  const json& value = require(object, pointer, key);
  if (!value.is_string()) fail(child(pointer, key), fmt::format("expected a string, found {}", type_name(value)));
  return value.get<std::string>();
}

int read_decimals(const json& object, const std::string& pointer) {
  auto it = object.find("decimals");
  if (it == object.end()) return 0;
  if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > kMaxDecimals) {
    fail(child(pointer, "decimals"), fmt::format("expected a whole number from 0 to {}, found {}", kMaxDecimals,
                                                 it->dump()));
  }
  return static_cast<int>(it->get<long long>());
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
  Question read_question(const json& object, const std::string& pointer, IdRegistry& ids);
  void load_options(Question& question, const json& object, const std::string& pointer);
  void load_default(Question& question, const json& object, const std::string& pointer);
  void load_tracked_pain(const json& document);
  void load_weekly_distance(const json& document);
  void load_from_runs(const json& document);
  void load_derived(const json& document);
  void load_red_flags(const json& document);
  void load_causes(const json& document);
  Cause load_cause(const json& object, const std::string& pointer);
  Indicator load_indicator(const json& object, const std::string& pointer, IdRegistry& ids);
  Advice load_advice(const json& object, const std::string& pointer, const std::string& cause_id,
                     const std::set<std::string>& indicator_ids);
  void load_points(Indicator& indicator, const json& object, const std::string& pointer);
  void load_escalation(const json& document);
  EscalationLevel load_level(const json& object, const std::string& pointer, bool has_condition);
  std::vector<RoutineReason> load_routine_reasons(const json& object, const std::string& pointer);
  void check_placeholders(std::string_view text, const std::string& pointer) const;
  void load_general_advice(const json& document);
  void load_disclaimer(const json& document);
  void load_answer_changes(const json& document);
  void load_plan(const json& document);
  void load_plan_exercises(const json& plan, std::size_t weeks);
  void load_plan_blocks(const json& plan);
  PlanBlock load_plan_block(const json& object, const std::string& pointer);
  void load_plan_actions(const json& plan);
  void load_plan_measures(const json& plan);
  PlanLoad load_plan_load(const json& plan);
  PlanCadence load_plan_cadence(const json& plan);
  void load_plan_check_in(const json& plan);
  std::vector<std::string> read_repeated_questions(const json& object, const std::string& pointer);
  std::vector<Question> load_check_in_questions(const json& object, const std::string& pointer);
  std::vector<std::string> read_function_items(const json& object, const std::string& pointer,
                                               const std::vector<Question>& questions);
  logic::Expression read_check_in_condition(const json& object, const std::string& pointer, std::string_view key,
                                            const std::vector<std::string>& readable, const RuleSet& asked);
  struct ChosenBy {
    std::vector<std::string> causes;
    std::optional<logic::Expression> when;
  };
  ChosenBy read_chosen_by(const json& object, const std::string& pointer);

  std::vector<std::string> read_sources(const json& object, const std::string& pointer,
                                        std::string_view key = "source");
  logic::Expression read_condition(const json& object, const std::string& pointer, std::string_view key);
  logic::Expression compile_checked(const json& rule, const std::string& pointer);
  Condition read_alternatives(const json& object, const std::string& pointer, std::string_view key);
  std::size_t last_question_read(const logic::Expression& expression) const;
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

  enum class Presence { optional, required, at_least_one };
  // The items of the array at object[key], each read by `load` and guarded:
  // one error per broken item. An absent optional array is empty.
  template <typename Item, typename Load>
  std::vector<Item> load_list(const json& object, const std::string& pointer, std::string_view key,
                              Presence presence, Load&& load) {
    std::vector<Item> items;
    if (!object.contains(key)) {
      if (presence == Presence::optional) return items;
      fail(pointer, fmt::format("missing \"{}\"", key));
    }
    std::string list_pointer = child(pointer, key);
    const json& list = require_array(object[std::string(key)], list_pointer);
    if (presence == Presence::at_least_one && list.empty()) fail(list_pointer, "needs at least one entry");
    for (std::size_t i = 0; i < list.size(); ++i) {
      guarded([&] {
        std::string item_pointer = child(list_pointer, i);
        items.push_back(load(require_object(list[i], item_pointer), item_pointer));
      });
    }
    return items;
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
  std::vector<std::size_t> derived_last_question_;  // per derived value, in order
  // What plan parts may name, by the ids in the document: a part that failed
  // to load is still known, so its references bring no second error.
  std::set<std::string> cause_ids_;
  std::set<std::string> exercise_ids_;
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

void check_plan_limits(const json& document, std::vector<Error>& errors) {
  auto plan = document.find("plan");
  if (plan == document.end() || !plan->is_object()) return;
  for (std::string_view part : {"exercises", "blocks", "actions", "measures"}) {
    over_limit(errors, array_size(*plan, part), kMaxPlanItems, part, child("/plan", part));
  }
  if (auto load = plan->find("load"); load != plan->end()) {
    over_limit(errors, array_size(*load, "walk_run"), kMaxPlanItems, "walk/run phases", "/plan/load/walk_run");
  }
  auto check_in = plan->find("check_in");
  if (check_in == plan->end()) return;
  over_limit(errors, array_size(*check_in, "questions"), kMaxPlanItems, "check-in questions",
             "/plan/check_in/questions");
  if (auto questions = check_in->find("questions"); questions != check_in->end() && questions->is_array()) {
    for (std::size_t i = 0; i < questions->size(); ++i) {
      over_limit(errors, array_size((*questions)[i], "options"), kMaxOptionsPerQuestion, "options",
                 child(child("/plan/check_in/questions", i), "options"));
    }
  }
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
  check_plan_limits(document, errors);
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
  guarded([&] { load_weekly_distance(document); });
  guarded([&] { load_from_runs(document); });
  guarded([&] { load_derived(document); });
  guarded([&] { load_red_flags(document); });
  guarded([&] { load_causes(document); });
  guarded([&] { load_escalation(document); });
  guarded([&] { load_general_advice(document); });
  guarded([&] { load_disclaimer(document); });
  guarded([&] { load_answer_changes(document); });
  guarded([&] { load_plan(document); });
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

SourceKind read_source_kind(const json& object, const std::string& pointer) {
  std::string kind = read_optional_string(object, pointer, "kind");
  if (kind.empty() || kind == "published") return SourceKind::published;
  if (kind == "article") return SourceKind::article;
  if (kind == "expert_reading") return SourceKind::expert_reading;
  fail(child(pointer, "kind"),
       fmt::format("unknown source kind \"{}\" (expected article, published or expert_reading)", kind));
}

// A year such as 2014, or "n.d." for a source that gives none.
std::string read_source_year(const json& object, const std::string& pointer) {
  auto it = object.find("year");
  if (it == object.end()) return {};
  if (it->is_number_integer() && it->get<long long>() >= 1800 && it->get<long long>() <= 2100) {
    return std::to_string(it->get<long long>());
  }
  if (it->is_string()) {
    const std::string text = it->get<std::string>();
    if (text == "n.d.") return text;
    const bool four_digits = text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
    if (four_digits && text >= "1800" && text <= "2100") return text;
  }
  fail(child(pointer, "year"), fmt::format("expected a year such as 2014, or \"n.d.\", found {}", it->dump()));
}

// A web address a report may link to: http or https, nothing that could
// end the link early in Markdown or HTML.
std::string read_source_url(const json& object, const std::string& pointer) {
  std::string url = read_optional_string(object, pointer, "url");
  if (url.empty()) return url;
  bool web = url.starts_with("https://") || url.starts_with("http://");
  bool plain = std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`';
  });
  if (!web || !plain) fail(child(pointer, "url"), "expected a web address starting with https:// or http://, without spaces");
  return url;
}

void Loader::load_sources(const json& document) {
  const json& sources = require_array(require(document, "", "sources"), "/sources");
  IdRegistry ids;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (auto id = raw_id(sources[i])) known_sources_.insert(*id);
    guarded([&] {
      std::string pointer = child("/sources", i);
      const json& object = require_object(sources[i], pointer);
      Source source{read_string(object, pointer, "id"),
                    read_string(object, pointer, "citation"),
                    read_source_kind(object, pointer),
                    read_source_year(object, pointer),
                    read_optional_string(object, pointer, "title"),
                    read_optional_string(object, pointer, "author"),
                    read_optional_string(object, pointer, "published_in"),
                    read_source_url(object, pointer)};
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
  if (bands.contains("lead")) {
    rules_.scoring.lead = read_number(bands, "/scoring/bands", "lead");
    if (!(rules_.scoring.lead > 0 && rules_.scoring.lead <= 100)) fail("/scoring/bands/lead", "lead must be in (0, 100]");
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

void load_min_choices(Question& question, const json& object, const std::string& pointer) {
  auto it = object.find("min_choices");
  if (it == object.end()) return;
  std::string where = child(pointer, "min_choices");
  if (question.type != QuestionType::multi) fail(where, "only a multi question has min_choices");
  if (!it->is_number_integer() || it->get<long long>() < 0 ||
      it->get<long long>() > static_cast<long long>(question.options.size())) {
    fail(where, fmt::format("expected a whole number from 0 to {} (the options)", question.options.size()));
  }
  question.min_choices = it->get<std::size_t>();
}

Question Loader::load_question(const json& object, const std::string& pointer) {
  Question question = read_question(object, pointer, variable_ids_);
  if (object.contains("ask_if")) question.ask_if = read_condition(object, pointer, "ask_if");
  return question;
}

// What every question has, asked in the interview or at a plan's check-in;
// its id joins `ids`. Whether and when it is asked is the caller's to read.
Question Loader::read_question(const json& object, const std::string& pointer, IdRegistry& ids) {
  Question question;
  question.id = read_id(object, pointer);
  reject_reserved_id(question.id, pointer);
  ids.add(question.id, pointer, "question");
  question.text = read_string(object, pointer, "text");
  question.label = read_optional_string(object, pointer, "label");
  question.section = read_optional_string(object, pointer, "section");
  question.help = read_optional_string(object, pointer, "help");
  question.type = read_question_type(object, pointer);
  question.optional = read_optional_bool(object, pointer, "optional");
  question.unit = read_optional_string(object, pointer, "unit");
  if (question.type == QuestionType::choice || question.type == QuestionType::multi) {
    load_options(question, object, pointer);
  } else if (object.contains("options")) {
    fail(child(pointer, "options"), fmt::format("a {} question has no options", to_string(question.type)));
  }
  load_min_choices(question, object, pointer);
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
    Option parsed{read_string(option, option_pointer, "value"), read_string(option, option_pointer, "label"),
                  read_optional_bool(option, option_pointer, "exclusive")};
    if (parsed.exclusive && question.type != QuestionType::multi) {
      fail(child(option_pointer, "exclusive"), "only an option of a multi question can be exclusive");
    }
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
      Derived value;
      value.id = id;
      value.description = read_optional_string(object, pointer, "description");
      value.value = read_condition(object, pointer, "value");
      value.sources = read_sources(object, pointer);
      value.slot = rules_.slots.find(id);
      value.label = read_optional_string(object, pointer, "label");
      if (object.contains("unit")) value.unit = read_text_allowing_empty(object, pointer, "unit");
      value.decimals = read_decimals(object, pointer);
      rules_.derived.push_back(std::move(value));
      derived_last_question_.push_back(last_question_read(rules_.derived.back().value));
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
      RedFlag flag{read_id(object, pointer), read_optional_string(object, pointer, "title"),
                   read_alternatives(object, pointer, "when"),
                   read_red_flag_level(object, pointer), read_string(object, pointer, "message"),
                   read_sources(object, pointer), read_optional_bool(object, pointer, "withholds_load_advice")};
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
  if (object.contains("applies_if")) cause.applies_if = read_condition(object, pointer, "applies_if");

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
  Indicator indicator;
  indicator.id = read_id(object, pointer);
  indicator.when = read_alternatives(object, pointer, "when");
  load_points(indicator, object, pointer);
  indicator.because = read_string(object, pointer, "because");
  check_placeholders(indicator.because, child(pointer, "because"));
  indicator.sources = read_sources(object, pointer);
  ids.add(indicator.id, pointer, "indicator");
  return indicator;
}

// "points": a number in (0, 10], or JsonLogic that gives one. "weight" is
// the older name of a fixed number.
void Loader::load_points(Indicator& indicator, const json& object, const std::string& pointer) {
  bool has_points = object.contains("points");
  bool has_weight = object.contains("weight");
  if (has_points && has_weight) fail(pointer, "give \"points\" or \"weight\", not both");
  if (!has_points && !has_weight) fail(pointer, "missing \"points\"");
  std::string_view key = has_points ? "points" : "weight";
  const json& value = object[std::string(key)];
  std::string where = child(pointer, key);
  if (value.is_number()) {
    indicator.points = value.get<double>();
    if (!(indicator.points > 0 && indicator.points <= kMaxPoints)) {
      fail(where, fmt::format("{} {} is outside (0, {:g}]", key, indicator.points, kMaxPoints));
    }
    return;
  }
  if (!has_points || !value.is_object()) {
    fail(where, fmt::format("expected a number{}, found {}", has_points ? " or a JsonLogic expression" : "",
                            type_name(value)));
  }
  indicator.graded_points = compile_checked(value, where);
}

Advice Loader::load_advice(const json& object, const std::string& pointer, const std::string& cause_id,
                           const std::set<std::string>& indicator_ids) {
  Advice advice{read_string(object, pointer, "text"), read_sources(object, pointer),
                read_optional_bool(object, pointer, "load"), {}, {}};
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
  if (has_condition) level.reasons = load_routine_reasons(object, pointer);
  level.message = read_string(object, pointer, "message");
  double days = read_number(object, pointer, "review_in_days");
  if (days != static_cast<int>(days) || days < 1 || days > 365) {
    fail(child(pointer, "review_in_days"), "review_in_days must be a whole number of days from 1 to 365");
  }
  level.review_in_days = static_cast<int>(days);
  level.sources = read_sources(object, pointer);
  return level;
}

// Each {ID} in a text a report shows must name a question or derived value.
void Loader::check_placeholders(std::string_view text, const std::string& pointer) const {
  for (const TextPiece& piece : split_placeholders(text)) {
    if (!piece.placeholder) continue;
    bool derived = std::any_of(rules_.derived.begin(), rules_.derived.end(),
                               [&](const Derived& value) { return value.id == piece.text; });
    if (derived || rules_.find_question(piece.text) != nullptr) continue;
    fail(pointer, fmt::format("placeholder {{{}}} names no question or derived value", piece.text));
  }
}

// "reasons": [{"id", "when", "text", "source"}], each a reason to see a
// professional within weeks; or the older single "when".
std::vector<RoutineReason> Loader::load_routine_reasons(const json& object, const std::string& pointer) {
  std::vector<RoutineReason> reasons;
  bool has_reasons = object.contains("reasons");
  if (has_reasons == object.contains("when")) fail(pointer, "give \"reasons\" or \"when\", one of the two");
  if (!has_reasons) {
    reasons.push_back({"routine", read_alternatives(object, pointer, "when"), "", {}});
    return reasons;
  }
  std::string reasons_pointer = child(pointer, "reasons");
  const json& list = require_array(object["reasons"], reasons_pointer);
  if (list.empty()) fail(reasons_pointer, "routine needs at least one reason");
  IdRegistry ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    guarded([&] {
      std::string reason_pointer = child(reasons_pointer, i);
      const json& reason = require_object(list[i], reason_pointer);
      RoutineReason parsed{read_id(reason, reason_pointer), read_alternatives(reason, reason_pointer, "when"),
                           read_string(reason, reason_pointer, "text"), read_sources(reason, reason_pointer)};
      check_placeholders(parsed.text, child(reason_pointer, "text"));
      ids.add(parsed.id, reason_pointer, "routine reason");
      reasons.push_back(std::move(parsed));
    });
  }
  return reasons;
}

void Loader::load_general_advice(const json& document) {
  auto it = document.find("general_advice");
  if (it == document.end()) return;
  const json& list = require_array(*it, "/general_advice");
  for (std::size_t i = 0; i < list.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/general_advice", i);
      const json& object = require_object(list[i], pointer);
      if (object.contains("for")) fail(child(pointer, "for"), "general advice belongs to no cause's indicators");
      rules_.general_advice.push_back(Advice{read_string(object, pointer, "text"), read_sources(object, pointer),
                                             read_optional_bool(object, pointer, "load"), {}, {}});
    });
  }
}

// "changes": what a new version of the rules changed in its questions, so
// that an older answers file is told what, not only that, it no longer fits.
void Loader::load_answer_changes(const json& document) {
  auto it = document.find("changes");
  if (it == document.end()) return;
  const json& list = require_array(*it, "/changes");
  for (std::size_t i = 0; i < list.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/changes", i);
      const json& object = require_object(list[i], pointer);
      rules_.answer_changes.push_back({read_string(object, pointer, "question"), read_string(object, pointer, "version"),
                                       read_string(object, pointer, "note")});
    });
  }
}

// The most weeks a plan may have.
constexpr int kMaxPlanWeeks = 12;

// A whole number from `low` to `high`; written 6 or 6.0.
int read_whole_number(const json& object, const std::string& pointer, std::string_view key, int low, int high) {
  const json& value = require(object, pointer, key);
  bool whole = value.is_number() && value.get<double>() == std::floor(value.get<double>());
  if (!whole || value.get<double>() < low || value.get<double>() > high) {
    fail(child(pointer, key), fmt::format("expected a whole number from {} to {}, found {}", low, high, value.dump()));
  }
  return static_cast<int>(value.get<double>());
}

double read_positive(const json& object, const std::string& pointer, std::string_view key) {
  double value = read_number(object, pointer, key);
  if (!(value > 0)) fail(child(pointer, key), fmt::format("{} must be greater than 0", key));
  return value;
}

// The ids of the items of the array at object[key] that have one.
std::set<std::string> raw_ids(const json& object, std::string_view key) {
  std::set<std::string> ids;
  if (!object.is_object()) return ids;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return ids;
  for (const auto& item : *it) {
    if (auto id = raw_id(item)) ids.insert(*id);
  }
  return ids;
}

// The strings of the array at object[key].
std::vector<std::string> raw_strings(const json& object, std::string_view key) {
  std::vector<std::string> strings;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return strings;
  for (const auto& item : *it) {
    if (item.is_string()) strings.push_back(item.get<std::string>());
  }
  return strings;
}

// An array of ids, each one of `known` (the `what`s of the file).
std::vector<std::string> read_references(const json& object, const std::string& pointer, std::string_view key,
                                         std::string_view what, const std::set<std::string>& known) {
  std::string list_pointer = child(pointer, key);
  const json& list = require_array(require(object, pointer, key), list_pointer);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      fail(child(list_pointer, i), fmt::format("expected a string ({} id), found {}", what, type_name(list[i])));
    }
    std::string id = list[i].get<std::string>();
    if (known.count(id) == 0) {
      fail(child(list_pointer, i), fmt::format("unknown {} \"{}\"{}", what, id,
                                               did_you_mean(id, std::vector<std::string>(known.begin(), known.end()))));
    }
    ids.push_back(std::move(id));
  }
  return ids;
}

// One dose per plan week, "" for a week without the exercise. `weeks` is 0
// when the plan's own count is broken: the doses are then not counted.
std::vector<std::string> read_doses(const json& object, const std::string& pointer, std::size_t weeks) {
  std::string doses_pointer = child(pointer, "doses");
  const json& doses = require_array(require(object, pointer, "doses"), doses_pointer);
  for (std::size_t i = 0; i < doses.size(); ++i) {
    if (!doses[i].is_string()) {
      fail(child(doses_pointer, i),
           fmt::format("expected a dose (\"\" for none that week), found {}", type_name(doses[i])));
    }
  }
  if (weeks != 0 && doses.size() != weeks) {
    fail(doses_pointer, fmt::format("expected {} doses, one for each week of the plan, found {}", weeks, doses.size()));
  }
  auto texts = doses.get<std::vector<std::string>>();
  if (std::all_of(texts.begin(), texts.end(), [](const std::string& dose) { return dose.empty(); })) {
    fail(doses_pointer, "an exercise needs a dose in at least one week");
  }
  return texts;
}

// "plan": the plan a runner follows after an assessment (docs/rule-file.md, "Plan").
void Loader::load_plan(const json& document) {
  auto it = document.find("plan");
  if (it == document.end()) return;
  const json& plan = require_object(*it, "/plan");
  rules_.plan.present = true;
  cause_ids_ = raw_ids(document, "causes");
  exercise_ids_ = raw_ids(plan, "exercises");
  std::size_t weeks = 0;
  guarded([&] {
    rules_.plan.weeks = read_whole_number(plan, "/plan", "weeks", 1, kMaxPlanWeeks);
    weeks = static_cast<std::size_t>(rules_.plan.weeks);
  });
  guarded([&] { load_plan_exercises(plan, weeks); });
  guarded([&] { load_plan_blocks(plan); });
  guarded([&] { load_plan_actions(plan); });
  guarded([&] { load_plan_measures(plan); });
  guarded([&] { rules_.plan.load = load_plan_load(plan); });
  guarded([&] { rules_.plan.cadence = load_plan_cadence(plan); });
  guarded([&] { load_plan_check_in(plan); });
}

void Loader::load_plan_exercises(const json& plan, std::size_t weeks) {
  IdRegistry ids;
  rules_.plan.exercises = load_list<PlanExercise>(
      plan, "/plan", "exercises", Presence::at_least_one, [&](const json& object, const std::string& pointer) {
        PlanExercise exercise{read_id(object, pointer), read_string(object, pointer, "name"),
                              read_string(object, pointer, "how"), read_doses(object, pointer, weeks),
                              read_sources(object, pointer)};
        ids.add(exercise.id, pointer, "exercise");
        return exercise;
      });
}

// What chooses a block or an action: causes the assessment points to, a
// condition on the answers, or both.
Loader::ChosenBy Loader::read_chosen_by(const json& object, const std::string& pointer) {
  ChosenBy chosen;
  if (object.contains("causes")) chosen.causes = read_references(object, pointer, "causes", "cause", cause_ids_);
  if (object.contains("when")) chosen.when = read_condition(object, pointer, "when");
  if (chosen.causes.empty() && !chosen.when) fail(pointer, "give \"causes\" or \"when\" (or both): what chooses it");
  return chosen;
}

PlanBlock Loader::load_plan_block(const json& object, const std::string& pointer) {
  PlanBlock block;
  block.id = read_id(object, pointer);
  block.title = read_string(object, pointer, "title");
  block.why = read_string(object, pointer, "why");
  ChosenBy chosen = read_chosen_by(object, pointer);
  block.causes = std::move(chosen.causes);
  block.when = std::move(chosen.when);
  block.sessions_per_week = read_whole_number(object, pointer, "sessions_per_week", 1, 7);
  block.exercises = read_references(object, pointer, "exercises", "exercise", exercise_ids_);
  if (block.exercises.empty()) fail(child(pointer, "exercises"), "a block needs at least one exercise");
  block.sources = read_sources(object, pointer);
  return block;
}

void Loader::load_plan_blocks(const json& plan) {
  IdRegistry ids;
  rules_.plan.blocks = load_list<PlanBlock>(plan, "/plan", "blocks", Presence::at_least_one,
                                            [&](const json& object, const std::string& pointer) {
                                              PlanBlock block = load_plan_block(object, pointer);
                                              ids.add(block.id, pointer, "block");
                                              return block;
                                            });
}

void Loader::load_plan_actions(const json& plan) {
  IdRegistry ids;
  rules_.plan.actions = load_list<PlanAction>(
      plan, "/plan", "actions", Presence::optional, [&](const json& object, const std::string& pointer) {
        PlanAction action;
        action.id = read_id(object, pointer);
        action.text = read_string(object, pointer, "text");
        ChosenBy chosen = read_chosen_by(object, pointer);
        action.causes = std::move(chosen.causes);
        action.when = std::move(chosen.when);
        action.sources = read_sources(object, pointer);
        ids.add(action.id, pointer, "action");
        return action;
      });
}

void Loader::load_plan_measures(const json& plan) {
  IdRegistry ids;
  rules_.plan.measures = load_list<PlanMeasure>(
      plan, "/plan", "measures", Presence::optional, [&](const json& object, const std::string& pointer) {
        PlanMeasure measure{read_id(object, pointer), read_string(object, pointer, "name"),
                            read_string(object, pointer, "how"), read_sources(object, pointer)};
        ids.add(measure.id, pointer, "measure");
        return measure;
      });
}

PlanLoad Loader::load_plan_load(const json& plan) {
  const std::string pointer = "/plan/load";
  const json& object = require_object(require(plan, "/plan", "load"), pointer);
  PlanLoad load;
  load.single_run_max_pct = read_positive(object, pointer, "single_run_max_pct");
  load.two_week_increase_max_pct = read_positive(object, pointer, "two_week_increase_max_pct");
  load.sources = read_sources(object, pointer);
  if (object.contains("walk_run") != object.contains("walk_run_source")) {
    fail(pointer, "give \"walk_run\" and \"walk_run_source\" together");
  }
  if (!object.contains("walk_run")) return load;
  load.walk_run = load_list<WalkRunPhase>(object, pointer, "walk_run", Presence::at_least_one,
                                          [&](const json& phase, const std::string& phase_pointer) {
                                            return WalkRunPhase{read_string(phase, phase_pointer, "text"),
                                                                read_positive(phase, phase_pointer, "km")};
                                          });
  load.walk_run_sources = read_sources(object, pointer, "walk_run_source");
  return load;
}

PlanCadence Loader::load_plan_cadence(const json& plan) {
  const std::string pointer = "/plan/cadence";
  const json& object = require_object(require(plan, "/plan", "cadence"), pointer);
  PlanCadence cadence;
  cadence.low_pct = read_positive(object, pointer, "low_pct");
  cadence.high_pct = read_positive(object, pointer, "high_pct");
  if (cadence.low_pct > cadence.high_pct) fail(pointer, "low_pct must not be above high_pct");
  cadence.how_to_count = read_string(object, pointer, "how_to_count");
  cadence.sources = read_sources(object, pointer);
  return cadence;
}

// The weekly check-in. Its conditions read only what the check-in asks, by
// id: they are compiled without the answer slots, which hold the interview's
// answers, not the check-in's.
void Loader::load_plan_check_in(const json& plan) {
  auto it = plan.find("check_in");
  if (it == plan.end()) return;
  const std::string pointer = "/plan/check_in";
  const json& object = require_object(*it, pointer);
  PlanCheckIn check_in;
  guarded([&] { check_in.repeat = read_repeated_questions(object, pointer); });
  guarded([&] { check_in.questions = load_check_in_questions(object, pointer); });
  std::vector<std::string> readable = raw_strings(object, "repeat");
  for (const auto& id : raw_ids(object, "questions")) readable.push_back(id);
  RuleSet asked;  // the questions the conditions read, to check how they compare them
  for (const auto& id : check_in.repeat) {
    if (const Question* question = rules_.find_question(id)) asked.questions.push_back(*question);
  }
  asked.questions.insert(asked.questions.end(), check_in.questions.begin(), check_in.questions.end());
  auto read_rule = [&](std::string_view key) {
    return read_check_in_condition(object, pointer, key, readable, asked);
  };
  guarded([&] { check_in.step_back_when = read_rule("step_back_when"); });
  guarded([&] { check_in.hold_when = read_rule("hold_when"); });
  guarded([&] { check_in.text = read_optional_string(object, pointer, "text"); });
  guarded([&] { check_in.function_items = read_function_items(object, pointer, check_in.questions); });
  guarded([&] { check_in.sources = read_sources(object, pointer); });
  rules_.plan.check_in = std::move(check_in);
}

// The check-in's choice questions that make its function score, each once.
std::vector<std::string> Loader::read_function_items(const json& object, const std::string& pointer,
                                                     const std::vector<Question>& questions) {
  std::vector<std::string> ids;
  auto it = object.find("function_items");
  if (it == object.end()) return ids;
  const std::string list_pointer = child(pointer, "function_items");
  const json& items = require_array(*it, list_pointer);
  std::vector<std::string> choices;
  for (const auto& question : questions) {
    if (question.type == QuestionType::choice) choices.push_back(question.id);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item_pointer = child(list_pointer, i);
    if (!items[i].is_string()) fail(item_pointer, fmt::format("expected a question id, found {}", type_name(items[i])));
    const std::string id = items[i].get<std::string>();
    if (std::find(choices.begin(), choices.end(), id) == choices.end()) {
      fail(item_pointer, fmt::format("\"{}\" is no choice question of the check-in{}", id, did_you_mean(id, choices)));
    }
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) fail(item_pointer, fmt::format("\"{}\" is given twice", id));
    ids.push_back(id);
  }
  return ids;
}

// Questions of the interview asked again at each check-in, each once.
std::vector<std::string> Loader::read_repeated_questions(const json& object, const std::string& pointer) {
  std::vector<std::string> ids = read_references(object, pointer, "repeat", "question", known_later_);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!seen.insert(ids[i]).second) {
      fail(child(child(pointer, "repeat"), i), fmt::format("question \"{}\" is repeated twice", ids[i]));
    }
  }
  return ids;
}

// The check-in's own questions. Their ids are unique in the whole file, so
// that an id names one answer wherever it is read; and each is always asked.
std::vector<Question> Loader::load_check_in_questions(const json& object, const std::string& pointer) {
  IdRegistry ids;
  return load_list<Question>(
      object, pointer, "questions", Presence::required, [&](const json& item, const std::string& item_pointer) {
        auto id = raw_id(item);
        if (id && *id != kHistoryObject && rules_.slots.find(*id) != logic::SlotNames::npos) {
          fail(child(item_pointer, "id"),
               fmt::format("\"{}\" is already a question or derived value of the interview; a check-in question "
                           "needs an id of its own",
                           *id));
        }
        if (item.contains("ask_if")) {
          fail(child(item_pointer, "ask_if"), "a check-in question is always asked: no ask_if");
        }
        return read_question(item, item_pointer, ids);
      });
}

logic::Expression Loader::read_check_in_condition(const json& object, const std::string& pointer, std::string_view key,
                                                  const std::vector<std::string>& readable, const RuleSet& asked) {
  const json& rule = require(object, pointer, key);
  std::string where = child(pointer, key);
  auto compiled = logic::Expression::compile(rule, where);
  if (!compiled) throw LoadError{compiled.error()};
  for (const auto& path : compiled->variables()) {
    std::string name = path.substr(0, path.find('.'));
    if (std::find(readable.begin(), readable.end(), name) != readable.end()) continue;
    fail(where, fmt::format("condition reads \"{}\", which the check-in does not ask (its repeated and own "
                            "questions){}",
                            name, did_you_mean(name, readable)));
  }
  if (checks_ == Checks::all) {
    if (auto error = check_condition_types(rule, where, asked)) throw LoadError{*error};
  }
  return std::move(compiled).value();
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

// The weekly distance questions, latest week first, for a report's chart.
void Loader::load_weekly_distance(const json& document) {
  auto it = document.find("weekly_distance");
  if (it == document.end()) return;
  const json& ids = require_array(*it, "/weekly_distance");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string pointer = child("/weekly_distance", i);
    if (!ids[i].is_string()) fail(pointer, fmt::format("expected a question id, found {}", type_name(ids[i])));
    const std::string id = ids[i].get<std::string>();
    const Question* question = rules_.find_question(id);
    if (question == nullptr) fail(pointer, fmt::format("unknown question \"{}\"", id));
    if (question->type != QuestionType::number) fail(pointer, fmt::format("question \"{}\" is not a number", id));
    rules_.weekly_distance.push_back(id);
  }
}

// The answers recorded runs suggest, each an expression over the run figures.
void Loader::load_from_runs(const json& document) {
  auto it = document.find("from_runs");
  if (it == document.end()) return;
  const json& entries = require_array(*it, "/from_runs");
  std::vector<std::string> figures(std::begin(kRunFigures), std::end(kRunFigures));
  std::set<std::string> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    guarded([&] {
      std::string pointer = child("/from_runs", i);
      const json& object = require_object(entries[i], pointer);
      std::string id = read_string(object, pointer, "question");
      if (rules_.find_question(id) == nullptr) {
        fail(child(pointer, "question"), fmt::format("unknown question \"{}\"", id));
      }
      if (!seen.insert(id).second) {
        fail(child(pointer, "question"), fmt::format("question \"{}\" is suggested twice", id));
      }
      std::string value_pointer = child(pointer, "value");
      auto value = logic::Expression::compile(require(object, pointer, "value"), value_pointer);
      if (!value) throw LoadError{value.error()};
      for (const auto& path : value->variables()) {
        if (std::find(figures.begin(), figures.end(), path) != figures.end()) continue;
        fail(value_pointer, fmt::format("value reads \"{}\", which is no run figure{}", path,
                                        did_you_mean(path, figures)));
      }
      rules_.from_runs.push_back({id, std::move(value).value()});
    });
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

std::vector<std::string> Loader::read_sources(const json& object, const std::string& pointer, std::string_view key) {
  const json& value = require(object, pointer, key);
  std::string source_pointer = child(pointer, key);
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
  return compile_checked(require(object, pointer, key), child(pointer, key));
}

logic::Expression Loader::compile_checked(const json& rule, const std::string& pointer) {
  auto compiled = logic::Expression::compile(rule, pointer, {}, &rules_.slots);
  if (!compiled) throw LoadError{compiled.error()};
  check_variables(*compiled, pointer);
  if (checks_ == Checks::all) {
    if (auto error = check_condition_types(rule, pointer, rules_)) throw LoadError{*error};
  }
  return std::move(compiled).value();
}

// The parts of a top-level "or", nested ones flattened, each with its pointer.
void collect_alternatives(const json& rule, const std::string& pointer,
                          std::vector<std::pair<const json*, std::string>>& parts) {
  if (rule.is_object() && rule.size() == 1 && rule.contains("or") && rule["or"].is_array() && !rule["or"].empty()) {
    const json& items = rule["or"];
    for (std::size_t i = 0; i < items.size(); ++i) collect_alternatives(items[i], child(child(pointer, "or"), i), parts);
    return;
  }
  parts.emplace_back(&rule, pointer);
}

// Every string an expression compares with, leaving out variable names.
void collect_literals(const json& rule, std::vector<std::string>& literals) {
  if (rule.is_string()) {
    literals.push_back(rule.get<std::string>());
  } else if (rule.is_array()) {
    for (const auto& item : rule) collect_literals(item, literals);
  } else if (rule.is_object()) {
    for (const auto& [op, argument] : rule.items()) {
      if (op != "var" && op != "missing" && op != "missing_some") collect_literals(argument, literals);
    }
  }
}

std::size_t Loader::last_question_read(const logic::Expression& expression) const {
  std::size_t last = 0;
  for (std::size_t slot : expression.variable_slots()) {
    std::size_t read = Condition::kReadsHistory;  // "history", or a name that is no slot
    if (slot < rules_.questions.size()) {
      read = slot;
    } else {
      for (std::size_t i = 0; i < rules_.derived.size() && i < derived_last_question_.size(); ++i) {
        if (rules_.derived[i].slot == slot) read = derived_last_question_[i];
      }
    }
    if (read == Condition::kReadsHistory) return read;
    last = std::max(last, read);
  }
  return last;
}

Condition Loader::read_alternatives(const json& object, const std::string& pointer, std::string_view key) {
  const json& rule = require(object, pointer, key);
  std::string rule_pointer = child(pointer, key);
  Condition condition{compile_checked(rule, rule_pointer), {}};
  std::vector<std::pair<const json*, std::string>> parts;
  collect_alternatives(rule, rule_pointer, parts);
  for (const auto& [part, part_pointer] : parts) {
    Condition::Alternative alternative{compile_checked(*part, part_pointer), {}, 0};
    collect_literals(*part, alternative.literals);
    alternative.last_question = last_question_read(alternative.when);
    condition.alternatives.push_back(std::move(alternative));
  }
  return condition;
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

std::vector<TextPiece> split_placeholders(std::string_view text) {
  std::vector<TextPiece> pieces;
  auto is_id_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
  std::size_t start = 0;
  std::size_t at = text.find('{');
  while (at != std::string_view::npos) {
    std::size_t end = at + 1;
    while (end < text.size() && is_id_char(text[end])) ++end;
    if (end > at + 1 && end < text.size() && text[end] == '}') {
      if (at > start) pieces.push_back({text.substr(start, at - start), false});
      pieces.push_back({text.substr(at + 1, end - at - 1), true});
      start = end + 1;
    }
    at = text.find('{', at + 1);
  }
  if (start < text.size()) pieces.push_back({text.substr(start), false});
  return pieces;
}

}  // namespace kneecheck
