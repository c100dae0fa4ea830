// Activity CSVs: Strava in German, Garmin Connect, a plain date,distance
// list, and what goes wrong in them.
#include <catch2/catch.hpp>

#include "kneecheck/runs/import.hpp"
#include "runs_test_support.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;
using namespace kneecheck::runs::test;

constexpr double kMile = 1609.344;

Import csv(const std::string& text, const ImportOptions& with = options()) {
  return import_bytes(text, FileKind::csv, "runs.csv", with);
}

}  // namespace

TEST_CASE("runs: a Strava export with German headers", "[runs][csv]") {
  const Import result = import_from({fixture("strava_de/activities.csv")});
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  REQUIRE(result.runs.size() == 2);
  CHECK(result.skipped_not_running == 1);  // "Radfahrt"
  const Run& trail = result.runs[0];
  CHECK(trail.sport == "Traillauf");
  CHECK(trail.distance_m == Approx(8500));  // no metres in the second "Distanz": "8,50" km
  CHECK(trail.gear == "Trailschuh");
  CHECK(trail.duration_s == Approx(2950));  // "Bewegungszeit" before "Verstrichene Zeit"
  const Run& evening = result.runs[1];
  CHECK(evening.activity_id == "201");
  CHECK(evening.local_date == Date{2024, 6, 29});
  CHECK(evening.start_utc % 86400 == 16 * 3600 + 23 * 60 + 46);
  CHECK(evening.distance_m == Approx(5000));
}

TEST_CASE("runs: Garmin Connect's CSV, in the caller's unit", "[runs][csv]") {
  ImportOptions in_km = options();
  const Import km = import_from({fixture("garmin/Activities.csv")}, in_km);
  INFO(problems_text(km));
  CHECK(km.problems.empty());
  CHECK(km.skipped_not_running == 1);  // the ride
  REQUIRE(km.runs.size() == 3);
  const Run& trail = km.runs[0];
  CHECK(trail.sport == "Trail Running");
  CHECK(trail.distance_m == Approx(10200));
  CHECK(trail.duration_s == Approx(3840));  // Moving Time 01:04:00
  CHECK(trail.cadence_spm == Approx(164));
  const Run& treadmill = km.runs[1];
  CHECK(treadmill.local_date == Date{2020, 7, 2});  // "7/2/2020 18:05": month first
  CHECK(treadmill.duration_s == Approx(28 * 60 + 10.5));
  CHECK_FALSE(treadmill.cadence_spm);  // "--"
  const Run& morning = km.runs[2];
  CHECK(morning.distance_m == Approx(5810));  // "5,81": a decimal comma
  CHECK(morning.start_utc == 1593876960);  // 2020-07-04 15:36:00, local time at UTC+0
  CHECK(morning.cadence_spm == Approx(168));

  ImportOptions in_miles = options();
  in_miles.unit = DistanceUnit::mi;
  const Import mi = import_from({fixture("garmin/Activities.csv")}, in_miles);
  REQUIRE(mi.runs.size() == 3);
  CHECK(mi.runs[2].distance_m == Approx(5.81 * kMile));
}

TEST_CASE("runs: Garmin's local times follow the runner's offset", "[runs][csv]") {
  ImportOptions berlin = options();
  berlin.utc_offset_minutes = 120;
  const Import result = import_from({fixture("garmin/Activities.csv")}, berlin);
  REQUIRE(result.runs.size() == 3);
  CHECK(result.runs[2].start_utc == 1593876960 - 7200);
  CHECK(result.runs[2].local_date == Date{2020, 7, 4});
}

TEST_CASE("runs: a plain CSV, with and without a header", "[runs][csv]") {
  const Import result = import_from({fixture("plain/runs.csv")});
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  REQUIRE(result.runs.size() == 4);
  CHECK(result.runs[0].distance_m == Approx(6000));  // no unit: the caller's km
  CHECK(result.runs[0].gear == "Old Boost");
  CHECK(result.runs[1].distance_m == Approx(8000));  // m
  CHECK(result.runs[2].distance_m == Approx(3.1 * kMile));
  CHECK(result.runs[3].distance_m == Approx(5000));
  CHECK(result.runs[3].local_date == Date{2024, 6, 28});
  CHECK(result.runs[3].source.ends_with("runs.csv:2"));

  const Import headerless = csv("2024-06-01,5\n2024-06-02,3,mi,Old Boost\n");
  INFO(problems_text(headerless));
  REQUIRE(headerless.runs.size() == 2);
  CHECK(headerless.runs[0].distance_m == Approx(5000));
  CHECK(headerless.runs[1].distance_m == Approx(3 * kMile));
  CHECK(headerless.runs[1].gear == "Old Boost");
}

TEST_CASE("runs: a CSV without a distance column is an error on its header line", "[runs][csv]") {
  const Import strava = csv("Activity ID,Activity Date,Activity Type\n1,2024-06-01 07:00:00,Run\n");
  REQUIRE(strava.problems.size() == 1);
  CHECK(to_string(strava.problems[0]) == "runs.csv:line 1: error: no distance column (\"Distance\", \"Distanz\" or \"distance\")");
  CHECK(strava.runs.empty());

  const Import other = csv("name,calories\nbread,250\n");
  REQUIRE(other.problems.size() == 1);
  CHECK(other.problems[0].where == "line 1");
  CHECK(other.problems[0].message.find("not an activities CSV") != std::string::npos);
}

TEST_CASE("runs: a bad row fails its whole file, naming the row", "[runs][csv]") {
  const Import result = csv("date,distance\n2024-06-01,5\n2024-13-01,5\n2024-06-03,five\n");
  CHECK(result.runs.empty());  // all or nothing
  REQUIRE(error_count(result) == 2);
  CHECK(to_string(result.problems[0]) == "runs.csv:line 3: error: cannot read the date \"2024-13-01\"");
  CHECK(to_string(result.problems[1]) == "runs.csv:line 4: error: cannot read the distance \"five\"");
}

TEST_CASE("runs: a run dated after today is an error for its row", "[runs][csv]") {
  const Import result = csv("date,distance\n2024-06-30,5\n2024-07-01,5\n");
  CHECK(result.runs.empty());
  REQUIRE(result.problems.size() == 1);
  CHECK(to_string(result.problems[0]) == "runs.csv:line 3: error: the run is dated 2024-07-01, after today (2024-06-30)");
}

TEST_CASE("runs: an unlikely pace is a warning naming the row, and the run is kept", "[runs][csv]") {
  // 10 "km" in 20 minutes: a distance in miles read as km would not do this,
  // but metres read as km would.
  const Import result = csv(
      "Activity Type,Date,Distance,Time\nRunning,2024-06-01 07:00:00,10,00:20:00\nRunning,2024-06-02 07:00:00,2,01:00:00\n");
  REQUIRE(result.runs.size() == 2);
  REQUIRE(result.problems.size() == 2);
  CHECK(to_string(result.problems[0]) ==
        "runs.csv:line 2: warning: a pace of 2:00 min/km is unlikely for a run: is the distance's unit right?");
  CHECK(result.problems[1].where == "line 3");
  CHECK(result.problems[1].warning);
}

TEST_CASE("runs: a quote that never closes is an error at its line", "[runs][csv]") {
  const Import result = csv("date,distance\n2024-06-01,5\n2024-06-02,\"5\n");
  CHECK(result.runs.empty());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "line 3");
  CHECK_FALSE(result.problems[0].warning);
}

TEST_CASE("runs: numbers as activity CSVs write them", "[runs][csv]") {
  const Import result = csv("date,distance,unit\n2024-06-01,\"1,234.5\",m\n2024-06-02,\"5.000,5\",m\n2024-06-03,\"1,024\",m\n");
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 3);
  CHECK(result.runs[0].distance_m == Approx(1234.5));
  CHECK(result.runs[1].distance_m == Approx(5000.5));
  CHECK(result.runs[2].distance_m == Approx(1024));  // a comma before three digits groups thousands
}

TEST_CASE("runs: durations and times as activity CSVs write them", "[runs][csv]") {
  const Import result = csv(
      "Activity Type,Date,Distance,Time\n"
      "Running,2024-06-01 07:00:00,10,1:00:00\n"
      "Running,2024-06-02 07:00:00,5,31:40\n"
      "Running,\"Jun 3, 2024, 12:05:00 AM\",5,1900\n");
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 3);
  CHECK(result.runs[0].duration_s == Approx(3600));
  CHECK(result.runs[1].duration_s == Approx(31 * 60 + 40));
  CHECK(result.runs[2].start_utc % 86400 == 5 * 60);  // 12:05 AM is just after midnight
  CHECK(result.runs[2].duration_s == Approx(1900));
}

TEST_CASE("runs: a file lists 20 warnings and counts the rest", "[runs][csv]") {
  // 100 km an hour, every day: a CSV in metres read as km would look so.
  std::string text = "Activity Type,Date,Distance,Time\n";
  for (int day = 1; day <= 25; ++day) {
    text += "Running,2024-06-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + " 07:00:00,100,01:00:00\n";
  }
  const Import result = csv(text);
  CHECK(result.runs.size() == 25);
  REQUIRE(result.problems.size() == 21);
  CHECK(result.problems[19].where == "line 21");
  CHECK(to_string(result.problems.back()) == "runs.csv: warning: 5 more warnings");
}
