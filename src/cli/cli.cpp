#include "kneecheck/cli/cli.hpp"

#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/options.hpp"

namespace kneecheck {

namespace {

std::string version_text() {
  auto rules = load_default_rules();
  std::string rule_set = rules ? fmt::format("{} {}", rules->id, rules->version) : "(embedded rules invalid)";
  return fmt::format("kneecheck {} (rules {})", KNEECHECK_VERSION, rule_set);
}

void add_history_options(CLI::App& app, HistoryOptions& history) {
  app.add_option("--db", history.db_path, std::string(kDbHelp));
  app.add_flag("--no-save", history.no_save, "Do not store this check-in in the history");
}

}  // namespace

int run_cli(int argc, const char* const* argv, Console& console) {
  CLI::App app{"kneecheck: why do my knees hurt when I run? A self-assessment for runners. Not a diagnosis.",
               "kneecheck"};
  app.set_version_flag("--version", version_text);
  app.footer(std::string(kExitCodes));
  app.require_subcommand(0, 1);

  SharedOptions shared;
  add_common_options(app, shared.common);
  CommandSetup interview = setup_interview(app, shared);
  add_history_options(app, shared.history);
  // The command table, in the order --help lists the commands.
  const std::vector<CommandSetup> commands = {
      setup_assess(app, shared),   setup_logic(app, shared), setup_questions(app, shared),
      setup_validate(app, shared), setup_test(app, shared),  setup_history(app, shared),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error, console.out, console.err);
    if (code == 0) return stdout_written(console);  // --help, --version
    console.err << "Run 'kneecheck --help' for the commands and options.\n";
    return kExitInvalid;
  }
  try {
    for (const auto& command : commands) {
      if (command.subcommand->parsed()) return command.run(console);
    }
    return interview.run(console);
  } catch (const std::exception& error) {
    // Every expected failure is a value; this is the last line of defence.
    return fail(console, fmt::format("internal error: {}", error.what()));
  }
}

}  // namespace kneecheck
