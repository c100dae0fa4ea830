#include "kneecheck/report/plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kneecheck/base/text.hpp"
#include "kneecheck/report/content.hpp"
#include "report/html_escape.hpp"

namespace kneecheck {

namespace {

using Sources = std::vector<std::string>;

std::string_view base_source(std::string_view id) { return id.substr(0, id.find('#')); }

// The sources the plan cites, numbered in the order it first cites them.
class PlanSources {
 public:
  explicit PlanSources(const RuleSet& rules) : rules_(rules) {}

  // "[1, 3]" for these sources, numbering any not cited yet.
  std::string marks(const Sources& sources) {
    std::vector<int> numbers;
    for (const auto& source : sources) {
      std::string id(base_source(source));
      auto at = std::find(cited_.begin(), cited_.end(), id);
      if (at == cited_.end()) at = cited_.insert(cited_.end(), id);
      int number = static_cast<int>(at - cited_.begin()) + 1;
      if (std::find(numbers.begin(), numbers.end(), number) == numbers.end()) numbers.push_back(number);
    }
    std::sort(numbers.begin(), numbers.end());
    if (numbers.empty()) return "";
    return fmt::format(" [{}]", fmt::join(numbers, ", "));
  }

  struct Listed {
    int number;
    std::string text;
    std::string url;
  };
  std::vector<Listed> list() const {
    std::vector<Listed> listed;
    for (std::size_t i = 0; i < cited_.size(); ++i) {
      for (const auto& source : rules_.sources) {
        if (source.id == cited_[i]) listed.push_back({static_cast<int>(i) + 1, source_in_words(source), source.url});
      }
    }
    return listed;
  }

 private:
  const RuleSet& rules_;
  std::vector<std::string> cited_;
};

std::string day_and_month(const Date& date) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{} {}", date.day, kMonths[date.month - 1]);
}

Date step_first_day(const Plan& plan, int step) { return plan.start.plus_days(1 + 7 * (step - 1)); }
Date step_last_day(const Plan& plan, int step) { return plan.start.plus_days(7 * step); }

std::string percent(double value) { return fmt::format("{:g}%", std::round(value * 10) / 10); }

// How the running load goes, in words, with the sources' marks.
std::vector<std::string> load_sentences(const Plan& plan, const RuleSet& rules, Units units, PlanSources& sources) {
  const PlanLoad& load = rules.plan.load;
  std::vector<std::string> sentences;
  double growth = (std::sqrt(1 + load.two_week_increase_max_pct / 100) - 1) * 100;
  switch (plan.load) {
    case LoadStart::unknown:
      sentences.push_back("No weekly distance was given, so the plan sets none: keep to what you run now and let "
                          "each week's check-in decide whether to run more, the same or less.");
      break;
    case LoadStart::walk_run:
      sentences.push_back(fmt::format("You are not running now: start with walk/run, one phase a week, on days "
                                      "with a rest day between them, and move to the next phase only when the last "
                                      "one went well{}.",
                                      sources.marks(load.walk_run_sources)));
      break;
    case LoadStart::step_back:
      sentences.push_back(fmt::format(
          "Your distance rose by more than {} in two weeks{}: week 1 steps back to {}, the level before the rise, "
          "then adds at most {} a week up to {}.",
          percent(load.two_week_increase_max_pct), sources.marks(load.sources), distance_text(plan.base_km, units),
          percent(std::floor(growth)), distance_text(plan.peak_km, units)));
      break;
    case LoadStart::hold:
      sentences.push_back(fmt::format("Week 1 keeps your latest week's {}; then at most {} more a week, so that two "
                                      "weeks never rise by more than {}{}, and never past your recent peak of {}.",
                                      distance_text(plan.base_km, units), percent(std::floor(growth)),
                                      percent(load.two_week_increase_max_pct), sources.marks(load.sources),
                                      distance_text(plan.peak_km, units)));
      break;
  }
  if (plan.load == LoadStart::hold || plan.load == LoadStart::step_back) {
    sentences.push_back(fmt::format("No single run longer than {} of your longest run of the 30 days before it{}.",
                                    percent(load.single_run_max_pct), sources.marks(load.sources)));
  }
  sentences.push_back("The distances are for a week when every check-in says to go on: a check-in may hold a week "
                      "or step back to the one before.");
  return sentences;
}

// One line per block: "Hip strength 3×".
std::vector<std::string> sessions_lines(const PlanStep& step) {
  std::vector<std::string> lines;
  for (const auto& session : step.blocks) {
    lines.push_back(fmt::format("{} {}×", session.block->title, session.block->sessions_per_week));
  }
  if (lines.empty()) lines.push_back("-");
  return lines;
}

std::string distance_cell(const PlanStep& step, Units units) {
  if (step.walk_run != nullptr) return "walk/run";
  if (!step.target_km) return "as now";
  return distance_text(*step.target_km, units);
}

class PlanText {
 public:
  PlanText(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options)
      : plan_(plan), rules_(rules), options_(options), sources_(rules) {}

  std::string render() {
    line(fmt::format("Your {}-week plan", rules_.plan.weeks));
    paragraph(fmt::format("From {} to {}. Check in once a week with 'kneecheck checkin'.",
                          date_in_words(step_first_day(plan_, 1)), date_in_words(plan_.review)),
              "", "");
    running();
    exercises();
    actions();
    measures();
    each_week();
    sources();
    return std::move(out_);
  }

 private:
  bool shows(int step) const { return options_.only_step == 0 || options_.only_step == step; }

  void line(std::string_view text = {}) {
    out_ += text;
    out_ += '\n';
  }
  void paragraph(std::string_view text, std::string_view first, std::string_view rest) {
    auto lines = wrap(text, options_.width > first.size() + 20 ? options_.width - first.size() : 20);
    for (std::size_t i = 0; i < lines.size(); ++i) line(std::string(i == 0 ? first : rest) + lines[i]);
  }

  void running() {
    line();
    line("Running");
    for (const auto& sentence : load_sentences(plan_, rules_, options_.units, sources_)) paragraph(sentence, "  ", "  ");
    line();
    line(fmt::format("  {:<4}  {:<15}  {:<9}  {:<11}  {}", "Week", "Days", "Distance", "Longest run", "Sessions a week"));
    for (const auto& step : plan_.steps) {
      if (!shows(step.number)) continue;
      std::string days = fmt::format("{} - {}", day_and_month(step_first_day(plan_, step.number)),
                                     day_and_month(step_last_day(plan_, step.number)));
      std::string longest = step.longest_run_km ? distance_text(*step.longest_run_km, options_.units) : "-";
      std::string lead = fmt::format("  {:>4}  {:<15}  {:<9}  {:<11}  ", step.number, days,
                                     distance_cell(step, options_.units), longest);
      std::string under(lead.size(), ' ');
      auto sessions = sessions_lines(step);
      for (std::size_t i = 0; i < sessions.size(); ++i) paragraph(sessions[i], i == 0 ? lead : under, under);
      if (step.walk_run != nullptr) paragraph(step.walk_run->text, std::string(lead.size(), ' '), std::string(lead.size(), ' '));
    }
  }

  void exercises() {
    if (plan_.blocks.empty()) return;
    line();
    line("Strength and mobility");
    for (const PlanBlock* block : plan_.blocks) {
      paragraph(fmt::format("{}: {} sessions a week. {}{}", block->title, block->sessions_per_week, block->why,
                            sources_.marks(block->sources)),
                "  ", "    ");
      for (const auto& id : block->exercises) {
        const PlanExercise* exercise = rules_.plan.find_exercise(id);
        if (exercise == nullptr || !in_shown_weeks(*exercise)) continue;
        paragraph(fmt::format("{}: {}{}", exercise->name, exercise->how, sources_.marks(exercise->sources)), "  - ",
                  "      ");
        paragraph(doses_by_week(*exercise), "      ", "      ");
      }
    }
  }

  // Only the weeks the exercise is in: a block's exercises take turns.
  std::string doses_by_week(const PlanExercise& exercise) const {
    std::vector<std::string> weeks;
    for (std::size_t i = 0; i < exercise.doses.size(); ++i) {
      if (!shows(static_cast<int>(i) + 1) || exercise.doses[i].empty()) continue;
      weeks.push_back(fmt::format("week {}: {}", i + 1, exercise.doses[i]));
    }
    return fmt::format("{}", fmt::join(weeks, " · "));
  }

  bool in_shown_weeks(const PlanExercise& exercise) const { return !doses_by_week(exercise).empty(); }

  // An action resting on the step-rate evidence (sharing a published
  // source with the cadence rule) is one about step rate.
  bool about_step_rate(const PlanAction& action) const {
    for (const auto& source : action.sources) {
      std::string_view id = base_source(source);
      for (const auto& cited : rules_.plan.cadence.sources) {
        if (base_source(cited) != id) continue;
        auto it = std::find_if(rules_.sources.begin(), rules_.sources.end(),
                               [&](const Source& s) { return s.id == id; });
        if (it != rules_.sources.end() && it->kind == SourceKind::published) return true;
      }
    }
    return false;
  }

  // The runner's own step rate and the rise to aim for, or how to count it.
  std::string step_rate_sentence() {
    const PlanCadence& rule = rules_.plan.cadence;
    if (!plan_.cadence_spm) return rule.how_to_count + sources_.marks(rule.sources);
    double low = *plan_.cadence_spm * (1 + rule.low_pct / 100);
    double high = *plan_.cadence_spm * (1 + rule.high_pct / 100);
    return fmt::format("Your runs show {:.0f} steps a minute: aim for {:.0f} to {:.0f}{}.", *plan_.cadence_spm, low,
                       high, sources_.marks(rule.sources));
  }

  void actions() {
    if (plan_.actions.empty()) return;
    line();
    line("Also");
    for (const PlanAction* action : plan_.actions) {
      paragraph(action->text + sources_.marks(action->sources), "  - ", "    ");
      if (about_step_rate(*action)) paragraph(step_rate_sentence(), "    ", "    ");
    }
  }

  void measures() {
    if (plan_.measures.empty()) return;
    line();
    line("Measure each week");
    for (const PlanMeasure* measure : plan_.measures) {
      paragraph(fmt::format("{}: {}{}", measure->name, measure->how, sources_.marks(measure->sources)), "  - ",
                "    ");
    }
  }

  void each_week() {
    line();
    line("Each week");
    if (rules_.plan.check_in && !rules_.plan.check_in->text.empty()) {
      paragraph(rules_.plan.check_in->text + sources_.marks(rules_.plan.check_in->sources), "  ", "  ");
    }
    paragraph(fmt::format("Stop and see a professional if a check-in finds a warning sign; it will say how soon. "
                          "If the knee is no better by {}, see a physiotherapist or doctor.",
                          date_in_words(plan_.review)),
              "  ", "  ");
  }

  void sources() {
    auto listed = sources_.list();
    if (listed.empty()) return;
    line();
    line("Sources");
    for (const auto& source : listed) {
      std::string text = source.url.empty() ? source.text : source.text + " " + source.url;
      paragraph(text, fmt::format("  {:>2}. ", source.number), "      ");
    }
  }

  const Plan& plan_;
  const RuleSet& rules_;
  const PlanTextOptions& options_;
  PlanSources sources_;
  std::string out_;
};

}  // namespace

std::string render_plan_text(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options) {
  if (!plan.available) {
    std::string out;
    for (const auto& line : wrap(plan.why_not, options.width)) out += line + '\n';
    return out;
  }
  return PlanText(plan, rules, options).render();
}

namespace {

nlohmann::ordered_json sources_json(const Sources& sources) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& source : sources) list.push_back(source);
  return list;
}

std::string_view load_start_name(LoadStart start) {
  switch (start) {
    case LoadStart::unknown: return "unknown";
    case LoadStart::walk_run: return "walk_run";
    case LoadStart::step_back: return "step_back";
    case LoadStart::hold: return "hold";
  }
  return "unknown";
}

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json step_json(const Plan& plan, const PlanStep& step) {
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& session : step.blocks) {
    nlohmann::ordered_json exercises = nlohmann::ordered_json::array();
    for (const auto& dose : session.exercises) {
      exercises.push_back({{"id", dose.exercise->id}, {"name", dose.exercise->name}, {"dose", dose.dose}});
    }
    blocks.push_back({{"id", session.block->id}, {"sessions", session.block->sessions_per_week}, {"exercises", exercises}});
  }
  return {{"week", step.number},
          {"first_day", step_first_day(plan, step.number).to_string()},
          {"last_day", step_last_day(plan, step.number).to_string()},
          {"distance_km", optional_number(step.target_km)},
          {"longest_run_km", optional_number(step.longest_run_km)},
          {"walk_run", step.walk_run ? nlohmann::ordered_json(step.walk_run->text) : nlohmann::ordered_json(nullptr)},
          {"blocks", blocks}};
}

}  // namespace

std::string render_plan_json(const Plan& plan, const RuleSet& rules) {
  nlohmann::ordered_json out;
  out["kneecheck_plan"] = 1;
  out["rules"] = {{"id", rules.id}, {"version", rules.version}};
  out["available"] = plan.available;
  if (!plan.available) {
    out["why_not"] = plan.why_not;
    return out.dump(2) + "\n";
  }
  out["start"] = plan.start.to_string();
  out["review"] = plan.review.to_string();
  out["load"] = {{"start", load_start_name(plan.load)}, {"recent_km", plan.recent_km}, {"base_km", plan.base_km},
                 {"peak_km", plan.peak_km}, {"source", sources_json(rules.plan.load.sources)}};
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const PlanBlock* block : plan.blocks) {
    blocks.push_back({{"id", block->id}, {"title", block->title}, {"why", block->why},
                      {"sessions_per_week", block->sessions_per_week}, {"source", sources_json(block->sources)}});
  }
  out["blocks"] = blocks;
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  for (const PlanAction* action : plan.actions) {
    actions.push_back({{"id", action->id}, {"text", action->text}, {"source", sources_json(action->sources)}});
  }
  out["actions"] = actions;
  out["cadence_spm"] = optional_number(plan.cadence_spm);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& step : plan.steps) steps.push_back(step_json(plan, step));
  out["weeks"] = steps;
  return out.dump(2) + "\n";
}

std::string render_plan_markdown(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options) {
  // The text plan is plain prose and a table of fixed columns: as a code
  // block it reads the same in any Markdown viewer, and nothing in it can
  // become a link or HTML.
  std::string text = render_plan_text(plan, rules, options);
  std::string fence = "```";
  while (text.find(fence) != std::string::npos) fence += '`';
  return fmt::format("# Your plan\n\n{}text\n{}{}\n", fence, text, fence);
}

namespace {

constexpr std::string_view kDayNames[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

std::optional<int> weekday_of(std::string_view word) {
  std::string lower = to_lower(trim(word));
  for (int day = 0; day < 7; ++day) {
    std::string_view name = kDayNames[day];
    if (lower == name || (lower.size() == 3 && name.starts_with(lower))) return day;
  }
  return std::nullopt;
}

// Monday = 0; 1970-01-01 was a Thursday.
int weekday(const Date& date) {
  int days = Date{1970, 1, 1}.days_until(date);
  return ((days % 7) + 7 + 3) % 7;
}

// RFC 5545 3.3.11: backslash, semicolon and comma escaped, newlines as \n.
std::string ics_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// RFC 5545 3.1: lines of at most 75 octets, continued after CRLF and a
// space, never inside a UTF-8 sequence.
std::string folded(std::string_view line) {
  std::string out;
  std::size_t limit = 75;
  std::size_t start = 0;
  while (line.size() - start > limit) {
    std::size_t end = start + limit;
    while (end > start && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) --end;
    out.append(line.substr(start, end - start));
    out += "\r\n ";
    start = end;
    limit = 74;  // the leading space counts
  }
  out.append(line.substr(start));
  out += "\r\n";
  return out;
}

std::string ics_date(const Date& date) { return fmt::format("{:04}{:02}{:02}", date.year, date.month, date.day); }

std::string session_description(const PlanStep& step) {
  std::vector<std::string> lines;
  if (step.walk_run != nullptr) lines.push_back("Walk/run: " + step.walk_run->text);
  if (step.target_km) lines.push_back(fmt::format("This week: about {:g} km in all", *step.target_km));
  if (step.longest_run_km) lines.push_back(fmt::format("No run longer than {:g} km", *step.longest_run_km));
  for (const auto& session : step.blocks) {
    lines.push_back(fmt::format("{} ({}× a week):", session.block->title, session.block->sessions_per_week));
    for (const auto& dose : session.exercises) lines.push_back(fmt::format("- {}: {}", dose.exercise->name, dose.dose));
  }
  return fmt::format("{}", fmt::join(lines, "\n"));
}

void add_event(std::string& out, const std::string& uid, const std::string& stamp, const Date& day,
               std::string_view summary, std::string_view description) {
  out += "BEGIN:VEVENT\r\n";
  out += folded("UID:" + uid);
  out += folded("DTSTAMP:" + stamp);
  out += folded("DTSTART;VALUE=DATE:" + ics_date(day));
  out += folded("DTEND;VALUE=DATE:" + ics_date(day.plus_days(1)));
  out += folded("SUMMARY:" + ics_text(summary));
  if (!description.empty()) out += folded("DESCRIPTION:" + ics_text(description));
  out += "TRANSP:TRANSPARENT\r\n";
  out += "END:VEVENT\r\n";
}

}  // namespace

std::optional<Weekdays> parse_weekdays(std::string_view text, std::string& error) {
  Weekdays days;
  for (std::string_view word : split_list(text, ",")) {
    auto day = weekday_of(word);
    if (!day) {
      error = fmt::format("'{}' is not a day of the week (mon, tue, wed, thu, fri, sat, sun)", trim(word));
      return std::nullopt;
    }
    if (std::find(days.begin(), days.end(), *day) != days.end()) {
      error = fmt::format("{} is given twice", kDayNames[*day]);
      return std::nullopt;
    }
    days.push_back(*day);
  }
  if (days.empty()) {
    error = "give at least one day, such as mon,wed,fri";
    return std::nullopt;
  }
  std::sort(days.begin(), days.end());
  return days;
}

std::string weekdays_problem(const Plan& plan, const Weekdays& days) {
  if (plan.load != LoadStart::walk_run) return "";
  for (std::size_t i = 0; i < days.size(); ++i) {
    int day = days[i];
    int next = days[(i + 1) % days.size()];
    if (days.size() > 1 && (next - day + 7) % 7 == 1) {
      return fmt::format("{} and {} are back to back: the walk/run weeks want a rest day between runs",
                         kDayNames[day], kDayNames[next]);
    }
  }
  return "";
}

std::string render_plan_ics(const Plan& plan, const RuleSet& rules, const Weekdays& days, const std::string& stamp) {
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kneecheck//plan//EN\r\nCALSCALE:GREGORIAN\r\n";
  out += folded("X-WR-CALNAME:" + ics_text("kneecheck plan"));
  std::string plan_id = fmt::format("{}-{}", ics_date(plan.start), rules.id);
  for (const auto& step : plan.steps) {
    std::string description = session_description(step);
    for (int offset = 1; offset <= 7; ++offset) {
      Date day = plan.start.plus_days(7 * (step.number - 1) + offset);
      if (std::find(days.begin(), days.end(), weekday(day)) == days.end()) continue;
      add_event(out, fmt::format("{}-w{}-{}@kneecheck", plan_id, step.number, ics_date(day)), stamp, day,
                fmt::format("Knee plan, week {}", step.number), description);
    }
    Date check_in = step_last_day(plan, step.number);
    add_event(out, fmt::format("{}-w{}-checkin@kneecheck", plan_id, step.number), stamp, check_in,
              fmt::format("Knee plan check-in, week {}", step.number),
              "Run 'kneecheck checkin': pain during and after runs, swelling, and how you manage.");
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

namespace {

using html::escape;

constexpr std::string_view kPlanCss = R"css(
@page { size: auto; margin: 14mm 14mm 16mm;
  @bottom-left { content: "kneecheck plan"; font: 8pt sans-serif; color: #555; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #555; } }
body { font: 10pt/1.4 system-ui, sans-serif; color: #111; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.2rem 0 .4rem; }
h3 { font-size: 1rem; margin: .9rem 0 .3rem; } h4 { font-size: .95rem; margin: .6rem 0 .2rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ccc; vertical-align: top; }
ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; } li { margin: .1rem 0; }
.how { color: #333; } sup { font-size: .7em; } .sources li { font-size: .85em; }
section.page { break-after: page; }
section.page:last-of-type { break-after: auto; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
)css";

class PlanHtml {
 public:
  PlanHtml(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options)
      : plan_(plan), rules_(rules), options_(options), sources_(rules) {}

  std::string render() {
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
    out_ += fmt::format("<title>Your knee plan · {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                        step_first_day(plan_, 1).to_string(), kPlanCss);
    overview();
    for (int first = 1; first <= rules_.plan.weeks; first += 2) fortnight(first);
    sources();
    out_ += "</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  std::string marks(const Sources& sources) {
    std::string text = sources_.marks(sources);
    return text.empty() ? "" : "<sup>" + escape(text.substr(1)) + "</sup>";
  }

  void overview() {
    out_ += "<section class=\"page\">\n";
    out_ += fmt::format("<h1>Your {}-week plan</h1>\n<p>From {} to {}. Check in once a week with "
                        "<code>kneecheck checkin</code>.</p>\n",
                        rules_.plan.weeks, date_in_words(step_first_day(plan_, 1)), date_in_words(plan_.review));
    out_ += "<h2>Running</h2>\n";
    for (const auto& sentence : load_sentences(plan_, rules_, options_.units, sources_)) {
      out_ += "<p>" + escape(sentence) + "</p>\n";
    }
    out_ += "<table>\n<tr><th>Week</th><th>Days</th><th>Distance</th><th>Longest run</th><th>Sessions a week</th></tr>\n";
    for (const auto& step : plan_.steps) {
      std::string longest = step.longest_run_km ? distance_text(*step.longest_run_km, options_.units) : "-";
      std::vector<std::string> sessions = sessions_lines(step);
      for (auto& line : sessions) line = escape(line);
      out_ += fmt::format("<tr><td>{}</td><td>{} - {}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", step.number,
                          day_and_month(step_first_day(plan_, step.number)),
                          day_and_month(step_last_day(plan_, step.number)),
                          escape(distance_cell(step, options_.units)), escape(longest),
                          fmt::join(sessions, "<br>"));
    }
    out_ += "</table>\n";
    if (!plan_.actions.empty()) {
      out_ += "<h2>Also</h2>\n<ul>\n";
      for (const PlanAction* action : plan_.actions) {
        out_ += "<li>" + escape(action->text) + marks(action->sources) + "</li>\n";
      }
      out_ += "</ul>\n";
    }
    if (!plan_.measures.empty()) {
      out_ += "<h2>Measure each week</h2>\n<ul>\n";
      for (const PlanMeasure* measure : plan_.measures) {
        out_ += fmt::format("<li><b>{}</b>: {}{}</li>\n", escape(measure->name), escape(measure->how),
                            marks(measure->sources));
      }
      out_ += "</ul>\n";
    }
    out_ += "<h2>Each week</h2>\n";
    if (rules_.plan.check_in && !rules_.plan.check_in->text.empty()) {
      out_ += "<p>" + escape(rules_.plan.check_in->text) + marks(rules_.plan.check_in->sources) + "</p>\n";
    }
    out_ += fmt::format("<p>Stop and see a professional if a check-in finds a warning sign; it will say how soon. If "
                        "the knee is no better by {}, see a physiotherapist or doctor.</p>\n",
                        date_in_words(plan_.review));
    out_ += "</section>\n";
  }

  void week(const PlanStep& step) {
    out_ += fmt::format("<h3>Week {}: {} to {}</h3>\n", step.number,
                        day_and_month(step_first_day(plan_, step.number)),
                        day_and_month(step_last_day(plan_, step.number)));
    if (step.walk_run != nullptr) out_ += "<p>Walk/run: " + escape(step.walk_run->text) + "</p>\n";
    if (step.target_km) {
      out_ += "<p>Running: about " + escape(distance_text(*step.target_km, options_.units)) + " in the week";
      if (step.longest_run_km) out_ += ", no run longer than " + escape(distance_text(*step.longest_run_km, options_.units));
      out_ += ".</p>\n";
    }
    for (const auto& session : step.blocks) {
      out_ += fmt::format("<h4>{}, {} sessions</h4>\n<ul>\n", escape(session.block->title),
                          session.block->sessions_per_week);
      for (const auto& dose : session.exercises) {
        out_ += fmt::format("<li><b>{}</b>: {}. <span class=\"how\">{}</span>{}</li>\n",
                            escape(dose.exercise->name), escape(dose.dose), escape(dose.exercise->how),
                            marks(dose.exercise->sources));
      }
      out_ += "</ul>\n";
    }
  }

  void fortnight(int first) {
    out_ += "<section class=\"page\">\n";
    int last = std::min(first + 1, rules_.plan.weeks);
    out_ += first == last ? fmt::format("<h2>Week {}</h2>\n", first)
                          : fmt::format("<h2>Weeks {} and {}</h2>\n", first, last);
    for (const auto& step : plan_.steps) {
      if (step.number >= first && step.number <= last) week(step);
    }
    out_ += "</section>\n";
  }

  void sources() {
    auto listed = sources_.list();
    if (listed.empty()) return;
    out_ += "<section class=\"page\">\n<h2>Sources</h2>\n<ol class=\"sources\">\n";
    for (const auto& source : listed) {
      out_ += fmt::format("<li value=\"{}\">{}{}{}</li>\n", source.number, escape(source.text),
                          source.url.empty() ? "" : " ", escape(source.url));
    }
    out_ += "</ol>\n</section>\n";
  }

  const Plan& plan_;
  const RuleSet& rules_;
  const PlanTextOptions& options_;
  PlanSources sources_;
  std::string out_;
};

}  // namespace

std::string render_plan_html(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options) {
  if (!plan.available) {
    return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<title>Your knee plan</title>\n</head>\n<body>\n<p>{}</p>\n</body>\n</html>\n",
                       escape(plan.why_not));
  }
  return PlanHtml(plan, rules, options).render();
}

}  // namespace kneecheck
