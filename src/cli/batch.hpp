// batch: many assessments in one go. JSONL in (one answers object per line),
// JSONL out (one assessment or error record per line, in input order).
#pragma once

#include <cstddef>
#include <iosfwd>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// Longest line of a batch, in bytes: one answers object, as large as an
// answers file may be. A longer line gets an error record; the rest go on.
inline constexpr std::size_t kMaxBatchLineBytes = kMaxAnswersFileBytes;

struct BatchSummary {
  std::size_t lines = 0;   // answer lines read (blank lines are skipped)
  std::size_t failed = 0;  // lines that produced an error record
};

// Most threads a batch scores on.
inline constexpr std::size_t kMaxBatchJobs = 64;

// One thread per core the machine has (at most kMaxBatchJobs).
std::size_t default_batch_jobs();

// Scores every line of `input` and writes one JSON line per input line to
// `output`, in input order: the assessment as report's to_json gives it, or
// {"line": N, "error": "...", "problems": [{"pointer", "message"}]} for a line
// that is not a valid answers object. A bad line never stops the rest.
// Lines are scored in chunks of 32 on `jobs` threads (1: on this one, and
// jobs is clamped to 1..kMaxBatchJobs); the output is the same for any jobs.
// Output is written a chunk at a time.
BatchSummary run_batch(const RuleSet& rules, std::istream& input, std::ostream& output, const Date& date,
                       std::size_t jobs = 1);

}  // namespace kneecheck
