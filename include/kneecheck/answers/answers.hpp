// answers: what an answer to each question may be, and checking a runner's
// answers against the rules, whether typed one line at a time or given as an
// answers object. Checked answers are slot Data, which scoring takes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/result.hpp"
#include "kneecheck/logic/logic.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// Question id -> answer value, as conditions read them (docs/rule-file.md).
// A question that was skipped or not asked has no entry.
using Answers = nlohmann::json;

// Longest answer text accepted, in bytes.
inline constexpr std::size_t kMaxAnswerBytes = 1000;

// The unit distances are asked and shown in. Answers keep kilometres,
// whatever it is.
enum class Units { km, mi };
inline constexpr double kKilometresPerMile = 1.609344;
std::optional<Units> parse_units(std::string_view text);  // "km" or "mi"

// A question answered with a distance: a number question in km.
bool is_distance(const Question& question);
// A distance in km as the runner reads it in `units`, rounded for people:
// "45 km", "28 miles", "1 mile".
std::string distance_text(double km, Units units);

// What a person typed for `question`, turned into its answer value.
// An empty line takes the question's default; without one it skips an optional
// question (nullopt) and means "none of these" for a multi question. A
// distance may say its unit ("28 mi", "45km"); without one it is in `units`.
// Errors are one sentence saying what is wrong.
Result<std::optional<nlohmann::json>> parse_typed_answer(const Question& question, std::string_view line,
                                                          Units units = Units::km);

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

// Every question id, in interview order, with null: fill in the answers that
// apply, leave the rest null (skipped, or a follow-up not asked), and
// check_answers accepts it.
nlohmann::ordered_json answers_template(const RuleSet& rules);

// Largest answers file (or standard input for assess --answers -) accepted,
// in bytes: ample for any rule file's questions, each answer at most
// kMaxAnswerBytes.
inline constexpr std::size_t kMaxAnswersFileBytes = 1024 * 1024;

struct CheckedAnswers {
  logic::Data answers;        // the valid answers, normalised, in the rules' slots: what score() takes
  std::vector<Error> errors;  // one per problem, each with its JSON pointer
};

// Checks an answers object (question id -> value) against the rules: unknown
// ids, wrong types, values out of range or not offered, answers to questions
// whose ask_if is false, and required questions left out, named one by one.
// null stands for a skipped optional question.
CheckedAnswers check_answers(const RuleSet& rules, const nlohmann::json& object);
// The same for answers in the rule set's slots, checked in place: afterwards
// `answers` holds the valid answers only, normalised, as score() takes them.
std::vector<Error> check_answers(const RuleSet& rules, logic::Data& answers);

// The answers to the questions in `answers` (slot Data), as a JSON object of
// question id -> answer, as an answers file holds them.
nlohmann::json answers_json(const RuleSet& rules, const logic::Data& answers);

}  // namespace kneecheck
