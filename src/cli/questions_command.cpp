#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/authoring/describe.hpp"

namespace kneecheck {

namespace {

struct QuestionsOptions {
  bool template_only = false;
};

int run_questions(const CommonOptions& common, const QuestionsOptions& options, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  std::string text;
  if (options.template_only) {
    text = answers_template(*rules).dump(2) + "\n";
  } else if (common.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& question : rules->questions) {
      nlohmann::json item = {{"id", question.id}, {"type", to_string(question.type)}, {"text", question.text},
                             {"optional", question.optional}};
      if (!question.options.empty()) {
        item["options"] = nlohmann::json::array();
        for (const auto& option : question.options) item["options"].push_back({{"value", option.value}, {"label", option.label}});
      }
      if (question.type == QuestionType::number) {
        item["min"] = question.min;
        item["max"] = question.max;
        if (!question.unit.empty()) item["unit"] = question.unit;
      }
      if (question.ask_if) item["ask_if"] = question.ask_if->rule();
      list.push_back(std::move(item));
    }
    text = list.dump(2) + "\n";
  } else {
    for (const auto& question : rules->questions) {
      text += fmt::format("{} ({}{}){}\n  {}\n", question.id, to_string(question.type),
                          question.optional ? ", optional" : "", question.ask_if ? " — follow-up" : "", question.text);
      for (const auto& option : question.options) text += fmt::format("    {:<24} {}\n", option.value, option.label);
      if (question.type == QuestionType::number) {
        text += fmt::format("    {:g} to {:g} {}\n", question.min, question.max, question.unit);
      }
      if (question.ask_if) text += fmt::format("    asked if: {}\n", describe_condition(question.ask_if->rule(), *rules));
    }
  }
  return emit(text, common, console);
}

}  // namespace

CommandSetup setup_questions(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<QuestionsOptions>();
  auto* command = app.add_subcommand("questions", "List the interview's questions");
  command->add_flag("--template", options->template_only,
                    "Write an answers JSON template (every question, null) for assess --answers");
  command->fallthrough();
  return {command, [options, &shared](Console& console) { return run_questions(shared.common, *options, console); }};
}

}  // namespace kneecheck
