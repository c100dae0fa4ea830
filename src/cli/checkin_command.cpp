#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "cli/plan_base.hpp"
#include "kneecheck/answers/flags.hpp"
#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/terminal.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/interview/session.hpp"
#include "kneecheck/report/content.hpp"
#include "kneecheck/report/plan.hpp"

namespace kneecheck {

namespace {

// Questions as an interview of their own, each asked whatever the earlier
// answers were.
RuleSet interview_of(const RuleSet& rules, const std::vector<const Question*>& chosen) {
  RuleSet questions;
  questions.id = rules.id;
  questions.version = rules.version;
  std::vector<std::string> ids;
  for (const Question* question : chosen) {
    Question asked = *question;
    asked.ask_if.reset();
    asked.section = "This week";
    questions.questions.push_back(std::move(asked));
    ids.push_back(question->id);
  }
  questions.slots = logic::SlotNames(ids);
  return questions;
}

// The weekly questions: the main questions the plan repeats, then its own.
std::vector<const Question*> weekly_questions(const RuleSet& rules) {
  std::vector<const Question*> chosen;
  for (const auto& id : rules.plan.check_in->repeat) {
    if (const Question* question = rules.find_question(id)) chosen.push_back(question);
  }
  for (const auto& question : rules.plan.check_in->questions) chosen.push_back(&question);
  return chosen;
}

// The questions this week's answers newly call for (a follow-up of a new
// swelling, say) that need an answer and have none.
std::vector<const Question*> follow_ups(const RuleSet& rules, const nlohmann::json& answers) {
  std::vector<const Question*> missing;
  for (const auto& question : rules.questions) {
    if (question.optional || answers.contains(question.id) || !is_asked(question, answers)) continue;
    missing.push_back(&question);
  }
  return missing;
}

// The index, in the rules' order, of the last question up to which every
// answer is in, or nullopt when none is. This week's repeated questions are
// asked in the plan's order, which need not be the rules'.
std::optional<std::size_t> answered_through(const RuleSet& rules, const nlohmann::json& answers) {
  std::size_t end = rules.questions.size();
  for (const auto& id : rules.plan.check_in->repeat) {
    const Question* question = rules.find_question(id);
    if (question == nullptr || answers.contains(id)) continue;
    end = std::min(end, static_cast<std::size_t>(question - rules.questions.data()));
  }
  if (end == 0) return std::nullopt;
  return end - 1;
}

// The red flags decided so far this week: the answers given so far read with
// those known before (the earlier check-in's, less what this week asks again).
std::vector<const RedFlag*> decided_this_week(const RuleSet& rules, const nlohmann::json& known,
                                              const Answers& so_far) {
  nlohmann::json answers = known;
  for (const auto& [id, value] : so_far.items()) answers[id] = value;
  auto through = answered_through(rules, answers);
  if (!through) return {};
  logic::Data data = logic::Data::from_json(question_answers(rules, answers), rules.slots);
  add_derived_values(rules, data);
  return decided_red_flags(rules, data, *through);
}

// Asks `chosen` and adds the answers to `answers`, stopping at the first
// urgent red flag as the interview does; false when the questions did not
// finish (`result` says why). `known`: the answers the red flags read besides.
bool ask(const RuleSet& rules, const std::vector<const Question*>& chosen, const nlohmann::json& known, Units units,
         Console& console, nlohmann::json& answers, TypedInterviewResult& result) {
  RuleSet questions = interview_of(rules, chosen);
  Interview interview(questions);
  TypedInterviewOptions session{console.in_is_terminal, console.width, [] { return false; }, units, {},
                                [&rules, &known](const Answers& so_far) {
                                  return decided_this_week(rules, known, so_far);
                                }};
  result = run_typed_interview(interview, console.in, console.err, session);
  if (!finished(result.outcome)) return false;
  for (const auto& [id, value] : result.answers.items()) answers[id] = value;
  return true;
}

// The earlier answers with this week's repeated answers in their place.
nlohmann::json with_this_week(const RuleSet& rules, const nlohmann::json& earlier, const nlohmann::json& this_week) {
  nlohmann::json merged = earlier;
  for (const auto& id : rules.plan.check_in->repeat) {
    auto it = this_week.find(id);
    if (it == this_week.end()) {
      merged.erase(id);
    } else {
      merged[id] = *it;
    }
  }
  return question_answers(rules, merged);
}

std::string decision_sentence(PlanDecision decision, int step, int weeks) {
  switch (decision) {
    case PlanDecision::progress:
      return step == weeks ? fmt::format("Go on: this is the plan's last week, week {}.", step)
                           : fmt::format("Go on to week {} of the plan.", step);
    case PlanDecision::hold:
      return fmt::format("Hold: repeat week {} of the plan before going on.", step);
    case PlanDecision::step_back:
      return fmt::format("Step back to week {} of the plan, and let the knee settle.", step);
  }
  return "";
}

int run_checkin(const CommonOptions& common, const HistoryOptions& history_options, const CommandHelp& help,
                Console& console) {
  auto rules = load_selected_rules(common);
  if (!rules) return fail(console, rules.error().message);
  if (!rules->plan.check_in) return fail(console, "these rules have no plan check-in");
  auto date = selected_date(common);
  if (!date) return fail(console, date.error().message);
  auto units = selected_units(common);
  if (!units) return fail(console, units.error().message);
  if (!common.output_path.empty()) {
    if (auto error = unwritable(common.output_path)) return fail(console, error->message);
  }
  auto history = open_check_in_history(history_options, *date);
  if (!history) return fail(console, history.error().message);
  if (!history->history) return fail(console, "there is no plan to check in on: answer the questions first ('kneecheck')");
  auto state = plan_state(*history->history);
  if (!state) return fail(console, state.error().message);
  if (date->days_until(state->base.date) > 0) {
    return fail(console, fmt::format("--date {} is before the check-in the plan starts from ({})", date->to_string(),
                                     state->base.date.to_string()));
  }
  auto base_past = history->history->past_before(state->base.date);
  if (!base_past) return fail(console, base_past.error().message);
  auto base = score_for_plan(*rules, state->base.answers, state->base.date, *base_past);
  if (!base) return fail(console, base.error().message);
  Plan base_plan = plan_for(*base->assessment, &*history->history);
  if (!base_plan.available) return fail(console, "there is no plan to check in on: " + base_plan.why_not);

  console.err << fmt::format("Week {} check-in: a few questions on how the knee did this week.\n", state->week());
  nlohmann::json this_week = nlohmann::json::object();
  TypedInterviewResult result;
  const nlohmann::json known_before = with_this_week(*rules, state->base.answers, this_week);
  bool answered = ask(*rules, weekly_questions(*rules), known_before, *units, console, this_week, result);
  nlohmann::json merged = with_this_week(*rules, state->base.answers, this_week);
  // Follow-ups come in turn: each round's answers may call for more.
  for (int round = 0; answered && result.outcome != InterviewOutcome::stopped_at_urgent && round < 5; ++round) {
    auto missing = follow_ups(*rules, merged);
    if (missing.empty()) break;
    nlohmann::json more = nlohmann::json::object();
    answered = ask(*rules, missing, merged, *units, console, more, result);
    for (const auto& [id, value] : more.items()) merged[id] = value;
  }
  if (!answered) {
    bool stopped = result.outcome == InterviewOutcome::quit || result.outcome == InterviewOutcome::interrupted;
    return fail(console, result.message + "; nothing was stored, and the check-in can be answered again",
                stopped ? kExitInterrupted : kExitInvalid);
  }
  auto scored = score_for_plan(*rules, merged, *date, history->past);
  if (!scored) return fail(console, scored.error().message);
  const Assessment& assessment = *scored->assessment;
  Plan plan = plan_for(assessment, &*history->history);
  if (!plan.available) {
    // A warning sign ends the plan: the report says what to do, and the
    // check-in is stored as a full one, so no plan is built from it.
    console.err << "A warning sign came up: the plan stops here.\n";
    int code = report(assessment, common, help, console);
    store_check_in(*history, assessment, code, console);
    return code;
  }
  PlanDecision decision = decide(*rules, this_week);
  int step = next_step(state->step, decision, rules->plan.weeks);
  PlanMark mark{step, std::string(to_string(decision)), this_week, function_score(*rules, this_week)};
  std::string text = decision_sentence(decision, step, rules->plan.weeks) + "\n";
  if (assessment.escalation.level == Level::routine) {
    text += "\n" + std::string(assessment.escalation.message) + "\n";
  }
  PlanTextOptions options{std::min<std::size_t>(console.width, 100), *units, step};
  text += "\n" + render_plan_text(base_plan, *rules, options);
  int code = emit(text, common, console);
  if (code != kExitOk) return code;
  store_check_in(*history, assessment, code, console, &mark);
  return code;
}

}  // namespace

CommandSetup setup_checkin(CLI::App& app, SharedOptions& shared) {
  auto* command = app.add_subcommand("checkin");
  command->fallthrough();
  CommandHelp help{
      "checkin",
      "The weekly check-in of your plan: a few questions, then go on, hold or step back",
      {"kneecheck checkin [options]", "kneecheck checkin < answers.txt"},
      {},
      {"--rules", "--date", "--output", "--db", "--no-save", "--units", "--color", "--no-pager"},
      {"text"},
      {"kneecheck checkin                # once a week, while the plan runs"},
      "0 ok, 2 no plan to check in on or invalid input, 130 interrupted",
  };
  return {command, help, [&shared, help](Console& console) {
            return run_checkin(shared.common, shared.history, help, console);
          }};
}

}  // namespace kneecheck
