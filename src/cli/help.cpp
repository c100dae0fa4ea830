#include "cli/help.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"

namespace kneecheck {

namespace {

constexpr std::size_t kIndent = 2;
// The name column never takes more than this; a longer name puts its text
// on the next line.
constexpr std::size_t kMaxNameColumn = 30;
// Help stays readable in a wide terminal.
constexpr std::size_t kMaxWidth = 100;
constexpr std::size_t kMinTextWidth = 24;

// "  NAME   text that wraps
//           under itself"
void append_entries(std::string& out, const std::vector<std::pair<std::string, std::string>>& entries,
                    std::size_t width) {
  std::size_t column = 0;
  for (const auto& [name, text] : entries) column = std::max(column, display_width(name));
  column = std::min(column, kMaxNameColumn) + kIndent + 2;
  std::size_t text_width = width > column + kMinTextWidth ? width - column : kMinTextWidth;
  for (const auto& [name, text] : entries) {
    std::string lead = std::string(kIndent, ' ') + name;
    auto lines = wrap(text, text_width);
    std::size_t first = 0;
    if (display_width(lead) + 2 <= column) {
      out += lead + std::string(column - display_width(lead), ' ') + (lines.empty() ? "" : lines.front()) + '\n';
      first = 1;
    } else {
      out += lead + '\n';
    }
    for (std::size_t i = first; i < lines.size(); ++i) out += std::string(column, ' ') + lines[i] + '\n';
  }
}

void append_paragraph(std::string& out, std::string_view text, std::size_t width) {
  for (const auto& line : wrap(text, width)) out += line + '\n';
}

void append_lines(std::string& out, std::string_view heading, const std::vector<std::string_view>& lines) {
  if (lines.empty()) return;
  out += fmt::format("\n{}:\n", heading);
  for (std::string_view line : lines) out += fmt::format("{}{}\n", std::string(kIndent, ' '), line);
}

std::vector<std::pair<std::string, std::string>> option_entries(const CommandHelp& help) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& option : help.options) entries.emplace_back(option.names, option.text);
  for (std::string_view name : help.shared) {
    const OptionHelp& option = shared_option_help(name);
    std::string text(option.text);
    if (name == "--format" && !help.formats.empty()) {
      text = fmt::format("What to write: {} (default: {})", join_words(help.formats, "or"), help.formats.front());
    }
    entries.emplace_back(option.names, text);
  }
  entries.emplace_back("-h, --help", "Show this help");
  return entries;
}

std::size_t usable(std::size_t width) { return std::min(width, kMaxWidth); }

}  // namespace

std::string general_help(const CommandSetup& interview, const std::vector<CommandSetup>& commands, std::size_t width) {
  width = usable(width);
  std::string out;
  append_paragraph(out,
                   "kneecheck asks a runner about knee pain and running, then ranks six likely causes with the "
                   "answers that point to each and advice that helps. It is not a diagnosis: signs that need a "
                   "professional are named first, with how soon.",
                   width);
  out += "\nUsage:\n";
  out += "  kneecheck [options]              answer the questions, then read your report\n";
  out += "  kneecheck COMMAND [options]\n";
  out += "  kneecheck help [COMMAND]\n";
  out += "\nCommands:\n";
  std::vector<std::pair<std::string, std::string>> listed;
  for (const auto& command : commands) listed.emplace_back(command.help.name, command.help.summary);
  listed.emplace_back("help", "Show this help, or a command's options and examples");
  append_entries(out, listed, width);
  out += "\nInterview options (no command):\n";
  append_entries(out, option_entries(interview.help), width);
  append_lines(out, "Examples", interview.help.examples);
  out += "\nExit codes:\n";
  append_entries(out,
                 {{"0", "done"},
                  {"1", "validate or test found problems in a rule file"},
                  {"2", "invalid input or usage, or a file that could not be written; the message says which"},
                  {"3", "a professional is advised at the --fail-on level or more pressing"},
                  {"130", "interrupted: your answers so far are kept for --resume"}},
                 width);
  out += '\n';
  append_paragraph(out, "Run 'kneecheck help COMMAND' for a command's options, formats and examples. Nothing leaves "
                        "this computer.",
                   width);
  return out;
}

std::string command_help(const CommandHelp& help, std::size_t width) {
  width = usable(width);
  std::string out;
  append_paragraph(out, fmt::format("kneecheck {}: {}", help.name, help.summary), width);
  append_lines(out, "Usage", help.usage);
  out += "\nOptions:\n";
  append_entries(out, option_entries(help), width);
  append_lines(out, "Examples", help.examples);
  if (!help.exit_codes.empty()) {
    out += "\nExit codes:\n";
    for (const auto& line : wrap(help.exit_codes, width - kIndent)) out += std::string(kIndent, ' ') + line + '\n';
  }
  return out;
}

}  // namespace kneecheck
