#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "kneecheck/interview/suggestions.hpp"
#include "kneecheck/rules/rules.hpp"
#include "test_support.hpp"

namespace {

using nlohmann::json;
using kneecheck::Date;
using kneecheck::runs::Run;

Run run_on(const char* day, double km, std::string gear = "") {
  Run run;
  run.local_date = *Date::parse(day);
  run.start_utc = static_cast<std::int64_t>(Date::parse("1970-01-01")->days_until(run.local_date)) * 86400 + 7 * 3600;
  run.distance_m = km * 1000;
  run.gear = std::move(gear);
  run.sport = "Run";
  return run;
}

const Date kCheckIn = *Date::parse("2026-11-30");

}  // namespace

TEST_CASE("run figures: the four weeks summed by hand, rest days, the spike and the shoes", "[suggestions]") {
  // Week 1 is 24-30 Nov, week 2 17-23, week 3 10-16, week 4 3-9.
  std::vector<Run> runs = {
      run_on("2026-11-30", 5, "A"),  run_on("2026-11-28", 12, "A"), run_on("2026-11-25", 8, "B"),
      run_on("2026-11-20", 10, "A"), run_on("2026-11-18", 6, "A"),  run_on("2026-11-12", 7.25, "A"),
      run_on("2026-11-04", 9, "A"),  run_on("2026-10-01", 20, "A"),
  };
  json figures = kneecheck::run_figures(runs, kCheckIn);
  CHECK(figures["km_week_1"] == 25.0);
  CHECK(figures["km_week_2"] == 16.0);
  CHECK(figures["km_week_3"] == 7.3);  // one decimal
  CHECK(figures["km_week_4"] == 9.0);
  CHECK(figures["runs_last_week"] == 3);
  CHECK(figures["rest_days_last_week"] == 4);
  CHECK(figures["longest_last_week_km"] == 12.0);
  // 12 km on 28 Nov against 10 km (20 Nov), the longest of the 30 days before it: 20 % longer.
  CHECK(figures["longest_run_change_pct"] == 20.0);
  CHECK(figures["shoes_last_28_days"] == 2);
  CHECK(figures["main_shoe_km"] == 69.0);  // A: every run in it, the one of October too
}

TEST_CASE("run figures: weeks before the first run and runs that end long ago tell nothing", "[suggestions]") {
  std::vector<Run> recent = {run_on("2026-11-29", 5), run_on("2026-11-20", 4)};
  json figures = kneecheck::run_figures(recent, kCheckIn);
  CHECK(figures["km_week_1"] == 5.0);
  CHECK(figures["km_week_2"] == 4.0);
  CHECK(figures["km_week_3"].is_null());
  CHECK(figures["km_week_4"].is_null());
  CHECK(figures["shoes_last_28_days"].is_null());
  CHECK(figures["main_shoe_km"].is_null());

  std::vector<Run> stale = {run_on("2026-10-01", 10), run_on("2026-10-20", 10)};
  json old = kneecheck::run_figures(stale, kCheckIn);
  for (const auto& [name, value] : old.items()) CHECK(value.is_null());
  CHECK(kneecheck::describe_run_figures(old, kneecheck::Units::km).empty());

  std::vector<Run> later = {run_on("2026-12-02", 10)};
  CHECK(kneecheck::run_figures(later, kCheckIn)["km_week_1"].is_null());
}

TEST_CASE("the default rules turn the figures into answers", "[suggestions]") {
  const auto& rules = kneecheck::testing::default_rules();
  json figures = json::object();
  for (auto name : kneecheck::kRunFigures) figures[std::string(name)] = nullptr;
  figures.update({{"km_week_1", 30.5}, {"km_week_2", 20.0}, {"rest_days_last_week", 4}, {"shoes_last_28_days", 1},
                  {"main_shoe_km", 640.0}});
  auto spike = [&](json pct) {
    figures["longest_run_change_pct"] = pct;
    auto suggestions = kneecheck::suggest_answers(rules, figures);
    auto it = suggestions.find("longest_run_change");
    return it == suggestions.end() ? json(nullptr) : it->second;
  };
  CHECK(spike(5) == "not_longer");
  CHECK(spike(10) == "not_longer");
  CHECK(spike(10.5) == "up_to_30");
  CHECK(spike(30) == "up_to_30");
  CHECK(spike(75) == "up_to_double");
  CHECK(spike(100) == "up_to_double");
  CHECK(spike(101) == "over_double");
  CHECK(spike(nullptr).is_null());

  auto suggestions = kneecheck::suggest_answers(rules, figures);
  CHECK(suggestions.at("km_week_1") == 30.5);
  CHECK(suggestions.count("km_week_3") == 0);
  CHECK(suggestions.at("rest_days") == 4);
  CHECK(suggestions.at("shoes") == "one_pair");
  CHECK(suggestions.at("shoe_km") == 640);

  figures["km_week_1"] = 900;  // beyond the question's range: not offered
  CHECK(kneecheck::suggest_answers(rules, figures).count("km_week_1") == 0);
}

TEST_CASE("filling missing answers: what is given wins, and a follow-up only when it is asked", "[suggestions]") {
  const auto& rules = kneecheck::testing::default_rules();
  kneecheck::Suggestions suggestions = {
      {"km_week_1", 30}, {"km_week_2", 20}, {"rest_days", 3}, {"shoes", "one_pair"}, {"shoe_km", 500}};
  json answers = {{"km_week_1", 42}, {"km_week_2", nullptr}, {"shoes", "barefoot"}};
  auto filled = kneecheck::fill_missing_answers(rules, suggestions, answers);
  CHECK(filled == std::vector<std::string>{"km_week_2", "rest_days"});
  CHECK(answers["km_week_1"] == 42);
  CHECK(answers["km_week_2"] == 20);
  CHECK(answers["rest_days"] == 3);
  CHECK(answers["shoes"] == "barefoot");
  CHECK_FALSE(answers.contains("shoe_km"));  // not asked of a barefoot runner
}

TEST_CASE("the figures in words", "[suggestions]") {
  json figures = {{"km_week_1", 42.0}, {"km_week_2", 38.0}, {"km_week_3", 30.0}, {"km_week_4", 25.0},
                  {"runs_last_week", 4},   {"rest_days_last_week", 3}, {"longest_last_week_km", 16.0},
                  {"longest_previous_30_days_km", 14.0}, {"main_shoe_km", 612.0}, {"cadence_spm", nullptr}};
  auto sentences = kneecheck::describe_run_figures(figures, kneecheck::Units::km);
  REQUIRE(sentences.size() == 3);
  CHECK(sentences[0] == "42, 38, 30 and 25 km in the last four weeks, the latest first");
  CHECK(sentences[1] == "4 runs and 3 rest days in the last 7 days; the longest was 16 km, against 14 km in the 30 "
                        "days before");
  CHECK(sentences[2] == "612 km so far in the shoes you ran in most over the last 28 days");
  auto miles = kneecheck::describe_run_figures(figures, kneecheck::Units::mi);
  CHECK(miles[0] == "26.1, 23.6, 18.6 and 15.5 miles in the last four weeks, the latest first");
}
