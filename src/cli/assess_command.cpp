#include "cli/options.hpp"

#include <charconv>
#include <fstream>
#include <iostream>
#include <optional>

#include <ext/stdio_filebuf.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/batch.hpp"
#include "cli/runs_input.hpp"
#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/json.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"

namespace kneecheck {

namespace {

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct AssessOptions {
  std::string answers_path;
  std::string batch_path;
  std::string jobs_text;  // as given, so that "--jobs many" gets our message
  std::size_t jobs = 0;   // 0: default_batch_jobs()
};

int run_batch_assess(const RuleSet& rules, const Date& date, const AssessOptions& assess, Console& console) {
  const std::string& path = assess.batch_path;
  std::ifstream file;
  std::istream* input = &console.in;
  // std::cin, kept in step with C's stdio, reads one character at a time: a
  // batch piped in spent a third of its time there. Standard input is read
  // through a buffer of its own instead, on a copy of its descriptor (the
  // same file position; closing the copy leaves standard input open).
  std::optional<__gnu_cxx::stdio_filebuf<char>> stdin_buffer;
  std::optional<std::istream> buffered_stdin;
  if (path != "-") {
    if (auto error = open_input_file(path, file)) return fail(console, error->message);
    input = &file;
  } else if (int copy = &console.in == &std::cin ? dup(STDIN_FILENO) : -1; copy >= 0) {
    stdin_buffer.emplace(copy, std::ios::in, std::size_t{1} << 16);
    buffered_stdin.emplace(&*stdin_buffer);
    input = &*buffered_stdin;
  }
  auto summary = run_batch(rules, *input, console.out, date, assess.jobs == 0 ? default_batch_jobs() : assess.jobs);
  if (input->bad()) return fail(console, fmt::format("cannot read {}", path == "-" ? "standard input" : path));
  console.out.flush();
  if (!console.out) return fail(console, "cannot write to standard output");
  if (summary.failed == 0) return kExitOk;
  return fail(console, fmt::format("{} of {} lines had invalid answers; their error records say why", summary.failed,
                                   summary.lines));
}

// Options that a batch cannot use: it writes JSON Lines to standard output
// (so --format json is what it does anyway) and stores nothing in the history.
std::optional<std::string> refused_in_batch(const CommonOptions& common, const HistoryOptions& history) {
  std::vector<std::pair<bool, std::string_view>> given = {
      {!common.format.empty() && common.format != "json", "--format"}, {!common.output_path.empty(), "--output"},
      {common.explain, "--explain"},        {!common.fail_on.empty(), "--fail-on"},
      {common.sources, "--sources"},        {!common.runs_paths.empty(), "--runs"},
      {!history.db_path.empty(), "--db"},   {history.no_save, "--no-save"},
  };
  for (const auto& [is_given, name] : given) {
    if (is_given) {
      return fmt::format("{} does not apply to assess --batch, which writes one JSON record per line to standard "
                         "output and stores nothing in the history",
                         name);
    }
  }
  return std::nullopt;
}

// Adds to the answers text the answers the runs suggest that it leaves out;
// returns their ids. A text that is not a JSON object is left for
// read_answers to report.
std::vector<std::string> fill_from_runs(const RuleSet& rules, const Suggestions& suggestions, std::string& text) {
  if (suggestions.empty()) return {};
  auto answers = parse_json(text);
  if (!answers || !answers->is_object()) return {};
  auto filled = fill_missing_answers(rules, suggestions, *answers);
  if (!filled.empty()) text = answers->dump();
  return filled;
}

int run_assess(const CommonOptions& common, const AssessOptions& assess, const HistoryOptions& history_options,
               const CommandHelp& help, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  if (!assess.batch_path.empty()) {
    if (auto refused = refused_in_batch(common, history_options)) return fail(console, *refused);
    return run_batch_assess(*rules, *date, assess, console);
  }
  if (assess.jobs != 0) return fail(console, "--jobs applies to assess --batch only");
  if (!common.output_path.empty()) {
    if (auto error = unwritable(common.output_path)) return fail(console, error->message);
  }
  std::string answers_origin = assess.answers_path == "-" ? "<stdin>" : assess.answers_path;
  auto text = read_input_text(assess.answers_path, kMaxAnswersFileBytes, console);
  if (!text) return fail(console, text.error().message);
  // Units matter only to distances in runs files that do not state one.
  auto units = common.runs_paths.empty() ? Result<Units>(Units::km) : selected_units(common);
  if (!units) return fail(console, units.error().message);
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  auto runs = read_runs_for_check_in(common, *units, *date, *history, console);
  if (!runs) return fail(console, runs.error().message);
  date_runs(*runs, *rules, *date);
  std::vector<std::string> from_runs = fill_from_runs(*rules, runs->suggestions, *text);
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
  Assessment assessment = score(*rules, std::move(read.answers), *date, history->past);
  assessment.from_runs = std::move(from_runs);
  int code = report(assessment, common, help, console);
  if (code == kExitInvalid) return code;
  if (store_check_in(*history, assessment, code, console) && !store_runs_read(*history, *runs, console)) {
    if (code != kExitAdvised) code = kExitInvalid;
  }
  return code;
}

}  // namespace

CommandSetup setup_assess(CLI::App& app, SharedOptions& shared) {
  auto assess = std::make_shared<AssessOptions>();
  auto* command = app.add_subcommand("assess");
  command->add_option("--answers", assess->answers_path);
  command->add_option("--batch", assess->batch_path);
  command->add_option("--jobs", assess->jobs_text);
  command->fallthrough();
  CommandHelp help{
      "assess",
      "Score an answers file, or a batch of them, without the questions",
      {"kneecheck assess --answers FILE [options]", "kneecheck assess --batch FILE [--jobs N] [--rules FILE] [--date DAY]"},
      {{"--answers FILE", "An answers JSON object (question id -> answer), or - for standard input; stored in the "
                          "history like an interview"},
       {"--batch FILE", "JSON Lines, one answers object per line (or - for standard input); one JSON record per line "
                        "out, stored nowhere"},
       {"--jobs N", "With --batch: score on N threads, 1 to 64 (default: one per core; the output is the same)"}},
      {"--rules", "--format", "--output", "--date", "--fail-on", "--explain", "--sources", "--db", "--no-save", "--units",
       "--runs", "--color", "--no-pager"},
      {"text", "json", "markdown", "html"},
      {"kneecheck assess --answers answers.json",
       "kneecheck assess --answers answers.json --format json -o report.json",
       "kneecheck assess --answers answers.json --runs activities.csv  # runs fill the distances left out",
       "kneecheck assess --batch club.jsonl > results.jsonl"},
      "0 ok, 2 invalid input (for a batch: any line), 3 advised at the --fail-on level",
  };
  auto* answers = command->get_option("--answers");
  auto* batch = command->get_option("--batch");
  auto* jobs = command->get_option("--jobs");
  return {command, help, [assess, &shared, help, answers, batch, jobs](Console& console) {
            if (answers->count() + batch->count() == 0) {
              return fail(console, "assess needs --answers FILE or --batch FILE");
            }
            if (answers->count() + batch->count() > 1) {
              return fail(console, "assess takes --answers FILE or --batch FILE, not both");
            }
            if (jobs->count() > 0) {
              auto parsed = parse_count(assess->jobs_text);
              if (!parsed || *parsed == 0 || *parsed > kMaxBatchJobs) {
                return fail(console, fmt::format("--jobs {}: give a number of threads from 1 to {}", assess->jobs_text,
                                                 kMaxBatchJobs));
              }
              assess->jobs = *parsed;
            }
            return run_assess(shared.common, *assess, shared.history, help, console);
          }};
}

}  // namespace kneecheck
