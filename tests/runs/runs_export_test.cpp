// A Strava bulk export as a runner hands it over: activities.csv and the
// activities/ folder (GPX, gzipped TCX, FIT, gzipped FIT, a ride), read as
// one folder; then its weekly load.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "kneecheck/runs/import.hpp"
#include "kneecheck/runs/weekly_load.hpp"
#include "runs_test_support.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;
using namespace kneecheck::runs::test;

const Run* run_with_id(const Import& result, const std::string& id) {
  auto found = std::find_if(result.runs.begin(), result.runs.end(), [&](const Run& run) { return run.activity_id == id; });
  return found == result.runs.end() ? nullptr : &*found;
}

// The GPX fixture: two segments of 0.045° of latitude each, 0.955° apart.
const double kGpxMetres = 2 * 0.045 * 3.14159265358979323846 / 180 * 6371008.8;

}  // namespace

TEST_CASE("runs: a Strava export folder gives each run once, from its richest record", "[runs]") {
  const Import result = import_from({fixture("strava_export")});
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  CHECK(result.files_read == 6);
  CHECK(result.runs.size() == 9);
  CHECK(result.skipped_not_running == 1);  // the ride: its row and its GPX count once

  SECTION("the GPX's distance is measured within segments, never across the gap") {
    const Run* run = run_with_id(result, "1001");
    REQUIRE(run);
    CHECK(run->format == SourceFormat::gpx);
    CHECK(run->distance_m == Approx(kGpxMetres).epsilon(1e-9));
    CHECK(run->duration_s == Approx(3000));
    CHECK(run->cadence_spm == Approx(170));
    CHECK(run->local_date == Date{2024, 6, 29});
  }
  SECTION("the gzipped TCX says Sport=\"Other\", and the row that names it says Run") {
    const Run* run = run_with_id(result, "1002");
    REQUIRE(run);
    CHECK(run->format == SourceFormat::tcx);
    CHECK(run->distance_m == Approx(8000));
    CHECK(run->duration_s == Approx(2460));
    CHECK(run->gear == "Old Boost");
    CHECK(run->cadence_spm == Approx(176));
  }
  SECTION("the FIT files give the session's figures and the row's shoe") {
    const Run* run = run_with_id(result, "1003");
    REQUIRE(run);
    CHECK(run->format == SourceFormat::fit);
    CHECK(run->distance_m == Approx(18000));
    CHECK(run->duration_s == Approx(3600));
    CHECK(run->cadence_spm == Approx(172));
    CHECK(run->gear == "Pegasus 40");
    CHECK(run->start_utc == 1719297000);  // 2024-06-25T06:30:00Z
    const Run* gzipped = run_with_id(result, "1004");
    REQUIRE(gzipped);
    CHECK(gzipped->format == SourceFormat::fit);
    CHECK(gzipped->sport == "running (trail)");
    CHECK(gzipped->distance_m == Approx(15000));
  }
  SECTION("a manual entry has no file and keeps the row's metres") {
    const Run* run = run_with_id(result, "1006");
    REQUIRE(run);
    CHECK(run->format == SourceFormat::strava_csv);
    CHECK(run->distance_m == Approx(5000));
    CHECK(run->source.ends_with("activities.csv:7"));
  }
  SECTION("no ride among the runs") {
    CHECK(run_with_id(result, "1005") == nullptr);
    for (const Run& run : result.runs) CHECK(run.sport.find("Ride") == std::string::npos);
  }
}

TEST_CASE("runs: naming activities.csv, its folder and one of its files again reads each once", "[runs]") {
  const Import result = import_from({fixture("strava_export/activities.csv"), fixture("strava_export"),
                                     fixture("strava_export/activities/1003.fit")});
  INFO(problems_text(result));
  CHECK(result.files_read == 6);
  CHECK(result.runs.size() == 9);
}

TEST_CASE("runs: activities.csv alone gives its rows, in metres from the second Distance column", "[runs]") {
  const Import result = import_from({fixture("strava_export/activities.csv")});
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  REQUIRE(result.runs.size() == 9);
  const Run* run = run_with_id(result, "1001");
  REQUIRE(run);
  CHECK(run->format == SourceFormat::strava_csv);
  CHECK(run->distance_m == Approx(10007.6));
  CHECK(run->start_utc == 1719644400);  // "Jun 29, 2024, 7:00:00 AM" read as UTC
  CHECK(run_with_id(result, "1010")->local_date == Date{2024, 5, 1});  // "2024-05-01 08:00:00"
}

TEST_CASE("runs: the export's weekly load, checked against sums by hand", "[runs]") {
  const Import result = import_from({fixture("strava_export")});
  REQUIRE_FALSE(result.has_errors());
  const WeeklyLoad load = weekly_load(result.runs, kToday);

  // Week 1, Jun 24-30: GPX 10.0076 + TCX 8 + FIT 18 + manual 5.
  CHECK(load.km_week[0] == Approx(kGpxMetres / 1000 + 8 + 18 + 5));
  CHECK(load.km_week[1] == Approx(15 + 6));  // Jun 17-23
  CHECK(load.km_week[2] == Approx(10));      // Jun 10-16
  CHECK(load.km_week[3] == Approx(8));       // Jun 3-9
  CHECK(load.runs_last_week == 4);
  CHECK(load.rest_days_last_week == 3);  // runs on the 25th, 27th, 29th and 30th
  CHECK(load.longest_last_week_km == Approx(18));
  CHECK(load.longest_previous_30_days_km == Approx(15));
  REQUIRE(load.spike_pct);
  CHECK(*load.spike_pct == Approx(20));  // 18 km after a longest of 15 km

  // Distance-weighted over the last 28 days: GPX 170, TCX 176, FIT 172 and 160.
  const double expected_cadence = (170 * kGpxMetres + 176 * 8000 + 172 * 18000 + 160 * 15000) / (kGpxMetres + 8000 + 18000 + 15000);
  REQUIRE(load.cadence_spm);
  CHECK(*load.cadence_spm == Approx(expected_cadence));

  REQUIRE(load.shoes.size() == 2);
  CHECK(load.shoes[0].name == "Pegasus 40");
  CHECK(load.shoes[0].total_km == Approx(18 + 5 + 10));
  CHECK(load.shoes[0].last_28_days_km == Approx(18 + 5 + 10));
  CHECK(load.shoes[1].name == "Old Boost");
  CHECK(load.shoes[1].total_km == Approx(8 + 6 + 8 + 20));  // more in all, fewer lately
  CHECK(load.shoes[1].last_28_days_km == Approx(8 + 6 + 8));
  CHECK(load.main_shoe == "Pegasus 40");
}
