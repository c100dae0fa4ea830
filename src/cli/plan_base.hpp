// cli/plan_base: where a plan stands, for the plan and checkin commands: the
// full check-in it is built from, the weekly check-ins since, and that
// check-in scored again with the rules in use. Private to cli/.
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/options.hpp"
#include "kneecheck/plan/plan.hpp"

namespace kneecheck {

struct PlanState {
  CheckIn base;                 // the latest check-in that was not a weekly plan check-in
  std::vector<CheckIn> weekly;  // the plan's weekly check-ins since, oldest first
  int step = 1;                 // the step the plan is on now
  int week() const { return static_cast<int>(weekly.size()) + 1; }
};

// Where the plan stands in `history`; an error saying what to run first when
// there is no check-in to build a plan from.
Result<PlanState> plan_state(const History& history);

// The answers to the rules' questions only (no derived values), without
// those whose question would not be asked given the others.
nlohmann::json question_answers(const RuleSet& rules, const nlohmann::json& answers);

// Scores answers for a plan: the assessment owns what it refers to.
struct ScoredForPlan {
  std::unique_ptr<Assessment> assessment;
};
Result<ScoredForPlan> score_for_plan(const RuleSet& rules, const nlohmann::json& answers, const Date& date,
                                     const std::vector<PastCheckIn>& past);

// The plan of an assessment, with the runs stored in the history (if any)
// adding the longest recent run and the cadence.
Plan plan_for(const Assessment& assessment, const History* history);

}  // namespace kneecheck
