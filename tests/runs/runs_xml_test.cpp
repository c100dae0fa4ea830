// GPX and TCX files, read as a runner's files come.
#include <catch2/catch.hpp>

#include "kneecheck/runs/import.hpp"
#include "runs_test_support.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;
using namespace kneecheck::runs::test;

Import xml(const std::string& text) { return import_bytes(text, FileKind::xml, "run.gpx", options()); }

std::string gpx_track(const std::string& type, const std::string& points) {
  return "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk>" + type +
         "<trkseg>" + points + "</trkseg></trk></gpx>";
}

const std::string kTwoPoints =
    "<trkpt lat=\"51.5\" lon=\"-0.1\"><time>2024-06-01T07:00:00Z</time></trkpt>"
    "<trkpt lat=\"51.509\" lon=\"-0.1\"><time>2024-06-01T08:05:00+01:00</time></trkpt>";

}  // namespace

TEST_CASE("runs: a GPX track's distance is haversine on the mean Earth radius", "[runs][xml]") {
  const Import result = xml(gpx_track("<type>running</type>", kTwoPoints));
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 1);
  // 0.009° of latitude on a sphere of 6371.0088 km.
  CHECK(result.runs[0].distance_m == Approx(0.009 * 3.14159265358979323846 / 180 * 6371008.8).epsilon(1e-9));
  CHECK(result.runs[0].start_utc == 1717225200);  // 2024-06-01T07:00:00Z
  CHECK(result.runs[0].duration_s == Approx(300));  // 08:05+01:00 is 07:05 UTC
  CHECK(result.runs[0].format == SourceFormat::gpx);
}

TEST_CASE("runs: GPX <type> decides the sport", "[runs][xml]") {
  CHECK(xml(gpx_track("<type>9</type>", kTwoPoints)).runs.size() == 1);  // Strava's number for Run
  const Import ride = xml(gpx_track("<type>cycling</type>", kTwoPoints));
  CHECK(ride.runs.empty());
  CHECK(ride.skipped_not_running == 1);
  CHECK(ride.problems.empty());
  const Import untyped = xml(gpx_track("", kTwoPoints));
  CHECK(untyped.runs.empty());  // unknown: import_runs keeps it only for a Strava row that says Run
  CHECK(untyped.skipped_not_running == 1);
}

TEST_CASE("runs: a GPX track with a point that is not a coordinate fails with its offset", "[runs][xml]") {
  const std::string text = gpx_track("<type>running</type>", "<trkpt lat=\"north\" lon=\"0\"/>");
  const Import result = xml(text);
  CHECK(result.runs.empty());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "XML offset " + std::to_string(text.find("<trkpt")));
  CHECK(result.problems[0].message == "the lat \"north\" is not a coordinate");
}

TEST_CASE("runs: XML that is not GPX or TCX, and text that is not XML", "[runs][xml]") {
  const Import html = xml("<html><body>My run</body></html>");
  REQUIRE(html.problems.size() == 1);
  CHECK(to_string(html.problems[0]) == "run.gpx:XML offset 0: error: not a GPX or TCX file: the root element is <html>");

  const Import broken = xml("   <?xml version=\"1.0\"?>\n<gpx><trk></gpx>");
  REQUIRE(broken.problems.size() == 1);
  CHECK(broken.problems[0].where.starts_with("XML offset "));
  CHECK(broken.problems[0].message.starts_with("not well-formed XML: "));
  CHECK(broken.runs.empty());
}

TEST_CASE("runs: TCX laps add up, and Sport decides", "[runs][xml]") {
  const std::string laps =
      "<Lap StartTime=\"2024-06-01T07:00:00Z\"><TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters>"
      "<Track><Trackpoint><Time>2024-06-01T07:00:00Z</Time><Cadence>90</Cadence></Trackpoint></Track></Lap>"
      "<Lap StartTime=\"2024-06-01T07:10:00Z\"><TotalTimeSeconds>660</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters></Lap>";
  auto tcx = [&](const std::string& sport) {
    return import_bytes("<TrainingCenterDatabase><Activities><Activity Sport=\"" + sport + "\"><Id>2024-06-01T07:00:00Z</Id>" +
                            laps + "</Activity></Activities></TrainingCenterDatabase>",
                        FileKind::xml, "run.tcx", options());
  };
  const Import running = tcx("Running");
  INFO(problems_text(running));
  REQUIRE(running.runs.size() == 1);
  CHECK(running.runs[0].distance_m == Approx(4000));
  CHECK(running.runs[0].duration_s == Approx(1260));
  CHECK(running.runs[0].cadence_spm == Approx(180));
  CHECK(running.runs[0].format == SourceFormat::tcx);
  CHECK(tcx("Biking").skipped_not_running == 1);
  CHECK(tcx("Other").runs.empty());
}

TEST_CASE("runs: an XML file dated after today is an error", "[runs][xml]") {
  const Import result = xml(gpx_track("<type>running</type>",
                                      "<trkpt lat=\"0\" lon=\"0\"><time>2024-07-02T07:00:00Z</time></trkpt>"));
  CHECK(result.runs.empty());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message == "the run is dated 2024-07-02, after today (2024-06-30)");
  CHECK(result.problems[0].where.starts_with("XML offset "));
}
