#include "kneecheck/rules/rules.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using kneecheck::load_rules;
using nlohmann::json;

namespace {

kneecheck::Error load_error(const json& document) {
  auto rules = load_rules(document.dump());
  REQUIRE_FALSE(rules.ok());
  return rules.error();
}

}  // namespace

TEST_CASE("the minimal fixture loads into the model", "[rules]") {
  auto rules = kneecheck::testing::minimal_rules();
  CHECK(rules.id == "test-rules");
  REQUIRE(rules.questions.size() == 6);
  CHECK(rules.questions[0].type == kneecheck::QuestionType::multi);
  CHECK(rules.questions[2].ask_if.has_value());
  CHECK(rules.questions[3].max == 10);
  CHECK(rules.questions[3].default_answer == json(3));
  REQUIRE(rules.causes.size() == 2);
  CHECK(rules.causes[0].indicators[0].points == 3);
  CHECK(rules.causes[0].advice[1].for_indicators == std::vector<std::string>{"ramp"});
  CHECK(rules.red_flags[1].level == kneecheck::Level::soon);
  CHECK(rules.routine.review_in_days == 14);
  CHECK(rules.not_covered == std::vector<std::string>{"Under 16"});
}

TEST_CASE("the embedded default rules load", "[rules]") {
  auto rules = kneecheck::load_default_rules();
  INFO((rules ? "" : rules.error().pointer + ": " + rules.error().message));
  REQUIRE(rules.ok());
  CHECK(rules->causes.size() == 6);
}

TEST_CASE("malformed JSON is reported with line and column", "[rules]") {
  auto rules = load_rules("{\n  \"id\": \"x\",\n  \"title\" \"y\"\n}");
  REQUIRE_FALSE(rules.ok());
  CHECK(rules.error().line == 3);
  CHECK(rules.error().column == 13);  // the end of the unexpected token
  CHECK_THAT(rules.error().message, Catch::Contains("invalid JSON"));
}

TEST_CASE("errors of meaning carry a JSON pointer", "[rules]") {
  json rules = kneecheck::testing::minimal_rules_json();

  SECTION("a condition reading an unknown question, with a suggestion") {
    rules["causes"][0]["indicators"][1]["when"] = {{"in", {"front", {{"var", "wher"}}}}};
    auto error = load_error(rules);
    CHECK(error.pointer == "/causes/0/indicators/1/when");
    CHECK_THAT(error.message, Catch::Contains("\"wher\"") && Catch::Contains("did you mean \"where\""));
  }
  SECTION("an ask_if reading a later question") {
    rules["questions"][1]["ask_if"] = {{"var", "pain"}};
    auto error = load_error(rules);
    CHECK(error.pointer == "/questions/1/ask_if");
    CHECK_THAT(error.message, Catch::Contains("asked only later"));
  }
  SECTION("a duplicate question id") {
    rules["questions"][1]["id"] = "where";
    auto error = load_error(rules);
    CHECK(error.pointer == "/questions/1/id");
    CHECK_THAT(error.message, Catch::Contains("duplicate"));
  }
  SECTION("a duplicate cause id") {
    rules["causes"][1]["id"] = "overuse";
    CHECK(load_error(rules).pointer == "/causes/1/id");
  }
  SECTION("a choice value the question does not offer") {
    rules["causes"][1]["indicators"][0]["when"] = {{"==", {{{"var", "onset"}}, "injuy"}}};
    auto error = load_error(rules);
    CHECK(error.pointer == "/causes/1/indicators/0/when/==/1");
    CHECK_THAT(error.message, Catch::Contains("no option \"injuy\"") && Catch::Contains("did you mean \"injury\""));
  }
  SECTION("a multi value the question does not offer") {
    rules["causes"][0]["indicators"][1]["when"] = {{"in", {"back", {{"var", "where"}}}}};
    CHECK(load_error(rules).pointer == "/causes/0/indicators/1/when/in/0");
  }
  SECTION("a choice compared with a list holding a value not offered") {
    rules["causes"][1]["indicators"][0]["when"] = {{"in", {{{"var", "onset"}}, {"gradual", "sudden"}}}};
    CHECK(load_error(rules).pointer == "/causes/1/indicators/0/when/in/1/1");
  }
  SECTION("missing advice") {
    rules["causes"][1].erase("advice");
    auto error = load_error(rules);
    CHECK(error.pointer == "/causes/1");
    CHECK_THAT(error.message, Catch::Contains("missing \"advice\""));
  }
  SECTION("empty advice") {
    rules["causes"][1]["advice"] = json::array();
    CHECK(load_error(rules).pointer == "/causes/1/advice");
  }
  SECTION("advice tied to an indicator the cause does not have") {
    rules["causes"][0]["advice"][1]["for"] = {"rampp"};
    CHECK(load_error(rules).pointer == "/causes/0/advice/1/for/0");
  }
  SECTION("an unknown source") {
    rules["red_flags"][0]["source"] = "articel";
    auto error = load_error(rules);
    CHECK(error.pointer == "/red_flags/0/source");
    CHECK_THAT(error.message, Catch::Contains("did you mean \"article\""));
  }
  SECTION("a missing source") {
    rules["causes"][0]["indicators"][0].erase("source");
    CHECK(load_error(rules).pointer == "/causes/0/indicators/0");
  }
  SECTION("a weight out of range") {
    rules["causes"][0]["indicators"][0]["weight"] = 0;
    CHECK(load_error(rules).pointer == "/causes/0/indicators/0/weight");
  }
  SECTION("a red flag with an unknown level") {
    rules["red_flags"][0]["level"] = "whenever";
    CHECK(load_error(rules).pointer == "/red_flags/0/level");
  }
  SECTION("an unknown question type") {
    rules["questions"][0]["type"] = "text";
    CHECK(load_error(rules).pointer == "/questions/0/type");
  }
  SECTION("an id that is not snake_case") {
    for (const char* id : {"Where", "_where", "where_", "wh__ere", "1where", "wh-ere", "wh ere", ""}) {
      INFO(id);
      rules["questions"][0]["id"] = id;
      CHECK(load_error(rules).pointer == "/questions/0/id");
    }
  }
  SECTION("snake_case ids with digits load") {
    json renamed = rules;
    for (const char* id : {"w", "where2", "where_2_b"}) {
      INFO(id);
      std::string text = renamed.dump();
      std::string replaced = text;
      for (std::size_t at = replaced.find("\"where\""); at != std::string::npos;
           at = replaced.find("\"where\"", at + 1)) {
        replaced.replace(at, 7, std::string("\"") + id + "\"");
      }
      CHECK(kneecheck::load_rules(replaced));
    }
  }
  SECTION("a default that is not a valid answer") {
    rules["questions"][3]["default"] = 11;
    CHECK(load_error(rules).pointer == "/questions/3/default");
  }
  SECTION("a number question without bounds") {
    rules["questions"][4].erase("max");
    CHECK(load_error(rules).pointer == "/questions/4");
  }
  SECTION("an unknown JsonLogic operation") {
    rules["red_flags"][1]["when"] = {{"greater", {1, 2}}};
    CHECK_THAT(load_error(rules).pointer, Catch::StartsWith("/red_flags/1/when"));
  }
  SECTION("a wrong type where a string belongs") {
    rules["title"] = 5;
    auto error = load_error(rules);
    CHECK(error.pointer == "/title");
    CHECK_THAT(error.message, Catch::Contains("expected a string, found number"));
  }
  SECTION("an empty disclaimer") {
    rules["disclaimer"]["text"] = "";
    CHECK(load_error(rules).pointer == "/disclaimer/text");
  }
  SECTION("an unsupported schema version") {
    rules["schema_version"] = 2;
    CHECK(load_error(rules).pointer == "/schema_version");
  }
}

TEST_CASE("a document that is not an object is an error, not a crash", "[rules]") {
  for (const char* text : {"[]", "42", "null", "\"rules\""}) {
    auto rules = load_rules(text);
    REQUIRE_FALSE(rules.ok());
    CHECK_THAT(rules.error().message, Catch::Contains("expected an object"));
  }
}

TEST_CASE("a rule file that cannot be read names the path", "[rules]") {
  auto rules = kneecheck::load_rules_file("/nonexistent/rules.json");
  REQUIRE_FALSE(rules.ok());
  CHECK_THAT(rules.error().message, Catch::Contains("/nonexistent/rules.json") && Catch::Contains("no such file"));
}

TEST_CASE("checking reports every broken part, not only the first", "[rules]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["questions"][1]["type"] = "text";                       // the question fails to load...
  rules["causes"][0]["indicators"][0]["weight"] = 11;           // ...and so do an indicator,
  rules["red_flags"][1]["level"] = "later";                     // a red flag
  rules["causes"][1]["advice"][0]["source"] = "nowhere";        // and an advice item
  auto check = kneecheck::check_rules(rules);
  std::vector<std::string> pointers;
  for (const auto& error : check.errors) pointers.push_back(error.pointer);
  // The question that failed is still known by its id: no cascade of
  // "unknown question" errors from the conditions that read it.
  CHECK(pointers == std::vector<std::string>{"/questions/1/type", "/red_flags/1/level",
                                             "/causes/0/indicators/0/weight", "/causes/1/advice/0/source"});
}

TEST_CASE("conditions whose types cannot match their question are errors", "[rules]") {
  json rules = kneecheck::testing::minimal_rules_json();
  auto error_for = [&](const json& condition) {
    json broken = rules;
    broken["causes"][0]["indicators"][1]["when"] = condition;
    return load_error(broken);
  };
  SECTION("a yes/no answer compared with a string") {
    auto error = error_for({{"==", {{{"var", "locks"}}, "yes"}}});
    CHECK(error.pointer == "/causes/0/indicators/1/when/==/1");
    CHECK_THAT(error.message, Catch::Contains("\"locks\" (yes_no)") && Catch::Contains("true or false"));
  }
  SECTION("a number compared with a string") {
    CHECK(error_for({{"==", {{{"var", "pain"}}, "high"}}}).pointer == "/causes/0/indicators/1/when/==/1");
  }
  SECTION("a choice ordered with >") {
    CHECK(error_for({{">", {{{"var", "onset"}}, 2}}}).pointer == "/causes/0/indicators/1/when/>/0");
  }
  SECTION("a multi answer compared with ==") {
    auto error = error_for({{"==", {{{"var", "where"}}, "front"}}});
    CHECK_THAT(error.message, Catch::Contains("{\"in\": [value, {\"var\": \"where\"}]}"));
  }
  SECTION("in looking inside a choice answer") {
    CHECK_THAT(error_for({{"in", {"grad", {{"var", "onset"}}}}}).message, Catch::Contains("compare it with =="));
  }
  SECTION("a multi answer looked up in a list") {
    CHECK(error_for({{"in", {{{"var", "where"}}, {"front"}}}}).pointer == "/causes/0/indicators/1/when/in/0");
  }
  SECTION("nested inside and/or") {
    CHECK(error_for({{"and", {true, {{"or", {{{"===", {{{"var", "km"}}, "ten"}}}}}}}}}).pointer ==
          "/causes/0/indicators/1/when/and/1/or/0/===/1");
  }
}

TEST_CASE("sources, derived values and placeholders carry what reports show", "[rules]") {
  json document = kneecheck::testing::minimal_rules_json();
  document["sources"][0]["title"] = "Why Do My Knees Hurt When I Run? 6 Reasons";
  document["sources"][0]["author"] = "Unknown author";
  document["sources"][0]["url"] = "https://example.org/knees";
  document["derived"][0]["label"] = "Change in weekly distance";
  document["derived"][0]["unit"] = "%";
  document["derived"][0]["decimals"] = 1;
  document["causes"][0]["indicators"][0]["because"] = "your distance grew by {km_increase_pct} to {km}";
  auto rules = load_rules(document.dump());
  REQUIRE(rules.ok());
  CHECK(rules->sources[0].title == "Why Do My Knees Hurt When I Run? 6 Reasons");
  CHECK(rules->sources[0].url == "https://example.org/knees");
  CHECK(rules->derived[0].label == "Change in weekly distance");
  CHECK(rules->derived[0].unit == "%");
  CHECK(rules->derived[0].decimals == 1);

  document["derived"][0]["decimals"] = 9;
  CHECK(load_error(document).pointer == "/derived/0/decimals");
  document["derived"][0]["decimals"] = 1;
  document["causes"][0]["indicators"][0]["because"] = "your distance grew by {km_increse_pct}";
  auto error = load_error(document);
  CHECK(error.pointer == "/causes/0/indicators/0/because");
  CHECK(error.message == "placeholder {km_increse_pct} names no question or derived value");
}

TEST_CASE("a text splits into its runs and placeholders", "[rules]") {
  auto pieces = kneecheck::split_placeholders("went up {pct} to {km}, {not one} {}");
  REQUIRE(pieces.size() == 5);
  CHECK(pieces[0].text == "went up ");
  CHECK((pieces[1].text == "pct" && pieces[1].placeholder));
  CHECK(pieces[2].text == " to ");
  CHECK((pieces[3].text == "km" && pieces[3].placeholder));
  CHECK((pieces[4].text == ", {not one} {}" && !pieces[4].placeholder));
}

TEST_CASE("from_runs names a question once and reads only run figures", "[rules]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["from_runs"] = json::array({{{"question", "km"}, {"value", {{"var", "km_week_1"}}}}});
  auto loaded = kneecheck::load_rules(rules.dump());
  REQUIRE(loaded.ok());
  REQUIRE(loaded->from_runs.size() == 1);
  CHECK(loaded->from_runs[0].question == "km");
  CHECK(loaded->from_runs[0].value.evaluate(json{{"km_week_1", 12.5}}) == 12.5);

  SECTION("an unknown question") {
    rules["from_runs"][0]["question"] = "kms";
    auto error = load_error(rules);
    CHECK(error.pointer == "/from_runs/0/question");
    CHECK_THAT(error.message, Catch::Contains("unknown question \"kms\""));
  }
  SECTION("a figure runs do not give, with a suggestion") {
    rules["from_runs"][0]["value"] = {{"var", "km_week1"}};
    auto error = load_error(rules);
    CHECK(error.pointer == "/from_runs/0/value");
    CHECK_THAT(error.message, Catch::Contains("no run figure") && Catch::Contains("did you mean \"km_week_1\""));
  }
  SECTION("a question suggested twice") {
    rules["from_runs"].push_back({{"question", "km"}, {"value", {{"var", "km_week_2"}}}});
    auto error = load_error(rules);
    CHECK(error.pointer == "/from_runs/1/question");
    CHECK_THAT(error.message, Catch::Contains("suggested twice"));
  }
}
