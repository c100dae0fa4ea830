#include "kneecheck/authoring/validate.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "kneecheck/engine/engine.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/rules/rules.hpp"
#include "authoring/reachability.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

Diagnostic error_at(const std::string& file, const Error& error, const JsonLines* lines) {
  int line = error.line;
  if (line == 0 && lines != nullptr) line = lines->line_of(error.pointer);
  return {Severity::error, file, error.pointer, line, error.column, error.message};
}

// Every question that some condition reads.
std::set<std::string> questions_read(const RuleSet& rules) {
  std::set<std::string> read;
  auto note = [&](const logic::Expression& condition) {
    for (const auto& path : condition.variables()) read.insert(path.substr(0, path.find('.')));
  };
  for (const auto& question : rules.questions) {
    if (question.ask_if) note(*question.ask_if);
  }
  for (const auto& derived : rules.derived) note(derived.value);
  for (const auto& flag : rules.red_flags) note(flag.when.when);
  for (const auto& cause : rules.causes) {
    if (cause.applies_if) note(*cause.applies_if);
    for (const auto& indicator : cause.indicators) {
      note(indicator.when.when);
      if (indicator.graded_points) note(*indicator.graded_points);
    }
  }
  for (const auto& reason : rules.routine.reasons) note(reason.when.when);
  return read;
}

std::string pointer_of(std::string_view section, std::size_t index) {
  return fmt::format("/{}/{}", section, index);
}

void check_reachability(const RuleSet& rules, std::vector<Diagnostic>& out, const std::string& file,
                        const JsonLines& lines) {
  auto add = [&](Severity severity, const std::string& pointer, std::string message) {
    out.push_back({severity, file, pointer, lines.line_of(pointer), 0, std::move(message)});
  };
  for (std::size_t i = 0; i < rules.questions.size(); ++i) {
    const Question& question = rules.questions[i];
    if (question.ask_if && can_be_true(*question.ask_if, rules) == Satisfiable::never) {
      add(Severity::error, pointer_of("questions", i) + "/ask_if",
          fmt::format("question \"{}\" can never be asked: no answers to the questions before it make its ask_if "
                      "true",
                      question.id));
    }
  }
  for (std::size_t i = 0; i < rules.red_flags.size(); ++i) {
    if (can_be_true(rules.red_flags[i].when.when, rules) == Satisfiable::never) {
      add(Severity::warning, pointer_of("red_flags", i) + "/when",
          fmt::format("red flag \"{}\" can never be raised by any answers", rules.red_flags[i].id));
    }
  }
  for (std::size_t c = 0; c < rules.causes.size(); ++c) {
    const Cause& cause = rules.causes[c];
    for (std::size_t i = 0; i < cause.indicators.size(); ++i) {
      if (can_be_true(cause.indicators[i].when.when, rules) == Satisfiable::never) {
        add(Severity::warning, fmt::format("/causes/{}/indicators/{}/when", c, i),
            fmt::format("indicator \"{}\" of cause \"{}\" can never match any answers", cause.indicators[i].id,
                        cause.id));
      }
    }
  }
}

// Sections group the interview for its progress line: a section that comes
// back after another has started would make that line jump.
void check_sections(const RuleSet& rules, std::vector<Diagnostic>& out, const std::string& file,
                    const JsonLines& lines) {
  std::set<std::string> closed;
  std::string current;
  for (std::size_t i = 0; i < rules.questions.size(); ++i) {
    const Question& question = rules.questions[i];
    std::string pointer = pointer_of("questions", i);
    auto add = [&](Severity severity, std::string message) {
      out.push_back({severity, file, pointer, lines.line_of(pointer), 0, std::move(message)});
    };
    if (question.label.empty()) add(Severity::warning, fmt::format("question \"{}\" has no label for reports", question.id));
    if (question.section.empty()) {
      add(Severity::warning, fmt::format("question \"{}\" has no section", question.id));
      continue;
    }
    if (question.section == current) continue;
    if (closed.count(question.section) != 0) {
      add(Severity::error, fmt::format("question \"{}\" is in section \"{}\", which ended before section \"{}\": "
                                       "keep each section's questions together",
                                       question.id, question.section, current));
    }
    if (!current.empty()) closed.insert(current);
    current = question.section;
  }
}

// A published source needs its year (or "n.d.") for a reader to find it.
void check_source_years(const RuleSet& rules, std::vector<Diagnostic>& out, const std::string& file,
                        const JsonLines& lines) {
  for (std::size_t i = 0; i < rules.sources.size(); ++i) {
    const Source& source = rules.sources[i];
    if (source.kind != SourceKind::published || !source.year.empty()) continue;
    std::string pointer = pointer_of("sources", i);
    out.push_back({Severity::warning, file, pointer, lines.line_of(pointer), 0,
                   fmt::format("source \"{}\" has no year: give it, or \"n.d.\" when the source has none", source.id)});
  }
}

void check_unread_questions(const RuleSet& rules, std::vector<Diagnostic>& out, const std::string& file,
                            const JsonLines& lines) {
  auto read = questions_read(rules);
  for (std::size_t i = 0; i < rules.questions.size(); ++i) {
    if (read.count(rules.questions[i].id) != 0) continue;
    std::string pointer = pointer_of("questions", i);
    out.push_back({Severity::warning, file, pointer, lines.line_of(pointer), 0,
                   fmt::format("question \"{}\" is asked, but no condition reads its answer", rules.questions[i].id)});
  }
}

}  // namespace

std::vector<Diagnostic> validate_rules(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> diagnostics;
  if (text.size() > kMaxRuleFileBytes) {
    diagnostics.push_back(
        {Severity::error, file, "", 0, 0, fmt::format("larger than the limit of {} bytes", kMaxRuleFileBytes)});
    return diagnostics;
  }
  auto document = parse_json(text);
  if (!document) {
    diagnostics.push_back(error_at(file, document.error(), nullptr));
    return diagnostics;
  }
  JsonLines lines(text);
  auto check = check_rules(*document);
  for (const auto& error : check.errors) diagnostics.push_back(error_at(file, error, &lines));
  if (!check.errors.empty()) return diagnostics;
  check_reachability(check.rules, diagnostics, file, lines);
  check_unread_questions(check.rules, diagnostics, file, lines);
  check_sections(check.rules, diagnostics, file, lines);
  check_source_years(check.rules, diagnostics, file, lines);
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  return diagnostics;
}

std::vector<Diagnostic> validate_rules_file(const std::string& path) {
  auto text = read_file(path, kMaxRuleFileBytes);
  if (!text) return {{Severity::error, path, "", 0, 0, text.error().message}};
  return validate_rules(*text, path);
}

namespace {

std::string_view severity_name(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

std::string location(const Diagnostic& diagnostic) {
  if (diagnostic.line == 0) return diagnostic.file;
  if (diagnostic.column == 0) return fmt::format("{}:{}", diagnostic.file, diagnostic.line);
  return fmt::format("{}:{}:{}", diagnostic.file, diagnostic.line, diagnostic.column);
}

// GitHub's workflow commands end a property at ',' or ':' and a message at a
// newline; both must be escaped.
std::string github_escape(std::string_view text, bool property) {
  std::string escaped;
  for (char c : text) {
    if (c == '%') escaped += "%25";
    else if (c == '\r') escaped += "%0D";
    else if (c == '\n') escaped += "%0A";
    else if (property && c == ':') escaped += "%3A";
    else if (property && c == ',') escaped += "%2C";
    else escaped += c;
  }
  return escaped;
}

std::string format_text(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  std::size_t errors = 0;
  for (const auto& diagnostic : diagnostics) {
    errors += diagnostic.severity == Severity::error ? 1 : 0;
    out += fmt::format("{}: {}: {}{}\n", location(diagnostic), severity_name(diagnostic.severity), diagnostic.message,
                       diagnostic.pointer.empty() ? "" : fmt::format(" (at {})", diagnostic.pointer));
  }
  out += fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", diagnostics.size() - errors,
                     diagnostics.size() - errors == 1 ? "" : "s");
  return out;
}

std::string format_json(const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& diagnostic : diagnostics) {
    list.push_back({{"severity", severity_name(diagnostic.severity)},
                    {"file", diagnostic.file},
                    {"line", diagnostic.line},
                    {"column", diagnostic.column},
                    {"pointer", diagnostic.pointer},
                    {"message", diagnostic.message}});
  }
  return list.dump(2) + "\n";
}

std::string format_github(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& diagnostic : diagnostics) {
    std::string properties = "file=" + github_escape(diagnostic.file, true);
    if (diagnostic.line > 0) properties += fmt::format(",line={}", diagnostic.line);
    if (diagnostic.column > 0) properties += fmt::format(",col={}", diagnostic.column);
    std::string message = diagnostic.message;
    if (!diagnostic.pointer.empty()) message += fmt::format(" (at {})", diagnostic.pointer);
    out += fmt::format("::{} {}::{}\n", severity_name(diagnostic.severity), properties, github_escape(message, false));
  }
  return out;
}

}  // namespace

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics, DiagnosticFormat format) {
  switch (format) {
    case DiagnosticFormat::text: return format_text(diagnostics);
    case DiagnosticFormat::json: return format_json(diagnostics);
    case DiagnosticFormat::github: return format_github(diagnostics);
  }
  return {};
}

bool has_failures(const std::vector<Diagnostic>& diagnostics, bool strict) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& diagnostic) { return strict || diagnostic.severity == Severity::error; });
}

}  // namespace kneecheck
