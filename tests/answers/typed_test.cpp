#include "kneecheck/answers/answers.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using kneecheck::parse_typed_answer;
using nlohmann::json;

namespace {

const kneecheck::RuleSet& rules() { return kneecheck::testing::minimal(); }

const kneecheck::Question& question(const std::string& id) {
  return *rules().find_question(id);
}

json typed(const std::string& id, const std::string& line) {
  auto parsed = parse_typed_answer(question(id), line);
  INFO(line << ": " << (parsed ? "" : parsed.error().message));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->has_value());
  return **parsed;
}

std::string rejection(const std::string& id, const std::string& line) {
  auto parsed = parse_typed_answer(question(id), line);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("a choice is typed as its number, value or label", "[interview]") {
  CHECK(typed("onset", "2") == "injury");
  CHECK(typed("onset", " injury ") == "injury");
  CHECK(typed("onset", "Gradually") == "gradual");
  CHECK(rejection("onset", "3") == "choose a number from 1 to 2");
  CHECK(rejection("onset", "") == "an answer is needed here");
}

TEST_CASE("a multi answer lists numbers or values; Enter means none", "[interview]") {
  CHECK(typed("where", "1,2") == json({"front", "outer"}));
  CHECK(typed("where", "2 1 2") == json({"outer", "front"}));
  CHECK(typed("where", "") == json::array());
  CHECK(typed("where", "none") == json::array());
  CHECK_THAT(rejection("where", "1,7"), Catch::Contains("\"7\" is not one of the choices"));
}

TEST_CASE("yes/no, scale and number answers are checked", "[interview]") {
  CHECK(typed("locks", "Y") == true);
  CHECK(typed("locks", "no") == false);
  CHECK(rejection("locks", "maybe") == "answer yes or no (y/n)");
  CHECK(typed("pain", "7") == 7);
  CHECK(typed("pain", "") == 3);  // the default
  CHECK(rejection("pain", "11") == "11 is above the highest answer this asks (10)");
  CHECK(rejection("pain", "-1") == "-1 is below the lowest answer this asks (0)");
  CHECK(rejection("pain", "6.5") == "6.5 is not a whole number: type one from 0 to 10");
  CHECK(rejection("pain", "lots") == "type a whole number from 0 to 10");
  CHECK(typed("km", "42.5") == 42.5);
  CHECK(rejection("km", "forty") == "type a distance such as 12 (in km), 20 km or 12 mi");
  CHECK(rejection("km", "nan") == "type a distance such as 12 (in km), 20 km or 12 mi");
  CHECK(rejection("km", "-1") == "-1 km is below the lowest distance this asks (0 km)");
  CHECK(rejection("km", "301") == "301 km is above the highest distance this asks (300 km)");
}

TEST_CASE("a number question with a one-word label names it in its messages", "[answers][typed]") {
  kneecheck::Question age;
  age.id = "age";
  age.label = "Age";
  age.type = kneecheck::QuestionType::number;
  age.integer = true;
  age.min = 1;
  age.max = 120;
  age.unit = "years";
  CHECK(kneecheck::parse_typed_answer(age, "200").error().message == "200 is above the highest age this asks (120 years)");
  CHECK(kneecheck::parse_typed_answer(age, "0").error().message == "0 is below the lowest age this asks (1 year)");
}

TEST_CASE("a distance may be typed in km or miles, and is kept in km", "[answers][typed]") {
  using kneecheck::Units;
  const auto& km = question("km");
  auto distance = [&](std::string_view line, Units units) {
    auto parsed = parse_typed_answer(km, line, units);
    INFO(line << ": " << (parsed ? "" : parsed.error().message));
    REQUIRE(parsed.ok());
    REQUIRE(parsed->has_value());
    return (*parsed)->get<double>();
  };
  CHECK(distance("45 km", Units::km) == 45);
  CHECK(distance("45km", Units::mi) == 45);
  CHECK(distance("28 mi", Units::km) == Approx(45.06));
  CHECK(distance("28 miles", Units::km) == Approx(45.06));
  CHECK(distance("1 mile", Units::km) == Approx(1.61));
  CHECK(distance("28", Units::mi) == Approx(45.06));
  CHECK(distance("28", Units::km) == 28);
  CHECK(distance("20 Kilometres", Units::mi) == 20);
  CHECK(parse_typed_answer(km, "28 furlongs", Units::km).error().message ==
        "type a distance such as 12 (in km), 20 km or 12 mi");
  CHECK(parse_typed_answer(km, "200 mi", Units::mi).error().message ==
        "200 miles is above the highest distance this asks (186.4 miles)");
}

TEST_CASE("distances read in the runner's unit, rounded for people", "[answers][typed]") {
  using kneecheck::Units;
  CHECK(kneecheck::distance_text(45, Units::km) == "45 km");
  CHECK(kneecheck::distance_text(45.06, Units::mi) == "28 miles");
  CHECK(kneecheck::distance_text(1.609344, Units::mi) == "1 mile");
  CHECK(kneecheck::parse_units("mi") == Units::mi);
  CHECK(kneecheck::parse_units("KM") == Units::km);
  CHECK_FALSE(kneecheck::parse_units("furlongs").has_value());
}

TEST_CASE("Enter skips an optional question", "[interview]") {
  auto parsed = parse_typed_answer(question("km"), "  ");
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->has_value());
}

TEST_CASE("an overlong answer is refused", "[interview]") {
  CHECK_THAT(rejection("km", std::string(2000, '1')), Catch::Contains("longer than"));
}

TEST_CASE("answers from a file are checked against their question", "[interview]") {
  CHECK(kneecheck::check_answer(question("onset"), "gradual").ok());
  CHECK_FALSE(kneecheck::check_answer(question("onset"), "sudden").ok());
  CHECK_FALSE(kneecheck::check_answer(question("where"), json({"front", "front"})).ok());
  CHECK_FALSE(kneecheck::check_answer(question("locks"), "yes").ok());
  CHECK_FALSE(kneecheck::check_answer(question("pain"), 10.5).ok());
  CHECK(kneecheck::check_answer(question("km"), 0).ok());
}

TEST_CASE("an exclusive option cannot be chosen with others, and a question may need a choice", "[answers][typed]") {
  kneecheck::Question question;
  question.id = "where";
  question.type = kneecheck::QuestionType::multi;
  question.options = {{"front", "Front"}, {"outer", "Outer"}, {"none", "None of these", true}};
  question.min_choices = 1;
  CHECK(kneecheck::parse_typed_answer(question, "1,3").error().message ==
        "\"None of these\" cannot be chosen together with other options");
  CHECK(kneecheck::parse_typed_answer(question, "").error().message == "an answer is needed here");
  CHECK(kneecheck::parse_typed_answer(question, "3").value() == json({"none"}));
  CHECK_THAT(kneecheck::check_answer(question, json({"none", "outer"})).error().message,
             Catch::Contains("cannot be chosen together"));
  CHECK(kneecheck::check_answer(question, json::array()).error().message == "choose at least one option");
}

