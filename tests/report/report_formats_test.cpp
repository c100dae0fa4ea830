// The Markdown and HTML reports: same content and order as the text report,
// and no text from a rule file or an answer can turn into markup.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "kneecheck/report/report.hpp"
#include "kneecheck/report/json.hpp"
#include "kneecheck/report/wording.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

const kneecheck::Date kDate{2026, 11, 25};

kneecheck::Assessment assess(const json& answers) {
  static const kneecheck::RuleSet rules = kneecheck::testing::minimal_rules();
  return kneecheck::score(rules, kneecheck::testing::slots_of(rules, answers), kDate);
}

const json kOveruse = {{"where", {"front"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 20}};
const json kBoth = {{"where", {"front", "outer"}}, {"onset", "gradual"}, {"pain", 2}, {"km", 40}, {"km_before", 20}};
const json kNoCause = {{"where", json::array()}, {"onset", "gradual"}, {"pain", 1}};
const json kLocked = {{"where", {"outer"}}, {"onset", "injury"}, {"locks", true}, {"pain", 3}};

constexpr std::string_view kScript = "<script>alert(1)</script>";
const std::string kHostile = std::string(kScript) + " & \"double\" 'single'";

// The minimal rules with markup in every text a report shows.
kneecheck::RuleSet hostile_rules() {
  json rules = kneecheck::testing::minimal_rules_json();
  rules["title"] = "Rules " + kHostile;
  rules["questions"][0]["options"][0]["label"] = "Front <b>bold</b> [click](http://evil.example)";
  rules["red_flags"][0]["message"] = "Flag " + kHostile;
  auto& cause = rules["causes"][0];
  cause["title"] = "Title " + kHostile;
  cause["summary"] = "- a list? # a heading? " + kHostile;
  cause["indicators"][1]["because"] = "Because " + kHostile + "\n# not a heading";
  cause["advice"][0]["text"] = "Advice " + kHostile + " ![img](http://evil.example/x.png)";
  rules["escalation"]["self_care"]["message"] = "Next " + kHostile;
  rules["disclaimer"]["text"] = "Disclaimer " + kHostile;
  rules["disclaimer"]["not_covered"] = {"Group " + kHostile};
  auto loaded = kneecheck::load_rules(rules.dump());
  REQUIRE(loaded);
  return std::move(loaded).value();
}

kneecheck::Assessment assess_hostile(const json& answers) {
  static const kneecheck::RuleSet rules = hostile_rules();  // outlives every Assessment that refers to it
  return kneecheck::score(rules, kneecheck::testing::slots_of(rules, answers), kDate);
}

std::size_t count(const std::string& text, std::string_view piece) {
  std::size_t n = 0;
  for (std::size_t at = text.find(piece); at != std::string::npos; at = text.find(piece, at + piece.size())) ++n;
  return n;
}

// Positions of `pieces` in `text`, each searched after the one before; npos
// for one not found there.
bool in_order(const std::string& text, const std::vector<std::string>& pieces) {
  std::size_t from = 0;
  for (const auto& piece : pieces) {
    std::size_t at = text.find(piece, from);
    if (at == std::string::npos) {
      UNSCOPED_INFO("not found in order: " << piece);
      return false;
    }
    from = at + piece.size();
  }
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

TEST_CASE("HTML: every text from the rules or the answers is escaped", "[report][html]") {
  for (const auto& answers : {kOveruse, kLocked}) {
    std::string html = kneecheck::render_html(assess_hostile(answers));
    CHECK(lower(html).find("<script") == std::string::npos);
    CHECK(html.find("<b>") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    // Every & starts one of the five references the escape function writes.
    for (std::size_t at = html.find('&'); at != std::string::npos; at = html.find('&', at + 1)) {
      std::string_view rest = std::string_view(html).substr(at);
      bool reference = rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                       rest.starts_with("&quot;") || rest.starts_with("&#39;");
      CHECK(reference);
    }
    CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#39;single&#39;"));
  }
  std::string html = kneecheck::render_html(assess_hostile(kOveruse));
  CHECK_THAT(html, Catch::Contains("<title>Rules &lt;script&gt;"));
  CHECK_THAT(html, Catch::Contains("<h3><span class=\"rank\">1.</span> Title &lt;script&gt;"));
  CHECK_THAT(html, Catch::Contains("Front &lt;b&gt;bold&lt;/b&gt;"));
  CHECK(count(html, "Title &lt;script&gt;") >= 4);  // the summary, the heading, the chart's label and its description
  std::string flagged = kneecheck::render_html(assess_hostile(kLocked));
  CHECK_THAT(flagged, Catch::Contains("Flag &lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_CASE("Markdown: no text from the rules or the answers becomes markup", "[report][markdown]") {
  std::string md = kneecheck::render_markdown(assess_hostile(kOveruse));
  CHECK_THAT(md, Catch::Contains(R"(\<script\>alert(1)\</script\> \& "double" 'single')"));
  // Every <, [, ], & is escaped, so no HTML, link, image or entity gets through.
  for (char special : {'<', '[', ']', '&'}) {
    for (std::size_t at = md.find(special); at != std::string::npos; at = md.find(special, at + 1)) {
      INFO("unescaped " << special << " in: " << md.substr(at > 20 ? at - 20 : 0, 40));
      CHECK((at > 0 && md[at - 1] == '\\'));
    }
  }
  // The only code span is the score bar of the one cause indicated.
  std::size_t backticks = 0;
  for (std::size_t at = md.find('`'); at != std::string::npos; at = md.find('`', at + 1)) {
    if (md[at - 1] != '\\') ++backticks;
  }
  CHECK(backticks == 2);
  CHECK_THAT(md, Catch::Contains(R"(Front \<b\>bold\</b\> \[click\](http://evil.example))"));
  CHECK_THAT(md, Catch::Contains(R"(!\[img\](http://evil.example/x.png))"));
  // A text that starts like a block, or holds a line break, stays in its line.
  CHECK_THAT(md, Catch::Contains("\n\\- a list? \\# a heading? "));
  CHECK_THAT(md, Catch::Contains("- Because \\<script\\>alert(1)\\</script\\> \\& \"double\" 'single' \\# not a heading"));
  CHECK_THAT(md, Catch::Contains("### 1. Title \\<script\\>"));
  CHECK(md.find("\n# not a heading") == std::string::npos);
}

TEST_CASE("HTML: the report's parts in order, what to do now first", "[report][html]") {
  std::string html = kneecheck::render_html(assess(kBoth));
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(in_order(html, {"<style>", "@media print", "@page", "counter(page)", "</style>", "<h1>Test rules</h1>",
                        "<time datetime=\"2026-11-25\">25 November 2026</time> · rules test-rules 0.1",
                        "class=\"escalation level-self_care\"", "Look after it yourself and check again on 9 December 2026",
                        "Because no answer is a warning sign", "Look after it.",
                        "<h2>What the runner reported</h2>", "<h3>Your pain</h3>", "<dt>Where it hurts</dt><dd>Front, Outer side</dd>",
                        "<dt>How it started</dt><dd>Gradually</dd>", "<h3>Your running</h3>", "<dt>Weekly distance</dt><dd>40 km</dd>",
                        "<h2>In short</h2>", "<strong>Overuse</strong> (100/100, high), because your distance grew fast",
                        "<h3>This week</h3>", "Build up gradually.",
                        "<h2>Likely causes, most likely first</h2>", "<svg", "</svg>",
                        "<h3><span class=\"rank\">1.</span> Overuse</h3>", "<strong>100/100</strong>",
                        "<span class=\"band\">high</span>", "your answers point clearly here", "Too much too soon.",
                        "Because you said", "your distance grew fast", "growth: 100", "What helps",
                        "Build up gradually.", "Cut back this week.", "<h3><span class=\"rank\">2.</span> Old injury</h3>",
                        "<strong>50/100</strong>", "it hurts on the outer side", "Rehabilitate.",
                        "<h2>Sources</h2>", "<li id=\"source-1\" value=\"1\">The article</li>",
                        "<footer", "Not a diagnosis.", "This check does not cover", "<li>Under 16</li>", "</html>"}));
  // Self-contained and script-free: nothing is fetched, nothing runs; the
  // only links are to the list of sources.
  CHECK(lower(html).find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  for (std::size_t at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
    CHECK(html.compare(at, 15, "href=\"#source-1") == 0);
  }
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""));
  CHECK_THAT(html, Catch::Contains("<sup class=\"refs\">[<a href=\"#source-1\">1</a>]</sup>"));
}

TEST_CASE("HTML: the chart has one labelled bar per cause pointed to, in rank order", "[report][html]") {
  auto assessment = assess(kOveruse);
  std::string html = kneecheck::render_html(assessment);
  std::size_t svg = html.find("<svg class=\"chart\"");
  std::string chart = html.substr(svg, html.find("</svg>", svg) - svg);
  CHECK_THAT(chart, Catch::Contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\""));
  CHECK_THAT(chart, Catch::Contains("<title id=\"chart-title\">"));
  CHECK_THAT(chart, Catch::Contains("<desc id=\"chart-desc\">Overuse: 100 of 100, high</desc>"));
  CHECK(count(chart, "<rect class=\"bar ") == 1);
  CHECK(in_order(chart, {"data-cause=\"overuse\" data-score=\"100\"", ">1. Overuse</text>", "width=\"560\"", ">100</text>"}));
  CHECK_THAT(html, Catch::Contains("Not pointed to by your answers: Old injury."));
}

TEST_CASE("HTML: a red flag comes first, urgent in red", "[report][html]") {
  std::string html = kneecheck::render_html(assess(kLocked));
  CHECK(in_order(html, {"<h1>", "class=\"escalation level-urgent\"", "Get the knee seen today",
                        "<span class=\"flag-level flag-urgent\">today</span>Get seen today.",
                        "(Locking: yes)", "</section>", "What the runner reported", "id=\"causes\"",
                        "<h2>To discuss with whoever examines you</h2>", "it started with an injury", "Not a diagnosis."}));
  CHECK(html.find("Rehabilitate.") == std::string::npos);
  CHECK(html.find("/100") == std::string::npos);
  CHECK(html.find("In short") == std::string::npos);
  CHECK_THAT(html, Catch::Contains(".level-urgent h2 { color: var(--urgent); }"));
  CHECK_THAT(html, Catch::Contains("--urgent: #b3261e"));
  CHECK(count(html, "class=\"escalation") == 1);
}

TEST_CASE("HTML and Markdown: no cause indicated says so instead of ranking", "[report][html][markdown]") {
  auto assessment = assess(kNoCause);
  std::string html = kneecheck::render_html(assessment);
  CHECK_THAT(html, Catch::Contains("<h2>Likely causes</h2>\n<p class=\"no-cause\">None of your answers points"));
  CHECK(html.find("<svg class=\"chart\"") == std::string::npos);
  CHECK(html.find("class=\"rank\"") == std::string::npos);
  CHECK(html.find("most likely first") == std::string::npos);
  CHECK(in_order(html, {"Look after it yourself", "What the runner reported", "None of your answers points",
                        "Not a diagnosis."}));
  std::string md = kneecheck::render_markdown(assessment);
  CHECK_THAT(md, Catch::Contains("## Likely causes\n\nNone of your answers points"));
  CHECK(md.find("### 1.") == std::string::npos);
  CHECK(md.find("most likely first") == std::string::npos);
  CHECK_THAT(md, Catch::Contains("| Where it hurts | none of these |"));
}

TEST_CASE("Markdown: the report's parts in order, what to do now first", "[report][markdown]") {
  std::string md = kneecheck::render_markdown(assess(kBoth));
  CHECK(md.starts_with("# Test rules\n\n25 November 2026 · rules test-rules 0.1\n"));
  CHECK(in_order(md, {"## 🟢 Look after it yourself and check again on 9 December 2026",
                      "- Because no answer is a warning sign", "Look after it. \\[1\\]", "## In short",
                      "**Most likely:**", "- **Overuse** (100/100, high), because your distance grew fast",
                      "**This week:**", "1. Build up gradually. \\[1\\]",
                      "## Likely causes, most likely first", "### 1. Overuse", "**100/100** · high: your answers point clearly here",
                      "Too much too soon.", "**Because you said:**", "- your distance grew fast *(growth: 100)*",
                      "**What helps:**", "- Build up gradually.", "- Cut back this week.", "### 2. Old injury",
                      "**50/100** · moderate", "## What you reported", "| Question | Answer |",
                      "| Where it hurts | Front, Outer side |", "## Sources", "1. The article", "---", "Not a diagnosis.",
                      "**This check does not cover:**", "- Under 16"}));
  std::string one = kneecheck::render_markdown(assess(kOveruse));
  CHECK(in_order(one, {"## 🟢", "### 1. Overuse", "Not pointed to by your answers: Old injury."}));
}

TEST_CASE("Markdown: a red flag comes first, marked red", "[report][markdown]") {
  std::string md = kneecheck::render_markdown(assess(kLocked));
  CHECK(in_order(md, {"# Test rules", "## 🔴 Get the knee seen today", "- 🔴 Get seen today. *(Locking: yes)*",
                      "## To discuss with whoever examines you", "- it started with an injury", "## What you reported",
                      "Not a diagnosis."}));
  CHECK(md.find("## In short") == std::string::npos);
  CHECK(md.find("Likely causes") == std::string::npos);
  CHECK(md.find("Rehabilitate.") == std::string::npos);
}

TEST_CASE("HTML: pain over the check-ins, when history knows earlier pain", "[report][html][history]") {
  json document = kneecheck::testing::minimal_rules_json();
  document["tracked_pain"] = "pain";
  auto rules = kneecheck::load_rules(document.dump());
  REQUIRE(rules);
  std::vector<kneecheck::PastCheckIn> earlier{{{2026, 11, 11}, 6.0}, {{2026, 11, 18}, std::nullopt}};
  std::string html = kneecheck::render_html(kneecheck::score(*rules, kneecheck::testing::slots_of(*rules, kOveruse), kDate, earlier));
  REQUIRE_THAT(html, Catch::Contains("<section id=\"trend\">"));
  auto first = html.find("data-date=\"2026-11-11\" data-pain=\"6\"");
  auto second = html.find("data-date=\"2026-11-18\" data-pain=\"\"");
  auto now = html.find("data-date=\"2026-11-25\" data-pain=\"2\"");
  CHECK(first != std::string::npos);
  CHECK(second > first);
  CHECK(now > second);
  CHECK_THAT(html, Catch::Contains("11 November 2026: 6 of 10; 18 November 2026: not answered; 25 November 2026: 2 of 10"));
  // A fixed 0 to 10 axis, and each date with its year.
  CHECK(in_order(html, {"class=\"fixed trend\"", ">0</text>", ">5</text>", ">10</text>", ">11 Nov</text>", ">2026</text>"}));

  CHECK_THAT(kneecheck::render_html(kneecheck::score(*rules, kneecheck::testing::slots_of(*rules, kOveruse), kDate)),
             !Catch::Contains("id=\"trend\""));
  std::vector<kneecheck::PastCheckIn> without_pain{{{2026, 11, 18}, std::nullopt}};
  CHECK_THAT(kneecheck::render_html(kneecheck::score(*rules, kneecheck::testing::slots_of(*rules, kOveruse), kDate, without_pain)),
             !Catch::Contains("id=\"trend\""));
}
