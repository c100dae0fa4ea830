// runs_report: stored runs as `kneecheck runs` shows them — the distance,
// number and longest run of each of the last weeks, as a table and a small
// chart with the shoes and totals for people, JSON or CSV for programs. It
// only formats.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck {

// Weeks the runs report shows.
inline constexpr int kRunsReportWeeks = 12;

// What `kneecheck runs` says when no run is stored.
inline constexpr std::string_view kNoRunsStored =
    "No runs stored yet. Import them with 'kneecheck runs import PATH': a Strava or Garmin Connect export, "
    "GPX, TCX or FIT files, or a CSV of date,distance.";

struct RunsReportOptions {
  // The last day of the last week; each week ends on its weekday.
  // Runs dated after it are left out.
  Date check_in;
  Units units = Units::km;   // distances in kilometres or miles
  std::size_t width = 80;    // text: shoe names are cut to fit
  bool unicode = false;      // text: block characters in the chart
};

// kNoRunsStored and a line break when `runs` is empty. Otherwise the weeks
// oldest first (the day each ends, distance, runs, longest run), the
// distance of each week as a bar, each shoe's distance in all and in the
// last 28 days (most in the last 28 days first), and the totals of the weeks
// and of every run up to the check-in day.
std::string render_runs_text(std::span<const runs::Run> runs, const RunsReportOptions& options);

// RFC 4180 CSV, CRLF line ends: a header row (week_first_day,
// week_last_day, distance_km, runs, longest_km; _mi for miles), then one row
// per week, oldest first, distances to two decimals.
std::string render_runs_csv(std::span<const runs::Run> runs, const RunsReportOptions& options);

// The weeks, shoes and totals as one object, documented in
// docs/runs-json.md.
nlohmann::ordered_json runs_to_json(std::span<const runs::Run> runs, const RunsReportOptions& options);

}  // namespace kneecheck
