// FIT files: those Garmin's SDK writes (tests/runs/fixtures/fit, made by
// make_fit_fixtures.mjs) and those built here byte by byte for what the SDK
// cannot write.
#include <catch2/catch.hpp>

#include "fit_builder.hpp"
#include "kneecheck/runs/import.hpp"
#include "runs_test_support.hpp"

namespace {

using namespace kneecheck;
using namespace kneecheck::runs;
using namespace kneecheck::runs::test;

Import fit(const std::string& bytes) { return import_bytes(bytes, FileKind::fit, "run.fit", options()); }

constexpr std::int64_t kJune1At7 = 1717225200;  // 2024-06-01T07:00:00Z

// file_id (type 4, activity) as local 0.
FitBuilder activity_file() {
  FitBuilder builder;
  builder.define(0, 0, {{0, 1, kEnum}, {4, 4, kUint32}}).message(0, {4, fit_time(kJune1At7)});
  return builder;
}

const std::vector<FitField> kSessionFields = {{253, 4, kUint32}, {2, 4, kUint32}, {5, 1, kEnum}, {6, 1, kEnum},
                                              {7, 4, kUint32},   {8, 4, kUint32}, {9, 4, kUint32}, {18, 1, kUint8}};

// A running session of 5 km in 25 minutes at 84 strides a minute.
std::vector<std::uint64_t> running_session() {
  const std::uint32_t start = fit_time(kJune1At7);
  return {start + 1500, start, 1, 0, 1500000, 1500000, 500000, 84};
}

}  // namespace

TEST_CASE("runs: a multisport FIT file gives only its running leg", "[runs][fit]") {
  const Import result = fit(read_bytes(fixture("fit/multisport.fit")));
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  REQUIRE(result.runs.size() == 1);
  CHECK(result.skipped_not_running == 2);  // the ride and the transition
  CHECK(result.runs[0].distance_m == Approx(5000));
  CHECK(result.runs[0].start_utc == 1719046320);  // 2024-06-22T08:52:00Z
  CHECK(result.runs[0].cadence_spm == Approx(170));
}

TEST_CASE("runs: chained FIT files give a run each", "[runs][fit]") {
  const Import result = fit(read_bytes(fixture("fit/chained.fit")));
  INFO(problems_text(result));
  CHECK(result.problems.empty());
  REQUIRE(result.runs.size() == 2);
  CHECK(result.runs[0].distance_m == Approx(6000));
  CHECK(result.runs[1].distance_m == Approx(4000));
  CHECK(result.runs[1].start_utc - result.runs[0].start_utc == 11 * 3600);
}

TEST_CASE("runs: developer fields are counted and skipped", "[runs][fit]") {
  const Import sdk = fit(read_bytes(fixture("fit/developer_fields.fit")));
  INFO(problems_text(sdk));
  CHECK(sdk.problems.empty());
  REQUIRE(sdk.runs.size() == 1);
  CHECK(sdk.runs[0].distance_m == Approx(7000));

  FitBuilder built = activity_file();
  built.define(1, 18, kSessionFields, false, {4, 2}).message(1, running_session());
  const Import result = fit(built.file());
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].distance_m == Approx(5000));
  CHECK(result.runs[0].duration_s == Approx(1500));
}

TEST_CASE("runs: big-endian definitions read the same as little-endian ones", "[runs][fit]") {
  for (const bool big_endian : {false, true}) {
    FitBuilder built = activity_file();
    built.define(1, 18, kSessionFields, big_endian).message(1, running_session());
    const Import result = fit(built.file());
    INFO("big endian: " << big_endian << "\n" << problems_text(result));
    REQUIRE(result.runs.size() == 1);
    CHECK(result.runs[0].start_utc == kJune1At7);
    CHECK(result.runs[0].distance_m == Approx(5000));
    CHECK(result.runs[0].duration_s == Approx(1500));
    CHECK(result.runs[0].cadence_spm == Approx(168));
    CHECK(result.runs[0].sport == "running");
  }
}

TEST_CASE("runs: compressed-timestamp records, with their 5-bit offset rolling over", "[runs][fit]") {
  const std::uint32_t start = (fit_time(kJune1At7) & ~0x1Fu) + 30;  // low five bits 30
  FitBuilder built = activity_file();
  built.define(1, 12, {{0, 1, kEnum}}).message(1, {1});  // sport: running
  built.define(2, 20, {{253, 4, kUint32}, {5, 4, kUint32}}).message(2, {start, 0});
  built.define(3, 20, {{5, 4, kUint32}});
  built.compressed(3, 31, {400})   // start + 1
      .compressed(3, 1, {1200})    // rolls over: start + 3
      .compressed(3, 3, {2000});   // start + 5
  const Import result = fit(built.file());
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 1);  // no session: the records say it
  CHECK(result.runs[0].start_utc == 631065600 + static_cast<std::int64_t>(start));
  CHECK(result.runs[0].duration_s == Approx(5));
  CHECK(result.runs[0].distance_m == Approx(20));
}

TEST_CASE("runs: a local type can be defined again for another message", "[runs][fit]") {
  FitBuilder built;
  built.define(0, 0, {{0, 1, kEnum}}).message(0, {4});
  built.define(0, 18, kSessionFields).message(0, running_session());
  const Import result = fit(built.file());
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].distance_m == Approx(5000));
}

TEST_CASE("runs: unknown fields are skipped by size, invalid values are absent", "[runs][fit]") {
  FitBuilder built = activity_file();
  built.define(1, 18, {{200, 7, 0x0D}, {2, 4, kUint32}, {5, 1, kEnum}, {9, 4, kUint32}, {18, 1, kUint8}, {8, 4, kUint32}});
  built.message(1, {0x0102030405060708ull, fit_time(kJune1At7), 1, 0xFFFFFFFFull, 0xFF, 1500000});
  built.define(2, 20, {{253, 4, kUint32}, {5, 4, kUint32}});
  built.message(2, {fit_time(kJune1At7) + 1500, 480000});
  const Import result = fit(built.file());
  INFO(problems_text(result));
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].distance_m == Approx(4800));  // invalid session distance: the records'
  CHECK_FALSE(result.runs[0].cadence_spm);            // 0xFF: no cadence
}

TEST_CASE("runs: a FIT file whose CRC does not match but whose content is whole is kept, with a warning",
          "[runs][fit]") {
  std::string bytes = read_bytes(fixture("fit/1004.fit"));
  bytes.back() = static_cast<char>(bytes.back() ^ 0x5A);
  const Import result = fit(bytes);
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].distance_m == Approx(15000));
  REQUIRE(result.problems.size() == 1);
  CHECK(to_string(result.problems[0]) == "run.fit:byte " + std::to_string(bytes.size() - 2) +
                                             ": warning: the file CRC does not match; every message decoded, so the runs are kept");
}

TEST_CASE("runs: a truncated FIT file is an error at a byte offset, and gives no run", "[runs][fit]") {
  const std::string whole = read_bytes(fixture("fit/1004.fit"));
  const std::string cut = whole.substr(0, 600);
  const Import result = fit(cut);
  CHECK(result.runs.empty());
  REQUIRE(result.problems.size() == 1);
  CHECK_FALSE(result.problems[0].warning);
  CHECK(result.problems[0].where.starts_with("byte "));
  const auto offset = std::stoul(result.problems[0].where.substr(5));
  CHECK(offset <= cut.size());
  CHECK(offset >= 14);
}

TEST_CASE("runs: FIT files that are broken in other ways", "[runs][fit]") {
  SECTION("not FIT at all") {
    const Import result = fit("hello, this is not a FIT file");
    REQUIRE(result.problems.size() == 1);
    CHECK(to_string(result.problems[0]) ==
          "run.fit:byte 0: error: not a FIT file: no FIT header (\".FIT\" at byte 8 of a 12- or 14-byte header)");
  }
  SECTION("a data message before its definition") {
    FitBuilder built = activity_file();
    built.raw(std::string(1, '\x05'));
    const Import result = fit(built.file());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message == "a data message of local type 5 comes before its definition");
    CHECK(result.problems[0].where == "byte " + std::to_string(14 + 12 + 6));  // after the header and file_id
  }
  SECTION("a header CRC that does not match, content whole: a warning") {
    FitBuilder built = activity_file();
    built.define(1, 18, kSessionFields).message(1, running_session());
    std::string bytes = built.file();
    bytes[12] = static_cast<char>(bytes[12] ^ 1);
    const Import result = fit(bytes);
    CHECK(result.runs.size() == 1);
    REQUIRE(result.problems.size() == 2);  // the file CRC covers the header too
    CHECK(to_string(result.problems[0]) ==
          "run.fit:byte 12: warning: the header CRC does not match; every message decoded, so the runs are kept");
    CHECK(result.problems[1].warning);
  }
  SECTION("a settings file, not an activity") {
    FitBuilder built;
    built.define(0, 0, {{0, 1, kEnum}}).message(0, {2});
    const Import result = fit(built.file(false));
    CHECK(result.runs.empty());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].warning);
    CHECK(result.problems[0].message == "not an activity file (FIT file type 2): no run in it");
  }
  SECTION("a start time counted from the device's power-up") {
    FitBuilder built = activity_file();
    built.define(1, 18, kSessionFields).message(1, {1600, 100, 1, 0, 1500000, 1500000, 500000, 84});
    const Import result = fit(built.file());
    CHECK(result.runs.empty());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message == "the start time counts from the device's power-up, not a date");
  }
}
