// answers: where answers come from — a person typing at a terminal, typed
// lines piped in, or an answers JSON object — each turned into Answers.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/interview.hpp"
#include "kneecheck/result.hpp"
#include "kneecheck/rules.hpp"

namespace kneecheck {

struct TypedInterviewOptions {
  // A person at a terminal: invalid answers are asked again and "?", "b" and
  // "q" work. Otherwise (a pipe) every line is the answer to the next
  // question, and the first invalid one ends the interview with an error.
  bool interactive = false;
  std::size_t width = 80;  // columns to wrap prompts to
};

enum class InterviewOutcome { completed, input_ended, invalid_answer, quit };

struct TypedInterviewResult {
  InterviewOutcome outcome = InterviewOutcome::completed;
  Answers answers;      // what was answered, also when the interview did not complete
  std::string message;  // what went wrong, naming the question (and line when piped)
};

// Runs the interview over `input`, writing prompts to `prompts`.
TypedInterviewResult run_typed_interview(const RuleSet& rules, std::istream& input, std::ostream& prompts,
                                         const TypedInterviewOptions& options);

// The prompt for one question: "Question 3 of 17", the text, numbered
// options or the range, and how to answer. `previous` is the answer given
// before going back, which Enter keeps.
std::string format_prompt(const Question& question, std::size_t number, std::size_t total, std::size_t width,
                          const nlohmann::json* previous = nullptr);

// Every question id, in interview order, with null: fill in the answers that
// apply, leave the rest null (skipped, or a follow-up not asked), and
// check_answers accepts it.
nlohmann::ordered_json answers_template(const RuleSet& rules);

struct AnswersCheck {
  Answers answers;            // the valid answers, normalised
  std::vector<Error> errors;  // one per problem, each with its JSON pointer
};

// Checks an answers object (question id -> value) against the rules: unknown
// ids, wrong types, values out of range or not offered, answers to questions
// whose ask_if is false, and required questions left out, named one by one.
// null stands for a skipped optional question.
AnswersCheck check_answers(const RuleSet& rules, const nlohmann::json& object);

}  // namespace kneecheck
