#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/report/history.hpp"

namespace kneecheck {

namespace {

struct HistoryCommandOptions {
  bool forget = false;
  bool yes = false;
};

bool is_yes(std::string_view answer) {
  std::string word = to_lower(trim(answer));
  return word == "y" || word == "yes";
}

std::string counted(std::int64_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

// "3 check-ins and 250 runs"
std::string contents(const Forgotten& counts) {
  return fmt::format("{} and {}", counted(counts.check_ins, "check-in", "check-ins"),
                     counted(counts.runs, "run", "runs"));
}

// Deletes every check-in and run; a person at a terminal is asked first, and
// a script must say --yes.
int forget_history(History& history, const Forgotten& stored, bool yes, Console& console) {
  std::string file = history.path().string();
  if (!yes) {
    if (!console.in_is_terminal) {
      return fail(console, fmt::format("history --forget: standard input is not a terminal, so no one can be asked; "
                                       "pass --yes to delete all {} in {}",
                                       contents(stored), file));
    }
    console.err << fmt::format("Delete all {} in {}? [y/N] ", contents(stored), file) << std::flush;
    std::string answer;
    if (read_line(console.in, answer, 100) == LineRead::end || !is_yes(answer)) {
      console.err << "Nothing was deleted.\n";
      return kExitOk;
    }
  }
  auto deleted = history.forget();
  if (!deleted) return fail(console, fmt::format("could not delete the history: {}", deleted.error().message));
  console.out << fmt::format("Deleted {} from {}.\n", contents(*deleted), file);
  return stdout_written(console);
}

int run_history(const CommonOptions& common, const HistoryOptions& options, const HistoryCommandOptions& command,
                const CommandHelp& help,
                Console& console) {
  auto path = history_path(options);
  if (path.empty()) return fail(console, std::string(kNoHistoryPath));
  std::vector<CheckIn> check_ins;
  std::int64_t stored_runs = 0;
  std::optional<History> history;
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored)) {
    auto opened = History::open(path, false);
    if (!opened) return fail(console, fmt::format("cannot use the history: {}", opened.error().message));
    auto all = opened->check_ins();
    if (!all) return fail(console, fmt::format("cannot read the history: {}", all.error().message));
    check_ins = std::move(all).value();
    if (command.forget) {
      auto runs = opened->runs();
      if (!runs) return fail(console, fmt::format("cannot read the history: {}", runs.error().message));
      stored_runs = static_cast<std::int64_t>(runs->size());
    }
    history = std::move(opened).value();
  }
  if (command.forget) {
    if (check_ins.empty() && stored_runs == 0) {
      console.out << "No check-ins or runs yet.\n";
      return stdout_written(console);
    }
    return forget_history(*history, {static_cast<std::int64_t>(check_ins.size()), stored_runs}, command.yes, console);
  }
  std::string text;
  if (selected_format(common, help) == "json") {
    text = history_to_json(check_ins).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else if (selected_format(common, help) == "csv") {
    text = render_history_csv(check_ins);
  } else {
    bool to_terminal = common.output_path.empty() && console.out_is_terminal;
    text = render_history_text(check_ins, {to_terminal ? console.width : 80, to_terminal});
  }
  return emit(text, common, console);
}

}  // namespace

CommandSetup setup_history(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<HistoryCommandOptions>();
  auto* command = app.add_subcommand("history");
  command->add_flag("--forget", options->forget);
  command->add_flag("--yes", options->yes);
  command->fallthrough();
  CommandHelp help{
      "history",
      "Past check-ins: pain, top cause and level over time; export them, or forget them and the runs",
      {"kneecheck history [--format text|json|csv] [-o FILE]", "kneecheck history --forget [--yes]"},
      {{"--forget", "Delete every check-in and every stored run (asks first in a terminal)"},
       {"--yes", "With --forget: delete without asking"}},
      {"--format", "--output", "--db", "--color", "--no-pager"},
      {"text", "json", "csv"},
      {"kneecheck history", "kneecheck history --format csv -o checkins.csv", "kneecheck history --forget"},
      "0 ok, 2 a history that cannot be read or a usage error",
  };
  return {command, help, [options, &shared, help](Console& console) {
            if (options->yes && !options->forget) return fail(console, "--yes goes with --forget only");
            if (options->forget && (!shared.common.format.empty() || !shared.common.output_path.empty())) {
              return fail(console, "--forget deletes the history: --format and --output do not go with it");
            }
            return run_history(shared.common, shared.history, *options, help, console);
          }};
}

}  // namespace kneecheck
