// `kneecheck runs`: the last weeks of stored runs; `kneecheck runs import
// PATH...`: reading exports and activity files into the history.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/report/runs.hpp"
#include "kneecheck/runs/import.hpp"

namespace kneecheck {

namespace {

constexpr std::string_view kImport = "import";

struct RunsCommandOptions {
  std::vector<std::string> words;  // "import" and the paths, or nothing
};

std::string counted(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

// "1,204"
std::string whole_number(double value) {
  std::string digits = fmt::format("{:.0f}", std::max(value, 0.0));
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string_view unit_name(Units units) { return units == Units::mi ? "mi" : "km"; }

// "; 1,204 km since 2016-03-02", or nothing when no run is stored.
std::string stored_distance(const std::vector<runs::Run>& stored, Units units) {
  if (stored.empty()) return "";
  double km = 0;
  for (const auto& run : stored) km += run.distance_m / 1000;
  if (units == Units::mi) km /= kKilometresPerMile;
  return fmt::format("; {} {} since {}", whole_number(km), unit_name(units), stored.front().local_date.to_string());
}

// "Imported 250 runs from 3 files (12 already stored, 4 other sports passed
// over) into FILE; 1,204 km since 2016-03-02."
std::string import_summary(const runs::Import& imported, const RunsStored& stored, const History& history,
                           const std::vector<runs::Run>& all, Units units) {
  std::vector<std::string> asides;
  const auto already = static_cast<std::int64_t>(imported.runs.size()) - stored.added;
  if (already > 0) asides.push_back(fmt::format("{} already stored", already));
  if (imported.skipped_not_running > 0) {
    asides.push_back(fmt::format("{} passed over", counted(imported.skipped_not_running, "other sport", "other sports")));
  }
  std::string aside;
  for (const auto& part : asides) aside += (aside.empty() ? " (" : ", ") + part;
  if (!aside.empty()) aside += ")";
  return fmt::format("Imported {} from {}{} into {}{}.\n", counted(static_cast<std::size_t>(stored.added), "run", "runs"),
                     counted(imported.files_read, "file", "files"), aside, history.path().string(),
                     stored_distance(all, units));
}

runs::ImportOptions import_options(Units units, const Date& today) {
  runs::ImportOptions options;
  options.unit = units == Units::mi ? runs::DistanceUnit::mi : runs::DistanceUnit::km;
  options.today = today;
  return options;
}

// The history is opened first, so that a database that cannot be used is
// named before any file is read. A file that cannot be read is named and
// skipped, the others are stored (in one transaction), and the exit code
// says one was missed.
int run_import(const CommonOptions& common, const HistoryOptions& history_options,
                const std::vector<std::string>& paths, Console& console) {
  auto units = selected_units(common);
  if (!units) return fail(console, units.error().message);
  auto today = selected_date(common);
  if (!today) return fail(console, today.error().message);
  auto path = history_path(history_options);
  if (path.empty()) return fail(console, std::string(kNoHistoryPath));
  auto history = History::open(path);
  if (!history) return fail(console, fmt::format("cannot use the history: {}", history.error().message));

  const std::vector<std::filesystem::path> files(paths.begin(), paths.end());
  const runs::Import imported = runs::import_runs(files, import_options(*units, *today));
  for (const auto& problem : imported.problems) fail(console, runs::to_string(problem));
  auto stored = history->add_runs(imported.runs);
  if (!stored) return fail(console, fmt::format("the runs were not stored: {}", stored.error().message));
  auto all = history->runs();
  if (!all) return fail(console, fmt::format("cannot read the history: {}", all.error().message));
  console.out << import_summary(imported, *stored, *history, *all, *units);
  const int written = stdout_written(console);
  return written != kExitOk || imported.has_errors() ? kExitInvalid : kExitOk;
}

// The stored runs; none when there is no database yet, which is not created.
Result<std::vector<runs::Run>> stored_runs(const HistoryOptions& options) {
  auto path = history_path(options);
  if (path.empty()) return Error{std::string(kNoHistoryPath)};
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) return std::vector<runs::Run>{};
  auto history = History::open(path, false);
  if (!history) return Error{fmt::format("cannot use the history: {}", history.error().message)};
  auto all = history->runs();
  if (!all) return Error{fmt::format("cannot read the history: {}", all.error().message)};
  return all;
}

int show_runs(const CommonOptions& common, const HistoryOptions& history_options, const CommandHelp& help,
              Console& console) {
  auto units = selected_units(common);
  if (!units) return fail(console, units.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  auto all = stored_runs(history_options);
  if (!all) return fail(console, all.error().message);

  const bool to_terminal = common.output_path.empty() && console.out_is_terminal;
  RunsReportOptions options{*date, *units, to_terminal ? console.width : 80, to_terminal};
  const std::string_view format = selected_format(common, help);
  std::string text;
  if (format == "json") {
    text = runs_to_json(*all, options).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else if (format == "csv") {
    text = render_runs_csv(*all, options);
  } else {
    text = render_runs_text(*all, options);
  }
  if (all->empty() && format != "text") console.err << kNoRunsStored << '\n';
  return emit(text, common, console);
}

// What the words after `runs` ask for: nothing, or import and its paths.
std::optional<std::string> misused(const std::vector<std::string>& words, const CommonOptions& common) {
  if (words.empty()) return std::nullopt;
  if (words.front() != kImport) {
    auto guess = closest(words.front(), {std::string(kImport)});
    return fmt::format("'{}': 'runs' takes 'import PATH...' or nothing.{}", words.front(),
                       guess ? fmt::format(" Did you mean '{}'?", *guess) : "");
  }
  if (words.size() == 1) return "runs import: give the files or folders to import";
  if (!common.format.empty() || !common.output_path.empty() || common.no_pager) {
    std::string_view option = !common.format.empty() ? "--format" : !common.output_path.empty() ? "--output" : "--no-pager";
    return fmt::format("{} does not apply to 'runs import', which stores runs and prints one line", option);
  }
  return std::nullopt;
}

}  // namespace

CommandSetup setup_runs(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<RunsCommandOptions>();
  auto* command = app.add_subcommand("runs");
  command->add_option("WORDS", options->words);
  command->fallthrough();
  CommandHelp help{
      "runs",
      "Recorded runs: import Strava, Garmin, GPX, TCX and FIT files; the last 12 weeks as a table",
      {"kneecheck runs [--format text|csv|json] [-o FILE] [--date YYYY-MM-DD]", "kneecheck runs import PATH..."},
      {{"import PATH...",
        "Read the runs in each file or folder (searched recursively) and store those not stored yet in the "
        "history; rides, swims and other sports are passed over"}},
      {"--format", "--output", "--date", "--db", "--units", "--color", "--no-pager"},
      {"text", "csv", "json"},
      {"kneecheck runs import ~/Downloads/strava_export   # a Strava bulk export, unzipped",
       "kneecheck runs import Activities.csv morning.fit.gz",
       "kneecheck runs                                     # distance, runs and longest run of each week",
       "kneecheck runs --format csv -o weeks.csv"},
      "0 ok; 2 a file that could not be imported (the others are stored), a history that cannot be used, or a "
      "usage error",
  };
  return {command, help, [options, &shared, help](Console& console) {
            if (auto problem = misused(options->words, shared.common)) return fail(console, *problem);
            if (options->words.empty()) return show_runs(shared.common, shared.history, help, console);
            const std::vector<std::string> paths(options->words.begin() + 1, options->words.end());
            return run_import(shared.common, shared.history, paths, console);
          }};
}

}  // namespace kneecheck
