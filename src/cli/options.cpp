#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/report.hpp"

namespace kneecheck {

namespace {

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

}  // namespace

Result<RuleSet> load_selected_rules(const CommonOptions& common) {
  if (common.rules_path.empty()) {
    auto rules = load_default_rules();
    if (!rules) return Error{format_error("<embedded rules>", rules.error())};
    return rules;
  }
  auto text = read_file(common.rules_path, kMaxRuleFileBytes);
  if (!text) return text.error();
  auto rules = load_rules(*text);
  if (!rules) return Error{format_error(common.rules_path, rules.error())};
  return rules;
}

Result<Date> selected_date(const CommonOptions& common) {
  if (common.date.empty()) return Date::today();
  auto date = Date::parse(common.date);
  if (!date) return Error{fmt::format("--date: \"{}\" is not a date of the form YYYY-MM-DD", common.date)};
  return *date;
}

int emit(const std::string& text, const CommonOptions& common, Console& console) {
  if (!common.output_path.empty()) {
    if (auto error = write_file_atomically(common.output_path, text)) {
      console.err << "kneecheck: " << error->message << '\n';
      return kExitInvalid;
    }
    return kExitOk;
  }
  console.out << text << std::flush;
  if (!console.out) {
    console.err << "kneecheck: cannot write the report to standard output\n";
    return kExitInvalid;
  }
  return kExitOk;
}

int stdout_written(Console& console) {
  console.out.flush();
  if (console.out) return kExitOk;
  console.err << "kneecheck: cannot write to standard output\n";
  return kExitInvalid;
}

int report(const Assessment& assessment, const CommonOptions& common, Console& console) {
  std::string text;
  if (common.format == "json") {
    text = render_json(assessment, common.explain) + "\n";
  } else if (common.format == "markdown") {
    text = render_markdown(assessment);
  } else if (common.format == "html") {
    text = render_html(assessment);
  } else {
    bool to_terminal = common.output_path.empty() && console.out_is_terminal;
    TextOptions options{to_terminal ? console.width : 80,
                        use_color(*parse_color_mode(common.color), to_terminal), to_terminal, common.explain};
    text = render_text(assessment, options);
  }
  int code = emit(text, common, console);
  if (code != kExitOk) return code;
  if (!common.fail_on.empty() && assessment.escalation.level <= *parse_level(common.fail_on)) return kExitAdvised;
  return kExitOk;
}

int fail(Console& console, const std::string& message, int code) {
  console.err << "kneecheck: " << message << '\n';
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

std::optional<Error> store_check_in(CheckInHistory& history, const Assessment& assessment) {
  if (!history.store || !history.history) return std::nullopt;
  auto id = history.history->add(check_in_of(assessment));
  if (!id) return id.error();
  return std::nullopt;
}

int not_stored(const Error& error, int code, Console& console) {
  console.err << "kneecheck: this check-in was not stored in the history: " << error.message << '\n';
  return code == kExitAdvised ? code : kExitInvalid;
}

Result<std::string> read_input_text(const std::string& path, std::size_t max_bytes, Console& console) {
  if (path != "-") return read_file(path, max_bytes);
  return read_stream(console.in, max_bytes, "standard input");
}

void add_common_options(CLI::App& app, CommonOptions& common) {
  app.add_option("--rules", common.rules_path, "Rule file to use instead of the embedded default rules")
      ->check(CLI::ExistingFile);
  app.add_option("--format", common.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  app.add_option("-o,--output", common.output_path, "Write the result to FILE instead of standard output");
  app.add_option("--color", common.color, "Colour: auto (on a terminal, unless NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--date", common.date, "Date of the check-in, YYYY-MM-DD (default: today)");
  app.add_option("--fail-on", common.fail_on, "Exit 3 when the escalation is at this level or more pressing")
      ->check(CLI::IsMember({"urgent", "soon", "routine", "self_care"}));
  app.add_flag("--explain", common.explain,
               "Show how every indicator of every cause was judged, and the answers that decided it");
}

}  // namespace kneecheck
