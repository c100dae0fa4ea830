#include "kneecheck/interview/suggestions.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"
#include "kneecheck/runs/weekly_load.hpp"

namespace kneecheck {

namespace {

using nlohmann::json;

// Runs older than this say nothing about the four weeks the questions ask
// about: the export is stale, not the runner idle.
constexpr int kStaleAfterDays = 28;

json one_decimal(double value) { return std::round(value * 10) / 10; }

json optional_figure(const std::optional<double>& value) {
  return value ? one_decimal(*value) : json(nullptr);
}

struct RunSpan {
  Date first;
  Date last;
};

// The first and last days with a run up to `check_in`, if any.
std::optional<RunSpan> run_span(std::span<const runs::Run> runs, const Date& check_in) {
  std::optional<RunSpan> span;
  for (const auto& run : runs) {
    if (check_in.days_until(run.local_date) > 0) continue;
    if (!span) {
      span = RunSpan{run.local_date, run.local_date};
      continue;
    }
    if (run.local_date.days_until(span->first) > 0) span->first = run.local_date;
    if (span->last.days_until(run.local_date) > 0) span->last = run.local_date;
  }
  return span;
}

json null_figures() {
  json figures = json::object();
  for (std::string_view name : kRunFigures) figures[std::string(name)] = nullptr;
  return figures;
}

int shoes_run_in(const runs::WeeklyLoad& load) {
  return static_cast<int>(std::count_if(load.shoes.begin(), load.shoes.end(),
                                        [](const runs::ShoeTotal& shoe) { return shoe.last_28_days_km > 0; }));
}

json main_shoe_km(const runs::WeeklyLoad& load) {
  if (!load.main_shoe) return nullptr;
  for (const auto& shoe : load.shoes) {
    if (shoe.name == *load.main_shoe) return std::round(shoe.total_km);
  }
  return nullptr;
}

}  // namespace

json run_figures(std::span<const runs::Run> runs, const Date& check_in) {
  json figures = null_figures();
  auto span = run_span(runs, check_in);
  if (!span || span->last.days_until(check_in) >= kStaleAfterDays) return figures;
  runs::WeeklyLoad load = runs::weekly_load(runs, check_in);
  for (int week = 0; week < 4; ++week) {
    Date week_end = check_in.plus_days(-7 * week);
    // A week that ended before the first run is not in the runs at all.
    if (week_end.days_until(span->first) > 0) continue;
    figures[fmt::format("km_week_{}", week + 1)] = one_decimal(load.km_week[static_cast<std::size_t>(week)]);
  }
  figures["runs_last_week"] = load.runs_last_week;
  figures["rest_days_last_week"] = load.rest_days_last_week;
  figures["longest_last_week_km"] = one_decimal(load.longest_last_week_km);
  if (check_in.plus_days(-7).days_until(span->first) <= 0) {
    figures["longest_previous_30_days_km"] = one_decimal(load.longest_previous_30_days_km);
  }
  figures["longest_run_change_pct"] = optional_figure(load.spike_pct);
  figures["cadence_spm"] = load.cadence_spm ? json(std::round(*load.cadence_spm)) : json(nullptr);
  if (!load.shoes.empty()) figures["shoes_last_28_days"] = shoes_run_in(load);
  figures["main_shoe_km"] = main_shoe_km(load);
  return figures;
}

Suggestions suggest_answers(const RuleSet& rules, const json& figures) {
  Suggestions suggestions;
  for (const auto& entry : rules.from_runs) {
    const Question* question = rules.find_question(entry.question);
    if (question == nullptr) continue;
    json value = entry.value.evaluate(figures);
    if (value.is_null()) continue;
    auto checked = check_answer(*question, value);
    if (checked) suggestions.emplace(entry.question, std::move(checked).value());
  }
  return suggestions;
}

std::vector<std::string> fill_missing_answers(const RuleSet& rules, const Suggestions& suggestions, json& answers) {
  std::vector<std::string> filled;
  for (const auto& question : rules.questions) {
    auto suggested = suggestions.find(question.id);
    if (suggested == suggestions.end()) continue;
    auto given = answers.find(question.id);
    if (given != answers.end() && !given->is_null()) continue;
    if (!is_asked(question, answers)) continue;
    answers[question.id] = suggested->second;
    filled.push_back(question.id);
  }
  return filled;
}

namespace {

std::optional<double> number_of(const json& figures, std::string_view name) {
  auto it = figures.find(name);
  if (it == figures.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// "42, 38, 30 and 25 km in the last four weeks (the latest first)", as far
// back as the runs go.
std::optional<std::string> weeks_sentence(const json& figures, Units units) {
  std::vector<std::string> weeks;
  for (int week = 1; week <= 4; ++week) {
    auto km = number_of(figures, fmt::format("km_week_{}", week));
    if (!km) break;
    weeks.push_back(distance_text(*km, units));
  }
  if (weeks.empty()) return std::nullopt;
  if (weeks.size() == 1) return fmt::format("{} in the last 7 days", weeks.front());
  // "42 km" -> "42" for all but the last, so the unit is said once.
  std::vector<std::string> numbers;
  for (std::size_t i = 0; i + 1 < weeks.size(); ++i) numbers.push_back(weeks[i].substr(0, weeks[i].find(' ')));
  numbers.push_back(weeks.back());
  std::vector<std::string_view> views(numbers.begin(), numbers.end());
  static constexpr std::string_view kCount[] = {"", "", "two", "three", "four"};
  return fmt::format("{} in the last {} weeks, the latest first", join_words(views, "and"), kCount[weeks.size()]);
}

std::optional<std::string> last_week_sentence(const json& figures, Units units) {
  auto runs = number_of(figures, "runs_last_week");
  auto rest = number_of(figures, "rest_days_last_week");
  if (!runs || !rest) return std::nullopt;
  std::string sentence = fmt::format("{} and {} in the last 7 days", quantity(*runs, "runs"),
                                     quantity(*rest, "rest days"));
  auto longest = number_of(figures, "longest_last_week_km");
  auto before = number_of(figures, "longest_previous_30_days_km");
  if (longest && *longest > 0) {
    sentence += fmt::format("; the longest was {}", distance_text(*longest, units));
    if (before && *before > 0) sentence += fmt::format(", against {} in the 30 days before", distance_text(*before, units));
  }
  return sentence;
}

std::optional<std::string> shoe_sentence(const json& figures, Units units) {
  auto km = number_of(figures, "main_shoe_km");
  if (!km) return std::nullopt;
  return fmt::format("{} so far in the shoes you ran in most over the last 28 days", distance_text(*km, units));
}

}  // namespace

std::vector<std::string> describe_run_figures(const json& figures, Units units) {
  std::vector<std::string> sentences;
  for (auto sentence : {weeks_sentence(figures, units), last_week_sentence(figures, units), shoe_sentence(figures, units)}) {
    if (sentence) sentences.push_back(std::move(*sentence));
  }
  if (auto cadence = number_of(figures, "cadence_spm")) {
    sentences.push_back(fmt::format("{:.0f} steps a minute on average over the last 28 days", *cadence));
  }
  return sentences;
}

}  // namespace kneecheck
