#include "cli/options.hpp"

#include <fstream>

#include <fmt/format.h>

#include "cli/batch.hpp"
#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/json.hpp"
#include "kneecheck/base/json_input.hpp"

namespace kneecheck {

namespace {

struct AssessOptions {
  std::string answers_path;
  std::string batch_path;
  std::size_t jobs = 0;  // 0: default_batch_jobs()
};

int run_batch_assess(const RuleSet& rules, const Date& date, const AssessOptions& assess, Console& console) {
  const std::string& path = assess.batch_path;
  std::ifstream file;
  std::istream* input = &console.in;
  if (path != "-") {
    if (auto error = open_input_file(path, file)) return fail(console, error->message);
    input = &file;
  }
  auto summary = run_batch(rules, *input, console.out, date, assess.jobs == 0 ? default_batch_jobs() : assess.jobs);
  if (input->bad()) return fail(console, fmt::format("cannot read {}", path == "-" ? "standard input" : path));
  console.out.flush();
  if (!console.out) return fail(console, "cannot write to standard output");
  if (summary.failed == 0) return kExitOk;
  return fail(console, fmt::format("{} of {} lines had invalid answers; their error records say why", summary.failed,
                                   summary.lines));
}

int run_assess(const CommonOptions& common, const AssessOptions& assess, const HistoryOptions& history_options,
               Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  if (!assess.batch_path.empty()) return run_batch_assess(*rules, *date, assess, console);
  std::string answers_origin = assess.answers_path == "-" ? "<stdin>" : assess.answers_path;
  auto text = read_input_text(assess.answers_path, kMaxAnswersFileBytes, console);
  if (!text) return fail(console, text.error().message);
  ReadAnswers read = read_answers(*rules, *text);
  if (read.problem != ReadAnswers::Problem::none) {
    // The first problems are the ones to fix first; thousands of lines would bury them.
    constexpr std::size_t kShownProblems = 50;
    for (std::size_t i = 0; i < read.errors.size() && i < kShownProblems; ++i) {
      console.err << "kneecheck: " << format_error(answers_origin, read.errors[i]) << '\n';
    }
    if (read.errors.size() > kShownProblems) {
      console.err << fmt::format("kneecheck: ... and {} more\n", read.errors.size() - kShownProblems);
    }
    if (read.problem == ReadAnswers::Problem::answers) {
      console.err << fmt::format("kneecheck: {} problem{} in {}; nothing was scored\n", read.errors.size(),
                                 read.errors.size() == 1 ? "" : "s", answers_origin);
    }
    return kExitInvalid;
  }
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  Assessment assessment = score(*rules, std::move(read.answers), *date, history->past);
  int code = report(assessment, common, console);
  if (code == kExitInvalid) return code;
  if (auto error = store_check_in(*history, assessment)) return not_stored(*error, code, console);
  return code;
}

}  // namespace

CommandSetup setup_assess(CLI::App& app, SharedOptions& shared) {
  auto assess = std::make_shared<AssessOptions>();
  auto* command = app.add_subcommand("assess", "Score an answers JSON object (question id -> answer)");
  // What to score: exactly one of the two.
  auto* input_group = command->add_option_group("Answers");
  auto* answers_option =
      input_group->add_option("--answers", assess->answers_path, "Answers JSON file, or - for standard input");
  auto* batch_option = input_group->add_option(
      "--batch", assess->batch_path, "JSONL file (or -): one answers object per line, one JSON assessment per line out");
  answers_option->excludes(batch_option);
  input_group->require_option(1);
  command
      ->add_option("--jobs", assess->jobs, "Threads to score a batch on (default: one per core; the output is the same)")
      ->check(CLI::Range(std::size_t{1}, kMaxBatchJobs))
      ->needs(batch_option);
  command->fallthrough();
  return {command, [assess, &shared](Console& console) { return run_assess(shared.common, *assess, shared.history, console); }};
}

}  // namespace kneecheck
