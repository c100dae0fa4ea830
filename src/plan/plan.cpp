#include "kneecheck/plan/plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace kneecheck {

namespace {

std::optional<double> number_answer(const Assessment& assessment, std::string_view id) {
  auto value = assessment.inputs.get(assessment.rules->slots.find(id));
  if (!value || value->type() != logic::Value::Type::number) return std::nullopt;
  return value->as_number();
}

// The red flags that want a professional before any plan.
std::optional<std::string> reason_for_no_plan(const Assessment& assessment) {
  for (const auto& flag : assessment.red_flags) {
    if (flag.level != Level::urgent && flag.level != Level::soon) continue;
    std::string what = flag.title.empty() ? std::string(flag.message) : std::string(flag.title);
    return fmt::format("Be seen first: {}. {} A plan to return to running follows once a professional has "
                       "examined the knee.",
                       what, flag.level == Level::urgent ? "Get the knee seen today." : "See a professional within days.");
  }
  return std::nullopt;
}

bool cause_indicated(const Assessment& assessment, const std::vector<std::string>& causes) {
  for (const auto& cause : assessment.causes) {
    if (cause.matched.empty() || cause.band == Band::low) continue;
    if (std::find(causes.begin(), causes.end(), cause.id) != causes.end()) return true;
  }
  return false;
}

// Causes and a condition, either or both, as PlanBlock and PlanAction give them.
bool chosen(const Assessment& assessment, const std::vector<std::string>& causes,
            const std::optional<logic::Expression>& when) {
  bool by_causes = causes.empty() || cause_indicated(assessment, causes);
  bool by_answers = !when || when->matches(assessment.inputs);
  return by_causes && by_answers && (!causes.empty() || when);
}

// The weekly distances answered, the latest first; stops at the first
// week not answered.
std::vector<double> recent_weeks(const Assessment& assessment) {
  std::vector<double> weeks;
  for (const auto& id : assessment.rules->weekly_distance) {
    auto km = number_answer(assessment, id);
    if (!km) break;
    weeks.push_back(*km);
  }
  return weeks;
}

double mean(std::span<const double> values) {
  double sum = 0;
  for (double value : values) sum += value;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

// The two-week rise of the latest weeks over the two before, in percent.
std::optional<double> two_week_rise_pct(const std::vector<double>& weeks) {
  if (weeks.size() < 4) return std::nullopt;
  double before = weeks[2] + weeks[3];
  if (before <= 0) return std::nullopt;
  return ((weeks[0] + weeks[1]) / before - 1) * 100;
}

double round_km(double km) { return std::round(km * 2) / 2; }  // half kilometres: what a runner can aim for

struct LoadPath {
  LoadStart start = LoadStart::unknown;
  double recent = 0;
  double base = 0;
  double peak = 0;
};

LoadPath load_path(const Assessment& assessment, const PlanLoad& limits) {
  LoadPath path;
  auto weeks = recent_weeks(assessment);
  if (weeks.empty()) return path;
  path.recent = weeks.front();
  path.peak = *std::max_element(weeks.begin(), weeks.end());
  if (path.recent <= 0) {
    path.start = LoadStart::walk_run;
    return path;
  }
  auto rise = two_week_rise_pct(weeks);
  if (rise && *rise > limits.two_week_increase_max_pct) {
    // Back to the level of the two weeks before the rise.
    path.start = LoadStart::step_back;
    path.base = round_km(mean(std::span(weeks).subspan(2, 2)));
    path.peak = path.recent;
    return path;
  }
  path.start = LoadStart::hold;
  path.base = round_km(path.recent);
  return path;
}

// Each two weeks at most two_week_increase_max_pct more than the two before:
// a steady weekly rate does that.
double weekly_growth(const PlanLoad& limits) { return std::sqrt(1 + limits.two_week_increase_max_pct / 100) - 1; }

std::vector<BlockSessions> sessions_for_step(const std::vector<const PlanBlock*>& blocks, const PlanRules& plan,
                                             std::size_t step_index) {
  std::vector<BlockSessions> sessions;
  for (const PlanBlock* block : blocks) {
    BlockSessions session{block, {}};
    for (const auto& id : block->exercises) {
      const PlanExercise* exercise = plan.find_exercise(id);
      if (exercise == nullptr || step_index >= exercise->doses.size() || exercise->doses[step_index].empty()) continue;
      session.exercises.push_back({exercise, exercise->doses[step_index]});
    }
    if (!session.exercises.empty()) sessions.push_back(std::move(session));
  }
  return sessions;
}

std::vector<PlanStep> plan_steps(const Plan& plan, const PlanRules& rules, const PlanRunFigures& runs) {
  std::vector<PlanStep> steps;
  double target = plan.base_km;
  double growth = weekly_growth(rules.load);
  std::optional<double> longest;
  if (runs.longest_previous_30_days_km && *runs.longest_previous_30_days_km > 0) {
    longest = *runs.longest_previous_30_days_km * rules.load.single_run_max_pct / 100;
  }
  for (int week = 1; week <= rules.weeks; ++week) {
    PlanStep step;
    step.number = week;
    auto index = static_cast<std::size_t>(week - 1);
    if (plan.load == LoadStart::walk_run && index < rules.load.walk_run.size()) {
      step.walk_run = &rules.load.walk_run[index];
    } else if (plan.load == LoadStart::hold || plan.load == LoadStart::step_back) {
      step.target_km = round_km(target);
      target = std::min(std::max(plan.peak_km, plan.base_km), target * (1 + growth));
      if (longest) {
        step.longest_run_km = round_km(*longest);
        longest = *longest * rules.load.single_run_max_pct / 100;
      }
    }
    step.blocks = sessions_for_step(plan.blocks, rules, index);
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

Plan build_plan(const Assessment& assessment, const PlanRunFigures& runs) {
  const RuleSet& rules = *assessment.rules;
  Plan plan;
  plan.start = assessment.date;
  plan.review = assessment.date.plus_days(7 * rules.plan.weeks);
  if (!rules.plan.present) {
    plan.why_not = "The rule file has no plan section.";
    return plan;
  }
  if (auto reason = reason_for_no_plan(assessment)) {
    plan.why_not = *reason;
    return plan;
  }
  plan.available = true;
  for (const auto& block : rules.plan.blocks) {
    if (chosen(assessment, block.causes, block.when)) plan.blocks.push_back(&block);
  }
  for (const auto& action : rules.plan.actions) {
    if (chosen(assessment, action.causes, action.when)) plan.actions.push_back(&action);
  }
  for (const auto& measure : rules.plan.measures) plan.measures.push_back(&measure);
  plan.cadence_spm = runs.cadence_spm;
  LoadPath path = load_path(assessment, rules.plan.load);
  plan.load = path.start;
  plan.recent_km = path.recent;
  plan.base_km = path.base;
  plan.peak_km = path.peak;
  plan.steps = plan_steps(plan, rules.plan, runs);
  return plan;
}

std::string_view to_string(PlanDecision decision) {
  switch (decision) {
    case PlanDecision::progress: return "progress";
    case PlanDecision::hold: return "hold";
    case PlanDecision::step_back: return "step_back";
  }
  return "hold";
}

PlanDecision decide(const RuleSet& rules, const nlohmann::json& check_in_answers) {
  const PlanCheckIn& check_in = *rules.plan.check_in;
  if (check_in.step_back_when.matches(check_in_answers)) return PlanDecision::step_back;
  if (check_in.hold_when.matches(check_in_answers)) return PlanDecision::hold;
  return PlanDecision::progress;
}

std::optional<double> function_score(const RuleSet& rules, const nlohmann::json& check_in_answers) {
  if (!rules.plan.check_in) return std::nullopt;
  double sum = 0;
  int answered = 0;
  for (const auto& id : rules.plan.check_in->function_items) {
    auto answer = check_in_answers.find(id);
    if (answer == check_in_answers.end() || !answer->is_string()) continue;
    const auto& questions = rules.plan.check_in->questions;
    auto question = std::find_if(questions.begin(), questions.end(), [&](const Question& q) { return q.id == id; });
    if (question == questions.end() || question->options.size() < 2) continue;
    const Option* option = question->find_option(answer->get_ref<const std::string&>());
    if (option == nullptr) continue;
    auto position = static_cast<double>(option - question->options.data());
    sum += 100.0 * position / static_cast<double>(question->options.size() - 1);
    ++answered;
  }
  if (answered == 0) return std::nullopt;
  return std::round(sum / answered);
}

int next_step(int current, PlanDecision decision, int steps) {
  int next = current;
  if (decision == PlanDecision::progress) next = current + 1;
  if (decision == PlanDecision::step_back) next = current - 1;
  return std::clamp(next, 1, std::max(1, steps));
}

}  // namespace kneecheck
