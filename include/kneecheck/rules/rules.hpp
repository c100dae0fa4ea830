// rules: the model of a rule file and loading it from text, a file or the
// default compiled into the binary. The format is described in
// docs/rule-file.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"
#include "kneecheck/base/result.hpp"

namespace kneecheck {

enum class QuestionType { choice, multi, yes_no, number, scale };

struct Option {
  std::string value;  // what answers and conditions use
  std::string label;  // what the runner reads
  bool exclusive = false;  // multi: chosen only on its own ("None of these")
};

struct Question {
  std::string id;
  std::string text;
  std::string label;    // short, for reports ("Pain when running"); may be empty in older rule files
  std::string section;  // the part of the interview it belongs to ("Safety"); may be empty
  std::string help;
  QuestionType type = QuestionType::yes_no;
  std::vector<Option> options;  // choice and multi
  std::size_t min_choices = 0;  // multi: options that must be chosen at least
  double min = 0;               // number; scale is always 0..10
  double max = 0;
  bool integer = false;  // number: whole numbers only
  std::string unit;
  std::optional<nlohmann::json> default_answer;
  bool optional = false;
  std::optional<logic::Expression> ask_if;

  // The label when there is one, else the text.
  const std::string& short_label() const { return label.empty() ? text : label; }

  // The option with this value, or nullptr.
  const Option* find_option(std::string_view value) const;
  // The same, first by address: checked answers are views of their
  // options' own value texts (check_answer).
  const Option* option_of(std::string_view value) const;
};

// A condition with its alternatives: the parts of a top-level "or" (nested
// "or"s flattened), compiled apart, or the whole condition as the one part.
// Which alternatives hold is what explains a match; and an alternative can be
// decided during the interview as soon as the questions it reads are behind.
struct Condition {
  struct Alternative {
    logic::Expression when;
    // The strings the alternative compares answers with: the options that
    // can make it hold, which is what a report quotes of a multi answer.
    std::vector<std::string> literals;
    // The index of the last question it reads, directly or through derived
    // values; kReadsHistory when it reads the history.
    std::size_t last_question = 0;
  };
  static constexpr std::size_t kReadsHistory = static_cast<std::size_t>(-1);

  logic::Expression when;
  std::vector<Alternative> alternatives;

  bool matches(const logic::Data& data) const { return when.matches(data); }
};

// A value computed from the answers after the interview.
struct Derived {
  std::string id;
  std::string description;
  logic::Expression value;
  std::vector<std::string> sources;
  std::size_t slot = 0;  // in RuleSet::slots
  // How reports show it: "Change in weekly distance" 73 "%". May be empty in
  // older rule files; reports then fall back to the description, or the id.
  std::string label;
  std::string unit;
  int decimals = 0;  // digits after the point a person sees
};

// The most digits after the point a derived value may ask for.
inline constexpr int kMaxDecimals = 6;

// What conditions may read of the runner's earlier check-ins, as
// "history.NAME"; the engine fills them in (docs/rule-file.md, "History variables").
// A variable that cannot be known (no earlier check-in, no pain answered) is
// missing, so {"var": "history.pain_change"} is null.
inline constexpr std::string_view kHistoryObject = "history";
inline constexpr std::string_view kHistoryVariables[] = {
    "checkins",           // earlier check-ins (0 when none)
    "days_since_first",   // days from the first earlier check-in to this one
    "weeks_since_first",  // the same in weeks (a fraction)
    "first_pain",         // tracked pain at the first earlier check-in that has one
    "last_pain",          // tracked pain at the latest earlier check-in that has one
    "pain_change",        // this check-in's tracked pain minus first_pain
};

struct Indicator {
  std::string id;
  Condition when;
  // Points when `when` holds: a fixed number, or graded by a JsonLogic
  // expression that gives a number (evaluated only when `when` holds; a
  // result that is not a number above 0 means the indicator does not count,
  // and more than kMaxPoints counts as kMaxPoints).
  double points = 1;
  std::optional<logic::Expression> graded_points;
  // Completes "because you said ..."; may hold placeholders, {ID} for a
  // question or derived id, which reports replace with the value in words.
  std::string because;
  std::vector<std::string> sources;
};

inline constexpr double kMaxPoints = 10;

// A text with placeholders, in pieces: the runs of text between them, and
// each {ID} (its id, without the braces). A "{" that does not open a
// placeholder of an id's characters and "}" is left as text.
struct TextPiece {
  std::string_view text;
  bool placeholder = false;
};
std::vector<TextPiece> split_placeholders(std::string_view text);

struct Advice {
  std::string text;
  std::vector<std::string> sources;
  // Load advice tells how to keep running (how much, how fast, where, how):
  // it is left out when a red flag says not to run.
  bool load = false;
  std::vector<std::string> for_indicators;  // empty: always shown
  std::vector<std::size_t> indicator_positions;  // the same, as positions in the cause's indicators
};

struct Cause {
  std::string id;
  std::string title;
  std::string summary;
  std::vector<std::string> sources;
  // When given and false, none of the cause's indicators counts: the cause
  // does not apply to these answers (overuse to pain from an acute injury).
  std::optional<logic::Expression> applies_if;
  std::vector<Indicator> indicators;
  std::vector<Advice> advice;
};

// Ordered from most to least pressing.
enum class Level { urgent, soon, routine, self_care };
inline constexpr Level kLevels[] = {Level::urgent, Level::soon, Level::routine, Level::self_care};

struct RedFlag {
  std::string id;
  std::string title;  // a few words ("Knee stuck, will not straighten"); may be empty in older rule files
  Condition when;
  Level level = Level::urgent;  // only urgent or soon
  std::string message;
  std::vector<std::string> sources;
  // The runner should not run until seen, so no load advice is given. Every
  // urgent flag withholds all cause advice, whatever this says.
  bool withholds_load_advice = false;
};

// One reason to see a professional within weeks (the routine level).
struct RoutineReason {
  std::string id;
  Condition when;
  std::string text;  // what held, in words, completing "because ..."
  std::vector<std::string> sources;
};

struct EscalationLevel {
  // routine only: the level applies when any reason holds. A rule file may
  // give one "when" instead, which becomes one reason with an empty text.
  std::vector<RoutineReason> reasons;
  std::string message;
  int review_in_days = 14;
  std::vector<std::string> sources;
};

// What kind of evidence a source is. An expert reading is a judgement where
// no published source gives a threshold or tier; reports say so.
enum class SourceKind { article, published, expert_reading };

struct Source {
  std::string id;
  std::string citation;
  SourceKind kind = SourceKind::published;
  std::string year;  // "2014", or "n.d." when the source gives none; may be empty in older rule files
  // For a report's list of sources; each may be empty in older rule files,
  // and reports then show the citation.
  std::string title;
  std::string author;        // people ("Nielsen et al.") or an organisation ("NICE")
  std::string published_in;  // a journal with volume and pages, or a website
  std::string url;
};

// A change of the rules that makes older answers files invalid, named in the
// error such a file gets.
struct AnswerChange {
  std::string question;  // the question id (also one that no longer exists)
  std::string version;   // the rules version that made the change
  std::string note;      // what changed
};

struct Scoring {
  // The matched indicator weight that scores 100: the strength of evidence at
  // which kneecheck can say no more. One scale for every cause, so that a
  // cause with many weak indicators does not outrank one with strong ones.
  double full_weight = 6;
  double moderate = 25;  // scores at or above are "moderate"
  // Scores at or above are "high" when the cause also leads every other
  // cause by `lead` points or more: the evidence points strongly to it, and
  // clearly more than to the rest. Otherwise such a score is "moderate".
  double high = 50;
  double lead = 1;
};

// The figures recorded runs give as of the check-in day, which a rule
// file's from_runs values read. Each is null when the runs do not tell it.
inline constexpr std::string_view kRunFigures[] = {
    "km_week_1",            // km in the check-in day and the 6 days before
    "km_week_2",            // the 7 days before those; null when the runs start after them
    "km_week_3",
    "km_week_4",
    "runs_last_week",       // runs in week 1
    "rest_days_last_week",  // days of week 1 without a run
    "longest_last_week_km",
    "longest_previous_30_days_km",
    "longest_run_change_pct",  // week 1's largest single-run spike against the 30 days before
    "cadence_spm",             // steps a minute over the last 28 days
    "shoes_last_28_days",      // named shoes run in during the last 28 days; null when none is named
    "main_shoe_km",            // total km of the shoe with most km in the last 28 days
};

// An answer recorded runs can suggest. The interview offers it (Enter
// accepts it) and assess fills it in when the answers leave it out.
struct FromRuns {
  std::string question;
  // Over the run figures (kRunFigures); null suggests nothing.
  logic::Expression value;
};

// The six-week plan (docs/rule-file.md, "Plan"): exercises with a dose for
// each week, blocks of them chosen by causes and answers, actions on shoes,
// form and rest, the running-load limits, and the weekly check-in with the
// rule that decides progress, hold or step back. Every part names sources.
struct PlanExercise {
  std::string id;
  std::string name;                // "Side-lying hip abduction"
  std::string how;                 // one line: how to do it
  std::vector<std::string> doses;  // one per plan week ("10 × 2, each side"); "" leaves it out that week
  std::vector<std::string> sources;
};

struct PlanBlock {
  std::string id;
  std::string title;  // "Hip strength"
  std::string why;    // one line for the runner
  // Chosen when one of these causes is indicated with a moderate or high
  // band, or when `when` holds; with both given, both must. One of the two
  // is required.
  std::vector<std::string> causes;
  std::optional<logic::Expression> when;  // over the answer slots, as indicators are
  int sessions_per_week = 3;
  std::vector<std::string> exercises;  // ids of plan exercises, in order
  std::vector<std::string> sources;
};

// A shoe, form or rest action, chosen as blocks are.
struct PlanAction {
  std::string id;
  std::string text;
  std::vector<std::string> causes;
  std::optional<logic::Expression> when;
  std::vector<std::string> sources;
};

// What the check-in measures without dosing it (the single-leg heel-rise
// count, say, where no runner dose was found).
struct PlanMeasure {
  std::string id;
  std::string name;
  std::string how;
  std::vector<std::string> sources;
};

struct WalkRunPhase {
  std::string text;  // "Walk 2-3 min, run 2-3 min; 1.6 km in all; effort 3/10"
  double km = 0;     // a session's distance
};

struct PlanLoad {
  double single_run_max_pct = 110;        // no run longer than this share of the longest of the last 30 days
  double two_week_increase_max_pct = 30;  // the distance of two weeks against the two before
  std::vector<std::string> sources;
  // For a runner at 0 km: one phase a week, runs on days apart.
  std::vector<WalkRunPhase> walk_run;
  std::vector<std::string> walk_run_sources;
};

struct PlanCadence {
  double low_pct = 5;    // raise the step rate by low_pct..high_pct of the runner's own
  double high_pct = 10;
  std::string how_to_count;  // for runners whose runs do not record it
  std::vector<std::string> sources;
};

// The weekly check-in: the main questions asked again (red flags and the
// tracked pain among them), its own questions, and the rule deciding the
// next week. The conditions read the check-in's answers by id.
struct PlanCheckIn {
  std::vector<std::string> repeat;  // ids of main questions, asked again in this order
  std::vector<Question> questions;  // asked after them; no ask_if; ids unique in the file
  logic::Expression step_back_when;
  logic::Expression hold_when;      // when neither holds: progress
  std::string text;                 // the rule in words, for the plan ("Pain of 3/10 or less ...")
  // Choice questions of the check-in whose options run from no problem to
  // the worst: together they make the week's function score (0 = no
  // problem, 100 = the worst answer to every one), shown beside pain.
  std::vector<std::string> function_items;
  std::vector<std::string> sources;
};

struct PlanRules {
  int weeks = 6;
  std::vector<PlanExercise> exercises;
  std::vector<PlanBlock> blocks;
  std::vector<PlanAction> actions;
  std::vector<PlanMeasure> measures;
  PlanLoad load;
  PlanCadence cadence;
  std::optional<PlanCheckIn> check_in;
  bool present = false;  // the rule file has a plan section

  const PlanExercise* find_exercise(std::string_view id) const;
};

struct RuleSet {
  int schema_version = 1;
  std::string id;
  std::string version;
  std::string title;
  std::vector<Source> sources;
  Scoring scoring;
  std::vector<Question> questions;
  std::string tracked_pain;  // a scale or number question followed over check-ins; may be empty
  // Number questions of the weekly distance run, the latest week first, which
  // reports draw as a chart; may be empty.
  std::vector<std::string> weekly_distance;
  std::vector<FromRuns> from_runs;  // at most one per question
  // The names conditions read as answer slots: question ids, derived ids,
  // then "history", so that question i is slot i. Every condition is
  // compiled with them.
  logic::SlotNames slots;
  std::vector<Derived> derived;
  std::vector<RedFlag> red_flags;
  std::vector<Cause> causes;
  EscalationLevel routine;
  EscalationLevel self_care;
  // The article's general advice, for when no cause is pointed to.
  std::vector<Advice> general_advice;
  std::string disclaimer;
  std::vector<std::string> not_covered;
  std::vector<AnswerChange> answer_changes;
  PlanRules plan;

  const Question* find_question(std::string_view id) const;
  // The question whose answer slot `slot` holds, or nullptr (a derived
  // value, "history", or SlotNames::npos).
  const Question* question_in_slot(std::size_t slot) const {
    return slot < questions.size() ? &questions[slot] : nullptr;
  }
};

// Largest rule file accepted, in bytes.
inline constexpr std::size_t kMaxRuleFileBytes = 4 * 1024 * 1024;

// Most parts of each kind a rule file may have: an interview and a report a
// person can get through, and loading and scoring that stay quick. A rule
// file beyond any of them is rejected before it is loaded (docs/development.md, "Limits").
inline constexpr std::size_t kMaxQuestions = 200;
inline constexpr std::size_t kMaxOptionsPerQuestion = 50;
inline constexpr std::size_t kMaxDerived = 100;
inline constexpr std::size_t kMaxRedFlags = 100;
inline constexpr std::size_t kMaxCauses = 50;
inline constexpr std::size_t kMaxIndicatorsPerCause = 100;
inline constexpr std::size_t kMaxIndicators = 1000;  // over all causes
inline constexpr std::size_t kMaxPlanItems = 100;    // of each list in the plan

// Parses and checks a rule file. JSON syntax errors carry line and column;
// errors of meaning carry the JSON pointer of the offending part. Stops at the
// first error.
Result<RuleSet> load_rules(std::string_view text);

struct RuleCheck {
  RuleSet rules;              // usable only when errors is empty
  std::vector<Error> errors;  // one per broken part, in document order
};

// Checks a parsed rule file and reports every broken part it can find, not
// only the first.
RuleCheck check_rules(const nlohmann::json& document);

// Reads `path` and loads it; a file that cannot be read is an error too.
Result<RuleSet> load_rules_file(const std::filesystem::path& path);

// The default rules compiled into the binary. Loading them leaves out the
// checks of condition types, which find only authoring mistakes and which
// tests/validate_test.cpp runs on them in full: every run pays for loading.
Result<RuleSet> load_default_rules();
std::string_view embedded_rules();

std::string_view to_string(QuestionType type);
std::string_view to_string(Level level);
std::string_view to_string(SourceKind kind);

}  // namespace kneecheck
