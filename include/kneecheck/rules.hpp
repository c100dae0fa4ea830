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

#include "kneecheck/logic.hpp"
#include "kneecheck/result.hpp"

namespace kneecheck {

enum class QuestionType { choice, multi, yes_no, number, scale };

struct Option {
  std::string value;  // what answers and conditions use
  std::string label;  // what the runner reads
};

struct Question {
  std::string id;
  std::string text;
  std::string help;
  QuestionType type = QuestionType::yes_no;
  std::vector<Option> options;  // choice and multi
  double min = 0;               // number; scale is always 0..10
  double max = 0;
  bool integer = false;  // number: whole numbers only
  std::string unit;
  std::optional<nlohmann::json> default_answer;
  bool optional = false;
  std::optional<logic::Expression> ask_if;

  // The option with this value, or nullptr.
  const Option* find_option(std::string_view value) const;
  // The same, first by address: checked answers are views of their
  // options' own value texts (check_answer).
  const Option* option_of(std::string_view value) const;
};

// A value computed from the answers after the interview.
struct Derived {
  std::string id;
  std::string description;
  logic::Expression value;
  std::vector<std::string> sources;
  std::size_t slot = 0;  // in RuleSet::slots
};

// What conditions may read of the runner's earlier check-ins, as
// "history.NAME"; the engine fills them in (README, "History variables").
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
  logic::Expression when;
  double weight = 1;
  std::string because;  // completes "because you said ..."
  std::vector<std::string> sources;
};

struct Advice {
  std::string text;
  std::vector<std::string> sources;
  std::vector<std::string> for_indicators;  // empty: always shown
  std::vector<std::size_t> indicator_positions;  // the same, as positions in the cause's indicators
};

struct Cause {
  std::string id;
  std::string title;
  std::string summary;
  std::vector<std::string> sources;
  std::vector<Indicator> indicators;
  std::vector<Advice> advice;
};

// Ordered from most to least pressing.
enum class Level { urgent, soon, routine, self_care };

struct RedFlag {
  std::string id;
  logic::Expression when;
  Level level = Level::urgent;  // only urgent or soon
  std::string message;
  std::vector<std::string> sources;
};

struct EscalationLevel {
  std::optional<logic::Expression> when;  // routine only
  std::string message;
  int review_in_days = 14;
  std::vector<std::string> sources;
};

struct Source {
  std::string id;
  std::string citation;
};

struct Scoring {
  // The matched indicator weight that scores 100: the strength of evidence at
  // which kneecheck can say no more. One scale for every cause, so that a
  // cause with many weak indicators does not outrank one with strong ones.
  double full_weight = 6;
  double moderate = 25;  // scores at or above are "moderate"
  double high = 50;      // scores at or above are "high"
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
  // The names conditions read as answer slots: question ids, derived ids,
  // then "history", so that question i is slot i. Every condition is
  // compiled with them.
  logic::SlotNames slots;
  std::vector<Derived> derived;
  std::vector<RedFlag> red_flags;
  std::vector<Cause> causes;
  EscalationLevel routine;
  EscalationLevel self_care;
  std::string disclaimer;
  std::vector<std::string> not_covered;

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
// file beyond any of them is rejected before it is loaded (README, "Limits").
inline constexpr std::size_t kMaxQuestions = 200;
inline constexpr std::size_t kMaxOptionsPerQuestion = 50;
inline constexpr std::size_t kMaxDerived = 100;
inline constexpr std::size_t kMaxRedFlags = 100;
inline constexpr std::size_t kMaxCauses = 50;
inline constexpr std::size_t kMaxIndicatorsPerCause = 100;
inline constexpr std::size_t kMaxIndicators = 1000;  // over all causes

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

}  // namespace kneecheck
