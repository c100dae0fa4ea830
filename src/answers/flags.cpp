#include "kneecheck/answers/flags.hpp"

#include <algorithm>

namespace kneecheck {

void add_derived_values(const RuleSet& rules, logic::Data& data) {
  thread_local logic::Scratch scratch;  // warm from one assessment to the next
  for (const auto& derived : rules.derived) {
    logic::Value value = derived.value.evaluate(data, scratch);
    if (value.is_null()) continue;
    data.set(derived.slot, value);
  }
}

nlohmann::json with_derived_values(const RuleSet& rules, logic::Data answers, const nlohmann::json& history) {
  std::size_t history_slot = rules.slots.find(kHistoryObject);
  if (!history.is_null()) answers.set(history_slot, history);
  add_derived_values(rules, answers);
  answers.erase(history_slot);
  return answers.root().to_json();
}

std::vector<const Condition::Alternative*> holding_alternatives(const Condition& condition, const logic::Data& data) {
  std::vector<const Condition::Alternative*> holding;
  for (const auto& alternative : condition.alternatives) {
    if (alternative.when.matches(data)) holding.push_back(&alternative);
  }
  return holding;
}

std::vector<const RedFlag*> raised_red_flags(const RuleSet& rules, const logic::Data& data) {
  std::vector<const RedFlag*> raised;
  for (const auto& flag : rules.red_flags) {
    if (flag.when.matches(data)) raised.push_back(&flag);
  }
  return raised;
}

std::vector<const RedFlag*> decided_red_flags(const RuleSet& rules, const logic::Data& data, std::size_t last_question) {
  std::vector<const RedFlag*> raised;
  for (const auto& flag : rules.red_flags) {
    bool decided = std::any_of(flag.when.alternatives.begin(), flag.when.alternatives.end(),
                               [&](const Condition::Alternative& alternative) {
                                 return alternative.last_question <= last_question && alternative.when.matches(data);
                               });
    if (decided) raised.push_back(&flag);
  }
  return raised;
}

const RedFlag* first_urgent(const std::vector<const RedFlag*>& flags) {
  auto found = std::find_if(flags.begin(), flags.end(), [](const RedFlag* flag) { return flag->level == Level::urgent; });
  return found == flags.end() ? nullptr : *found;
}

}  // namespace kneecheck
