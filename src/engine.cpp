#include "kneecheck/engine.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace kneecheck {

using nlohmann::json;

std::string_view to_string(Band band) {
  switch (band) {
    case Band::low: return "low";
    case Band::moderate: return "moderate";
    case Band::high: return "high";
  }
  return "?";
}

bool Assessment::any_cause_indicated() const {
  return std::any_of(causes.begin(), causes.end(), [](const CauseAssessment& cause) { return !cause.matched.empty(); });
}

namespace {

std::string option_label(const Question& question, const json& value) {
  if (!value.is_string()) return value.dump();
  const Option* option = question.find_option(value.get<std::string>());
  return option == nullptr ? value.get<std::string>() : option->label;
}

std::string format_number(const json& value) {
  if (value.is_number_float()) return fmt::format("{:g}", value.get<double>());
  return value.dump();
}

// An answer as the runner would recognise it.
std::string shown_value(const RuleSet& rules, std::string_view id, const json& value) {
  if (value.is_null()) return "not answered";
  const Question* question = rules.find_question(id);
  if (question == nullptr) return value.is_number() ? format_number(value) : value.dump();
  switch (question->type) {
    case QuestionType::choice: return option_label(*question, value);
    case QuestionType::multi: {
      if (value.empty()) return "none of these";
      std::string labels;
      for (const auto& item : value) labels += (labels.empty() ? "" : ", ") + option_label(*question, item);
      return labels;
    }
    case QuestionType::yes_no: return value.get<bool>() ? "yes" : "no";
    case QuestionType::number:
    case QuestionType::scale:
      return format_number(value) + (question->unit.empty() ? "" : " " + question->unit) +
             (question->type == QuestionType::scale ? " of 10" : "");
  }
  return value.dump();
}

// What scoring reads: the answers with derived values, and the history
// variables, as JSON for evidence and as slot data for the conditions.
struct Inputs {
  const Answers& answers;
  const json& history;
  const logic::Data& data;
};

// The value behind one variable a condition read: an answer, or a history
// variable, shown under its full name ("history.pain_change"). The id is a
// view of `path`, which the condition holds.
std::pair<std::string_view, json> looked_up(std::string_view path, const Inputs& inputs) {
  auto value_of = [](const json& object, std::string_view key) {
    auto it = object.find(key);
    return it == object.end() ? json() : *it;
  };
  std::string_view id = path.substr(0, path.find('.'));
  if (id != kHistoryObject) return {id, value_of(inputs.answers, id)};
  std::string_view member = path.size() > id.size() ? path.substr(id.size() + 1) : "";
  return {path, value_of(inputs.history, member)};
}

// The answers a condition read: what a runner needs to see to understand why.
std::vector<Evidence> evidence_for(const RuleSet& rules, const logic::Expression& condition, const Inputs& inputs) {
  std::vector<Evidence> evidence;
  for (const auto& path : condition.variables()) {
    // (Not a structured binding: clang 14, which the fuzz build uses, cannot capture one.)
    std::pair<std::string_view, json> read = looked_up(path, inputs);
    std::string_view id = read.first;
    if (std::any_of(evidence.begin(), evidence.end(), [&](const Evidence& item) { return item.id == id; })) continue;
    std::string shown = shown_value(rules, id, read.second);
    evidence.push_back({id, std::move(read.second), std::move(shown)});
  }
  return evidence;
}

std::vector<RaisedFlag> raised_flags(const RuleSet& rules, const Inputs& inputs) {
  std::vector<RaisedFlag> flags;
  for (const auto& flag : rules.red_flags) {
    if (flag.when.matches(inputs.data)) {
      flags.push_back({flag.id, flag.level, flag.message, flag.sources, evidence_for(rules, flag.when, inputs)});
    }
  }
  std::stable_sort(flags.begin(), flags.end(),
                   [](const RaisedFlag& a, const RaisedFlag& b) { return a.level < b.level; });
  return flags;
}

Band band_of(int score, const Scoring& scoring) {
  if (score >= scoring.high) return Band::high;
  if (score >= scoring.moderate) return Band::moderate;
  return Band::low;
}

bool advice_applies(const Advice& advice, const std::vector<MatchedIndicator>& matched) {
  if (advice.for_indicators.empty()) return true;
  return std::any_of(matched.begin(), matched.end(), [&](const MatchedIndicator& indicator) {
    return std::find(advice.for_indicators.begin(), advice.for_indicators.end(), indicator.id) !=
           advice.for_indicators.end();
  });
}

CauseAssessment assess_cause(const RuleSet& rules, const Cause& cause, const Inputs& inputs,
                             const ScoreOptions& options) {
  CauseAssessment result{cause.id, cause.title, cause.summary, 0, Band::low, 0, {}, {}, {}};
  result.indicators.reserve(cause.indicators.size());
  for (const auto& indicator : cause.indicators) {
    bool matched = indicator.when.matches(inputs.data);
    std::vector<Evidence> evidence;
    if (matched || options.evidence_of_unmatched) evidence = evidence_for(rules, indicator.when, inputs);
    result.indicators.push_back(
        {indicator.id, indicator.because, indicator.weight, indicator.sources, std::move(evidence), matched});
    if (!matched) continue;
    result.matched_weight += indicator.weight;
    result.matched.push_back(result.indicators.back());
  }
  double share = std::min(1.0, result.matched_weight / rules.scoring.full_weight);
  result.score = static_cast<int>(std::lround(100.0 * share));
  result.band = band_of(result.score, rules.scoring);
  // General advice first, then the tips tied to what matched.
  for (bool specific : {false, true}) {
    for (const auto& advice : cause.advice) {
      if (advice.for_indicators.empty() == specific || !advice_applies(advice, result.matched)) continue;
      result.advice.push_back({advice.text, advice.sources});
    }
  }
  return result;
}

// Deterministic: score, then matched weight, then the order of the rule file
// (stable_sort keeps it).
void rank(std::vector<CauseAssessment>& causes) {
  std::stable_sort(causes.begin(), causes.end(), [](const CauseAssessment& a, const CauseAssessment& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.matched_weight > b.matched_weight;
  });
}

Escalation escalate(const RuleSet& rules, const std::vector<RaisedFlag>& flags, const logic::Data& data,
                    const Date& date) {
  if (!flags.empty()) {
    const RaisedFlag& first = flags.front();
    return {first.level, first.message, std::nullopt, first.sources};
  }
  const EscalationLevel& level = rules.routine.when->matches(data) ? rules.routine : rules.self_care;
  Level name = &level == &rules.routine ? Level::routine : Level::self_care;
  return {name, level.message, date.plus_days(level.review_in_days), level.sources};
}

std::optional<double> tracked_pain(const RuleSet& rules, const Answers& answers) {
  if (rules.tracked_pain.empty()) return std::nullopt;
  auto it = answers.find(rules.tracked_pain);
  if (it == answers.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// Computes the derived values in order into `data` (where later ones and the
// conditions read them) and into `answers` (for reports).
void add_derived_values(const RuleSet& rules, logic::Data& data, Answers& answers) {
  logic::Scratch scratch;
  for (const auto& derived : rules.derived) {
    logic::Value value = derived.value.evaluate(data, scratch);
    if (value.is_null()) continue;
    json copy = value.to_json();
    data.set(derived.slot, copy);
    answers[derived.id] = std::move(copy);
  }
}

logic::Data slot_data(const RuleSet& rules, const Answers& answers, const json& history) {
  logic::Data data = logic::Data::from_json(answers, rules.slots);
  data.set(rules.slots.find(kHistoryObject), history);
  return data;
}

}  // namespace

std::vector<PastCheckIn> earlier_check_ins(const std::vector<PastCheckIn>& past, const Date& date) {
  std::vector<PastCheckIn> earlier;
  std::copy_if(past.begin(), past.end(), std::back_inserter(earlier),
               [&](const PastCheckIn& check_in) { return check_in.date.days_until(date) > 0; });
  std::stable_sort(earlier.begin(), earlier.end(),
                   [](const PastCheckIn& a, const PastCheckIn& b) { return a.date.days_until(b.date) > 0; });
  return earlier;
}

namespace {

// The history variables from check-ins already filtered and sorted by
// earlier_check_ins.
json variables_of_earlier(const std::vector<PastCheckIn>& earlier, const Date& date, std::optional<double> pain) {
  json variables = {{"checkins", earlier.size()}};
  if (earlier.empty()) return variables;
  int days = earlier.front().date.days_until(date);
  variables["days_since_first"] = days;
  variables["weeks_since_first"] = days / 7.0;
  auto with_pain = [](const PastCheckIn& check_in) { return check_in.pain.has_value(); };
  auto first = std::find_if(earlier.begin(), earlier.end(), with_pain);
  if (first == earlier.end()) return variables;
  auto last = std::find_if(earlier.rbegin(), earlier.rend(), with_pain);
  variables["first_pain"] = *first->pain;
  variables["last_pain"] = *last->pain;
  if (pain) variables["pain_change"] = *pain - *first->pain;
  return variables;
}

}  // namespace

json history_variables(const std::vector<PastCheckIn>& past, const Date& date, std::optional<double> pain) {
  return variables_of_earlier(earlier_check_ins(past, date), date, pain);
}

Answers with_derived_values(const RuleSet& rules, const Answers& answers, const json& history) {
  Answers all = answers;
  logic::Data data = slot_data(rules, answers, history);
  add_derived_values(rules, data, all);
  return all;
}

Assessment score(const RuleSet& rules, Answers answers, const Date& date, const std::vector<PastCheckIn>& past,
                 const ScoreOptions& options) {
  Assessment assessment;
  assessment.rules_id = rules.id;
  assessment.rules_version = rules.version;
  assessment.rules_title = rules.title;
  assessment.date = date;
  assessment.answers = std::move(answers);
  assessment.pain = tracked_pain(rules, assessment.answers);
  assessment.earlier = earlier_check_ins(past, date);
  assessment.history = variables_of_earlier(assessment.earlier, date, assessment.pain);
  logic::Data data = slot_data(rules, assessment.answers, assessment.history);
  add_derived_values(rules, data, assessment.answers);
  Inputs inputs{assessment.answers, assessment.history, data};
  assessment.red_flags = raised_flags(rules, inputs);
  assessment.causes.reserve(rules.causes.size());
  for (const auto& cause : rules.causes) assessment.causes.push_back(assess_cause(rules, cause, inputs, options));
  rank(assessment.causes);
  assessment.escalation = escalate(rules, assessment.red_flags, data, date);
  assessment.disclaimer = rules.disclaimer;
  assessment.not_covered = rules.not_covered;
  return assessment;
}

}  // namespace kneecheck
