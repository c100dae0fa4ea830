#include "kneecheck/batch.hpp"

#include <istream>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "kneecheck/answers.hpp"
#include "kneecheck/engine.hpp"
#include "kneecheck/json_input.hpp"
#include "kneecheck/json_writer.hpp"
#include "kneecheck/report.hpp"
#include "kneecheck/text.hpp"

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

constexpr std::size_t kOutputBlockBytes = 64 * 1024;

void write_out(std::ostream& output, std::string& records) {
  output.write(records.data(), static_cast<std::streamsize>(records.size()));
  records.clear();
}

// One line in, one record out; false when the record is an error.
bool assess_line(const RuleSet& rules, std::string_view line, std::size_t line_number, const Date& date,
                 const JsonLiterals& rule_texts, std::string& out) {
  // Most lines are plain answers, read straight into the rules' slots; the
  // rest take the general way, which also says what is wrong.
  if (auto answers = logic::Data::parse_flat_object(line, rules.slots)) {
    if (check_answers(rules, *answers).empty()) {
      write_assessment(rules, std::move(*answers), date, rule_texts, out);
      return true;
    }
  }
  auto document = parse_json(line);
  if (!document) {
    write_error_record(out, line_number, "invalid JSON", {document.error()});
    return false;
  }
  auto check = check_answers(rules, *document);
  if (!check.errors.empty()) {
    write_error_record(out, line_number, "invalid answers", check.errors);
    return false;
  }
  write_assessment(rules, logic::Data::from_json(check.answers, rules.slots), date, rule_texts, out);
  return true;
}

}  // namespace

BatchSummary run_batch(const RuleSet& rules, std::istream& input, std::ostream& output, const Date& date) {
  BatchSummary summary;
  std::string line;
  std::string records;  // written out in blocks: one write per record cost more than scoring it
  std::size_t line_number = 0;
  const JsonLiterals rule_texts = json_literals(rules);  // escaped once for all records
  // Read with a bound: a line of a gigabyte costs no more memory than one
  // at the limit.
  for (LineRead read; (read = read_line(input, line, kMaxBatchLineBytes)) != LineRead::end;) {
    ++line_number;
    if (read == LineRead::line && trim(line).empty()) continue;
    ++summary.lines;
    bool ok = false;
    if (read == LineRead::too_long) {
      write_error_record(records, line_number, "line too long",
                         {Error{fmt::format("longer than the limit of {} bytes for one answers object",
                                            kMaxBatchLineBytes)}});
    } else {
      ok = assess_line(rules, line, line_number, date, rule_texts, records);
    }
    if (!ok) ++summary.failed;
    records += '\n';
    if (records.size() >= kOutputBlockBytes) write_out(output, records);
  }
  write_out(output, records);
  return summary;
}

}  // namespace kneecheck
