// interview: which question comes next given the answers so far. It never
// touches a terminal: the session (session.hpp) drives it.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

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
