#include "kneecheck/answers/answers.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using nlohmann::json;

namespace {

const kneecheck::RuleSet& rules() { return kneecheck::testing::minimal(); }

json answers_of(const kneecheck::CheckedAnswers& check) { return kneecheck::answers_json(rules(), check.answers); }

}  // namespace

TEST_CASE("an answers object is checked and every problem named", "[answers]") {
  SECTION("valid") {
    auto check = kneecheck::check_answers(rules(), json({{"where", {"front"}}, {"onset", "gradual"}, {"pain", 4}}));
    CHECK(check.errors.empty());
    CHECK(answers_of(check).size() == 3);
  }
  SECTION("problems one by one") {
    auto check = kneecheck::check_answers(
        rules(), json({{"wher", {"front"}}, {"onset", "gradual"}, {"locks", true}, {"pain", 12}, {"km", "ten"}}));
    REQUIRE(check.errors.size() == 5);
    CHECK(check.errors[0].pointer == "/wher");
    CHECK_THAT(check.errors[0].message, Catch::Contains("unknown question id") && Catch::Contains("\"where\""));
    CHECK(check.errors[1].pointer == "/where");
    CHECK_THAT(check.errors[1].message, Catch::Contains("missing"));
    CHECK(check.errors[2].pointer == "/locks");
    CHECK_THAT(check.errors[2].message, Catch::Contains("not asked"));
    CHECK(check.errors[3].pointer == "/pain");
    CHECK_THAT(check.errors[3].message, Catch::Contains("12 is not a valid answer"));
    CHECK(check.errors[4].pointer == "/km");
  }
  SECTION("not an object") {
    auto check = kneecheck::check_answers(rules(), json::array());
    REQUIRE(check.errors.size() == 1);
    CHECK_THAT(check.errors[0].message, Catch::Contains("expected a JSON object"));
  }
  SECTION("null skips an optional question") {
    auto check =
        kneecheck::check_answers(rules(), json({{"where", json::array()}, {"onset", "gradual"}, {"pain", 0}, {"km", nullptr}}));
    CHECK(check.errors.empty());
    CHECK_FALSE(answers_of(check).contains("km"));
  }
}

TEST_CASE("a filled answers template is accepted", "[answers]") {
  auto blank = kneecheck::answers_template(rules());
  CHECK(blank.dump() == R"({"where":null,"onset":null,"locks":null,"pain":null,"km":null,"km_before":null})");
  CHECK(kneecheck::check_answers(rules(), json(blank)).errors.size() == 3);  // where, onset, pain are required
  blank["where"] = {"front"};
  blank["onset"] = "gradual";
  blank["pain"] = 2;
  auto check = kneecheck::check_answers(rules(), json(blank));
  CHECK(check.errors.empty());
  CHECK(answers_of(check) == json({{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}}));
}

