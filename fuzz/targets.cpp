// The fuzz target bodies; see targets.hpp.
#include "targets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/flags.hpp"
#include "kneecheck/answers/json.hpp"
#include "kneecheck/interview/session.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"
#include "kneecheck/interview/interview.hpp"
#include "base/json_fast_parse.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/logic/logic.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck::logic {
// Declared again so that the fast evaluation path below is used when the
// logic unit has it (Data and Scratch) and skipped when it does not.
class Data;
class Scratch;
}  // namespace kneecheck::logic

namespace kneecheck::fuzz {
namespace {

using nlohmann::json;

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

const RuleSet& default_rules() {
  static const RuleSet rules = [] {
    auto loaded = load_default_rules();
    if (!loaded) fuzz_fail("the default rules do not load");
    return std::move(loaded).value();
  }();
  return rules;
}

const Date kDate{2026, 11, 25};

// Scores answers that passed check_answers and renders both reports,
// checking what the engine promises about the result.
void score_and_report(const RuleSet& rules, logic::Data answers) {
  const Assessment assessment = score(rules, std::move(answers), kDate);
  if (assessment.causes.size() != rules.causes.size()) fuzz_fail("score() lost or added a cause");
  for (const auto& cause : assessment.causes) {
    if (cause.score < 0 || cause.score > 100) fuzz_fail("a cause scored outside 0..100");
  }
  const std::string text = render_text(assessment, TextOptions{});
  if (text.empty()) fuzz_fail("render_text() gave an empty report");
  const std::string dumped = to_json(assessment).dump();
  if (!json::accept(dumped)) fuzz_fail("to_json() gave JSON that does not parse back");
}

// JSON equality that counts NaN equal to NaN and 1 equal to 1.0.
bool same_json(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    return (std::isnan(x) && std::isnan(y)) || x == y;
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const auto other = b.find(it.key());
      if (other == b.end() || !same_json(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

int json_depth(const json& value) {
  int deepest = 0;
  if (value.is_structured()) {
    for (const auto& item : value) deepest = std::max(deepest, json_depth(item));
    return deepest + 1;
  }
  return 0;
}

// == counts 1, 1u and 1.0 equal, and dump() writes -0 (an integer) as 0.
bool same_types(const json& a, const json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_types(a[i], b[i])) return false;
    }
  }
  if (a.is_object()) {
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
      if (x.key() != y.key() || !same_types(x.value(), y.value())) return false;
    }
  }
  return true;
}

// Whatever the fast JSON parser accepts, nlohmann must parse to the same
// document, types included, and parse_json's checks, which it skips then,
// must have nothing to refuse.
void check_fast_json(std::string_view text) {
  const auto fast = fast_parse_json(text);
  if (!fast) return;
  if (text.substr(0, 3) == "\xEF\xBB\xBF" || text.find('\0') != std::string_view::npos || invalid_utf8_at(text)) {
    fuzz_fail("the fast JSON parser accepts a byte order mark, a NUL byte or bytes that are not UTF-8");
  }
  if (json_depth(*fast) > kMaxJsonDepth) fuzz_fail("the fast JSON parser accepts nesting deeper than kMaxJsonDepth");
  json expected;
  try {
    expected = json::parse(text.begin(), text.end());
  } catch (const json::exception&) {
    fuzz_fail("the fast JSON parser accepts what nlohmann rejects");
  }
  if (*fast != expected || fast->dump() != expected.dump() || !same_types(*fast, expected)) {
    std::fprintf(stderr, "fast %s\nnlohmann %s\n", fast->dump().c_str(), expected.dump().c_str());
    fuzz_fail("the fast JSON parser and nlohmann disagree");
  }
}

// Slot by slot: absent, or the same JSON, integers and floats told apart.
std::string slots_dump(const logic::Data& data) {
  std::string text;
  for (std::size_t slot = 0; slot < data.slots().size(); ++slot) {
    auto value = data.get(slot);
    text += value ? value->to_json().dump() : "(absent)";
    text += value && value->is_json_integer() ? " int\n" : "\n";
  }
  return text;
}

// Whatever plain_answers reads, parse_json must accept, and
// from_json of its document must fill the same slots with the same values;
// checking either gives the same answers and problems.
void check_flat_object(const RuleSet& rules, std::string_view text) {
  auto flat = plain_answers(text, rules.slots);
  if (!flat) return;
  auto document = parse_json(text);
  if (!document) fuzz_fail("plain_answers reads what parse_json rejects");
  logic::Data general = logic::Data::from_json(*document, rules.slots);
  if (slots_dump(*flat) != slots_dump(general) || !general.unslotted_names().empty()) {
    std::fprintf(stderr, "flat\n%sgeneral\n%s", slots_dump(*flat).c_str(), slots_dump(general).c_str());
    fuzz_fail("plain_answers and parse_json + from_json disagree");
  }
  const auto flat_errors = check_answers(rules, *flat);
  const CheckedAnswers general_check = check_answers(rules, *document);
  if (flat_errors.size() != general_check.errors.size()) fuzz_fail("check_answers on Data and on JSON disagree");
  for (std::size_t i = 0; i < flat_errors.size(); ++i) {
    if (flat_errors[i].message != general_check.errors[i].message ||
        flat_errors[i].pointer != general_check.errors[i].pointer) {
      fuzz_fail("check_answers on Data and on JSON give other problems");
    }
  }
  if (slots_dump(*flat) != slots_dump(general_check.answers)) {
    fuzz_fail("check_answers on Data and on JSON keep other answers");
  }
}

// The fast path (prepared Data, Scratch) must agree with evaluation in place.
template <typename D = logic::Data, typename S = logic::Scratch>
void check_fast_path(const logic::Expression& expression, const json& data, const json& in_place) {
  if constexpr (requires { sizeof(D) + sizeof(S); }) {
    const D prepared = D::from_json(data);
    S scratch;
    const json fast = expression.evaluate(prepared, scratch).to_json();
    if (!same_json(fast, in_place)) {
      std::fprintf(stderr, "rule %s\ndata %s\nin place %s\nprepared %s\n", expression.rule().dump().c_str(),
                   data.dump().c_str(), in_place.dump().c_str(), fast.dump().c_str());
      fuzz_fail("evaluate(Data) and evaluate(json) disagree");
    }
    if (expression.matches(prepared) != logic::truthy(in_place)) fuzz_fail("matches(Data) disagrees with evaluate");
  }
}

void evaluate_checked(const logic::Expression& expression, const json& data) {
  const json result = expression.evaluate(data);
  if (expression.matches(data) != logic::truthy(result)) fuzz_fail("matches() disagrees with truthy(evaluate())");
  check_fast_path(expression, data, result);
}

// run_typed_interview over the rules from the start, whether it takes the
// rules or an Interview (the unit is changing from one to the other).
template <typename R, typename I = Interview>
TypedInterviewResult run_interview(const R& rules, std::istream& input, std::ostream& prompts,
                                   const TypedInterviewOptions& options) {
  if constexpr (requires { run_typed_interview(rules, input, prompts, options); }) {
    return run_typed_interview(rules, input, prompts, options);
  } else {
    I interview(rules);
    return run_typed_interview(interview, input, prompts, options);
  }
}

}  // namespace

void fuzz_fail(const char* what) {
  std::fprintf(stderr, "kneecheck fuzz: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

int fuzz_rules(const std::uint8_t* data, std::size_t size) {
  auto rules = load_rules(as_text(data, size));
  if (!rules) return 0;
  const json filled = json(answers_template(*rules));
  (void)check_answers(*rules, filled);
  (void)check_answers(*rules, json::object());
  return 0;
}

int fuzz_answers(const std::uint8_t* data, std::size_t size) {
  const RuleSet& rules = default_rules();
  check_fast_json(as_text(data, size));
  check_flat_object(rules, as_text(data, size));
  auto document = parse_json(as_text(data, size));
  if (!document) return 0;
  CheckedAnswers check = check_answers(rules, *document);
  if (!check.errors.empty()) return 0;
  score_and_report(rules, std::move(check.answers));
  return 0;
}

int fuzz_typed(const std::uint8_t* data, std::size_t size) {
  const RuleSet& rules = default_rules();
  const std::string text(as_text(data, size));
  for (const bool interactive : {false, true}) {
    std::istringstream input(text);
    std::ostringstream prompts;
    TypedInterviewOptions options;
    options.interactive = interactive;
    options.width = interactive ? 80 : 24;
    const TypedInterviewResult result = run_interview(rules, input, prompts, options);
    if (!finished(result.outcome)) {
      const bool needs_message =
          result.outcome == InterviewOutcome::input_ended || result.outcome == InterviewOutcome::invalid_answer;
      if (needs_message && result.message.empty()) {
        fuzz_fail("an interview that did not complete says nothing");
      }
      continue;
    }
    // What the interview accepts, the answers file must accept too, also
    // when it stopped at an urgent answer.
    CheckedAnswers check = check_answers(rules, result.answers);
    if (!check.errors.empty()) {
      std::fprintf(stderr, "answers %s\nfirst error: %s at %s\n", result.answers.dump().c_str(),
                   check.errors.front().message.c_str(), check.errors.front().pointer.c_str());
      fuzz_fail("check_answers rejects the answers of a completed interview");
    }
    score_and_report(rules, std::move(check.answers));
  }
  return 0;
}

int fuzz_logic(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_text(data, size);
  const std::size_t newline = text.find('\n');
  auto rule = parse_json(text.substr(0, newline));
  if (!rule) return 0;
  json data_json = nullptr;
  if (newline != std::string_view::npos) {
    auto parsed = parse_json(text.substr(newline + 1));
    if (parsed) data_json = std::move(*parsed);
  }
  auto expression = logic::Expression::compile(*rule, "/when");
  if (!expression) return 0;
  evaluate_checked(*expression, data_json);

  // As the engine evaluates conditions: against checked answers plus the
  // default rules' derived values.
  if (data_json.is_object()) {
    const RuleSet& rules = default_rules();
    CheckedAnswers check = check_answers(rules, data_json);
    if (check.errors.empty()) evaluate_checked(*expression, with_derived_values(rules, std::move(check.answers)));
  }
  return 0;
}

}  // namespace kneecheck::fuzz
