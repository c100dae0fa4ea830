// weekly_load on runs made here: weeks, rest days, the single-run spike.
#include <catch2/catch.hpp>

#include "kneecheck/runs/weekly_load.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;

const Date kCheckIn{2024, 6, 30};

Run run_on(int days_before, double km, std::string gear = "") {
  Run run;
  run.local_date = kCheckIn.plus_days(-days_before);
  run.distance_m = km * 1000;
  run.gear = std::move(gear);
  return run;
}

}  // namespace

TEST_CASE("runs: weeks count back from the check-in day, later runs are left out", "[runs][load]") {
  const std::vector<Run> runs = {run_on(0, 5), run_on(6, 4), run_on(7, 3), run_on(13, 2), run_on(14, 1),
                                 run_on(27, 6), run_on(28, 100), run_on(-1, 50)};
  const WeeklyLoad load = weekly_load(runs, kCheckIn);
  CHECK(load.km_week[0] == Approx(9));
  CHECK(load.km_week[1] == Approx(5));
  CHECK(load.km_week[2] == Approx(1));
  CHECK(load.km_week[3] == Approx(6));
  CHECK(load.runs_last_week == 2);
  CHECK(load.rest_days_last_week == 5);
  CHECK(load.longest_last_week_km == Approx(5));
}

TEST_CASE("runs: the spike is each run of the week against the longest of its previous 30 days", "[runs][load]") {
  SECTION("a run twice the longest before it") {
    const WeeklyLoad load = weekly_load(std::vector<Run>{run_on(2, 20), run_on(10, 10), run_on(20, 8)}, kCheckIn);
    REQUIRE(load.spike_pct);
    CHECK(*load.spike_pct == Approx(100));
    CHECK(load.longest_previous_30_days_km == Approx(10));
  }
  SECTION("a run of the week counts for a later one") {
    const WeeklyLoad load = weekly_load(std::vector<Run>{run_on(1, 12), run_on(4, 11), run_on(12, 10)}, kCheckIn);
    REQUIRE(load.spike_pct);
    CHECK(*load.spike_pct == Approx(10));  // 11 vs 10 and 12 vs 11 are 10 % and 9.1 %
  }
  SECTION("runs more than 30 days before do not count") {
    const WeeklyLoad load = weekly_load(std::vector<Run>{run_on(0, 10), run_on(31, 30)}, kCheckIn);
    CHECK_FALSE(load.spike_pct);
  }
  SECTION("two runs on one day are not each other's reference") {
    const WeeklyLoad load = weekly_load(std::vector<Run>{run_on(0, 10), run_on(0, 5)}, kCheckIn);
    CHECK_FALSE(load.spike_pct);
    CHECK(load.rest_days_last_week == 6);
  }
}

TEST_CASE("runs: no runs, no load", "[runs][load]") {
  const WeeklyLoad load = weekly_load(std::vector<Run>{}, kCheckIn);
  CHECK(load.km_week == std::array<double, 4>{});
  CHECK(load.rest_days_last_week == 7);
  CHECK_FALSE(load.spike_pct);
  CHECK_FALSE(load.cadence_spm);
  CHECK(load.shoes.empty());
  CHECK_FALSE(load.main_shoe);
}

TEST_CASE("runs: the main shoe is the one with most km in the last 28 days", "[runs][load]") {
  const std::vector<Run> runs = {run_on(1, 5, "New"), run_on(3, 6, "New"), run_on(10, 8, "Old"), run_on(40, 300, "Old"),
                                 run_on(2, 4)};
  const WeeklyLoad load = weekly_load(runs, kCheckIn);
  REQUIRE(load.shoes.size() == 2);
  CHECK(load.shoes[0].name == "New");
  CHECK(load.shoes[0].last_28_days_km == Approx(11));
  CHECK(load.shoes[1].total_km == Approx(308));
  CHECK(load.main_shoe == "New");
}

TEST_CASE("runs: weekly totals of the weeks that end on the check-in day, oldest first", "[runs][load]") {
  const std::vector<Run> runs = {run_on(0, 5),  run_on(6, 4),  run_on(7, 3),  run_on(13, 2.5), run_on(14, 1),
                                 run_on(83, 6), run_on(84, 100), run_on(-1, 50)};
  const std::vector<WeekTotal> weeks = weekly_totals(runs, kCheckIn, 12);
  REQUIRE(weeks.size() == 12);
  CHECK(weeks.back().first_day == Date{2024, 6, 24});
  CHECK(weeks.back().last_day == kCheckIn);
  CHECK(weeks.back().km == Approx(9));
  CHECK(weeks.back().runs == 2);
  CHECK(weeks.back().longest_km == Approx(5));
  CHECK(weeks[10].first_day == Date{2024, 6, 17});
  CHECK(weeks[10].last_day == Date{2024, 6, 23});
  CHECK(weeks[10].km == Approx(5.5));
  CHECK(weeks[10].longest_km == Approx(3));
  CHECK(weeks[9].km == Approx(1));
  for (std::size_t i = 1; i < 9; ++i) {
    CHECK(weeks[i].runs == 0);
    CHECK(weeks[i].longest_km == 0);
  }
  // Day 83 is the first day of the twelfth week back; day 84 is before it.
  CHECK(weeks.front().first_day == Date{2024, 4, 8});
  CHECK(weeks.front().last_day == Date{2024, 4, 14});
  CHECK(weeks.front().km == Approx(6));
  CHECK(weeks.front().runs == 1);
}

TEST_CASE("runs: weekly totals agree with the weekly load's four weeks", "[runs][load]") {
  const std::vector<Run> runs = {run_on(1, 8), run_on(9, 12), run_on(16, 7), run_on(25, 10), run_on(26, 3)};
  const WeeklyLoad load = weekly_load(runs, kCheckIn);
  const std::vector<WeekTotal> weeks = weekly_totals(runs, kCheckIn, 4);
  REQUIRE(weeks.size() == 4);
  for (std::size_t week = 0; week < 4; ++week) CHECK(weeks[3 - week].km == Approx(load.km_week[week]));
  CHECK(weekly_totals(runs, kCheckIn, 0).empty());
}
