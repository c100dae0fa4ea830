// interview: which question comes next, and what a typed or JSON answer to
// one question means. It never touches a terminal: the answers unit drives it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/result.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// Question id -> answer value, as conditions read them (docs/rule-file.md).
// A question that was skipped or not asked has no entry.
using Answers = nlohmann::json;

// Longest answer text accepted, in bytes.
inline constexpr std::size_t kMaxAnswerBytes = 1000;

// What a person typed for `question`, turned into its answer value.
// An empty line takes the question's default; without one it skips an optional
// question (nullopt) and means "none of these" for a multi question.
// Errors are one sentence saying what is expected.
Result<std::optional<nlohmann::json>> parse_typed_answer(const Question& question, std::string_view line);

// Checks an answer value from an answers file against its question: the
// answer to keep (whole numbers as integers), or what is wrong.
Result<nlohmann::json> check_answer(const Question& question, const nlohmann::json& value);
// The same for a value as conditions read it. The answer kept is `value`
// itself, a number, or for a choice a view of the option's own value text
// (check_answers makes the items of a multi answer such views too), so that
// writers can find the rule set's escaped texts.
Result<logic::Value> check_answer(const Question& question, const logic::Value& value);

// True when the question is to be asked given the answers so far.
bool is_asked(const Question& question, const Answers& answers);

// Walks the questions in order, skipping those whose ask_if is false.
class Interview {
 public:
  explicit Interview(const RuleSet& rules);

  // The question to answer now, or nullptr when the interview is over.
  const Question* current() const;
  bool done() const { return current() == nullptr; }

  // The index of current() in the rules' questions; the number of
  // questions when the interview is over. Every question before it has been
  // answered, skipped or passed over.
  std::size_t position() const { return current_; }

  // 1-based number of the current question among those asked, and that
  // number plus the questions still to come given the answers so far.
  std::size_t number() const;
  std::size_t total() const;

  // Records the answer to current() (nullopt: skipped) and moves on.
  // REQUIRES: !done()
  void answer(std::optional<nlohmann::json> value);

  // Goes back to the previous question asked; false at the first one.
  // Later answers are kept and dropped only if their question stops applying.
  bool back();

  // Asks one earlier question again, as from the review of all answers; after
  // it, only questions that newly apply are asked, then the interview is over.
  // REQUIRES: `question_index` is one of asked().
  void edit(std::size_t question_index);

  // Indices of the questions asked so far (answered or skipped) that still
  // apply, in interview order.
  std::vector<std::size_t> asked() const;

  // The answers to the questions asked, in the form conditions read.
  const Answers& answers() const { return answers_; }

  const RuleSet& rules() const { return rules_; }

 private:
  std::size_t next_asked(std::size_t from) const;
  bool visited(std::size_t index) const;

  const RuleSet& rules_;
  Answers answers_ = Answers::object();
  std::size_t current_ = 0;               // index into rules_.questions
  std::vector<std::size_t> asked_before_;  // indices of the questions answered, in order
  std::vector<bool> visited_;               // per question: answered or skipped at some point
  bool editing_ = false;                    // moving on only to questions not yet visited
};

}  // namespace kneecheck
