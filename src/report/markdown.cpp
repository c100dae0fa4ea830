// The report as Markdown (CommonMark, with a GitHub-style table for the
// answers). Every text that comes from the rule file or the answers passes
// through escape(), so it reads as the same words and never becomes a link,
// an image, HTML, a heading or a list.
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/report/report.hpp"
#include "kneecheck/report/wording.hpp"

namespace kneecheck {

namespace {


// Backslash-escapes the characters that start inline markup (emphasis, code,
// links, images, autolinks, raw HTML, entities, strikethrough, table cells,
// a heading's closing #) and, at the start of the text, those that would
// start a block (quote, list, heading, thematic break). Line breaks become
// spaces and leading spaces go, so a text stays inside the line or list item
// it was put in. (A bare URL stays the URL: some viewers make it clickable,
// but it cannot be disguised as other text.)
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  bool at_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (at_start && c == ' ') continue;  // indented text would be a code block
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '&': case '|': case '~': case '#':
        out += '\\';
        break;
      case '+': case '-': case '=':
        if (at_start) out += '\\';
        break;
      default: break;
    }
    out += c;
    // "1. " or "1) " at the start would begin an ordered list.
    if (at_start && std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i + 1;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) out += text[j++];
      bool marker = j < text.size() && (text[j] == '.' || text[j] == ')');
      if (marker && (j + 1 == text.size() || text[j + 1] == ' ' || text[j + 1] == '\n' || text[j + 1] == '\t')) {
        out += '\\';
        out += text[j++];
      }
      i = j - 1;
    }
    at_start = false;
  }
  return out;
}

// A colour a plain Markdown viewer still shows: red for urgent.
std::string_view level_mark(Level level) {
  switch (level) {
    case Level::urgent: return "🔴";
    case Level::soon: return "🟠";
    case Level::routine: return "🔵";
    case Level::self_care: return "🟢";
  }
  return "";
}


std::string you_said(std::span<const Evidence> evidence) {
  if (evidence.empty()) return {};
  std::string text;
  for (const auto& item : evidence) text += (text.empty() ? "" : "; ") + escape(item.id) + ": " + escape(shown(item));
  return " *(you said " + text + ")*";
}

class MarkdownReport {
 public:
  MarkdownReport(const Assessment& assessment, bool explain) : assessment_(assessment), explain_(explain) {}

  std::string render() {
    out_ += fmt::format("# {}\n\n", escape(assessment_.rules_title));
    out_ += fmt::format("{} · rules {} {}\n", assessment_.date.to_string(), escape(assessment_.rules_id),
                        escape(assessment_.rules_version));
    if (!assessment_.red_flags.empty()) escalation();
    causes();
    if (assessment_.red_flags.empty()) escalation();
    answers();
    if (explain_) explanation();
    disclaimer();
    return std::move(out_);
  }

 private:
  void escalation() {
    const Escalation& escalation = assessment_.escalation;
    auto heading = fmt::format("{} {} ({})", level_mark(escalation.level), to_upper(level_heading(escalation.level)),
                               escape(to_string(escalation.level)));
    if (assessment_.red_flags.empty()) {
      out_ += fmt::format("\n## What to do next\n\n**{}**\n\n{}\n", heading, escape(escalation.message));
      bool any_reason = false;
      for (const auto& reason : escalation.reasons) {
        if (reason.text.empty()) continue;
        out_ += fmt::format("{}- Because {}.\n", any_reason ? "" : "\n", escape(reason.text));
        any_reason = true;
      }
    } else {
      out_ += fmt::format("\n## {}\n\n", heading);
      for (const auto& flag : assessment_.red_flags) {
        out_ += fmt::format("- {} **{}:** {}{}\n", level_mark(flag.level), escape(to_string(flag.level)),
                            escape(flag.message), you_said(flag.evidence));
      }
    }
    if (escalation.review_by) out_ += fmt::format("\nReview by **{}**.\n", escalation.review_by->to_string());
  }

  void causes() {
    if (assessment_.withheld == Withheld::all) {
      to_discuss();
      return;
    }
    if (!assessment_.any_cause_indicated()) {
      out_ += fmt::format("\n## Likely causes\n\n{}\n", kNoCauseText);
      if (!assessment_.general_advice.empty()) {
        out_ += "\n**What helps in general:**\n\n";
        for (const auto& advice : assessment_.general_advice) out_ += fmt::format("- {}\n", escape(advice.text));
      }
      withheld_note();
      return;
    }
    out_ += "\n## Likely causes, most likely first\n";
    std::vector<std::string> not_indicated;
    for (std::size_t i = 0; i < assessment_.causes.size(); ++i) {
      const auto& cause = assessment_.causes[i];
      if (cause.matched.empty()) {
        not_indicated.emplace_back(cause.title);
        continue;
      }
      cause_block(rank_label(assessment_, i), cause);
    }
    withheld_note();
    if (!not_indicated.empty()) {
      std::string names;
      for (const auto& name : not_indicated) names += (names.empty() ? "" : "; ") + escape(name);
      out_ += fmt::format("\nNot pointed to by your answers: {}.\n", names);
    }
  }

  static std::string bar(int score) {
    constexpr int kCells = 20;
    int filled = (score * kCells + 50) / 100;
    std::string cells;
    for (int i = 0; i < kCells; ++i) cells += i < filled ? "█" : "░";
    return cells;
  }

  void to_discuss() {
    if (!assessment_.any_cause_indicated()) return;
    out_ += fmt::format("\n## {}\n\n{}\n\n", kToDiscussHeading, kToDiscussText);
    for (const auto& cause : assessment_.causes) {
      for (const IndicatorResult* indicator : cause.matched) {
        out_ += fmt::format("- {}{}\n", escape(indicator->because), you_said(indicator->evidence));
      }
    }
  }

  void withheld_note() {
    if (assessment_.withheld == Withheld::load) out_ += fmt::format("\n**{}**\n", kLoadWithheldText);
  }

  void cause_block(const std::string& rank, const CauseAssessment& cause) {
    out_ += fmt::format("\n### {} {}\n\n", rank, escape(cause.title));  // the rank is ours: "1." or "2="
    out_ += fmt::format("`{}` **{}/100** · {}\n", bar(cause.score), cause.score, to_string(cause.band));
    if (!cause.summary.empty()) out_ += fmt::format("\n{}\n", escape(cause.summary));
    out_ += "\n**Because you said:**\n\n";
    for (const IndicatorResult* indicator : cause.matched) {
      out_ += fmt::format("- {}{}\n", escape(indicator->because), you_said(indicator->evidence));
    }
    if (cause.advice.empty()) return;  // all of it withheld by a red flag
    out_ += "\n**What helps:**\n\n";
    for (const auto& advice : cause.advice) out_ += fmt::format("- {}\n", escape(advice.text));
  }

  void answers() {
    auto list = answers_shown(assessment_);
    out_ += "\n## Your answers\n\n";
    if (list.empty()) {
      out_ += "No answers were given.\n";
      return;
    }
    out_ += "| question | answer |\n|---|---|\n";
    for (const auto& [id, shown] : list) out_ += fmt::format("| {} | {} |\n", escape(id), escape(shown));
  }

  void explanation() {
    out_ += fmt::format("\n## {}\n", kExplanationHeading);
    for (const auto& cause : assessment_.causes) {
      out_ += fmt::format("\n### {} ({}/100)\n\n", escape(cause.title), cause.score);
      for (const auto& indicator : cause.indicators) {
        out_ += fmt::format("- [{}] {} ({:g} points){}\n", indicator.matched ? "x" : " ", escape(indicator.because),
                            indicator.points, you_said(indicator.evidence));
      }
    }
  }

  void disclaimer() {
    out_ += fmt::format("\n---\n\n{}\n", escape(assessment_.disclaimer));
    if (assessment_.not_covered.empty()) return;
    out_ += "\n**This check does not cover:**\n\n";
    for (const auto& group : assessment_.not_covered) out_ += fmt::format("- {}\n", escape(group));
  }

  const Assessment& assessment_;
  bool explain_ = false;
  std::string out_;
};

}  // namespace

std::string render_markdown(const Assessment& assessment, bool explain) {
  return MarkdownReport(assessment, explain).render();
}

}  // namespace kneecheck
