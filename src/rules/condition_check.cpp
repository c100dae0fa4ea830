#include "rules/condition_check.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

std::string child(const std::string& pointer, std::string_view key) {
  return fmt::format("{}/{}", pointer, json_pointer_escape(key));
}

std::string child(const std::string& pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

// {"var": "id"} (or {"var": ["id", default]}): the question it reads.
const Question* question_of(const json& operand, const RuleSet& rules) {
  if (!operand.is_object() || operand.size() != 1 || !operand.contains("var")) return nullptr;
  const json& path = operand["var"];
  const json& name = path.is_array() && !path.empty() ? path[0] : path;
  if (!name.is_string()) return nullptr;
  return rules.find_question(name.get<std::string>());
}

bool is_operation(const json& operand) {
  return operand.is_object() && operand.size() == 1;
}

bool is_numeric(const Question& question) {
  return question.type == QuestionType::number || question.type == QuestionType::scale;
}

std::string answer_kind(const Question& question) {
  switch (question.type) {
    case QuestionType::choice: return "one option value (a string)";
    case QuestionType::multi: return "a list of option values";
    case QuestionType::yes_no: return "true or false";
    case QuestionType::number:
    case QuestionType::scale: return "a number";
  }
  return "?";
}

std::optional<Error> mismatch(const Question& question, const json& literal, const std::string& pointer,
                              std::string_view hint = {}) {
  return Error{fmt::format("question \"{}\" ({}) is compared with {}, but its answer is {}{}", question.id,
                           to_string(question.type), literal.dump(), answer_kind(question), hint),
               pointer};
}

std::optional<Error> check_option_value(const Question& question, const json& literal, const std::string& pointer) {
  if (!literal.is_string() || question.find_option(literal.get<std::string>()) != nullptr) return std::nullopt;
  std::vector<std::string> values;
  for (const auto& option : question.options) values.push_back(option.value);
  return Error{fmt::format("question \"{}\" has no option \"{}\"{}", question.id, literal.get<std::string>(),
                           did_you_mean(literal.get<std::string>(), values)),
               pointer};
}

// One answer compared for equality with one literal.
std::optional<Error> check_equality(const Question& question, const json& literal, const std::string& pointer) {
  if (is_operation(literal) || literal.is_null()) return std::nullopt;
  switch (question.type) {
    case QuestionType::choice:
      if (!literal.is_string()) return mismatch(question, literal, pointer);
      return check_option_value(question, literal, pointer);
    case QuestionType::multi:
      return mismatch(question, literal, pointer,
                      fmt::format("; to test one option write {{\"in\": [value, {{\"var\": \"{}\"}}]}}", question.id));
    case QuestionType::yes_no:
      if (!literal.is_boolean()) return mismatch(question, literal, pointer);
      return std::nullopt;
    case QuestionType::number:
    case QuestionType::scale:
      if (!literal.is_number()) return mismatch(question, literal, pointer);
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Error> check_pair_equality(const json& args, const std::string& args_pointer, const RuleSet& rules) {
  for (std::size_t side = 0; side < 2; ++side) {
    if (const Question* question = question_of(args[side], rules)) {
      if (auto error = check_equality(*question, args[1 - side], child(args_pointer, 1 - side))) return error;
    }
  }
  return std::nullopt;
}

// <, <=, >, >= with two or three operands: answers must be numbers.
std::optional<Error> check_ordering(const json& args, const std::string& args_pointer, const RuleSet& rules) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Question* question = question_of(args[i], rules);
    if (question == nullptr || is_numeric(*question)) continue;
    return Error{fmt::format("question \"{}\" ({}) is ordered with <, <=, > or >=, but its answer is {}", question->id,
                             to_string(question->type), answer_kind(*question)),
                 child(args_pointer, i)};
  }
  return std::nullopt;
}

// {"in": [needle, haystack]}: "value" in a multi answer, or a choice answer
// in a list of values.
std::optional<Error> check_in(const json& args, const std::string& args_pointer, const RuleSet& rules) {
  if (const Question* haystack = question_of(args[1], rules)) {
    if (haystack->type != QuestionType::multi) {
      return Error{fmt::format("\"in\" looks inside question \"{}\" ({}), but its answer is {}{}", haystack->id,
                               to_string(haystack->type), answer_kind(*haystack),
                               haystack->type == QuestionType::choice ? "; compare it with == instead" : ""),
                   child(args_pointer, 1)};
    }
    if (!is_operation(args[0])) return check_option_value(*haystack, args[0], child(args_pointer, 0));
  }
  if (const Question* needle = question_of(args[0], rules); needle != nullptr && args[1].is_array()) {
    if (needle->type == QuestionType::multi) {
      return Error{fmt::format("question \"{}\" (multi) is a list and is never found in a list of values; "
                               "test each option with {{\"in\": [value, {{\"var\": \"{}\"}}]}}",
                               needle->id, needle->id),
                   child(args_pointer, 0)};
    }
    for (std::size_t i = 0; i < args[1].size(); ++i) {
      if (auto error = check_equality(*needle, args[1][i], child(child(args_pointer, 1), i))) return error;
    }
  }
  return std::nullopt;
}

std::optional<Error> check_operation(const std::string& op, const json& args, const std::string& args_pointer,
                                     const RuleSet& rules) {
  static const std::set<std::string> kEquality = {"==", "===", "!=", "!=="};
  static const std::set<std::string> kOrdering = {"<", "<=", ">", ">="};
  if (!args.is_array()) return std::nullopt;
  if (kEquality.count(op) != 0 && args.size() == 2) return check_pair_equality(args, args_pointer, rules);
  if (kOrdering.count(op) != 0) return check_ordering(args, args_pointer, rules);
  if (op == "in" && args.size() == 2) return check_in(args, args_pointer, rules);
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_condition_types(const json& rule, const std::string& pointer, const RuleSet& rules) {
  if (rule.is_array()) {
    for (std::size_t i = 0; i < rule.size(); ++i) {
      if (auto error = check_condition_types(rule[i], child(pointer, i), rules)) return error;
    }
    return std::nullopt;
  }
  if (!is_operation(rule)) return std::nullopt;
  auto operation = rule.begin();
  const std::string& op = operation.key();
  const json& args = operation.value();
  std::string args_pointer = child(pointer, op);
  if (auto error = check_operation(op, args, args_pointer, rules)) return error;
  return check_condition_types(args, args_pointer, rules);
}

}  // namespace kneecheck
