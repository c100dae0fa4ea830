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

#include "kneecheck/report/report.hpp"
#include "kneecheck/report/wording.hpp"

namespace kneecheck {

namespace {


// The one escape function: & < > " ' become character references.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view kStyle = R"css(
:root { --ink: #1d232b; --muted: #5b6572; --rule: #d5dae1; --paper: #ffffff;
  --high: #1f5a99; --moderate: #4a86c8; --low: #9bbfe6; --none: #d5dae1;
  --urgent: #b3261e; --urgent-bg: #fdecea; --soon: #8a5200; --soon-bg: #fff4e0;
  --routine: #1f5a99; --routine-bg: #eaf2fb; --self-care: #1e6b3a; --self-care-bg: #eaf6ee; }
* { box-sizing: border-box; }
html { background: #f3f5f8; }
body { margin: 0; color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 50rem; margin: 2rem auto; padding: 2.5rem 3rem; background: var(--paper);
  border: 1px solid var(--rule); border-radius: 10px; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .3rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 0 0 .2rem; }
h4 { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: .9rem 0 .2rem; }
p { margin: .4rem 0; }
ul { margin: .2rem 0; padding-left: 1.3rem; list-style: disc; }
li { margin: .15rem 0; }
.meta { color: var(--muted); margin: 0; }
.you-said { color: var(--muted); font-size: .9em; }
.answer-id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; }
.escalation { margin: 1.5rem 0; padding: 1rem 1.25rem; border: 2px solid; border-left-width: 10px; border-radius: 8px; }
.escalation h2 { margin: 0 0 .4rem; padding: 0; border: 0; }
.eyebrow { font-size: .8rem; font-weight: bold; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: 0 0 .1rem; }
.escalation .level { font-weight: normal; font-size: .85em; }
.level-urgent { border-color: var(--urgent); background: var(--urgent-bg); }
.level-urgent h2 { color: var(--urgent); }
.level-soon { border-color: var(--soon); background: var(--soon-bg); }
.level-soon h2 { color: var(--soon); }
.level-routine { border-color: var(--routine); background: var(--routine-bg); }
.level-routine h2 { color: var(--routine); }
.level-self_care { border-color: var(--self-care); background: var(--self-care-bg); }
.level-self_care h2 { color: var(--self-care); }
.flags { list-style: none; padding: 0; }
.flags li { margin: .4rem 0; }
.flag-level { display: inline-block; min-width: 4.5rem; padding: 0 .4rem; margin-right: .4rem; border-radius: 4px;
  color: #fff; font-size: .8rem; font-weight: bold; text-align: center; text-transform: uppercase; }
.flag-urgent { background: var(--urgent); }
.flag-soon { background: var(--soon); }
.review { font-weight: bold; }
figure { margin: 0 0 1rem; }
.chart { width: 100%; height: auto; display: block; }
.chart .label { font-size: 14px; fill: var(--ink); }
.chart .value { font-size: 14px; font-weight: bold; fill: var(--ink); }
.chart .track { fill: #eef1f5; }
.chart .grid { stroke: #c4cbd4; stroke-width: 1; stroke-dasharray: 2 3; }
.chart .tick { font-size: 11px; fill: var(--muted); }
.chart .bar.high { fill: var(--high); }
.chart .bar.moderate { fill: var(--moderate); }
.chart .bar.low { fill: var(--low); }
.chart .bar.none { fill: var(--none); }
.chart.trend .bar { fill: var(--none); }
.chart.trend .bar.now { fill: var(--moderate); }
.chart .not-indicated .label, .chart .not-indicated .value { fill: var(--muted); font-weight: normal; }
ol.causes { list-style: none; padding: 0; margin: 0; }
.cause { padding: 1rem 0 1rem 1rem; border-left: 5px solid var(--low); margin: 0 0 1rem; }
.cause.band-high { border-color: var(--high); }
.cause.band-moderate { border-color: var(--moderate); }
.score { margin: 0; }
.score strong { font-size: 1.05rem; }
.band { display: inline-block; padding: 0 .45rem; border-radius: 4px; font-size: .8rem; font-weight: bold;
  text-transform: uppercase; letter-spacing: .04em; color: #fff; background: var(--low); vertical-align: 1px; }
.band-high .band { background: var(--high); }
.band-moderate .band { background: var(--moderate); }
.band-low .band { color: var(--ink); }
.summary { color: var(--muted); }
.not-indicated-list { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: baseline; padding: .3rem .6rem; border-bottom: 1px solid var(--rule); }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
footer { margin-top: 2rem; padding-top: 1rem; border-top: 2px solid var(--rule); color: var(--muted); font-size: .9rem; }
footer h2 { font-size: 1rem; border: 0; margin: .8rem 0 .2rem; padding: 0; }
@media print {
  @page { margin: 15mm; }
  html, body { background: #fff; }
  body { font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; border: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4, .score, .summary { break-after: avoid; }
  ul li, .escalation, figure, tr { break-inside: avoid; }
  .cause { padding-top: .5rem; padding-bottom: .5rem; }
}
)css";

class HtmlReport {
 public:
  HtmlReport(const Assessment& assessment, bool explain) : assessment_(assessment), explain_(explain) {}

  std::string render() {
    head();
    out_ += "<main>\n";
    header();
    if (!assessment_.red_flags.empty()) escalation();
    causes();
    if (assessment_.red_flags.empty()) escalation();
    pain_trend();
    answers();
    if (explain_) explanation();
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
    out_ += fmt::format("<title>{} · {}</title>\n", escape(assessment_.rules_title),
                        escape(assessment_.date.to_string()));
    out_ += "<style>";
    out_ += kStyle;
    out_ += "</style>\n</head>\n<body>\n";
  }

  void header() {
    out_ += fmt::format(
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Check-in of <time datetime=\"{}\">{}</time> · rules {} {}</p>\n"
        "</header>\n",
        escape(assessment_.rules_title), escape(assessment_.date.to_string()), escape(assessment_.date.to_string()),
        escape(assessment_.rules_id), escape(assessment_.rules_version));
  }

  static std::string you_said(std::span<const Evidence> evidence) {
    if (evidence.empty()) return {};
    std::string text;
    for (const auto& item : evidence) {
      if (!text.empty()) text += "; ";
      text += fmt::format("<span class=\"answer-id\">{}</span>: {}", escape(item.id), escape(shown(item)));
    }
    return " <span class=\"you-said\">(you said " + text + ")</span>";
  }

  void escalation() {
    const Escalation& escalation = assessment_.escalation;
    std::string level(to_string(escalation.level));
    bool flagged = !assessment_.red_flags.empty();
    out_ += fmt::format("<section class=\"escalation level-{}\" id=\"escalation\" aria-labelledby=\"escalation-title\">\n",
                        escape(level));
    if (!flagged) out_ += "<p class=\"eyebrow\">What to do next</p>\n";
    out_ += fmt::format("<h2 id=\"escalation-title\">{} <span class=\"level\">({})</span></h2>\n",
                        escape(level_heading(escalation.level)), escape(level));
    if (flagged) {
      out_ += "<ul class=\"flags\">\n";
      for (const auto& flag : assessment_.red_flags) {
        std::string flag_level(to_string(flag.level));
        out_ += fmt::format("<li><span class=\"flag-level flag-{0}\">{0}</span>{1}{2}</li>\n", escape(flag_level),
                            escape(flag.message), you_said(flag.evidence));
      }
      out_ += "</ul>\n";
    } else {
      out_ += fmt::format("<p>{}</p>\n", escape(escalation.message));
      std::string reasons;
      for (const auto& reason : escalation.reasons) {
        if (!reason.text.empty()) reasons += fmt::format("<li>Because {}.</li>\n", escape(reason.text));
      }
      if (!reasons.empty()) out_ += "<ul class=\"reasons\">\n" + reasons + "</ul>\n";
    }
    if (escalation.review_by) {
      std::string date = escalation.review_by->to_string();
      out_ += fmt::format("<p class=\"review\">Review by <time datetime=\"{0}\">{0}</time>.</p>\n", escape(date));
    }
    out_ += "</section>\n";
  }

  void chart() {
    constexpr int kWidth = 640;
    constexpr int kTrack = 560;
    constexpr int kRow = 46;
    constexpr int kTop = 4;
    const auto& causes = assessment_.causes;
    constexpr int kAxis = 24;
    int bars_bottom = kTop + static_cast<int>(causes.size()) * kRow;
    int height = bars_bottom + kAxis;
    std::string description;
    for (const auto& cause : causes) {
      if (!description.empty()) description += "; ";
      description += cause.matched.empty()
                         ? fmt::format("{}: not pointed to", cause.title)
                         : fmt::format("{}: {} of 100, {}", cause.title, cause.score, to_string(cause.band));
    }
    out_ += "<figure>\n";
    out_ += fmt::format(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
        "role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n"
        "<title id=\"chart-title\">Score of each cause, 0 to 100, most likely first</title>\n"
        "<desc id=\"chart-desc\">{}</desc>\n",
        kWidth, height, kWidth, height, escape(description));
    for (std::size_t i = 0; i < causes.size(); ++i) {
      const auto& cause = causes[i];
      bool indicated = !cause.matched.empty();
      int y = kTop + static_cast<int>(i) * kRow;
      int filled = cause.score * kTrack / 100;
      std::string label = indicated ? fmt::format("{} {}", rank_label(assessment_, i), cause.title)
                                    : fmt::format("{} (not pointed to)", cause.title);
      std::string band = indicated ? std::string(to_string(cause.band)) : "none";
      out_ += fmt::format("<g class=\"cause-bar{}\" data-cause=\"{}\" data-score=\"{}\">\n",
                          indicated ? "" : " not-indicated", escape(cause.id), cause.score);
      out_ += fmt::format("<text class=\"label\" x=\"0\" y=\"{}\">{}</text>\n", y + 14, escape(label));
      out_ += fmt::format("<rect class=\"track\" x=\"0\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\"/>\n", y + 21,
                          kTrack);
      out_ += fmt::format("<rect class=\"bar {}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\"/>\n",
                          escape(band), y + 21, filled);
      out_ += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>\n", kTrack + 10, y + 35, cause.score);
      out_ += "</g>\n";
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

  // Pain at each earlier check-in and at this one, when history knows any.
  void pain_trend() {
    struct Point {
      Date date;
      std::optional<double> pain;
    };
    std::vector<Point> points;
    for (const auto& check_in : assessment_.earlier) points.push_back({check_in.date, check_in.pain});
    points.push_back({assessment_.date, assessment_.pain});
    bool any_earlier_pain = std::any_of(assessment_.earlier.begin(), assessment_.earlier.end(),
                                        [](const PastCheckIn& check_in) { return check_in.pain.has_value(); });
    if (!any_earlier_pain) return;
    constexpr int kBar = 36;
    constexpr int kGap = 12;
    constexpr int kPlot = 120;
    constexpr int kTop = 16;
    int width = static_cast<int>(points.size()) * (kBar + kGap);
    int height = kTop + kPlot + 34;
    std::string description;
    for (const auto& point : points) {
      if (!description.empty()) description += "; ";
      description += fmt::format("{}: {}", point.date.to_string(),
                                 point.pain ? fmt::format("{:g} of 10", *point.pain) : std::string("not answered"));
    }
    out_ += "<section id=\"trend\">\n<h2>Pain over your check-ins</h2>\n<figure>\n";
    out_ += fmt::format(
        "<svg class=\"chart trend\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
        "height=\"{1}\" role=\"img\" aria-labelledby=\"trend-title trend-desc\">\n"
        "<title id=\"trend-title\">Pain, 0 to 10, at each check-in, oldest first</title>\n"
        "<desc id=\"trend-desc\">{2}</desc>\n",
        width, height, escape(description));
    for (std::size_t i = 0; i < points.size(); ++i) {
      const Point& point = points[i];
      int x = static_cast<int>(i) * (kBar + kGap);
      int bar = point.pain ? static_cast<int>(std::lround(std::clamp(*point.pain, 0.0, 10.0) * kPlot / 10)) : 0;
      out_ += fmt::format("<g class=\"check-in\" data-date=\"{}\" data-pain=\"{}\">\n",
                          escape(point.date.to_string()), point.pain ? fmt::format("{:g}", *point.pain) : "");
      out_ += fmt::format("<rect class=\"bar{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\n",
                          i + 1 == points.size() ? " now" : "", x, kTop + kPlot - bar, kBar, bar);
      out_ += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                          x + kBar / 2, kTop + kPlot - bar - 4,
                          point.pain ? fmt::format("{:g}", *point.pain) : std::string("–"));
      out_ += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                          x + kBar / 2, kTop + kPlot + 16, escape(point.date.to_string().substr(5)));
      out_ += "</g>\n";
    }
    out_ += "</svg>\n</figure>\n</section>\n";
  }

  void causes() {
    out_ += "<section id=\"causes\">\n";
    if (assessment_.withheld == Withheld::all) {
      to_discuss();
      out_ += "</section>\n";
      return;
    }
    if (!assessment_.any_cause_indicated()) {
      out_ += fmt::format("<h2>Likely causes</h2>\n<p class=\"no-cause\">{}</p>\n", escape(kNoCauseText));
      if (!assessment_.general_advice.empty()) {
        out_ += "<h3>What helps in general</h3>\n<ul class=\"advice\">\n";
        for (const auto& advice : assessment_.general_advice) out_ += fmt::format("<li>{}</li>\n", escape(advice.text));
        out_ += "</ul>\n";
      }
      withheld_note();
      out_ += "</section>\n";
      return;
    }
    out_ += "<h2>Likely causes, most likely first</h2>\n";
    chart();
    out_ += "<ol class=\"causes\">\n";
    std::vector<std::string> not_indicated;
    for (std::size_t i = 0; i < assessment_.causes.size(); ++i) {
      const auto& cause = assessment_.causes[i];
      if (cause.matched.empty()) {
        not_indicated.emplace_back(cause.title);
        continue;
      }
      cause_block(rank_label(assessment_, i), cause);
    }
    out_ += "</ol>\n";
    withheld_note();
    if (!not_indicated.empty()) {
      std::string names;
      for (const auto& name : not_indicated) names += (names.empty() ? "" : "; ") + escape(name);
      out_ += fmt::format("<p class=\"not-indicated-list\">Not pointed to by your answers: {}.</p>\n", names);
    }
    out_ += "</section>\n";
  }

  void to_discuss() {
    if (!assessment_.any_cause_indicated()) return;
    out_ += fmt::format("<h2>{}</h2>\n<p>{}</p>\n<ul class=\"reasons\">\n", escape(kToDiscussHeading),
                        escape(kToDiscussText));
    for (const auto& cause : assessment_.causes) {
      for (const IndicatorResult* indicator : cause.matched) {
        out_ += fmt::format("<li>{}{}</li>\n", escape(indicator->because), you_said(indicator->evidence));
      }
    }
    out_ += "</ul>\n";
  }

  void withheld_note() {
    if (assessment_.withheld == Withheld::load) {
      out_ += fmt::format("<p class=\"withheld\"><strong>{}</strong></p>\n", escape(kLoadWithheldText));
    }
  }

  void cause_block(const std::string& rank, const CauseAssessment& cause) {
    std::string band(to_string(cause.band));
    out_ += fmt::format("<li class=\"cause band-{}\" id=\"cause-{}\">\n", escape(band), escape(cause.id));
    out_ += fmt::format("<h3><span class=\"rank\">{}</span> {}</h3>\n", escape(rank), escape(cause.title));
    out_ += fmt::format("<p class=\"score\"><strong>{}/100</strong> <span class=\"band\">{}</span></p>\n", cause.score,
                        escape(band));
    if (!cause.summary.empty()) out_ += fmt::format("<p class=\"summary\">{}</p>\n", escape(cause.summary));
    out_ += "<h4>Because you said</h4>\n<ul class=\"reasons\">\n";
    for (const IndicatorResult* indicator : cause.matched) {
      out_ += fmt::format("<li>{}{}</li>\n", escape(indicator->because), you_said(indicator->evidence));
    }
    out_ += "</ul>\n";
    if (!cause.advice.empty()) {  // all of it may be withheld by a red flag
      out_ += "<h4>What helps</h4>\n<ul class=\"advice\">\n";
      for (const auto& advice : cause.advice) out_ += fmt::format("<li>{}</li>\n", escape(advice.text));
      out_ += "</ul>\n";
    }
    out_ += "</li>\n";
  }

  void answers() {
    auto list = answers_shown(assessment_);
    out_ += "<section id=\"answers\">\n<h2>Your answers</h2>\n";
    if (list.empty()) {
      out_ += "<p>No answers were given.</p>\n</section>\n";
      return;
    }
    out_ += "<table>\n<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Answer</th></tr></thead>\n<tbody>\n";
    for (const auto& [id, shown] : list) {
      out_ += fmt::format("<tr><td class=\"answer-id\">{}</td><td>{}</td></tr>\n", escape(id), escape(shown));
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void explanation() {
    out_ += fmt::format("<section id=\"explanation\">\n<h2>{}</h2>\n", escape(kExplanationHeading));
    for (const auto& cause : assessment_.causes) {
      out_ += fmt::format("<h3>{} ({}/100)</h3>\n<ul class=\"signs\">\n", escape(cause.title), cause.score);
      for (const auto& indicator : cause.indicators) {
        out_ += fmt::format("<li class=\"{}\">{} {} ({:g} points){}</li>\n", indicator.matched ? "held" : "not-held",
                            indicator.matched ? "&#x2713;" : "&#x2717;", escape(indicator.because), indicator.points,
                            you_said(indicator.evidence));
      }
      out_ += "</ul>\n";
    }
    out_ += "</section>\n";
  }

  void disclaimer() {
    out_ += fmt::format("<footer id=\"disclaimer\">\n<p>{}</p>\n", escape(assessment_.disclaimer));
    if (!assessment_.not_covered.empty()) {
      out_ += "<h2>This check does not cover</h2>\n<ul>\n";
      for (const auto& group : assessment_.not_covered) out_ += fmt::format("<li>{}</li>\n", escape(group));
      out_ += "</ul>\n";
    }
    out_ += "</footer>\n";
  }

  const Assessment& assessment_;
  bool explain_ = false;
  std::string out_;
};

}  // namespace

std::string render_html(const Assessment& assessment, bool explain) { return HtmlReport(assessment, explain).render(); }

}  // namespace kneecheck
