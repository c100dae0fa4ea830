// Every human format, for runners' answer sets at each level (urgent, soon,
// routine, and self-care with causes level at the top), read as a runner and
// a physio would: what to do comes first, the text says it in words rather
// than ids, and every piece of advice cites a source that the list resolves.
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/report.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

struct AnswerSet {
  std::string name;  // a case in data/cases
  kneecheck::Level level;
};

const std::vector<AnswerSet>& answer_sets() {
  static const std::vector<AnswerSet> sets = {
      {"red_flag_groin_pain_bone_stress", kneecheck::Level::urgent},
      {"edge_giving_way_long_after_an_injury", kneecheck::Level::soon},
      {"persistence_routine", kneecheck::Level::routine},
      {"edge_outer_knee_level_causes", kneecheck::Level::self_care},
      {"top_overuse_training_errors_1", kneecheck::Level::self_care},
  };
  return sets;
}

kneecheck::Assessment assess(const std::string& name) {
  const auto& rules = kneecheck::testing::default_rules();
  json scenario = json::parse(
      kneecheck::testing::read_text(std::string(KNEECHECK_SOURCE_DIR) + "/data/cases/" + name + ".json"));
  return kneecheck::score(rules, kneecheck::testing::slots_of(rules, scenario["answers"]), kneecheck::Date{2026, 11, 25});
}

// The ids a runner must never read: every id with an underscore of a
// question, option, derived value, red flag, cause or level.
std::set<std::string> ids_with_underscores(const kneecheck::RuleSet& rules) {
  std::set<std::string> ids = {"self_care"};
  auto add = [&](const std::string& id) {
    if (id.find('_') != std::string::npos) ids.insert(id);
  };
  for (const auto& question : rules.questions) {
    add(question.id);
    for (const auto& option : question.options) add(option.value);
  }
  for (const auto& value : rules.derived) add(value.id);
  for (const auto& flag : rules.red_flags) add(flag.id);
  for (const auto& cause : rules.causes) add(cause.id);
  return ids;
}

// What a browser shows: no style sheet, no tags, the five references decoded.
std::string visible_html(const std::string& html) {
  std::string text = std::regex_replace(html, std::regex("<style>[\\s\\S]*?</style>"), " ");
  text = std::regex_replace(text, std::regex("<[^>]*>"), " ");
  for (auto [entity, character] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    text = std::regex_replace(text, std::regex(entity), character);
  }
  return text;
}

// What a Markdown viewer shows of our escapes.
std::string visible_markdown(const std::string& markdown) { return std::regex_replace(markdown, std::regex("\\\\(.)"), "$1"); }

void check_no_ids(const std::string& format, const std::string& text, const std::set<std::string>& ids) {
  for (const auto& id : ids) {
    INFO(format << " shows the id " << id);
    CHECK(text.find(id) == std::string::npos);
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

}  // namespace

TEST_CASE("every format says what to do before any cause, for runners at each level", "[report][sets]") {
  for (const auto& set : answer_sets()) {
    INFO(set.name);
    auto assessment = assess(set.name);
    REQUIRE(assessment.escalation.level == set.level);
    std::string headline = kneecheck::headline(assessment.escalation);
    std::string text = kneecheck::render_text(assessment, {});
    std::string markdown = kneecheck::render_markdown(assessment);
    std::string html = kneecheck::render_html(assessment);
    CHECK(text.find(kneecheck::to_upper(headline)) < text.find("\nLikely causes"));
    CHECK(markdown.find(headline) < markdown.find("\n## Likely causes"));
    CHECK(html.find(headline) < html.find("id=\"causes\""));
    if (set.level == kneecheck::Level::urgent) {
      // Under an urgent sign: no ranking, no actions, no advice.
      for (const std::string* report : {&text, &markdown, &html}) {
        CHECK(report->find("/100") == std::string::npos);
        CHECK(report->find("This week") == std::string::npos);
        CHECK(report->find("What helps") == std::string::npos);
      }
    } else if (assessment.any_cause_indicated()) {
      std::string top(assessment.causes.front().title);
      CHECK(text.find(top) < text.find("\nLikely causes"));  // named in the summary
    }
  }
}

TEST_CASE("no id with an underscore reaches the words a runner reads", "[report][sets]") {
  auto ids = ids_with_underscores(kneecheck::testing::default_rules());
  for (const auto& set : answer_sets()) {
    INFO(set.name);
    auto assessment = assess(set.name);
    check_no_ids("text", kneecheck::render_text(assessment, {}), ids);
    check_no_ids("Markdown", visible_markdown(kneecheck::render_markdown(assessment)), ids);
    check_no_ids("HTML", visible_html(kneecheck::render_html(assessment)), ids);
  }
}

TEST_CASE("every piece of advice shown cites a source the list resolves", "[report][sets]") {
  for (const auto& set : answer_sets()) {
    INFO(set.name);
    auto assessment = assess(set.name);
    auto content = kneecheck::report_content(assessment, false);
    std::set<int> listed;
    for (const auto& source : content.sources) {
      listed.insert(source.number);
      CHECK_FALSE(source.text.empty());
    }
    std::vector<const kneecheck::Cited*> advice;
    for (const auto& action : content.summary.actions) advice.push_back(&action);
    for (const auto& cause : content.details.causes) {
      for (const auto& item : cause.advice) advice.push_back(&item);
    }
    for (const auto& item : content.details.general_advice) advice.push_back(&item);
    for (const auto* item : advice) {
      INFO(item->text);
      CHECK_FALSE(item->references.empty());
      for (int number : item->references) CHECK(listed.count(number) == 1);
    }
    // Each format lists what it cites: the text's list, Markdown's, and
    // HTML's anchors.
    std::string text = kneecheck::render_text(assessment, {});
    std::string html = kneecheck::render_html(assessment);
    std::string markdown = kneecheck::render_markdown(assessment);
    for (int number : listed) {
      CHECK_THAT(text, Catch::Contains(fmt::format("\n{:>2}. ", number)));
      CHECK_THAT(markdown, Catch::Contains(fmt::format("\n{}. ", number)));
      CHECK_THAT(html, Catch::Contains(fmt::format("<li id=\"source-{}\"", number)));
    }
    for (std::size_t at = html.find("href=\"#source-"); at != std::string::npos; at = html.find("href=\"#source-", at + 1)) {
      int number = std::stoi(html.substr(at + 14));
      CHECK(listed.count(number) == 1);
    }
  }
}

TEST_CASE("at 80 columns the first 24 lines say what to do and the most likely cause", "[report][sets]") {
  for (const auto& set : answer_sets()) {
    INFO(set.name);
    auto assessment = assess(set.name);
    auto lines = lines_of(kneecheck::render_text(assessment, {80, false, false}));
    REQUIRE(lines.size() > 24);
    std::string screen;
    for (std::size_t i = 0; i < 24; ++i) screen += lines[i] + "\n";
    CHECK_THAT(screen, Catch::Contains(kneecheck::to_upper(kneecheck::headline(assessment.escalation))));
    if (set.level != kneecheck::Level::urgent && assessment.any_cause_indicated()) {
      CHECK_THAT(screen, Catch::Contains(std::string(assessment.causes.front().title)));
    }
  }
}

TEST_CASE("causes level at the top are named together, as joint", "[report][sets]") {
  auto assessment = assess("edge_outer_knee_level_causes");
  REQUIRE(assessment.summary.leading.size() >= 2);
  std::string text = kneecheck::render_text(assessment, {});
  // Two weak pointers, level: the summary says nothing stands out.
  CHECK_THAT(text, Catch::Contains("Nothing stands out. The strongest pointers, level and weak:"));
  for (std::size_t index : assessment.summary.leading) {
    CHECK_THAT(text, Catch::Contains("1= " + std::string(assessment.causes[index].title) + " (joint first)"));
  }
}
