#include "kneecheck/report/report.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/wording.hpp"

namespace kneecheck {

namespace {

// Styles are empty when colour is off, so the same code prints plain text.
// Colour marks how pressing a level is and how strong a cause is; body text
// keeps the terminal's own colour, never a low-contrast grey.
struct Theme {
  fmt::text_style heading;
  fmt::text_style urgent;
  fmt::text_style soon;
  fmt::text_style routine;
  fmt::text_style self_care;
  fmt::text_style high;
  fmt::text_style moderate;

  explicit Theme(bool color) {
    if (!color) return;
    heading = fmt::emphasis::bold;
    urgent = fmt::fg(fmt::terminal_color::bright_red) | fmt::emphasis::bold;
    soon = fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold;
    routine = fmt::fg(fmt::terminal_color::bright_blue) | fmt::emphasis::bold;
    self_care = fmt::fg(fmt::terminal_color::green) | fmt::emphasis::bold;
    high = fmt::fg(fmt::terminal_color::magenta) | fmt::emphasis::bold;
    moderate = fmt::fg(fmt::terminal_color::cyan);
  }

  fmt::text_style level(Level level) const {
    switch (level) {
      case Level::urgent: return urgent;
      case Level::soon: return soon;
      case Level::routine: return routine;
      case Level::self_care: return self_care;
    }
    return heading;
  }

  fmt::text_style band(Band band) const {
    return band == Band::high ? high : band == Band::moderate ? moderate : fmt::text_style{};
  }
};

std::string styled(const fmt::text_style& style, std::string_view text) {
  return fmt::format(style, "{}", text);
}

class TextReport {
 public:
  TextReport(const Assessment& assessment, const TextOptions& options)
      : content_(report_content(assessment, options.explain)), options_(options), theme_(options.color) {}

  std::string render() {
    header();
    what_to_do();
    summary();
    details();
    from_runs();
    if (options_.explain) explanation();
    sources();
    disclaimer();
    return std::move(out_);
  }

 private:
  void line(std::string_view text = {}) {
    out_ += text;
    out_ += '\n';
  }

  // Wraps plain text first and styles it after, so escapes never count as width.
  void paragraph(std::string_view text, std::string_view first_indent, std::string_view indent,
                 const fmt::text_style& style = {}) {
    auto lines = wrap(text, options_.width - display_width(indent));
    for (std::size_t i = 0; i < lines.size(); ++i) line(std::string(i == 0 ? first_indent : indent) + styled(style, lines[i]));
  }

  static std::string with_marks(const std::string& text, const References& references) {
    std::string marks = reference_marks(references);
    return marks.empty() ? text : text + " " + marks;
  }

  static std::string reason_text(const Reason& reason) {
    std::string text = reason.text;
    if (!reason.answers.empty()) text += " (" + reason.answers + ")";
    return with_marks(text, reason.references);
  }

  void header() {
    paragraph(fmt::format("{} · {}", content_.title, content_.date_words), "", "", theme_.heading);
  }

  std::string bar(int score) const {
    constexpr int kCells = 20;
    int filled = (score * kCells + 50) / 100;
    std::string cells;
    for (int i = 0; i < kCells; ++i) cells += i < filled ? (options_.unicode ? "█" : "#") : (options_.unicode ? "░" : ".");
    return options_.unicode ? cells : "[" + cells + "]";
  }

  // (a) In a box (or between rules), coloured by level.
  void what_to_do() {
    const WhatToDo& now = content_.now;
    std::vector<std::pair<std::string, bool>> lines;  // text, and whether it is the heading
    std::size_t inner = options_.unicode ? options_.width - 4 : options_.width;
    auto add = [&](std::string_view text, std::string_view first, std::string_view rest, bool heading) {
      auto wrapped = wrap(text, inner - first.size());
      for (std::size_t i = 0; i < wrapped.size(); ++i) {
        lines.emplace_back(std::string(i == 0 ? first : rest) + wrapped[i], heading);
      }
    };
    add(to_upper(now.headline), "", "", true);
    for (const auto& flag : now.flags) {
      std::string title = flag.title.empty() ? "" : flag.title + ": ";
      add(title + reason_text(flag.reason), "! ", "  ", false);
    }
    for (const auto& reason : now.why) add("Because " + reason_text(reason) + ".", "", "", false);
    if (!now.message.text.empty()) add(with_marks(now.message.text, now.message.references), "", "", false);
    const auto style = theme_.level(now.level);
    line();
    if (!options_.unicode) {
      std::string rule(options_.width, '=');
      line(styled(style, rule));
      for (const auto& [text, heading] : lines) line(heading ? styled(style, text) : text);
      line(styled(style, rule));
      return;
    }
    line(styled(style, "┏" + repeat("━", inner + 2) + "┓"));
    for (const auto& [text, heading] : lines) {
      std::string padded = text + std::string(inner - std::min(inner, display_width(text)), ' ');
      line(styled(style, "┃ ") + (heading ? styled(style, padded) : padded) + styled(style, " ┃"));
    }
    line(styled(style, "┗" + repeat("━", inner + 2) + "┛"));
  }

  // (b)
  void summary() {
    const SummaryShown& summary = content_.summary;
    if (!summary.shown) return;
    line();
    if (summary.leads.empty()) {
      paragraph(summary.opening, "", "");
    } else if (summary.leads.size() == 1) {
      const Lead& lead = summary.leads.front();
      paragraph(fmt::format("{} {} ({}/100, {})", summary.opening, lead.title, lead.score, to_string(lead.band)), "",
                "  ", theme_.heading);
      paragraph("because " + reason_text(lead.strongest), "  ", "  ");
    } else {
      line(styled(theme_.heading, summary.opening));
      for (const auto& lead : summary.leads) {
        paragraph(fmt::format("{} ({}/100, {}), because {}", lead.title, lead.score, to_string(lead.band),
                              reason_text(lead.strongest)),
                  "- ", "  ");
      }
    }
    if (summary.actions.empty()) return;
    line(styled(theme_.heading, "This week:"));
    for (std::size_t i = 0; i < summary.actions.size(); ++i) {
      paragraph(with_marks(summary.actions[i].text, summary.actions[i].references), fmt::format("{}. ", i + 1), "   ");
    }
  }

  // (c)
  void details() {
    const Details& details = content_.details;
    line();
    switch (details.kind) {
      case Details::Kind::to_discuss:
        if (details.to_discuss.empty()) return;
        line(styled(theme_.heading, std::string(kToDiscussHeading)));
        paragraph(std::string(kToDiscussText), "  ", "  ");
        for (const auto& reason : details.to_discuss) paragraph(reason_text(reason), "  - ", "    ");
        return;
      case Details::Kind::no_cause:
        line(styled(theme_.heading, "Likely causes"));
        paragraph(std::string(kNoCauseText), "  ", "  ");
        if (!details.general_advice.empty()) {
          line("  What helps in general:");
          for (const auto& advice : details.general_advice) {
            paragraph(with_marks(advice.text, advice.references), "  - ", "    ");
          }
        }
        withheld_note(details);
        return;
      case Details::Kind::causes: break;
    }
    line(styled(theme_.heading, "Likely causes, most likely first"));
    for (const auto& cause : details.causes) cause_block(cause);
    withheld_note(details);
    if (!details.not_indicated.empty()) {
      line();
      std::string names;
      for (const auto& name : details.not_indicated) names += (names.empty() ? "" : "; ") + name;
      paragraph("Not pointed to by your answers: " + names + ".", "", "  ");
    }
  }

  void withheld_note(const Details& details) {
    if (details.withheld_note.empty()) return;
    line();
    paragraph(details.withheld_note, "", "", theme_.heading);
  }

  void cause_block(const CauseShown& cause) {
    line();
    std::string joint = cause.rank_words.starts_with("joint") ? " (" + cause.rank_words + ")" : "";
    line(fmt::format("{} {}{}", cause.rank, styled(theme_.heading, cause.title), joint));
    const auto band = theme_.band(cause.band);
    line(fmt::format("   {} {:>3}/100  {}", styled(band, bar(cause.score)), cause.score,
                     styled(band, to_string(cause.band))));
    paragraph(fmt::format("{}: {}.", to_string(cause.band), cause.band_meaning), "   ", "   ");
    paragraph(with_marks(cause.summary.text, cause.summary.references), "   ", "   ");
    line("   Because you said:");
    for (const auto& reason : cause.reasons) paragraph(reason_text(reason), "   - ", "     ");
    if (cause.advice.empty()) return;  // all of it withheld by a red flag
    line("   What helps:");
    for (const auto& advice : cause.advice) paragraph(with_marks(advice.text, advice.references), "   - ", "     ");
  }

  // For rule authors and the curious: how every indicator was judged.
  void explanation() {
    line();
    line(styled(theme_.heading, kExplanationHeading));
    for (const auto& cause : content_.explanation) {
      line();
      line(fmt::format("{} ({}/100)", cause.title, cause.score));
      for (const auto& sign : cause.signs) {
        paragraph(fmt::format("{} {} [{:g} points]", sign.matched ? "[x]" : "[ ]", reason_text(sign.reason), sign.points),
                  "  ", "      ");
      }
    }
  }

  void from_runs() {
    if (content_.from_runs.empty()) return;
    line();
    paragraph(from_runs_sentence(content_.from_runs), "", "");
  }

  // (d) The list, or a line saying how to see it.
  void sources() {
    if (content_.sources.empty()) return;
    line();
    if (!options_.sources) {
      paragraph(fmt::format("The numbers in brackets refer to {} sources: add --sources to list them.",
                            content_.sources.size()),
                "", "");
      return;
    }
    line(styled(theme_.heading, "Sources"));
    for (const auto& source : content_.sources) {
      std::string text = source.url.empty() ? source.text : source.text + " " + source.url;
      paragraph(text, fmt::format("{:>2}. ", source.number), "    ");
    }
  }

  // (e)
  void disclaimer() {
    line();
    paragraph(content_.disclaimer, "", "");
    if (!content_.not_covered.empty()) {
      line(styled(theme_.heading, "This check does not cover:"));
      for (const auto& group : content_.not_covered) paragraph(group, "- ", "  ");
    }
    line();
    paragraph(fmt::format("Check-in of {} · {}", content_.date.to_string(), content_.rules), "", "");
  }

  static std::string repeat(std::string_view piece, std::size_t times) {
    std::string text;
    for (std::size_t i = 0; i < times; ++i) text += piece;
    return text;
  }

  const ReportContent content_;
  const TextOptions& options_;
  Theme theme_;
  std::string out_;
};

}  // namespace

std::string render_text(const Assessment& assessment, const TextOptions& options) {
  return TextReport(assessment, options).render();
}

}  // namespace kneecheck
