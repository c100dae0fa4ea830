#include "kneecheck/report/report.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"

#include <catch2/catch.hpp>

#include "kneecheck/base/text.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

kneecheck::Assessment assess(const json& answers) {
  static const kneecheck::RuleSet rules = kneecheck::testing::minimal_rules();
  return kneecheck::score(rules, kneecheck::testing::slots_of(rules, answers), kneecheck::Date{2026, 11, 25});
}

const json kOveruse = {{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 20}};

}  // namespace

TEST_CASE("the text report explains each indicated cause in rank order", "[report]") {
  std::string text = kneecheck::render_text(assess(kOveruse), {});
  CHECK_THAT(text, Catch::Contains("1. Overuse"));
  CHECK_THAT(text, Catch::Contains("[####################] 100/100  high"));
  CHECK_THAT(text, Catch::Contains("- your distance grew fast (km_increase_pct: 100)"));
  CHECK_THAT(text, Catch::Contains("- it hurts at the front (where: Front)"));
  CHECK_THAT(text, Catch::Contains("- Cut back this week."));
  CHECK_THAT(text, Catch::Contains("Not pointed to by your answers: Old injury."));
  CHECK_THAT(text, Catch::Contains("Review by 2026-12-09."));
  CHECK(text.find("Not a diagnosis.") > text.find("Review by"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("with no indicator matched the report says so instead of ranking", "[report]") {
  std::string text = kneecheck::render_text(assess({{"where", json::array()}, {"onset", "gradual"}, {"pain", 1}}), {});
  CHECK_THAT(text, Catch::Contains("None of your answers points to one of the causes"));
  CHECK(text.find("1. ") == std::string::npos);
}

TEST_CASE("red flags come first in the report", "[report]") {
  std::string text =
      kneecheck::render_text(assess({{"where", {"outer"}}, {"onset", "injury"}, {"locks", true}, {"pain", 3}}), {});
  CHECK_THAT(text, Catch::Contains("SEEK CARE TODAY (urgent)"));
  CHECK_THAT(text, Catch::Contains("! [urgent] Get seen today."));
  CHECK(text.find("SEEK CARE TODAY") < text.find("1. Old injury"));
}

TEST_CASE("colour and block characters only when asked for", "[report]") {
  std::string text = kneecheck::render_text(assess(kOveruse), {80, true, true});
  CHECK(text.find("\x1b[") != std::string::npos);
  CHECK_THAT(text, Catch::Contains("████"));
}

TEST_CASE("long text wraps to the width", "[report]") {
  for (const auto& line : [] {
         std::vector<std::string> lines;
         std::string text = kneecheck::render_text(assess(kOveruse), {40, false, false});
         std::size_t start = 0;
         for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
           lines.push_back(text.substr(start, end - start));
         }
         return lines;
       }()) {
    CHECK(kneecheck::display_width(line) <= 40);
  }
}

TEST_CASE("the JSON report carries the same assessment", "[report]") {
  json report = kneecheck::to_json(assess(kOveruse));
  CHECK(kneecheck::to_json(assess(kOveruse)).begin().key() == "kneecheck_assessment");
  CHECK(report["kneecheck_assessment"] == 1);
  CHECK(report["rules"] == json({{"id", "test-rules"}, {"version", "0.1"}}));
  CHECK(report["escalation"]["level"] == "self_care");
  CHECK(report["escalation"]["review_by"] == "2026-12-09");
  CHECK(report["causes"][0]["rank"] == 1);
  CHECK(report["causes"][0]["id"] == "overuse");
  CHECK(report["causes"][0]["score"] == 100);
  CHECK(report["causes"][0]["matched"][0]["answers"][0] ==
        json({{"id", "km_increase_pct"}, {"value", 100}, {"shown", "100"}}));
  CHECK(report["causes"][1]["band"] == "low");
  CHECK(report["any_cause_indicated"] == true);
  CHECK(report["disclaimer"]["not_covered"] == json({"Under 16"}));
}

TEST_CASE("explaining shows every indicator, matched or not, with the answers that decided", "[report]") {
  auto assessment = assess(kOveruse);
  std::string text = kneecheck::render_text(assessment, {80, false, false, true});
  CHECK_THAT(text, Catch::Contains("How every sign was judged"));
  CHECK_THAT(text, Catch::Contains("[x] your distance grew fast [3 points] (km_increase_pct: 100)"));
  CHECK_THAT(text, Catch::Contains("[ ] it started with an injury [0 points] (onset: Gradually)"));
  CHECK(kneecheck::render_text(assessment, {}).find("How every sign was judged") == std::string::npos);
  auto report = kneecheck::to_json(assessment, true);
  REQUIRE(report["causes"][1]["indicators"].size() == 2);
  CHECK(report["causes"][1]["indicators"][0]["matched"] == false);
  CHECK_FALSE(kneecheck::to_json(assessment)["causes"][0].contains("indicators"));
}

TEST_CASE("on a terminal the escalation stands in a box", "[report]") {
  std::string text = kneecheck::render_text(assess(kOveruse), {60, false, true});
  CHECK_THAT(text, Catch::Contains("┏━━━") && Catch::Contains("┃ LOOK AFTER IT YOURSELF") && Catch::Contains("┗━━━"));
  std::size_t start = text.find("┃ ");
  std::size_t end = text.find('\n', start);
  CHECK(kneecheck::display_width(text.substr(start, end - start)) == 60);
}
