#include "kneecheck/report/report.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
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
      : assessment_(assessment), options_(options), theme_(options.color) {}

  std::string render() {
    header();
    if (!assessment_.red_flags.empty()) escalation();
    causes();
    if (assessment_.red_flags.empty()) escalation();
    if (options_.explain) explanation();
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

  void header() {
    line(styled(theme_.heading, assessment_.rules_title));
    line(fmt::format("{} · rules {} {}", assessment_.date.to_string(), assessment_.rules_id, assessment_.rules_version));
  }

  std::string bar(int score) const {
    constexpr int kCells = 20;
    int filled = (score * kCells + 50) / 100;
    std::string cells;
    for (int i = 0; i < kCells; ++i) cells += i < filled ? (options_.unicode ? "█" : "#") : (options_.unicode ? "░" : ".");
    return options_.unicode ? cells : "[" + cells + "]";
  }

  static std::string answers_text(std::span<const Evidence> evidence) {
    std::string text;
    for (const auto& item : evidence) {
      if (!text.empty()) text += "; ";
      (text += item.id) += ": ";
      append_shown(text, item);
    }
    return text;
  }

  // For rule authors and the curious: how every indicator was judged.
  void explanation() {
    line();
    line(styled(theme_.heading, kExplanationHeading));
    for (const auto& cause : assessment_.causes) {
      line();
      line(fmt::format("{} ({}/100)", cause.title, cause.score));
      for (const auto& indicator : cause.indicators) {
        paragraph(fmt::format("{} {} [{:g} points] ({})", indicator.matched ? "[x]" : "[ ]", indicator.because,
                              indicator.points, answers_text(indicator.evidence)),
                  "  ", "      ");
      }
    }
  }

  void causes() {
    line();
    if (assessment_.withheld == Withheld::all) {
      to_discuss();
      return;
    }
    if (!assessment_.any_cause_indicated()) {
      line(styled(theme_.heading, "Likely causes"));
      paragraph(std::string(kNoCauseText), "  ", "  ");
      if (!assessment_.general_advice.empty()) {
        line("  What helps in general:");
        for (const auto& advice : assessment_.general_advice) paragraph(advice.text, "  - ", "    ");
      }
      withheld_note();
      return;
    }
    line(styled(theme_.heading, "Likely causes, most likely first"));
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
      line();
      std::string names;
      for (const auto& name : not_indicated) names += (names.empty() ? "" : "; ") + name;
      paragraph("Not pointed to by your answers: " + names + ".", "", "  ");
    }
  }

  // Under an urgent flag: no likely causes, only what the answers pointed to.
  void to_discuss() {
    if (!assessment_.any_cause_indicated()) return;
    line(styled(theme_.heading, std::string(kToDiscussHeading)));
    paragraph(std::string(kToDiscussText), "  ", "  ");
    for (const auto& cause : assessment_.causes) {
      for (const IndicatorResult* indicator : cause.matched) {
        paragraph(fmt::format("{} ({})", indicator->because, answers_text(indicator->evidence)), "  - ", "    ");
      }
    }
  }

  void withheld_note() {
    if (assessment_.withheld != Withheld::load) return;
    line();
    paragraph(std::string(kLoadWithheldText), "", "", theme_.heading);
  }

  void cause_block(const std::string& rank, const CauseAssessment& cause) {
    line();
    line(fmt::format("{} {}", rank, styled(theme_.heading, cause.title)));
    const auto band = theme_.band(cause.band);
    line(fmt::format("   {} {:>3}/100  {}", styled(band, bar(cause.score)), cause.score,
                     styled(band, to_string(cause.band))));
    paragraph(cause.summary, "   ", "   ");
    line("   Because you said:");
    for (const IndicatorResult* indicator : cause.matched) {
      paragraph(fmt::format("{} ({})", indicator->because, answers_text(indicator->evidence)), "   - ", "     ");
    }
    if (cause.advice.empty()) return;  // all of it withheld by a red flag
    line("   What helps:");
    for (const auto& advice : cause.advice) paragraph(advice.text, "   - ", "     ");
  }

  // The escalation's lines, wrapped to fit inside the box (or between rules).
  std::vector<std::pair<std::string, bool>> escalation_lines(std::size_t width) const {
    const Escalation& escalation = assessment_.escalation;
    std::vector<std::pair<std::string, bool>> lines;  // text, and whether it is the heading
    auto add = [&](std::string_view text, std::string_view first, std::string_view rest, bool heading) {
      auto wrapped = wrap(text, width - first.size());
      for (std::size_t i = 0; i < wrapped.size(); ++i) {
        lines.emplace_back(std::string(i == 0 ? first : rest) + wrapped[i], heading);
      }
    };
    add(fmt::format("{} ({})", to_upper(level_heading(escalation.level)), to_string(escalation.level)), "", "", true);
    for (const auto& flag : assessment_.red_flags) {
      add(fmt::format("[{}] {}", to_string(flag.level), flag.message), "! ", "  ", false);
    }
    if (assessment_.red_flags.empty()) add(escalation.message, "", "", false);
    for (const auto& reason : escalation.reasons) {
      if (!reason.text.empty()) add(fmt::format("Because {}.", reason.text), "- ", "  ", false);
    }
    if (escalation.review_by) add(fmt::format("Review by {}.", escalation.review_by->to_string()), "", "", false);
    return lines;
  }

  static std::string repeat(std::string_view piece, std::size_t times) {
    std::string text;
    for (std::size_t i = 0; i < times; ++i) text += piece;
    return text;
  }

  void escalation() {
    const auto& style = theme_.level(assessment_.escalation.level);
    line();
    if (!options_.unicode) {
      std::string rule(options_.width, '=');
      line(styled(style, rule));
      for (const auto& [text, heading] : escalation_lines(options_.width)) line(heading ? styled(style, text) : text);
      line(styled(style, rule));
      return;
    }
    std::size_t inner = options_.width - 4;
    line(styled(style, "┏" + repeat("━", inner + 2) + "┓"));
    for (const auto& [text, heading] : escalation_lines(inner)) {
      std::string padded = text + std::string(inner - display_width(text), ' ');
      line(styled(style, "┃ ") + (heading ? styled(style, padded) : padded) + styled(style, " ┃"));
    }
    line(styled(style, "┗" + repeat("━", inner + 2) + "┛"));
  }

  void disclaimer() {
    line();
    paragraph(assessment_.disclaimer, "", "");
    if (assessment_.not_covered.empty()) return;
    line(styled(theme_.heading, "This check does not cover:"));
    for (const auto& group : assessment_.not_covered) paragraph(group, "- ", "  ");
  }

  const Assessment& assessment_;
  const TextOptions& options_;
  Theme theme_;
  std::string out_;
};

}  // namespace

std::string render_text(const Assessment& assessment, const TextOptions& options) {
  return TextReport(assessment, options).render();
}

}  // namespace kneecheck
