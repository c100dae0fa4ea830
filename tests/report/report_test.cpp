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
  CHECK_THAT(text, Catch::Contains("- your distance grew fast (growth: 100) [1]"));
  CHECK_THAT(text, Catch::Contains("- it hurts at the front (Where it hurts: Front) [1]"));
  CHECK_THAT(text, Catch::Contains("- Cut back this week. [1]"));
  CHECK_THAT(text, Catch::Contains("Not pointed to by your answers: Old injury."));
  CHECK_THAT(text, Catch::Contains("LOOK AFTER IT YOURSELF AND CHECK AGAIN ON 9 DECEMBER 2026"));
  CHECK_THAT(text, Catch::Contains("Sources\n 1. The article"));
  CHECK(text.find("LOOK AFTER IT YOURSELF") < text.find("1. Overuse"));
  CHECK(text.find("Not a diagnosis.") > text.find("1. Overuse"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("with no indicator matched the report says so instead of ranking", "[report]") {
  std::string text = kneecheck::render_text(assess({{"where", json::array()}, {"onset", "gradual"}, {"pain", 1}}), {});
  CHECK_THAT(text, Catch::Contains("None of your answers points to one of the causes"));
  CHECK(text.find("1. Overuse") == std::string::npos);
  CHECK(text.find("1. Old injury") == std::string::npos);
}

TEST_CASE("red flags come first in the report", "[report]") {
  std::string text =
      kneecheck::render_text(assess({{"where", {"outer"}}, {"onset", "injury"}, {"locks", true}, {"pain", 3}}), {});
  CHECK_THAT(text, Catch::Contains("GET THE KNEE SEEN TODAY"));
  CHECK_THAT(text, Catch::Contains("! Get seen today. (Locking: yes) [1]"));
  // Under an urgent sign no cause is ranked, and no advice is given.
  CHECK(text.find("1. Old injury") == std::string::npos);
  CHECK(text.find("This week") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("To discuss with whoever examines you"));
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
  CHECK_THAT(text, Catch::Contains("[x] your distance grew fast (growth: 100) [1] [3 points]"));
  CHECK_THAT(text, Catch::Contains("[ ] it started with an injury (How it started: Gradually) [1] [0 points]"));
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

TEST_CASE("the summary names the leading cause with its strongest reason, and this week's actions", "[report]") {
  std::string text = kneecheck::render_text(assess(kOveruse), {});
  CHECK_THAT(text, Catch::Contains("Most likely: Overuse (100/100, high)\n  because your distance grew fast"));
  CHECK_THAT(text, Catch::Contains("This week:\n1. Build up gradually. [1]\n2. Cut back this week. [1]\n"));
  CHECK(text.find("This week:") < text.find("Likely causes, most likely first"));
}

TEST_CASE("the text report lists its sources, or says how to", "[report]") {
  kneecheck::TextOptions options;
  options.sources = false;
  std::string text = kneecheck::render_text(assess(kOveruse), options);
  CHECK_THAT(text, Catch::Contains("The numbers in brackets refer to 1 sources: add --sources to list them."));
  CHECK(text.find("\nSources\n") == std::string::npos);
}

TEST_CASE("a derived value is shown with its label, unit and rounding", "[report]") {
  json document = kneecheck::testing::minimal_rules_json();
  document["derived"][0]["label"] = "Growth in weekly distance";
  document["derived"][0]["unit"] = "%";
  document["derived"][0]["decimals"] = 0;
  document["causes"][0]["indicators"][0]["because"] = "your distance grew by {km_increase_pct} to {km}";
  auto rules = kneecheck::load_rules(document.dump());
  REQUIRE(rules.ok());
  auto assessment = kneecheck::score(*rules, kneecheck::testing::slots_of(*rules, {{"where", {"outer"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 30}, {"km_before", 9}}),
                                     kneecheck::Date{2026, 11, 25});
  std::string text = kneecheck::render_text(assessment, {});
  CHECK_THAT(text, Catch::Contains("your distance grew by 233% to 30 km [1]"));
  CHECK(text.find("km_increase_pct") == std::string::npos);
  auto report = kneecheck::to_json(assessment);
  CHECK(report["causes"][0]["matched"][0]["because"] == "your distance grew by {km_increase_pct} to {km}");
  CHECK(report["causes"][0]["matched"][0]["shown"] == "your distance grew by 233% to 30 km");
}
