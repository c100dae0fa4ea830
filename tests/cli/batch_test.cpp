#include "cli/batch.hpp"

#include <sstream>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using nlohmann::json;

namespace {

std::vector<json> run(const std::string& input, kneecheck::BatchSummary& summary) {
  static const kneecheck::RuleSet rules = kneecheck::testing::minimal_rules();
  std::istringstream in(input);
  std::ostringstream out;
  summary = kneecheck::run_batch(rules, in, out, kneecheck::Date{2026, 11, 25});
  std::vector<json> records;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) records.push_back(json::parse(line));
  return records;
}

}  // namespace

TEST_CASE("each answers line gives one assessment line, in order", "[batch]") {
  kneecheck::BatchSummary summary;
  auto records = run(R"({"where": ["front"], "onset": "gradual", "pain": 2, "km": 40, "km_before": 20}

{"where": ["outer"], "onset": "injury", "locks": true, "pain": 2}
)",
                     summary);
  CHECK(summary.lines == 2);
  CHECK(summary.failed == 0);
  REQUIRE(records.size() == 2);
  CHECK(records[0]["causes"][0]["id"] == "overuse");
  CHECK(records[1]["escalation"]["level"] == "urgent");
}

TEST_CASE("a bad line gives an error record and the rest go on", "[batch]") {
  kneecheck::BatchSummary summary;
  auto records = run("{\"where\": [\"front\"], \"onset\": \"gradual\", \"pain\": 2}\n"
                     "{not json\n"
                     "{\"where\": [\"front\"], \"onset\": \"sudden\", \"pain\": 2}\n"
                     "{\"where\": [], \"onset\": \"gradual\", \"pain\": 1}\n",
                     summary);
  CHECK(summary.lines == 4);
  CHECK(summary.failed == 2);
  REQUIRE(records.size() == 4);
  CHECK(records[1]["line"] == 2);
  CHECK(records[1]["error"] == "invalid JSON");
  CHECK(records[2]["line"] == 3);
  CHECK(records[2]["problems"][0]["pointer"] == "/onset");
  CHECK(records[3]["escalation"]["level"] == "self_care");
}

TEST_CASE("a batch on several threads writes what one thread writes, in input order", "[batch]") {
  static const kneecheck::RuleSet rules = kneecheck::testing::minimal_rules();
  // Several chunks' worth of lines: good ones, bad ones, blank ones and one
  // too long to read.
  std::string input;
  std::size_t lines = 0;
  std::size_t bad = 0;
  for (int i = 0; i < 300; ++i) {
    lines += i % 7 == 1 ? 0 : 1;
    bad += i % 7 == 0 ? 1 : 0;
    switch (i % 7) {
      case 0: input += "{not json\n"; break;
      case 1: input += "\n"; break;
      case 2: input += R"({"where": [], "onset": "gradual", "pain": 1})" "\n"; break;
      case 3: input += R"({"where": ["outer"], "onset": "injury", "locks": true, "pain": 2})" "\n"; break;
      default: input += R"({"where": ["front"], "onset": "gradual", "pain": )" + std::to_string(i % 11) + "}\n";
    }
    if (i == 150) {
      input += std::string(kneecheck::kMaxBatchLineBytes + 10, ' ') + "\n";
      ++lines;
      ++bad;
    }
  }
  auto run_with = [&](std::size_t jobs, kneecheck::BatchSummary& summary) {
    std::istringstream in(input);
    std::ostringstream out;
    summary = kneecheck::run_batch(rules, in, out, kneecheck::Date{2026, 11, 25}, jobs);
    return out.str();
  };
  kneecheck::BatchSummary one;
  const std::string expected = run_with(1, one);
  CHECK(one.lines == lines);  // blank lines are skipped
  CHECK(one.failed == bad);
  for (std::size_t jobs : {2, 3, 8}) {
    INFO("jobs " << jobs);
    kneecheck::BatchSummary many;
    CHECK(run_with(jobs, many) == expected);
    CHECK(many.lines == one.lines);
    CHECK(many.failed == one.failed);
  }
  // Every record names its input line where it is an error, in order.
  std::istringstream records(expected);
  std::size_t last_error_line = 0;
  for (std::string line; std::getline(records, line);) {
    auto record = json::parse(line);
    if (!record.contains("line")) continue;
    CHECK(record["line"].get<std::size_t>() > last_error_line);
    last_error_line = record["line"].get<std::size_t>();
  }
}
