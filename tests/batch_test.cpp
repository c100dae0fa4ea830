#include "kneecheck/batch.hpp"

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
