#include "kneecheck/report/report.hpp"

#include <map>

#include <fmt/color.h>
#include <fmt/format.h>

#include "kneecheck/base/json_writer.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

using json = nlohmann::ordered_json;

namespace {

// Styles are empty when colour is off, so the same code prints plain text.
struct Theme {
  fmt::text_style heading;
  fmt::text_style urgent;
  fmt::text_style soon;
  fmt::text_style muted;

  explicit Theme(bool color) {
    if (!color) return;
    heading = fmt::emphasis::bold;
    urgent = fmt::fg(fmt::terminal_color::bright_red) | fmt::emphasis::bold;
    soon = fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold;
    muted = fmt::fg(fmt::terminal_color::bright_black);
  }

  fmt::text_style level(Level level) const {
    return level == Level::urgent ? urgent : level == Level::soon ? soon : heading;
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
    line(styled(theme_.muted, fmt::format("{} · rules {} {}", assessment_.date.to_string(), assessment_.rules_id,
                                          assessment_.rules_version)));
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
    line(styled(theme_.heading, "How every sign was judged"));
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
      paragraph("Not pointed to by your answers: " + names + ".", "", "  ", theme_.muted);
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
    line(fmt::format("   {} {:>3}/100  {}", bar(cause.score), cause.score, to_string(cause.band)));
    paragraph(cause.summary, "   ", "   ", theme_.muted);
    line("   Because you said:");
    for (const IndicatorResult* indicator : cause.matched) {
      paragraph(fmt::format("{} ({})", indicator->because, answers_text(indicator->evidence)), "   - ", "     ");
    }
    if (cause.advice.empty()) return;  // all of it withheld by a red flag
    line("   What helps:");
    for (const auto& advice : cause.advice) paragraph(advice.text, "   - ", "     ");
  }

  static std::string_view level_heading(Level level) {
    switch (level) {
      case Level::urgent: return "SEEK CARE TODAY";
      case Level::soon: return "BOOK A PROFESSIONAL WITHIN DAYS";
      case Level::routine: return "SEE A PHYSIO OR DOCTOR";
      case Level::self_care: return "LOOK AFTER IT YOURSELF, AND REVIEW";
    }
    return "";
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
    add(fmt::format("{} ({})", level_heading(escalation.level), to_string(escalation.level)), "", "", true);
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
    paragraph(assessment_.disclaimer, "", "", theme_.muted);
    if (assessment_.not_covered.empty()) return;
    line(styled(theme_.muted, "This check does not cover:"));
    for (const auto& group : assessment_.not_covered) paragraph(group, "- ", "  ", theme_.muted);
  }

  const Assessment& assessment_;
  const TextOptions& options_;
  Theme theme_;
  std::string out_;
};

// shown(evidence) as a JSON string: a choice's label is the rule set's own
// text, which the writer may have escaped already.
void write_shown(JsonWriter& out, const Evidence& evidence) {
  if (evidence.question != nullptr && evidence.question->type == QuestionType::choice &&
      evidence.value.type() == logic::Value::Type::string) {
    if (const Option* option = evidence.question->option_of(evidence.value.as_string())) {
      out.lasting_value(option->label);
      return;
    }
  }
  thread_local std::string text;  // its room kept from one record to the next
  text.clear();
  append_shown(text, evidence);
  out.value(text);
}

void write_evidence(JsonWriter& out, std::span<const Evidence> evidence) {
  out.begin_array();
  for (const auto& item : evidence) {
    out.begin_object().key("id").lasting_value(item.id).key("value").value(item.value).key("shown");
    write_shown(out, item);
    out.end_object();
  }
  out.end_array();
}

// The members every indicator has, the same in every record.
void write_indicator_rule(JsonWriter& out, const IndicatorResult& indicator) {
  out.key("id").lasting_value(indicator.id)
      .key("because").lasting_value(indicator.because)
      .key("source").lasting_strings(indicator.sources);
}

// An indicator's object but its end, which the caller writes.
void write_indicator_members(JsonWriter& out, const IndicatorResult& indicator) {
  out.begin_object().members_fragment(indicator.id, [&](JsonWriter& w) { write_indicator_rule(w, indicator); });
  out.key("points").value(indicator.points).key("answers");
  write_evidence(out, indicator.evidence);
}

void write_cause_rule(JsonWriter& out, const CauseAssessment& cause) {
  out.key("id").lasting_value(cause.id).key("title").lasting_value(cause.title).key("summary").lasting_value(cause.summary);
}

void write_advice(JsonWriter& out, const AdviceItem& advice) {
  out.begin_object().key("text").lasting_value(advice.text).key("source").lasting_strings(advice.sources);
  out.key("load").value(advice.load).end_object();
}

void write_advice_list(JsonWriter& out, std::span<const AdviceItem> advice) {
  out.begin_array();
  for (const auto& item : advice) {
    out.value_fragment(item.text, [&](JsonWriter& w) { write_advice(w, item); });
  }
  out.end_array();
}

// The ids of the causes level with causes[index], in order.
void write_level_with(JsonWriter& out, const Assessment& assessment, std::size_t index) {
  out.begin_array();
  const auto& causes = assessment.causes;
  for (std::size_t j = 0; j < causes.size(); ++j) {
    if (j != index && causes[j].rank == causes[index].rank) out.lasting_value(causes[j].id);
  }
  out.end_array();
}

void write_cause(JsonWriter& out, const Assessment& assessment, std::size_t index, bool explain) {
  const CauseAssessment& cause = assessment.causes[index];
  out.begin_object().key("rank").value(cause.rank).key("level_with");
  write_level_with(out, assessment, index);
  out.members_fragment(cause.id, [&](JsonWriter& w) { write_cause_rule(w, cause); });
  out.key("score").value(cause.score)
      .key("band").lasting_value(to_string(cause.band))
      .key("matched").begin_array();
  for (const IndicatorResult* indicator : cause.matched) {
    write_indicator_members(out, *indicator);
    out.end_object();
  }
  out.end_array().key("advice");
  write_advice_list(out, cause.advice);
  if (explain) {
    out.key("indicators").begin_array();
    for (const auto& indicator : cause.indicators) {
      write_indicator_members(out, indicator);
      out.key("matched").value(indicator.matched).end_object();
    }
    out.end_array();
  }
  out.end_object();
}

void write_red_flag_rule(JsonWriter& out, const RaisedFlag& flag) {
  out.key("id").lasting_value(flag.id)
      .key("level").lasting_value(to_string(flag.level))
      .key("message").lasting_value(flag.message)
      .key("source").lasting_strings(flag.sources);
}

void write_disclaimer(JsonWriter& out, std::string_view text, std::span<const std::string> not_covered) {
  out.begin_object().key("text").lasting_value(text).key("not_covered").lasting_strings(not_covered).end_object();
}

void write_red_flags(JsonWriter& out, std::span<const RaisedFlag> flags) {
  out.begin_array();
  for (const auto& flag : flags) {
    out.begin_object().members_fragment(flag.id, [&](JsonWriter& w) { write_red_flag_rule(w, flag); });
    out.key("answers");
    write_evidence(out, flag.evidence);
    out.end_object();
  }
  out.end_array();
}

void write_escalation(JsonWriter& out, const Escalation& escalation) {
  out.begin_object().key("level").lasting_value(to_string(escalation.level)).key("message").lasting_value(escalation.message);
  out.key("review_by");
  if (escalation.review_by) {
    out.value(escalation.review_by->to_string());
  } else {
    out.null();
  }
  out.key("source").lasting_strings(escalation.sources).key("reasons").begin_array();
  for (const auto& reason : escalation.reasons) {
    out.begin_object().key("id").lasting_value(reason.id).key("text").lasting_value(reason.text);
    out.key("source").lasting_strings(reason.sources).key("answers");
    write_evidence(out, reason.evidence);
    out.end_object();
  }
  out.end_array().end_object();
}

std::string format_number(const nlohmann::json& value) {
  if (value.is_number_float()) return fmt::format("{:g}", value.get<double>());
  return value.dump();
}

// An answer value in words, for answers no condition read (those come with
// the engine's wording in the evidence).
std::string plain_value(const nlohmann::json& value) {
  if (value.is_null()) return "not answered";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number()) return format_number(value);
  if (value.is_array()) {
    if (value.empty()) return "none of these";
    std::string text;
    for (const auto& item : value) text += (text.empty() ? "" : ", ") + plain_value(item);
    return text;
  }
  return value.dump();
}

}  // namespace

namespace {

// What write_json writes of each rule object, the same in every record, made
// by the same functions from the views the engine hands out.
void add_fragments(JsonLiterals& literals, const RuleSet& rules) {
  for (const auto& flag : rules.red_flags) {
    RaisedFlag raised{flag.id, flag.level, flag.message, flag.sources, {}, flag.withholds_load_advice};
    literals.add_fragment(flag.id, JsonWriter::render_members([&](JsonWriter& w) { write_red_flag_rule(w, raised); }));
  }
  for (const auto& cause : rules.causes) {
    CauseAssessment assessed;
    assessed.id = cause.id;
    assessed.title = cause.title;
    assessed.summary = cause.summary;
    literals.add_fragment(cause.id, JsonWriter::render_members([&](JsonWriter& w) { write_cause_rule(w, assessed); }));
    for (const auto& indicator : cause.indicators) {
      IndicatorResult result{indicator.id, indicator.because, indicator.points, indicator.sources, {}, false};
      literals.add_fragment(indicator.id,
                            JsonWriter::render_members([&](JsonWriter& w) { write_indicator_rule(w, result); }));
    }
    for (const auto& advice : cause.advice) {
      AdviceItem item{advice.text, advice.sources, advice.load};
      literals.add_fragment(advice.text, JsonWriter::render_value([&](JsonWriter& w) { write_advice(w, item); }));
    }
  }
  for (const auto& advice : rules.general_advice) {
    AdviceItem item{advice.text, advice.sources, advice.load};
    literals.add_fragment(advice.text, JsonWriter::render_value([&](JsonWriter& w) { write_advice(w, item); }));
  }
  literals.add_fragment(rules.disclaimer, JsonWriter::render_value([&](JsonWriter& w) {
                          write_disclaimer(w, rules.disclaimer, rules.not_covered);
                        }));
}

}  // namespace

JsonLiterals json_literals(const RuleSet& rules) {
  JsonLiterals literals;
  auto add_all = [&](std::span<const std::string> texts) {
    for (const auto& text : texts) literals.add(text);
  };
  // History evidence is named by the path a condition reads.
  auto add_history_paths = [&](const logic::Expression& condition) {
    for (const auto& path : condition.variables()) {
      if (path.starts_with(kHistoryObject)) literals.add(path);
    }
  };
  literals.add(rules.id);
  literals.add(rules.version);
  add_all(rules.slots.names());
  for (const auto& question : rules.questions) {
    for (const auto& option : question.options) {
      literals.add(option.value);  // checked answers are views of these
      literals.add(option.label);
    }
  }
  for (const auto& derived : rules.derived) add_history_paths(derived.value);
  for (const auto& flag : rules.red_flags) {
    literals.add(flag.id);
    literals.add(flag.message);
    add_all(flag.sources);
    add_history_paths(flag.when.when);
  }
  for (const auto& cause : rules.causes) {
    literals.add(cause.id);
    literals.add(cause.title);
    literals.add(cause.summary);
    for (const auto& indicator : cause.indicators) {
      literals.add(indicator.id);
      literals.add(indicator.because);
      add_all(indicator.sources);
      add_history_paths(indicator.when.when);
    }
    for (const auto& advice : cause.advice) {
      literals.add(advice.text);
      add_all(advice.sources);
    }
  }
  for (const EscalationLevel* level : {&rules.routine, &rules.self_care}) {
    literals.add(level->message);
    add_all(level->sources);
    for (const auto& reason : level->reasons) {
      literals.add(reason.id);
      literals.add(reason.text);
      add_all(reason.sources);
      add_history_paths(reason.when.when);
    }
  }
  for (const auto& advice : rules.general_advice) {
    literals.add(advice.text);
    add_all(advice.sources);
  }
  for (Withheld withheld : {Withheld::none, Withheld::load, Withheld::all}) literals.add(to_string(withheld));
  literals.add(rules.disclaimer);
  add_all(rules.not_covered);
  for (Band band : {Band::low, Band::moderate, Band::high}) literals.add(to_string(band));
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) literals.add(to_string(level));
  add_fragments(literals, rules);
  return literals;
}

std::vector<std::pair<std::string, std::string>> answers_shown(const Assessment& assessment) {
  std::map<std::string_view, std::string> shown_by_id;
  auto collect = [&](std::span<const Evidence> evidence) {
    for (Evidence item : evidence) {
      item.relevant = {};  // the table shows the whole answer
      shown_by_id.emplace(item.id, shown(item));
    }
  };
  for (const auto& flag : assessment.red_flags) collect(flag.evidence);
  for (const auto& cause : assessment.causes) {
    for (const auto& indicator : cause.indicators) collect(indicator.evidence);
  }
  std::vector<std::pair<std::string, std::string>> list;
  for (const auto& [id, value] : assessment.answers()) {
    auto it = shown_by_id.find(id);
    list.emplace_back(id, it != shown_by_id.end() ? it->second : plain_value(value.to_json()));
  }
  return list;
}

std::string rank_label(const Assessment& assessment, std::size_t index) {
  const auto& causes = assessment.causes;
  bool level = causes[index].level_with_previous ||
               (index + 1 < causes.size() && causes[index + 1].level_with_previous);
  return fmt::format("{}{}", causes[index].rank, level ? "=" : ".");
}

std::string render_text(const Assessment& assessment, const TextOptions& options) {
  return TextReport(assessment, options).render();
}

void write_json(JsonWriter& out, const Assessment& assessment, bool explain) {
  out.begin_object()
      .key("kneecheck_assessment").value(1)
      .key("rules").begin_object()
      .key("id").lasting_value(assessment.rules_id)
      .key("version").lasting_value(assessment.rules_version)
      .end_object()
      .key("date").value(assessment.date.to_string())
      .key("escalation");
  write_escalation(out, assessment.escalation);
  out.key("red_flags");
  write_red_flags(out, assessment.red_flags);
  out.key("advice_withheld").lasting_value(to_string(assessment.withheld));
  out.key("any_cause_indicated").value(assessment.any_cause_indicated()).key("causes").begin_array();
  for (std::size_t i = 0; i < assessment.causes.size(); ++i) write_cause(out, assessment, i, explain);
  out.end_array().key("general_advice");
  write_advice_list(out, assessment.general_advice);
  out
      .key("answers").begin_object();
  for (const auto& [id, value] : assessment.answers()) out.lasting_key(id).value(value);
  out.end_object()
      .key("history").value(assessment.history)
      .key("disclaimer").value_fragment(assessment.disclaimer, [&](JsonWriter& w) {
        write_disclaimer(w, assessment.disclaimer, assessment.not_covered);
      })
      .end_object();
}

std::string render_json(const Assessment& assessment, bool explain, int indent) {
  std::string text;
  JsonWriter out(text, indent);
  write_json(out, assessment, explain);
  return text;
}

json to_json(const Assessment& assessment, bool explain) { return json::parse(render_json(assessment, explain, -1)); }

}  // namespace kneecheck
