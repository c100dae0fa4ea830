#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/flags.hpp"
#include "kneecheck/base/json_input.hpp"

namespace kneecheck {

namespace {

struct LogicOptions {
  std::string rule;
  std::string data = "{}";
  std::string answers_path;
};

// A JSON argument given inline or, as "@file", by path.
Result<nlohmann::json> read_json_argument(const std::string& argument, const std::string& what, std::size_t max_bytes,
                                          Console& console) {
  std::string text = argument;
  std::string origin = what;
  if (!argument.empty() && argument[0] == '@') {
    origin = argument.substr(1);
    auto file = read_input_text(origin, max_bytes, console);
    if (!file) return file.error();
    text = std::move(file).value();
  }
  auto parsed = parse_json(text);
  if (!parsed) return Error{format_error(origin, parsed.error())};
  return parsed;
}

Result<nlohmann::json> logic_data(const CommonOptions& common, const LogicOptions& logic, Console& console) {
  if (logic.answers_path.empty()) return read_json_argument(logic.data, "DATA", kMaxRuleFileBytes, console);
  auto rules = load_selected_rules(common);
  if (!rules) return rules.error();
  auto answers = read_json_argument("@" + logic.answers_path, logic.answers_path, kMaxAnswersFileBytes, console);
  if (!answers) return answers.error();
  auto check = check_answers(*rules, *answers);
  if (!check.errors.empty()) return Error{format_error(logic.answers_path, check.errors.front())};
  return with_derived_values(*rules, std::move(check.answers));
}

int run_logic(const CommonOptions& common, const LogicOptions& logic, Console& console) {
  auto rule = read_json_argument(logic.rule, "RULE", kMaxRuleFileBytes, console);
  if (!rule) return fail(console, rule.error().message);
  auto expression = logic::Expression::compile(*rule);
  if (!expression) return fail(console, format_error("RULE", expression.error()));
  auto data = logic_data(common, logic, console);
  if (!data) return fail(console, data.error().message);
  return emit(expression->evaluate(*data).dump() + "\n", common, console);
}

}  // namespace

CommandSetup setup_logic(CLI::App& app, SharedOptions& shared) {
  auto logic = std::make_shared<LogicOptions>();
  auto* command = app.add_subcommand("logic", "Evaluate one JsonLogic expression and print the result as JSON");
  command->add_option("RULE", logic->rule, "The expression: JSON text, or @FILE")->required();
  command->add_option("DATA", logic->data, "The data: JSON text, or @FILE (default {})");
  command->add_option("--answers", logic->answers_path,
                      "Evaluate against this answers file, with the rules' derived values added");
  command->fallthrough();
  return {command, [logic, &shared](Console& console) { return run_logic(shared.common, *logic, console); }};
}

}  // namespace kneecheck
