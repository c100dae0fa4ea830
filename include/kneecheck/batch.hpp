// batch: many assessments in one go. JSONL in (one answers object per line),
// JSONL out (one assessment or error record per line, in input order).
#pragma once

#include <cstddef>
#include <iosfwd>

#include "kneecheck/answers.hpp"
#include "kneecheck/date.hpp"
#include "kneecheck/rules.hpp"

namespace kneecheck {

// Longest line of a batch, in bytes: one answers object, as large as an
// answers file may be. A longer line gets an error record; the rest go on.
inline constexpr std::size_t kMaxBatchLineBytes = kMaxAnswersFileBytes;

struct BatchSummary {
  std::size_t lines = 0;   // answer lines read (blank lines are skipped)
  std::size_t failed = 0;  // lines that produced an error record
};

// Scores every line of `input` and writes one JSON line per input line to
// `output`: the assessment as report's to_json gives it, or
// {"line": N, "error": "...", "problems": [{"pointer", "message"}]} for a line
// that is not a valid answers object. A bad line never stops the rest.
BatchSummary run_batch(const RuleSet& rules, std::istream& input, std::ostream& output, const Date& date);

}  // namespace kneecheck
