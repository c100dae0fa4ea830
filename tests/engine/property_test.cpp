// Safety properties of the default rules, on generated answers: thousands of
// random complete answer sets per run, each made by walking the interview and
// choosing a valid answer to every question asked. For each:
//
//   * check_answers accepts it, unchanged;
//   * every red flag whose condition holds (evaluated here, from the rule
//     set, not from the engine's list) is reflected in the escalation, at its
//     level or a more pressing one, and the text report shows the escalation
//     before the first cause;
//   * scores are within 0..100 and agree with the points of the indicators
//     that hold; the ranking is score, then the strongest indicator, then
//     the number matched, then rule-file order, causes equal on all three
//     share a rank, only a cause that leads every other by the rules' lead
//     is "high", and scoring the same answers twice gives the same ranking;
//   * pain of 9 or 10 never ends in self-care or routine;
//   * under an urgent flag no report format contains any advice text, and
//     where a flag withholds load advice, none contains a load advice text;
//   * piped in as typed lines, an answer set with an urgent flag stops the
//     interview at the first urgent answer: the lines after it are not read,
//     and the answers so far are a valid answers file;
//   * the JSON report and the text report list the causes in the same order;
//   * a batch, which reads plain answers straight into the rules' slots and
//     writes texts escaped once, writes the record the general way writes.
//
// The generator is seeded: the seed is printed, and KNEECHECK_PROPERTY_SEED
// replays a run (KNEECHECK_PROPERTY_COUNT changes how many sets it makes).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/batch.hpp"
#include "kneecheck/answers/answers.hpp"
#include "kneecheck/answers/flags.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/interview/session.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/report/wording.hpp"
#include "kneecheck/rules/rules.hpp"
#include "test_support.hpp"

using kneecheck::Level;
using kneecheck::QuestionType;
using nlohmann::json;

namespace {

constexpr std::uint32_t kDefaultSeed = 20261125;
constexpr std::size_t kDefaultCount = 10000;

using kneecheck::testing::default_rules;

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
  // (empty included, unless the question needs a choice), each option with a
  // small chance, so that answer sets with no red flag are as common as
  // those with several. An exclusive option is chosen only on its own.
  json subset(const kneecheck::Question& question) {
    bool has_none = question.find_option("none") != nullptr;
    if (has_none && chance(0.5)) return json::array({"none"});
    json chosen = json::array();
    for (const auto& option : question.options) {
      if (!option.exclusive && chance(0.15)) chosen.push_back(option.value);
    }
    while (chosen.size() < question.min_choices) {
      const auto& option = question.options[below(question.options.size())];
      if (!option.exclusive && std::find(chosen.begin(), chosen.end(), option.value) == chosen.end()) {
        chosen.push_back(option.value);
      }
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
                       [&](const kneecheck::RedFlag& flag) { return flag.when.when.matches(data); });
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

// An indicator's points as the rules define them, evaluated here.
double points_of(const kneecheck::Indicator& indicator, const json& data) {
  if (!indicator.when.when.matches(data)) return 0;
  if (!indicator.graded_points) return indicator.points;
  json value = indicator.graded_points->evaluate(data);
  return value.is_number() && value.get<double>() > 0 ? std::min(value.get<double>(), kneecheck::kMaxPoints) : 0;
}

struct Expected {
  double points = 0;
  double strongest = 0;
  std::size_t matched = 0;
  int score = 0;
};

std::optional<std::string> scoring_violated(const kneecheck::RuleSet& rules, const kneecheck::Assessment& assessment,
                                            const json& data) {
  if (assessment.causes.size() != rules.causes.size()) return "not every cause is in the assessment";
  std::map<std::string, Expected> expected;
  for (const auto& cause : rules.causes) {
    Expected& e = expected[cause.id];
    bool applies = !cause.applies_if || cause.applies_if->matches(data);
    for (const auto& indicator : cause.indicators) {
      double points = applies ? points_of(indicator, data) : 0;
      if (points <= 0) continue;
      e.points += points;
      e.strongest = std::max(e.strongest, points);
      ++e.matched;
    }
    e.score = static_cast<int>(std::lround(100.0 * std::min(1.0, e.points / rules.scoring.full_weight)));
  }
  for (const auto& cause : assessment.causes) {
    const Expected& e = expected[std::string(cause.id)];
    if (cause.score < 0 || cause.score > 100) return "score out of 0..100 for " + std::string(cause.id);
    if (cause.score != e.score || cause.matched.size() != e.matched || cause.strongest != e.strongest) {
      return "score of " + std::string(cause.id) + " is " + std::to_string(cause.score) + ", its indicators give " +
             std::to_string(e.score);
    }
  }
  auto key = [](const kneecheck::CauseAssessment& c) { return std::make_tuple(c.score, c.strongest, c.matched.size()); };
  for (std::size_t i = 1; i < assessment.causes.size(); ++i) {
    const auto& a = assessment.causes[i - 1];
    const auto& b = assessment.causes[i];
    bool level = key(a) == key(b);
    bool in_order = level ? file_index(rules, a.id) < file_index(rules, b.id) : key(a) > key(b);
    if (!in_order) return "causes out of order: " + std::string(a.id) + " before " + std::string(b.id);
    if (level != (a.rank == b.rank)) return "causes level on every tie-break must share a rank, and only they";
  }
  for (const auto& cause : assessment.causes) {
    int best_other = 0;
    for (const auto& other : assessment.causes) {
      if (&other != &cause) best_other = std::max(best_other, other.score);
    }
    bool high = cause.score >= rules.scoring.high && cause.score - best_other >= rules.scoring.lead;
    if (high != (cause.band == kneecheck::Band::high)) {
      return std::string(cause.id) + " is " + std::string(kneecheck::to_string(cause.band)) +
             " although it scores " + std::to_string(cause.score) + " against " + std::to_string(best_other);
    }
  }
  return std::nullopt;
}

// A report as plain words: markup and escapes taken out, whitespace made
// single spaces, so that a rule text is found however a format wraps it.
std::string plain_words(const std::string& report) {
  std::string text = report;
  for (const auto& [entity, character] : std::vector<std::pair<std::string, std::string>>{
           {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, entity.size(), character);
    }
  }
  std::string out;
  for (char c : text) {
    if (c == '\\') continue;
    if (c == '\n' || c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

// Every advice text the rules have, which kinds an assessment must not show.
std::optional<std::string> withheld_advice_shown(const kneecheck::RuleSet& rules,
                                                 const kneecheck::Assessment& assessment) {
  if (assessment.withheld == kneecheck::Withheld::none) return std::nullopt;
  std::vector<std::string> forbidden;
  auto add = [&](const kneecheck::Advice& advice) {
    if (assessment.withheld == kneecheck::Withheld::all || advice.load) forbidden.push_back(plain_words(advice.text));
  };
  for (const auto& cause : rules.causes) {
    for (const auto& advice : cause.advice) add(advice);
  }
  for (const auto& advice : rules.general_advice) add(advice);
  std::vector<std::pair<std::string, std::string>> reports = {
      {"text", kneecheck::render_text(assessment, {80, false, false, false})},
      {"markdown", kneecheck::render_markdown(assessment)},
      {"HTML", kneecheck::render_html(assessment)},
      {"JSON", kneecheck::render_json(assessment)}};
  for (const auto& [format, report] : reports) {
    std::string words = plain_words(report);
    for (const auto& text : forbidden) {
      if (words.find(text) != std::string::npos) {
        return "the " + format + " report shows advice that a red flag withholds (" +
               std::string(kneecheck::to_string(assessment.withheld)) + "): " + text.substr(0, 60);
      }
    }
  }
  return std::nullopt;
}

// The line a person would type for `value` as the answer to `question`.
std::string typed_line(const kneecheck::Question& question, const json* value) {
  if (value == nullptr) return "";
  auto number_of = [&](const json& item) {
    for (std::size_t i = 0; i < question.options.size(); ++i) {
      if (question.options[i].value == item.get<std::string>()) return std::to_string(i + 1);
    }
    return std::string("?");
  };
  if (value->is_boolean()) return value->get<bool>() ? "y" : "n";
  if (value->is_string()) return number_of(*value);
  if (value->is_array()) {
    std::string line;
    for (const auto& item : *value) {
      if (!line.empty()) line += ',';
      line += number_of(item);
    }
    return line;
  }
  return value->dump();
}

// Pipes the answers in as typed lines, with lines of nonsense after them:
// the interview must stop at the first urgent answer without reading on.
std::optional<std::string> urgent_stops_the_pipe(const kneecheck::RuleSet& rules, const json& answers) {
  std::string lines;
  kneecheck::Interview walk(rules);
  while (const kneecheck::Question* question = walk.current()) {
    auto given = answers.find(question->id);
    const json* value = given == answers.end() ? nullptr : &*given;
    lines += typed_line(*question, value) + "\n";
    walk.answer(value == nullptr ? std::nullopt : std::optional<json>(*value));
  }
  const std::string kNonsense = "not an answer at all\n";
  std::istringstream input(lines + kNonsense + kNonsense);
  std::ostringstream prompts;
  kneecheck::Interview interview(rules);
  auto result = kneecheck::run_typed_interview(interview, input, prompts, {});
  if (result.outcome != kneecheck::InterviewOutcome::stopped_at_urgent &&
      result.outcome != kneecheck::InterviewOutcome::completed) {
    return "a piped interview with an urgent answer ended with: " + result.message;
  }
  std::string rest(std::istreambuf_iterator<char>(input), {});
  if (rest.size() < 2 * kNonsense.size()) return "the piped interview read past its end";
  if (result.outcome == kneecheck::InterviewOutcome::stopped_at_urgent && rest == kNonsense + kNonsense) {
    return "the piped interview stopped at an urgent answer only after reading every line";
  }
  auto stopped = kneecheck::check_answers(rules, result.answers);
  if (!stopped.errors.empty()) {
    return "the answers up to the urgent stop are not a valid answers file: " + stopped.errors.front().pointer + " " +
           stopped.errors.front().message;
  }
  return std::nullopt;
}

// The text report ranks the causes indicated ("1. Title", "2= Title", ...) as
// the JSON report does, and names the rest, in the same order.
std::optional<std::string> ranking_in_text_violated(const kneecheck::Assessment& assessment, const std::string& text,
                                                    std::size_t causes_at, bool level_after_causes) {
  if (causes_at == std::string::npos) return "text report lacks the causes";
  if (level_after_causes) return "the text report shows causes before what to do now";
  auto report = kneecheck::to_json(assessment);
  std::size_t position = causes_at;
  std::string not_indicated;
  for (const auto& cause : report["causes"]) {
    const auto& title = cause["title"].get_ref<const std::string&>();
    if (cause["matched"].empty()) {
      not_indicated += (not_indicated.empty() ? "" : "; ") + title;
      continue;
    }
    std::string label = std::to_string(cause["rank"].get<int>()) + (cause["level_with"].empty() ? "." : "=");
    // A cause level with another says so after its title: "2= Title (joint second)".
    std::string heading = "\n" + label + " " + title;
    auto at = text.find(heading, position);
    while (at != std::string::npos && text[at + heading.size()] != '\n' && text.compare(at + heading.size(), 8, " (joint ") != 0) {
      at = text.find(heading, at + 1);
    }
    if (at == std::string::npos) return "text report does not show " + title + " as " + label;
    bool said_joint = text.compare(at + heading.size(), 8, " (joint ") == 0;
    if (said_joint != !cause["level_with"].empty()) return "text report does not say that " + title + " is level";
    position = at;
  }
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
  return std::nullopt;
}

std::vector<std::string> ids_of_json(const nlohmann::ordered_json& report) {
  std::vector<std::string> ids;
  for (const auto& cause : report["causes"]) ids.push_back(cause["id"].get<std::string>());
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
  const json answers = kneecheck::answers_json(rules, check.answers);
  if (answers != generated) return "check_answers changed the answers: " + answers.dump();

  auto assessment = kneecheck::score(rules, std::move(check.answers), date);

  // Red flags, evaluated from the rule set.
  json data = with_derived(rules, answers);
  std::optional<Level> most_pressing;
  std::vector<std::string> holding;
  for (const auto& flag : rules.red_flags) {
    if (!flag.when.when.matches(data)) continue;
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
  if (auto problem = scoring_violated(rules, assessment, data)) return problem;
  auto again = kneecheck::score(rules, kneecheck::check_answers(rules, answers).answers, date);
  if (ids_of(again.causes) != ids_of(assessment.causes)) return "scoring the same answers twice ranks differently";

  // Safety: severe pain is never left to self-care, and no advice contradicts
  // a flag.
  auto pain = answers.find("pain_running");
  if (pain != answers.end() && pain->get<double>() >= 9 && assessment.escalation.level > Level::soon) {
    return "pain of 9 or more, but the escalation is only " + std::string(kneecheck::to_string(assessment.escalation.level));
  }
  if (auto problem = withheld_advice_shown(rules, assessment)) return problem;
  if (most_pressing == Level::urgent) {
    if (auto problem = urgent_stops_the_pipe(rules, generated)) return problem;
  }

  // The text report: what to do now first, in words; then causes in order.
  std::string text = kneecheck::render_text(assessment, {80, false, false, false});
  auto escalation_at = text.find("\n" + std::string(80, '=') + "\n");
  auto causes_at = text.find("\nLikely causes");
  if (escalation_at == std::string::npos) return "text report lacks the escalation";
  std::string headline = kneecheck::to_upper(kneecheck::headline(assessment.escalation));
  if (text.find(headline, escalation_at) == std::string::npos) return "text report does not say what to do now";
  // No id of a level reaches the words a runner reads.
  if (text.find("self_care") != std::string::npos) return "text report shows a level's id";
  if (assessment.withheld == kneecheck::Withheld::all) {
    // Under an urgent flag causes are not presented as likely, nor scored.
    if (causes_at != std::string::npos || text.find("/100") != std::string::npos) {
      return "urgent, but the text report presents likely causes with scores";
    }
    ++tally["urgent: causes only to discuss"];
  } else if (auto problem = ranking_in_text_violated(assessment, text, causes_at, escalation_at > causes_at)) {
    return problem;
  }

  auto report = kneecheck::to_json(assessment);
  if (ids_of_json(report) != ids_of(assessment.causes)) return "JSON report lists the causes in another order";
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
