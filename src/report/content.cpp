#include "kneecheck/report/content.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/report/wording.hpp"

namespace kneecheck {

namespace {

std::string_view base_id(std::string_view source) { return source.substr(0, source.find('#')); }

// The words for the history variables conditions may read.
std::string_view history_label(std::string_view path) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kLabels = {{
      {"checkins", "Earlier check-ins"},
      {"days_since_first", "Days since your first check-in"},
      {"weeks_since_first", "Weeks since your first check-in"},
      {"first_pain", "Pain at your first check-in"},
      {"last_pain", "Pain at your last check-in"},
      {"pain_change", "Change in pain since your first check-in"},
  }};
  std::string_view name = path.substr(path.find('.') + 1);
  for (const auto& [id, label] : kLabels) {
    if (id == name) return label;
  }
  return path;
}

const Derived* find_derived(const RuleSet& rules, std::string_view id) {
  for (const auto& value : rules.derived) {
    if (value.id == id) return &value;
  }
  return nullptr;
}

std::string_view label_of(const Derived& value) {
  if (!value.label.empty()) return value.label;
  if (!value.description.empty()) return value.description;
  return value.id;
}

// A derived value rounded as its rule asks, with its unit.
std::string derived_in_words(const Derived& value, double number) {
  std::string digits = fmt::format("{:.{}f}", number, value.decimals);
  if (digits == "-0") digits = "0";
  if (value.unit.empty()) return digits;
  if (value.unit == "%") return digits + "%";
  return digits + " " + value.unit;
}

// Numbers people read: whole numbers without a point, others with one or
// two digits at most.
std::string number_in_words(double number) {
  if (number == std::floor(number) && std::fabs(number) < 1e15) return fmt::format("{:.0f}", number);
  return fmt::format("{:g}", std::round(number * 100) / 100);
}

// The value a placeholder names, in words.
std::string placeholder_value(const Assessment& assessment, std::string_view id) {
  const RuleSet& rules = *assessment.rules;
  std::optional<logic::Value> value = assessment.inputs.get(rules.slots.find(id));
  if (!value || value->is_null()) return "not answered";
  if (const Question* question = rules.find_question(id)) {
    Evidence evidence{question->id, question, *value, {}};
    return shown(evidence);
  }
  if (const Derived* derived = find_derived(rules, id); derived != nullptr && value->type() == logic::Value::Type::number) {
    return derived_in_words(*derived, value->as_number());
  }
  return value->to_json().dump();
}

class Writer {
 public:
  Writer(const Assessment& assessment, bool explain)
      : assessment_(assessment), rules_(*assessment.rules), explain_(explain) {
    auto cited = cited_sources(assessment);
    cited_.assign(cited.begin(), cited.end());
  }

  ReportContent write() {
    ReportContent content;
    content.title = assessment_.rules_title;
    content.date = assessment_.date;
    content.date_words = date_in_words(assessment_.date);
    content.rules = fmt::format("rules {} {}", assessment_.rules_id, assessment_.rules_version);
    content.now = what_to_do();
    content.summary = summary();
    content.details = details();
    content.answers = reported_answers();
    for (const auto& answer : content.answers) {
      if (answer.from_runs) content.from_runs.push_back(answer.label);
    }
    content.derived = derived_values();
    content.weekly_km = weekly_km();
    content.pain_over_time = pain_over_time();
    content.sources = sources();
    if (explain_) content.explanation = explanation();
    content.disclaimer = assessment_.disclaimer;
    content.not_covered.assign(assessment_.not_covered.begin(), assessment_.not_covered.end());
    return content;
  }

 private:
  References references(Sources sources) const {
    References numbers;
    for (const auto& source : sources) {
      auto at = std::find(cited_.begin(), cited_.end(), base_id(source));
      if (at == cited_.end()) continue;
      int number = static_cast<int>(at - cited_.begin()) + 1;
      if (std::find(numbers.begin(), numbers.end(), number) == numbers.end()) numbers.push_back(number);
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
  }

  Cited cited(std::string_view text, Sources sources) const { return {std::string(text), references(sources)}; }

  std::string expand(std::string_view text) const { return expand_placeholders(assessment_, text); }

  // "Label: value" for one piece of evidence.
  std::string evidence_in_words(const Evidence& item) const {
    std::string value;
    if (item.id.starts_with(kHistoryObject)) {
      value = item.value.is_null() ? "not known" : item.value.type() == logic::Value::Type::number
                                                        ? number_in_words(item.value.as_number())
                                                        : shown(item);
      return fmt::format("{}: {}", history_label(item.id), value);
    }
    if (item.question != nullptr) return fmt::format("{}: {}", item.question->short_label(), shown(item));
    if (const Derived* derived = find_derived(rules_, item.id)) {
      value = item.value.type() == logic::Value::Type::number ? derived_in_words(*derived, item.value.as_number())
                                                               : shown(item);
      return fmt::format("{}: {}", label_of(*derived), value);
    }
    return fmt::format("{}: {}", item.id, shown(item));
  }

  // A reason's sentence, and the answers behind it that the sentence does
  // not already hold.
  Reason reason(std::string_view text, std::span<const Evidence> evidence, Sources sources) const {
    Reason shown_reason{expand(text), {}, references(sources)};
    auto pieces = split_placeholders(text);
    for (const auto& item : evidence) {
      bool in_sentence = std::any_of(pieces.begin(), pieces.end(), [&](const TextPiece& piece) {
        return piece.placeholder && piece.text == item.id;
      });
      if (in_sentence) continue;
      if (!shown_reason.answers.empty()) shown_reason.answers += "; ";
      shown_reason.answers += evidence_in_words(item);
    }
    return shown_reason;
  }

  Reason reason_of(const IndicatorResult& indicator) const {
    return reason(indicator.because, indicator.evidence, indicator.sources);
  }

  WhatToDo what_to_do() const {
    const Escalation& escalation = assessment_.escalation;
    WhatToDo now;
    now.level = escalation.level;
    now.headline = headline(escalation);
    now.review_by = escalation.review_by;
    for (const auto& flag : assessment_.red_flags) {
      now.flags.push_back({flag.level, std::string(flag.title), reason(flag.message, flag.evidence, flag.sources)});
    }
    if (!now.flags.empty()) return now;
    for (const auto& held : escalation.reasons) {
      if (held.text.empty()) continue;
      now.why.push_back(reason(held.text, held.evidence, held.sources));
    }
    if (escalation.level == Level::self_care) {
      now.why.push_back({"no answer is a warning sign or a reason to see a professional now", "", {}});
    }
    now.message = cited(escalation.message, escalation.sources);
    return now;
  }

  SummaryShown summary() const {
    SummaryShown shown_summary;
    if (assessment_.withheld == Withheld::all) return shown_summary;
    shown_summary.shown = true;
    const auto& leading = assessment_.summary.leading;
    for (std::size_t index : leading) {
      const CauseAssessment& cause = assessment_.causes[index];
      const IndicatorResult* strongest = cause.strongest_reason();
      shown_summary.leads.push_back({std::string(cause.title), cause.score, cause.band,
                                     strongest == nullptr ? Reason{} : reason_of(*strongest)});
    }
    if (leading.empty()) {
      shown_summary.opening = std::string(kNoCauseText);
    } else if (assessment_.causes[leading.front()].band == Band::low) {
      shown_summary.opening = leading.size() == 1 ? "Nothing stands out. The strongest pointer, and a weak one:"
                                                  : "Nothing stands out. The strongest pointers, level and weak:";
    } else {
      shown_summary.opening = leading.size() == 1 ? "Most likely:" : "Level at the top:";
    }
    for (const auto& action : assessment_.summary.actions) shown_summary.actions.push_back(cited(action.text, action.sources));
    return shown_summary;
  }

  CauseShown cause_shown(std::size_t index) const {
    const CauseAssessment& cause = assessment_.causes[index];
    CauseShown shown_cause;
    shown_cause.id = cause.id;
    shown_cause.rank = rank_label(assessment_, index);
    shown_cause.rank_words = rank_in_words(assessment_, index);
    shown_cause.title = cause.title;
    shown_cause.score = cause.score;
    shown_cause.band = cause.band;
    shown_cause.band_meaning = band_meaning(cause.band);
    shown_cause.summary = cited(cause.summary, cause.sources);
    for (const IndicatorResult* indicator : cause.matched) shown_cause.reasons.push_back(reason_of(*indicator));
    for (const auto& advice : cause.advice) shown_cause.advice.push_back(cited(advice.text, advice.sources));
    return shown_cause;
  }

  Details details() const {
    Details shown_details;
    if (assessment_.withheld == Withheld::load) shown_details.withheld_note = kLoadWithheldText;
    if (assessment_.withheld == Withheld::all) {
      shown_details.kind = Details::Kind::to_discuss;
      for (const auto& cause : assessment_.causes) {
        for (const IndicatorResult* indicator : cause.matched) shown_details.to_discuss.push_back(reason_of(*indicator));
      }
      return shown_details;
    }
    if (!assessment_.any_cause_indicated()) {
      shown_details.kind = Details::Kind::no_cause;
      for (const auto& advice : assessment_.general_advice) {
        shown_details.general_advice.push_back(cited(advice.text, advice.sources));
      }
      return shown_details;
    }
    for (std::size_t i = 0; i < assessment_.causes.size(); ++i) {
      const auto& cause = assessment_.causes[i];
      if (cause.matched.empty()) {
        shown_details.not_indicated.emplace_back(cause.title);
      } else {
        shown_details.causes.push_back(cause_shown(i));
      }
    }
    return shown_details;
  }

  std::vector<ReportedAnswer> reported_answers() const {
    std::vector<ReportedAnswer> list;
    for (const auto& question : rules_.questions) {
      std::optional<logic::Value> value = assessment_.inputs.get(rules_.slots.find(question.id));
      if (!value) continue;
      Evidence evidence{question.id, &question, *value, {}};
      bool from_runs = std::find(assessment_.from_runs.begin(), assessment_.from_runs.end(), question.id) !=
                       assessment_.from_runs.end();
      list.push_back({question.id, question.section, question.short_label(), shown(evidence), from_runs});
    }
    return list;
  }

  std::vector<DerivedShown> derived_values() const {
    std::vector<DerivedShown> list;
    for (const auto& value : rules_.derived) {
      std::optional<logic::Value> computed = assessment_.inputs.get(value.slot);
      if (!computed || computed->type() != logic::Value::Type::number) continue;
      list.push_back({value.id, std::string(label_of(value)), derived_in_words(value, computed->as_number()),
                      value.description});
    }
    return list;
  }

  std::vector<std::pair<std::string, double>> weekly_km() const {
    std::vector<std::pair<std::string, double>> weeks;
    for (auto it = rules_.weekly_distance.rbegin(); it != rules_.weekly_distance.rend(); ++it) {
      const Question* question = rules_.find_question(*it);
      std::optional<logic::Value> value = assessment_.inputs.get(rules_.slots.find(*it));
      if (question == nullptr || !value || value->type() != logic::Value::Type::number) return {};
      weeks.emplace_back(question->short_label(), value->as_number());
    }
    return weeks;
  }

  std::vector<PainPoint> pain_over_time() const {
    bool any_earlier = std::any_of(assessment_.earlier.begin(), assessment_.earlier.end(),
                                   [](const PastCheckIn& check_in) { return check_in.pain.has_value(); });
    if (!any_earlier) return {};
    std::vector<PainPoint> points;
    for (const auto& check_in : assessment_.earlier) points.push_back({check_in.date, check_in.pain});
    points.push_back({assessment_.date, assessment_.pain});
    return points;
  }

  std::vector<SourceShown> sources() const {
    std::vector<SourceShown> list;
    for (std::size_t i = 0; i < cited_.size(); ++i) {
      auto source = std::find_if(rules_.sources.begin(), rules_.sources.end(),
                                 [&](const Source& s) { return s.id == cited_[i]; });
      if (source == rules_.sources.end()) continue;
      list.push_back({static_cast<int>(i) + 1, source_in_words(*source), source->url,
                      source->kind == SourceKind::expert_reading});
    }
    return list;
  }

  std::vector<CauseJudged> explanation() const {
    std::vector<CauseJudged> causes;
    for (const auto& cause : assessment_.causes) {
      CauseJudged judged{std::string(cause.title), cause.score, {}};
      for (const auto& indicator : cause.indicators) {
        judged.signs.push_back({indicator.matched, indicator.points, reason_of(indicator)});
      }
      causes.push_back(std::move(judged));
    }
    return causes;
  }

  const Assessment& assessment_;
  const RuleSet& rules_;
  bool explain_;
  std::vector<std::string_view> cited_;
};

}  // namespace

std::vector<std::string_view> cited_sources(const Assessment& assessment) {
  std::vector<std::string_view> order;
  auto cite = [&](Sources sources) {
    for (const auto& source : sources) {
      std::string_view id = base_id(source);
      if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
    }
  };
  const Escalation& escalation = assessment.escalation;
  for (const auto& flag : assessment.red_flags) cite(flag.sources);
  if (assessment.red_flags.empty()) {
    for (const auto& reason : escalation.reasons) cite(reason.sources);
    cite(escalation.sources);
  }
  if (assessment.withheld != Withheld::all) {
    for (std::size_t index : assessment.summary.leading) {
      if (const IndicatorResult* strongest = assessment.causes[index].strongest_reason()) cite(strongest->sources);
    }
    for (const auto& action : assessment.summary.actions) cite(action.sources);
  }
  for (const auto& cause : assessment.causes) {
    if (cause.matched.empty()) continue;
    if (assessment.withheld != Withheld::all) cite(cause.sources);
    for (const IndicatorResult* indicator : cause.matched) cite(indicator->sources);
    for (const auto& advice : cause.advice) cite(advice.sources);
  }
  for (const auto& advice : assessment.general_advice) cite(advice.sources);
  return order;
}

ReportContent report_content(const Assessment& assessment, bool explain) { return Writer(assessment, explain).write(); }

std::string expand_placeholders(const Assessment& assessment, std::string_view text) {
  std::string out;
  for (const TextPiece& piece : split_placeholders(text)) {
    out += piece.placeholder ? placeholder_value(assessment, piece.text) : std::string(piece.text);
  }
  return out;
}

std::string reference_marks(const References& references) {
  if (references.empty()) return {};
  std::string marks = "[";
  for (std::size_t i = 0; i < references.size(); ++i) marks += (i == 0 ? "" : ", ") + std::to_string(references[i]);
  return marks + "]";
}

std::string date_in_words(const Date& date) {
  constexpr std::array<std::string_view, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                        "July",    "August",   "September", "October", "November", "December"};
  return fmt::format("{} {} {}", date.day, kMonths[static_cast<std::size_t>(std::clamp(date.month, 1, 12) - 1)], date.year);
}

std::string_view band_meaning(Band band) {
  switch (band) {
    case Band::high: return "your answers point clearly here, and more than to any other cause";
    case Band::moderate: return "several of your answers point here, or it is level with another cause";
    case Band::low: return "an answer or two point here, weakly";
  }
  return "";
}

std::string headline(const Escalation& escalation) {
  std::string review = escalation.review_by ? date_in_words(*escalation.review_by) : "";
  switch (escalation.level) {
    case Level::urgent: return "Get the knee seen today";
    case Level::soon: return "See a doctor or physiotherapist within the next few days";
    case Level::routine:
      return review.empty() ? "See a physiotherapist or GP within the next few weeks"
                            : fmt::format("See a physiotherapist or GP within the next few weeks, by {}", review);
    case Level::self_care:
      return review.empty() ? "Look after it yourself" : fmt::format("Look after it yourself and check again on {}", review);
  }
  return "";
}

std::string source_in_words(const Source& source) {
  if (source.title.empty()) return source.citation;
  std::string text = source.title;
  if (!text.ends_with('.') && !text.ends_with('?') && !text.ends_with('!')) text += '.';
  if (!source.author.empty()) text += " " + source.author + (source.author.ends_with('.') ? "" : ".");
  std::string where = source.published_in;
  if (!source.year.empty() && source.year != "n.d.") where += (where.empty() ? "" : ", ") + source.year;
  if (!where.empty()) text += " " + where + ".";
  return text;
}

}  // namespace kneecheck
