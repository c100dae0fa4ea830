// import_runs over files and folders: limits, gzip, unreadable files and
// de-duplication.
#include <catch2/catch.hpp>

#include <zlib.h>

#include "kneecheck/runs/import.hpp"
#include "runs_test_support.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;
using namespace kneecheck::runs::test;

std::string gzip(const std::string& bytes) {
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Run run_at(std::int64_t start, double metres, SourceFormat format, std::string id = "") {
  Run run;
  run.start_utc = start;
  run.distance_m = metres;
  run.format = format;
  run.activity_id = std::move(id);
  run.source = std::string(format_name(format));
  return run;
}

}  // namespace

TEST_CASE("runs: a file over the size limit is an error naming it, and the others are still read", "[runs][import]") {
  TempFolder folder;
  const fs::path big = folder.write("big.fit", "");
  fs::resize_file(big, 200u << 20);  // 200 MB, sparse: the reader stops at the 64 MiB limit
  folder.write("ok.csv", "date,distance\n2024-06-01,5\n");
  const Import result = import_from({folder.path()});
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].file == big.string());
  CHECK(result.problems[0].message == "the file is larger than the limit of 67108864 bytes");
  CHECK(result.runs.size() == 1);
  CHECK(result.files_read == 2);
}

TEST_CASE("runs: gzipped files are read, and a gzip that inflates past the limit is an error", "[runs][import]") {
  TempFolder folder;
  folder.write("runs.csv.gz", gzip("date,distance\n2024-06-01,5\n"));
  const Import small = import_from({folder.path()});
  INFO(problems_text(small));
  REQUIRE(small.runs.size() == 1);
  CHECK(small.runs[0].distance_m == Approx(5000));

  ImportOptions tight = options();
  tight.max_file_bytes = 1 << 20;
  const fs::path bomb = folder.write("bomb.gpx.gz", gzip(std::string(3 << 20, ' ')));
  const Import result = import_from({bomb}, tight);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].message == "the file inflates to more than the limit of 1048576 bytes");
  CHECK(result.runs.empty());

  const fs::path broken = folder.write("broken.fit.gz", gzip("x").substr(0, 12));
  const Import truncated = import_from({broken});
  REQUIRE(truncated.problems.size() == 1);
  CHECK(truncated.problems[0].message.find("truncated") != std::string::npos);
}

TEST_CASE("runs: a missing path is reported, a file named directly is read whatever its name", "[runs][import]") {
  TempFolder folder;
  const fs::path odd = folder.write("export.txt", read_bytes(fixture("fit/1004.fit")));
  const Import result = import_from({folder.path() / "nothing-here", odd});
  REQUIRE(result.problems.size() == 1);
  CHECK(to_string(result.problems[0]) == (folder.path() / "nothing-here").string() + ": error: no such file or folder");
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].format == SourceFormat::fit);
}

TEST_CASE("runs: in a folder, CSVs of other kinds are passed over; named directly they are errors", "[runs][import]") {
  TempFolder folder;
  const fs::path shoes = folder.write("shoes.csv", "Shoe Name,Shoe Brand\nPegasus,Nike\n");
  folder.write("runs.csv", "date,distance\n2024-06-01,5\n");
  folder.write("notes.txt", "not read");
  const Import in_folder = import_from({folder.path()});
  CHECK(in_folder.problems.empty());
  CHECK(in_folder.files_read == 1);
  CHECK(in_folder.runs.size() == 1);
  const Import named = import_from({shoes});
  CHECK(named.has_errors());
}

TEST_CASE("runs: one bad file is reported and skipped, the rest imported whole", "[runs][import]") {
  TempFolder folder;
  folder.write("a.csv", "date,distance\n2024-06-01,5\n2024-06-02,6\n");
  folder.write("b.gpx", "<gpx><trk><trkseg><trkpt lat=\"0\" lon=\"0\"><time>2024-06-03T07:00:00Z</time></trkpt>");
  folder.write("c.csv", "date,distance\n2024-06-04,5\n2024-06-05,x\n");
  const Import result = import_from({folder.path()});
  CHECK(result.files_read == 3);
  CHECK(error_count(result) == 2);
  CHECK(result.runs.size() == 2);  // a.csv only: c.csv's good row is not half-imported
}

TEST_CASE("runs: de-duplication keeps one run per activity, the richest", "[runs][import]") {
  Run csv_row = run_at(1000, 10000, SourceFormat::strava_csv, "42");
  csv_row.gear = "Pegasus 40";
  Run device = run_at(1030, 10150, SourceFormat::fit);
  device.cadence_spm = 170;
  Run other_day = run_at(1000 + 86400, 10000, SourceFormat::gpx);
  Run same_time_other_distance = run_at(1010, 5000, SourceFormat::gpx);
  Run same_id_later = run_at(5000, 3000, SourceFormat::tcx, "42");
  const std::vector<Run> kept = deduplicate({csv_row, device, other_day, same_time_other_distance, same_id_later});
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].start_utc == 1010);  // 5 km at the same time is another run
  const Run& merged = kept[1];
  CHECK(merged.format == SourceFormat::fit);  // the row, the FIT within 2 % and 30 s, and the TCX of the same id
  CHECK(merged.gear == "Pegasus 40");
  CHECK(merged.activity_id == "42");
  CHECK(merged.cadence_spm == Approx(170));
  CHECK(kept[2].start_utc == 1000 + 86400);
}

TEST_CASE("runs: de-duplication tells 2 % and 60 s apart", "[runs][import]") {
  CHECK(deduplicate({run_at(0, 10000, SourceFormat::gpx), run_at(60, 10200, SourceFormat::fit)}).size() == 1);
  CHECK(deduplicate({run_at(0, 10000, SourceFormat::gpx), run_at(61, 10000, SourceFormat::fit)}).size() == 2);
  CHECK(deduplicate({run_at(0, 10000, SourceFormat::gpx), run_at(0, 10205, SourceFormat::fit)}).size() == 2);
}

TEST_CASE("runs: ten thousand runs de-duplicate in order", "[runs][import]") {
  std::vector<Run> runs;
  for (int i = 9999; i >= 0; --i) {
    runs.push_back(run_at(std::int64_t{i} * 3600, 5000, SourceFormat::gpx));
    if (i % 2 == 0) runs.push_back(run_at(std::int64_t{i} * 3600 + 20, 5010, SourceFormat::strava_csv));
  }
  const std::vector<Run> kept = deduplicate(std::move(runs));
  REQUIRE(kept.size() == 10000);
  CHECK(std::is_sorted(kept.begin(), kept.end(), [](const Run& a, const Run& b) { return a.start_utc < b.start_utc; }));
  CHECK(std::all_of(kept.begin(), kept.end(), [](const Run& run) { return run.format == SourceFormat::gpx; }));
}
