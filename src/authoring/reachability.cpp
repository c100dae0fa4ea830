#include "authoring/reachability.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "kneecheck/answers/flags.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

// Beyond this many combinations the check gives up and assumes "possibly".
constexpr std::size_t kMaxCombinations = 20000;

std::string name_of(const std::string& path) {
  return path.substr(0, path.find('.'));
}

// The questions a condition depends on, following derived values to the
// questions they are computed from.
std::vector<const Question*> questions_behind(const logic::Expression& condition, const RuleSet& rules) {
  std::vector<const Question*> questions;
  std::set<std::string> seen;
  std::vector<std::string> pending;
  for (const auto& path : condition.variables()) pending.push_back(name_of(path));
  while (!pending.empty()) {
    std::string name = pending.back();
    pending.pop_back();
    if (!seen.insert(name).second) continue;
    if (const Question* question = rules.find_question(name)) {
      questions.push_back(question);
      continue;
    }
    for (const auto& derived : rules.derived) {
      if (derived.id != name) continue;
      for (const auto& path : derived.value.variables()) pending.push_back(name_of(path));
    }
  }
  return questions;
}

void collect_numbers(const json& rule, std::vector<double>& numbers) {
  if (rule.is_number()) numbers.push_back(rule.get<double>());
  if (rule.is_array() || rule.is_object()) {
    for (const auto& item : rule) collect_numbers(item, numbers);
  }
}

std::vector<json> number_candidates(const Question& question, const std::vector<double>& literals) {
  std::vector<double> values;
  for (int quarter = 0; quarter <= 4; ++quarter) {
    values.push_back(question.min + (question.max - question.min) * quarter / 4.0);
  }
  for (double literal : literals) {
    for (double near : {literal - 1, literal - 0.5, literal, literal + 0.5, literal + 1}) values.push_back(near);
  }
  std::vector<json> candidates;
  std::set<double> seen;
  for (double value : values) {
    if (question.integer) value = std::round(value);
    if (value < question.min || value > question.max || !seen.insert(value).second) continue;
    candidates.push_back(value == std::floor(value) ? json(static_cast<long long>(value)) : json(value));
  }
  return candidates;
}

std::vector<json> candidates_for(const Question& question, const std::vector<double>& literals) {
  std::vector<json> candidates;
  switch (question.type) {
    case QuestionType::choice:
      for (const auto& option : question.options) candidates.emplace_back(option.value);
      break;
    case QuestionType::multi: {
      candidates.push_back(json::array());
      json all = json::array();
      for (const auto& option : question.options) {
        candidates.push_back(json::array({option.value}));
        all.push_back(option.value);
      }
      candidates.push_back(all);
      break;
    }
    case QuestionType::yes_no:
      candidates = {true, false};
      break;
    case QuestionType::number:
    case QuestionType::scale:
      candidates = number_candidates(question, literals);
      break;
  }
  if (question.optional || question.ask_if) candidates.emplace_back(nullptr);
  return candidates;
}

}  // namespace

Satisfiable can_be_true(const logic::Expression& condition, const RuleSet& rules) {
  auto questions = questions_behind(condition, rules);
  std::vector<double> literals;
  collect_numbers(condition.rule(), literals);
  for (const auto& derived : rules.derived) collect_numbers(derived.value.rule(), literals);

  std::vector<std::vector<json>> candidates;
  std::size_t combinations = 1;
  for (const Question* question : questions) {
    candidates.push_back(candidates_for(*question, literals));
    combinations *= candidates.back().size();
    if (combinations > kMaxCombinations) return Satisfiable::possibly;
  }
  // An odometer over every combination of candidate answers.
  std::vector<std::size_t> digits(questions.size(), 0);
  while (true) {
    json answers = json::object();
    for (std::size_t i = 0; i < questions.size(); ++i) {
      const json& value = candidates[i][digits[i]];
      if (!value.is_null()) answers[questions[i]->id] = value;
    }
    if (condition.matches(with_derived_values(rules, logic::Data::from_json(answers, rules.slots)))) {
      return Satisfiable::possibly;
    }
    std::size_t position = 0;
    while (position < digits.size() && ++digits[position] == candidates[position].size()) digits[position++] = 0;
    if (position == digits.size()) return Satisfiable::never;
  }
}

}  // namespace kneecheck
