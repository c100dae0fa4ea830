#include "kneecheck/report/runs.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/runs/weekly_load.hpp"
#include "report/columns.hpp"

namespace kneecheck {

using ordered_json = nlohmann::ordered_json;
using columns::fit;
using columns::padded;
using columns::printable;
using columns::right_aligned;
using columns::short_date;

namespace {

constexpr std::size_t kChartCells = 20;
constexpr std::size_t kDateColumn = 11;  // "30 Jun 2024"

std::string_view unit_name(Units units) { return units == Units::mi ? "mi" : "km"; }

double in_unit(double km, Units units) { return units == Units::mi ? km / kKilometresPerMile : km; }

// "41.0 km": one decimal always, so that a column lines up.
std::string one_decimal(double km, Units units) {
  return fmt::format("{:.1f} {}", in_unit(km, units), unit_name(units));
}

// JSON and CSV give distances to 10 m (or 0.01 mi): the files are no more
// precise than that, and a reader should not see 41.000000000000007.
double rounded(double km, Units units) { return std::round(in_unit(km, units) * 100) / 100; }

struct Totals {
  int runs = 0;
  double km = 0;
  std::optional<Date> first_day;
};

// Every run up to the check-in day.
Totals totals_of(std::span<const runs::Run> runs, const Date& check_in) {
  Totals totals;
  for (const runs::Run& run : runs) {
    if (run.local_date.days_until(check_in) < 0) continue;
    ++totals.runs;
    totals.km += run.distance_m / 1000;
    if (!totals.first_day || run.local_date.days_until(*totals.first_day) > 0) totals.first_day = run.local_date;
  }
  return totals;
}

std::string week_table(const std::vector<runs::WeekTotal>& weeks, Units units) {
  constexpr std::size_t kDistance = 10;
  constexpr std::size_t kRuns = 4;
  std::string text = fmt::format("{}  {}  {}  {}\n", padded("Week ending", kDateColumn),
                                 right_aligned("Distance", kDistance), right_aligned("Runs", kRuns),
                                 right_aligned("Longest", kDistance));
  for (const auto& week : weeks) {
    std::string longest = week.runs == 0 ? "-" : one_decimal(week.longest_km, units);
    text += fmt::format("{}  {}  {}  {}\n", padded(short_date(week.last_day), kDateColumn),
                        right_aligned(one_decimal(week.km, units), kDistance),
                        right_aligned(std::to_string(week.runs), kRuns), right_aligned(longest, kDistance));
  }
  return text;
}

std::string bar(double value, double scale, bool unicode) {
  const auto filled = static_cast<std::size_t>(std::lround(std::clamp(value / scale, 0.0, 1.0) * kChartCells));
  std::string cells;
  for (std::size_t cell = 0; cell < kChartCells; ++cell) {
    cells += cell < filled ? (unicode ? "█" : "#") : (unicode ? "·" : ".");
  }
  return cells;
}

// Each week's distance as a bar, the longest week filling it.
std::string week_chart(const std::vector<runs::WeekTotal>& weeks, const RunsReportOptions& options) {
  double most = 0;
  for (const auto& week : weeks) most = std::max(most, week.km);
  std::string text = fmt::format("\nDistance each week, 0 to {}\n", one_decimal(most, options.units));
  for (const auto& week : weeks) {
    text += fmt::format("  {}  {}  {:.1f}\n", padded(short_date(week.last_day), kDateColumn),
                        bar(week.km, most > 0 ? most : 1, options.unicode), in_unit(week.km, options.units));
  }
  return text;
}

std::string shoe_table(const std::vector<runs::ShoeTotal>& shoes, const RunsReportOptions& options) {
  if (shoes.empty()) return "\nShoes: none of these runs names its shoes.\n";
  constexpr std::size_t kDistance = 12;
  constexpr std::size_t kNarrowest = 10;
  std::size_t widest = display_width("Shoes");
  for (const auto& shoe : shoes) widest = std::max(widest, display_width(printable(shoe.name)));
  const std::size_t fixed = 2 + 2 + kDistance + 2 + kDistance;
  const std::size_t name_width =
      std::clamp<std::size_t>(options.width > fixed ? options.width - fixed : 0, kNarrowest, widest);
  std::string text = fmt::format("\n  {}  {}  {}\n", padded("Shoes", name_width), right_aligned("In all", kDistance),
                                 right_aligned("Last 28 days", kDistance));
  for (const auto& shoe : shoes) {
    text += fmt::format("  {}  {}  {}\n", padded(fit(printable(shoe.name), name_width, options.unicode), name_width),
                        right_aligned(one_decimal(shoe.total_km, options.units), kDistance),
                        right_aligned(one_decimal(shoe.last_28_days_km, options.units), kDistance));
  }
  return text;
}

std::string runs_counted(int runs) { return fmt::format("{} run{}", runs, runs == 1 ? "" : "s"); }

std::string totals_text(const std::vector<runs::WeekTotal>& weeks, const Totals& all, Units units) {
  int week_runs = 0;
  double week_km = 0;
  for (const auto& week : weeks) {
    week_runs += week.runs;
    week_km += week.km;
  }
  std::string text = fmt::format("\nIn these {} weeks: {}, {}.\n", weeks.size(), runs_counted(week_runs),
                                 one_decimal(week_km, units));
  if (all.first_day) {
    text += fmt::format("In all: {}, {} since {}.\n", runs_counted(all.runs), one_decimal(all.km, units),
                        short_date(*all.first_day));
  }
  return text;
}

}  // namespace

std::string render_runs_text(std::span<const runs::Run> runs, const RunsReportOptions& options) {
  if (runs.empty()) return std::string(kNoRunsStored) + "\n";
  const auto weeks = runs::weekly_totals(runs, options.check_in, kRunsReportWeeks);
  const auto load = runs::weekly_load(runs, options.check_in);
  std::string text = fmt::format("Runs in the {} weeks to {}\n\n", kRunsReportWeeks, short_date(options.check_in));
  return text + week_table(weeks, options.units) + week_chart(weeks, options) + shoe_table(load.shoes, options) +
         totals_text(weeks, totals_of(runs, options.check_in), options.units);
}

std::string render_runs_csv(std::span<const runs::Run> runs, const RunsReportOptions& options) {
  const std::string_view unit = unit_name(options.units);
  std::string text = fmt::format("week_first_day,week_last_day,distance_{0},runs,longest_{0}\r\n", unit);
  for (const auto& week : runs::weekly_totals(runs, options.check_in, kRunsReportWeeks)) {
    text += fmt::format("{},{},{:.2f},{},{:.2f}\r\n", week.first_day.to_string(), week.last_day.to_string(),
                        rounded(week.km, options.units), week.runs, rounded(week.longest_km, options.units));
  }
  return text;
}

ordered_json runs_to_json(std::span<const runs::Run> runs, const RunsReportOptions& options) {
  ordered_json weeks = ordered_json::array();
  for (const auto& week : runs::weekly_totals(runs, options.check_in, kRunsReportWeeks)) {
    weeks.push_back({{"first_day", week.first_day.to_string()},
                     {"last_day", week.last_day.to_string()},
                     {"distance", rounded(week.km, options.units)},
                     {"runs", week.runs},
                     {"longest", rounded(week.longest_km, options.units)}});
  }
  ordered_json shoes = ordered_json::array();
  for (const auto& shoe : runs::weekly_load(runs, options.check_in).shoes) {
    shoes.push_back({{"name", shoe.name},
                     {"distance", rounded(shoe.total_km, options.units)},
                     {"last_28_days", rounded(shoe.last_28_days_km, options.units)}});
  }
  const Totals all = totals_of(runs, options.check_in);
  return {
      {"check_in", options.check_in.to_string()},
      {"unit", unit_name(options.units)},
      {"weeks", std::move(weeks)},
      {"shoes", std::move(shoes)},
      {"totals",
       {{"runs", all.runs},
        {"distance", rounded(all.km, options.units)},
        {"first_day", all.first_day ? ordered_json(all.first_day->to_string()) : ordered_json()}}},
  };
}

}  // namespace kneecheck
