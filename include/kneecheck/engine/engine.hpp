// engine: turns a rule set and a runner's answers into an Assessment: red
// flags, per-cause scores with the answers behind them, a deterministic
// ranking, and the escalation level. It formats nothing.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/date.hpp"
#include "kneecheck/history/history.hpp"
#include "kneecheck/answers/answers.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

enum class Band { low, moderate, high };
std::string_view to_string(Band band);

// An Assessment refers to the texts of the RuleSet it was scored against
// (ids, titles, messages, advice, sources): that RuleSet must outlive it.
using Sources = std::span<const std::string>;

// The lists of an Assessment take their memory from Assessment::memory
// (base/json_writer.hpp says why).
template <typename T>
using List = std::pmr::vector<T>;

// One answer (or derived value, or history variable) that a condition read,
// and its value.
struct Evidence {
  std::string_view id;                 // the question or derived id, or "history.NAME"
  const Question* question = nullptr;  // the question answered, or nullptr
  logic::Value value;                  // null when unanswered; a view into Assessment::inputs
  // For a multi answer: the options compared with by the alternatives that
  // held and read it, one list per alternative, so that only the chosen ones
  // that made the condition hold are shown (all, when none of the chosen
  // ones is among them). No list, an alternative that compares with no
  // option, or more alternatives than there is room for: the whole answer.
  static constexpr std::size_t kMaxRelevantLists = 4;
  std::array<std::span<const std::string>, kMaxRelevantLists> relevant{};
  std::size_t relevant_lists = 0;
  bool whole_answer = false;

  // Adds the options one more alternative that held compares with.
  void add_relevant(std::span<const std::string> options);
  // Whether only some items of the answer are shown: those is_relevant
  // says, when at least one is.
  bool filters_items() const;
  // REQUIRES: value is an array and i < value.size().
  bool is_relevant(std::size_t i) const;
};


struct IndicatorResult {
  std::string_view id;
  std::string_view because;
  double points = 0;  // what it counted: 0 when it did not match
  Sources sources;
  List<Evidence> evidence;  // the answers its condition read (see ScoreOptions)
  bool matched = false;
};
struct AdviceItem {
  std::string_view text;
  Sources sources;
  bool load = false;  // load advice (Advice::load)
};

struct CauseAssessment {
  std::string_view id;
  std::string_view title;
  std::string_view summary;
  int score = 0;  // 0..100: matched points as a share of the rule set's full_weight, capped
  Band band = Band::low;
  double matched_points = 0;
  double strongest = 0;  // the points of the strongest matched indicator
  // 1-based; causes that are level share a rank (see rank_causes in engine.cpp).
  int rank = 0;
  bool level_with_previous = false;  // level with the cause before it in `causes`
  List<IndicatorResult> indicators;     // every indicator, matched or not, in rule-file order
  List<const IndicatorResult*> matched;  // those of `indicators` that matched, in the same order
  List<AdviceItem> advice;              // general advice, then tips for matched indicators
  Sources sources;                      // the cause's own

  // The matched indicator that counted most (the first of those that count
  // as much), or nullptr when none matched.
  const IndicatorResult* strongest_reason() const;

  // Move-only: `matched` points into `indicators`, which a move keeps in place.
  explicit CauseAssessment(std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : indicators(memory), matched(memory), advice(memory) {}
  CauseAssessment(CauseAssessment&&) noexcept = default;
  CauseAssessment& operator=(CauseAssessment&&) noexcept = default;
  CauseAssessment(const CauseAssessment&) = delete;
  CauseAssessment& operator=(const CauseAssessment&) = delete;
};

struct RaisedFlag {
  std::string_view id;
  std::string_view title;  // may be empty in older rule files
  Level level = Level::urgent;
  std::string_view message;
  Sources sources;
  List<Evidence> evidence;
  bool withholds_load_advice = false;
};

// A routine reason that held.
struct HeldReason {
  std::string_view id;
  std::string_view text;
  Sources sources;
  List<Evidence> evidence;
};

struct Escalation {
  Level level = Level::self_care;
  std::string_view message;
  std::optional<Date> review_by;  // routine and self_care
  Sources sources;
  List<HeldReason> reasons;  // routine: the reasons that held, in rule-file order
};

// What a report says first, after what to do now: the causes that lead and
// the few things to do this week.
struct Summary {
  // Indexes into Assessment::causes of the causes at rank 1, when any cause
  // is indicated (several when they are level).
  List<std::size_t> leading;
  // At most kMaxActions: the first advice item of each leading cause in rank
  // order, then their next ones, then those of the causes after them, no
  // text twice; with no cause indicated, the general advice. None under an
  // urgent flag.
  List<AdviceItem> actions;
};
inline constexpr std::size_t kMaxActions = 3;

// Which advice a red flag leaves out.
enum class Withheld {
  none,
  load,  // a flag says not to run: no load advice
  all,   // an urgent flag: no cause advice at all
};
std::string_view to_string(Withheld withheld);

struct Assessment {
  // First, so that it outlives the lists that take memory from it.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> memory =
      std::make_unique<std::pmr::monotonic_buffer_resource>(8192);
  std::string_view rules_id;
  std::string_view rules_version;
  std::string_view rules_title;
  Date date;
  // What the conditions read, in the rule set's slots: the answers as given,
  // the derived values, and "history". Evidence values are views into it.
  logic::Data inputs;
  std::optional<double> pain;           // the answer to the rules' tracked_pain question, if any
  nlohmann::json history;               // the history variables as conditions read them (an object)
  std::vector<PastCheckIn> earlier;     // the check-ins dated before this one, oldest first
  List<RaisedFlag> red_flags{memory.get()};    // most pressing first
  List<CauseAssessment> causes{memory.get()};  // ranked, most likely first
  Escalation escalation{Level::self_care, {}, std::nullopt, {}, List<HeldReason>(memory.get())};
  Withheld withheld = Withheld::none;
  // The rules' general advice when no cause is pointed to (less what is withheld).
  List<AdviceItem> general_advice{memory.get()};
  Summary summary{List<std::size_t>(memory.get()), List<AdviceItem>(memory.get())};
  // The rule set scored against: for what reports show of its questions,
  // derived values and sources.
  const RuleSet* rules = nullptr;
  std::string_view disclaimer;
  std::span<const std::string> not_covered;
  // Ids of the answers suggested by recorded runs rather than given by the
  // runner, in interview order. Scoring leaves it empty; the caller that
  // filled them says so here, and reports name them.
  std::vector<std::string> from_runs;

  // True when at least one indicator matched; otherwise no ranking is
  // meaningful and reports say so.
  bool any_cause_indicated() const;

  // The answers and derived values (not "history"), in byte order of their
  // ids, as JSON objects list them.
  std::vector<std::pair<std::string_view, logic::Value>> answers() const;
  // The same as a JSON object, id -> value.
  nlohmann::json answers_json() const;
};


// The check-ins of `past` dated before `date`, oldest first.
std::vector<PastCheckIn> earlier_check_ins(const std::vector<PastCheckIn>& past, const Date& date);

// The history variables (kHistoryVariables) for a check-in on `date` with
// tracked pain `pain`, from the check-ins in `past` dated before `date`.
nlohmann::json history_variables(const std::vector<PastCheckIn>& past, const Date& date, std::optional<double> pain);


struct ScoreOptions {
  // Evidence for the indicators that did not match too, which only
  // explanations (--explain) show; matched indicators and red flags always
  // have theirs.
  bool evidence_of_unmatched = true;
};

// Scores checked answers: the slot Data that check_answers (or read_answers)
// leaves, question slots only.
// REQUIRES: `answers` passed check_answers. The Assessment refers to `rules`,
// which must outlive it.
Assessment score(const RuleSet& rules, logic::Data answers, const Date& date,
                 const std::vector<PastCheckIn>& past = {}, const ScoreOptions& options = {});

// What history keeps of an assessment; recorded_at is left empty: History::add
// sets it.
CheckIn check_in_of(const Assessment& assessment);

}  // namespace kneecheck
