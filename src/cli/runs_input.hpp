// cli/runs_input: the recorded runs a check-in draws on, read before the
// first question, and the answers they suggest. Private to cli/.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/options.hpp"
#include "kneecheck/interview/suggestions.hpp"
#include "kneecheck/runs/import.hpp"

namespace kneecheck {

struct RunsForCheckIn {
  bool given = false;           // --runs named files to read
  std::vector<runs::Run> runs;  // from the files and the history, de-duplicated, oldest first
  std::vector<runs::Run> read;  // from the files alone: stored with the check-in
  nlohmann::json figures;       // run_figures() as of the check-in day, once dated
  Suggestions suggestions;
};

// What the import reads distances in when a file does not say, and the day
// after which a run is an error.
runs::ImportOptions import_options(Units units, const Date& today);

// Works out the figures and the answers they suggest as of the check-in day.
void date_runs(RunsForCheckIn& runs, const RuleSet& rules, const Date& check_in);

// Reads the files and folders --runs names, and joins them to the runs the
// history holds. Every problem is printed on standard error; an error in
// any file is an error here (exit 2 before a question is asked), naming how
// many files could not be read.
Result<RunsForCheckIn> read_runs_for_check_in(const CommonOptions& common, Units units, const Date& date,
                                              const CheckInHistory& history, Console& console);

// After the check-in is stored: the runs read from files join the history,
// so that later check-ins need no --runs. False when storing failed (said on
// standard error).
bool store_runs_read(CheckInHistory& history, const RunsForCheckIn& runs, Console& console);

// Says on standard error what the runs show and that the questions offer
// it; nothing when there are no runs.
void announce_runs(const RunsForCheckIn& runs, const Date& date, Units units, Console& console);

}  // namespace kneecheck
