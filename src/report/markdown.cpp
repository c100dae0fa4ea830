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
#include "kneecheck/report/content.hpp"
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


// "[1, 7]", written \[1, 7\] so that no viewer takes it for a link.
std::string marks(const References& references) {
  std::string text = reference_marks(references);
  return text.empty() ? "" : " \\" + text.substr(0, text.size() - 1) + "\\]";
}

std::string reason_text(const Reason& reason) {
  std::string text = escape(reason.text);
  if (!reason.answers.empty()) text += " *(" + escape(reason.answers) + ")*";
  return text + marks(reason.references);
}

std::string cited_text(const Cited& cited) { return escape(cited.text) + marks(cited.references); }

class MarkdownReport {
 public:
  MarkdownReport(const Assessment& assessment, bool explain) : content_(report_content(assessment, explain)) {}

  std::string render() {
    out_ += fmt::format("# {}\n\n{} · {}\n", escape(content_.title), escape(content_.date_words), escape(content_.rules));
    what_to_do();
    summary();
    details();
    answers();
    if (!content_.explanation.empty()) explanation();
    sources();
    disclaimer();
    return std::move(out_);
  }

 private:
  // (a)
  void what_to_do() {
    const WhatToDo& now = content_.now;
    out_ += fmt::format("\n## {} {}\n\n", level_mark(now.level), escape(now.headline));
    for (const auto& flag : now.flags) {
      std::string title = flag.title.empty() ? "" : "**" + escape(flag.title) + ":** ";
      out_ += fmt::format("- {} {}{}\n", level_mark(flag.level), title, reason_text(flag.reason));
    }
    for (const auto& reason : now.why) out_ += fmt::format("- Because {}.\n", reason_text(reason));
    if (!now.message.text.empty()) out_ += fmt::format("\n{}\n", cited_text(now.message));
  }

  // (b)
  void summary() {
    const SummaryShown& summary = content_.summary;
    if (!summary.shown) return;
    out_ += "\n## In short\n\n";
    if (summary.leads.empty()) {
      out_ += escape(summary.opening) + "\n";
    } else {
      out_ += fmt::format("**{}**\n\n", escape(summary.opening));
      for (const auto& lead : summary.leads) {
        out_ += fmt::format("- **{}** ({}/100, {}), because {}\n", escape(lead.title), lead.score,
                            to_string(lead.band), reason_text(lead.strongest));
      }
    }
    if (summary.actions.empty()) return;
    out_ += "\n**This week:**\n\n";
    for (std::size_t i = 0; i < summary.actions.size(); ++i) {
      out_ += fmt::format("{}. {}\n", i + 1, cited_text(summary.actions[i]));
    }
  }

  static std::string bar(int score) {
    constexpr int kCells = 20;
    int filled = (score * kCells + 50) / 100;
    std::string cells;
    for (int i = 0; i < kCells; ++i) cells += i < filled ? "█" : "░";
    return cells;
  }

  // (c)
  void details() {
    const Details& details = content_.details;
    switch (details.kind) {
      case Details::Kind::to_discuss:
        if (details.to_discuss.empty()) return;
        out_ += fmt::format("\n## {}\n\n{}\n\n", kToDiscussHeading, kToDiscussText);
        for (const auto& reason : details.to_discuss) out_ += fmt::format("- {}\n", reason_text(reason));
        return;
      case Details::Kind::no_cause:
        out_ += fmt::format("\n## Likely causes\n\n{}\n", kNoCauseText);
        if (!details.general_advice.empty()) {
          out_ += "\n**What helps in general:**\n\n";
          for (const auto& advice : details.general_advice) out_ += fmt::format("- {}\n", cited_text(advice));
        }
        withheld_note(details);
        return;
      case Details::Kind::causes: break;
    }
    out_ += "\n## Likely causes, most likely first\n";
    for (const auto& cause : details.causes) cause_block(cause);
    withheld_note(details);
    if (!details.not_indicated.empty()) {
      std::string names;
      for (const auto& name : details.not_indicated) names += (names.empty() ? "" : "; ") + escape(name);
      out_ += fmt::format("\nNot pointed to by your answers: {}.\n", names);
    }
  }

  void withheld_note(const Details& details) {
    if (!details.withheld_note.empty()) out_ += fmt::format("\n**{}**\n", escape(details.withheld_note));
  }

  void cause_block(const CauseShown& cause) {
    std::string joint = cause.rank_words.starts_with("joint") ? " (" + cause.rank_words + ")" : "";
    out_ += fmt::format("\n### {} {}{}\n\n", cause.rank, escape(cause.title), joint);  // the rank is ours: "1." or "2="
    out_ += fmt::format("`{}` **{}/100** · {}: {}\n", bar(cause.score), cause.score, to_string(cause.band),
                        cause.band_meaning);
    if (!cause.summary.text.empty()) out_ += fmt::format("\n{}\n", cited_text(cause.summary));
    out_ += "\n**Because you said:**\n\n";
    for (const auto& reason : cause.reasons) out_ += fmt::format("- {}\n", reason_text(reason));
    if (cause.advice.empty()) return;  // all of it withheld by a red flag
    out_ += "\n**What helps:**\n\n";
    for (const auto& advice : cause.advice) out_ += fmt::format("- {}\n", cited_text(advice));
  }

  void answers() {
    out_ += "\n## What you reported\n\n";
    if (content_.answers.empty()) {
      out_ += "No answers were given.\n";
      return;
    }
    out_ += "| Question | Answer |\n|---|---|\n";
    for (const auto& answer : content_.answers) {
      std::string mark = answer.from_runs ? fmt::format(" ({})", kFromRunsMark) : "";
      out_ += fmt::format("| {} | {}{} |\n", escape(answer.label), escape(answer.shown), mark);
    }
    if (content_.derived.empty()) return;
    out_ += "\n**Worked out from your answers:**\n\n| Value | |\n|---|---|\n";
    for (const auto& value : content_.derived) {
      out_ += fmt::format("| {} | {} |\n", escape(value.label), escape(value.shown));
    }
  }

  void explanation() {
    out_ += fmt::format("\n## {}\n", kExplanationHeading);
    for (const auto& cause : content_.explanation) {
      out_ += fmt::format("\n### {} ({}/100)\n\n", escape(cause.title), cause.score);
      for (const auto& sign : cause.signs) {
        out_ += fmt::format("- [{}] {} ({:g} points)\n", sign.matched ? "x" : " ", reason_text(sign.reason), sign.points);
      }
    }
  }

  // (d)
  void sources() {
    if (content_.sources.empty()) return;
    out_ += "\n## Sources\n\n";
    for (const auto& source : content_.sources) {
      std::string link = source.url.empty() ? "" : fmt::format(" <{}>", source.url);
      out_ += fmt::format("{}. {}{}\n", source.number, escape(source.text), link);
    }
  }

  // (e)
  void disclaimer() {
    out_ += fmt::format("\n---\n\n{}\n", escape(content_.disclaimer));
    if (content_.not_covered.empty()) return;
    out_ += "\n**This check does not cover:**\n\n";
    for (const auto& group : content_.not_covered) out_ += fmt::format("- {}\n", escape(group));
  }

  const ReportContent content_;
  std::string out_;
};

}  // namespace

std::string render_markdown(const Assessment& assessment, bool explain) {
  return MarkdownReport(assessment, explain).render();
}

}  // namespace kneecheck
