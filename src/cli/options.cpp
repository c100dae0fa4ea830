#include "cli/options.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/color.h>
#include <fmt/format.h>

#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/report.hpp"

namespace kneecheck {

namespace {

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : kLevels) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

struct SharedOption {
  std::string_view long_name;
  OptionHelp help;
};

// Every shared option's help, in the order help lists them.
const std::vector<SharedOption>& shared_options() {
  static const std::vector<SharedOption> options = {
      {"--rules", {"--rules FILE", "Use the rule file FILE instead of the rules built in"}},
      {"--format", {"--format FORMAT", "What to write: the formats the command lists"}},
      {"--output", {"-o, --output FILE", "Write the result to FILE instead of standard output"}},
      {"--date", {"--date YYYY-MM-DD", "The day of the check-in, today or before (default: today)"}},
      {"--fail-on", {"--fail-on LEVEL", "Exit 3 when a professional is advised at LEVEL or more pressing: "
                                        "urgent, soon, routine or self_care"}},
      {"--explain", {"--explain", "Also show how every sign of every cause was judged, and the answers that decided"}},
      {"--sources", {"--sources", "List the sources the text report cites by number (always listed in a file, "
                                  "Markdown and HTML)"}},
      {"--db", {"--db FILE", "The history database (default: $KNEECHECK_DB, else "
                             "$XDG_DATA_HOME/kneecheck/history.db)"}},
      {"--no-save", {"--no-save", "Do not store this check-in in the history"}},
      {"--units", {"--units km|mi", "The unit the interview asks and shows distances in (default: "
                                    "$KNEECHECK_UNITS, then the config file, then km); answers keep km"}},
      {"--runs", {"--runs PATH", "Read recorded runs from PATH, a file or a folder (again for more): they suggest "
                                 "the answers about distance, rest days and shoes"}},
      {"--color", {"--color WHEN, --colour WHEN", "Colour: auto (on a terminal, unless NO_COLOR is set), always or never"}},
      {"--no-pager", {"--no-pager", "Never page long output (default: through $PAGER, else less -FRX, on a terminal)"}},
  };
  return options;
}

}  // namespace

void add_shared_options(CLI::App& app, SharedOptions& shared) {
  CommonOptions& common = shared.common;
  app.add_option("--rules", common.rules_path);
  app.add_option("--format", common.format);
  app.add_option("-o,--output", common.output_path);
  app.add_option("--date", common.date);
  app.add_option("--fail-on", common.fail_on);
  app.add_flag("--explain", common.explain);
  app.add_flag("--sources", common.sources);
  app.add_option("--db", shared.history.db_path);
  app.add_flag("--no-save", shared.history.no_save);
  app.add_option("--units", common.units);
  // One path each time it is given, so that a command's own arguments are not taken for more.
  app.add_option("--runs", common.runs_paths)->allow_extra_args(false);
  app.add_option("--color,--colour", common.color);
  app.add_flag("--no-pager", common.no_pager);
}

const OptionHelp& shared_option_help(std::string_view long_name) {
  for (const auto& option : shared_options()) {
    if (option.long_name == long_name) return option.help;
  }
  static const OptionHelp none{"", ""};
  return none;
}

const std::vector<std::string_view>& shared_option_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const auto& option : shared_options()) all.push_back(option.long_name);
    return all;
  }();
  return names;
}

Result<RuleSet> load_selected_rules(const CommonOptions& common) {
  if (common.rules_path.empty()) {
    auto rules = load_default_rules();
    if (!rules) return Error{format_error("<embedded rules>", rules.error())};
    return rules;
  }
  auto text = read_file(common.rules_path, kMaxRuleFileBytes);
  if (!text) return Error{"--rules: " + text.error().message};
  auto rules = load_rules(*text);
  if (!rules) return Error{format_error(common.rules_path, rules.error())};
  return rules;
}

Result<Date> selected_date(const CommonOptions& common) {
  Date today = Date::today();
  if (common.date.empty()) return today;
  auto date = Date::parse(common.date);
  if (!date) return Error{fmt::format("--date {}: not a date of the form YYYY-MM-DD", common.date)};
  if (today.days_until(*date) > 0) {
    return Error{fmt::format("--date {} is in the future: a check-in is for today or a day before", common.date)};
  }
  return *date;
}

namespace {

std::filesystem::path config_path() {
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  if (config_home != nullptr && config_home[0] != '\0') return std::filesystem::path(config_home) / "kneecheck" / "config";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::filesystem::path(home) / ".config" / "kneecheck" / "config";
  return {};
}

// "units = mi" in the config file; other settings are left for later
// versions, so an unknown key is not an error.
struct ConfiguredUnits {
  bool given = false;
  Units units = Units::km;
};

Result<ConfiguredUnits> configured_units() {
  auto path = config_path();
  std::error_code ignored;
  if (path.empty() || !std::filesystem::exists(path, ignored)) return ConfiguredUnits{};
  auto text = read_file(path.string(), 64 * 1024);
  if (!text) return text.error();
  std::size_t line_number = 0;
  for (std::string_view line : split_list(*text, "\n")) {
    ++line_number;
    line = trim(line);
    if (line.empty() || line.starts_with('#')) continue;
    auto equals = line.find('=');
    if (equals == std::string_view::npos || trim(line.substr(0, equals)) != "units") continue;
    std::string_view value = trim(line.substr(equals + 1));
    auto units = parse_units(value);
    if (!units) return Error{fmt::format("{}:{}: units = {}: give km or mi", path.string(), line_number, value)};
    return ConfiguredUnits{true, *units};
  }
  return ConfiguredUnits{};
}

}  // namespace

Result<Units> selected_units(const CommonOptions& common) {
  if (!common.units.empty()) {
    if (auto units = parse_units(common.units)) return *units;
    return Error{fmt::format("--units {}: give km or mi", common.units)};
  }
  const char* from_environment = std::getenv("KNEECHECK_UNITS");
  if (from_environment != nullptr && from_environment[0] != '\0') {
    if (auto units = parse_units(from_environment)) return *units;
    return Error{fmt::format("KNEECHECK_UNITS={}: give km or mi", from_environment)};
  }
  auto configured = configured_units();
  if (!configured) return configured.error();
  return configured->units;
}

std::string_view selected_format(const CommonOptions& common, const CommandHelp& help) {
  if (!common.format.empty()) return common.format;
  return help.formats.empty() ? std::string_view("text") : help.formats.front();
}

namespace {

// Long output on a terminal goes through a pager, as git does it.
bool paged(const std::string& text, const CommonOptions& common, Console& console) {
  if (common.no_pager || !console.out_is_terminal) return false;
  std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (lines < console.height) return false;
  const char* chosen = std::getenv("PAGER");
  std::string command = chosen != nullptr && chosen[0] != '\0' ? chosen : "less -FRX";
  if (command == "cat") return false;
  console.out.flush();
  return page(text, command);
}

}  // namespace

int emit(const std::string& text, const CommonOptions& common, Console& console) {
  if (!common.output_path.empty()) {
    if (auto error = write_file_atomically(common.output_path, text)) return fail(console, error->message);
    return kExitOk;
  }
  if (paged(text, common, console)) return kExitOk;
  console.out << text << std::flush;
  if (!console.out) return fail(console, "cannot write the report to standard output");
  return kExitOk;
}

int stdout_written(Console& console) {
  console.out.flush();
  if (console.out) return kExitOk;
  return fail(console, "cannot write to standard output");
}

int report(const Assessment& assessment, const CommonOptions& common, const CommandHelp& help, Console& console) {
  std::string text;
  std::string_view format = selected_format(common, help);
  if (format == "json") {
    text = render_json(assessment, common.explain) + "\n";
  } else if (format == "markdown") {
    text = render_markdown(assessment, common.explain);
  } else if (format == "html") {
    text = render_html(assessment, common.explain);
  } else {
    bool to_terminal = common.output_path.empty() && console.out_is_terminal;
    TextOptions options{to_terminal ? console.width : 80,
                        use_color(*parse_color_mode(common.color), to_terminal), to_terminal, common.explain,
                        common.sources || !to_terminal};
    text = render_text(assessment, options);
  }
  int code = emit(text, common, console);
  if (code != kExitOk) return code;
  if (!common.fail_on.empty() && assessment.escalation.level <= *parse_level(common.fail_on)) return kExitAdvised;
  return kExitOk;
}

int fail(Console& console, const std::string& message, int code) {
  if (console.err_color) {
    console.err << fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "kneecheck:") << ' ' << message
                << '\n';
  } else {
    console.err << "kneecheck: " << message << '\n';
  }
  return code;
}

std::filesystem::path history_path(const HistoryOptions& options) {
  return options.db_path.empty() ? default_history_path() : std::filesystem::path(options.db_path);
}

Result<CheckInHistory> open_check_in_history(const HistoryOptions& options, const Date& date) {
  CheckInHistory opened;
  opened.store = !options.no_save;
  auto path = history_path(options);
  std::error_code ignored;
  if (path.empty()) {
    if (!opened.store) return opened;
    return Error{fmt::format("{}, or --no-save", kNoHistoryPath)};
  }
  if (!opened.store && !std::filesystem::exists(path, ignored)) return opened;
  auto history = History::open(path, opened.store);
  if (!history) return Error{fmt::format("cannot use the history: {}", history.error().message)};
  auto past = history->past_before(date);
  if (!past) return Error{fmt::format("cannot read the history: {}", past.error().message)};
  opened.past = std::move(past).value();
  opened.history = std::move(history).value();
  return opened;
}

bool store_check_in(CheckInHistory& history, const Assessment& assessment, int& code, Console& console,
                    const PlanMark* plan) {
  if (!history.store) {
    console.err << "This check-in was not stored in your history (--no-save).\n";
    return true;
  }
  CheckIn check_in = check_in_of(assessment);
  if (plan != nullptr) {
    check_in.plan_step = plan->step;
    check_in.plan_decision = plan->decision;
    check_in.plan_answers = plan->answers;
    check_in.function_score = plan->function_score;
  }
  auto id = history.history->add(check_in);
  if (!id) {
    fail(console, "this check-in was not stored in the history: " + id.error().message);
    if (code != kExitAdvised) code = kExitInvalid;
    return false;
  }
  console.err << fmt::format("Stored in your history ({}); 'kneecheck history' shows every check-in.\n",
                             history.history->path().string());
  return true;
}

Result<std::string> read_input_text(const std::string& path, std::size_t max_bytes, Console& console) {
  if (path != "-") return read_file(path, max_bytes);
  return read_stream(console.in, max_bytes, "standard input");
}

}  // namespace kneecheck
