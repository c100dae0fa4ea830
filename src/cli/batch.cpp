#include "cli/batch.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/json.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/json_writer.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

namespace {

void write_error_record(std::string& out, std::size_t line_number, std::string_view summary,
                        const std::vector<Error>& problems) {
  JsonWriter record(out, -1);
  record.begin_object().key("line").value(line_number).key("error").value(summary).key("problems").begin_array();
  for (const auto& problem : problems) {
    record.begin_object().key("pointer").value(problem.pointer).key("message").value(problem.message);
    if (problem.column > 0) record.key("column").value(problem.column);
    record.end_object();
  }
  record.end_array().end_object();
}

void write_assessment(const RuleSet& rules, logic::Data answers, const Date& date, const JsonLiterals& rule_texts,
                      std::string& out) {
  JsonWriter record(out, -1, &rule_texts);
  // A batch record has no explanation, so unmatched indicators need no evidence.
  write_json(record, score(rules, std::move(answers), date, {}, ScoreOptions{.evidence_of_unmatched = false}));
}

// One line in, one record out; false when the record is an error.
bool assess_line(const RuleSet& rules, std::string_view line, std::size_t line_number, const Date& date,
                 const JsonLiterals& rule_texts, std::string& out) {
  ReadAnswers read = read_answers(rules, line);
  switch (read.problem) {
    case ReadAnswers::Problem::none:
      write_assessment(rules, std::move(read.answers), date, rule_texts, out);
      return true;
    case ReadAnswers::Problem::syntax: write_error_record(out, line_number, "invalid JSON", read.errors); return false;
    case ReadAnswers::Problem::answers: write_error_record(out, line_number, "invalid answers", read.errors); return false;
  }
  return false;
}

// A run of input lines, scored as one piece of work, and its records.
struct Chunk {
  struct Line {
    std::size_t at = 0;  // in text
    std::size_t size = 0;
    std::size_t number = 0;  // in the input, from 1
    bool too_long = false;
  };
  std::string text;  // the lines, one after another
  std::vector<Line> lines;
  std::string records;  // one record per line, each ending in '\n'
  std::size_t failed = 0;
  std::exception_ptr error;  // what scoring threw (only std::bad_alloc is expected)
  bool done = false;

  void clear() {
    text.clear();
    lines.clear();
    records.clear();
    failed = 0;
    error = nullptr;
    done = false;
  }
};

// Few enough lines that a chunk's records stay around half a megabyte; the byte
// bound keeps chunks of long lines small too.
constexpr std::size_t kChunkLines = 32;
constexpr std::size_t kChunkBytes = 256 * 1024;

// Reads the next lines into `chunk`; false when the input has no more.
// Read with a bound: a line of a gigabyte costs no more memory than one at
// the limit.
bool read_chunk(std::istream& input, std::string& line, std::size_t& line_number, Chunk& chunk) {
  while (chunk.lines.size() < kChunkLines && chunk.text.size() < kChunkBytes) {
    LineRead read = read_line(input, line, kMaxBatchLineBytes);
    if (read == LineRead::end) return false;
    ++line_number;
    if (read == LineRead::line && trim(line).empty()) continue;
    const bool too_long = read == LineRead::too_long;
    chunk.lines.push_back({chunk.text.size(), too_long ? 0 : line.size(), line_number, too_long});
    if (!too_long) chunk.text += line;
  }
  return true;
}

void score_chunk(const RuleSet& rules, const Date& date, const JsonLiterals& rule_texts, Chunk& chunk) {
  try {
    for (const auto& line : chunk.lines) {
      bool ok = false;
      if (line.too_long) {
        write_error_record(chunk.records, line.number, "line too long",
                           {Error{fmt::format("longer than the limit of {} bytes for one answers object",
                                              kMaxBatchLineBytes)}});
      } else {
        const std::string_view text = std::string_view(chunk.text).substr(line.at, line.size);
        ok = assess_line(rules, text, line.number, date, rule_texts, chunk.records);
      }
      if (!ok) ++chunk.failed;
      chunk.records += '\n';
    }
  } catch (...) {
    chunk.error = std::current_exception();
  }
}

// Threads that score the chunks given to them, any chunk on any thread.
class Workers {
 public:
  Workers(std::size_t count, std::function<void(Chunk&)> work) : work_(std::move(work)) {
    for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
  }
  // Lets each thread finish the chunk it holds; chunks not started are left.
  ~Workers() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      queue_.clear();
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void give(Chunk& chunk) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(&chunk);
    }
    changed_.notify_all();
  }

  void wait_for(const Chunk& chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return chunk.done; });
  }

 private:
  void run() {
    while (true) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        chunk = queue_.front();
        queue_.pop_front();
      }
      work_(*chunk);
      {
        std::lock_guard lock(mutex_);
        chunk->done = true;
      }
      changed_.notify_all();
    }
  }

  std::function<void(Chunk&)> work_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // last: they start once the rest is ready
};

// Writes a scored chunk's records and counts them.
void finish(Chunk& chunk, std::ostream& output, BatchSummary& summary) {
  if (chunk.error) std::rethrow_exception(chunk.error);
  output.write(chunk.records.data(), static_cast<std::streamsize>(chunk.records.size()));
  summary.lines += chunk.lines.size();
  summary.failed += chunk.failed;
}

}  // namespace

std::size_t default_batch_jobs() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxBatchJobs);
}

BatchSummary run_batch(const RuleSet& rules, std::istream& input, std::ostream& output, const Date& date,
                       std::size_t jobs) {
  BatchSummary summary;
  std::string line;
  std::size_t line_number = 0;
  const JsonLiterals rule_texts = json_literals(rules);  // escaped once for all records
  auto work = [&](Chunk& chunk) { score_chunk(rules, date, rule_texts, chunk); };
  jobs = std::clamp<std::size_t>(jobs, 1, kMaxBatchJobs);
  if (jobs == 1) {
    Chunk chunk;
    for (bool more = true; more;) {
      chunk.clear();
      more = read_chunk(input, line, line_number, chunk);
      work(chunk);
      finish(chunk, output, summary);
    }
    return summary;
  }
  // Chunks are scored on `jobs` threads while this one reads the next and
  // writes the finished ones, in input order. At most two a thread are held.
  std::deque<std::unique_ptr<Chunk>> in_flight;
  std::vector<std::unique_ptr<Chunk>> spare;  // finished chunks, their buffers kept
  Workers workers(jobs, work);                // after the chunks: it ends before they go
  for (bool more = true; more || !in_flight.empty();) {
    if (more && in_flight.size() < 2 * jobs) {
      std::unique_ptr<Chunk> chunk = spare.empty() ? std::make_unique<Chunk>() : std::move(spare.back());
      if (!spare.empty()) spare.pop_back();
      chunk->clear();
      more = read_chunk(input, line, line_number, *chunk);
      workers.give(*chunk);
      in_flight.push_back(std::move(chunk));
      continue;
    }
    workers.wait_for(*in_flight.front());
    finish(*in_flight.front(), output, summary);
    spare.push_back(std::move(in_flight.front()));
    in_flight.pop_front();
  }
  return summary;
}

}  // namespace kneecheck
