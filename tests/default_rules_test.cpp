// The default rules against the answer sets in tests/fixtures/answers: the
// expected top cause, escalation and red flags of each (EXPECTED.json), and
// the promise that a red flag escalates whatever else is answered.
#include <filesystem>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "kneecheck/answers.hpp"
#include "kneecheck/engine.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

const kneecheck::RuleSet& default_rules() {
  static const kneecheck::RuleSet rules = [] {
    auto loaded = kneecheck::load_default_rules();
    if (!loaded) throw std::runtime_error("default rules do not load: " + loaded.error().message);
    return std::move(loaded).value();
  }();
  return rules;
}

json read_json(const std::string& path) {
  std::ifstream file(path);
  return json::parse(file);
}

std::string answers_path(const std::string& name) {
  return kneecheck::testing::fixture_path("answers/" + name);
}

kneecheck::Assessment assess_fixture(const std::string& name) {
  auto check = kneecheck::check_answers(default_rules(), read_json(answers_path(name)));
  INFO(name << ": " << (check.errors.empty() ? "" : check.errors[0].pointer + " " + check.errors[0].message));
  REQUIRE(check.errors.empty());
  return kneecheck::score(default_rules(), check.answers, kneecheck::Date{2026, 11, 25});
}

}  // namespace

TEST_CASE("every answer set gives its expected top cause, escalation and red flags", "[default-rules]") {
  json expected_all = read_json(answers_path("EXPECTED.json"));
  REQUIRE(expected_all.size() >= 30);
  for (const auto& [name, expected] : expected_all.items()) {
    INFO(name);
    auto assessment = assess_fixture(name);
    if (expected["top"].is_null()) {
      CHECK_FALSE(assessment.any_cause_indicated());
    } else {
      REQUIRE(assessment.any_cause_indicated());
      CHECK(assessment.causes[0].id == expected["top"]);
      CHECK(assessment.causes[0].score > assessment.causes[1].score);
    }
    CHECK(kneecheck::to_string(assessment.escalation.level) == expected["escalation"].get<std::string>());
    std::set<std::string> flags;
    for (const auto& flag : assessment.red_flags) flags.emplace(flag.id);
    CHECK(flags == expected["red_flags"].get<std::set<std::string>>());
  }
}

TEST_CASE("each of the six causes is the top cause of some answer set", "[default-rules]") {
  json expected_all = read_json(answers_path("EXPECTED.json"));
  for (const auto& cause : default_rules().causes) {
    int tops = 0;
    for (const auto& [name, expected] : expected_all.items()) tops += expected["top"] == cause.id ? 1 : 0;
    INFO(cause.id);
    CHECK(tops >= 2);
  }
}

TEST_CASE("a red flag escalates whatever else is answered", "[default-rules]") {
  // Every red-flag answer set's warning-sign answers, laid over every
  // answer set that points at a cause: the flag must still lead.
  json expected_all = read_json(answers_path("EXPECTED.json"));
  int combinations = 0;
  for (const auto& [flag_name, flag_expected] : expected_all.items()) {
    if (flag_expected["red_flags"].empty()) continue;
    auto flagged = assess_fixture(flag_name);
    const auto& flag_answers = read_json(answers_path(flag_name));
    for (const auto& [cause_name, cause_expected] : expected_all.items()) {
      if (cause_expected["top"].is_null()) continue;
      json answers = read_json(answers_path(cause_name));
      const auto& raised = flagged.red_flags.front();
      for (const auto& evidence : raised.evidence) {
        if (flag_answers.contains(evidence.id)) answers[evidence.id] = flag_answers[evidence.id];
      }
      auto check = kneecheck::check_answers(default_rules(), answers);
      if (!check.errors.empty()) continue;  // the combination asks different follow-ups
      auto assessment = kneecheck::score(default_rules(), check.answers, kneecheck::Date{2026, 11, 25});
      ++combinations;
      INFO(flag_name << " over " << cause_name);
      REQUIRE_FALSE(assessment.red_flags.empty());
      CHECK(assessment.escalation.level <= raised.level);
      CHECK(assessment.red_flags.front().level <= raised.level);
    }
  }
  CHECK(combinations >= 150);
}

TEST_CASE("every cause, indicator, red flag and advice names a source the file lists", "[default-rules]") {
  const auto& rules = default_rules();
  CHECK(rules.causes.size() == 6);
  for (const auto& cause : rules.causes) {
    CHECK(cause.indicators.size() >= 4);
    CHECK_FALSE(cause.sources.empty());
    for (const auto& indicator : cause.indicators) CHECK_FALSE(indicator.sources.empty());
    for (const auto& advice : cause.advice) CHECK_FALSE(advice.sources.empty());
  }
  for (const auto& flag : rules.red_flags) CHECK_FALSE(flag.sources.empty());
  CHECK(rules.questions.size() >= 15);
  CHECK(rules.questions.size() <= 30);  // about five minutes
}

TEST_CASE("a distance jump shows the two-week increase and the load ratio behind it", "[default-rules]") {
  auto answers = read_json(answers_path("top_overuse_training_errors_1.json"));
  answers["km_week_1"] = 40;
  answers["km_week_2"] = 10;
  answers["km_week_3"] = 25;
  answers["km_week_4"] = 25;
  auto check = kneecheck::check_answers(default_rules(), answers);
  REQUIRE(check.errors.empty());
  auto assessment = kneecheck::score(default_rules(), check.answers, kneecheck::Date{2026, 11, 25});
  const json answers_with_derived = assessment.answers_json();
  CHECK(answers_with_derived["weekly_km_increase_pct"] == 0.0);
  CHECK(answers_with_derived["week_over_week_increase_pct"] == 300.0);
  CHECK(answers_with_derived["acute_chronic_ratio"] == 1.6);
  const kneecheck::IndicatorResult* jump = nullptr;
  for (const auto& cause : assessment.causes) {
    for (const kneecheck::IndicatorResult* indicator : cause.matched) {
      if (indicator->id == "distance_jump") jump = indicator;
    }
  }
  REQUIRE(jump != nullptr);
  REQUIRE(jump->evidence.size() == 2);
  CHECK(jump->evidence[0].id == "weekly_km_increase_pct");
  CHECK(kneecheck::shown(jump->evidence[0]) == "0");
  CHECK(jump->evidence[1].id == "acute_chronic_ratio");
  CHECK(kneecheck::shown(jump->evidence[1]) == "1.6");
}
