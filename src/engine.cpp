#include "kneecheck/engine.hpp"

#include <algorithm>
#include <cmath>

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
std::string shown_value(const RuleSet& rules, const std::string& id, const json& value) {
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

// The answers a condition read: what a runner needs to see to understand why.
std::vector<Evidence> evidence_for(const RuleSet& rules, const logic::Expression& condition, const Answers& answers) {
  std::vector<Evidence> evidence;
  for (const auto& path : condition.variables()) {
    std::string id = path.substr(0, path.find('.'));
    if (std::any_of(evidence.begin(), evidence.end(), [&](const Evidence& item) { return item.id == id; })) continue;
    auto it = answers.find(id);
    json value = it == answers.end() ? json() : *it;
    std::string shown = shown_value(rules, id, value);
    evidence.push_back({id, std::move(value), std::move(shown)});
  }
  return evidence;
}

std::vector<RaisedFlag> raised_flags(const RuleSet& rules, const Answers& answers) {
  std::vector<RaisedFlag> flags;
  for (const auto& flag : rules.red_flags) {
    if (flag.when.matches(answers)) {
      flags.push_back({flag.id, flag.level, flag.message, flag.sources, evidence_for(rules, flag.when, answers)});
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

CauseAssessment assess_cause(const RuleSet& rules, const Cause& cause, const Answers& answers) {
  CauseAssessment result{cause.id, cause.title, cause.summary, 0, Band::low, 0, {}, {}, {}};
  for (const auto& indicator : cause.indicators) {
    bool matched = indicator.when.matches(answers);
    result.indicators.push_back({indicator.id, indicator.because, indicator.weight, indicator.sources,
                                 evidence_for(rules, indicator.when, answers), matched});
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

Escalation escalate(const RuleSet& rules, const std::vector<RaisedFlag>& flags, const Answers& answers,
                    const Date& date) {
  if (!flags.empty()) {
    const RaisedFlag& first = flags.front();
    return {first.level, first.message, std::nullopt, first.sources};
  }
  const EscalationLevel& level = rules.routine.when->matches(answers) ? rules.routine : rules.self_care;
  Level name = &level == &rules.routine ? Level::routine : Level::self_care;
  return {name, level.message, date.plus_days(level.review_in_days), level.sources};
}

}  // namespace

Answers with_derived_values(const RuleSet& rules, const Answers& answers) {
  Answers all = answers;
  for (const auto& derived : rules.derived) {
    json value = derived.value.evaluate(all);
    if (!value.is_null()) all[derived.id] = std::move(value);
  }
  return all;
}

Assessment score(const RuleSet& rules, const Answers& answers, const Date& date) {
  Assessment assessment;
  assessment.rules_id = rules.id;
  assessment.rules_version = rules.version;
  assessment.rules_title = rules.title;
  assessment.date = date;
  assessment.answers = with_derived_values(rules, answers);
  assessment.red_flags = raised_flags(rules, assessment.answers);
  for (const auto& cause : rules.causes) {
    assessment.causes.push_back(assess_cause(rules, cause, assessment.answers));
  }
  rank(assessment.causes);
  assessment.escalation = escalate(rules, assessment.red_flags, assessment.answers, date);
  assessment.disclaimer = rules.disclaimer;
  assessment.not_covered = rules.not_covered;
  return assessment;
}

}  // namespace kneecheck
