#include "kneecheck/engine/engine.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "kneecheck/answers/flags.hpp"

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

std::string_view to_string(Withheld withheld) {
  switch (withheld) {
    case Withheld::none: return "none";
    case Withheld::load: return "load";
    case Withheld::all: return "all";
  }
  return "?";
}

void Evidence::add_relevant(std::span<const std::string> options) {
  if (options.empty() || relevant_lists == kMaxRelevantLists) {
    whole_answer = true;
    return;
  }
  for (std::size_t i = 0; i < relevant_lists; ++i) {
    if (relevant[i].data() == options.data()) return;
  }
  relevant[relevant_lists++] = options;
}

bool Evidence::is_relevant(std::size_t i) const {
  const logic::Value item = value[i];
  if (item.type() != logic::Value::Type::string) return false;
  for (std::size_t list = 0; list < relevant_lists; ++list) {
    if (std::find(relevant[list].begin(), relevant[list].end(), item.as_string()) != relevant[list].end()) return true;
  }
  return false;
}

bool Evidence::filters_items() const {
  if (whole_answer || relevant_lists == 0 || value.type() != logic::Value::Type::array) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (is_relevant(i)) return true;
  }
  return false;  // none of the chosen options is compared with: show them all
}

const IndicatorResult* CauseAssessment::strongest_reason() const {
  const IndicatorResult* best = nullptr;
  for (const IndicatorResult* indicator : matched) {
    if (best == nullptr || indicator->points > best->points) best = indicator;
  }
  return best;
}

bool Assessment::any_cause_indicated() const {
  return std::any_of(causes.begin(), causes.end(), [](const CauseAssessment& cause) { return !cause.matched.empty(); });
}

std::vector<std::pair<std::string_view, logic::Value>> Assessment::answers() const {
  std::vector<std::pair<std::string_view, logic::Value>> list;
  const auto& names = inputs.slots().by_name();
  list.reserve(names.size());
  for (const auto& [name, slot] : names) {
    if (name == kHistoryObject) continue;
    if (std::optional<logic::Value> value = inputs.get(slot)) list.emplace_back(name, *value);
  }
  return list;
}

json Assessment::answers_json() const {
  json object = json::object();
  for (const auto& [id, value] : answers()) object[std::string(id)] = value.to_json();
  return object;
}

namespace {

// The value behind one variable a condition read, which names `slot`: an
// answer, or a history variable, shown under its full name
// ("history.pain_change", a view of `path`, which the condition holds).
Evidence looked_up(const RuleSet& rules, std::string_view path, std::size_t slot, const logic::Data& inputs) {
  if (slot == logic::SlotNames::npos) return {path.substr(0, path.find('.')), nullptr, logic::Value(), {}};
  std::string_view id = rules.slots.names()[slot];  // the rule set's own copy, which reports know
  std::optional<logic::Value> value = inputs.get(slot);
  if (id != kHistoryObject) return {id, rules.question_in_slot(slot), value.value_or(logic::Value()), {}};
  std::string_view member = path.size() > id.size() ? path.substr(id.size() + 1) : "";
  std::optional<logic::Value> variable = value ? value->find(member) : std::nullopt;
  return {path, nullptr, variable.value_or(logic::Value()), {}};
}

// The answers a condition read: what a runner needs to see to understand why.
// `relevant`: the options the alternative compares with; an answer that an
// earlier alternative read too shows the options of both.
void add_evidence(List<Evidence>& evidence, const RuleSet& rules, const logic::Expression& condition,
                  std::optional<std::span<const std::string>> relevant, const logic::Data& inputs) {
  const auto& paths = condition.variables();
  const auto& slots = condition.variable_slots();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Evidence read = looked_up(rules, paths[i], slots[i], inputs);
    // Ids are views of the rule set's names or of the condition's paths, so
    // the same id is the same view ("a.b" and "a.c" both read "a").
    auto seen = std::find_if(evidence.begin(), evidence.end(), [&](const Evidence& item) {
      return item.id.data() == read.id.data() && item.id.size() == read.id.size();
    });
    Evidence& item = seen == evidence.end() ? evidence.emplace_back(read) : *seen;
    if (relevant) item.add_relevant(*relevant);
  }
}

// For a condition that holds: the answers read by its alternatives that
// hold, and no others, so that no reason quotes a value that did not count.
// For one that does not: every answer it read.
List<Evidence> evidence_for(const RuleSet& rules, const Condition& condition, bool holds, const logic::Data& inputs,
                            std::pmr::memory_resource* memory) {
  List<Evidence> evidence(memory);
  if (!holds) {
    add_evidence(evidence, rules, condition.when, std::nullopt, inputs);
    return evidence;
  }
  for (const auto& alternative : condition.alternatives) {
    // The only alternative holds, as the whole does: no need to ask again.
    if (condition.alternatives.size() == 1 || alternative.when.matches(inputs)) add_evidence(evidence, rules, alternative.when, alternative.literals, inputs);
  }
  return evidence;
}

List<RaisedFlag> raised_flags(const RuleSet& rules, const logic::Data& inputs, std::pmr::memory_resource* memory) {
  List<RaisedFlag> flags(memory);
  for (const RedFlag* flag : raised_red_flags(rules, inputs)) {
    flags.push_back({flag->id, flag->title, flag->level, flag->message, flag->sources,
                     evidence_for(rules, flag->when, true, inputs, memory), flag->withholds_load_advice});
  }
  std::stable_sort(flags.begin(), flags.end(),
                   [](const RaisedFlag& a, const RaisedFlag& b) { return a.level < b.level; });
  return flags;
}

// REQUIRES: `indicators` are the results of the advice's cause, in order.
bool advice_applies(const Advice& advice, const List<IndicatorResult>& indicators) {
  if (advice.for_indicators.empty()) return true;
  return std::any_of(advice.indicator_positions.begin(), advice.indicator_positions.end(),
                     [&](std::size_t position) { return indicators[position].matched; });
}

// The points an indicator counts when its condition holds; 0 when graded
// points give no number above 0.
double points_of(const Indicator& indicator, const logic::Data& inputs) {
  if (!indicator.graded_points) return indicator.points;
  thread_local logic::Scratch scratch;
  logic::Value value = indicator.graded_points->evaluate(inputs, scratch);
  if (value.type() != logic::Value::Type::number || !(value.as_number() > 0)) return 0;
  return std::min(value.as_number(), kMaxPoints);
}

bool withholds(Withheld withheld, const Advice& advice) {
  return withheld == Withheld::all || (withheld == Withheld::load && advice.load);
}

CauseAssessment assess_cause(const RuleSet& rules, const Cause& cause, const logic::Data& inputs,
                             const ScoreOptions& options, Withheld withheld, std::pmr::memory_resource* memory) {
  CauseAssessment result(memory);
  result.id = cause.id;
  result.title = cause.title;
  result.summary = cause.summary;
  result.sources = cause.sources;
  result.indicators.reserve(cause.indicators.size());  // `matched` points into it
  result.matched.reserve(cause.indicators.size());
  result.advice.reserve(cause.advice.size());
  bool applies = !cause.applies_if || cause.applies_if->matches(inputs);
  for (const auto& indicator : cause.indicators) {
    double points = applies && indicator.when.matches(inputs) ? points_of(indicator, inputs) : 0;
    bool matched = points > 0;
    List<Evidence> evidence(memory);
    if (matched || options.evidence_of_unmatched) evidence = evidence_for(rules, indicator.when, matched, inputs, memory);
    result.indicators.push_back({indicator.id, indicator.because, points, indicator.sources, std::move(evidence), matched});
    if (!matched) continue;
    result.matched_points += points;
    result.strongest = std::max(result.strongest, points);
    result.matched.push_back(&result.indicators.back());
  }
  double share = std::min(1.0, result.matched_points / rules.scoring.full_weight);
  result.score = static_cast<int>(std::lround(100.0 * share));
  // General advice first, then the tips tied to what matched.
  for (bool specific : {false, true}) {
    for (const auto& advice : cause.advice) {
      if (advice.for_indicators.empty() == specific || !advice_applies(advice, result.indicators)) continue;
      if (withholds(withheld, advice)) continue;
      result.advice.push_back({advice.text, advice.sources, advice.load});
    }
  }
  return result;
}

// Whether `a` comes before `b`: the higher score, then the stronger single
// indicator, then more indicators matched.
bool ranks_before(const CauseAssessment& a, const CauseAssessment& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.strongest != b.strongest) return a.strongest > b.strongest;
  return a.matched.size() > b.matched.size();
}

bool level(const CauseAssessment& a, const CauseAssessment& b) {
  return !ranks_before(a, b) && !ranks_before(b, a);
}

// Causes still equal after every tie-break are level: they share a rank and
// keep the order of the rule file (stable_sort).
void rank_causes(List<CauseAssessment>& causes) {
  std::stable_sort(causes.begin(), causes.end(), ranks_before);
  for (std::size_t i = 0; i < causes.size(); ++i) {
    causes[i].level_with_previous = i > 0 && level(causes[i - 1], causes[i]);
    causes[i].rank = causes[i].level_with_previous ? causes[i - 1].rank : static_cast<int>(i) + 1;
  }
}

// "high" only for a cause the evidence points to strongly and clearly more
// than to any other: its score reaches the high band and leads every other
// cause by the rules' lead.
void assign_bands(List<CauseAssessment>& causes, const Scoring& scoring) {
  for (std::size_t i = 0; i < causes.size(); ++i) {
    CauseAssessment& cause = causes[i];
    int best_other = 0;
    for (std::size_t j = 0; j < causes.size(); ++j) {
      if (j != i) best_other = std::max(best_other, causes[j].score);
    }
    if (cause.score >= scoring.high && cause.score - best_other >= scoring.lead) {
      cause.band = Band::high;
    } else if (cause.score >= scoring.moderate) {
      cause.band = Band::moderate;
    } else {
      cause.band = Band::low;
    }
  }
}

Withheld withheld_by(const List<RaisedFlag>& flags) {
  Withheld withheld = Withheld::none;
  for (const auto& flag : flags) {
    if (flag.level == Level::urgent) return Withheld::all;
    if (flag.withholds_load_advice) withheld = Withheld::load;
  }
  return withheld;
}

void escalate(const RuleSet& rules, const List<RaisedFlag>& flags, const logic::Data& data, const Date& date,
              Escalation& escalation, std::pmr::memory_resource* memory) {
  if (!flags.empty()) {
    const RaisedFlag& first = flags.front();
    escalation.level = first.level;
    escalation.message = first.message;
    escalation.review_by = std::nullopt;
    escalation.sources = first.sources;
    return;
  }
  for (const auto& reason : rules.routine.reasons) {
    if (!reason.when.matches(data)) continue;
    escalation.reasons.push_back({reason.id, reason.text, reason.sources, evidence_for(rules, reason.when, true, data, memory)});
  }
  const EscalationLevel& level = escalation.reasons.empty() ? rules.self_care : rules.routine;
  escalation.level = escalation.reasons.empty() ? Level::self_care : Level::routine;
  escalation.message = level.message;
  escalation.review_by = date.plus_days(level.review_in_days);
  escalation.sources = level.sources;
}

// The leading causes, and what to do this week (Summary says which).
void summarise(Assessment& assessment) {
  Summary& summary = assessment.summary;
  if (assessment.withheld == Withheld::all) return;
  auto add = [&](const AdviceItem& item) {
    if (summary.actions.size() == kMaxActions) return;
    bool repeated = std::any_of(summary.actions.begin(), summary.actions.end(),
                                [&](const AdviceItem& chosen) { return chosen.text == item.text; });
    if (!repeated) summary.actions.push_back(item);
  };
  if (!assessment.any_cause_indicated()) {
    for (const auto& item : assessment.general_advice) add(item);
    return;
  }
  const auto& causes = assessment.causes;
  for (std::size_t i = 0; i < causes.size() && causes[i].rank == 1; ++i) summary.leading.push_back(i);
  // Round by round: the first items of the leading causes, then their second
  // ones, ...; then the same for the other causes pointed to.
  auto take_in_rounds = [&](std::size_t from, std::size_t to) {
    for (std::size_t round = 0; summary.actions.size() < kMaxActions; ++round) {
      bool any = false;
      for (std::size_t i = from; i < to; ++i) {
        if (round < causes[i].advice.size()) {
          any = true;
          add(causes[i].advice[round]);
        }
      }
      if (!any) break;
    }
  };
  take_in_rounds(0, summary.leading.size());
  std::size_t indicated = 0;
  while (indicated < causes.size() && !causes[indicated].matched.empty()) ++indicated;
  take_in_rounds(summary.leading.size(), indicated);
}

std::optional<double> tracked_pain(const RuleSet& rules, const logic::Data& answers) {
  if (rules.tracked_pain.empty()) return std::nullopt;
  std::optional<logic::Value> pain = answers.get(rules.slots.find(rules.tracked_pain));
  if (!pain || pain->type() != logic::Value::Type::number) return std::nullopt;
  return pain->as_number();
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

Assessment score(const RuleSet& rules, logic::Data answers, const Date& date, const std::vector<PastCheckIn>& past,
                 const ScoreOptions& options) {
  Assessment assessment;
  assessment.rules_id = rules.id;
  assessment.rules_version = rules.version;
  assessment.rules_title = rules.title;
  assessment.date = date;
  assessment.pain = tracked_pain(rules, answers);
  assessment.earlier = earlier_check_ins(past, date);
  assessment.history = variables_of_earlier(assessment.earlier, date, assessment.pain);
  assessment.inputs = std::move(answers);
  const logic::Data& inputs = assessment.inputs;
  assessment.inputs.set(rules.slots.find(kHistoryObject), assessment.history);
  add_derived_values(rules, assessment.inputs);
  std::pmr::memory_resource* memory = assessment.memory.get();
  assessment.red_flags = raised_flags(rules, inputs, memory);
  assessment.withheld = withheld_by(assessment.red_flags);
  assessment.causes.reserve(rules.causes.size());
  for (const auto& cause : rules.causes) {
    assessment.causes.push_back(assess_cause(rules, cause, inputs, options, assessment.withheld, memory));
  }
  rank_causes(assessment.causes);
  assign_bands(assessment.causes, rules.scoring);
  escalate(rules, assessment.red_flags, inputs, date, assessment.escalation, memory);
  if (!assessment.any_cause_indicated()) {
    for (const auto& advice : rules.general_advice) {
      if (!withholds(assessment.withheld, advice)) assessment.general_advice.push_back({advice.text, advice.sources, advice.load});
    }
  }
  summarise(assessment);
  assessment.disclaimer = rules.disclaimer;
  assessment.not_covered = rules.not_covered;
  assessment.rules = &rules;
  return assessment;
}

CheckIn check_in_of(const Assessment& assessment) {
  CheckIn check_in;
  check_in.date = assessment.date;
  check_in.pain = assessment.pain;
  for (const auto& cause : assessment.causes) check_in.scores.push_back({std::string(cause.id), std::string(cause.title), cause.score});
  check_in.any_cause_indicated = assessment.any_cause_indicated();
  for (const auto& flag : assessment.red_flags) check_in.red_flags.emplace_back(flag.id);
  check_in.escalation = assessment.escalation.level;
  check_in.rules_id = assessment.rules_id;
  check_in.rules_version = assessment.rules_version;
  check_in.answers = assessment.answers_json();
  return check_in;
}

}  // namespace kneecheck
