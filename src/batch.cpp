#include "kneecheck/batch.hpp"

#include <istream>
#include <ostream>
#include <string>

#include <fmt/format.h>

#include "kneecheck/answers.hpp"
#include "kneecheck/engine.hpp"
#include "kneecheck/json_input.hpp"
#include "kneecheck/report.hpp"
#include "kneecheck/text.hpp"

namespace kneecheck {

using json = nlohmann::ordered_json;

namespace {

json error_record(std::size_t line_number, const std::string& summary, const std::vector<Error>& problems) {
  json listed = json::array();
  for (const auto& problem : problems) {
    json item = {{"pointer", problem.pointer}, {"message", problem.message}};
    if (problem.column > 0) item["column"] = problem.column;
    listed.push_back(std::move(item));
  }
  return {{"line", line_number}, {"error", summary}, {"problems", std::move(listed)}};
}

// One line in, one record out.
json assess_line(const RuleSet& rules, std::string_view line, std::size_t line_number, const Date& date) {
  auto document = parse_json(line);
  if (!document) return error_record(line_number, "invalid JSON", {document.error()});
  auto check = check_answers(rules, *document);
  if (!check.errors.empty()) return error_record(line_number, "invalid answers", check.errors);
  return to_json(score(rules, check.answers, date));
}

}  // namespace

BatchSummary run_batch(const RuleSet& rules, std::istream& input, std::ostream& output, const Date& date) {
  BatchSummary summary;
  std::string line;
  std::size_t line_number = 0;
  // Read with a bound: a line of a gigabyte costs no more memory than one
  // at the limit.
  for (LineRead read; (read = read_line(input, line, kMaxBatchLineBytes)) != LineRead::end;) {
    ++line_number;
    if (read == LineRead::line && trim(line).empty()) continue;
    ++summary.lines;
    json record = read == LineRead::too_long
                      ? error_record(line_number, "line too long",
                                     {Error{fmt::format("longer than the limit of {} bytes for one answers object",
                                                        kMaxBatchLineBytes)}})
                      : assess_line(rules, line, line_number, date);
    if (record.contains("error")) ++summary.failed;
    output << record.dump() << '\n';
  }
  return summary;
}

}  // namespace kneecheck
