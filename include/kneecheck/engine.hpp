// engine: turns a rule set and a runner's answers into an Assessment: red
// flags, per-cause scores with the answers behind them, a deterministic
// ranking, and the escalation level. It formats nothing.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/date.hpp"
#include "kneecheck/interview.hpp"
#include "kneecheck/rules.hpp"

namespace kneecheck {

enum class Band { low, moderate, high };
std::string_view to_string(Band band);

// One answer (or derived value) that a condition read, and its value.
struct Evidence {
  std::string id;
  nlohmann::json value;  // null when unanswered
  std::string shown;     // the value as the runner chose it ("Stairs, Downhill"; "yes"; "40 km")
};

struct IndicatorResult {
  std::string id;
  std::string because;
  double weight = 0;
  std::vector<std::string> sources;
  std::vector<Evidence> evidence;  // the answers its condition read
  bool matched = false;
};
using MatchedIndicator = IndicatorResult;

struct AdviceItem {
  std::string text;
  std::vector<std::string> sources;
};

struct CauseAssessment {
  std::string id;
  std::string title;
  std::string summary;
  int score = 0;  // 0..100: matched weight as a share of the rule set's full_weight, capped
  Band band = Band::low;
  double matched_weight = 0;
  std::vector<MatchedIndicator> matched;
  std::vector<IndicatorResult> indicators;  // every indicator, matched or not, in rule-file order
  std::vector<AdviceItem> advice;           // general advice, then tips for matched indicators
};

struct RaisedFlag {
  std::string id;
  Level level = Level::urgent;
  std::string message;
  std::vector<std::string> sources;
  std::vector<Evidence> evidence;
};

struct Escalation {
  Level level = Level::self_care;
  std::string message;
  std::optional<Date> review_by;  // routine and self_care
  std::vector<std::string> sources;
};

// What scoring needs to know of an earlier check-in: the history variables
// (history.checkins, history.days_since_first, history.pain_change, ...)
// are computed from these. Only check-ins dated before the one being scored
// count.
struct PastCheckIn {
  Date date;
  std::optional<double> pain;
};

struct Assessment {
  std::string rules_id;
  std::string rules_version;
  std::string rules_title;
  Date date;
  Answers answers;                      // as given, plus derived values under their ids
  std::optional<double> pain;           // the answer to the rules' tracked_pain question, if any
  nlohmann::json history;               // the history variables as conditions read them (an object)
  std::vector<PastCheckIn> earlier;     // the check-ins dated before this one, oldest first
  std::vector<RaisedFlag> red_flags;    // most pressing first
  std::vector<CauseAssessment> causes;  // ranked, most likely first
  Escalation escalation;
  std::string disclaimer;
  std::vector<std::string> not_covered;

  // True when at least one indicator matched; otherwise no ranking is
  // meaningful and reports say so.
  bool any_cause_indicated() const;
};


// The check-ins of `past` dated before `date`, oldest first.
std::vector<PastCheckIn> earlier_check_ins(const std::vector<PastCheckIn>& past, const Date& date);

// The history variables (kHistoryVariables) for a check-in on `date` with
// tracked pain `pain`, from the check-ins in `past` dated before `date`.
nlohmann::json history_variables(const std::vector<PastCheckIn>& past, const Date& date, std::optional<double> pain);

// The answers plus the rule set's derived values, computed in order, as the
// conditions see them. A derived value that evaluates to null is left out.
Answers with_derived_values(const RuleSet& rules, const Answers& answers,
                            const nlohmann::json& history = nlohmann::json::object());

// REQUIRES: `answers` passed check_answers or came from an Interview.
Assessment score(const RuleSet& rules, const Answers& answers, const Date& date,
                 const std::vector<PastCheckIn>& past = {});

}  // namespace kneecheck
