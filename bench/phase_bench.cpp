// phase_bench: where the time of one batch assessment goes, phase by phase,
// so that the end-to-end figure of bench/run can be acted on.
//
//   phase_bench ANSWERS_JSONL
//
// For every line, with the default rules, times what `kneecheck assess
// --batch` does (src/cli/batch.cpp): plain_answers, check_answers, score and
// write_json, and apart from that the JsonLogic conditions alone (every derived
// value, red flag, cause's applies_if, indicator and routine reason evaluated
// once against the answers with derived values). Writes one JSON object of µs
// per answer set to standard output.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/json.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/json_writer.hpp"
#include "kneecheck/logic/logic.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/rules/rules.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double us(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::micro>(b - a).count(); }

}  // namespace

int main(int argc, char** argv) {
  using namespace kneecheck;
  if (argc != 2) {
    std::cerr << "usage: phase_bench ANSWERS_JSONL\n";
    return 2;
  }
  std::ifstream input(argv[1]);
  if (!input) {
    std::cerr << "phase_bench: cannot read " << argv[1] << '\n';
    return 2;
  }
  auto rules = load_default_rules();
  if (!rules) {
    std::cerr << "phase_bench: the default rules do not load: " << rules.error().message << '\n';
    return 1;
  }
  auto date = Date::parse("2026-01-01");
  if (!date) return 1;

  double parse = 0, check = 0, scoring = 0, write = 0, conditions = 0;
  logic::Scratch scratch;
  std::size_t count = 0, bytes = 0, evaluations = 0, matched = 0;
  std::string line;
  std::string text;
  const JsonLiterals rule_texts = json_literals(*rules);  // as src/batch.cpp has them
  while (std::getline(input, line)) {
    if (line.empty()) continue;
    // As src/batch.cpp reads, checks and scores a line of plain answers.
    auto t0 = Clock::now();
    auto answers = plain_answers(line, rules->slots);
    auto t1 = Clock::now();
    if (!answers) {
      std::cerr << "phase_bench: line " << count + 1 << " is not a plain answers object\n";
      return 1;
    }
    auto errors = check_answers(*rules, *answers);
    auto t2 = Clock::now();
    if (!errors.empty()) {
      std::cerr << "phase_bench: line " << count + 1 << " has invalid answers\n";
      return 1;
    }
    Assessment assessment = score(*rules, std::move(*answers), *date, {}, ScoreOptions{.evidence_of_unmatched = false});
    auto t3 = Clock::now();
    text.clear();
    JsonWriter record(text, -1, &rule_texts);
    write_json(record, assessment);
    auto t4 = Clock::now();
    parse += us(t0, t1);
    check += us(t1, t2);
    scoring += us(t2, t3);
    write += us(t3, t4);
    bytes += text.size();

    // The conditions alone, as score() evaluates them, on what they read:
    // the answers with derived values and history.
    const logic::Data& all = assessment.inputs;
    auto c0 = Clock::now();
    for (const auto& derived : rules->derived) matched += derived.value.evaluate(all, scratch).is_null() ? 0 : 1;
    for (const auto& flag : rules->red_flags) matched += flag.when.matches(all) ? 1 : 0;
    for (const auto& cause : rules->causes) {
      if (cause.applies_if) matched += cause.applies_if->matches(all) ? 1 : 0;
      for (const auto& indicator : cause.indicators) matched += indicator.when.matches(all) ? 1 : 0;
    }
    for (const auto& reason : rules->routine.reasons) matched += reason.when.matches(all) ? 1 : 0;
    auto c1 = Clock::now();
    conditions += us(c0, c1);
    ++count;
  }
  for (const auto& cause : rules->causes) evaluations += cause.indicators.size();
  for (const auto& cause : rules->causes) evaluations += cause.applies_if ? 1 : 0;
  evaluations += rules->derived.size() + rules->red_flags.size() + rules->routine.reasons.size();
  if (count == 0) {
    std::cerr << "phase_bench: no answer sets\n";
    return 1;
  }
  const double n = static_cast<double>(count);
  std::printf(
      "{\"count\": %zu, \"parse_us\": %.3f, \"check_us\": %.3f, \"score_us\": %.3f, \"write_us\": %.3f, "
      "\"total_us\": %.3f, \"conditions_us\": %.3f, \"conditions_per_set\": %zu, "
      "\"bytes_per_set\": %.0f, \"matched\": %zu}\n",
      count, parse / n, check / n, scoring / n, write / n, (parse + check + scoring + write) / n, conditions / n, evaluations, static_cast<double>(bytes) / n,
      matched);
  return 0;
}
