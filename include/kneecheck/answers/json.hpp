// answers/json: an answers object in JSON text (an answers file, a line of a
// batch) read into the rules' slots and checked there: checked slot Data,
// which is what scoring takes.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "kneecheck/base/result.hpp"
#include "kneecheck/logic/logic.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

struct ReadAnswers {
  enum class Problem { none, syntax, answers };
  Problem problem = Problem::none;
  logic::Data answers;        // the valid answers, checked (check_answers)
  std::vector<Error> errors;  // syntax: one, with line and column; answers: one per problem, with its pointer
};

// Reads and checks `text`, one JSON object of question id -> answer. The
// usual shape (plain_answers below) is read straight into the slots; any
// other text goes through parse_json, whose errors say where.
ReadAnswers read_answers(const RuleSet& rules, std::string_view text);

// The Data that Data::from_json(nlohmann::json::parse(text), slots) gives,
// made straight from the text, for JSON of the shape answers usually have:
// one object whose members are all slots, each null, a boolean, a number of
// at most 15 digits, an ASCII string without escapes, or an array of at most
// 64 of those. nullopt for any other text (not JSON, escapes, bytes beyond
// ASCII, deeper nesting, a member that is not a slot, ...): the caller then
// takes the general way, which also says what is wrong.
// Strings are views of `text`, not copies. REQUIRES: `text` outlives the
// Data and does not change, or the Data is checked (check_answers makes
// every string a view of the rules' own texts) before `text` goes.
std::optional<logic::Data> plain_answers(std::string_view text, const logic::SlotNames& slots);

}  // namespace kneecheck
