// The interview: `kneecheck` with no command. Nothing a runner answers is
// lost: output paths are checked before the first question, an unfinished
// interview is kept as a draft (never over another one a pipe did not start
// from), and a report or answers file that cannot be written after the
// interview leaves the report on standard output and the answers in a draft.
#include "cli/options.hpp"
#include "cli/plan_base.hpp"
#include "cli/runs_input.hpp"

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/interview/draft.hpp"
#include "kneecheck/interview/session.hpp"

namespace kneecheck {

namespace {

struct InterviewOptions {
  bool resume = false;
  std::string save_answers_path;
};

// Where this interview's draft goes: the usual place, unless a pipe would
// replace a draft it did not start from; then a file beside it.
struct DraftPlace {
  std::filesystem::path path;
  bool beside_another = false;
};

std::string answers_count(std::size_t count) { return fmt::format("{} answer{}", count, count == 1 ? "" : "s"); }

// Restores `draft` into `interview`; it must come from the same rules.
std::optional<std::string> restore(const RuleSet& rules, const Draft& draft, const std::filesystem::path& path,
                                   Interview& interview, Console& console) {
  if (draft.rules_id != rules.id || draft.rules_version != rules.version) {
    return fmt::format("the saved interview in {} was made with rules {} {}, not {} {}", path.string(),
                       draft.rules_id, draft.rules_version, rules.id, rules.version);
  }
  std::size_t restored = replay_draft(interview, draft.answers, draft.asked);
  console.err << fmt::format("Resuming the interview saved in {}: {} restored.\n", path.string(),
                             answers_count(restored));
  return std::nullopt;
}

bool is_yes(std::string_view answer, bool default_yes) {
  std::string word = to_lower(trim(answer));
  if (word.empty()) return default_yes;
  return word == "y" || word == "yes";
}

// A draft is waiting: at a terminal the runner chooses to resume it or start
// afresh (Enter: resume). True to resume.
bool choose_to_resume(const Draft& draft, const std::filesystem::path& path, Console& console) {
  std::string when = draft.date ? fmt::format(" of {}", draft.date->to_string()) : "";
  // The path stands on its own line so that it is never broken and can be copied.
  console.err << fmt::format("An unfinished interview{} ({}) is saved in\n  {}\nResume it? [Y/n] ", when,
                             answers_count(draft.asked.size()), path.string())
              << std::flush;
  std::string answer;
  if (read_line(console.in, answer, 100) == LineRead::end) return true;
  bool resume = is_yes(answer, true);
  if (!resume) console.err << "Starting afresh; the saved answers are replaced once this interview is kept.\n";
  return resume;
}

// Keeps the answers as a draft and says where: those of an unfinished
// interview, or of a finished one whose report or check-in could not be
// written, which --resume scores, reports and stores again.
void keep_draft(const RuleSet& rules, const DraftPlace& place, const TypedInterviewResult& result, const Date& date,
                Console& console) {
  if (result.asked.empty() || place.path.empty()) return;
  if (auto error = save_draft(place.path, {rules.id, rules.version, result.answers, result.asked, date})) {
    fail(console, "could not save your answers: " + error->message);
    return;
  }
  std::string what = finished(result.outcome) ? "Your answers are" : "Your answers so far are";
  std::string then = finished(result.outcome) ? "score, report and store them again" : "carry on";
  if (place.beside_another) {
    console.err << fmt::format("{} saved in {}, beside the unfinished interview already in {}, which is left as it "
                               "was. To {}, move it to {} and run 'kneecheck --resume'.\n",
                               what, place.path.string(), default_draft_path().string(), then,
                               default_draft_path().string());
    return;
  }
  console.err << fmt::format("{} saved in {}. Run 'kneecheck --resume' to {}.\n", what, place.path.string(), then);
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

// Every file the interview will write, checked before the first question.
std::optional<std::string> unwritable_output(const CommonOptions& common, const InterviewOptions& options) {
  for (const std::string& path : {common.output_path, options.save_answers_path}) {
    if (path.empty()) continue;
    if (auto error = unwritable(path)) return error->message;
  }
  return std::nullopt;
}

// A plan that has had a weekly check-in within its weeks is running: its
// short check-in is the one to answer each week, and a full interview starts
// a new plan.
void mention_running_plan(const CheckInHistory& history, const RuleSet& rules, const Date& date, Console& console) {
  if (!history.history || !rules.plan.present) return;
  auto state = plan_state(*history.history);
  if (!state || state->weekly.empty()) return;
  if (state->base.date.days_until(date) > 7 * rules.plan.weeks) return;
  for (const auto& line : wrap(fmt::format("Your plan is on week {}: its weekly check-in is 'kneecheck checkin'. "
                                           "This is the full interview, whose report starts a new plan.",
                                           state->step),
                               console.width)) {
    console.err << line << '\n';
  }
}

void introduce(Console& console) {
  if (!console.in_is_terminal) return;
  for (const auto& line :
       wrap("kneecheck asks about your knee pain and your running, then ranks likely causes with advice. It takes "
            "about five minutes. It is not a diagnosis. Type ? for help, b to go back, q to quit.",
            console.width)) {
    console.err << line << '\n';
  }
}

struct Started {
  Interview interview;
  DraftPlace draft;
  Date date;
};

// The interview to run: a new one, or the draft resumed (by --resume, or by
// the runner's choice at a terminal), with the date it was started for.
Result<Started> start(const RuleSet& rules, const CommonOptions& common, const InterviewOptions& options,
                      const Date& date, Console& console) {
  Started started{Interview(rules), {default_draft_path(), false}, date};
  std::error_code ignored;
  bool waiting = !started.draft.path.empty() && std::filesystem::exists(started.draft.path, ignored);
  if (!options.resume && !waiting) return started;
  if (options.resume && !waiting) {
    return Error{fmt::format("there is no saved interview to resume ({})", started.draft.path.string())};
  }
  auto draft = load_draft(started.draft.path);
  if (!draft) {
    if (options.resume) return draft.error();
    started.draft = {sibling_draft_path(started.draft.path), true};  // an unreadable draft is never replaced
    return started;
  }
  bool resume = options.resume || (console.in_is_terminal && choose_to_resume(*draft, started.draft.path, console));
  if (!resume) {
    if (!console.in_is_terminal) started.draft = {sibling_draft_path(started.draft.path), true};
    return started;
  }
  if (draft->date && !common.date.empty() && *draft->date != date) {
    return Error{fmt::format("the saved interview is for {}; --date {} cannot change that", draft->date->to_string(),
                             common.date)};
  }
  if (draft->date) started.date = *draft->date;
  if (auto error = restore(rules, *draft, started.draft.path, started.interview, console)) return Error{*error};
  return started;
}

int run_interview(const CommonOptions& common, const InterviewOptions& options, const HistoryOptions& history_options,
                  const CommandHelp& help, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  auto units = selected_units(common);
  if (!units) return fail(console, units.error().message);
  if (auto error = unwritable_output(common, options)) return fail(console, *error);
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  auto runs = read_runs_for_check_in(common, *units, *date, *history, console);
  if (!runs) return fail(console, runs.error().message);
  introduce(console);
  mention_running_plan(*history, *rules, *date, console);
  auto started = start(*rules, common, options, *date, console);
  if (!started) return fail(console, started.error().message);
  date_runs(*runs, *rules, started->date);
  announce_runs(*runs, started->date, *units, console);

  InterruptWatch watch;
  TypedInterviewOptions session{console.in_is_terminal, console.width, [] { return InterruptWatch::interrupted(); },
                                *units, runs->suggestions, {}};
  auto result = run_typed_interview(started->interview, console.in, console.err, session);
  if (!finished(result.outcome)) {
    keep_draft(*rules, started->draft, result, started->date, console);
    bool stopped = result.outcome == InterviewOutcome::quit || result.outcome == InterviewOutcome::interrupted;
    return fail(console, result.message, stopped ? kExitInterrupted : kExitInvalid);
  }
  if (console.in_is_terminal) console.err << '\n';
  auto checked = check_answers(*rules, result.answers);
  if (!checked.errors.empty()) {
    keep_draft(*rules, started->draft, result, started->date, console);
    return fail(console, fmt::format("internal error: the interview gave answers that do not check: {} {}",
                                     checked.errors.front().pointer, checked.errors.front().message));
  }
  Assessment assessment = score(*rules, std::move(checked.answers), started->date, history->past);
  assessment.from_runs = result.from_runs;
  bool kept_everywhere = true;
  int code = report(assessment, common, help, console);
  if (code == kExitInvalid) {
    kept_everywhere = false;
    if (!common.output_path.empty()) {
      // The report could not be written where asked: it goes to standard output.
      CommonOptions to_stdout = common;
      to_stdout.output_path.clear();
      report(assessment, to_stdout, help, console);
    }
  }
  bool answers_file_written = false;
  if (!options.save_answers_path.empty()) {
    if (auto error = write_file_atomically(options.save_answers_path, answers_file_text(*rules, result.answers),
                                           FileAccess::owner_only)) {
      fail(console, error->message);
      code = kExitInvalid;
      kept_everywhere = false;
    } else {
      answers_file_written = true;
    }
  }
  kept_everywhere = store_check_in(*history, assessment, code, console) && kept_everywhere;
  if (kept_everywhere && !store_runs_read(*history, *runs, console)) code = code == kExitAdvised ? code : kExitInvalid;
  if (kept_everywhere) {
    if (!started->draft.beside_another) remove_draft(started->draft.path);
  } else {
    // What could not be written is not lost: the answers stay as a draft,
    // which --resume scores, reports and stores again.
    keep_draft(*rules, started->draft, result, started->date, console);
    if (answers_file_written) {
      console.err << fmt::format("Your answers are also in {}.\n", options.save_answers_path);
    }
  }
  return code;
}

}  // namespace

CommandSetup setup_interview(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<InterviewOptions>();
  app.add_flag("--resume", options->resume);
  app.add_option("--save-answers", options->save_answers_path);
  CommandHelp help{
      "",
      "The interview: questions about your knee and your running, then your report",
      {"kneecheck [options]", "kneecheck [options] < typed-answers.txt"},
      {{"--resume", "Carry on with the interview saved when it was last stopped, for the day it was started"},
       {"--save-answers FILE", "After the interview, also write the answers to FILE (readable by you alone), which "
                               "'kneecheck assess --answers FILE' replays"}},
      {"--rules", "--format", "--output", "--date", "--fail-on", "--explain", "--sources", "--db", "--no-save", "--units",
       "--runs", "--color", "--no-pager"},
      {"text", "json", "markdown", "html"},
      {"kneecheck                              # answer the questions in a terminal",
       "kneecheck --format html -o report.html # keep a printable report for a physio",
       "kneecheck --runs ~/strava-export       # your recorded runs suggest the answers about running",
       "kneecheck --units mi < answers.txt     # typed answers from a file, one per line"},
      "0 ok, 2 invalid input or a file that cannot be written, 3 advised at the --fail-on level, 130 interrupted",
  };
  return {nullptr, help, [options, &shared, help](Console& console) {
            return run_interview(shared.common, *options, shared.history, help, console);
          }};
}

}  // namespace kneecheck
