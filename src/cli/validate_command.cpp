#include "cli/options.hpp"

#include <map>

#include "kneecheck/authoring/validate.hpp"

namespace kneecheck {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool strict = false;
};

int run_validate(const ValidateOptions& validate, Console& console) {
  std::vector<Diagnostic> diagnostics;
  if (validate.paths.empty()) {
    diagnostics = validate_rules(embedded_rules(), "<embedded rules>");
  }
  for (const auto& path : validate.paths) {
    auto found = validate_rules_file(path);
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  }
  static const std::map<std::string, DiagnosticFormat> kFormats = {
      {"text", DiagnosticFormat::text}, {"json", DiagnosticFormat::json}, {"github", DiagnosticFormat::github}};
  console.out << format_diagnostics(diagnostics, kFormats.at(validate.format)) << std::flush;
  if (!console.out) return fail(console, "cannot write to standard output");
  return has_failures(diagnostics, validate.strict) ? kExitChecksFailed : kExitOk;
}

}  // namespace

CommandSetup setup_validate(CLI::App& app, SharedOptions&) {
  auto validate = std::make_shared<ValidateOptions>();
  auto* command = app.add_subcommand("validate", "Check rule files (default: the embedded rules)");
  command->add_option("RULES", validate->paths, "Rule files to check");
  command->add_option("--format", validate->format, "Diagnostics as text, json or github (annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}));
  command->add_flag("--strict", validate->strict, "Fail on warnings too");
  return {command, [validate](Console& console) { return run_validate(*validate, console); }};
}

}  // namespace kneecheck
