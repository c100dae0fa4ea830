// plan: a six-week plan from an assessment: the exercise blocks its causes
// and answers call for, week by week; the running load, starting from the
// runner's own recent weeks; and the actions on shoes, form and rest. The
// content comes from the rule file's plan section; this unit only chooses
// and counts. The weekly check-in's decision moves the plan a step on, holds
// it, or steps it back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/date.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// What recorded runs add to the answers, when there are runs.
struct PlanRunFigures {
  std::optional<double> longest_previous_30_days_km;
  std::optional<double> cadence_spm;
};

enum class LoadStart {
  unknown,     // no weekly distance answered: no distance targets
  walk_run,    // not running now: the walk/run phases
  step_back,   // the distance jumped: back to the level before the jump first
  hold,        // build from where the runner is
};

struct ExerciseDose {
  const PlanExercise* exercise = nullptr;
  std::string dose;  // this step's
};

struct BlockSessions {
  const PlanBlock* block = nullptr;
  std::vector<ExerciseDose> exercises;  // those with a dose this step
};

// One step of the plan: a week when every check-in says "progress".
struct PlanStep {
  int number = 0;                             // 1-based
  std::optional<double> target_km;            // the week's distance; nullopt when unknown or walk/run
  std::optional<double> longest_run_km;       // the longest single run allowed, when known
  const WalkRunPhase* walk_run = nullptr;     // the phase, for a runner starting from nothing
  std::vector<BlockSessions> blocks;
};

struct Plan {
  // No plan while a red flag asks for a professional first; `why` says so.
  bool available = false;
  std::string why_not;
  Date start;   // the check-in day
  Date review;  // the last step's end: start + 7 × weeks days
  LoadStart load = LoadStart::unknown;
  double recent_km = 0;     // the latest week's distance, as answered
  double base_km = 0;       // where the load starts
  double peak_km = 0;       // the highest of the recent weeks: the build stops there
  std::vector<const PlanBlock*> blocks;
  std::vector<const PlanAction*> actions;
  std::vector<const PlanMeasure*> measures;
  std::optional<double> cadence_spm;  // the runner's own, from runs
  std::vector<PlanStep> steps;        // one per plan week
};

// REQUIRES: assessment.rules is the rule set scored against.
Plan build_plan(const Assessment& assessment, const PlanRunFigures& runs);

enum class PlanDecision { progress, hold, step_back };
std::string_view to_string(PlanDecision decision);  // "progress", "hold", "step_back"

// The check-in rule of the plan section over the check-in's answers (by id).
// REQUIRES: rules.plan.check_in.
PlanDecision decide(const RuleSet& rules, const nlohmann::json& check_in_answers);

// The week's function score from the check-in's answers to the rules'
// function_items: the mean of each answer's option position, 0 (no
// problem) to 100 (the worst). nullopt when none of them is answered.
std::optional<double> function_score(const RuleSet& rules, const nlohmann::json& check_in_answers);

// The step after `current` (1-based) once `decision` is made, within 1..steps.
int next_step(int current, PlanDecision decision, int steps);

}  // namespace kneecheck
