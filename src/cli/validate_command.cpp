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

CommandSetup setup_validate(CLI::App& app, SharedOptions& shared) {
  auto validate = std::make_shared<ValidateOptions>();
  auto* command = app.add_subcommand("validate");
  command->add_option("RULES", validate->paths);
  command->add_flag("--strict", validate->strict);
  command->fallthrough();
  CommandHelp help{
      "validate",
      "Check rule files: every problem at once, with its line and JSON pointer",
      {"kneecheck validate [RULES...] [--strict] [--format text|json|github]", "kneecheck --rules FILE validate"},
      {{"RULES", "Rule files to check (also --rules FILE; neither: the rules built in)"},
       {"--strict", "Fail on warnings too"}},
      {"--rules", "--format", "--color"},
      {"text", "json", "github"},
      {"kneecheck validate my-rules.json --strict",
       "kneecheck validate my-rules.json --format github   # annotations in GitHub Actions"},
      "0 clean, 1 errors found (or warnings with --strict), 2 usage error",
  };
  return {command, help, [validate, &shared, help](Console& console) {
            ValidateOptions chosen = *validate;
            if (!shared.common.rules_path.empty()) chosen.paths.insert(chosen.paths.begin(), shared.common.rules_path);
            chosen.format = std::string(selected_format(shared.common, help));
            return run_validate(chosen, console);
          }};
}

}  // namespace kneecheck
