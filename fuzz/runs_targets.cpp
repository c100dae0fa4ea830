// The fuzz target bodies of the recorded-runs importer; see targets.hpp.
// Apart from targets.cpp so that their fuzzers build from kneecheck_runs
// alone, without the rest of kneecheck.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "kneecheck/runs/import.hpp"
#include "targets.hpp"

namespace kneecheck::fuzz {
namespace {

const Date kToday{2026, 11, 25};

[[noreturn]] void runs_fuzz_fail(const char* what) {
  std::fprintf(stderr, "kneecheck fuzz: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

// What import_bytes promises about any file, whatever its bytes.
int check_runs_import(const std::uint8_t* data, std::size_t size, runs::FileKind kind) {
  runs::ImportOptions options;
  options.today = kToday;
  options.utc_offset_minutes = 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const runs::Import result = runs::import_bytes(bytes, kind, "input", options);
  if (result.has_errors() && !result.runs.empty()) runs_fuzz_fail("a file with an error gave runs");
  for (const auto& problem : result.problems) {
    if (problem.message.empty()) runs_fuzz_fail("a problem says nothing");
  }
  for (const runs::Run& run : result.runs) {
    if (!std::isfinite(run.distance_m) || run.distance_m < 0) runs_fuzz_fail("a run's distance is negative or not finite");
    if (run.duration_s && (!std::isfinite(*run.duration_s) || *run.duration_s < 0)) {
      runs_fuzz_fail("a run's duration is negative or not finite");
    }
    if (run.cadence_spm && !std::isfinite(*run.cadence_spm)) runs_fuzz_fail("a run's cadence is not finite");
    if (kToday.days_until(run.local_date) > 0) runs_fuzz_fail("a run is dated after today");
  }
  return 0;
}

}  // namespace

int fuzz_fit(const std::uint8_t* data, std::size_t size) { return check_runs_import(data, size, runs::FileKind::fit); }

int fuzz_xml(const std::uint8_t* data, std::size_t size) { return check_runs_import(data, size, runs::FileKind::xml); }

int fuzz_csv(const std::uint8_t* data, std::size_t size) { return check_runs_import(data, size, runs::FileKind::csv); }

}  // namespace kneecheck::fuzz
