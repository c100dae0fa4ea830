#include "cli/plan_base.hpp"

#include <fmt/format.h>

#include "kneecheck/interview/suggestions.hpp"

namespace kneecheck {

Result<PlanState> plan_state(const History& history) {
  auto all = history.check_ins();
  if (!all) return all.error();
  PlanState state;
  bool found = false;
  for (auto& check_in : *all) {
    if (!check_in.plan_step) {
      state.base = std::move(check_in);
      state.weekly.clear();
      found = true;
    } else if (found) {
      state.weekly.push_back(std::move(check_in));
    }
  }
  if (!found) {
    return Error{"there is no check-in to build a plan from: answer the questions first ('kneecheck'), or give "
                 "--answers FILE"};
  }
  if (!state.weekly.empty()) state.step = *state.weekly.back().plan_step;
  return state;
}

nlohmann::json question_answers(const RuleSet& rules, const nlohmann::json& answers) {
  nlohmann::json kept = nlohmann::json::object();
  for (const auto& question : rules.questions) {
    auto it = answers.find(question.id);
    if (it == answers.end() || it->is_null()) continue;
    if (!is_asked(question, kept)) continue;
    kept[question.id] = *it;
  }
  return kept;
}

Result<ScoredForPlan> score_for_plan(const RuleSet& rules, const nlohmann::json& answers, const Date& date,
                                     const std::vector<PastCheckIn>& past) {
  auto checked = check_answers(rules, question_answers(rules, answers));
  if (!checked.errors.empty()) {
    const auto& first = checked.errors.front();
    return Error{fmt::format("the check-in's answers do not fit these rules: {} {}", first.pointer, first.message)};
  }
  return ScoredForPlan{std::make_unique<Assessment>(score(rules, std::move(checked.answers), date, past))};
}

Plan plan_for(const Assessment& assessment, const History* history) {
  PlanRunFigures figures;
  if (history != nullptr) {
    if (auto stored = history->runs(); stored && !stored->empty()) {
      nlohmann::json all = run_figures(*stored, assessment.date);
      if (all["longest_previous_30_days_km"].is_number()) {
        figures.longest_previous_30_days_km = all["longest_previous_30_days_km"].get<double>();
      }
      if (all["cadence_spm"].is_number()) figures.cadence_spm = all["cadence_spm"].get<double>();
    }
  }
  return build_plan(assessment, figures);
}

}  // namespace kneecheck
