#include "kneecheck/cli/cli.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "cli/batch.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/authoring/describe.hpp"
#include "kneecheck/interview/draft.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/history/history.hpp"
#include "kneecheck/report/history.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/rules/rules.hpp"
#include "kneecheck/authoring/scenario.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/authoring/validate.hpp"

namespace kneecheck {

namespace {

constexpr std::string_view kExitCodes = R"(Exit codes:
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

struct InterviewOptions {
  bool resume = false;
  std::string save_answers_path;
};

struct AssessOptions {
  std::string answers_path;
  std::string batch_path;
  std::size_t jobs = 0;  // 0: default_batch_jobs()
};

// Where check-ins are kept, for the interview, assess --answers and history.
struct HistoryOptions {
  std::string db_path;
  bool no_save = false;
};

struct HistoryCommandOptions {
  std::string format = "text";
  bool forget = false;
  bool yes = false;
};

struct LogicOptions {
  std::string rule;
  std::string data = "{}";
  std::string answers_path;
};

struct QuestionsOptions {
  bool template_only = false;
};

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool strict = false;
};

// A failure that ends the command: the message for stderr and the exit code.
struct Failure {
  int code;
  std::string message;
};

// The rules to use. An error's message is complete, naming the file with the
// line or pointer when there is one ("rules.json:4:11: invalid JSON ...") and
// the file once when it cannot be read at all.
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

// After a command has printed its results: exit 2 when they did not reach
// standard output (closed, or a full disk), so that no one mistakes a lost
// result for a clean run.
int stdout_written(Console& console) {
  console.out.flush();
  if (console.out) return kExitOk;
  console.err << "kneecheck: cannot write to standard output\n";
  return kExitInvalid;
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
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

int fail(Console& console, const std::string& message, int code = kExitInvalid) {
  console.err << "kneecheck: " << message << '\n';
  return code;
}

// Restores the saved draft into `interview`; the draft must come from the
// same rules.
std::optional<std::string> resume_draft(const RuleSet& rules, Interview& interview, Console& console) {
  auto path = default_draft_path();
  auto draft = load_draft(path);
  if (!draft) {
    return std::filesystem::exists(path) ? draft.error().message
                                         : fmt::format("there is no saved interview to resume ({})", path.string());
  }
  if (draft->rules_id != rules.id || draft->rules_version != rules.version) {
    return fmt::format("the saved interview in {} was made with rules {} {}, not {} {}", path.string(),
                       draft->rules_id, draft->rules_version, rules.id, rules.version);
  }
  std::size_t restored = replay_draft(interview, draft->answers, draft->asked);
  console.err << fmt::format("Resuming the interview saved in {}: {} answer{} restored.\n", path.string(), restored,
                             restored == 1 ? "" : "s");
  return std::nullopt;
}

// Keeps what an unfinished interview collected and says where.
void keep_draft(const RuleSet& rules, const TypedInterviewResult& result, Console& console) {
  if (result.asked.empty()) return;
  auto path = default_draft_path();
  if (path.empty()) return;
  if (auto error = save_draft(path, {rules.id, rules.version, result.answers, result.asked})) {
    console.err << "kneecheck: could not save your answers so far: " << error->message << '\n';
    return;
  }
  console.err << fmt::format("Your answers so far are saved in {}. Run 'kneecheck --resume' to carry on.\n",
                             path.string());
}

std::filesystem::path history_path(const HistoryOptions& options) {
  return options.db_path.empty() ? default_history_path() : std::filesystem::path(options.db_path);
}

constexpr std::string_view kNoHistoryPath =
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

// After the report has been written: the check-in joins the history.
std::optional<Error> store_check_in(CheckInHistory& history, const Assessment& assessment) {
  if (!history.store || !history.history) return std::nullopt;
  auto id = history.history->add(check_in_of(assessment));
  if (!id) return id.error();
  return std::nullopt;
}

// The report stands, so the exit code says the history was not written: 2,
// unless --fail-on's 3 applies, which is about the knee and matters more.
int not_stored(const Error& error, int code, Console& console) {
  console.err << "kneecheck: this check-in was not stored in the history: " << error.message << '\n';
  return code == kExitAdvised ? code : kExitInvalid;
}

// A finished interview whose check-in could not be stored: its answers are
// kept as a draft, which --resume scores and stores again.
void keep_unstored_answers(const RuleSet& rules, const TypedInterviewResult& result,
                           const InterviewOptions& interview_options, Console& console) {
  auto path = default_draft_path();
  std::optional<Error> error =
      path.empty() ? std::optional<Error>(Error{"there is no place for a draft (HOME is not set)"})
                   : save_draft(path, {rules.id, rules.version, result.answers, result.asked});
  if (!error) {
    console.err << fmt::format(
        "Your answers are saved in {}. Run 'kneecheck --resume' (with --db PATH for another database) to store "
        "this check-in once the history can be written.\n",
        path.string());
  } else if (interview_options.save_answers_path.empty()) {
    console.err << "kneecheck: could not save your answers: " << error->message << '\n';
  }
  if (!interview_options.save_answers_path.empty()) {
    console.err << fmt::format("Your answers are {}in {}: 'kneecheck assess --answers {}' stores them.\n",
                               error ? "" : "also ", interview_options.save_answers_path,
                               interview_options.save_answers_path);
  }
}

// The answers in interview order, as assess --answers reads them.
std::string answers_file_text(const RuleSet& rules, const Answers& answers) {
  nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
  for (const auto& question : rules.questions) {
    auto it = answers.find(question.id);
    if (it != answers.end()) ordered[question.id] = *it;
  }
  return ordered.dump(2) + "\n";
}

int run_interview(const CommonOptions& common, const InterviewOptions& interview_options,
                  const HistoryOptions& history_options, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  if (console.in_is_terminal) {
    console.err << "kneecheck asks about your knee pain and your running, then ranks likely causes with advice.\n"
                   "It takes about five minutes. It is not a diagnosis. Type ? for help, b to go back, q to quit.\n";
  }
  Interview interview(*rules);
  if (interview_options.resume) {
    if (auto error = resume_draft(*rules, interview, console)) return fail(console, *error);
  }
  InterruptWatch watch;
  TypedInterviewOptions options{console.in_is_terminal, console.width, [] { return InterruptWatch::interrupted(); }};
  auto result = run_typed_interview(interview, console.in, console.err, options);
  if (!finished(result.outcome)) {
    keep_draft(*rules, result, console);
    bool stopped = result.outcome == InterviewOutcome::quit || result.outcome == InterviewOutcome::interrupted;
    return fail(console, result.message, stopped ? kExitInterrupted : kExitInvalid);
  }
  remove_draft(default_draft_path());
  if (!interview_options.save_answers_path.empty()) {
    if (auto error = write_file_atomically(interview_options.save_answers_path,
                                           answers_file_text(*rules, result.answers))) {
      return fail(console, error->message);
    }
  }
  if (console.in_is_terminal) console.err << '\n';
  Assessment assessment = score(*rules, result.answers, *date, history->past);
  int code = report(assessment, common, console);
  if (code == kExitInvalid) return code;
  if (auto error = store_check_in(*history, assessment)) {
    code = not_stored(*error, code, console);
    keep_unstored_answers(*rules, result, interview_options, console);
  }
  return code;
}

// A file, or standard input for "-", up to `max_bytes`.
Result<std::string> read_input_text(const std::string& path, std::size_t max_bytes, Console& console) {
  if (path != "-") return read_file(path, max_bytes);
  return read_stream(console.in, max_bytes, "standard input");
}

int run_batch_assess(const RuleSet& rules, const Date& date, const AssessOptions& assess, Console& console) {
  const std::string& path = assess.batch_path;
  std::ifstream file;
  std::istream* input = &console.in;
  if (path != "-") {
    if (auto error = open_input_file(path, file)) return fail(console, error->message);
    input = &file;
  }
  auto summary = run_batch(rules, *input, console.out, date, assess.jobs == 0 ? default_batch_jobs() : assess.jobs);
  if (input->bad()) return fail(console, fmt::format("cannot read {}", path == "-" ? "standard input" : path));
  console.out.flush();
  if (!console.out) return fail(console, "cannot write to standard output");
  if (summary.failed == 0) return kExitOk;
  return fail(console, fmt::format("{} of {} lines had invalid answers; their error records say why", summary.failed,
                                   summary.lines));
}

int run_assess(const CommonOptions& common, const AssessOptions& assess, const HistoryOptions& history_options,
               Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  if (!assess.batch_path.empty()) return run_batch_assess(*rules, *date, assess, console);
  std::string answers_origin = assess.answers_path == "-" ? "<stdin>" : assess.answers_path;
  auto text = read_input_text(assess.answers_path, kMaxAnswersFileBytes, console);
  if (!text) return fail(console, text.error().message);
  auto document = parse_json(*text);
  if (!document) return fail(console, format_error(answers_origin, document.error()));
  auto check = check_answers(*rules, *document);
  if (!check.errors.empty()) {
    // The first problems are the ones to fix first; thousands of lines would bury them.
    constexpr std::size_t kShownProblems = 50;
    for (std::size_t i = 0; i < check.errors.size() && i < kShownProblems; ++i) {
      console.err << "kneecheck: " << format_error(answers_origin, check.errors[i]) << '\n';
    }
    if (check.errors.size() > kShownProblems) {
      console.err << fmt::format("kneecheck: ... and {} more\n", check.errors.size() - kShownProblems);
    }
    console.err << fmt::format("kneecheck: {} problem{} in {}; nothing was scored\n", check.errors.size(),
                               check.errors.size() == 1 ? "" : "s", answers_origin);
    return kExitInvalid;
  }
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  Assessment assessment = score(*rules, check.answers, *date, history->past);
  int code = report(assessment, common, console);
  if (code == kExitInvalid) return code;
  if (auto error = store_check_in(*history, assessment)) return not_stored(*error, code, console);
  return code;
}

bool is_yes(std::string_view answer) {
  std::string word = to_lower(trim(answer));
  return word == "y" || word == "yes";
}

// Deletes every check-in; a person at a terminal is asked first, and a
// script must say --yes.
int forget_history(History& history, std::size_t count, bool yes, Console& console) {
  std::string file = history.path().string();
  if (!yes) {
    if (!console.in_is_terminal) {
      return fail(console, fmt::format("history --forget: standard input is not a terminal, so no one can be asked; "
                                       "pass --yes to delete all {} check-in{} in {}",
                                       count, count == 1 ? "" : "s", file));
    }
    console.err << fmt::format("Delete all {} check-in{} in {}? [y/N] ", count, count == 1 ? "" : "s", file)
                << std::flush;
    std::string answer;
    if (read_line(console.in, answer, 100) == LineRead::end || !is_yes(answer)) {
      console.err << "Nothing was deleted.\n";
      return kExitOk;
    }
  }
  auto deleted = history.forget();
  if (!deleted) return fail(console, fmt::format("could not delete the check-ins: {}", deleted.error().message));
  console.out << fmt::format("Deleted {} check-in{} from {}.\n", *deleted, *deleted == 1 ? "" : "s", file);
  return stdout_written(console);
}

int run_history(const CommonOptions& common, const HistoryOptions& options, const HistoryCommandOptions& command,
                Console& console) {
  auto path = history_path(options);
  if (path.empty()) return fail(console, std::string(kNoHistoryPath));
  std::vector<CheckIn> check_ins;
  std::optional<History> history;
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored)) {
    auto opened = History::open(path, false);
    if (!opened) return fail(console, fmt::format("cannot use the history: {}", opened.error().message));
    auto all = opened->check_ins();
    if (!all) return fail(console, fmt::format("cannot read the history: {}", all.error().message));
    check_ins = std::move(all).value();
    history = std::move(opened).value();
  }
  if (command.forget) {
    if (check_ins.empty()) {
      console.out << "No check-ins yet.\n";
      return stdout_written(console);
    }
    return forget_history(*history, check_ins.size(), command.yes, console);
  }
  std::string text;
  if (command.format == "json") {
    text = history_to_json(check_ins).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else if (command.format == "csv") {
    text = render_history_csv(check_ins);
  } else {
    bool to_terminal = common.output_path.empty() && console.out_is_terminal;
    text = render_history_text(check_ins, {to_terminal ? console.width : 80, to_terminal});
  }
  return emit(text, common, console);
}

int run_questions(const CommonOptions& common, const QuestionsOptions& options, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  std::string text;
  if (options.template_only) {
    text = answers_template(*rules).dump(2) + "\n";
  } else if (common.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& question : rules->questions) {
      nlohmann::json item = {{"id", question.id}, {"type", to_string(question.type)}, {"text", question.text},
                             {"optional", question.optional}};
      if (!question.options.empty()) {
        item["options"] = nlohmann::json::array();
        for (const auto& option : question.options) item["options"].push_back({{"value", option.value}, {"label", option.label}});
      }
      if (question.type == QuestionType::number) {
        item["min"] = question.min;
        item["max"] = question.max;
        if (!question.unit.empty()) item["unit"] = question.unit;
      }
      if (question.ask_if) item["ask_if"] = question.ask_if->rule();
      list.push_back(std::move(item));
    }
    text = list.dump(2) + "\n";
  } else {
    for (const auto& question : rules->questions) {
      text += fmt::format("{} ({}{}){}\n  {}\n", question.id, to_string(question.type),
                          question.optional ? ", optional" : "", question.ask_if ? " — follow-up" : "", question.text);
      for (const auto& option : question.options) text += fmt::format("    {:<24} {}\n", option.value, option.label);
      if (question.type == QuestionType::number) {
        text += fmt::format("    {:g} to {:g} {}\n", question.min, question.max, question.unit);
      }
      if (question.ask_if) text += fmt::format("    asked if: {}\n", describe_condition(question.ask_if->rule(), *rules));
    }
  }
  return emit(text, common, console);
}

// A JSON argument given inline or, as "@file", by path.
Result<nlohmann::json> read_json_argument(const std::string& argument, const std::string& what, std::size_t max_bytes,
                                          Console& console) {
  std::string text = argument;
  std::string origin = what;
  if (!argument.empty() && argument[0] == '@') {
    origin = argument.substr(1);
    auto file = read_input_text(origin, max_bytes, console);
    if (!file) return file.error();
    text = std::move(file).value();
  }
  auto parsed = parse_json(text);
  if (!parsed) return Error{format_error(origin, parsed.error())};
  return parsed;
}

Result<nlohmann::json> logic_data(const CommonOptions& common, const LogicOptions& logic, Console& console) {
  if (logic.answers_path.empty()) return read_json_argument(logic.data, "DATA", kMaxRuleFileBytes, console);
  auto rules = load_selected_rules(common);
  if (!rules) return rules.error();
  auto answers = read_json_argument("@" + logic.answers_path, logic.answers_path, kMaxAnswersFileBytes, console);
  if (!answers) return answers.error();
  auto check = check_answers(*rules, *answers);
  if (!check.errors.empty()) return Error{format_error(logic.answers_path, check.errors.front())};
  return with_derived_values(*rules, check.answers);
}

int run_logic(const CommonOptions& common, const LogicOptions& logic, Console& console) {
  auto rule = read_json_argument(logic.rule, "RULE", kMaxRuleFileBytes, console);
  if (!rule) return fail(console, rule.error().message);
  auto expression = logic::Expression::compile(*rule);
  if (!expression) return fail(console, format_error("RULE", expression.error()));
  auto data = logic_data(common, logic, console);
  if (!data) return fail(console, data.error().message);
  return emit(expression->evaluate(*data).dump() + "\n", common, console);
}

int run_validate(const ValidateOptions& validate, Console& console) {
  std::vector<Diagnostic> diagnostics;
  if (validate.paths.empty()) {
    diagnostics = validate_rules(embedded_rules(), "<embedded rules>");
  }
  for (const auto& path : validate.paths) {
    auto found = validate_rules_file(path);
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  }
  static const std::map<std::string, DiagnosticFormat> kFormats = {
      {"text", DiagnosticFormat::text}, {"json", DiagnosticFormat::json}, {"github", DiagnosticFormat::github}};
  console.out << format_diagnostics(diagnostics, kFormats.at(validate.format)) << std::flush;
  if (!console.out) return fail(console, "cannot write to standard output");
  return has_failures(diagnostics, validate.strict) ? kExitChecksFailed : kExitOk;
}

std::string version_text() {
  auto rules = load_default_rules();
  std::string rule_set = rules ? fmt::format("{} {}", rules->id, rules->version) : "(embedded rules invalid)";
  return fmt::format("kneecheck {} (rules {})", KNEECHECK_VERSION, rule_set);
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

}  // namespace

int run_cli(int argc, const char* const* argv, Console& console) {
  CLI::App app{"kneecheck: why do my knees hurt when I run? A self-assessment for runners. Not a diagnosis.",
               "kneecheck"};
  app.set_version_flag("--version", version_text);
  app.footer(std::string(kExitCodes));
  app.require_subcommand(0, 1);

  CommonOptions common;
  add_common_options(app, common);
  InterviewOptions interview_options;
  app.add_flag("--resume", interview_options.resume, "Carry on with the interview saved when it was last stopped");
  app.add_option("--save-answers", interview_options.save_answers_path,
                 "After the interview, also write the answers to FILE (for assess --answers)");
  HistoryOptions history_options;
  constexpr std::string_view kDbHelp =
      "History database (default: $KNEECHECK_DB, else $XDG_DATA_HOME/kneecheck/history.db)";
  app.add_option("--db", history_options.db_path, std::string(kDbHelp));
  app.add_flag("--no-save", history_options.no_save, "Do not store this check-in in the history");
  AssessOptions assess;
  auto* assess_command = app.add_subcommand("assess", "Score an answers JSON object (question id -> answer)");
  // What to score: exactly one of the two.
  auto* input_group = assess_command->add_option_group("Answers");
  auto* answers_option =
      input_group->add_option("--answers", assess.answers_path, "Answers JSON file, or - for standard input");
  auto* batch_option = input_group->add_option(
      "--batch", assess.batch_path, "JSONL file (or -): one answers object per line, one JSON assessment per line out");
  answers_option->excludes(batch_option);
  input_group->require_option(1);
  assess_command
      ->add_option("--jobs", assess.jobs, "Threads to score a batch on (default: one per core; the output is the same)")
      ->check(CLI::Range(std::size_t{1}, kMaxBatchJobs))
      ->needs(batch_option);
  assess_command->fallthrough();
  LogicOptions logic;
  auto* logic_command =
      app.add_subcommand("logic", "Evaluate one JsonLogic expression and print the result as JSON");
  logic_command->add_option("RULE", logic.rule, "The expression: JSON text, or @FILE")->required();
  logic_command->add_option("DATA", logic.data, "The data: JSON text, or @FILE (default {})");
  logic_command->add_option("--answers", logic.answers_path,
                            "Evaluate against this answers file, with the rules' derived values added");
  logic_command->fallthrough();
  QuestionsOptions questions;
  auto* questions_command = app.add_subcommand("questions", "List the interview's questions");
  questions_command->add_flag("--template", questions.template_only,
                              "Write an answers JSON template (every question, null) for assess --answers");
  questions_command->fallthrough();
  ValidateOptions validate;
  auto* validate_command = app.add_subcommand("validate", "Check rule files (default: the embedded rules)");
  validate_command->add_option("RULES", validate.paths, "Rule files to check");
  validate_command->add_option("--format", validate.format, "Diagnostics as text, json or github (annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}));
  validate_command->add_flag("--strict", validate.strict, "Fail on warnings too");
  std::vector<std::string> case_paths;
  std::string junit_path;
  auto* test_command = app.add_subcommand("test", "Run scenario cases: answers and the conclusions they must lead to");
  test_command->add_option("paths", case_paths, "Case files, or folders searched for *.json");
  test_command->add_option("--junit", junit_path, "Also write the results as JUnit XML to FILE");
  test_command->fallthrough();
  HistoryCommandOptions history_command_options;
  auto* history_command =
      app.add_subcommand("history", "List past check-ins with pain and causes over time, or forget them");
  auto* history_format = history_command->add_option("--format", history_command_options.format, "Output format")
                             ->check(CLI::IsMember({"text", "json", "csv"}));
  auto* history_output = history_command->add_option("-o,--output", common.output_path,
                                                      "Write the result to FILE instead of standard output");
  history_command->add_option("--db", history_options.db_path, std::string(kDbHelp));
  auto* forget_flag = history_command->add_flag("--forget", history_command_options.forget,
                                                "Delete every check-in (asks first in a terminal)");
  forget_flag->excludes(history_format)->excludes(history_output);
  history_command->add_flag("--yes", history_command_options.yes, "With --forget: delete without asking")
      ->needs(forget_flag);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error, console.out, console.err);
    if (code == 0) return stdout_written(console);  // --help, --version
    console.err << "Run 'kneecheck --help' for the commands and options.\n";
    return kExitInvalid;
  }
  try {
    if (assess_command->parsed()) return run_assess(common, assess, history_options, console);
    if (questions_command->parsed()) return run_questions(common, questions, console);
    if (validate_command->parsed()) return run_validate(validate, console);
    if (test_command->parsed()) {
      int code = run_scenario_command(case_paths, junit_path, console.out, console.err);
      int written = stdout_written(console);
      return written != kExitOk ? written : code;
    }
    if (logic_command->parsed()) return run_logic(common, logic, console);
    if (history_command->parsed()) return run_history(common, history_options, history_command_options, console);
    return run_interview(common, interview_options, history_options, console);
  } catch (const std::exception& error) {
    // Every expected failure is a value; this is the last line of defence.
    return fail(console, fmt::format("internal error: {}", error.what()));
  }
}

}  // namespace kneecheck
