#include "kneecheck/engine/engine.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using kneecheck::Level;
using nlohmann::json;

namespace {

const kneecheck::RuleSet& rules() { return kneecheck::testing::minimal(); }

const kneecheck::Date kToday{2026, 11, 25};

// Answers put in the rules' slots as they are, unchecked, so that scoring
// is seen on any answers.
kneecheck::logic::Data slots(const kneecheck::RuleSet& rules, const json& answers) {
  return kneecheck::logic::Data::from_json(answers, rules.slots);
}

kneecheck::Assessment assess(const json& answers) {
  return kneecheck::score(rules(), slots(rules(), answers), kToday);
}

}  // namespace

TEST_CASE("derived values are computed and scored", "[engine]") {
  auto assessment = assess({{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 20}});
  CHECK(assessment.answers_json()["km_increase_pct"] == 100);
  REQUIRE(assessment.causes[0].id == "overuse");
  CHECK(assessment.causes[0].score == 100);
  CHECK(assessment.causes[0].band == kneecheck::Band::high);
  REQUIRE(assessment.causes[0].matched.size() == 2);
  CHECK(assessment.causes[0].matched[0]->because == "your distance grew fast");
  CHECK(assessment.causes[0].matched[0]->evidence[0].id == "km_increase_pct");
  CHECK(assessment.causes[1].score == 0);
}

TEST_CASE("a score is the matched share of the cause's weight, with its band", "[engine]") {
  auto assessment = assess({{"where", {"front", "outer"}}, {"onset", "gradual"}, {"pain", 2}});
  REQUIRE(assessment.causes.size() == 2);
  CHECK(assessment.causes[0].id == "injury");
  CHECK(assessment.causes[0].score == 50);
  CHECK(assessment.causes[0].band == kneecheck::Band::high);
  CHECK(assessment.causes[1].id == "overuse");
  CHECK(assessment.causes[1].score == 25);
  CHECK(assessment.causes[1].band == kneecheck::Band::moderate);
}

TEST_CASE("advice tied to an indicator appears only when it matched", "[engine]") {
  auto without = assess({{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}});
  CHECK(without.causes[0].advice.size() == 1);
  auto with = assess({{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 10}});
  REQUIRE(with.causes[0].advice.size() == 2);
  CHECK(with.causes[0].advice[1].text == "Cut back this week.");
}

TEST_CASE("ties are broken by matched weight, then by file order", "[engine]") {
  auto assessment = assess({{"where", json::array()}, {"onset", "gradual"}, {"pain", 2}});
  CHECK(assessment.causes[0].id == "overuse");
  CHECK(assessment.causes[1].id == "injury");
  CHECK_FALSE(assessment.any_cause_indicated());
}

TEST_CASE("a red flag escalates whatever the scores say", "[engine]") {
  auto assessment = assess({{"where", json::array()}, {"onset", "injury"}, {"locks", true}, {"pain", 9}});
  REQUIRE(assessment.red_flags.size() == 2);
  CHECK(assessment.red_flags[0].id == "locking");
  CHECK(assessment.red_flags[1].level == Level::soon);
  CHECK(assessment.escalation.level == Level::urgent);
  CHECK(assessment.escalation.message == "Get seen today.");
  CHECK_FALSE(assessment.escalation.review_by.has_value());
}

TEST_CASE("without red flags the routine condition or self-care decides, with a review date", "[engine]") {
  auto routine = assess({{"where", json::array()}, {"onset", "gradual"}, {"pain", 7}});
  CHECK(routine.escalation.level == Level::routine);
  CHECK(routine.escalation.review_by == kneecheck::Date{2026, 12, 9});
  auto self_care = assess({{"where", json::array()}, {"onset", "gradual"}, {"pain", 1}});
  CHECK(self_care.escalation.level == Level::self_care);
  CHECK(self_care.escalation.message == "Look after it.");
}

TEST_CASE("evidence shows answers as the runner chose them", "[engine]") {
  auto assessment = assess({{"where", {"outer"}}, {"onset", "injury"}, {"locks", false}, {"pain", 2}});
  const auto& injured = *assessment.causes[0].matched[0];
  CHECK(injured.evidence[0].id == "onset");
  CHECK(kneecheck::shown(injured.evidence[0]) == "With an injury");
  CHECK(kneecheck::shown(assessment.causes[0].matched[1]->evidence[0]) == "Outer side");
}

TEST_CASE("an answer that several alternatives matched on shows the options of each", "[engine]") {
  auto document = kneecheck::testing::minimal_rules_json();
  document["causes"][0]["indicators"][1]["when"] =
      json::parse(R"({"or": [{"in": ["front", {"var": "where"}]}, {"in": ["outer", {"var": "where"}]}]})");
  auto loaded = kneecheck::load_rules(document.dump());
  REQUIRE(loaded);
  auto shown_for = [&](const json& where) {
    json answers = {{"where", where}, {"onset", "gradual"}, {"pain", 2}};
    auto assessment = kneecheck::score(*loaded, slots(*loaded, answers), kToday);
    for (const auto& cause : assessment.causes) {
      for (const auto* indicator : cause.matched) {
        if (indicator->id == "front_pain") return kneecheck::shown(indicator->evidence.at(0));
      }
    }
    return std::string("(front_pain did not match)");
  };
  CHECK(shown_for({"front", "outer"}) == "Front, Outer side");
  CHECK(shown_for({"outer"}) == "Outer side");
}

TEST_CASE("dates add days across months and years", "[engine]") {
  CHECK(kneecheck::Date{2026, 12, 25}.plus_days(14).to_string() == "2027-01-08");
  CHECK(kneecheck::Date::parse("2028-02-29") == kneecheck::Date{2028, 2, 29});
  CHECK_FALSE(kneecheck::Date::parse("2027-02-29").has_value());
  CHECK_FALSE(kneecheck::Date::parse("2027-1-01").has_value());
}

TEST_CASE("history variables come from the check-ins dated before this one", "[engine][history]") {
  using kneecheck::Date;
  using kneecheck::PastCheckIn;
  const Date today{2026, 3, 15};
  SECTION("a first check-in knows only that there was none") {
    CHECK(kneecheck::history_variables({}, today, 5.0) == json{{"checkins", 0}});
  }
  SECTION("days, weeks and the change in pain since the first") {
    std::vector<PastCheckIn> past{{{2026, 3, 8}, 4.0}, {{2026, 3, 1}, 6.0}};
    json variables = kneecheck::history_variables(past, today, 5.0);
    CHECK(variables["checkins"] == 2);
    CHECK(variables["days_since_first"] == 14);
    CHECK(variables["weeks_since_first"] == 2.0);
    CHECK(variables["first_pain"] == 6.0);
    CHECK(variables["last_pain"] == 4.0);
    CHECK(variables["pain_change"] == -1.0);
  }
  SECTION("check-ins on the same day or later do not count") {
    std::vector<PastCheckIn> past{{{2026, 3, 15}, 2.0}, {{2026, 4, 1}, 1.0}, {{2026, 3, 10}, std::nullopt}};
    json variables = kneecheck::history_variables(past, today, 5.0);
    CHECK(variables == json{{"checkins", 1}, {"days_since_first", 5}, {"weeks_since_first", 5 / 7.0}});
  }
  SECTION("without pain now, the change is unknown") {
    json variables = kneecheck::history_variables({{{2026, 3, 1}, 6.0}}, today, std::nullopt);
    CHECK(variables["first_pain"] == 6.0);
    CHECK_FALSE(variables.contains("pain_change"));
  }
}

TEST_CASE("conditions read history variables and show them as evidence", "[engine][history]") {
  auto document = kneecheck::testing::minimal_rules_json();
  document["escalation"]["routine"]["when"] = json::parse(R"({">=": [{"var": "history.checkins"}, 2]})");
  auto loaded = kneecheck::load_rules(document.dump());
  REQUIRE(loaded);
  json answers = {{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}};
  std::vector<kneecheck::PastCheckIn> two{{{2026, 11, 1}, 2.0}, {{2026, 11, 8}, 2.0}};
  CHECK(kneecheck::score(*loaded, slots(*loaded, answers), kToday, two).escalation.level == Level::routine);
  CHECK(kneecheck::score(*loaded, slots(*loaded, answers), kToday, {two[0]}).escalation.level == Level::self_care);
  CHECK(kneecheck::score(*loaded, slots(*loaded, answers), kToday, two).history["checkins"] == 2);
}

TEST_CASE("history variables are checked when rules load", "[engine][history]") {
  auto document = kneecheck::testing::minimal_rules_json();
  document["escalation"]["routine"]["when"] = json::parse(R"({">=": [{"var": "history.checkin"}, 2]})");
  auto misspelt = kneecheck::load_rules(document.dump());
  REQUIRE_FALSE(misspelt);
  CHECK_THAT(misspelt.error().message, Catch::Contains("no history variable") && Catch::Contains("history.checkins"));
  CHECK(misspelt.error().pointer == "/escalation/routine/when");

  document = kneecheck::testing::minimal_rules_json();
  document["questions"][1]["ask_if"] = json::parse(R"({">": [{"var": "history.checkins"}, 0]})");
  auto in_ask_if = kneecheck::load_rules(document.dump());
  REQUIRE_FALSE(in_ask_if);
  CHECK_THAT(in_ask_if.error().message, Catch::Contains("questions cannot depend on history"));

  document = kneecheck::testing::minimal_rules_json();
  document["questions"][0]["id"] = "history";
  auto reserved = kneecheck::load_rules(document.dump());
  REQUIRE_FALSE(reserved);
  CHECK_THAT(reserved.error().message, Catch::Contains("reserved"));
}

TEST_CASE("check_in_of keeps what history needs of an assessment", "[engine][history]") {
  auto rules = kneecheck::testing::minimal_rules();
  json answers = {{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 20}};
  auto assessment = kneecheck::score(rules, slots(rules, answers), kneecheck::Date{2026, 11, 25});
  kneecheck::CheckIn check_in = kneecheck::check_in_of(assessment);
  CHECK(check_in.date == kneecheck::Date{2026, 11, 25});
  CHECK(check_in.pain == assessment.pain);
  REQUIRE(check_in.scores.size() == assessment.causes.size());
  CHECK(check_in.scores[0].id == assessment.causes[0].id);
  CHECK(check_in.scores[0].title == assessment.causes[0].title);
  CHECK(check_in.scores[0].score == assessment.causes[0].score);
  CHECK(check_in.top_cause() == "overuse");
  CHECK(check_in.escalation == assessment.escalation.level);
  CHECK(check_in.rules_id == rules.id);
  CHECK(check_in.rules_version == rules.version);
  CHECK(check_in.answers["km_increase_pct"] == 100);
  CHECK(check_in.recorded_at.empty());
}
