#include "kneecheck/batch.hpp"

#include <istream>
#include <ostream>
#include <string>

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
  if (line.size() > kMaxRuleFileBytes) {
    return error_record(line_number, "line too long", {Error{"longer than the limit for one answers object"}});
  }
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
  while (std::getline(input, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    ++summary.lines;
    json record = assess_line(rules, line, line_number, date);
    if (record.contains("error")) ++summary.failed;
    output << record.dump() << '\n';
  }
  return summary;
}

}  // namespace kneecheck
