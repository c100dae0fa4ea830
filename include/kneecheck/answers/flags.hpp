// flags: derived values and red flags on a runner's answers, so that the
// interview can stop at the first urgent answer and the engine judges the
// same flags the same way.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// Computes the rule set's derived values in order into `data`, where later
// ones and every condition read them. A value that evaluates to null is left
// out. REQUIRES: `data` was built with rules.slots.
void add_derived_values(const RuleSet& rules, logic::Data& data);

// The answers (slot Data from check_answers) with the derived values, as a
// JSON object: what conditions read, `history` included as "history" when
// given.
nlohmann::json with_derived_values(const RuleSet& rules, logic::Data answers,
                                   const nlohmann::json& history = nlohmann::json());

// The alternatives of `condition` that hold on `data`, in order.
std::vector<const Condition::Alternative*> holding_alternatives(const Condition& condition, const logic::Data& data);

// The red flags raised by `data` (answers with derived values), in rule-file
// order.
std::vector<const RedFlag*> raised_red_flags(const RuleSet& rules, const logic::Data& data);

// The red flags raised by answers given so far, judging only the
// alternatives whose questions all come at or before `last_question` (an
// index into rules.questions): an alternative that reads a later question
// is not decided yet, since its answer is unknown, and one that reads the
// history is decided only once the interview is over. In rule-file order.
std::vector<const RedFlag*> decided_red_flags(const RuleSet& rules, const logic::Data& data, std::size_t last_question);

// The first of `flags` at the urgent level, or nullptr.
const RedFlag* first_urgent(const std::vector<const RedFlag*>& flags);

}  // namespace kneecheck
