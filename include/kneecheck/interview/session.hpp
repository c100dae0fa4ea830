// session: an interview with a person or a pipe: prompts out, typed lines
// in, help, back, quit and a review at a terminal, the first invalid line an
// error in a pipe, and a stop at the first urgent answer.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/interview/interview.hpp"
#include "kneecheck/interview/suggestions.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

struct TypedInterviewOptions {
  // A person at a terminal: invalid answers are asked again, "?", "b" and
  // "q" work, and a review of all answers comes before the end. Otherwise (a
  // pipe) every line is the answer to the next question, and the first
  // invalid one ends the interview with an error.
  bool interactive = false;
  std::size_t width = 80;  // columns to wrap prompts to
  // Polled when input fails: true when the runner pressed Ctrl-C.
  std::function<bool()> interrupted = [] { return false; };
  Units units = Units::km;  // distances are asked and shown in these; answers keep km
  // Answers offered at their question, from recorded runs: shown with the
  // question, an empty line accepts one.
  Suggestions suggestions;
  // The red flags that the answers so far decide. Set when the questions
  // asked are a part of a larger rule set, as at the weekly check-in, which
  // reads them with the earlier answers; empty, the interview's own rules
  // decide.
  std::function<std::vector<const RedFlag*>(const Answers& answers)> red_flags;
};

enum class InterviewOutcome {
  completed,
  // An answer raised an urgent red flag and the questions stopped there (in
  // a pipe always; at a terminal unless the runner chose to go on). The
  // answers so far are a finished check-in: the report is the urgent
  // disposition.
  stopped_at_urgent,
  input_ended,
  invalid_answer,
  quit,
  interrupted,
};

struct TypedInterviewResult {
  InterviewOutcome outcome = InterviewOutcome::completed;
  Answers answers;                 // what was answered, also when the interview did not complete
  std::vector<std::string> asked;  // ids of the questions answered or skipped, in order
  std::vector<std::string> from_runs;  // ids of the answers that are suggestions accepted, in order
  std::string message;             // what went wrong, naming the question (and line when piped)
};

// Whether the interview's answers are to be scored: it completed, or stopped
// at an urgent answer.
inline bool finished(InterviewOutcome outcome) {
  return outcome == InterviewOutcome::completed || outcome == InterviewOutcome::stopped_at_urgent;
}

// Runs the interview over `input`, writing prompts to `prompts`, from where
// `interview` stands (a new one, or one restored from a draft).
TypedInterviewResult run_typed_interview(Interview& interview, std::istream& input, std::ostream& prompts,
                                         const TypedInterviewOptions& options);

// Replays a saved draft: answers the questions listed in `asked` with their
// saved answers, in order, while each still applies and is still valid.
// Returns how many were replayed.
std::size_t replay_draft(Interview& interview, const Answers& answers, const std::vector<std::string>& asked);

// The review shown before scoring: every question asked, numbered, with the
// answer as given.
std::string format_review(const Interview& interview, const RuleSet& rules, std::size_t width,
                          Units units = Units::km);

// Where the interview stands, in a way that only moves forward as questions
// are answered: "Question 12 · Your running (part 3 of 5)".
std::string format_progress(const Interview& interview);

// What Enter answers at a question, if anything: the answer given before
// going back, else a suggestion, else the question's default.
struct EnterAnswer {
  const nlohmann::json* previous = nullptr;
  const nlohmann::json* suggested = nullptr;
};

// How to answer `question`: "Type a number from 1 to 4 [Enter = keep 2]".
std::string format_answer_line(const Question& question, EnterAnswer enter, Units units);

// The prompt for one question: the progress line, the text, numbered
// options, a suggestion ("From your runs: 42 km ..."), and how to answer.
std::string format_prompt(const Question& question, std::string_view progress, std::size_t width,
                          EnterAnswer enter = {}, Units units = Units::km);

}  // namespace kneecheck
