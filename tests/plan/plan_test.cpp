#include "kneecheck/plan/plan.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/rules/rules.hpp"
#include "test_support.hpp"

namespace {

using nlohmann::json;
using kneecheck::LoadStart;
using kneecheck::PlanDecision;

// The default rules with a plan of known numbers, so that the arithmetic is
// checked apart from the rule data.
kneecheck::RuleSet rules_with_plan() {
  auto rules = kneecheck::load_default_rules();
  REQUIRE(rules.ok());
  kneecheck::RuleSet set = std::move(rules).value();
  kneecheck::PlanRules& plan = set.plan;
  plan.present = true;
  plan.weeks = 3;
  plan.exercises = {{"bridge", "Bridge", "Lift the hips.", {"10 × 2", "10 × 3", ""}, {"article"}},
                    {"plank", "Side plank", "Hold.", {"20 s × 2", "30 s × 2", "30 s × 3"}, {"article"}}};
  kneecheck::PlanBlock hips;
  hips.id = "hips";
  hips.title = "Hip strength";
  hips.causes = {"muscular_imbalances"};
  hips.exercises = {"bridge", "plank"};
  plan.blocks = {hips};
  kneecheck::PlanBlock feet;
  feet.id = "feet";
  feet.title = "Feet";
  feet.causes = {"inadequate_footwear"};
  feet.exercises = {"plank"};
  plan.blocks.push_back(feet);
  plan.load.walk_run = {{"Walk 3, run 2", 1.6}, {"Walk 2, run 3", 2.4}, {"Run 20 minutes", 3.2}};
  kneecheck::PlanCheckIn check_in;
  check_in.repeat = {"pain_running"};
  check_in.step_back_when = *kneecheck::logic::Expression::compile(json::parse(R"({">": [{"var": "pain_running"}, 5]})"));
  check_in.hold_when = *kneecheck::logic::Expression::compile(json::parse(R"({">": [{"var": "pain_running"}, 3]})"));
  plan.check_in = check_in;
  return set;
}

json answers_with_weeks(json weeks) {
  json answers = json::parse(kneecheck::testing::read_text(kneecheck::testing::fixture_path("plan/muscular_front.json")));
  const char* ids[] = {"km_week_1", "km_week_2", "km_week_3", "km_week_4"};
  for (std::size_t i = 0; i < 4; ++i) {
    if (i < weeks.size()) {
      answers[ids[i]] = weeks[i];
    } else {
      answers.erase(ids[i]);
    }
  }
  if (weeks.empty() || weeks[0] == 0) answers.erase("longest_run_change");
  return answers;
}

kneecheck::Plan plan_of(const kneecheck::RuleSet& rules, const json& answers, kneecheck::PlanRunFigures runs = {}) {
  auto checked = kneecheck::check_answers(rules, answers);
  INFO(answers.dump());
  REQUIRE(checked.errors.empty());
  auto assessment = kneecheck::score(rules, std::move(checked.answers), *kneecheck::Date::parse("2026-11-30"), {});
  return kneecheck::build_plan(assessment, runs);
}

}  // namespace

TEST_CASE("plan: a two-week jump steps back to the level before it first", "[plan]") {
  auto rules = rules_with_plan();
  // 30 + 28 against 20 + 18: 53 % more in two weeks, over the 30 % limit.
  auto plan = plan_of(rules, answers_with_weeks({30, 28, 20, 18}), {20.0, 170.0});
  REQUIRE(plan.available);
  CHECK(plan.load == LoadStart::step_back);
  CHECK(plan.base_km == 19);  // (20 + 18) / 2
  REQUIRE(plan.steps.size() == 3);
  CHECK(plan.steps[0].target_km == 19);
  CHECK(plan.steps[1].target_km == 21.5);  // 19 × 1.14, to the half km
  CHECK(plan.steps[2].target_km == 24.5);
  CHECK(plan.steps[0].longest_run_km == 22);   // 110 % of 20 km
  CHECK(plan.steps[1].longest_run_km == 24);   // 110 % of 22 km, to the half km
  CHECK(plan.cadence_spm == 170);
}

TEST_CASE("plan: without a jump the load holds, then builds no further than the recent peak", "[plan]") {
  auto rules = rules_with_plan();
  auto plan = plan_of(rules, answers_with_weeks({20, 22, 21, 20}));
  CHECK(plan.load == LoadStart::hold);
  CHECK(plan.steps[0].target_km == 20);
  CHECK(plan.steps[1].target_km == 22);  // 22.8 would pass the peak of 22
  CHECK(plan.steps[2].target_km == 22);
  CHECK_FALSE(plan.steps[0].longest_run_km.has_value());  // no runs: no figure to take 110 % of
}

TEST_CASE("plan: a runner at 0 km starts the walk/run phases; no distance given sets no targets", "[plan]") {
  auto rules = rules_with_plan();
  auto walking = plan_of(rules, answers_with_weeks({0, 10, 10, 10}));
  CHECK(walking.load == LoadStart::walk_run);
  REQUIRE(walking.steps[0].walk_run != nullptr);
  CHECK(walking.steps[0].walk_run->km == 1.6);
  CHECK(walking.steps[2].walk_run->text == "Run 20 minutes");
  CHECK_FALSE(walking.steps[0].target_km.has_value());

  auto unknown = plan_of(rules, answers_with_weeks(json::array()));
  CHECK(unknown.load == LoadStart::unknown);
  CHECK_FALSE(unknown.steps[0].target_km.has_value());
}

TEST_CASE("plan: blocks follow the causes, doses the week, and an empty dose leaves the exercise out", "[plan]") {
  auto rules = rules_with_plan();
  auto plan = plan_of(rules, answers_with_weeks({20, 22, 21, 20}));
  REQUIRE(plan.blocks.size() == 1);  // muscular imbalances, not footwear
  CHECK(plan.blocks[0]->id == "hips");
  REQUIRE(plan.steps[0].blocks.size() == 1);
  REQUIRE(plan.steps[0].blocks[0].exercises.size() == 2);
  CHECK(plan.steps[0].blocks[0].exercises[0].dose == "10 × 2");
  REQUIRE(plan.steps[2].blocks[0].exercises.size() == 1);
  CHECK(plan.steps[2].blocks[0].exercises[0].exercise->id == "plank");
}

TEST_CASE("plan: a red flag that needs a professional means no plan, and says why", "[plan]") {
  auto rules = rules_with_plan();
  json answers = answers_with_weeks({20, 22, 21, 20});
  answers["leg_use"] = "cannot_bear_weight";
  auto plan = plan_of(rules, answers);
  CHECK_FALSE(plan.available);
  CHECK_THAT(plan.why_not, Catch::Contains("Be seen first"));
  CHECK(plan.steps.empty());
}

TEST_CASE("plan: the check-in rule decides progress, hold or step back, within the plan's weeks", "[plan]") {
  auto rules = rules_with_plan();
  CHECK(kneecheck::decide(rules, {{"pain_running", 2}}) == PlanDecision::progress);
  CHECK(kneecheck::decide(rules, {{"pain_running", 4}}) == PlanDecision::hold);
  CHECK(kneecheck::decide(rules, {{"pain_running", 7}}) == PlanDecision::step_back);
  CHECK(kneecheck::next_step(1, PlanDecision::progress, 3) == 2);
  CHECK(kneecheck::next_step(3, PlanDecision::progress, 3) == 3);
  CHECK(kneecheck::next_step(2, PlanDecision::hold, 3) == 2);
  CHECK(kneecheck::next_step(2, PlanDecision::step_back, 3) == 1);
  CHECK(kneecheck::next_step(1, PlanDecision::step_back, 3) == 1);
}

TEST_CASE("plan: the week's function score is the mean position of the function answers", "[plan]") {
  const auto& rules = kneecheck::testing::default_rules();
  REQUIRE(rules.plan.check_in);
  REQUIRE(rules.plan.check_in->function_items.size() == 4);
  // 0 (first of 4), 25 (second of 5), 0, 33.3 (second of 4): mean 14.6.
  json answers = {{"running_as_planned", "fully_no_trouble"}, {"running_cut_back", "a_little"},
                  {"running_held_back", "none"}, {"knee_bother", "mild"}, {"pain_running", 2}};
  CHECK(kneecheck::function_score(rules, answers) == 15);
  json worst = {{"running_as_planned", "not_at_all"}, {"running_cut_back", "could_not_run"},
                {"running_held_back", "could_not_run"}, {"knee_bother", "severe"}};
  CHECK(kneecheck::function_score(rules, worst) == 100);
  CHECK_FALSE(kneecheck::function_score(rules, json{{"pain_running", 2}}).has_value());
}
