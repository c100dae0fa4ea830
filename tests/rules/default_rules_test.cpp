// The default rules as a whole, beyond what each scenario case in data/cases
// checks on its own (ctest default_rule_scenarios runs those): every cause
// leads some case, a red flag escalates whatever else is answered, every
// part names its source, and reasons quote only what made them hold.
#include <algorithm>
#include <filesystem>
#include <set>

#include <catch2/catch.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"
#include "kneecheck/authoring/scenario.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

using kneecheck::testing::default_rules;

// The default rules' scenario cases, by name.
const std::map<std::string, kneecheck::ScenarioCase>& cases() {
  static const auto all = [] {
    std::map<std::string, kneecheck::ScenarioCase> by_name;
    auto files = kneecheck::collect_case_files({std::string(KNEECHECK_SOURCE_DIR) + "/data/cases"});
    if (!files) throw std::runtime_error(files.error().message);
    for (const auto& file : *files) {
      for (auto& scenario : kneecheck::read_cases(file)) by_name.emplace(scenario.name, std::move(scenario));
    }
    return by_name;
  }();
  return all;
}

kneecheck::Assessment assess(const json& answers) {
  auto check = kneecheck::check_answers(default_rules(), answers);
  INFO((check.errors.empty() ? "" : check.errors[0].pointer + " " + check.errors[0].message));
  REQUIRE(check.errors.empty());
  return kneecheck::score(default_rules(), std::move(check.answers), kneecheck::Date{2026, 11, 25});
}

const kneecheck::IndicatorResult* matched(const kneecheck::Assessment& assessment, std::string_view id) {
  for (const auto& cause : assessment.causes) {
    for (const kneecheck::IndicatorResult* indicator : cause.matched) {
      if (indicator->id == id) return indicator;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each of the six causes leads at least two scenario cases", "[default-rules]") {
  REQUIRE(cases().size() >= 90);
  for (const auto& cause : default_rules().causes) {
    auto tops = std::count_if(cases().begin(), cases().end(), [&](const auto& entry) {
      const auto& top = entry.second.expect.top;
      return top && top->cause == cause.id;
    });
    INFO(cause.id);
    CHECK(tops >= 2);
  }
}

TEST_CASE("a red flag escalates whatever else is answered", "[default-rules]") {
  // Every red-flag case's answers that raise its flag, laid over every case
  // that points at a cause: the flag must still lead.
  int combinations = 0;
  for (const auto& [flag_name, flag_case] : cases()) {
    if (!flag_name.starts_with("red_flag_")) continue;
    auto flagged = assess(flag_case.answers);
    REQUIRE_FALSE(flagged.red_flags.empty());
    const auto& raised = flagged.red_flags.front();
    for (const auto& [cause_name, cause_case] : cases()) {
      if (!cause_name.starts_with("top_")) continue;
      json answers = cause_case.answers;
      for (const auto& evidence : raised.evidence) {
        std::string id(evidence.id);
        if (flag_case.answers.contains(id)) answers[id] = flag_case.answers[id];
      }
      auto check = kneecheck::check_answers(default_rules(), answers);
      if (!check.errors.empty()) continue;  // the combination asks different follow-ups
      auto assessment = kneecheck::score(default_rules(), std::move(check.answers), kneecheck::Date{2026, 11, 25});
      ++combinations;
      INFO(flag_name << " over " << cause_name);
      REQUIRE_FALSE(assessment.red_flags.empty());
      CHECK(assessment.escalation.level <= raised.level);
      CHECK(assessment.red_flags.front().level <= raised.level);
      if (raised.level == kneecheck::Level::urgent) CHECK(assessment.withheld == kneecheck::Withheld::all);
    }
  }
  CHECK(combinations >= 250);
}

TEST_CASE("every cause, indicator, red flag, reason and advice names a source the file lists", "[default-rules]") {
  const auto& rules = default_rules();
  CHECK(rules.causes.size() == 6);
  for (const auto& cause : rules.causes) {
    CHECK(cause.indicators.size() >= 4);
    CHECK_FALSE(cause.sources.empty());
    for (const auto& indicator : cause.indicators) CHECK_FALSE(indicator.sources.empty());
    for (const auto& advice : cause.advice) CHECK_FALSE(advice.sources.empty());
  }
  for (const auto& flag : rules.red_flags) {
    CHECK_FALSE(flag.sources.empty());
    CHECK_FALSE(flag.title.empty());
  }
  for (const auto& reason : rules.routine.reasons) CHECK_FALSE(reason.sources.empty());
  CHECK_FALSE(rules.general_advice.empty());
}

TEST_CASE("a runner with nothing unusual answers about 25 questions", "[default-rules]") {
  // all_clear: a 34-year-old, pain for 1-2 weeks that came on gradually,
  // no warning sign. Follow-ups are asked only where they apply.
  const auto& answers = cases().at("all_clear").answers;
  CHECK(answers.size() <= 27);
  CHECK(default_rules().questions.size() <= 40);
}

TEST_CASE("a distance jump quotes the two-week increase, not the load ratio", "[default-rules]") {
  json answers = cases().at("top_overuse_training_errors_1").answers;
  answers["km_week_1"] = 40;
  answers["km_week_2"] = 30;
  answers["km_week_3"] = 20;
  answers["km_week_4"] = 20;
  auto assessment = assess(answers);
  const json with_derived = assessment.answers_json();
  CHECK(with_derived["weekly_km_increase_pct"] == 75.0);
  CHECK(with_derived["acute_chronic_ratio"] == Approx(1.4545).epsilon(0.001));
  const auto* jump = matched(assessment, "distance_jump");
  REQUIRE(jump != nullptr);
  REQUIRE(jump->evidence.size() == 1);
  CHECK(jump->evidence[0].id == "weekly_km_increase_pct");
  CHECK(kneecheck::shown(jump->evidence[0]) == "75");
}

TEST_CASE("the acute:chronic ratio is shown but scores nothing", "[default-rules]") {
  json answers = cases().at("top_overuse_training_errors_1").answers;
  answers["km_week_1"] = 40;
  answers["km_week_2"] = 10;
  answers["km_week_3"] = 25;
  answers["km_week_4"] = 25;
  auto assessment = assess(answers);
  CHECK(assessment.answers_json()["acute_chronic_ratio"] == 1.6);
  CHECK(matched(assessment, "distance_jump") == nullptr);
}

TEST_CASE("a reason quotes only the options that made it hold", "[default-rules]") {
  json answers = cases().at("top_overuse_training_errors_1").answers;
  answers["pain_location"] = {"front", "back"};
  answers["pain_worse_with"] = {"stairs", "downhill"};
  auto assessment = assess(answers);
  const auto* kneecap = matched(assessment, "runners_knee_pattern");
  REQUIRE(kneecap != nullptr);
  std::vector<std::string> shown;
  for (const auto& evidence : kneecap->evidence) shown.push_back(std::string(evidence.id) + ": " + kneecheck::shown(evidence));
  CHECK(shown == std::vector<std::string>{"pain_location: Front: around or behind the kneecap",
                                          "pain_worse_with: Stairs"});
}
