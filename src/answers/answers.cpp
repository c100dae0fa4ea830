#include "kneecheck/answers/answers.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "kneecheck/answers/flags.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

std::vector<std::string> question_ids(const RuleSet& rules) {
  std::vector<std::string> ids;
  for (const auto& question : rules.questions) ids.push_back(question.id);
  return ids;
}

std::string pointer_to(std::string_view id) {
  return fmt::format("/{}", json_pointer_escape(id));
}

// At most `max_bytes` of a valid UTF-8 text for a message, cut at a character
// boundary and marked with "…" when cut.
std::string abbreviated(std::string_view text, std::size_t max_bytes = 60) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

// The length of the first string in an answer value (or in its array)
// longer than kMaxAnswerBytes, or 0.
std::size_t overlong_string(const logic::Value& value) {
  if (value.type() == logic::Value::Type::string) {
    return value.as_string().size() > kMaxAnswerBytes ? value.as_string().size() : 0;
  }
  if (value.type() == logic::Value::Type::array) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (std::size_t found = overlong_string(value[i])) return found;
    }
  }
  return 0;
}

// Puts a checked multi answer in `slot` as views of its options' own texts.
void put_option_views(logic::Data& answers, std::size_t slot, const Question& question, const logic::Value& answer) {
  std::span<logic::Value> items = answers.put_array(slot, answer.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i] = logic::Value::string(question.find_option(answer[i].as_string())->value);
  }
}

// Whether the valid answers before question `slot` (in `answers`, the later
// slots empty) already raise an urgent red flag: the interview stops there,
// so the questions after it need no answer.
bool urgent_before(const RuleSet& rules, const logic::Data& answers, std::size_t slot) {
  if (slot == 0) return false;
  logic::Data so_far = logic::Data::from_json(answers.root().to_json(), rules.slots);
  add_derived_values(rules, so_far);
  return first_urgent(decided_red_flags(rules, so_far, slot - 1)) != nullptr;
}

// Names what a newer version of the rules changed in the question an error
// points at, so that an older answers file says why it no longer fits.
void explain_changes(const RuleSet& rules, std::vector<Error>& errors) {
  for (Error& error : errors) {
    for (const auto& change : rules.answer_changes) {
      if (error.pointer == pointer_to(change.question)) {
        error.message += fmt::format(" (changed in rules {}: {})", change.version, change.note);
      }
    }
  }
}

}  // namespace

nlohmann::ordered_json answers_template(const RuleSet& rules) {
  nlohmann::ordered_json answers = nlohmann::ordered_json::object();
  for (const auto& question : rules.questions) answers[question.id] = nullptr;
  return answers;
}

std::vector<Error> check_answers(const RuleSet& rules, logic::Data& answers) {
  std::vector<Error> errors;
  // Unknown ids in byte order, as a JSON object lists them.
  std::vector<std::string_view> unknown = answers.unslotted_names();
  for (std::size_t slot = rules.questions.size(); slot < rules.slots.size(); ++slot) {
    if (answers.take(slot)) unknown.push_back(rules.slots.names()[slot]);
  }
  std::sort(unknown.begin(), unknown.end());
  for (std::string_view id : unknown) {
    if (id.size() > kMaxAnswerBytes) {
      // Not echoed whole, nor as a pointer: the message would be as long as the key.
      errors.push_back({fmt::format("unknown question id \"{}\" ({} bytes)", abbreviated(id), id.size()), ""});
      continue;
    }
    errors.push_back({fmt::format("unknown question id \"{}\"{}", abbreviated(id), did_you_mean(id, question_ids(rules))),
                      pointer_to(id)});
  }
  // In interview order, so that ask_if sees exactly the valid answers before
  // it: each answer goes back into its slot once it is checked.
  thread_local std::vector<std::optional<logic::Value>> given;  // its room kept from one check to the next
  given.resize(rules.questions.size());
  for (std::size_t slot = 0; slot < given.size(); ++slot) given[slot] = answers.take(slot);
  bool stopped_at_urgent = false;  // decided once, at the first missing answer
  for (std::size_t slot = 0; slot < rules.questions.size(); ++slot) {
    const Question& question = rules.questions[slot];
    auto pointer = [&] { return pointer_to(question.id); };  // made only for an error: checking a batch is hot
    const std::optional<logic::Value>& value = given[slot];
    bool answered = value && !value->is_null();
    if (question.ask_if && !question.ask_if->matches(answers)) {
      if (answered) {
        errors.push_back({"answered, but this question is not asked given the earlier answers (its ask_if is false)",
                          pointer()});
      }
      continue;
    }
    if (!answered) {
      if (question.optional || stopped_at_urgent) continue;
      if (errors.empty() && urgent_before(rules, answers, slot)) {
        stopped_at_urgent = true;
        continue;
      }
      errors.push_back({"missing: this question needs an answer", pointer()});
      continue;
    }
    if (std::size_t overlong = overlong_string(*value)) {
      errors.push_back({fmt::format("a text of {} bytes is not a valid answer: answers are at most {} bytes", overlong,
                                    kMaxAnswerBytes),
                        pointer()});
      continue;
    }
    auto checked = check_answer(question, *value);
    if (!checked) {
      errors.push_back({fmt::format("{} is not a valid answer: {}", abbreviated(value->to_json().dump()),
                                    checked.error().message),
                        pointer()});
      continue;
    }
    if (question.type == QuestionType::multi) {
      put_option_views(answers, slot, question, *checked);
    } else {
      answers.put(slot, *checked);
    }
  }
  if (!errors.empty()) explain_changes(rules, errors);
  return errors;
}

CheckedAnswers check_answers(const RuleSet& rules, const json& object) {
  CheckedAnswers check;
  if (!object.is_object()) {
    check.errors.push_back({fmt::format("expected a JSON object of question id -> answer, found {}", object.type_name()), ""});
    return check;
  }
  check.answers = logic::Data::from_json(object, rules.slots);
  check.errors = check_answers(rules, check.answers);
  return check;
}

json answers_json(const RuleSet& rules, const logic::Data& answers) {
  json object = json::object();
  for (std::size_t slot = 0; slot < rules.questions.size(); ++slot) {
    if (auto value = answers.get(slot)) object[rules.questions[slot].id] = value->to_json();
  }
  return object;
}

}  // namespace kneecheck
