#include "kneecheck/answers.hpp"

#include <istream>
#include <ostream>

#include <fmt/format.h>

#include "kneecheck/text.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

void append_wrapped(std::string& out, std::string_view text, std::size_t width, std::string_view indent) {
  for (const auto& line : wrap(text, width - indent.size())) {
    out += indent;
    out += line;
    out += '\n';
  }
}

std::string answer_hint(const Question& question) {
  std::string skip = question.optional ? ", Enter to skip" : "";
  switch (question.type) {
    case QuestionType::choice:
      return fmt::format("Type a number from 1 to {}{}", question.options.size(), skip);
    case QuestionType::multi:
      return "Type the numbers that apply, separated by commas (Enter: none)";
    case QuestionType::yes_no:
      return fmt::format("Type y or n{}", skip);
    case QuestionType::number:
      return fmt::format("Type a {}number from {:g} to {:g}{}{}", question.integer ? "whole " : "", question.min,
                         question.max, question.unit.empty() ? "" : " " + question.unit, skip);
    case QuestionType::scale:
      return fmt::format("Type a number from 0 (none) to 10 (worst imaginable){}", skip);
  }
  return {};
}

// An answer value written the way a person would type it.
std::string typed_form(const Question& question, const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "y" : "n";
  auto option_number = [&](const json& item) {
    for (std::size_t i = 0; i < question.options.size(); ++i) {
      if (item.is_string() && question.options[i].value == item.get<std::string>()) return std::to_string(i + 1);
    }
    return item.dump();
  };
  if (value.is_string()) return option_number(value);
  if (value.is_array()) {
    std::string numbers;
    for (const auto& item : value) {
      if (!numbers.empty()) numbers += ',';
      numbers += option_number(item);
    }
    return numbers.empty() ? "none" : numbers;
  }
  return value.dump();
}

std::string pointer_to(std::string_view id) {
  return fmt::format("/{}", json_pointer_escape(id));
}

std::string question_label(const Question& question, std::size_t number) {
  return fmt::format("question {} ({})", number, question.id);
}

}  // namespace

std::string format_prompt(const Question& question, std::size_t number, std::size_t total, std::size_t width,
                          const json* previous) {
  std::string out = fmt::format("\nQuestion {} of {}\n", number, total);
  append_wrapped(out, question.text, width, "");
  for (std::size_t i = 0; i < question.options.size(); ++i) {
    append_wrapped(out, fmt::format("{:>2}. {}", i + 1, question.options[i].label), width, "  ");
  }
  std::string hint = answer_hint(question);
  if (previous != nullptr) {
    hint += fmt::format(" [Enter = keep {}]", typed_form(question, *previous));
  } else if (question.default_answer) {
    hint += fmt::format(" [Enter = {}]", typed_form(question, *question.default_answer));
  }
  append_wrapped(out, hint, width, "");
  out += "> ";
  return out;
}

namespace {

// What the person typed instead of an answer.
enum class Command { none, help, back, quit };

Command command_of(std::string_view line) {
  std::string word = to_lower(trim(line));
  if (word == "?") return Command::help;
  if (word == "b" || word == "back") return Command::back;
  if (word == "q" || word == "quit") return Command::quit;
  return Command::none;
}

bool read_line(std::istream& input, std::string& line) {
  return static_cast<bool>(std::getline(input, line));
}

}  // namespace

TypedInterviewResult run_typed_interview(const RuleSet& rules, std::istream& input, std::ostream& prompts,
                                         const TypedInterviewOptions& options) {
  Interview interview(rules);
  std::size_t line_number = 0;
  std::string line;
  while (const Question* question = interview.current()) {
    auto given = interview.answers().find(question->id);
    const json* previous = given == interview.answers().end() ? nullptr : &*given;
    prompts << format_prompt(*question, interview.number(), interview.total(), options.width, previous) << std::flush;
    if (!read_line(input, line)) {
      if (options.interactive) prompts << '\n';
      return {InterviewOutcome::input_ended, interview.answers(),
              fmt::format("input ended before {} was answered: \"{}\"",
                          question_label(*question, interview.number()), question->text)};
    }
    ++line_number;
    if (options.interactive) {
      switch (command_of(line)) {
        case Command::help:
          for (const auto& help_line :
               wrap(question->help.empty() ? "No further help for this question." : question->help, options.width)) {
            prompts << help_line << '\n';
          }
          continue;
        case Command::back:
          if (!interview.back()) prompts << "This is the first question.\n";
          continue;
        case Command::quit:
          return {InterviewOutcome::quit, interview.answers(), "interview stopped before it was complete"};
        case Command::none:
          break;
      }
    }
    if (previous != nullptr && trim(line).empty()) {
      interview.answer(*previous);
      continue;
    }
    auto parsed = parse_typed_answer(*question, line);
    if (!parsed) {
      if (options.interactive) {
        prompts << "Not understood: " << parsed.error().message << ".\n";
        continue;
      }
      return {InterviewOutcome::invalid_answer, interview.answers(),
              fmt::format("line {}: {}: \"{}\": {}", line_number, question_label(*question, interview.number()),
                          std::string(trim(line)), parsed.error().message)};
    }
    interview.answer(std::move(parsed).value());
  }
  return {InterviewOutcome::completed, interview.answers(), {}};
}

nlohmann::ordered_json answers_template(const RuleSet& rules) {
  nlohmann::ordered_json answers = nlohmann::ordered_json::object();
  for (const auto& question : rules.questions) answers[question.id] = nullptr;
  return answers;
}

AnswersCheck check_answers(const RuleSet& rules, const json& object) {
  AnswersCheck check{json::object(), {}};
  if (!object.is_object()) {
    check.errors.push_back({fmt::format("expected a JSON object of question id -> answer, found {}", object.type_name()), ""});
    return check;
  }
  std::vector<std::string> ids;
  for (const auto& question : rules.questions) ids.push_back(question.id);
  for (const auto& [id, value] : object.items()) {
    if (rules.find_question(id) == nullptr) {
      check.errors.push_back({fmt::format("unknown question id \"{}\"{}", id, did_you_mean(id, ids)),
                              pointer_to(id)});
    }
  }
  // In interview order, so that ask_if sees exactly the answers before it.
  for (const auto& question : rules.questions) {
    std::string pointer = pointer_to(question.id);
    auto it = object.find(question.id);
    bool given = it != object.end() && !it->is_null();
    if (!is_asked(question, check.answers)) {
      if (given) {
        check.errors.push_back({"answered, but this question is not asked given the earlier answers (its ask_if is false)",
                                pointer});
      }
      continue;
    }
    if (!given) {
      if (!question.optional) check.errors.push_back({"missing: this question needs an answer", pointer});
      continue;
    }
    auto checked = check_answer(question, *it);
    if (!checked) {
      check.errors.push_back({fmt::format("{} is not a valid answer: {}", it->dump(), checked.error().message), pointer});
      continue;
    }
    check.answers[question.id] = std::move(checked).value();
  }
  return check;
}

}  // namespace kneecheck
