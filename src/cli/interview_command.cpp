#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/interview/draft.hpp"
#include "kneecheck/interview/session.hpp"

namespace kneecheck {

namespace {

struct InterviewOptions {
  bool resume = false;
  std::string save_answers_path;
};

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
  auto checked = check_answers(*rules, result.answers);
  if (!checked.errors.empty()) {
    return fail(console, fmt::format("internal error: the interview gave answers that do not check: {} {}",
                                     checked.errors.front().pointer, checked.errors.front().message));
  }
  Assessment assessment = score(*rules, std::move(checked.answers), *date, history->past);
  int code = report(assessment, common, console);
  if (code == kExitInvalid) return code;
  if (auto error = store_check_in(*history, assessment)) {
    code = not_stored(*error, code, console);
    keep_unstored_answers(*rules, result, interview_options, console);
  }
  return code;
}

}  // namespace

CommandSetup setup_interview(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<InterviewOptions>();
  app.add_flag("--resume", options->resume, "Carry on with the interview saved when it was last stopped");
  app.add_option("--save-answers", options->save_answers_path,
                 "After the interview, also write the answers to FILE (for assess --answers)");
  return {nullptr, [options, &shared](Console& console) {
            return run_interview(shared.common, *options, shared.history, console);
          }};
}

}  // namespace kneecheck
