// The command line through run_cli and its Console, as main() runs it but
// with streams a test can fill and read.
#include "kneecheck/cli/cli.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using kneecheck::testing::read_text;
using kneecheck::testing::TempDir;
using nlohmann::json;

namespace {

struct Ran {
  int code = 0;
  std::string out;
  std::string err;
};

// Runs `kneecheck ARGS...` with `input` on standard input, none of it a terminal.
Ran run(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "kneecheck");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  kneecheck::Console console{in, out, err};
  Ran ran;
  ran.code = kneecheck::run_cli(static_cast<int>(argv.size()), argv.data(), console);
  ran.out = out.str();
  ran.err = err.str();
  return ran;
}

json overuse_case() { return kneecheck::testing::minimal_overuse_case(); }

}  // namespace

TEST_CASE("the test command exits 0, 1 or 2 and writes JUnit XML", "[cli]") {
  TempDir dir;
  dir.write("cases/good.json", overuse_case().dump());
  auto junit = (dir / "results.xml").string();
  auto cases = (dir / "cases").string();

  auto passed = run({"test", cases, "--junit", junit});
  CHECK(passed.code == 0);
  CHECK(passed.out == "1 passed, 0 failed\n");
  CHECK_THAT(read_text(junit), Catch::Contains(R"(tests="1" failures="0")"));

  json bad = overuse_case();
  bad["expect"] = {{"escalation", "urgent"}};
  dir.write("cases/bad.json", bad.dump());
  auto failed = run({"test", cases, "--junit", junit});
  CHECK(failed.code == 1);
  CHECK_THAT(failed.out, Catch::Contains("escalation: expected urgent, got self_care") &&
                             Catch::EndsWith("\n1 passed, 1 failed\n"));
  CHECK_THAT(read_text(junit), Catch::Contains(R"(tests="2" failures="1")"));
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    CHECK_THAT(entry.path().filename().string(), !Catch::Contains(".tmp-"));
  }

  CHECK(run({"test"}).code == 2);
  auto missing = run({"test", (dir / "none").string()});
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no such file or folder"));
  dir.write("empty/list.json", R"({"cases": []})");
  auto empty = run({"test", (dir / "empty").string()});
  CHECK(empty.code == 2);
  CHECK_THAT(empty.err, Catch::Contains("no case found"));
  auto unwritable = run({"test", (dir / "cases/good.json").string(), "--junit", (dir / "no/such/folder/x.xml").string()});
  CHECK(unwritable.code == 2);
  CHECK_THAT(unwritable.err, Catch::Contains("cannot write"));
}

TEST_CASE("assess scores an answers file from standard input and says what is wrong with a bad one", "[cli]") {
  const std::string rules = kneecheck::testing::fixture_path("minimal_rules.json");
  auto scored = run({"--rules", rules, "--date", "2026-11-25", "--format", "json", "--no-save", "assess", "--answers", "-"},
                    R"({"where": ["front"], "onset": "gradual", "pain": 3, "km": 40, "km_before": 20})");
  REQUIRE(scored.code == 0);
  auto report = json::parse(scored.out);
  CHECK(report["causes"][0]["id"] == "overuse");
  CHECK(report["escalation"]["level"] == "self_care");

  auto invalid = run({"--rules", rules, "--no-save", "assess", "--answers", "-"}, R"({"where": ["front"], "onset": 7})");
  CHECK(invalid.code == 2);
  CHECK(invalid.out.empty());
  CHECK_THAT(invalid.err, Catch::Contains("<stdin>: at /onset:") && Catch::Contains("nothing was scored"));

  auto broken = run({"--rules", rules, "--no-save", "assess", "--answers", "-"}, "{\"where\": [\n");
  CHECK(broken.code == 2);
  CHECK_THAT(broken.err, Catch::Contains("<stdin>:2:"));
}

TEST_CASE("an urgent answer in a pipe ends the interview with the urgent report", "[cli]") {
  const std::string rules = kneecheck::testing::fixture_path("minimal_rules.json");
  auto ran = run({"--rules", rules, "--date", "2026-11-25", "--no-save", "--fail-on", "urgent"}, "1\n2\ny\nnot read\n");
  CHECK(ran.code == 3);
  CHECK_THAT(ran.out, Catch::Contains("GET THE KNEE SEEN TODAY") && !Catch::Contains("What helps"));
  CHECK_THAT(ran.err, Catch::Contains("Stopped at line 3"));
}

TEST_CASE("an unknown option is a usage error", "[cli]") {
  auto ran = run({"--frobnicate"});
  CHECK(ran.code == 2);
  CHECK_THAT(ran.err, Catch::Contains("frobnicate"));
}
