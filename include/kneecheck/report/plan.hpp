// report/plan: the six-week plan for people (text that fits 80 columns,
// Markdown, printable HTML), for programs (JSON) and for calendars (iCalendar, RFC 5545).
// Every exercise, limit and action carries the number of its source.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/plan/plan.hpp"

namespace kneecheck {

struct PlanTextOptions {
  std::size_t width = 80;
  Units units = Units::km;
  int only_step = 0;  // 1..weeks: that week alone (plan --week N); 0: every week
};

std::string render_plan_text(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options);
std::string render_plan_markdown(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options);
std::string render_plan_json(const Plan& plan, const RuleSet& rules);
// One printable HTML page: an overview (running, actions, measures, the
// weekly rule), then a printed page for every two weeks, sources last.
// Every text is escaped; no scripts, no external resources.
std::string render_plan_html(const Plan& plan, const RuleSet& rules, const PlanTextOptions& options);

// Days of the week, 0 = Monday .. 6 = Sunday.
using Weekdays = std::vector<int>;

// Parses "mon,wed,fri" (three letters or full names, any case). nullopt
// with `error` set when a day is unknown, repeated, or the list is empty.
std::optional<Weekdays> parse_weekdays(std::string_view text, std::string& error);

// Why these days do not suit the plan, or "": walk/run phases want a rest
// day between runs, so two days in a row (Sunday to Monday too) are refused.
std::string weekdays_problem(const Plan& plan, const Weekdays& days);

// One all-day event per session on `days` of each plan week, and a weekly
// check-in reminder on the day each week ends. `stamp` is the DTSTAMP,
// "YYYYMMDDTHHMMSSZ". Lines end in CRLF and are folded at 75 octets.
std::string render_plan_ics(const Plan& plan, const RuleSet& rules, const Weekdays& days, const std::string& stamp);

}  // namespace kneecheck
