#include "cli/runs_input.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"

namespace kneecheck {

runs::ImportOptions import_options(Units units, const Date& today) {
  runs::ImportOptions options;
  options.unit = units == Units::mi ? runs::DistanceUnit::mi : runs::DistanceUnit::km;
  options.today = today;
  return options;
}

void date_runs(RunsForCheckIn& runs, const RuleSet& rules, const Date& check_in) {
  runs.figures = run_figures(runs.runs, check_in);
  runs.suggestions = suggest_answers(rules, runs.figures);
}

namespace {

Result<std::vector<runs::Run>> stored_runs(const CheckInHistory& history) {
  if (!history.history) return std::vector<runs::Run>{};
  auto stored = history.history->runs();
  if (!stored) return Error{fmt::format("cannot read the runs in the history: {}", stored.error().message)};
  return std::move(stored).value();
}

}  // namespace

Result<RunsForCheckIn> read_runs_for_check_in(const CommonOptions& common, Units units, const Date& date,
                                              const CheckInHistory& history, Console& console) {
  RunsForCheckIn result;
  auto stored = stored_runs(history);
  if (!stored) return stored.error();
  result.runs = std::move(stored).value();
  if (common.runs_paths.empty()) return result;
  std::vector<std::filesystem::path> paths(common.runs_paths.begin(), common.runs_paths.end());
  runs::Import imported = runs::import_runs(paths, import_options(units, date));
  std::size_t failed = 0;
  for (const auto& problem : imported.problems) {
    console.err << "kneecheck: " << runs::to_string(problem) << '\n';
    if (!problem.warning) ++failed;
  }
  if (failed > 0) {
    std::string_view them = failed == 1 ? "it" : "them";
    return Error{fmt::format("--runs: {} could not be read (above); fix {} or leave {} out, then start again",
                             quantity(static_cast<double>(failed), "files"), them, them)};
  }
  result.given = true;
  result.read = std::move(imported.runs);
  result.runs.insert(result.runs.end(), result.read.begin(), result.read.end());
  result.runs = runs::deduplicate(std::move(result.runs));
  return result;
}

bool store_runs_read(CheckInHistory& history, const RunsForCheckIn& runs, Console& console) {
  if (!history.store || !history.history || runs.read.empty()) return true;
  auto stored = history.history->add_runs(runs.read);
  if (!stored) {
    fail(console, "the runs were not stored in the history: " + stored.error().message);
    return false;
  }
  if (stored->added > 0) {
    console.err << fmt::format("{} stored with it, for later check-ins.\n",
                               quantity(static_cast<double>(stored->added), "new runs"));
  }
  return true;
}

void announce_runs(const RunsForCheckIn& runs, const Date& date, Units units, Console& console) {
  if (runs.runs.empty()) {
    if (runs.given) console.err << "No running activities were found in the --runs files.\n";
    return;
  }
  auto print = [&](std::string_view text, std::string_view first, std::string_view rest) {
    auto lines = wrap(text, console.width > first.size() + 20 ? console.width - first.size() : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) console.err << (i == 0 ? first : rest) << lines[i] << '\n';
  };
  auto sentences = describe_run_figures(runs.figures, units);
  if (sentences.empty()) {
    print(fmt::format("Your recorded runs end on {}, more than four weeks before {}, so they suggest no answers.",
                      runs.runs.back().local_date.to_string(), date.to_string()),
          "", "");
    return;
  }
  print(fmt::format("From your runs ({}, {} to {}):", quantity(static_cast<double>(runs.runs.size()), "runs"),
                    runs.runs.front().local_date.to_string(), runs.runs.back().local_date.to_string()),
        "", "");
  for (const auto& sentence : sentences) print(sentence, "  - ", "    ");
  print("The questions about these offer them as answers.", "", "");
}

}  // namespace kneecheck
