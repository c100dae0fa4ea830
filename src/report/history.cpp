#include "kneecheck/report/history.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "report/columns.hpp"

namespace kneecheck {

using ordered_json = nlohmann::ordered_json;
using columns::csv_field;
using columns::fit;
using columns::padded;
using columns::printable;
using columns::right_aligned;
using columns::short_date;

namespace {

constexpr double kMaxScore = 100;
constexpr double kPainScale = 10;  // the default rules' 0..10; larger pains widen it
constexpr std::size_t kChartedCauses = 3;

std::string pain_text(const std::optional<double>& pain, bool unicode) {
  if (!pain) return unicode ? "–" : "-";
  return fmt::format("{:g}", *pain);
}

std::optional<double> score_of(const CheckIn& check_in, const std::string& cause_id) {
  for (const auto& cause : check_in.scores) {
    if (cause.id == cause_id) return cause.score;
  }
  return std::nullopt;
}

// What the level asked, in a few words for a table.
std::string_view level_words(Level level) {
  switch (level) {
    case Level::urgent: return "Seek care today";
    case Level::soon: return "See someone within days";
    case Level::routine: return "See someone within weeks";
    case Level::self_care: return "Look after it yourself";
  }
  return "";
}

// The top cause, and whether another scored the same: the history keeps
// the scores, which is what it can tell a tie by.
std::string top_cause_cell(const CheckIn& check_in) {
  if (check_in.top_cause().empty()) return "no clear cause";
  std::string text = printable(check_in.scores.front().title);
  std::size_t level = 0;
  for (std::size_t i = 1; i < check_in.scores.size(); ++i) {
    if (check_in.scores[i].score == check_in.scores.front().score) ++level;
  }
  if (level > 0) text += fmt::format(" (tied with {} more)", level);
  return text;
}

// The causes that scored highest at any check-in, most first; ties keep the
// order in which the causes first appear.
std::vector<std::pair<std::string, std::string>> charted_causes(const std::vector<CheckIn>& check_ins) {
  std::vector<std::string> order;
  std::map<std::string, int> best;
  std::map<std::string, std::string> title;  // from the latest check-in that has the cause
  for (const auto& check_in : check_ins) {
    for (const auto& cause : check_in.scores) {
      if (!best.contains(cause.id)) order.push_back(cause.id);
      best[cause.id] = std::max(best[cause.id], cause.score);
      title[cause.id] = printable(cause.title);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) { return best[a] > best[b]; });
  std::vector<std::pair<std::string, std::string>> causes;
  for (const auto& id : order) {
    if (causes.size() == kChartedCauses || best[id] == 0) break;
    causes.emplace_back(id, title[id]);
  }
  return causes;
}

// What the check-in said to do, and for a plan's weekly check-in where it
// moved the plan: "Look after it yourself; plan: on to week 2".
std::string what_to_do_cell(const CheckIn& check_in) {
  std::string text(level_words(check_in.escalation));
  if (!check_in.plan_step) return text;
  if (check_in.plan_decision == "progress") return fmt::format("{}; plan: on to week {}", text, *check_in.plan_step);
  if (check_in.plan_decision == "hold") return fmt::format("{}; plan: week {} again", text, *check_in.plan_step);
  return fmt::format("{}; plan: back to week {}", text, *check_in.plan_step);
}

std::string table(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  constexpr std::size_t kDate = 11;
  constexpr std::size_t kPain = 5;
  std::size_t widest_cause = display_width("Most likely cause");
  std::size_t widest_level = display_width("What to do");
  for (const auto& check_in : check_ins) {
    widest_cause = std::max(widest_cause, display_width(top_cause_cell(check_in)));
    widest_level = std::max(widest_level, display_width(what_to_do_cell(check_in)));
  }
  std::size_t fixed = kDate + 2 + kPain + 2 + 2 + widest_level;
  constexpr std::size_t kNarrowest = 10;
  std::size_t cause_width =
      std::clamp<std::size_t>(options.width > fixed ? options.width - fixed : 0, kNarrowest, widest_cause);
  std::string text = fmt::format("{}  {}  {}  {}\n", padded("Date", kDate), right_aligned("Pain", kPain),
                                 padded(fit("Most likely cause", cause_width, options.unicode), cause_width),
                                 "What to do");
  for (const auto& check_in : check_ins) {
    std::string pain = check_in.pain ? pain_text(check_in.pain, options.unicode) + "/10" : pain_text(check_in.pain, options.unicode);
    text += fmt::format("{}  {}  {}  {}\n", padded(short_date(check_in.date), kDate), right_aligned(pain, kPain),
                        padded(fit(top_cause_cell(check_in), cause_width, options.unicode), cause_width),
                        what_to_do_cell(check_in));
  }
  return text;
}

// Pain at each check-in as a bar on a fixed 0-10 scale (wider for rules
// whose pain goes higher), with the date and the value: one line each.
std::string pain_chart(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  double scale = kPainScale;
  for (const auto& check_in : check_ins) {
    if (check_in.pain) scale = std::max(scale, *check_in.pain);
  }
  constexpr std::size_t kCells = 20;
  std::size_t shown = std::min<std::size_t>(check_ins.size(), options.max_rows);
  std::size_t first = check_ins.size() - shown;
  std::string text = fmt::format("\nPain at each check-in, 0 to {:g}", scale);
  if (first > 0) text += fmt::format(" (the last {} of {})", shown, check_ins.size());
  text += "\n";
  for (std::size_t i = first; i < check_ins.size(); ++i) {
    const auto& pain = check_ins[i].pain;
    std::size_t filled = pain ? static_cast<std::size_t>(std::lround(std::clamp(*pain / scale, 0.0, 1.0) * kCells)) : 0;
    std::string bar;
    for (std::size_t cell = 0; cell < kCells; ++cell) {
      bar += cell < filled ? (options.unicode ? "█" : "#") : (options.unicode ? "·" : ".");
    }
    std::string function = check_ins[i].function_score
                               ? fmt::format("  (function problems {:g}/100)", *check_ins[i].function_score)
                               : "";
    text += fmt::format("  {}  {}  {}{}\n", padded(short_date(check_ins[i].date), 11), bar,
                        pain ? fmt::format("{:g}", *pain) : std::string("not answered"), function);
  }
  return text;
}

// The scores of the causes that scored highest, check-in by check-in.
std::string cause_scores(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  auto causes = charted_causes(check_ins);
  if (causes.empty()) return {};
  std::size_t shown = std::min<std::size_t>(check_ins.size(), options.max_rows);
  std::size_t first = check_ins.size() - shown;
  std::string text = "\nScores of the leading causes, 0 to 100, oldest first\n";
  std::string_view arrow = options.unicode ? " → " : " -> ";
  for (const auto& [id, title] : causes) {
    std::string scores;
    for (std::size_t i = first; i < check_ins.size(); ++i) {
      auto score = score_of(check_ins[i], id);
      scores += (i == first ? "" : std::string(arrow)) + (score ? fmt::format("{:g}", *score) : std::string("-"));
    }
    for (const auto& line : wrap(fmt::format("{}: {}", title, scores), options.width > 4 ? options.width - 4 : 20)) {
      text += "  " + line + "\n";
    }
  }
  return text;
}

ordered_json number_json(double value) {
  // Whole numbers as integers, as the answers they came from.
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) return static_cast<std::int64_t>(value);
  return value;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

}  // namespace

std::string render_history_text(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  if (check_ins.empty()) return "No check-ins yet.\n";
  return table(check_ins, options) + pain_chart(check_ins, options) + cause_scores(check_ins, options);
}

ordered_json history_to_json(const std::vector<CheckIn>& check_ins) {
  ordered_json list = ordered_json::array();
  for (const auto& check_in : check_ins) {
    ordered_json scores = ordered_json::array();
    for (const auto& cause : check_in.scores) {
      scores.push_back({{"id", cause.id}, {"title", cause.title}, {"score", cause.score}});
    }
    std::string top = check_in.top_cause();
    list.push_back({
        {"id", check_in.id},
        {"date", check_in.date.to_string()},
        {"recorded_at", check_in.recorded_at},
        {"pain", check_in.pain ? number_json(*check_in.pain) : ordered_json()},
        {"top_cause", top.empty() ? ordered_json() : ordered_json(top)},
        {"escalation", to_string(check_in.escalation)},
        {"red_flags", check_in.red_flags},
        {"any_cause_indicated", check_in.any_cause_indicated},
        {"scores", std::move(scores)},
        {"rules", {{"id", check_in.rules_id}, {"version", check_in.rules_version}}},
        {"answers", ordered_json(check_in.answers)},
        {"plan", check_in.plan_step ? ordered_json{{"week", *check_in.plan_step},
                                                   {"decision", check_in.plan_decision},
                                                   {"function_score", check_in.function_score
                                                                          ? ordered_json(*check_in.function_score)
                                                                          : ordered_json()},
                                                   {"answers", ordered_json(check_in.plan_answers)}}
                                    : ordered_json()},
    });
  }
  return list;
}

std::string render_history_csv(const std::vector<CheckIn>& check_ins) {
  std::set<std::string> cause_ids;
  for (const auto& check_in : check_ins) {
    for (const auto& cause : check_in.scores) cause_ids.insert(cause.id);
  }
  std::vector<std::string> header{"date",      "pain",          "top_cause", "escalation", "red_flags",
                                  "rules_id",  "rules_version", "plan_week", "plan_decision"};
  for (const auto& id : cause_ids) header.push_back("score_" + id);
  std::string text;
  auto add_row = [&](const std::vector<std::string>& fields) {
    std::vector<std::string> quoted;
    for (const auto& field : fields) quoted.push_back(csv_field(field));
    text += joined(quoted, ",") + "\r\n";
  };
  add_row(header);
  for (const auto& check_in : check_ins) {
    std::vector<std::string> fields{check_in.date.to_string(),
                                    check_in.pain ? fmt::format("{:g}", *check_in.pain) : "",
                                    check_in.top_cause(),
                                    std::string(to_string(check_in.escalation)),
                                    joined(check_in.red_flags, " "),
                                    check_in.rules_id,
                                    check_in.rules_version,
                                    check_in.plan_step ? std::to_string(*check_in.plan_step) : "",
                                    check_in.plan_decision};
    for (const auto& id : cause_ids) {
      auto score = score_of(check_in, id);
      fields.push_back(score ? fmt::format("{:g}", *score) : "");
    }
    add_row(fields);
  }
  return text;
}

}  // namespace kneecheck
