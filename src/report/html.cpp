// The report as one self-contained, printable HTML file. Every text that
// comes from the rule file or the answers passes through escape(), in text
// and attributes alike; nothing else is ever written unescaped but the fixed
// markup of this file.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "kneecheck/report/content.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/report/wording.hpp"
#include "report/html_escape.hpp"

namespace kneecheck {

namespace {


using html::escape;

constexpr std::string_view kStyle = R"css(
:root { --ink: #1d232b; --muted: #4a5562; --rule: #d5dae1; --paper: #ffffff;
  --high: #1f5a99; --moderate: #4a86c8; --low: #9bbfe6; --none: #d5dae1;
  --urgent: #b3261e; --urgent-bg: #fdecea; --soon: #8a5200; --soon-bg: #fff4e0;
  --routine: #1f5a99; --routine-bg: #eaf2fb; --self-care: #1e6b3a; --self-care-bg: #eaf6ee; }
* { box-sizing: border-box; }
html { background: #f3f5f8; }
body { margin: 0; color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 50rem; margin: 2rem auto; padding: 2.5rem 3rem; background: var(--paper);
  border: 1px solid var(--rule); border-radius: 10px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 0 0 .2rem; }
h4 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: .7rem 0 .15rem; }
p { margin: .35rem 0; }
ul, ol { margin: .2rem 0; padding-left: 1.3rem; }
li { margin: .12rem 0; }
.meta { color: var(--muted); margin: 0; }
.you-said { color: var(--muted); font-size: .92em; }
sup.refs { font-size: .72em; line-height: 0; white-space: nowrap; }
sup.refs a { color: var(--muted); text-decoration: none; }
.escalation { margin: 1.2rem 0; padding: .9rem 1.2rem; border: 2px solid; border-left-width: 10px; border-radius: 8px; }
.escalation h2 { margin: 0 0 .4rem; padding: 0; border: 0; font-size: 1.3rem; }
.level-urgent { border-color: var(--urgent); background: var(--urgent-bg); }
.level-urgent h2 { color: var(--urgent); }
.level-soon { border-color: var(--soon); background: var(--soon-bg); }
.level-soon h2 { color: var(--soon); }
.level-routine { border-color: var(--routine); background: var(--routine-bg); }
.level-routine h2 { color: var(--routine); }
.level-self_care { border-color: var(--self-care); background: var(--self-care-bg); }
.level-self_care h2 { color: var(--self-care); }
.flags, .why { list-style: none; padding: 0; }
.flags li, .why li { margin: .3rem 0; }
.flag-level { display: inline-block; min-width: 4.5rem; padding: 0 .4rem; margin-right: .4rem; border-radius: 4px;
  color: #fff; font-size: .8rem; font-weight: bold; text-align: center; text-transform: uppercase; }
.flag-urgent { background: var(--urgent); }
.flag-soon { background: var(--soon); }
.reported { border: 1px solid var(--rule); border-radius: 8px; padding: .6rem 1rem .8rem; margin: 1rem 0; }
.reported h2 { margin: .2rem 0 .4rem; border: 0; padding: 0; font-size: 1.1rem; }
.reported .groups { columns: 2 18rem; column-gap: 2rem; }
.reported dl { margin: 0 0 .5rem; break-inside: avoid; }
.reported dt { font-size: .75rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-top: .35rem; }
.reported dd { margin: 0; font-size: .92rem; }
.reported h3 { font-size: .85rem; margin: .5rem 0 0; break-after: avoid; }
.summary-box { margin: 1rem 0; }
.summary-box ol { padding-left: 1.4rem; }
figure { margin: 0 0 .8rem; }
.chart { width: 100%; height: auto; display: block; }
.chart .label { font-size: 14px; fill: var(--ink); }
.chart .value { font-size: 14px; font-weight: bold; fill: var(--ink); }
.chart .track { fill: #eef1f5; }
.chart .grid { stroke: #c4cbd4; stroke-width: 1; stroke-dasharray: 2 3; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .bar.high { fill: var(--high); }
.chart .bar.moderate { fill: var(--moderate); }
.chart .bar.low { fill: var(--low); }
.fixed { display: block; max-width: 100%; height: auto; }
.fixed text { font-size: 12px; fill: var(--ink); }
.fixed .axis text { fill: var(--muted); font-size: 11px; }
.fixed .axis line { stroke: #c4cbd4; stroke-width: 1; }
.fixed .week, .fixed .pain { fill: var(--moderate); }
.fixed .week.now, .fixed .pain.now { fill: var(--high); }
ol.causes { list-style: none; padding: 0; margin: 0; }
.cause { padding: .6rem 0 .6rem 1rem; border-left: 5px solid var(--low); margin: 0 0 .9rem; }
.cause.band-high { border-color: var(--high); }
.cause.band-moderate { border-color: var(--moderate); }
.score { margin: 0; }
.band { display: inline-block; padding: 0 .45rem; border-radius: 4px; font-size: .8rem; font-weight: bold;
  text-transform: uppercase; letter-spacing: .04em; color: #fff; background: var(--low); vertical-align: 1px; }
.band-high .band { background: var(--high); }
.band-moderate .band { background: var(--moderate); }
.band-low .band { color: var(--ink); }
.band-meaning { color: var(--muted); font-size: .92em; }
.not-indicated-list { color: var(--muted); }
ol.sources { font-size: .88rem; padding-left: 1.8rem; }
ol.sources li { word-break: break-word; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: baseline; padding: .3rem .6rem; border-bottom: 1px solid var(--rule); }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
footer { margin-top: 1.6rem; padding-top: .8rem; border-top: 2px solid var(--rule); color: var(--muted); font-size: .9rem; }
footer h2 { font-size: 1rem; border: 0; margin: .8rem 0 .2rem; padding: 0; }
@media print {
  html, body { background: #fff; }
  body { font-size: 8.5pt; line-height: 1.32; }
  main { max-width: none; margin: 0; padding: 0; border: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12pt; margin-top: 1rem; }
  h2, h3, h4, .score { break-after: avoid; }
  ul li, .escalation, .reported dl, figure, tr, .summary-box { break-inside: avoid; }
  .cause { break-inside: avoid; padding-top: .3rem; padding-bottom: .3rem; margin-bottom: .5rem; }
  figure.scores { display: none; }  /* each cause card gives its score */
  ol.sources { columns: 3; column-gap: 1.2rem; font-size: 7pt; }
  .reported .groups { columns: 2; column-gap: 1.2rem; }
  .reported figure { max-width: 15rem; }
  h2 { margin: .7rem 0 .35rem; }
  footer { margin-top: .8rem; padding-top: .4rem; font-size: 8pt; }
  footer ul { padding: 0; }
  footer li { display: inline; }
  footer li + li::before { content: " · "; }
  ol.sources li { break-inside: avoid; }
  h4 { margin: .4rem 0 .1rem; }
  .escalation { padding: .6rem 1rem; margin: .6rem 0; }
  .reported { padding: .4rem .8rem .5rem; margin: .6rem 0; }
  .reported dl { display: grid; grid-template-columns: 11em 1fr; column-gap: .5em; }
  .reported dt { margin: 0; font-size: 7pt; line-height: 1.6; }
  .reported dd { font-size: 8pt; }
  .reported h3 { margin-top: .3rem; }
  sup.refs a { color: var(--muted); }
}
)css";

// The refs of a sentence, linked to the list of sources.
std::string refs(const References& references) {
  if (references.empty()) return {};
  std::string links;
  for (std::size_t i = 0; i < references.size(); ++i) {
    links += fmt::format("{}<a href=\"#source-{}\">{}</a>", i == 0 ? "" : ",", references[i], references[i]);
  }
  return " <sup class=\"refs\">[" + links + "]</sup>";
}

std::string reason_html(const Reason& reason) {
  std::string text = escape(reason.text);
  if (!reason.answers.empty()) text += " <span class=\"you-said\">(" + escape(reason.answers) + ")</span>";
  return text + refs(reason.references);
}

std::string cited_html(const Cited& cited) { return escape(cited.text) + refs(cited.references); }

class HtmlReport {
 public:
  HtmlReport(const Assessment& assessment, bool explain) : content_(report_content(assessment, explain)) {}

  std::string render() {
    head();
    out_ += "<main>\n";
    header();
    what_to_do();
    reported();
    summary();
    details();
    pain_trend();
    if (!content_.explanation.empty()) explanation();
    sources();
    disclaimer();
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void head() {
    out_ +=
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"generator\" content=\"kneecheck\">\n";
    out_ += fmt::format("<title>{} · {}</title>\n", escape(content_.title), escape(content_.date.to_string()));
    out_ += "<style>";
    out_ += kStyle;
    // The printed page's margins and footer: the date (digits only, so safe
    // in a CSS string) and the page number.
    out_ += fmt::format(
        "@page {{ size: auto; margin: 14mm 14mm 16mm;"
        " @bottom-left {{ content: \"kneecheck · check-in of {}\"; font: 8pt sans-serif; color: #4a5562; }}"
        " @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 8pt sans-serif;"
        " color: #4a5562; }} }}\n",
        content_.date.to_string());
    out_ += "</style>\n</head>\n<body>\n";
  }

  void header() {
    out_ += fmt::format(
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Check-in of <time datetime=\"{}\">{}</time> · {}</p>\n"
        "</header>\n",
        escape(content_.title), escape(content_.date.to_string()), escape(content_.date_words), escape(content_.rules));
  }

  // (a)
  void what_to_do() {
    const WhatToDo& now = content_.now;
    std::string level(to_string(now.level));
    out_ += fmt::format("<section class=\"escalation level-{}\" id=\"escalation\" aria-labelledby=\"escalation-title\">\n",
                        escape(level));
    out_ += fmt::format("<h2 id=\"escalation-title\">{}</h2>\n", escape(now.headline));
    if (!now.flags.empty()) {
      out_ += "<ul class=\"flags\">\n";
      for (const auto& flag : now.flags) {
        std::string flag_level(to_string(flag.level));
        std::string title = flag.title.empty() ? "" : "<strong>" + escape(flag.title) + ".</strong> ";
        out_ += fmt::format("<li><span class=\"flag-level flag-{}\">{}</span>{}{}</li>\n", escape(flag_level),
                            escape(level_word(flag.level)), title, reason_html(flag.reason));
      }
      out_ += "</ul>\n";
    }
    if (!now.why.empty()) {
      out_ += "<ul class=\"why\">\n";
      for (const auto& reason : now.why) out_ += fmt::format("<li>Because {}.</li>\n", reason_html(reason));
      out_ += "</ul>\n";
    }
    if (!now.message.text.empty()) out_ += fmt::format("<p>{}</p>\n", cited_html(now.message));
    out_ += "</section>\n";
  }

  static std::string_view level_word(Level level) {
    switch (level) {
      case Level::urgent: return "today";
      case Level::soon: return "within days";
      case Level::routine: return "within weeks";
      case Level::self_care: return "self-care";
    }
    return "";
  }

  // For the physio: what the runner reported, by part of the interview.
  void reported() {
    out_ += "<section class=\"reported\" id=\"reported\">\n<h2>What the runner reported</h2>\n";
    if (content_.answers.empty()) {
      out_ += "<p>No answers were given.</p>\n</section>\n";
      return;
    }
    out_ += "<div class=\"groups\">\n";
    std::string section = "\x01";
    for (const auto& answer : content_.answers) {
      if (answer.section != section) {
        if (section != "\x01") out_ += "</dl>\n";
        section = answer.section;
        if (!section.empty()) out_ += fmt::format("<h3>{}</h3>\n", escape(section));
        out_ += "<dl>\n";
      }
      std::string mark = answer.from_runs ? fmt::format(" <span class=\"from-runs\">({})</span>", kFromRunsMark) : "";
      out_ += fmt::format("<dt>{}</dt><dd>{}{}</dd>\n", escape(answer.label), escape(answer.shown), mark);
    }
    out_ += "</dl>\n";
    if (!content_.derived.empty()) {
      out_ += "<h3>Worked out from the answers</h3>\n<dl>\n";
      for (const auto& value : content_.derived) {
        out_ += fmt::format("<dt>{}</dt><dd>{}</dd>\n", escape(value.label), escape(value.shown));
      }
      out_ += "</dl>\n";
    }
    out_ += "</div>\n";
    weekly_chart();
    out_ += "</section>\n";
  }

  // The weekly distances, oldest first, as small bars with their values.
  void weekly_chart() {
    const auto& weeks = content_.weekly_km;
    if (weeks.empty()) return;
    double most = 1;
    for (const auto& [label, km] : weeks) most = std::max(most, km);
    constexpr int kBar = 70;
    constexpr int kGap = 18;
    constexpr int kPlot = 70;
    constexpr int kTop = 18;
    int width = static_cast<int>(weeks.size()) * (kBar + kGap);
    int height = kTop + kPlot + 34;
    std::string description;
    for (const auto& [label, km] : weeks) description += fmt::format("{}{}: {:g} km", description.empty() ? "" : "; ", label, km);
    out_ += "<figure>\n";
    out_ += fmt::format(
        "<svg class=\"fixed weekly\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
        "height=\"{1}\" role=\"img\" aria-labelledby=\"weekly-title weekly-desc\">\n"
        "<title id=\"weekly-title\">Distance run each week, oldest first</title>\n<desc id=\"weekly-desc\">{2}</desc>\n",
        width, height, escape(description));
    for (std::size_t i = 0; i < weeks.size(); ++i) {
      const auto& [label, km] = weeks[i];
      int x = static_cast<int>(i) * (kBar + kGap);
      int bar = static_cast<int>(std::lround(std::max(0.0, km) * kPlot / most));
      out_ += fmt::format("<rect class=\"week{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\n",
                          i + 1 == weeks.size() ? " now" : "", x, kTop + kPlot - bar, kBar, bar);
      out_ += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{:g} km</text>\n", x + kBar / 2,
                          kTop + kPlot - bar - 4, km);
      out_ += fmt::format("<g class=\"axis\"><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n", x + kBar / 2,
                          kTop + kPlot + 16, escape(week_tick(label)));
    }
    out_ += "</svg>\n<figcaption class=\"meta\">Weekly distance, the four weeks before this check-in, oldest first</figcaption>\n"
            "</figure>\n";
  }

  // "Distance, 8-14 days ago" -> "8-14 days ago": the part after the comma.
  static std::string_view week_tick(std::string_view label) {
    auto comma = label.find(", ");
    return comma == std::string_view::npos ? label : label.substr(comma + 2);
  }

  // (b)
  void summary() {
    const SummaryShown& summary = content_.summary;
    if (!summary.shown) return;
    out_ += "<section class=\"summary-box\" id=\"summary\">\n<h2>In short</h2>\n";
    if (summary.leads.empty()) {
      out_ += fmt::format("<p>{}</p>\n", escape(summary.opening));
    } else {
      out_ += fmt::format("<p><strong>{}</strong></p>\n<ul class=\"leads\">\n", escape(summary.opening));
      for (const auto& lead : summary.leads) {
        out_ += fmt::format("<li><strong>{}</strong> ({}/100, {}), because {}</li>\n", escape(lead.title), lead.score,
                            escape(to_string(lead.band)), reason_html(lead.strongest));
      }
      out_ += "</ul>\n";
    }
    if (!summary.actions.empty()) {
      out_ += "<h3>This week</h3>\n<ol class=\"actions\">\n";
      for (const auto& action : summary.actions) out_ += fmt::format("<li>{}</li>\n", cited_html(action));
      out_ += "</ol>\n";
    }
    out_ += "</section>\n";
  }

  // The causes pointed to, one bar each; those not pointed to are named
  // below the list instead.
  void chart(const std::vector<CauseShown>& shown) {
    constexpr int kWidth = 640;
    constexpr int kTrack = 560;
    constexpr int kRow = 46;
    constexpr int kTop = 4;
    constexpr int kAxis = 24;
    std::size_t rows = shown.size();
    int bars_bottom = kTop + static_cast<int>(rows) * kRow;
    int height = bars_bottom + kAxis;
    std::string description;
    for (const auto& cause : shown) {
      description += fmt::format("{}{}: {} of 100, {}", description.empty() ? "" : "; ", cause.title, cause.score,
                                 to_string(cause.band));
    }
    out_ += "<figure class=\"scores\">\n";
    out_ += fmt::format(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
        "role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n"
        "<title id=\"chart-title\">Score of each cause, 0 to 100, most likely first</title>\n"
        "<desc id=\"chart-desc\">{}</desc>\n",
        kWidth, height, kWidth, height, escape(description));
    auto row = [&](std::size_t i, std::string_view id, const std::string& label, int score, std::string_view band) {
      int y = kTop + static_cast<int>(i) * kRow;
      out_ += fmt::format("<g class=\"cause-bar\" data-cause=\"{}\" data-score=\"{}\">\n", escape(id), score);
      out_ += fmt::format("<text class=\"label\" x=\"0\" y=\"{}\">{}</text>\n", y + 14, escape(label));
      out_ += fmt::format("<rect class=\"track\" x=\"0\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\"/>\n", y + 21, kTrack);
      out_ += fmt::format("<rect class=\"bar {}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\"/>\n", escape(band),
                          y + 21, score * kTrack / 100);
      out_ += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>\n", kTrack + 10, y + 35, score);
      out_ += "</g>\n";
    };
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const auto& cause = shown[i];
      row(i, cause.id, fmt::format("{} {}", cause.rank, cause.title), cause.score, to_string(cause.band));
    }
    out_ += "<g class=\"axis\" aria-hidden=\"true\">\n";
    for (int tick = 0; tick <= 100; tick += 25) {
      int x = tick * kTrack / 100;
      out_ += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", x, kTop + 18,
                          bars_bottom + 4);
      out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n", x, bars_bottom + 18,
                          tick == 0 ? "start" : tick == 100 ? "end" : "middle", tick);
    }
    out_ += "</g>\n</svg>\n</figure>\n";
  }

  // (c)
  void details() {
    const Details& details = content_.details;
    out_ += "<section id=\"causes\">\n";
    switch (details.kind) {
      case Details::Kind::to_discuss:
        if (!details.to_discuss.empty()) {
          out_ += fmt::format("<h2>{}</h2>\n<p>{}</p>\n<ul class=\"reasons\">\n", escape(kToDiscussHeading),
                              escape(kToDiscussText));
          for (const auto& reason : details.to_discuss) out_ += fmt::format("<li>{}</li>\n", reason_html(reason));
          out_ += "</ul>\n";
        }
        break;
      case Details::Kind::no_cause:
        out_ += fmt::format("<h2>Likely causes</h2>\n<p class=\"no-cause\">{}</p>\n", escape(kNoCauseText));
        if (!details.general_advice.empty()) {
          out_ += "<h3>What helps in general</h3>\n<ul class=\"advice\">\n";
          for (const auto& advice : details.general_advice) out_ += fmt::format("<li>{}</li>\n", cited_html(advice));
          out_ += "</ul>\n";
        }
        withheld_note(details);
        break;
      case Details::Kind::causes:
        out_ += "<h2>Likely causes, most likely first</h2>\n";
        chart(details.causes);
        out_ += "<ol class=\"causes\">\n";
        for (const auto& cause : details.causes) cause_block(cause);
        out_ += "</ol>\n";
        withheld_note(details);
        if (!details.not_indicated.empty()) {
          std::string names;
          for (const auto& name : details.not_indicated) names += (names.empty() ? "" : "; ") + escape(name);
          out_ += fmt::format("<p class=\"not-indicated-list\">Not pointed to by your answers: {}.</p>\n", names);
        }
        break;
    }
    out_ += "</section>\n";
  }

  void withheld_note(const Details& details) {
    if (!details.withheld_note.empty()) {
      out_ += fmt::format("<p class=\"withheld\"><strong>{}</strong></p>\n", escape(details.withheld_note));
    }
  }

  void cause_block(const CauseShown& cause) {
    std::string band(to_string(cause.band));
    std::string joint = cause.rank_words.starts_with("joint") ? " (" + cause.rank_words + ")" : "";
    out_ += fmt::format("<li class=\"cause band-{}\" id=\"cause-{}\">\n", escape(band), escape(cause.id));
    out_ += fmt::format("<h3><span class=\"rank\">{}</span> {}{}</h3>\n", escape(cause.rank), escape(cause.title),
                        escape(joint));
    out_ += fmt::format(
        "<p class=\"score\"><strong>{}/100</strong> <span class=\"band\">{}</span> "
        "<span class=\"band-meaning\">{}</span></p>\n",
        cause.score, escape(band), escape(cause.band_meaning));
    if (!cause.summary.text.empty()) out_ += fmt::format("<p class=\"summary\">{}</p>\n", cited_html(cause.summary));
    out_ += "<h4>Because you said</h4>\n<ul class=\"reasons\">\n";
    for (const auto& reason : cause.reasons) out_ += fmt::format("<li>{}</li>\n", reason_html(reason));
    out_ += "</ul>\n";
    if (!cause.advice.empty()) {  // all of it may be withheld by a red flag
      out_ += "<h4>What helps</h4>\n<ul class=\"advice\">\n";
      for (const auto& advice : cause.advice) out_ += fmt::format("<li>{}</li>\n", cited_html(advice));
      out_ += "</ul>\n";
    }
    out_ += "</li>\n";
  }

  // Pain at each earlier check-in and at this one, on a fixed 0-10 scale.
  void pain_trend() {
    const auto& points = content_.pain_over_time;
    if (points.empty()) return;
    constexpr int kLeft = 28;
    constexpr int kStep = 64;
    constexpr int kBar = 34;
    constexpr int kPlot = 110;
    constexpr int kTop = 16;
    int width = kLeft + static_cast<int>(points.size()) * kStep;
    int height = kTop + kPlot + 40;
    std::string description;
    for (const auto& point : points) {
      description += fmt::format("{}{}: {}", description.empty() ? "" : "; ", date_in_words(point.date),
                                 point.pain ? fmt::format("{:g} of 10", *point.pain) : std::string("not answered"));
    }
    out_ += "<section id=\"trend\">\n<h2>Pain over your check-ins</h2>\n<figure>\n";
    out_ += fmt::format(
        "<svg class=\"fixed trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
        "height=\"{1}\" role=\"img\" aria-labelledby=\"trend-title trend-desc\">\n"
        "<title id=\"trend-title\">Pain, 0 to 10, at each check-in, oldest first</title>\n"
        "<desc id=\"trend-desc\">{2}</desc>\n<g class=\"axis\">\n",
        width, height, escape(description));
    for (int tick = 0; tick <= 10; tick += 5) {
      int y = kTop + kPlot - tick * kPlot / 10;
      out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text x=\"0\" y=\"{}\">{}</text>\n", kLeft - 4,
                          y, width, y, y + 4, tick);
    }
    out_ += "</g>\n";
    for (std::size_t i = 0; i < points.size(); ++i) {
      const PainPoint& point = points[i];
      int x = kLeft + static_cast<int>(i) * kStep + (kStep - kBar) / 2;
      int bar = point.pain ? static_cast<int>(std::lround(std::clamp(*point.pain, 0.0, 10.0) * kPlot / 10)) : 0;
      out_ += fmt::format("<g class=\"check-in\" data-date=\"{}\" data-pain=\"{}\">\n", escape(point.date.to_string()),
                          point.pain ? fmt::format("{:g}", *point.pain) : "");
      out_ += fmt::format("<rect class=\"pain{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\n",
                          i + 1 == points.size() ? " now" : "", x, kTop + kPlot - bar, kBar, bar);
      out_ += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x + kBar / 2,
                          kTop + kPlot - bar - 4, point.pain ? fmt::format("{:g}", *point.pain) : std::string("–"));
      out_ += fmt::format("<g class=\"axis\"><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>"
                          "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                          x + kBar / 2, kTop + kPlot + 15, escape(short_date(point.date)), x + kBar / 2,
                          kTop + kPlot + 29, point.date.year);
      out_ += "</g>\n";
    }
    out_ += "</svg>\n</figure>\n</section>\n";
  }

  // "9 Dec"
  static std::string short_date(const Date& date) {
    std::string words = date_in_words(date);  // "9 December 2026"
    auto space = words.find(' ');
    return words.substr(0, space + 4);
  }

  void explanation() {
    out_ += fmt::format("<section id=\"explanation\">\n<h2>{}</h2>\n", escape(kExplanationHeading));
    for (const auto& cause : content_.explanation) {
      out_ += fmt::format("<h3>{} ({}/100)</h3>\n<ul class=\"signs\">\n", escape(cause.title), cause.score);
      for (const auto& sign : cause.signs) {
        out_ += fmt::format("<li class=\"{}\">{} {} ({:g} points)</li>\n", sign.matched ? "held" : "not-held",
                            sign.matched ? "&#x2713;" : "&#x2717;", reason_html(sign.reason), sign.points);
      }
      out_ += "</ul>\n";
    }
    out_ += "</section>\n";
  }

  // (d)
  void sources() {
    if (content_.sources.empty()) return;
    out_ += "<section id=\"sources\">\n<h2>Sources</h2>\n<ol class=\"sources\">\n";
    for (const auto& source : content_.sources) {
      std::string link = source.url.empty()
                             ? ""
                             : fmt::format(" <a href=\"{0}\" rel=\"noreferrer noopener\">{0}</a>", escape(source.url));
      out_ += fmt::format("<li id=\"source-{}\" value=\"{}\">{}{}</li>\n", source.number, source.number,
                          escape(source.text), link);
    }
    out_ += "</ol>\n</section>\n";
  }

  // (e)
  void disclaimer() {
    out_ += fmt::format("<footer id=\"disclaimer\">\n<p>{}</p>\n", escape(content_.disclaimer));
    if (!content_.not_covered.empty()) {
      out_ += "<h2>This check does not cover</h2>\n<ul>\n";
      for (const auto& group : content_.not_covered) out_ += fmt::format("<li>{}</li>\n", escape(group));
      out_ += "</ul>\n";
    }
    out_ += "</footer>\n";
  }

  const ReportContent content_;
  std::string out_;
};

}  // namespace

std::string render_html(const Assessment& assessment, bool explain) { return HtmlReport(assessment, explain).render(); }

}  // namespace kneecheck
