#include "kneecheck/authoring/validate.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test_support.hpp"

using kneecheck::Diagnostic;
using kneecheck::Severity;
using nlohmann::json;

namespace {

std::vector<Diagnostic> validate(const json& rules) {
  return kneecheck::validate_rules(rules.dump(2), "rules.json");
}

json rules_with_indicator(const json& condition) {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["causes"][0]["indicators"][1]["when"] = condition;
  return rules;
}

}  // namespace

TEST_CASE("the fixture and the default rules validate clean", "[validate]") {
  CHECK(validate(kneecheck::testing::minimal_rules_json()).empty());
  auto diagnostics = kneecheck::validate_rules(kneecheck::embedded_rules(), "<embedded>");
  INFO(kneecheck::format_diagnostics(diagnostics, kneecheck::DiagnosticFormat::text));
  CHECK(diagnostics.empty());
}

TEST_CASE("a syntax error is one diagnostic with line and column", "[validate]") {
  auto diagnostics = kneecheck::validate_rules("{\n  \"id\": 1,\n}", "r.json");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].line == 3);
  CHECK(diagnostics[0].column == 1);
  CHECK(kneecheck::format_diagnostics(diagnostics, kneecheck::DiagnosticFormat::text) ==
        "r.json:3:1: error: invalid JSON: unexpected '}'; expected string literal\n1 error, 0 warnings\n");
}

TEST_CASE("every problem gets its own diagnostic with pointer and line", "[validate]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["questions"][1]["type"] = "text";
  rules["red_flags"][0].erase("level");
  auto diagnostics = validate(rules);
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics[0].pointer == "/questions/1/type");
  CHECK(diagnostics[0].line > 1);
  CHECK(diagnostics[1].pointer == "/red_flags/0");
  CHECK_THAT(diagnostics[1].message, Catch::Contains("missing \"level\""));
  CHECK(diagnostics[1].line > diagnostics[0].line);
}

TEST_CASE("a question no answers can reach is an error", "[validate]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["questions"][2]["ask_if"] = {
      {"and", {{{"==", {{{"var", "onset"}}, "injury"}}}, {{"==", {{{"var", "onset"}}, "gradual"}}}}}};
  auto diagnostics = validate(rules);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == Severity::error);
  CHECK(diagnostics[0].pointer == "/questions/2/ask_if");
  CHECK_THAT(diagnostics[0].message, Catch::Contains("\"locks\" can never be asked"));
}

TEST_CASE("an indicator no answers can match is a warning", "[validate]") {
  auto diagnostics = validate(rules_with_indicator(
      {{"and", {{{">", {{{"var", "pain"}}, 8}}}, {{"<", {{{"var", "pain"}}, 3}}}}}}));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == Severity::warning);
  CHECK(diagnostics[0].pointer == "/causes/0/indicators/1/when");
  CHECK_FALSE(kneecheck::has_failures(diagnostics, false));
  CHECK(kneecheck::has_failures(diagnostics, true));
}

TEST_CASE("conditions that can match through a derived value are not flagged", "[validate]") {
  // km_increase_pct > 250 needs km well above km_before: reachable.
  CHECK(validate(rules_with_indicator({{">", {{{"var", "km_increase_pct"}}, 250}}})).empty());
  CHECK(validate(rules_with_indicator({{"<=", {{{"var", "pain"}}, 0}}})).empty());
}

TEST_CASE("a question no condition reads is a warning", "[validate]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["questions"].push_back(
      {{"id", "shoe_brand"}, {"section", "Your running"}, {"label", "Brand"}, {"text", "Which brand?"}, {"type", "yes_no"}});
  auto diagnostics = validate(rules);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].pointer == "/questions/6");
  CHECK_THAT(diagnostics[0].message, Catch::Contains("\"shoe_brand\" is asked, but no condition reads"));
}

TEST_CASE("every question needs a section and a label, and a section stays together", "[validate]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["questions"][1].erase("label");
  rules["questions"][2].erase("section");
  rules["questions"][3]["section"] = "Your running";  // ...then "Your pain" again, after it
  rules["questions"][4]["section"] = "Your pain";
  auto diagnostics = validate(rules);
  std::vector<std::string> found;
  for (const auto& diagnostic : diagnostics) {
    found.push_back(fmt::format("{} {} {}", diagnostic.severity == Severity::error ? "error" : "warning", diagnostic.pointer, diagnostic.message));
  }
  CHECK(found == std::vector<std::string>{
                     "warning /questions/1 question \"onset\" has no label for reports",
                     "warning /questions/2 question \"locks\" has no section",
                     "error /questions/4 question \"km\" is in section \"Your pain\", which ended before section "
                     "\"Your running\": keep each section's questions together",
                     "error /questions/5 question \"km_before\" is in section \"Your running\", which ended before "
                     "section \"Your pain\": keep each section's questions together"});
}

TEST_CASE("a published source needs its year, or n.d.", "[validate]") {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["sources"].push_back({{"id", "smith-2020"}, {"citation", "Smith 2020"}});
  rules["sources"].push_back({{"id", "guide"}, {"citation", "A web guide"}, {"year", "n.d."}});
  rules["sources"].push_back({{"id", "reading"}, {"kind", "expert_reading"}, {"citation", "Our reading"}});
  auto diagnostics = validate(rules);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].pointer == "/sources/1");
  CHECK(diagnostics[0].message == "source \"smith-2020\" has no year: give it, or \"n.d.\" when the source has none");
  rules["sources"][1]["year"] = "2020";  // a year may be written as a string too
  CHECK(kneecheck::load_rules(rules.dump()).ok());
  rules["sources"][1]["year"] = "soon";
  CHECK_THAT(kneecheck::load_rules(rules.dump()).error().message, Catch::Contains("expected a year such as 2014"));
  rules["sources"][1]["year"] = 1066;
  CHECK_THAT(kneecheck::load_rules(rules.dump()).error().message, Catch::Contains("expected a year such as 2014"));
}

TEST_CASE("diagnostics as JSON and as GitHub annotations", "[validate]") {
  std::vector<Diagnostic> diagnostics = {
      {Severity::error, "rules/a,b.json", "/x", 4, 2, "bad: value\nsecond line 100%"},
      {Severity::warning, "r.json", "", 0, 0, "hmm"}};
  CHECK(kneecheck::format_diagnostics(diagnostics, kneecheck::DiagnosticFormat::github) ==
        "::error file=rules/a%2Cb.json,line=4,col=2::bad: value%0Asecond line 100%25 (at /x)\n"
        "::warning file=r.json::hmm\n");
  json listed = json::parse(kneecheck::format_diagnostics(diagnostics, kneecheck::DiagnosticFormat::json));
  CHECK(listed[0] == json({{"severity", "error"},
                           {"file", "rules/a,b.json"},
                           {"line", 4},
                           {"column", 2},
                           {"pointer", "/x"},
                           {"message", "bad: value\nsecond line 100%"}}));
  CHECK(listed[1]["severity"] == "warning");
}

TEST_CASE("a rule file that cannot be read is an error diagnostic", "[validate]") {
  auto diagnostics = kneecheck::validate_rules_file("/nonexistent/rules.json");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].severity == Severity::error);
  CHECK_THAT(diagnostics[0].message, Catch::Contains("no such file"));
}
