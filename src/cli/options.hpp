// cli/options: what the commands share: the options every command may take
// (each declared once, each command saying which it uses), the help a
// command shows, and the helpers that read the rules and the date, write
// results, and keep the history. Private to cli/.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/base/result.hpp"
#include "kneecheck/cli/cli.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/history/history.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// Options that more than one command takes. They may be given before or
// after the command's name; a command that does not use one refuses it.
struct CommonOptions {
  std::string rules_path;
  std::string format;  // empty: the command's first format
  std::string output_path;
  std::string color = "auto";
  std::string date;
  std::string fail_on;
  bool explain = false;
  bool sources = false;
  bool no_pager = false;
  std::string units;  // empty: KNEECHECK_UNITS, then the config file, then km
  std::vector<std::string> runs_paths;  // --runs, in the order given
};

// Where check-ins are kept, for the interview, assess --answers and history.
struct HistoryOptions {
  std::string db_path;
  bool no_save = false;
};

struct SharedOptions {
  CommonOptions common;
  HistoryOptions history;
};

// One option as help lists it.
struct OptionHelp {
  std::string_view names;  // "-o, --output FILE"
  std::string_view text;
};

// What `kneecheck help COMMAND` and `kneecheck COMMAND --help` show, and
// which shared options the command takes.
struct CommandHelp {
  std::string_view name;     // "" for the interview, which runs when no command is given
  std::string_view summary;  // one line, for the list of commands
  std::vector<std::string_view> usage;
  std::vector<OptionHelp> options;         // its own
  std::vector<std::string_view> shared;    // long names of the shared options it takes: "--rules", ...
  std::vector<std::string_view> formats;   // what --format may be; the first is the default
  std::vector<std::string_view> examples;  // command lines, with a comment after "#"
  std::string_view exit_codes;             // the codes it may give, one line
};

// A command of the command table: its CLI11 subcommand (none for the
// interview), its help, and how it runs once the command line is parsed.
struct CommandSetup {
  CLI::App* subcommand = nullptr;
  CommandHelp help;
  std::function<int(Console&)> run;
};

// Declares the shared options on the root of the command line.
void add_shared_options(CLI::App& app, SharedOptions& shared);
// The help of each shared option, by long name ("--rules").
const OptionHelp& shared_option_help(std::string_view long_name);
// The long names of every shared option, in the order help lists them.
const std::vector<std::string_view>& shared_option_names();

// The rules to use. An error's message is complete, naming the file with the
// line or pointer when there is one ("rules.json:4:11: invalid JSON ...") and
// the file once when it cannot be read at all.
Result<RuleSet> load_selected_rules(const CommonOptions& common);
// --date, or today; a date after today is refused.
Result<Date> selected_date(const CommonOptions& common);

// The unit distances are asked and shown in: --units, else KNEECHECK_UNITS,
// else "units = km|mi" in $XDG_CONFIG_HOME/kneecheck/config (or
// ~/.config/kneecheck/config), else km.
Result<Units> selected_units(const CommonOptions& common);

// The format the command writes: --format, or its first.
std::string_view selected_format(const CommonOptions& common, const CommandHelp& help);

// Writes a result to --output (whole or not at all) or standard output,
// through the pager when it is longer than a terminal.
int emit(const std::string& text, const CommonOptions& common, Console& console);
// After a command has printed its results: exit 2 when they did not reach
// standard output (closed, or a full disk), so that no one mistakes a lost
// result for a clean run.
int stdout_written(Console& console);
// "kneecheck: MESSAGE" on standard error (the label in red on a colour
// terminal); returns `code`.
int fail(Console& console, const std::string& message, int code = kExitInvalid);

// Writes the report in the chosen format; exit 3 when --fail-on applies.
int report(const Assessment& assessment, const CommonOptions& common, const CommandHelp& help, Console& console);

// A file, or standard input for "-", up to `max_bytes`.
Result<std::string> read_input_text(const std::string& path, std::size_t max_bytes, Console& console);

std::filesystem::path history_path(const HistoryOptions& options);
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
// After the report has been written: the check-in joins the history, and a
// line on standard error says so, or that it was not stored (--no-save).
// False when storing failed: the report stands, so `code` then says the
// history was not written: 2, unless --fail-on's 3 applies, which is about
// the knee and matters more.
// `plan`, for a weekly plan check-in: its step, decision and own answers.
struct PlanMark {
  int step = 1;
  std::string decision;
  nlohmann::json answers;
  std::optional<double> function_score;
};
bool store_check_in(CheckInHistory& history, const Assessment& assessment, int& code, Console& console,
                    const PlanMark* plan = nullptr);

// The commands, each in its own file.
CommandSetup setup_interview(CLI::App& app, SharedOptions& shared);
CommandSetup setup_assess(CLI::App& app, SharedOptions& shared);
CommandSetup setup_questions(CLI::App& app, SharedOptions& shared);
CommandSetup setup_validate(CLI::App& app, SharedOptions& shared);
CommandSetup setup_test(CLI::App& app, SharedOptions& shared);
CommandSetup setup_logic(CLI::App& app, SharedOptions& shared);
CommandSetup setup_history(CLI::App& app, SharedOptions& shared);
CommandSetup setup_plan(CLI::App& app, SharedOptions& shared);
CommandSetup setup_checkin(CLI::App& app, SharedOptions& shared);
CommandSetup setup_runs(CLI::App& app, SharedOptions& shared);

}  // namespace kneecheck
