// weekly_load: what imported runs say about a runner's recent load, as of a
// check-in day.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kneecheck/base/date.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck::runs {

struct ShoeTotal {
  std::string name;
  double total_km = 0;         // every run up to the check-in day
  double last_28_days_km = 0;  // the check-in day and the 27 days before
};

struct WeeklyLoad {
  // km_week[0] is the check-in day and the 6 days before; km_week[1] the
  // 7 days before those, and so on.
  std::array<double, 4> km_week{};
  int runs_last_week = 0;
  int rest_days_last_week = 7;  // days of week 1 without a run
  double longest_last_week_km = 0;
  // The longest run in the 30 days before week 1 (days 7 to 36 before the
  // check-in day).
  double longest_previous_30_days_km = 0;
  // The largest single-run spike of week 1, in percent: each run of the week
  // against the longest run of the 30 days before its own day (Frandsen 2025,
  // domain-2.md §2.1). nullopt when no week-1 run has a run in its 30 days.
  std::optional<double> spike_pct;
  // Steps a minute over the last 28 days, weighted by distance; nullopt when
  // no run of those days has a cadence.
  std::optional<double> cadence_spm;
  std::vector<ShoeTotal> shoes;  // most km in the last 28 days first, then by name
  // The shoe with most km in the last 28 days; nullopt when no run of those
  // days names one.
  std::optional<std::string> main_shoe;
};

// Runs dated after `check_in` are left out. `runs` need not be sorted.
WeeklyLoad weekly_load(std::span<const Run> runs, Date check_in);

// Seven days of runs.
struct WeekTotal {
  Date first_day;
  Date last_day;
  double km = 0;
  int runs = 0;
  double longest_km = 0;  // 0 for a week without runs
};

// The `weeks` weeks that end on `check_in`, oldest first: the last is the
// check-in day and the 6 days before it (km_week[0] of weekly_load), the one
// before it the 7 days before those, and so on. Weeks without runs are
// there too. Runs dated after `check_in` are left out. `runs` need not be
// sorted. REQUIRES: weeks >= 0.
std::vector<WeekTotal> weekly_totals(std::span<const Run> runs, Date check_in, int weeks);

}  // namespace kneecheck::runs
