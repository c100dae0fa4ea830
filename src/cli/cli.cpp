// The command table and what happens before a command runs: help, the
// command line checked word by word (an unknown command or option, with the
// closest one it may have meant; an option the command does not take), and
// every value that has a fixed set of choices.
#include "kneecheck/cli/cli.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/help.hpp"
#include "cli/options.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

namespace {

std::string version_text() {
  auto rules = load_default_rules();
  std::string rule_set = rules ? fmt::format("{} {}", rules->id, rules->version) : "(embedded rules invalid)";
  return fmt::format("kneecheck {} (rules {})", KNEECHECK_VERSION, rule_set);
}

const CommandSetup* find_command(const std::vector<CommandSetup>& commands, std::string_view name) {
  for (const auto& command : commands) {
    if (command.help.name == name) return &command;
  }
  return nullptr;
}

std::vector<std::string> command_names(const std::vector<CommandSetup>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) {
    if (!command.help.name.empty()) names.emplace_back(command.help.name);
  }
  names.emplace_back("help");
  return names;
}

// "Did you mean 'x'?", or nothing. A one-letter option has too many
// neighbours for a guess to help.
std::string suggestion(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.size() <= 2) return "";
  auto best = closest(name, candidates);
  return best ? fmt::format(" Did you mean '{}'?", *best) : "";
}

// A usage error: the message, then where to look.
int usage_error(Console& console, const std::string& message, std::string_view command) {
  fail(console, message);
  console.err << (command.empty() ? std::string("Run 'kneecheck help' for the commands and options.")
                                  : fmt::format("Run 'kneecheck help {}' for its options.", command))
              << '\n';
  return kExitInvalid;
}

// Every way of writing an option the command line accepts for `command`,
// and whether it takes a value.
struct Spelling {
  std::string name;
  std::string value;      // what it takes ("FILE"), or empty for a flag
  std::string long_name;  // the long form it is a spelling of: "-o" -> "--output"
};

std::vector<Spelling> spellings_of(const OptionHelp& option) {
  // "-o, --output FILE": every spelling takes the value that one names.
  std::vector<Spelling> found;
  std::string long_name;
  std::string value;
  for (const auto& form : split_list(option.names, ", ")) {
    std::size_t space = form.find(' ');
    std::string_view name = form.substr(0, space);
    if (!name.starts_with('-')) continue;  // a positional argument
    if (name.starts_with("--") && long_name.empty()) long_name = name;
    if (space != std::string_view::npos) value = form.substr(space + 1);
    found.push_back({std::string(name), "", ""});
  }
  for (auto& spelling : found) {
    spelling.long_name = long_name;
    spelling.value = value;
  }
  return found;
}

std::vector<Spelling> spellings_for(const CommandHelp& help) {
  std::vector<Spelling> all;
  for (const auto& option : help.options) {
    auto more = spellings_of(option);
    all.insert(all.end(), more.begin(), more.end());
  }
  for (std::string_view name : shared_option_names()) {
    auto more = spellings_of(shared_option_help(name));
    all.insert(all.end(), more.begin(), more.end());
  }
  all.push_back({"--help", "", "--help"});
  all.push_back({"-h", "", "--help"});
  all.push_back({"--version", "", "--version"});
  return all;
}

// How many arguments (words that are not options) a command takes after
// its name.
std::size_t arguments_taken(const CommandSetup& command) {
  if (command.subcommand == nullptr) return 0;
  std::size_t taken = 0;
  auto positionals = command.subcommand->get_options([](const CLI::Option* option) { return option->get_positional(); });
  for (const CLI::Option* option : positionals) taken += static_cast<std::size_t>(option->get_items_expected_max());
  return taken;
}

std::string arguments_refused(std::string_view word, const CommandSetup& command, std::size_t taken) {
  if (taken == 0) return fmt::format("'{}': '{}' takes no arguments, only options", word, command.help.name);
  return fmt::format("'{}': '{}' takes at most {} argument{}", word, command.help.name, taken, taken == 1 ? "" : "s");
}

// Reads the command line as CLI11 will, to name what it would only call
// "not expected": a command that does not exist, or an option that does not
// exist or that the command does not take. nullopt when every word fits.
std::optional<std::string> misfit(const std::vector<std::string>& words, const std::vector<CommandSetup>& commands,
                                  const CommandSetup& interview, const CommandSetup*& chosen) {
  chosen = &interview;
  auto every_spelling = [&] {
    std::vector<Spelling> all = spellings_for(interview.help);
    for (const auto& command : commands) {
      auto more = spellings_for(command.help);
      all.insert(all.end(), more.begin(), more.end());
    }
    return all;
  }();
  std::size_t arguments = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--" || word == "-" || !word.starts_with('-')) {
      if (chosen == &interview) {
        if (const CommandSetup* command = find_command(commands, word)) {
          chosen = command;
          continue;
        }
        return fmt::format("'{}' is not a command.{}", word, suggestion(word, command_names(commands)));
      }
      if (++arguments > arguments_taken(*chosen)) return arguments_refused(word, *chosen, arguments_taken(*chosen));
      continue;
    }
    std::string name = word.substr(0, word.find('='));
    auto mine = spellings_for(chosen->help);
    auto known = std::find_if(mine.begin(), mine.end(), [&](const Spelling& s) { return s.name == name; });
    if (known == mine.end()) {
      auto anywhere = std::find_if(every_spelling.begin(), every_spelling.end(),
                                   [&](const Spelling& s) { return s.name == name; });
      std::string command = chosen->help.name.empty() ? "the interview" : fmt::format("'{}'", chosen->help.name);
      if (anywhere != every_spelling.end()) return fmt::format("{} does not apply to {}", name, command);
      std::vector<std::string> names;
      for (const auto& spelling : mine) names.push_back(spelling.name);
      return fmt::format("unknown option '{}'.{}", name, suggestion(name, names));
    }
    if (known->value.empty() || word.find('=') != std::string::npos) continue;
    if (i + 1 == words.size()) return fmt::format("{} needs a value: {} {}", name, name, known->value);
    ++i;  // its value
  }
  return std::nullopt;
}

// The shared options given that the chosen command does not take: CLI11
// reads them wherever they stand, so the check is made on what it read.
std::optional<std::string> shared_misfit(CLI::App& app, const CommandSetup& chosen) {
  for (std::string_view name : shared_option_names()) {
    CLI::Option* option = app.get_option_no_throw(std::string(name));
    if (option == nullptr || option->count() == 0) continue;
    const auto& uses = chosen.help.shared;
    if (std::find(uses.begin(), uses.end(), name) != uses.end()) continue;
    std::string command = chosen.help.name.empty() ? "the interview" : fmt::format("'{}'", chosen.help.name);
    return fmt::format("{} does not apply to {}", name, command);
  }
  return std::nullopt;
}

// The values with a fixed set of choices.
std::optional<std::string> bad_value(const CommonOptions& common, const CommandSetup& chosen) {
  const auto& formats = chosen.help.formats;
  if (!common.format.empty() && std::find(formats.begin(), formats.end(), common.format) == formats.end()) {
    std::string command = chosen.help.name.empty() ? "the interview" : fmt::format("'{}'", chosen.help.name);
    return fmt::format("--format {}: {} writes {}", common.format, command, join_words(formats, "or"));
  }
  if (!parse_color_mode(common.color)) return fmt::format("--color {}: give auto, always or never", common.color);
  if (!common.units.empty() && !parse_units(common.units)) return fmt::format("--units {}: give km or mi", common.units);
  if (!common.fail_on.empty() && std::none_of(std::begin(kLevels), std::end(kLevels), [&](Level level) {
        return to_string(level) == common.fail_on;
      })) {
    return fmt::format("--fail-on {}: give urgent, soon, routine or self_care", common.fail_on);
  }
  return std::nullopt;
}

// `kneecheck help [COMMAND]`, and --help or -h anywhere.
std::optional<int> help_asked(const std::vector<std::string>& words, const std::vector<CommandSetup>& commands,
                              const CommandSetup& interview, Console& console) {
  bool flag = std::any_of(words.begin(), words.end(), [](const std::string& w) { return w == "--help" || w == "-h"; });
  bool verb = !words.empty() && words.front() == "help";
  if (!flag && !verb) return std::nullopt;
  std::string text;
  const std::string* named = nullptr;
  for (std::size_t i = verb ? 1 : 0; i < words.size(); ++i) {
    if (!words[i].starts_with('-')) {
      named = &words[i];
      break;
    }
  }
  if (named == nullptr || *named == "help") {
    text = general_help(interview, commands, console.width);
  } else if (const CommandSetup* command = find_command(commands, *named)) {
    text = command_help(command->help, console.width);
  } else {
    return usage_error(console,
                       fmt::format("'{}' is not a command.{}", *named, suggestion(*named, command_names(commands))),
                       "");
  }
  console.out << text;
  return stdout_written(console);
}

}  // namespace

int run_cli(int argc, const char* const* argv, Console& console) {
  CLI::App app{"kneecheck", "kneecheck"};
  app.set_help_flag();
  bool version = false;
  app.add_flag("--version", version);  // printed here, so the rules load once
  app.require_subcommand(0, 1);
  app.allow_extras(false);

  SharedOptions shared;
  add_shared_options(app, shared);
  CommandSetup interview = setup_interview(app, shared);
  // The command table, in the order help lists the commands.
  const std::vector<CommandSetup> commands = {
      setup_assess(app, shared),   setup_plan(app, shared),     setup_checkin(app, shared),
      setup_questions(app, shared), setup_runs(app, shared),    setup_history(app, shared),
      setup_validate(app, shared), setup_test(app, shared),     setup_logic(app, shared),
  };
  for (const auto& command : commands) command.subcommand->set_help_flag();

  std::vector<std::string> words(argv + (argc > 0 ? 1 : 0), argv + std::max(argc, 1));
  console.err_color = use_color(ColorMode::automatic, console.err_is_terminal);
  if (auto code = help_asked(words, commands, interview, console)) return *code;
  const CommandSetup* chosen = nullptr;
  if (auto problem = misfit(words, commands, interview, chosen)) return usage_error(console, *problem, chosen->help.name);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::string message = error.what();
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    return usage_error(console, message, chosen->help.name);
  }
  if (version) {
    console.out << version_text() << '\n';
    return stdout_written(console);
  }
  if (auto mode = parse_color_mode(shared.common.color)) console.err_color = use_color(*mode, console.err_is_terminal);
  if (auto problem = shared_misfit(app, *chosen)) return usage_error(console, *problem, chosen->help.name);
  if (auto problem = bad_value(shared.common, *chosen)) return usage_error(console, *problem, chosen->help.name);
  try {
    return chosen->run(console);
  } catch (const std::exception& error) {
    // Every expected failure is a value; this is the last line of defence.
    return fail(console, fmt::format("internal error: {}", error.what()));
  }
}

}  // namespace kneecheck
