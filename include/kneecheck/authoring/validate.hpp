// validate: everything wrong with a rule file, for rule authors and CI, as
// diagnostics with a severity, a JSON pointer and a line — and the formats
// people and CI systems read them in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kneecheck {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  std::string pointer;  // "" for the whole file
  int line = 0;         // 0 when unknown
  int column = 0;
  std::string message;
};

// Checks one rule file's text. Errors: invalid JSON (line and column), every
// problem the loader finds, and questions that no answers can ever reach.
// Warnings: indicators and red flags that no answers can ever match, and
// questions that no condition reads.
std::vector<Diagnostic> validate_rules(std::string_view text, const std::string& file);

// Reads `path` (a file that cannot be read is an error diagnostic) and checks it.
std::vector<Diagnostic> validate_rules_file(const std::string& path);

enum class DiagnosticFormat { text, json, github };

// text: "file:line:column: error: message (at /pointer)", one per line, and a
// summary line; json: an array of objects; github: workflow commands that
// GitHub Actions shows as annotations ("::error file=...,line=...::message").
std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics, DiagnosticFormat format);

// True when any diagnostic is an error, or with `strict` any at all.
bool has_failures(const std::vector<Diagnostic>& diagnostics, bool strict);

}  // namespace kneecheck
