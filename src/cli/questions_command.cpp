#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/authoring/describe.hpp"

namespace kneecheck {

namespace {

struct QuestionsOptions {
  bool template_only = false;
};

int run_questions(const CommonOptions& common, const QuestionsOptions& options, const CommandHelp& help,
                  Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  std::string text;
  if (options.template_only) {
    text = answers_template(*rules).dump(2) + "\n";
  } else if (selected_format(common, help) == "json") {
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
  auto* command = app.add_subcommand("questions");
  command->add_flag("--template", options->template_only);
  command->fallthrough();
  CommandHelp help{
      "questions",
      "List the interview's questions, or write an answers file to fill in",
      {"kneecheck questions [--format text|json] [--rules FILE]", "kneecheck questions --template > answers.json"},
      {{"--template", "Write an answers JSON object with every question id and null, to fill in (an answer for each "
                      "question that applies, null for the rest) for 'kneecheck assess --answers'"}},
      {"--rules", "--format", "--output", "--color", "--no-pager"},
      {"text", "json"},
      {"kneecheck questions", "kneecheck questions --format json --rules club-rules.json",
       "kneecheck questions --template > answers.json   # then fill it in"},
      "0 ok, 2 invalid rules or output that cannot be written",
  };
  return {command, help, [options, &shared, help](Console& console) {
            if (options->template_only && !shared.common.format.empty()) {
              return fail(console, "--format does not apply to questions --template, which writes JSON");
            }
            return run_questions(shared.common, *options, help, console);
          }};
}

}  // namespace kneecheck
