#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "cli/plan_base.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/plan.hpp"

namespace kneecheck {

namespace {

struct PlanCommandOptions {
  std::string answers_path;
  std::string week_text;
  std::string days_text;
};

// DTSTAMP: now, in UTC.
std::string utc_stamp() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                     utc.tm_min, utc.tm_sec);
}

Result<int> week_option(const std::string& text, int weeks) {
  if (text.empty()) return 0;
  int week = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), week);
  if (error != std::errc() || end != text.data() + text.size() || week < 1 || week > weeks) {
    return Error{fmt::format("--week {}: give a week from 1 to {}", text, weeks)};
  }
  return week;
}

Result<Weekdays> days_option(const std::string& text) {
  if (text.empty()) return Weekdays{0, 2, 4};  // Monday, Wednesday, Friday
  std::string error;
  auto days = parse_weekdays(text, error);
  if (!days) return Error{fmt::format("--days {}: {}", text, error)};
  return *days;
}

std::optional<History> existing_history(const HistoryOptions& options, std::string& error) {
  auto path = history_path(options);
  std::error_code ignored;
  if (path.empty() || !std::filesystem::exists(path, ignored)) return std::nullopt;
  auto opened = History::open(path, false);
  if (!opened) {
    error = fmt::format("cannot use the history: {}", opened.error().message);
    return std::nullopt;
  }
  return std::move(opened).value();
}

struct PlanSource {
  ScoredForPlan scored;
  std::optional<PlanState> state;  // when the plan comes from the history
};

Result<PlanSource> plan_source(const RuleSet& rules, const CommonOptions& common, const PlanCommandOptions& options,
                               const std::optional<History>& history, Console& console) {
  if (!options.answers_path.empty()) {
    auto date = selected_date(common);
    if (!date) return date.error();
    auto text = read_input_text(options.answers_path, kMaxAnswersFileBytes, console);
    if (!text) return text.error();
    auto answers = parse_json(*text);
    if (!answers) return Error{fmt::format("{}: {}", options.answers_path, answers.error().message)};
    auto scored = score_for_plan(rules, *answers, *date, {});
    if (!scored) return scored.error();
    return PlanSource{std::move(scored).value(), std::nullopt};
  }
  if (!history) {
    return Error{"there is no history to build a plan from: answer the questions first ('kneecheck'), or give "
                 "--answers FILE"};
  }
  auto state = plan_state(*history);
  if (!state) return state.error();
  auto past = history->past_before(state->base.date);
  if (!past) return past.error();
  auto scored = score_for_plan(rules, state->base.answers, state->base.date, *past);
  if (!scored) return scored.error();
  return PlanSource{std::move(scored).value(), std::move(state).value()};
}

std::string where_the_plan_stands(const PlanState& state, int weeks) {
  if (state.weekly.empty()) {
    return fmt::format("Built from your check-in of {}. Week 1 starts the day after it.\n\n",
                       date_in_words(state.base.date));
  }
  return fmt::format("Built from your check-in of {}. After {} weekly check-in{}, you are on week {} of {} of the "
                     "plan.\n\n",
                     date_in_words(state.base.date), state.weekly.size(), state.weekly.size() == 1 ? "" : "s",
                     state.step, weeks);
}

int run_plan(const CommonOptions& common, const HistoryOptions& history_options, const PlanCommandOptions& options,
             const CommandHelp& help, Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  if (!rules->plan.present) return fail(console, "these rules have no plan section, so there is no plan to show");
  auto units = selected_units(common);
  if (!units) return fail(console, units.error().message);
  auto week = week_option(options.week_text, rules->plan.weeks);
  if (!week) return fail(console, week.error().message);
  auto days = days_option(options.days_text);
  if (!days) return fail(console, days.error().message);
  std::string_view format = selected_format(common, help);
  if (!options.days_text.empty() && format != "ics") return fail(console, "--days applies to --format ics only");
  if (!common.output_path.empty()) {
    if (auto error = unwritable(common.output_path)) return fail(console, error->message);
  }
  std::string history_error;
  auto history = existing_history(history_options, history_error);
  if (!history_error.empty()) return fail(console, history_error);
  auto source = plan_source(*rules, common, options, history, console);
  if (!source) return fail(console, source.error().message);
  const Assessment& assessment = *source->scored.assessment;
  Plan plan = plan_for(assessment, history ? &*history : nullptr);
  if (format == "ics") {
    if (!plan.available) return fail(console, plan.why_not);
    if (auto problem = weekdays_problem(plan, *days); !problem.empty()) {
      return fail(console, fmt::format("--days {}: {}", options.days_text, problem));
    }
    return emit(render_plan_ics(plan, *rules, *days, utc_stamp()), common, console);
  }
  if (format == "json") return emit(render_plan_json(plan, *rules), common, console);
  PlanTextOptions text{std::min<std::size_t>(console.width, 100), *units, *week};
  std::string stands = source->state && plan.available ? where_the_plan_stands(*source->state, rules->plan.weeks) : "";
  if (format == "markdown") return emit(render_plan_markdown(plan, *rules, text), common, console);
  if (format == "html") return emit(render_plan_html(plan, *rules, text), common, console);
  return emit(stands + render_plan_text(plan, *rules, text), common, console);
}

}  // namespace

CommandSetup setup_plan(CLI::App& app, SharedOptions& shared) {
  auto options = std::make_shared<PlanCommandOptions>();
  auto* command = app.add_subcommand("plan");
  command->add_option("--answers", options->answers_path);
  command->add_option("--week", options->week_text);
  command->add_option("--days", options->days_text);
  command->fallthrough();
  CommandHelp help{
      "plan",
      "A six-week plan of exercises and running from your latest check-in, followed up weekly",
      {"kneecheck plan [--week N] [--format text|markdown|html|json]", "kneecheck plan --format ics [--days mon,wed,fri] -o plan.ics",
       "kneecheck plan --answers FILE"},
      {{"--answers FILE", "Build the plan from an answers file (or - for standard input) instead of the history"},
       {"--week N", "Show that week of the plan only"},
       {"--days LIST", "With --format ics: the days of the sessions, such as mon,wed,fri (the default)"}},
      {"--rules", "--format", "--output", "--date", "--db", "--units", "--color", "--no-pager"},
      {"text", "markdown", "html", "json", "ics"},
      {"kneecheck plan                          # the plan from your latest check-in",
       "kneecheck plan --week 2                 # what to do in week 2",
       "kneecheck plan --format html -o plan.html  # to print: a page for every two weeks",
       "kneecheck plan --format ics --days tue,thu,sat -o knee-plan.ics   # sessions in your calendar"},
      "0 ok (also when a warning sign means there is no plan: it says why), 2 no check-in to build from or a "
      "usage error",
  };
  return {command, help, [options, &shared, help](Console& console) {
            return run_plan(shared.common, shared.history, *options, help, console);
          }};
}

}  // namespace kneecheck
