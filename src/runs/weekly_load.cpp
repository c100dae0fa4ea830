#include "kneecheck/runs/weekly_load.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace kneecheck::runs {

namespace {

constexpr int kDaysPerWeek = 7;
constexpr int kShoeWindowDays = 28;
constexpr int kSpikeReferenceDays = 30;

double km(double metres) { return metres / 1000; }

struct DatedRun {
  int days_before;  // 0 = the check-in day
  const Run* run;
};

// The longest run on the `kSpikeReferenceDays` days before day `days_before`.
double longest_in_30_days_before(const std::vector<DatedRun>& runs, int days_before) {
  double longest = 0;
  for (const DatedRun& other : runs) {
    const int gap = other.days_before - days_before;
    if (gap >= 1 && gap <= kSpikeReferenceDays) longest = std::max(longest, km(other.run->distance_m));
  }
  return longest;
}

void add_spike(WeeklyLoad& load, const std::vector<DatedRun>& runs) {
  for (const DatedRun& dated : runs) {
    if (dated.days_before >= kDaysPerWeek) continue;
    const double reference = longest_in_30_days_before(runs, dated.days_before);
    if (reference <= 0) continue;
    const double spike = (km(dated.run->distance_m) / reference - 1) * 100;
    load.spike_pct = load.spike_pct ? std::max(*load.spike_pct, spike) : spike;
  }
}

void add_shoes(WeeklyLoad& load, const std::vector<DatedRun>& runs) {
  std::map<std::string, ShoeTotal> shoes;
  for (const DatedRun& dated : runs) {
    if (dated.run->gear.empty()) continue;
    ShoeTotal& shoe = shoes[dated.run->gear];
    shoe.name = dated.run->gear;
    shoe.total_km += km(dated.run->distance_m);
    if (dated.days_before < kShoeWindowDays) shoe.last_28_days_km += km(dated.run->distance_m);
  }
  for (auto& [name, shoe] : shoes) load.shoes.push_back(shoe);
  std::stable_sort(load.shoes.begin(), load.shoes.end(), [](const ShoeTotal& a, const ShoeTotal& b) {
    return a.last_28_days_km > b.last_28_days_km;
  });
  if (!load.shoes.empty() && load.shoes.front().last_28_days_km > 0) load.main_shoe = load.shoes.front().name;
}

void add_cadence(WeeklyLoad& load, const std::vector<DatedRun>& runs) {
  double weighted = 0;
  double weight = 0;
  for (const DatedRun& dated : runs) {
    if (dated.days_before >= kShoeWindowDays || !dated.run->cadence_spm) continue;
    // A run without a distance still tells its cadence: it weighs as 1 m.
    const double metres = std::max(dated.run->distance_m, 1.0);
    weighted += *dated.run->cadence_spm * metres;
    weight += metres;
  }
  if (weight > 0) load.cadence_spm = weighted / weight;
}

}  // namespace

WeeklyLoad weekly_load(std::span<const Run> runs, Date check_in) {
  std::vector<DatedRun> dated;
  dated.reserve(runs.size());
  for (const Run& run : runs) {
    const int days_before = run.local_date.days_until(check_in);
    if (days_before >= 0) dated.push_back(DatedRun{days_before, &run});
  }
  WeeklyLoad load;
  std::set<int> run_days;
  for (const DatedRun& run : dated) {
    const int week = run.days_before / kDaysPerWeek;
    if (week < static_cast<int>(load.km_week.size())) load.km_week[static_cast<std::size_t>(week)] += km(run.run->distance_m);
    if (week == 0) {
      ++load.runs_last_week;
      run_days.insert(run.days_before);
      load.longest_last_week_km = std::max(load.longest_last_week_km, km(run.run->distance_m));
    } else if (run.days_before < kDaysPerWeek + kSpikeReferenceDays) {
      load.longest_previous_30_days_km = std::max(load.longest_previous_30_days_km, km(run.run->distance_m));
    }
  }
  load.rest_days_last_week = kDaysPerWeek - static_cast<int>(run_days.size());
  add_spike(load, dated);
  add_cadence(load, dated);
  add_shoes(load, dated);
  return load;
}

std::vector<WeekTotal> weekly_totals(std::span<const Run> runs, Date check_in, int weeks) {
  std::vector<WeekTotal> totals(static_cast<std::size_t>(std::max(weeks, 0)));
  for (std::size_t i = 0; i < totals.size(); ++i) {
    const int weeks_before = static_cast<int>(totals.size() - 1 - i);
    totals[i].last_day = check_in.plus_days(-weeks_before * kDaysPerWeek);
    totals[i].first_day = totals[i].last_day.plus_days(-(kDaysPerWeek - 1));
  }
  for (const Run& run : runs) {
    const int days_before = run.local_date.days_until(check_in);
    const int weeks_before = days_before / kDaysPerWeek;
    if (days_before < 0 || weeks_before >= weeks) continue;
    WeekTotal& week = totals[totals.size() - 1 - static_cast<std::size_t>(weeks_before)];
    week.km += km(run.distance_m);
    ++week.runs;
    week.longest_km = std::max(week.longest_km, km(run.distance_m));
  }
  return totals;
}

}  // namespace kneecheck::runs
