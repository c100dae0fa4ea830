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
  auto* command = app.add_subcommand("logic");
  command->add_option("RULE", logic->rule);
  command->add_option("DATA", logic->data);
  command->add_option("--answers", logic->answers_path);
  command->fallthrough();
  CommandHelp help{
      "logic",
      "Evaluate one JsonLogic expression and print the result as JSON",
      {"kneecheck logic RULE [DATA]", "kneecheck logic RULE --answers FILE [--rules FILE]"},
      {{"RULE", "The expression: JSON text, or @FILE"},
       {"DATA", "The data: JSON text, or @FILE (default {})"},
       {"--answers FILE", "Evaluate against this answers file instead, checked, with the rules' derived values added"}},
      {"--rules", "--output", "--color"},
      {},
      {"kneecheck logic '{\">\": [{\"var\": \"pain_running\"}, 5]}' '{\"pain_running\": 7}'",
       "kneecheck logic '{\"var\": \"weekly_km_increase_pct\"}' --answers my-answers.json"},
      "0 ok, 2 an expression, data or answers that cannot be read",
  };
  auto* rule = command->get_option("RULE");
  auto* data = command->get_option("DATA");
  auto* answers = command->get_option("--answers");
  return {command, help, [logic, &shared, rule, data, answers](Console& console) {
            if (rule->count() == 0) return fail(console, "logic needs RULE, the JsonLogic expression to evaluate");
            if (data->count() > 0 && answers->count() > 0) return fail(console, "give DATA or --answers FILE, not both");
            if (!shared.common.rules_path.empty() && answers->count() == 0) {
              return fail(console, "--rules applies to logic --answers only, to check the answers and add derived values");
            }
            return run_logic(shared.common, *logic, console);
          }};
}

}  // namespace kneecheck
