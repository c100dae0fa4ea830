#include "kneecheck/interview/interview.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using nlohmann::json;

namespace {

const kneecheck::RuleSet& rules() { return kneecheck::testing::minimal(); }

}  // namespace

TEST_CASE("follow-up questions are asked only when their condition holds", "[interview]") {
  kneecheck::Interview interview(rules());
  CHECK(interview.current()->id == "where");
  CHECK(interview.total() == 5);  // "locks" is not asked until onset says injury
  interview.answer(json::array({"front"}));
  interview.answer(json("gradual"));
  CHECK(interview.current()->id == "pain");
  CHECK(interview.number() == 3);
  CHECK(interview.total() == 5);
}

TEST_CASE("going back keeps later answers that still apply and drops those that do not", "[interview]") {
  kneecheck::Interview interview(rules());
  interview.answer(json::array({"front"}));
  interview.answer(json("injury"));
  CHECK(interview.current()->id == "locks");
  CHECK(interview.total() == 6);
  interview.answer(json(true));
  REQUIRE(interview.back());
  REQUIRE(interview.back());
  CHECK(interview.current()->id == "onset");
  CHECK(interview.answers()["locks"] == true);
  interview.answer(json("gradual"));
  CHECK_FALSE(interview.answers().contains("locks"));
  CHECK(interview.current()->id == "pain");
}

TEST_CASE("back at the first question stays there", "[interview]") {
  kneecheck::Interview interview(rules());
  CHECK_FALSE(interview.back());
  CHECK(interview.current()->id == "where");
}

TEST_CASE("the interview ends after the last question", "[interview]") {
  kneecheck::Interview interview(rules());
  interview.answer(json::array());
  interview.answer(json("gradual"));
  interview.answer(json(2));
  interview.answer(std::nullopt);
  interview.answer(std::nullopt);
  CHECK(interview.done());
  CHECK(interview.answers() == json({{"where", json::array()}, {"onset", "gradual"}, {"pain", 2}}));
}

TEST_CASE("editing one answer from the review asks only what newly applies", "[interview]") {
  kneecheck::Interview interview(rules());
  interview.answer(json::array({"front"}));
  interview.answer(json("gradual"));
  interview.answer(json(4));
  interview.answer(json(30));
  interview.answer(json(20));
  REQUIRE(interview.done());
  CHECK(interview.asked() == std::vector<std::size_t>{0, 1, 3, 4, 5});
  interview.edit(1);
  CHECK(interview.current()->id == "onset");
  interview.answer(json("injury"));
  CHECK(interview.current()->id == "locks");  // newly applies
  interview.answer(json(false));
  CHECK(interview.done());                     // pain, km and km_before keep their answers
  CHECK(interview.answers()["pain"] == 4);
  CHECK(interview.asked() == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
}
