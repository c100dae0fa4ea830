#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/authoring/scenario.hpp"
#include "kneecheck/base/atomic_file.hpp"

namespace kneecheck {

namespace {

struct TestOptions {
  std::vector<std::string> paths;
  std::string junit_path;
  std::string rules_path;  // --rules: every case runs against it, whatever rule file the case names
};

// `kneecheck test PATHS... [--junit FILE]`: 0 when every case passed, 1 when
// any failed, 2 on a usage error (no path, a missing path, no case found, a
// JUnit file that cannot be written).
int run_test(const TestOptions& options, Console& console) {
  auto files = collect_case_files(options.paths);
  if (!files) return fail(console, files.error().message);
  std::vector<ScenarioCase> cases;
  for (const auto& file : *files) {
    auto read = read_cases(file);
    cases.insert(cases.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
  }
  if (cases.empty()) return fail(console, fmt::format("test: no case found in {}", fmt::join(options.paths, ", ")));
  if (!options.rules_path.empty()) {
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(options.rules_path, ignored)) {
      return fail(console, fmt::format("--rules {}: no such file", options.rules_path));
    }
    for (auto& scenario : cases) scenario.rules_path = options.rules_path;
    console.err << fmt::format("Every case runs against {} (--rules), in place of the rules it names.\n",
                               options.rules_path);
  }
  auto results = run_cases(cases);
  console.out << format_results_text(results);
  int written = stdout_written(console);
  if (written != kExitOk) return written;
  if (!options.junit_path.empty()) {
    if (auto error = write_file_atomically(options.junit_path, format_results_junit(results))) {
      return fail(console, error->message);
    }
  }
  return count_failed(results) == 0 ? kExitOk : kExitChecksFailed;
}

}  // namespace

CommandSetup setup_test(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand("test");
  command->add_option("CASES", options->paths);
  command->add_option("--junit", options->junit_path);
  command->fallthrough();
  CommandHelp help{
      "test",
      "Run scenario cases: answers and the conclusions the rules must reach",
      {"kneecheck test CASES... [--rules FILE] [--junit FILE]"},
      {{"CASES", "Case files, or folders searched for *.json"},
       {"--junit FILE", "Also write the results as JUnit XML to FILE"}},
      {"--rules", "--color"},
      {},
      {"kneecheck test data/cases", "kneecheck test my-cases/ --rules my-rules.json --junit cases.xml"},
      "0 every case passed, 1 a case failed, 2 usage error (no case found, a file that cannot be written)",
  };
  return {command, help, [options, &shared](Console& console) {
            TestOptions chosen = *options;
            chosen.rules_path = shared.common.rules_path;
            return run_test(chosen, console);
          }};
}

}  // namespace kneecheck
