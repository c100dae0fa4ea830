#include "kneecheck/report/history.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"

namespace kneecheck {

using ordered_json = nlohmann::ordered_json;

namespace {

constexpr double kMaxScore = 100;
constexpr double kPainScale = 10;  // the default rules' 0..10; larger pains widen it
constexpr std::size_t kChartedCauses = 3;

std::string pain_text(const std::optional<double>& pain, bool unicode) {
  if (!pain) return unicode ? "–" : "-";
  return fmt::format("{:g}", *pain);
}

// Titles come from rule files: a control character must not move the cursor.
std::string printable(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return clean;
}

// `text` cut to `width` code points, its end marked when cut.
std::string fit(std::string_view text, std::size_t width, bool unicode) {
  if (display_width(text) <= width) return std::string(text);
  std::string_view ellipsis = unicode ? "…" : "...";
  std::size_t keep = width > display_width(ellipsis) ? width - display_width(ellipsis) : 0;
  std::size_t points = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80) {
      if (points == keep) break;
      ++points;
    }
  }
  return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string padded(std::string_view text, std::size_t width) {
  std::size_t used = display_width(text);
  return std::string(text) + std::string(width > used ? width - used : 0, ' ');
}

std::string right_aligned(std::string_view text, std::size_t width) {
  std::size_t used = display_width(text);
  return std::string(width > used ? width - used : 0, ' ') + std::string(text);
}

std::string top_cause_title(const CheckIn& check_in) {
  return check_in.top_cause().empty() ? "no clear cause" : printable(check_in.scores.front().title);
}

// One cell of a chart row: the value's height on 0..scale, or a dot when
// there is none.
std::string mark(const std::optional<double>& value, double scale, bool unicode) {
  static constexpr std::string_view kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (!value) return unicode ? "·" : ".";
  double share = std::clamp(*value / scale, 0.0, 1.0);
  if (unicode) return std::string(kBlocks[static_cast<std::size_t>(std::lround(share * 7))]);
  return std::string(1, static_cast<char>('0' + std::lround(share * 9)));
}

struct ChartRow {
  std::string label;
  std::vector<std::optional<double>> values;
  double scale = 1;
};

std::optional<double> score_of(const CheckIn& check_in, const std::string& cause_id) {
  for (const auto& cause : check_in.scores) {
    if (cause.id == cause_id) return cause.score;
  }
  return std::nullopt;
}

// The causes that scored highest at any check-in, most first; ties keep the
// order in which the causes first appear.
std::vector<ChartRow> cause_rows(const std::vector<CheckIn>& check_ins) {
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
  std::vector<ChartRow> rows;
  for (const auto& id : order) {
    if (rows.size() == kChartedCauses || best[id] == 0) break;
    ChartRow row{title[id], {}, kMaxScore};
    for (const auto& check_in : check_ins) row.values.push_back(score_of(check_in, id));
    rows.push_back(std::move(row));
  }
  return rows;
}

ChartRow pain_row(const std::vector<CheckIn>& check_ins) {
  ChartRow row{"Pain", {}, kPainScale};
  for (const auto& check_in : check_ins) {
    row.values.push_back(check_in.pain);
    if (check_in.pain) row.scale = std::max(row.scale, *check_in.pain);
  }
  return row;
}

std::string table(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  constexpr std::size_t kFixedColumns = 10 + 2 + 4 + 2 + 2 + 9;  // date, pain, escalation and the gaps
  std::size_t widest = display_width("Top cause");
  for (const auto& check_in : check_ins) widest = std::max(widest, display_width(top_cause_title(check_in)));
  std::size_t cause_width = std::clamp<std::size_t>(
      options.width > kFixedColumns ? options.width - kFixedColumns : 0, display_width("Top cause"), widest);
  std::string text = fmt::format("{:<10}  {:>4}  {}  {}\n", "Date", "Pain", padded("Top cause", cause_width),
                                 "Escalation");
  for (const auto& check_in : check_ins) {
    text += fmt::format("{}  {}  {}  {}\n", check_in.date.to_string(),
                        right_aligned(pain_text(check_in.pain, options.unicode), 4),
                        padded(fit(top_cause_title(check_in), cause_width, options.unicode), cause_width),
                        to_string(check_in.escalation));
  }
  return text;
}

std::string chart(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options) {
  ChartRow pain = pain_row(check_ins);
  std::vector<ChartRow> causes = cause_rows(check_ins);
  std::size_t label_width = display_width(pain.label);
  for (const auto& row : causes) label_width = std::max(label_width, display_width(row.label));
  label_width = std::min<std::size_t>(label_width, 30);
  std::size_t room = options.width > label_width + 4 ? options.width - label_width - 4 : 1;
  std::size_t shown = std::min(check_ins.size(), room);
  std::size_t first = check_ins.size() - shown;
  auto line = [&](const ChartRow& row) {
    std::string cells;
    for (std::size_t i = first; i < row.values.size(); ++i) cells += mark(row.values[i], row.scale, options.unicode);
    return "  " + padded(fit(row.label, label_width, options.unicode), label_width) + "  " + cells + "\n";
  };

  std::string text = "\nOne mark per check-in, oldest first";
  if (first > 0) text += fmt::format(" (the last {} of {})", shown, check_ins.size());
  text += options.unicode ? ": ▁ lowest to █ highest, · unknown\n" : ": 0 lowest to 9 highest, . unknown\n";
  text += fmt::format("Pain (0-{:g})\n", pain.scale) + line(pain);
  if (!causes.empty()) {
    text += "Scores of the causes that scored highest (0-100)\n";
    for (const auto& row : causes) text += line(row);
  }
  return text;
}

ordered_json number_json(double value) {
  // Whole numbers as integers, as the answers they came from.
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) return static_cast<std::int64_t>(value);
  return value;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
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
  return table(check_ins, options) + chart(check_ins, options);
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
    });
  }
  return list;
}

std::string render_history_csv(const std::vector<CheckIn>& check_ins) {
  std::set<std::string> cause_ids;
  for (const auto& check_in : check_ins) {
    for (const auto& cause : check_in.scores) cause_ids.insert(cause.id);
  }
  std::vector<std::string> header{"date", "pain", "top_cause", "escalation", "red_flags", "rules_id", "rules_version"};
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
                                    check_in.rules_version};
    for (const auto& id : cause_ids) {
      auto score = score_of(check_in, id);
      fields.push_back(score ? fmt::format("{:g}", *score) : "");
    }
    add_row(fields);
  }
  return text;
}

}  // namespace kneecheck
