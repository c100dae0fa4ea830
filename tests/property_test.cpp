// Safety properties of the default rules, on generated answers: thousands of
// random complete answer sets per run, each made by walking the interview and
// choosing a valid answer to every question asked. For each:
//
//   * check_answers accepts it, unchanged;
//   * every red flag whose condition holds (evaluated here, from the rule
//     set, not from the engine's list) is reflected in the escalation, at its
//     level or a more pressing one, and the text report shows the escalation
//     before the first cause;
//   * scores are within 0..100 and agree with the weights of the indicators
//     that hold; the ranking is score, then matched weight, then rule-file
//     order, and scoring the same answers twice gives the same ranking;
//   * the JSON report and the text report list the causes in the same order;
//   * a batch, which reads plain answers straight into the rules' slots and
//     writes texts escaped once, writes the record the general way writes.
//
// The generator is seeded: the seed is printed, and KNEECHECK_PROPERTY_SEED
// replays a run (KNEECHECK_PROPERTY_COUNT changes how many sets it makes).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kneecheck/answers.hpp"
#include "kneecheck/batch.hpp"
#include "kneecheck/engine.hpp"
#include "kneecheck/interview.hpp"
#include "kneecheck/report.hpp"
#include "kneecheck/rules.hpp"

using kneecheck::Level;
using kneecheck::QuestionType;
using nlohmann::json;

namespace {

constexpr std::uint32_t kDefaultSeed = 20261125;
constexpr std::size_t kDefaultCount = 10000;

const kneecheck::RuleSet& default_rules() {
  static const kneecheck::RuleSet rules = [] {
    auto loaded = kneecheck::load_default_rules();
    if (!loaded) throw std::runtime_error("default rules do not load: " + loaded.error().message);
    return std::move(loaded).value();
  }();
  return rules;
}

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::stoull(text);
}

// The answers with the rule set's derived values, computed here from the
// rules so that the red-flag check does not lean on the engine.
json with_derived(const kneecheck::RuleSet& rules, const json& answers) {
  json data = answers;
  for (const auto& derived : rules.derived) {
    json value = derived.value.evaluate(data);
    if (!value.is_null()) data[derived.id] = value;
  }
  return data;
}

class AnswerGenerator {
 public:
  explicit AnswerGenerator(std::uint32_t seed) : random_(seed) {}

  // A complete answer set: the interview walked to its end. Answers drawn
  // uniformly raise some red flag nearly every time, so in "calm" sets (two
  // in five) an answer that would raise one given the answers so far is drawn
  // again, up to ten times: then sets without red flags, and the rankings
  // they show, are common too.
  json complete_answers(const kneecheck::RuleSet& rules) {
    kneecheck::Interview interview(rules);
    bool calm = chance(0.4);
    while (const kneecheck::Question* question = interview.current()) {
      std::optional<json> value = answer(*question);
      for (int attempt = 1; calm && attempt < 10 && raises_flag(rules, interview.answers(), *question, value); ++attempt) {
        value = answer(*question);
      }
      interview.answer(std::move(value));
    }
    return interview.answers();
  }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }

  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

  std::optional<json> answer(const kneecheck::Question& question) {
    if (question.optional && chance(0.15)) return std::nullopt;  // skipped
    switch (question.type) {
      case QuestionType::choice: return json(question.options[below(question.options.size())].value);
      case QuestionType::multi: return subset(question);
      case QuestionType::yes_no: return json(chance(0.5));
      case QuestionType::scale: return json(static_cast<long long>(below(11)));
      case QuestionType::number: return number(question);
    }
    return std::nullopt;
  }

  // Half the time "none" when the question offers it, otherwise any subset
  // (empty included), each option with a small chance, so that answer sets
  // with no red flag are as common as those with several.
  json subset(const kneecheck::Question& question) {
    bool has_none = question.find_option("none") != nullptr;
    if (has_none && chance(0.5)) return json::array({"none"});
    json chosen = json::array();
    for (const auto& option : question.options) {
      if (chance(0.15)) chosen.push_back(option.value);
    }
    return chosen;
  }

  // The ends of the range now and then, whole numbers mostly, fractions when
  // the question takes them.
  json number(const kneecheck::Question& question) {
    double value = 0;
    if (chance(0.1)) {
      value = question.min;
    } else if (chance(0.1)) {
      value = question.max;
    } else {
      value = std::uniform_real_distribution<double>(question.min, question.max)(random_);
      if (question.integer || chance(0.7)) value = std::floor(value);
    }
    if (value == std::floor(value)) return json(static_cast<long long>(value));
    return json(value);
  }

  static bool raises_flag(const kneecheck::RuleSet& rules, const json& so_far, const kneecheck::Question& question,
                          const std::optional<json>& value) {
    if (!value) return false;
    json tentative = so_far;
    tentative[question.id] = *value;
    json data = with_derived(rules, tentative);
    return std::any_of(rules.red_flags.begin(), rules.red_flags.end(),
                       [&](const kneecheck::RedFlag& flag) { return flag.when.matches(data); });
  }

  std::mt19937 random_;
};

std::size_t file_index(const kneecheck::RuleSet& rules, std::string_view cause_id) {
  for (std::size_t i = 0; i < rules.causes.size(); ++i) {
    if (rules.causes[i].id == cause_id) return i;
  }
  return rules.causes.size();
}

std::vector<std::string> ids_of(std::span<const kneecheck::CauseAssessment> causes) {
  std::vector<std::string> ids;
  for (const auto& cause : causes) ids.emplace_back(cause.id);
  return ids;
}

// One answer set's properties; the first that fails is returned as a message.
std::optional<std::string> violated(const kneecheck::RuleSet& rules, const json& generated,
                                    std::map<std::string, std::size_t>& tally) {
  const kneecheck::Date date{2026, 11, 25};
  auto check = kneecheck::check_answers(rules, generated);
  if (!check.errors.empty()) {
    return "check_answers rejects a complete interview's answers: " + check.errors.front().pointer + ": " +
           check.errors.front().message;
  }
  if (check.answers != generated) return "check_answers changed the answers: " + check.answers.dump();

  auto assessment = kneecheck::score(rules, check.answers, date);

  // Red flags, evaluated from the rule set.
  json data = with_derived(rules, check.answers);
  std::optional<Level> most_pressing;
  std::vector<std::string> holding;
  for (const auto& flag : rules.red_flags) {
    if (!flag.when.matches(data)) continue;
    holding.push_back(flag.id);
    if (!most_pressing || flag.level < *most_pressing) most_pressing = flag.level;
  }
  ++tally[most_pressing ? std::string(kneecheck::to_string(*most_pressing)) : "no red flag"];
  if (most_pressing && assessment.escalation.level > *most_pressing) {
    return "red flag at level " + std::string(kneecheck::to_string(*most_pressing)) + " holds, escalation is only " +
           std::string(kneecheck::to_string(assessment.escalation.level));
  }
  std::vector<std::string> raised;
  for (const auto& flag : assessment.red_flags) raised.emplace_back(flag.id);
  std::sort(raised.begin(), raised.end());
  std::sort(holding.begin(), holding.end());
  if (raised != holding) return "the report's red flags differ from those whose condition holds";

  // Scores and ranking.
  for (const auto& cause : assessment.causes) {
    if (cause.score < 0 || cause.score > 100) return "score out of 0..100 for " + std::string(cause.id);
    const auto& rule_cause = rules.causes[file_index(rules, cause.id)];
    double weight = 0;
    for (const auto& indicator : rule_cause.indicators) {
      if (indicator.when.matches(data)) weight += indicator.weight;
    }
    auto expected = static_cast<int>(std::lround(100.0 * std::min(1.0, weight / rules.scoring.full_weight)));
    if (cause.matched_weight != weight || cause.score != expected) {
      return "score of " + std::string(cause.id) + " is " + std::to_string(cause.score) + ", its indicators give " +
             std::to_string(expected);
    }
  }
  if (assessment.causes.size() != rules.causes.size()) return "not every cause is in the assessment";
  for (std::size_t i = 1; i < assessment.causes.size(); ++i) {
    const auto& a = assessment.causes[i - 1];
    const auto& b = assessment.causes[i];
    bool in_order = a.score != b.score                   ? a.score > b.score
                    : a.matched_weight != b.matched_weight ? a.matched_weight > b.matched_weight
                                                           : file_index(rules, a.id) < file_index(rules, b.id);
    if (!in_order) return "causes out of order: " + std::string(a.id) + " before " + std::string(b.id);
  }
  auto again = kneecheck::score(rules, check.answers, date);
  if (ids_of(again.causes) != ids_of(assessment.causes)) return "scoring the same answers twice ranks differently";

  // The text report: escalation first when a red flag holds; causes in order.
  std::string text = kneecheck::render_text(assessment, {80, false, false, false});
  auto escalation_at = text.find("\n" + std::string(80, '=') + "\n");
  auto causes_at = text.find("\nLikely causes");
  if (escalation_at == std::string::npos || causes_at == std::string::npos) return "text report lacks a section";
  std::string level_mark = "(" + std::string(kneecheck::to_string(assessment.escalation.level)) + ")";
  if (text.find(level_mark, escalation_at) == std::string::npos) return "text report does not name the level";
  if (most_pressing && escalation_at > causes_at) return "red flag, but the text report shows causes first";

  // The JSON report lists every cause, ranked; the text ranks those indicated
  // ("1. Title", ...) and names the rest, in the same order.
  auto report = kneecheck::to_json(assessment);
  std::vector<std::string> json_ids;
  std::size_t position = causes_at;
  int rank = 0;
  std::string not_indicated;
  for (const auto& cause : report["causes"]) {
    json_ids.push_back(cause["id"].get<std::string>());
    const auto& title = cause["title"].get_ref<const std::string&>();
    if (cause["matched"].empty()) {
      not_indicated += (not_indicated.empty() ? "" : "; ") + title;
      continue;
    }
    auto at = text.find("\n" + std::to_string(++rank) + ". " + title + "\n", position);
    if (at == std::string::npos) return "text report does not show " + title + " at rank " + std::to_string(rank);
    position = at;
  }
  if (json_ids != ids_of(assessment.causes)) return "JSON report lists the causes in another order";
  if (report["any_cause_indicated"].get<bool>() && !not_indicated.empty()) {
    // The list may be wrapped: compare without line breaks and indents.
    std::string flat;
    for (std::size_t i = position; i < text.size(); ++i) {
      if (text[i] == '\n') {
        while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
        flat += ' ';
      } else {
        flat += text[i];
      }
    }
    if (flat.find("Not pointed to by your answers: " + not_indicated + ".") == std::string::npos) {
      return "text report names the causes not pointed to in another order";
    }
  }
  if (report["escalation"]["level"] != kneecheck::to_string(assessment.escalation.level)) {
    return "JSON and text reports give different levels";
  }

  std::istringstream line(generated.dump() + "\n");
  std::ostringstream record;
  kneecheck::run_batch(rules, line, record, date);
  if (record.str() != kneecheck::render_json(assessment, false, -1) + "\n") {
    return "the batch record differs from the JSON report: " + record.str();
  }
  ++tally[assessment.any_cause_indicated() ? "a cause indicated" : "no cause indicated"];
  return std::nullopt;
}

}  // namespace

// The name stays short: Catch2 2.13's console reporter loops forever wrapping
// some long names.
TEST_CASE("Generated answers, seed 20261125 or KNEECHECK_PROPERTY_SEED: safety properties", "[property]") {
  auto seed = static_cast<std::uint32_t>(env_number("KNEECHECK_PROPERTY_SEED", kDefaultSeed));
  auto count = static_cast<std::size_t>(env_number("KNEECHECK_PROPERTY_COUNT", kDefaultCount));
  const auto& rules = default_rules();
  AnswerGenerator generator(seed);
  std::map<std::string, std::size_t> tally;
  INFO("seed " << seed << " (KNEECHECK_PROPERTY_SEED=" << seed << " replays this run)");
  for (std::size_t i = 0; i < count; ++i) {
    json answers = generator.complete_answers(rules);
    if (auto problem = violated(rules, answers, tally)) {
      FAIL("answer set " << i << " of seed " << seed << ": " << *problem << "\nanswers: " << answers.dump());
    }
  }
  std::ostringstream summary;
  summary << count << " answer sets, seed " << seed << ":";
  for (const auto& [what, n] : tally) summary << " " << what << " " << n << ";";
  WARN(summary.str());
  // The generator must reach every outcome, or the properties are tested on
  // part of the space only.
  CHECK(tally["urgent"] > count / 20);
  CHECK(tally["soon"] > count / 100);
  CHECK(tally["no red flag"] > count / 20);
  CHECK(tally["a cause indicated"] > count / 2);
  CHECK(tally["no cause indicated"] > 0);
}
