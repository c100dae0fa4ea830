#include "cli/options.hpp"

#include <fmt/format.h>

#include "kneecheck/authoring/scenario.hpp"
#include "kneecheck/base/atomic_file.hpp"

namespace kneecheck {

namespace {

struct TestOptions {
  std::vector<std::string> paths;
  std::string junit_path;
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

CommandSetup setup_test(CLI::App& app, SharedOptions&) {
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand("test", "Run scenario cases: answers and the conclusions they must lead to");
  command->add_option("paths", options->paths, "Case files, or folders searched for *.json");
  command->add_option("--junit", options->junit_path, "Also write the results as JUnit XML to FILE");
  command->fallthrough();
  return {command, [options](Console& console) { return run_test(*options, console); }};
}

}  // namespace kneecheck
