#include "kneecheck/interview/session.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <istream>
#include <optional>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "kneecheck/answers/flags.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

void append_wrapped(std::string& out, std::string_view text, std::size_t width, std::string_view indent) {
  for (const auto& line : wrap(text, width > indent.size() + 20 ? width - indent.size() : 20)) {
    out += indent;
    out += line;
    out += '\n';
  }
}

// "LEAD text" with every further line under the text, not under the lead:
// " 1. A long option that
//      goes on here"
void append_hanging(std::string& out, std::string_view lead, std::string_view text, std::size_t width) {
  std::size_t indent = display_width(lead);
  auto lines = wrap(text, width > indent + 20 ? width - indent : 20);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i == 0 ? std::string(lead) : std::string(indent, ' ');
    out += lines[i];
    out += '\n';
  }
  if (lines.empty()) out += std::string(lead) + '\n';
}

std::string distance_hint(const Question& question, Units units) {
  std::string range = fmt::format("{:g} to {}", question.min, distance_text(question.max, units));
  if (units == Units::mi) range = fmt::format("0 to {}", distance_text(question.max, units));
  return fmt::format("Type a distance from {} ({} also works)", range, units == Units::mi ? "\"20 km\"" : "\"12 mi\"");
}

// `enter_answers`: Enter gives an answer shown after the hint, so it neither
// skips nor means "none".
std::string answer_hint(const Question& question, Units units, bool enter_answers) {
  std::string skip = question.optional && !enter_answers ? ", Enter to skip" : "";
  switch (question.type) {
    case QuestionType::choice:
      return fmt::format("Type a number from 1 to {}{}", question.options.size(), skip);
    case QuestionType::multi:
      return enter_answers || question.min_choices > 0
                 ? "Type the numbers that apply, separated by commas"
                 : "Type the numbers that apply, separated by commas (Enter: none)";
    case QuestionType::yes_no:
      return fmt::format("Type y or n{}", skip);
    case QuestionType::number:
      if (is_distance(question)) return distance_hint(question, units) + skip;
      return fmt::format("Type a {}number from {:g} to {}{}", question.integer ? "whole " : "", question.min,
                         quantity(question.max, question.unit), skip);
    case QuestionType::scale:
      return fmt::format("Type a number from 0 (none) to 10 (worst imaginable){}", skip);
  }
  return {};
}

// A distance as it would be typed again in `units`: "45", "28 mi".
std::string typed_distance(double km, Units units) {
  if (units == Units::km) return fmt::format("{:g}", km);
  return fmt::format("{:g} mi", std::round(km / kKilometresPerMile * 10) / 10);
}

// An answer value written the way a person would type it.
std::string typed_form(const Question& question, const json& value, Units units) {
  if (value.is_boolean()) return value.get<bool>() ? "y" : "n";
  if (value.is_number() && is_distance(question)) return typed_distance(value.get<double>(), units);
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

// An answer in words: option labels, Yes/No as the options read, numbers
// with their unit.
std::string answer_words(const Question& question, const json& value, Units units) {
  auto label = [&](const json& item) {
    const Option* option = item.is_string() ? question.find_option(item.get<std::string>()) : nullptr;
    return option == nullptr ? item.dump() : option->label;
  };
  switch (question.type) {
    case QuestionType::choice: return label(value);
    case QuestionType::multi: {
      if (value.empty()) return "None of these";
      std::string labels;
      for (const auto& item : value) labels += (labels.empty() ? "" : "; ") + label(item);
      return labels;
    }
    case QuestionType::yes_no: return value.get<bool>() ? "Yes" : "No";
    case QuestionType::number:
      if (is_distance(question)) return distance_text(value.get<double>(), units);
      return quantity(value.get<double>(), question.unit);
    case QuestionType::scale: return value.dump() + " out of 10";
  }
  return value.dump();
}

// An answer for the review.
std::string typed_display(const Question& question, const json& value, Units units) {
  return "→ " + answer_words(question, value, units);
}

std::string question_label(const Question& question, std::size_t number) {
  return fmt::format("question {} ({})", number, question.id);
}

// A typed line as a message can quote it: at most 60 bytes, with control
// characters and bytes that are not UTF-8 as \xNN.
std::string printable(std::string_view line) {
  constexpr std::size_t kShown = 60;
  std::string out;
  std::size_t at = 0;
  while (at < line.size() && out.size() < kShown) {
    auto byte = static_cast<unsigned char>(line[at]);
    std::size_t length = 1;
    if (byte >= 0x80) {  // a UTF-8 sequence, if it is one
      length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
      if (line.size() - at < length || invalid_utf8_at(line.substr(at, length))) length = 0;
    }
    if (length == 0 || byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\x{:02X}", byte);
      ++at;
      continue;
    }
    out.append(line.substr(at, length));
    at += length;
  }
  if (at < line.size()) out += "…";
  return out;
}

}  // namespace

namespace {

// The sections of the interview, in the order their first questions come.
std::vector<std::string_view> sections_of(const RuleSet& rules) {
  std::vector<std::string_view> sections;
  for (const auto& question : rules.questions) {
    if (question.section.empty()) continue;
    if (std::find(sections.begin(), sections.end(), question.section) == sections.end()) {
      sections.push_back(question.section);
    }
  }
  return sections;
}

}  // namespace

std::string format_progress(const Interview& interview) {
  const Question* question = interview.current();
  std::string heading = fmt::format("Question {}", interview.number());
  if (question == nullptr || question->section.empty()) return heading;
  auto sections = sections_of(interview.rules());
  auto at = std::find(sections.begin(), sections.end(), question->section);
  if (at == sections.end()) return fmt::format("{} · {}", heading, question->section);
  return fmt::format("{} · {} (part {} of {})", heading, question->section, at - sections.begin() + 1,
                     sections.size());
}

std::string format_answer_line(const Question& question, EnterAnswer enter, Units units) {
  bool enter_answers = enter.previous != nullptr || enter.suggested != nullptr || question.default_answer;
  std::string hint = answer_hint(question, units, enter_answers);
  if (enter.previous != nullptr) {
    hint += fmt::format(" [Enter = keep {}]", typed_form(question, *enter.previous, units));
  } else if (enter.suggested != nullptr) {
    hint += fmt::format(" [Enter = {}]", typed_form(question, *enter.suggested, units));
  } else if (question.default_answer) {
    hint += fmt::format(" [Enter = {}]", typed_form(question, *question.default_answer, units));
  }
  return hint;
}

std::string format_prompt(const Question& question, std::string_view progress, std::size_t width,
                          EnterAnswer enter, Units units) {
  std::string out = fmt::format("\n{}\n", progress);
  append_wrapped(out, question.text, width, "");
  for (std::size_t i = 0; i < question.options.size(); ++i) {
    append_hanging(out, fmt::format("{:>3}. ", i + 1), question.options[i].label, width);
  }
  if (enter.previous == nullptr && enter.suggested != nullptr) {
    append_wrapped(out,
                   fmt::format("From your runs: {}. Press Enter to accept it, or type your own.",
                               answer_words(question, *enter.suggested, units)),
                   width, "");
  }
  append_wrapped(out, format_answer_line(question, enter, units), width, "");
  out += "> ";
  return out;
}

namespace {

// What the person typed instead of an answer.
enum class Command { none, help, back, quit };

Command command_of(std::string_view line) {
  std::string word = to_lower(trim(line));
  if (word == "?" || word == "help") return Command::help;
  if (word == "b" || word == "back") return Command::back;
  if (word == "q" || word == "quit") return Command::quit;
  return Command::none;
}

}  // namespace

namespace {

// Reads lines into the interview until it is over or something stops it.
class TypedSession {
 public:
  TypedSession(Interview& interview, std::istream& input, std::ostream& prompts, const TypedInterviewOptions& options)
      : interview_(interview), input_(input), prompts_(prompts), options_(options) {}

  TypedInterviewResult run(const RuleSet& rules) {
    if (auto stopped = ask_until_done()) return *stopped;
    if (options_.interactive) {
      if (auto stopped = review(rules)) return *stopped;
    }
    return result(InterviewOutcome::completed, {});
  }

 private:
  TypedInterviewResult result(InterviewOutcome outcome, std::string message) const {
    std::vector<std::string> asked;
    for (std::size_t index : interview_.asked()) asked.push_back(interview_.rules().questions[index].id);
    std::vector<std::string> from_runs = accepted_suggestions(asked);
    return {outcome, interview_.answers(), std::move(asked), std::move(from_runs), std::move(message)};
  }

  const json* suggestion_for(const Question& question) const {
    auto it = options_.suggestions.find(question.id);
    return it == options_.suggestions.end() ? nullptr : &it->second;
  }

  // The answers that are still the suggestion accepted for them.
  std::vector<std::string> accepted_suggestions(const std::vector<std::string>& asked) const {
    std::vector<std::string> ids;
    for (const auto& id : asked) {
      auto answer = interview_.answers().find(id);
      auto suggested = options_.suggestions.find(id);
      if (accepted_.count(id) == 0 || answer == interview_.answers().end() || suggested == options_.suggestions.end()) {
        continue;
      }
      if (*answer == suggested->second) ids.push_back(id);
    }
    return ids;
  }

  // False at the end of input; the caller decides what that means. A line
  // is kept up to one byte over kMaxAnswerBytes, enough for
  // parse_typed_answer to reject it, so that an endless line costs no memory.
  bool next_line(std::string& line) {
    if (read_line(input_, line, kMaxAnswerBytes + 1) == LineRead::end) return false;
    ++line_number_;
    return true;
  }

  TypedInterviewResult ended(const std::string& waiting_for) const {
    if (options_.interrupted()) return result(InterviewOutcome::interrupted, "interrupted");
    return result(InterviewOutcome::input_ended, "input ended before " + waiting_for);
  }

  // The whole prompt for a new question; after an invalid answer only the
  // line saying how to answer, so a long list does not scroll away.
  void prompt(const Question& question, EnterAnswer enter, bool again) {
    if (again) {
      prompts_ << format_answer_line(question, enter, options_.units) << "\n> " << std::flush;
      return;
    }
    prompts_ << format_prompt(question, format_progress(interview_), options_.width, enter, options_.units)
             << std::flush;
  }

  void show_help(const Question& question) {
    std::string text = question.help.empty() ? "No further help for this question." : question.help;
    for (const auto& line : wrap(text, options_.width)) prompts_ << line << '\n';
    for (const auto& line : wrap("Type b to go back a question, q to stop (your answers are kept).", options_.width)) {
      prompts_ << line << '\n';
    }
  }

  std::optional<TypedInterviewResult> ask_until_done() {
    std::string line;
    bool again = false;
    while (const Question* question = interview_.current()) {
      auto given = interview_.answers().find(question->id);
      const json* previous = given == interview_.answers().end() ? nullptr : &*given;
      const json* suggested = suggestion_for(*question);
      prompt(*question, {previous, suggested}, again);
      again = false;
      if (!next_line(line)) {
        if (options_.interactive) prompts_ << '\n';
        return ended(fmt::format("{} was answered: \"{}\"", question_label(*question, interview_.number()),
                                 question->text));
      }
      if (options_.interactive) {
        switch (command_of(line)) {
          case Command::help:
            show_help(*question);
            again = true;
            continue;
          case Command::back:
            if (!interview_.back()) {
              prompts_ << "This is the first question.\n";
              again = true;
            }
            continue;
          case Command::quit:
            return result(InterviewOutcome::quit, "interview stopped before it was complete");
          case Command::none:
            break;
        }
      }
      if (previous != nullptr && trim(line).empty()) {
        interview_.answer(*previous);
        continue;
      }
      if (suggested != nullptr && trim(line).empty()) {
        accepted_.insert(question->id);
        interview_.answer(*suggested);
        if (auto stopped = check_red_flags()) return stopped;
        continue;
      }
      auto parsed = parse_typed_answer(*question, line, options_.units);
      if (!parsed) {
        if (options_.interactive) {
          for (const auto& text : wrap(parsed.error().message + ".", options_.width - 2)) prompts_ << "! " << text << '\n';
          again = true;
          continue;
        }
        return result(InterviewOutcome::invalid_answer,
                      fmt::format("line {}: {}: \"{}\": {}", line_number_,
                                  question_label(*question, interview_.number()), printable(trim(line)),
                                  parsed.error().message));
      }
      interview_.answer(std::move(parsed).value());
      if (auto stopped = check_red_flags()) return stopped;
    }
    return std::nullopt;
  }

  // After each answer: a notice for each new "soon" flag, and at the first
  // urgent one the disposition at once, then the questions stop (at a
  // terminal, unless the runner chooses to go on for a fuller report).
  std::optional<TypedInterviewResult> check_red_flags() {
    if (going_on_past_urgent_ || interview_.position() == 0) return std::nullopt;
    auto flags = decided_red_flags_so_far();
    for (const RedFlag* flag : flags) {
      if (flag->level != Level::soon || !noticed_.insert(flag->id).second) continue;
      std::string what = flag->title.empty() ? "" : fmt::format(" ({})", flag->title);
      for (const auto& text : wrap(fmt::format("! A professional should see your knee within the next few days{}. "
                                               "The report will say more; the questions go on.",
                                               what),
                                   options_.width)) {
        prompts_ << text << '\n';
      }
    }
    const RedFlag* urgent = first_urgent(flags);
    if (urgent == nullptr || interview_.done()) return std::nullopt;  // at the end, the report says it
    show_urgent_disposition(*urgent);
    if (options_.interactive && offer_to_go_on()) return std::nullopt;
    if (!options_.interactive) {
      prompts_ << fmt::format("Stopped at line {}: this needs care today. The report follows; no later line was "
                              "read.\n",
                              line_number_);
    }
    return result(InterviewOutcome::stopped_at_urgent, "stopped at an urgent answer");
  }

  std::vector<const RedFlag*> decided_red_flags_so_far() const {
    if (options_.red_flags) return options_.red_flags(interview_.answers());
    const RuleSet& rules = interview_.rules();
    logic::Data data = logic::Data::from_json(interview_.answers(), rules.slots);
    add_derived_values(rules, data);
    return decided_red_flags(rules, data, interview_.position() - 1);
  }

  void show_urgent_disposition(const RedFlag& flag) {
    prompts_ << '\n';
    std::string heading = flag.title.empty() ? "SEEK CARE TODAY" : fmt::format("SEEK CARE TODAY: {}", flag.title);
    for (const auto& text : wrap(heading, options_.width)) prompts_ << "!! " << text << '\n';
    for (const auto& text : wrap(flag.message, options_.width - 3)) prompts_ << "   " << text << '\n';
  }

  // True when the runner chooses to answer the remaining questions.
  bool offer_to_go_on() {
    std::size_t remaining = interview_.total() - interview_.number() + 1;
    for (const auto& text : wrap(fmt::format("kneecheck stops the questions here. Press Enter to see the report to "
                                             "take with you, or type c to answer the {} remaining question{} for a "
                                             "fuller report.",
                                             remaining, remaining == 1 ? "" : "s"),
                                 options_.width)) {
      prompts_ << text << '\n';
    }
    prompts_ << "> " << std::flush;
    std::string line;
    if (!next_line(line)) return false;
    std::string word = to_lower(trim(line));
    going_on_past_urgent_ = word == "c" || word == "continue";
    return going_on_past_urgent_;
  }

  // The runner sees every answer once more and may change any before
  // scoring; b goes back to the last question.
  std::optional<TypedInterviewResult> review(const RuleSet& rules) {
    std::string line;
    while (true) {
      auto asked = interview_.asked();
      prompts_ << format_review(interview_, rules, options_.width, options_.units);
      for (const auto& text : wrap("Press Enter to see your report, type a number to change that answer, b to go "
                                   "back to the last question, or q to stop (your answers are kept).",
                                   options_.width)) {
        prompts_ << text << '\n';
      }
      prompts_ << "> " << std::flush;
      if (!next_line(line)) {
        prompts_ << '\n';
        if (options_.interrupted()) return result(InterviewOutcome::interrupted, "interrupted");
        return std::nullopt;  // every question is answered: input ending here loses nothing
      }
      std::string choice(trim(line));
      if (choice.empty()) return std::nullopt;
      Command command = command_of(choice);
      if (command == Command::quit) return result(InterviewOutcome::quit, "stopped at the review");
      std::size_t number = 0;
      if (command == Command::back) {
        number = asked.size();
      } else {
        auto [end, error] = std::from_chars(choice.data(), choice.data() + choice.size(), number);
        if (error != std::errc() || end != choice.data() + choice.size() || number < 1 || number > asked.size()) {
          prompts_ << fmt::format("! Type a number from 1 to {}, b, q, or press Enter.\n", asked.size());
          continue;
        }
      }
      interview_.edit(asked[number - 1]);
      if (auto stopped = ask_until_done()) return stopped;
    }
  }

  Interview& interview_;
  std::istream& input_;
  std::ostream& prompts_;
  const TypedInterviewOptions& options_;
  std::size_t line_number_ = 0;
  bool going_on_past_urgent_ = false;
  std::set<std::string> noticed_;  // ids of the "soon" flags already noticed
  std::set<std::string> accepted_;  // ids of the questions whose suggestion was accepted
};

}  // namespace

TypedInterviewResult run_typed_interview(Interview& interview, std::istream& input, std::ostream& prompts,
                                         const TypedInterviewOptions& options) {
  return TypedSession(interview, input, prompts, options).run(interview.rules());
}

std::size_t replay_draft(Interview& interview, const Answers& answers, const std::vector<std::string>& asked) {
  std::size_t replayed = 0;
  while (const Question* question = interview.current()) {
    if (std::find(asked.begin(), asked.end(), question->id) == asked.end()) break;
    auto saved = answers.find(question->id);
    if (saved == answers.end() || saved->is_null()) {
      if (!question->optional) break;
      interview.answer(std::nullopt);
    } else {
      auto checked = check_answer(*question, *saved);
      if (!checked) break;
      interview.answer(std::move(checked).value());
    }
    ++replayed;
  }
  return replayed;
}

std::string format_review(const Interview& interview, const RuleSet& rules, std::size_t width, Units units) {
  std::string out = "\nYour answers\n";
  auto asked = interview.asked();
  std::size_t digits = std::to_string(asked.size()).size();
  for (std::size_t i = 0; i < asked.size(); ++i) {
    const Question& question = rules.questions[asked[i]];
    auto answer = interview.answers().find(question.id);
    std::string shown = answer == interview.answers().end() ? "(skipped)" : typed_display(question, *answer, units);
    append_hanging(out, fmt::format("{:>{}}. ", i + 1, digits), fmt::format("{} {}", question.text, shown), width);
  }
  return out;
}

}  // namespace kneecheck
