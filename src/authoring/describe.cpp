#include "kneecheck/authoring/describe.hpp"

#include <map>
#include <optional>

#include <fmt/format.h>

namespace kneecheck {

using nlohmann::json;

namespace {

// The question id a {"var": ...} reads, or "".
std::string variable_of(const json& operand) {
  if (!operand.is_object() || operand.size() != 1 || !operand.contains("var")) return {};
  const json& path = operand["var"];
  const json& name = path.is_array() && !path.empty() ? path[0] : path;
  return name.is_string() ? name.get<std::string>() : std::string();
}

// A literal as the runner would read it: an option's label where the
// question has one.
std::string literal_text(const json& literal, const std::string& id, const RuleSet& rules) {
  const Question* question = rules.find_question(id);
  if (literal.is_string() && question != nullptr) {
    if (const Option* option = question->find_option(literal.get<std::string>())) return "\"" + option->label + "\"";
  }
  if (literal.is_boolean()) return literal.get<bool>() ? "yes" : "no";
  if (literal.is_null()) return "not answered";
  return literal.dump();
}

std::string list_text(const json& literals, const std::string& id, const RuleSet& rules) {
  std::string text;
  for (const auto& literal : literals) text += (text.empty() ? "" : ", ") + literal_text(literal, id, rules);
  return text;
}

std::string describe(const json& condition, const RuleSet& rules);

std::string join(const json& operands, std::string_view word, const RuleSet& rules) {
  std::string text;
  for (const auto& operand : operands) {
    std::string part = describe(operand, rules);
    bool nested = operand.is_object() && (operand.contains("and") || operand.contains("or"));
    text += fmt::format("{}{}{}{}", text.empty() ? "" : fmt::format(" {} ", word), nested ? "(" : "", part,
                        nested ? ")" : "");
  }
  return text;
}

std::optional<std::string> describe_comparison(const std::string& op, const json& args, const RuleSet& rules) {
  static const std::map<std::string, std::string_view> kWords = {
      {"==", "is"}, {"===", "is"}, {"!=", "is not"}, {"!==", "is not"},
      {"<", "<"},   {"<=", "<="},  {">", ">"},       {">=", ">="}};
  auto word = kWords.find(op);
  if (word == kWords.end() || !args.is_array() || args.size() != 2) return std::nullopt;
  std::string left = variable_of(args[0]);
  if (left.empty() || args[1].is_object()) return std::nullopt;
  if (args[1].is_null() && (word->second == "is" || word->second == "is not")) {
    return fmt::format("{} {}", left, word->second == "is" ? "is not answered" : "is answered");
  }
  return fmt::format("{} {} {}", left, word->second, literal_text(args[1], left, rules));
}

std::optional<std::string> describe_in(const json& args, const RuleSet& rules) {
  if (!args.is_array() || args.size() != 2) return std::nullopt;
  std::string haystack = variable_of(args[1]);
  if (!haystack.empty() && !args[0].is_object()) {
    return fmt::format("{} includes {}", haystack, literal_text(args[0], haystack, rules));
  }
  std::string needle = variable_of(args[0]);
  if (!needle.empty() && args[1].is_array()) {
    return fmt::format("{} is one of {}", needle, list_text(args[1], needle, rules));
  }
  return std::nullopt;
}

std::string describe(const json& condition, const RuleSet& rules) {
  if (!condition.is_object() || condition.size() != 1) return condition.dump();
  const std::string& op = condition.begin().key();
  const json& args = condition.begin().value();
  if ((op == "and" || op == "or") && args.is_array()) return join(args, op, rules);
  if (op == "!" || op == "!!") {
    const json& operand = args.is_array() && args.size() == 1 ? args[0] : args;
    std::string id = variable_of(operand);
    if (!id.empty()) return fmt::format("{} is {}", id, op == "!" ? "not answered, no or none" : "answered");
    if (op == "!") return "not (" + describe(operand, rules) + ")";
  }
  if (op == "var" && !variable_of(condition).empty()) return variable_of(condition) + " is yes";
  if (op == "in") {
    if (auto text = describe_in(args, rules)) return *text;
  }
  if (auto text = describe_comparison(op, args, rules)) return *text;
  return condition.dump();
}

}  // namespace

std::string describe_condition(const json& condition, const RuleSet& rules) {
  return describe(condition, rules);
}

}  // namespace kneecheck
