// runs_summary: the runs kneecheck's importer reads from each file, one line
// a run, for fit_sdk_check.sh to compare with Garmin's SDK:
//
//   runs_summary FILE...
//
// prints "FILE<TAB>START_UTC<TAB>DISTANCE_M<TAB>SPORT" per run (distance to
// the centimetre), problems to standard error. Exits 1 when a file has an
// error.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <vector>

#include "kneecheck/runs/import.hpp"

int main(int argc, char** argv) {
  using namespace kneecheck::runs;
  ImportOptions options;
  options.utc_offset_minutes = 0;
  options.today = kneecheck::Date{9999, 12, 31};
  bool failed = false;
  for (int i = 1; i < argc; ++i) {
    const std::vector<std::filesystem::path> paths{argv[i]};
    const Import result = import_runs(paths, options);
    for (const auto& problem : result.problems) std::cerr << to_string(problem) << '\n';
    failed = failed || result.has_errors();
    for (const Run& run : result.runs) {
      std::printf("%s\t%lld\t%.2f\t%s\n", argv[i], static_cast<long long>(run.start_utc), run.distance_m, run.sport.c_str());
    }
  }
  return failed ? 1 : 0;
}
