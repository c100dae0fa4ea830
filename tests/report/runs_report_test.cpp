// `kneecheck runs` as text, CSV and JSON, checked against weekly sums by hand.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kneecheck/report/runs.hpp"

namespace {

using kneecheck::Date;
using kneecheck::RunsReportOptions;
using kneecheck::Units;
using kneecheck::runs::Run;

const Date kCheckIn{2024, 6, 30};

Run run_on(const Date& day, double km, const std::string& gear = "") {
  Run run;
  run.local_date = day;
  run.distance_m = km * 1000;
  run.gear = gear;
  run.sport = "Run";
  return run;
}

// Week to 30 Jun: 10 + 5.5 + 12; to 23 Jun: 8; to 16 Jun: 20; to 14 Apr,
// the first of the twelve: 6. 7 Apr is before the weeks, 1 Jul after the
// check-in day.
const std::vector<Run> kRuns = {
    run_on({2024, 6, 30}, 10, "Pegasus 40"), run_on({2024, 6, 28}, 5.5, "Pegasus 40"),
    run_on({2024, 6, 24}, 12, "Old Boost"),  run_on({2024, 6, 23}, 8, "Old Boost"),
    run_on({2024, 6, 10}, 20),               run_on({2024, 4, 8}, 6),
    run_on({2024, 4, 7}, 4),                 run_on({2024, 7, 1}, 30, "Pegasus 40"),
};

RunsReportOptions options(Units units = Units::km) {
  RunsReportOptions chosen;
  chosen.check_in = kCheckIn;
  chosen.units = units;
  return chosen;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

}  // namespace

TEST_CASE("runs report: no runs stored says how to import them", "[report][runs]") {
  const std::string text = kneecheck::render_runs_text({}, options());
  CHECK(text == std::string(kneecheck::kNoRunsStored) + "\n");
  CHECK_THAT(text, Catch::Contains("kneecheck runs import PATH"));
  CHECK(lines_of(kneecheck::render_runs_csv({}, options())).size() == 13);
  CHECK(kneecheck::runs_to_json({}, options())["totals"]["runs"] == 0);
}

TEST_CASE("runs report: the text table, chart, shoes and totals", "[report][runs]") {
  const std::string text = kneecheck::render_runs_text(kRuns, options());
  INFO(text);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() > 14);
  CHECK(lines[0] == "Runs in the 12 weeks to 30 Jun 2024");
  CHECK(lines[2] == "Week ending    Distance  Runs     Longest");
  CHECK(lines[3] == "14 Apr 2024      6.0 km     1      6.0 km");
  CHECK(lines[4] == "21 Apr 2024      0.0 km     0           -");
  CHECK(lines[12] == "16 Jun 2024     20.0 km     1     20.0 km");
  CHECK(lines[13] == "23 Jun 2024      8.0 km     1      8.0 km");
  CHECK(lines[14] == "30 Jun 2024     27.5 km     3     12.0 km");
  CHECK_THAT(text, Catch::Contains("\nDistance each week, 0 to 27.5 km\n"
                                   "  14 Apr 2024  ####................  6.0\n"
                                   "  21 Apr 2024  ....................  0.0\n"));
  CHECK_THAT(text, Catch::Contains("  16 Jun 2024  ###############.....  20.0\n"
                                   "  23 Jun 2024  ######..............  8.0\n"
                                   "  30 Jun 2024  ####################  27.5\n"));
  // Old Boost first: more in the last 28 days, though the Pegasus ran on 1 Jul.
  CHECK_THAT(text, Catch::Contains("  Shoes             In all  Last 28 days\n"
                                   "  Old Boost        20.0 km       20.0 km\n"
                                   "  Pegasus 40       15.5 km       15.5 km\n"));
  CHECK_THAT(text, Catch::Contains("\nIn these 12 weeks: 6 runs, 61.5 km.\nIn all: 7 runs, 65.5 km since 7 Apr 2024.\n"));
}

TEST_CASE("runs report: miles, block characters, and shoe names made safe", "[report][runs]") {
  std::vector<Run> runs = kRuns;
  runs.push_back(run_on({2024, 6, 29}, 1.5, "Evil\x1b[2J shoe"));
  RunsReportOptions chosen = options(Units::mi);
  chosen.unicode = true;
  const std::string text = kneecheck::render_runs_text(runs, chosen);
  INFO(text);
  CHECK_THAT(text, Catch::Contains("30 Jun 2024     18.0 mi     4      7.5 mi"));  // 29 km, longest 12 km
  CHECK_THAT(text, Catch::Contains("  30 Jun 2024  ████████████████████  18.0"));
  CHECK_THAT(text, Catch::Contains("  21 Apr 2024  ····················  0.0"));
  CHECK_THAT(text, Catch::Contains("Evil [2J shoe"));
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("runs report: CSV, one row per week, oldest first", "[report][runs]") {
  const auto lines = lines_of(kneecheck::render_runs_csv(kRuns, options()));
  REQUIRE(lines.size() == 13);
  CHECK(lines[0] == "week_first_day,week_last_day,distance_km,runs,longest_km\r");
  CHECK(lines[1] == "2024-04-08,2024-04-14,6.00,1,6.00\r");
  CHECK(lines[2] == "2024-04-15,2024-04-21,0.00,0,0.00\r");
  CHECK(lines[10] == "2024-06-10,2024-06-16,20.00,1,20.00\r");
  CHECK(lines[11] == "2024-06-17,2024-06-23,8.00,1,8.00\r");
  CHECK(lines[12] == "2024-06-24,2024-06-30,27.50,3,12.00\r");
  const auto miles = lines_of(kneecheck::render_runs_csv(kRuns, options(Units::mi)));
  CHECK(miles[0] == "week_first_day,week_last_day,distance_mi,runs,longest_mi\r");
  CHECK(miles[12] == "2024-06-24,2024-06-30,17.09,3,7.46\r");  // 27.5 km and 12 km in miles
}

TEST_CASE("runs report: JSON with the weeks, shoes and totals", "[report][runs]") {
  const auto json = kneecheck::runs_to_json(kRuns, options());
  CHECK(json["check_in"] == "2024-06-30");
  CHECK(json["unit"] == "km");
  REQUIRE(json["weeks"].size() == 12);
  const auto& last = json["weeks"][11];
  CHECK(last["first_day"] == "2024-06-24");
  CHECK(last["last_day"] == "2024-06-30");
  CHECK(last["distance"] == 27.5);
  CHECK(last["runs"] == 3);
  CHECK(last["longest"] == 12.0);
  CHECK(json["weeks"][0]["first_day"] == "2024-04-08");
  CHECK(json["weeks"][0]["distance"] == 6.0);
  CHECK(json["weeks"][1]["runs"] == 0);
  REQUIRE(json["shoes"].size() == 2);
  CHECK(json["shoes"][0]["name"] == "Old Boost");
  CHECK(json["shoes"][0]["distance"] == 20.0);
  CHECK(json["shoes"][0]["last_28_days"] == 20.0);
  CHECK(json["shoes"][1]["name"] == "Pegasus 40");
  CHECK(json["shoes"][1]["distance"] == 15.5);
  CHECK(json["totals"]["runs"] == 7);
  CHECK(json["totals"]["distance"] == 65.5);
  CHECK(json["totals"]["first_day"] == "2024-04-07");
  CHECK(kneecheck::runs_to_json(kRuns, options(Units::mi))["weeks"][11]["distance"] == 17.09);
}
