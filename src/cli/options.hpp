// cli/options: what every command shares: the common options and the
// helpers that read the rules and the date, write results, and keep the
// history. Private to cli/.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "kneecheck/base/date.hpp"
#include "kneecheck/base/result.hpp"
#include "kneecheck/cli/cli.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/history/history.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

inline constexpr std::string_view kExitCodes = R"(Exit codes:
  0    ok
  1    checks failed (validation or scenario tests found problems)
  2    usage error or invalid input (bad rules, bad answers, input ended early),
       or history that cannot be read or stored
  3    a professional is advised at the --fail-on level or higher
  130  interrupted (q or Ctrl-C))";

// Options every command shares.
struct CommonOptions {
  std::string rules_path;
  std::string format = "text";
  std::string output_path;
  std::string color = "auto";
  std::string date;
  std::string fail_on;
  bool explain = false;
};

// Where check-ins are kept, for the interview, assess --answers and history.
struct HistoryOptions {
  std::string db_path;
  bool no_save = false;
};

// What the commands parse into.
struct SharedOptions {
  CommonOptions common;
  HistoryOptions history;
};

// A command of the command table: its CLI11 subcommand (none for the
// interview, which runs when no command is given) and how it runs once the
// command line is parsed.
struct CommandSetup {
  CLI::App* subcommand = nullptr;
  std::function<int(Console&)> run;
};

void add_common_options(CLI::App& app, CommonOptions& common);

// The rules to use. An error's message is complete, naming the file with the
// line or pointer when there is one ("rules.json:4:11: invalid JSON ...") and
// the file once when it cannot be read at all.
Result<RuleSet> load_selected_rules(const CommonOptions& common);
Result<Date> selected_date(const CommonOptions& common);

// Writes a result to --output (whole or not at all) or standard output.
int emit(const std::string& text, const CommonOptions& common, Console& console);
// After a command has printed its results: exit 2 when they did not reach
// standard output (closed, or a full disk), so that no one mistakes a lost
// result for a clean run.
int stdout_written(Console& console);
// "kneecheck: MESSAGE" on standard error; returns `code`.
int fail(Console& console, const std::string& message, int code = kExitInvalid);

// Writes the report in the chosen format; exit 3 when --fail-on applies.
int report(const Assessment& assessment, const CommonOptions& common, Console& console);

// A file, or standard input for "-", up to `max_bytes`.
Result<std::string> read_input_text(const std::string& path, std::size_t max_bytes, Console& console);

std::filesystem::path history_path(const HistoryOptions& options);
inline constexpr std::string_view kDbHelp =
    "History database (default: $KNEECHECK_DB, else $XDG_DATA_HOME/kneecheck/history.db)";
inline constexpr std::string_view kNoHistoryPath =
    "there is no place for the history: none of KNEECHECK_DB, XDG_DATA_HOME and HOME is set; pass --db PATH";

// The history an assessment is scored with, and then stored in.
struct CheckInHistory {
  std::optional<History> history;  // open when storing, or when there is a database to read
  bool store = false;
  std::vector<PastCheckIn> past;  // the check-ins dated before the assessment
};

// Opened before any question is asked, so that a database that cannot be
// used is named before the runner answers. A missing database is no history;
// it is created only when this check-in will be stored.
Result<CheckInHistory> open_check_in_history(const HistoryOptions& options, const Date& date);
// After the report has been written: the check-in joins the history.
std::optional<Error> store_check_in(CheckInHistory& history, const Assessment& assessment);
// The report stands, so the exit code says the history was not written: 2,
// unless --fail-on's 3 applies, which is about the knee and matters more.
int not_stored(const Error& error, int code, Console& console);

// The commands, each in its own file.
CommandSetup setup_interview(CLI::App& app, SharedOptions& shared);
CommandSetup setup_assess(CLI::App& app, SharedOptions& shared);
CommandSetup setup_questions(CLI::App& app, SharedOptions& shared);
CommandSetup setup_validate(CLI::App& app, SharedOptions& shared);
CommandSetup setup_test(CLI::App& app, SharedOptions& shared);
CommandSetup setup_logic(CLI::App& app, SharedOptions& shared);
CommandSetup setup_history(CLI::App& app, SharedOptions& shared);

}  // namespace kneecheck
