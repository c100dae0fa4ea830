#include "runs/parsed_file.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace kneecheck::runs {

namespace {

// Faster than 2:30 min/km beats the world records; slower than 20 min/km is
// walking. Either way the distance or its unit is likely wrong.
constexpr double kFastestSecondsPerKm = 150;
constexpr double kSlowestSecondsPerKm = 1200;
constexpr double kLongestRunM = 1000e3;            // a multi-day ultra, not more
constexpr double kLongestDurationS = 14 * 86400.0;  // two weeks

std::string pace_text(double seconds_per_km) {
  const auto whole = static_cast<long>(std::lround(std::min(seconds_per_km, 359999.0)));  // below 100 hours
  const long minutes = whole / 60;
  const long seconds = whole % 60;
  return std::to_string(minutes) + ":" + (seconds < 10 ? "0" : "") + std::to_string(seconds) + " min/km";
}

}  // namespace

void add_error(ParsedFile& file, const FileContext& context, std::string where, std::string message) {
  if (++file.errors > kMaxErrorsPerFile) return;
  file.problems.push_back(ImportProblem{context.name, std::move(where), std::move(message), false});
}

void add_warning(ParsedFile& file, const FileContext& context, std::string where, std::string message) {
  if (++file.warnings > kMaxWarningsPerFile) return;
  file.problems.push_back(ImportProblem{context.name, std::move(where), std::move(message), true});
}

void keep_run(ParsedFile& file, const FileContext& context, Run run, const std::string& where, bool sport_known) {
  const ImportOptions& options = *context.options;
  if (options.today.days_until(run.local_date) > 0) {
    add_error(file, context, where,
              "the run is dated " + run.local_date.to_string() + ", after today (" + options.today.to_string() + ")");
    return;
  }
  if (!std::isfinite(run.distance_m) || run.distance_m < 0 || run.distance_m > kLongestRunM) {
    add_error(file, context, where, "the distance " + std::to_string(run.distance_m / 1000) + " km is not a run's");
    return;
  }
  if (run.duration_s && (!std::isfinite(*run.duration_s) || *run.duration_s < 0 || *run.duration_s > kLongestDurationS)) {
    add_error(file, context, where, "the duration " + std::to_string(*run.duration_s) + " s is not a run's");
    return;
  }
  if (run.duration_s && *run.duration_s > 0 && run.distance_m > 0) {
    const double seconds_per_km = *run.duration_s / (run.distance_m / 1000);
    if (seconds_per_km < kFastestSecondsPerKm || seconds_per_km > kSlowestSecondsPerKm) {
      add_warning(file, context, where,
                  "a pace of " + pace_text(seconds_per_km) + " is unlikely for a run: is the distance's unit right?");
    }
  }
  (sport_known ? file.runs : file.unknown_sport).push_back(std::move(run));
}

void discard_runs_of_failed(ParsedFile& file) {
  if (!file.failed()) return;
  file.runs.clear();
  file.unknown_sport.clear();
  file.links.clear();
  file.skipped_not_running = 0;
}

void close_problems(ParsedFile& file, const FileContext& context) {
  if (file.errors > kMaxErrorsPerFile) {
    const std::size_t more = file.errors - kMaxErrorsPerFile;
    file.problems.push_back(ImportProblem{context.name, "", std::to_string(more) + (more == 1 ? " more error" : " more errors"), false});
  }
  if (file.warnings > kMaxWarningsPerFile) {
    const std::size_t more = file.warnings - kMaxWarningsPerFile;
    file.problems.push_back(ImportProblem{context.name, "", std::to_string(more) + (more == 1 ? " more warning" : " more warnings"), true});
  }
}

}  // namespace kneecheck::runs
