// Scenario cases: reading case files, comparing every kind of expectation,
// and the text and JUnit results a person or a CI system reads.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kneecheck/authoring/scenario.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using kneecheck::testing::read_text;
using kneecheck::testing::TempDir;
using nlohmann::json;

namespace {

json overuse_case() { return kneecheck::testing::minimal_overuse_case(); }

json with_expect(json expect) {
  json scenario = overuse_case();
  scenario["expect"] = std::move(expect);
  return scenario;
}

kneecheck::CaseResult run_one(const json& object, const fs::path& file = "/cases/case.json") {
  auto results = kneecheck::run_cases({kneecheck::parse_case(object, file, "")});
  REQUIRE(results.size() == 1);
  return results.front();
}

std::vector<std::string> failures_of(const json& object) { return run_one(object).failures; }

}  // namespace

TEST_CASE("a case whose expectations all hold passes", "[scenario]") {
  auto result = run_one(with_expect({{"top", "overuse"},
                                     {"order", {"overuse"}},
                                     {"bands", {{"overuse", "high"}, {"injury", "low"}}},
                                     {"score_at_least", {{"overuse", 100}}},
                                     {"score_at_most", {{"injury", 0}}},
                                     {"red_flags", json::array()},
                                     {"red_flags_absent", {"locking", "severe"}},
                                     {"escalation", "self_care"},
                                     {"review_by", "2026-12-09"},
                                     {"reasons", {"ramp", "overuse/front_pain", "distance grew"}},
                                     {"reasons_absent", {"injured", "outer side"}}}));
  CHECK(result.failures == std::vector<std::string>{});
  CHECK(result.passed);
  CHECK(result.name == "case");
  CHECK(result.description == "distance doubled");
}

TEST_CASE("each kind of expectation reports expected against actual", "[scenario]") {
  using Failures = std::vector<std::string>;
  CHECK(failures_of(with_expect({{"top", "injury"}})) == Failures{R"(top: expected "injury", got "overuse")"});
  CHECK(failures_of(with_expect({{"top", nullptr}})) == Failures{R"(top: expected no cause indicated, got "overuse")"});
  CHECK(failures_of(with_expect({{"order", {"injury", "overuse"}}})) ==
        Failures{"order: expected [injury, overuse], got [overuse]"});
  CHECK(failures_of(with_expect({{"bands", {{"overuse", "moderate"}}}})) ==
        Failures{"bands: expected overuse to be moderate, got high (score 100)"});
  CHECK(failures_of(with_expect({{"score_at_least", {{"injury", 25}}}})) ==
        Failures{"score_at_least: expected injury to score at least 25, got 0"});
  CHECK(failures_of(with_expect({{"score_at_most", {{"overuse", 50}}}})) ==
        Failures{"score_at_most: expected overuse to score at most 50, got 100"});
  CHECK(failures_of(with_expect({{"red_flags", {"locking"}}})) == Failures{"red_flags: expected [locking], got []"});
  CHECK(failures_of(with_expect({{"red_flags_include", {"severe"}}})) ==
        Failures{"red_flags_include: expected severe to be raised, got []"});
  CHECK(failures_of(with_expect({{"escalation", "routine"}})) ==
        Failures{"escalation: expected routine, got self_care"});
  CHECK(failures_of(with_expect({{"review_by", nullptr}})) == Failures{"review_by: expected none, got 2026-12-09"});
  CHECK(failures_of(with_expect({{"reasons", {"injured"}}})) ==
        Failures{R"(reasons: expected a reason matching "injured", got [overuse/ramp, overuse/front_pain])"});
  CHECK(failures_of(with_expect({{"reasons_absent", {"at the front"}}})) ==
        Failures{R"(reasons_absent: expected no reason matching "at the front", got [overuse/front_pain])"});
}

TEST_CASE("red flags and escalation are compared when a flag is raised", "[scenario]") {
  json scenario = overuse_case();
  scenario["answers"]["pain"] = 9;
  scenario["expect"] = {{"red_flags", json::array()}, {"red_flags_absent", {"severe"}}, {"escalation", "self_care"}};
  CHECK(failures_of(scenario) == std::vector<std::string>{"red_flags: expected [], got [severe]",
                                                          "red_flags_absent: expected severe not to be raised, got [severe]",
                                                          "escalation: expected self_care, got soon"});
  scenario["expect"] = {{"red_flags", {"severe"}}, {"escalation", "soon"}, {"review_by", nullptr}, {"top", "overuse"}};
  CHECK(failures_of(scenario).empty());
}

TEST_CASE("a case with no cause indicated expects top null", "[scenario]") {
  json scenario = overuse_case();
  scenario["answers"] = {{"where", json::array()}, {"onset", "gradual"}, {"pain", 2}};
  scenario["expect"] = {{"top", nullptr}, {"order", json::array()}};
  CHECK(failures_of(scenario).empty());
  scenario["expect"] = {{"top", "overuse"}};
  CHECK(failures_of(scenario) == std::vector<std::string>{R"(top: expected "overuse", got no cause indicated)"});
}

TEST_CASE("ids the rules do not have fail instead of passing unnoticed", "[scenario]") {
  auto failures = failures_of(with_expect({{"top", "overuse_"},
                                           {"red_flags_absent", {"lockin"}},
                                           {"reasons_absent", {"no such reason"}}}));
  CHECK(failures == std::vector<std::string>{
                        R"(top: "overuse_" is not a cause in rules test-rules (did you mean "overuse"?))",
                        R"(red_flags_absent: "lockin" is not a red flag in rules test-rules (did you mean "locking"?))",
                        R"(reasons_absent: "no such reason" is no indicator id or part of a because-text in rules test-rules)"});
}

TEST_CASE("answers the rules reject fail the case with their pointer", "[scenario]") {
  json scenario = overuse_case();
  scenario["answers"]["locks"] = true;  // asked only after an injury
  auto result = run_one(scenario, "/cases/locks.json");
  CHECK_FALSE(result.passed);
  REQUIRE(result.failures.size() == 1);
  CHECK_THAT(result.failures[0], Catch::StartsWith("/cases/locks.json: at /answers/locks: "));
}

TEST_CASE("the default rules are used when a case names none", "[scenario]") {
  json scenario = overuse_case();
  scenario.erase("rules");
  auto result = run_one(scenario);
  std::string failures;
  for (const auto& failure : result.failures) failures += failure + "\n";
  CHECK_THAT(failures, Catch::Contains("at /answers/where: unknown question"));
}

TEST_CASE("a rule file is found relative to the case file", "[scenario]") {
  TempDir dir;
  dir.write("rules/mine.json", read_text(kneecheck::testing::fixture_path("minimal_rules.json")));
  json scenario = overuse_case();
  scenario["rules"] = "../rules/mine.json";
  auto file = dir.write("cases/relative.json", scenario.dump());
  auto cases = kneecheck::read_cases(file);
  REQUIRE(cases.size() == 1);
  CHECK(kneecheck::run_cases(cases).front().passed);

  scenario["rules"] = "../rules/missing.json";
  dir.write("cases/relative.json", scenario.dump());
  auto result = kneecheck::run_cases(kneecheck::read_cases(file)).front();
  REQUIRE(result.failures.size() == 1);
  CHECK_THAT(result.failures[0], Catch::StartsWith("rules: ") && Catch::Contains("no such file"));
}

TEST_CASE("malformed case files fail with the file and JSON pointer", "[scenario]") {
  TempDir dir;
  auto problems = [&](const std::string& text) {
    auto file = dir.write("bad.json", text);
    auto cases = kneecheck::read_cases(file);
    REQUIRE(cases.size() == 1);
    auto result = kneecheck::run_cases(cases).front();
    CHECK_FALSE(result.passed);
    return result.failures;
  };
  std::string file = (dir.path() / "bad.json").string();

  CHECK(problems("{\"answers\": {,}}") ==
        std::vector<std::string>{file + ":1:14: invalid JSON: unexpected ','; expected string literal"});
  CHECK(problems("[1]") == std::vector<std::string>{file + ": a case is a JSON object, got [1]"});
  CHECK(problems(R"({"answers": {}, "expect": {"topp": null}, "expected": {}})") ==
        std::vector<std::string>{file + R"(: at /expect/topp: unknown expectation "topp" (did you mean "top"?))",
                                 file + R"(: at /expected: unknown key "expected" (did you mean "expect"?))"});
  CHECK(problems(R"({"answers": {}})") == std::vector<std::string>{file + R"(: missing "expect")"});
  CHECK(problems(R"({"expect": {"top": null}})") == std::vector<std::string>{file + R"(: missing "answers")"});
  CHECK(problems(R"({"answers": {}, "expect": {}})") ==
        std::vector<std::string>{file + R"(: at /expect: "expect" must be an object stating at least one expectation)"});
  CHECK(problems(R"({"answers": [], "expect": {"top": 5, "bands": {"x": "huge"}, "escalation": "later",
                     "score_at_least": {"x": 101}, "reasons": [""], "order": "x"}, "date": "2026-02-30"})") ==
        std::vector<std::string>{
            // in the order of the keys, which nlohmann::json sorts
            file + ": at /answers: expected an object of question id -> answer, got []",
            file + R"(: at /date: expected a date YYYY-MM-DD, got "2026-02-30")",
            file + R"(: at /expect/bands/x: expected "low", "moderate" or "high", got "huge")",
            file + R"(: at /expect/escalation: expected "urgent", "soon", "routine" or "self_care", got "later")",
            file + R"(: at /expect/order: expected an array of strings, got "x")",
            file + ": at /expect/reasons/0: a reason cannot be empty",
            file + ": at /expect/score_at_least/x: expected a whole number from 0 to 100, got 101",
            file + ": at /expect/top: expected a string, got 5"});
  CHECK(problems(R"({"answers": {}, "expect": {"review_by": "2026-12-09"}})") ==
        std::vector<std::string>{file + R"(: at /expect/review_by: a review date needs the case's "date")"});
  CHECK(problems(R"({"cases": {}})") == std::vector<std::string>{file + R"(: at /cases: "cases" must be an array of cases)"});
  CHECK(problems(R"({"cases": [], "rules": "x"})") ==
        std::vector<std::string>{file + R"(: at /rules: unknown key "rules" beside "cases")"});
}

TEST_CASE("a file of several cases names each by its index", "[scenario]") {
  TempDir dir;
  json good = overuse_case();
  json bad = with_expect({{"top", "injury"}});
  auto file = dir.write("pair.json", json{{"cases", {good, bad, 7}}}.dump());
  auto results = kneecheck::run_cases(kneecheck::read_cases(file));
  REQUIRE(results.size() == 3);
  CHECK(results[0].name == "pair[0]");
  CHECK(results[0].passed);
  CHECK(results[1].name == "pair[1]");
  CHECK_FALSE(results[1].passed);
  CHECK(results[2].failures == std::vector<std::string>{file.string() + ": at /cases/2: a case is a JSON object, got 7"});
}

TEST_CASE("case files are collected from folders recursively, sorted by path", "[scenario]") {
  TempDir dir;
  dir.write("b.json", "{}");
  dir.write("a/z.json", "{}");
  dir.write("a/notes.txt", "not a case");
  auto single = dir.write("elsewhere.case", "{}");
  auto files = kneecheck::collect_case_files({dir.path().string(), single.string()});
  REQUIRE(files.ok());
  CHECK(*files == std::vector<fs::path>{dir.path() / "a/z.json", dir.path() / "b.json", single});

  auto missing = kneecheck::collect_case_files({(dir.path() / "nope").string()});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::EndsWith("nope: no such file or folder"));
  CHECK_FALSE(kneecheck::collect_case_files({}).ok());
  TempDir empty;
  CHECK_FALSE(kneecheck::collect_case_files({empty.path().string()}).ok());
}

TEST_CASE("the text results list each failure and end with the counts", "[scenario]") {
  std::vector<kneecheck::CaseResult> results = {
      {"good", "cases/good.json", "", true, {}},
      {"bad", "cases/bad.json", "a knee that locks", false, {R"(top: expected "injury", got "overuse")", "escalation: expected urgent, got self_care"}}};
  CHECK(kneecheck::format_results_text(results) ==
        "FAIL bad (cases/bad.json): a knee that locks\n"
        "  top: expected \"injury\", got \"overuse\"\n"
        "  escalation: expected urgent, got self_care\n"
        "\n"
        "1 passed, 1 failed\n");
  CHECK(kneecheck::format_results_text({results[0]}) == "1 passed, 0 failed\n");
}

TEST_CASE("the JUnit XML escapes names and messages", "[scenario]") {
  std::vector<kneecheck::CaseResult> results = {
      {"good", "cases/good.json", "", true, {}},
      {"a<b & \"c\"", "cases/x's.json", "", false, {"top: expected <x> & 'y'", "second"}}};
  std::string xml = kneecheck::format_results_junit(results);
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  CHECK_THAT(xml, Catch::Contains(R"(<testsuite name="kneecheck scenarios" tests="2" failures="1")"));
  CHECK_THAT(xml, Catch::Contains(R"(<testcase name="good" classname="cases/good.json" file="cases/good.json"/>)"));
  CHECK_THAT(xml, Catch::Contains(R"(<testcase name="a&lt;b &amp; &quot;c&quot;" classname="cases/x&apos;s.json")"));
  CHECK_THAT(xml, Catch::Contains(R"(<failure message="top: expected &lt;x&gt; &amp; &apos;y&apos;">)"
                                  "top: expected &lt;x&gt; &amp; &apos;y&apos;\nsecond</failure>"));
  CHECK_THAT(xml, Catch::EndsWith("</testsuite>\n</testsuites>\n"));
}

TEST_CASE("control characters never reach the JUnit XML", "[scenario]") {
  std::string xml = kneecheck::format_results_junit({{"bell\x07", "f.json", "", false, {"tab\tok"}}});
  CHECK_THAT(xml, Catch::Contains(R"(name="bell?")"));
  CHECK_THAT(xml, Catch::Contains("tab\tok"));
}

