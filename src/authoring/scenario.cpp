#include "kneecheck/authoring/scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"

namespace kneecheck {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------
// Reading a case

void add_problem(ScenarioCase& scenario, const std::string& pointer, const std::string& message) {
  scenario.problems.push_back(format_error(scenario.file, Error{message, pointer}));
}

std::string child(const std::string& pointer, std::string_view key) {
  return pointer + "/" + json_pointer_escape(key);
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::optional<std::string> read_string(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  if (value.is_string()) return value.get<std::string>();
  add_problem(scenario, pointer, fmt::format("expected a string, got {}", value.dump()));
  return std::nullopt;
}

std::vector<std::string> read_strings(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  std::vector<std::string> strings;
  if (!value.is_array()) {
    add_problem(scenario, pointer, fmt::format("expected an array of strings, got {}", value.dump()));
    return strings;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (auto text = read_string(value[i], child(pointer, i), scenario)) strings.push_back(*text);
  }
  return strings;
}

// An object of cause id -> something, each value read by `read_value`.
template <typename T, typename ReadValue>
std::map<std::string, T> read_cause_map(const json& value, const std::string& pointer, ScenarioCase& scenario,
                                        ReadValue read_value) {
  std::map<std::string, T> entries;
  if (!value.is_object()) {
    add_problem(scenario, pointer, fmt::format("expected an object of cause id -> value, got {}", value.dump()));
    return entries;
  }
  for (const auto& [id, item] : value.items()) {
    if (auto read = read_value(item, child(pointer, id), scenario)) entries.emplace(id, *read);
  }
  return entries;
}

std::optional<Band> read_band(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  for (Band band : {Band::low, Band::moderate, Band::high}) {
    if (value == to_string(band)) return band;
  }
  add_problem(scenario, pointer, fmt::format("expected \"low\", \"moderate\" or \"high\", got {}", value.dump()));
  return std::nullopt;
}

std::optional<int> read_score(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  if (value.is_number_integer() && value.get<long long>() >= 0 && value.get<long long>() <= 100) {
    return value.get<int>();
  }
  add_problem(scenario, pointer, fmt::format("expected a whole number from 0 to 100, got {}", value.dump()));
  return std::nullopt;
}

std::optional<Level> read_level(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) {
    if (value == to_string(level)) return level;
  }
  add_problem(scenario, pointer,
              fmt::format("expected \"urgent\", \"soon\", \"routine\" or \"self_care\", got {}", value.dump()));
  return std::nullopt;
}

std::optional<Date> read_date(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  auto date = value.is_string() ? Date::parse(value.get<std::string>()) : std::nullopt;
  if (!date) add_problem(scenario, pointer, fmt::format("expected a date YYYY-MM-DD, got {}", value.dump()));
  return date;
}

// An empty reason would be part of every because-text and so check nothing.
std::vector<std::string> read_reasons(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  for (std::size_t i = 0; value.is_array() && i < value.size(); ++i) {
    if (value[i] == "") add_problem(scenario, child(pointer, i), "a reason cannot be empty");
  }
  return read_strings(value, pointer, scenario);
}

using ExpectationReader = void (*)(const json& value, const std::string& pointer, ScenarioCase& scenario);

// Every expectation a case may state, and how to read it.
const std::vector<std::pair<std::string, ExpectationReader>>& expectation_readers() {
  static const std::vector<std::pair<std::string, ExpectationReader>> readers = {
      {"top",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         if (value.is_null()) {
           scenario.expect.top = ExpectedTop{};
         } else if (auto cause = read_string(value, pointer, scenario)) {
           scenario.expect.top = ExpectedTop{*cause};
         }
       }},
      {"order",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.order = read_strings(value, pointer, scenario);
       }},
      {"bands",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.bands = read_cause_map<Band>(value, pointer, scenario, read_band);
       }},
      {"score_at_least",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.score_at_least = read_cause_map<int>(value, pointer, scenario, read_score);
       }},
      {"score_at_most",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.score_at_most = read_cause_map<int>(value, pointer, scenario, read_score);
       }},
      {"red_flags",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.red_flags = read_strings(value, pointer, scenario);
       }},
      {"red_flags_include",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.red_flags_include = read_strings(value, pointer, scenario);
       }},
      {"red_flags_absent",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.red_flags_absent = read_strings(value, pointer, scenario);
       }},
      {"escalation",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.escalation = read_level(value, pointer, scenario);
       }},
      {"review_by",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         if (value.is_null()) {
           scenario.expect.review_by = ExpectedReview{};
         } else if (auto date = read_date(value, pointer, scenario)) {
           scenario.expect.review_by = ExpectedReview{*date};
         }
       }},
      {"reasons",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.reasons = read_reasons(value, pointer, scenario);
       }},
      {"level",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         if (!value.is_array()) {
           add_problem(scenario, pointer, fmt::format("expected an array of arrays of cause ids, got {}", value.dump()));
           return;
         }
         for (std::size_t i = 0; i < value.size(); ++i) {
           auto group = read_strings(value[i], fmt::format("{}/{}", pointer, i), scenario);
           if (group.size() < 2) {
             add_problem(scenario, fmt::format("{}/{}", pointer, i), "a group of level causes needs two or more ids");
           }
           scenario.expect.level.push_back(std::move(group));
         }
       }},
      {"escalation_reasons",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.escalation_reasons = read_strings(value, pointer, scenario);
       }},
      {"advice_withheld",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         for (Withheld withheld : {Withheld::none, Withheld::load, Withheld::all}) {
           if (value.is_string() && value.get<std::string>() == to_string(withheld)) {
             scenario.expect.advice_withheld = withheld;
             return;
           }
         }
         add_problem(scenario, pointer, fmt::format("expected \"none\", \"load\" or \"all\", got {}", value.dump()));
       }},
      {"advice_includes",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.advice_includes = read_strings(value, pointer, scenario);
       }},
      {"advice_absent",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.advice_absent = read_strings(value, pointer, scenario);
       }},
      {"reasons_absent",
       [](const json& value, const std::string& pointer, ScenarioCase& scenario) {
         scenario.expect.reasons_absent = read_reasons(value, pointer, scenario);
       }},
  };
  return readers;
}

// Reports `key` as unknown, suggesting the closest of `known`.
void unknown_key(ScenarioCase& scenario, const std::string& pointer, const std::string& what, const std::string& key,
                 const std::vector<std::string>& known) {
  add_problem(scenario, child(pointer, key), fmt::format("unknown {} \"{}\"{}", what, key, did_you_mean(key, known)));
}

void read_expectations(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  if (!value.is_object() || value.empty()) {
    add_problem(scenario, pointer, "\"expect\" must be an object stating at least one expectation");
    return;
  }
  std::vector<std::string> known;
  for (const auto& reader : expectation_readers()) known.push_back(reader.first);
  for (const auto& [key, item] : value.items()) {
    auto reader = std::find_if(expectation_readers().begin(), expectation_readers().end(),
                               [&key = key](const auto& entry) { return entry.first == key; });
    if (reader == expectation_readers().end()) {
      unknown_key(scenario, pointer, "expectation", key, known);
    } else {
      reader->second(item, child(pointer, key), scenario);
    }
  }
}

const std::vector<std::string> kCaseKeys = {"description", "rules", "date", "history", "answers", "expect"};

// "history": earlier check-ins, [{"date": "YYYY-MM-DD", "pain": N or null}].
std::vector<PastCheckIn> read_history(const json& value, const std::string& pointer, ScenarioCase& scenario) {
  std::vector<PastCheckIn> history;
  if (!value.is_array()) {
    add_problem(scenario, pointer, fmt::format("expected an array of earlier check-ins, got {}", value.dump()));
    return history;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::string item_pointer = child(pointer, i);
    const json& item = value[i];
    if (!item.is_object() || !item.contains("date")) {
      add_problem(scenario, item_pointer,
                  fmt::format("expected {{\"date\": \"YYYY-MM-DD\", \"pain\": N}}, got {}", item.dump()));
      continue;
    }
    PastCheckIn check_in;
    auto date = read_date(item["date"], child(item_pointer, "date"), scenario);
    if (!date) continue;
    check_in.date = *date;
    for (const auto& [key, member] : item.items()) {
      if (key == "date") continue;
      if (key == "pain" && member.is_number()) {
        check_in.pain = member.get<double>();
      } else if (key != "pain" || !member.is_null()) {
        add_problem(scenario, child(item_pointer, key),
                    key == "pain" ? fmt::format("expected a number or null, got {}", member.dump())
                                  : fmt::format("unknown key \"{}\" (known: date, pain)", key));
      }
    }
    history.push_back(check_in);
  }
  return history;
}

void read_case_field(const std::string& key, const json& value, const std::string& pointer, ScenarioCase& scenario) {
  if (key == "description") {
    if (auto text = read_string(value, pointer, scenario)) scenario.description = *text;
  } else if (key == "rules") {
    // Relative to the case file, so that a folder of cases can move with its rules.
    if (auto path = read_string(value, pointer, scenario)) {
      scenario.rules_path = (fs::path(scenario.file).parent_path() / *path).lexically_normal();
    }
  } else if (key == "date") {
    scenario.date = read_date(value, pointer, scenario);
  } else if (key == "history") {
    scenario.history = read_history(value, pointer, scenario);
  } else if (key == "answers") {
    if (value.is_object()) scenario.answers = value;
    else add_problem(scenario, pointer, fmt::format("expected an object of question id -> answer, got {}", value.dump()));
  } else if (key == "expect") {
    read_expectations(value, pointer, scenario);
  }
}

ScenarioCase invalid_file(const fs::path& file, std::string problem) {
  ScenarioCase scenario;
  scenario.name = file.stem().string();
  scenario.file = file.string();
  scenario.problems.push_back(std::move(problem));
  return scenario;
}

std::vector<ScenarioCase> parse_case_list(const json& document, const fs::path& file) {
  for (const auto& [key, item] : document.items()) {
    if (key != "cases") {
      return {invalid_file(file, format_error(file.string(), Error{fmt::format("unknown key \"{}\" beside \"cases\"", key),
                                                                   child("", key)}))};
    }
  }
  const json& list = document["cases"];
  if (!list.is_array()) {
    return {invalid_file(file, format_error(file.string(), Error{"\"cases\" must be an array of cases", "/cases"}))};
  }
  std::vector<ScenarioCase> cases;
  for (std::size_t i = 0; i < list.size(); ++i) {
    cases.push_back(parse_case(list[i], file, child("/cases", i)));
    cases.back().name = fmt::format("{}[{}]", file.stem().string(), i);
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Comparing an assessment with the expectations

std::string in_quotes(std::string_view text) { return fmt::format("\"{}\"", text); }

std::string listed(const std::vector<std::string>& items) { return fmt::format("[{}]", fmt::join(items, ", ")); }

std::vector<std::string> cause_ids(const RuleSet& rules) {
  std::vector<std::string> ids;
  for (const auto& cause : rules.causes) ids.push_back(cause.id);
  return ids;
}

std::vector<std::string> red_flag_ids(const RuleSet& rules) {
  std::vector<std::string> ids;
  for (const auto& flag : rules.red_flags) ids.push_back(flag.id);
  return ids;
}

// False, with a failure naming the rule set, when `id` is not one of `known`:
// a misspelt id would otherwise pass every "absent" check unnoticed.
bool is_known(const std::string& what, const std::string& id, const std::vector<std::string>& known,
              const RuleSet& rules, std::vector<std::string>& failures) {
  if (std::find(known.begin(), known.end(), id) != known.end()) return true;
  failures.push_back(fmt::format("{}: \"{}\" is not {} in rules {}{}", what, id,
                                 what.starts_with("red_flags") ? "a red flag" : "a cause", rules.id,
                                 did_you_mean(id, known)));
  return false;
}

// Causes that at least one answer pointed to, in rank order: the others are
// not ranked, only named.
std::vector<std::string> indicated_causes(const Assessment& assessment) {
  std::vector<std::string> ids;
  for (const auto& cause : assessment.causes) {
    if (!cause.matched.empty()) ids.emplace_back(cause.id);
  }
  return ids;
}

const CauseAssessment* find_cause(const Assessment& assessment, const std::string& id) {
  for (const auto& cause : assessment.causes) {
    if (cause.id == id) return &cause;
  }
  return nullptr;
}

std::vector<std::string> raised_flags(const Assessment& assessment) {
  std::vector<std::string> ids;
  for (const auto& flag : assessment.red_flags) ids.emplace_back(flag.id);
  return ids;
}

void check_top(const ExpectedTop& top, const Assessment& assessment, const RuleSet& rules,
               std::vector<std::string>& failures) {
  if (top.cause && !is_known("top", *top.cause, cause_ids(rules), rules, failures)) return;
  std::string expected = top.cause ? in_quotes(*top.cause) : "no cause indicated";
  std::string actual = assessment.any_cause_indicated() ? in_quotes(assessment.causes.front().id) : "no cause indicated";
  if (expected != actual) failures.push_back(fmt::format("top: expected {}, got {}", expected, actual));
}

void check_order(const std::vector<std::string>& order, const Assessment& assessment, const RuleSet& rules,
                 std::vector<std::string>& failures) {
  bool all_known = true;
  for (const auto& id : order) all_known = is_known("order", id, cause_ids(rules), rules, failures) && all_known;
  if (!all_known) return;
  auto actual = indicated_causes(assessment);
  if (actual.size() > order.size()) actual.resize(order.size());
  if (actual != order) failures.push_back(fmt::format("order: expected {}, got {}", listed(order), listed(actual)));
}

void check_bands(const std::map<std::string, Band>& bands, const Assessment& assessment, const RuleSet& rules,
                 std::vector<std::string>& failures) {
  for (const auto& [id, band] : bands) {
    if (!is_known("bands", id, cause_ids(rules), rules, failures)) continue;
    const auto* cause = find_cause(assessment, id);
    if (cause->band == band) continue;
    failures.push_back(fmt::format("bands: expected {} to be {}, got {} (score {})", id, to_string(band),
                                   to_string(cause->band), cause->score));
  }
}

void check_scores(const std::string& what, const std::map<std::string, int>& bounds, bool at_least,
                  const Assessment& assessment, const RuleSet& rules, std::vector<std::string>& failures) {
  for (const auto& [id, bound] : bounds) {
    if (!is_known(what, id, cause_ids(rules), rules, failures)) continue;
    int score = find_cause(assessment, id)->score;
    if (at_least ? score >= bound : score <= bound) continue;
    failures.push_back(fmt::format("{}: expected {} to score at {} {}, got {}", what, id, at_least ? "least" : "most",
                                   bound, score));
  }
}

void check_red_flags(const Expectations& expect, const Assessment& assessment, const RuleSet& rules,
                     std::vector<std::string>& failures) {
  auto known = red_flag_ids(rules);
  auto raised = raised_flags(assessment);
  auto is_raised = [&raised](const std::string& id) { return std::find(raised.begin(), raised.end(), id) != raised.end(); };
  if (expect.red_flags) {
    bool all_known = true;
    for (const auto& id : *expect.red_flags) all_known = is_known("red_flags", id, known, rules, failures) && all_known;
    std::set<std::string> expected(expect.red_flags->begin(), expect.red_flags->end());
    if (all_known && expected != std::set<std::string>(raised.begin(), raised.end())) {
      failures.push_back(fmt::format("red_flags: expected {}, got {}", listed(*expect.red_flags), listed(raised)));
    }
  }
  for (const auto& id : expect.red_flags_include) {
    if (is_known("red_flags_include", id, known, rules, failures) && !is_raised(id)) {
      failures.push_back(fmt::format("red_flags_include: expected {} to be raised, got {}", id, listed(raised)));
    }
  }
  for (const auto& id : expect.red_flags_absent) {
    if (is_known("red_flags_absent", id, known, rules, failures) && is_raised(id)) {
      failures.push_back(fmt::format("red_flags_absent: expected {} not to be raised, got {}", id, listed(raised)));
    }
  }
}

void check_escalation(Level level, const Assessment& assessment, std::vector<std::string>& failures) {
  if (assessment.escalation.level == level) return;
  failures.push_back(
      fmt::format("escalation: expected {}, got {}", to_string(level), to_string(assessment.escalation.level)));
}

void check_review_by(const ExpectedReview& review, const Assessment& assessment, std::vector<std::string>& failures) {
  if (review.date == assessment.escalation.review_by) return;
  auto shown = [](const std::optional<Date>& date) { return date ? date->to_string() : std::string("none"); };
  failures.push_back(
      fmt::format("review_by: expected {}, got {}", shown(review.date), shown(assessment.escalation.review_by)));
}

// A reason is named by its indicator id, by "cause_id/indicator_id" (the
// default rules reuse some indicator ids across causes), or by part of the
// text shown after "because you said".
bool reason_matches(std::string_view reason, std::string_view cause_id, std::string_view indicator_id,
                    std::string_view because) {
  return reason == indicator_id || reason == fmt::format("{}/{}", cause_id, indicator_id) ||
         because.find(reason) != std::string_view::npos;
}

bool rules_have_reason(const RuleSet& rules, const std::string& reason) {
  for (const auto& cause : rules.causes) {
    for (const auto& indicator : cause.indicators) {
      if (reason_matches(reason, cause.id, indicator.id, indicator.because)) return true;
    }
  }
  return false;
}

// The matched indicators that `reason` names, as "cause_id/indicator_id".
std::vector<std::string> matching_reasons(const Assessment& assessment, const std::string& reason) {
  std::vector<std::string> found;
  for (const auto& cause : assessment.causes) {
    for (const IndicatorResult* indicator : cause.matched) {
      if (reason_matches(reason, cause.id, indicator->id, indicator->because)) {
        found.push_back(fmt::format("{}/{}", cause.id, indicator->id));
      }
    }
  }
  return found;
}

std::vector<std::string> all_reasons(const Assessment& assessment) {
  std::vector<std::string> found;
  for (const auto& cause : assessment.causes) {
    for (const IndicatorResult* indicator : cause.matched) found.push_back(fmt::format("{}/{}", cause.id, indicator->id));
  }
  return found;
}

void check_reasons(const Expectations& expect, const Assessment& assessment, const RuleSet& rules,
                   std::vector<std::string>& failures) {
  auto check = [&](const std::string& what, const std::string& reason, bool present) {
    if (!rules_have_reason(rules, reason)) {
      failures.push_back(fmt::format("{}: \"{}\" is no indicator id or part of a because-text in rules {}", what,
                                     reason, rules.id));
      return;
    }
    auto found = matching_reasons(assessment, reason);
    if (present && found.empty()) {
      failures.push_back(fmt::format("reasons: expected a reason matching \"{}\", got {}", reason,
                                     listed(all_reasons(assessment))));
    } else if (!present && !found.empty()) {
      failures.push_back(fmt::format("reasons_absent: expected no reason matching \"{}\", got {}", reason, listed(found)));
    }
  };
  for (const auto& reason : expect.reasons) check("reasons", reason, true);
  for (const auto& reason : expect.reasons_absent) check("reasons_absent", reason, false);
}

void check_level(const std::vector<std::vector<std::string>>& groups, const Assessment& assessment,
                 const RuleSet& rules, std::vector<std::string>& failures) {
  for (const auto& group : groups) {
    std::vector<std::string> ranks;
    bool all_known = true;
    for (const auto& id : group) {
      all_known = is_known("level", id, cause_ids(rules), rules, failures) && all_known;
      if (const auto* cause = find_cause(assessment, id)) ranks.push_back(fmt::format("{} {}", id, cause->rank));
    }
    if (!all_known) continue;
    int first = find_cause(assessment, group.front())->rank;
    bool level = std::all_of(group.begin(), group.end(),
                             [&](const std::string& id) { return find_cause(assessment, id)->rank == first; });
    if (!level) failures.push_back(fmt::format("level: expected {} to share a rank, got ranks {}", listed(group), listed(ranks)));
  }
}

void check_escalation_reasons(const std::vector<std::string>& expected, const Assessment& assessment,
                              const RuleSet& rules, std::vector<std::string>& failures) {
  std::vector<std::string> known;
  for (const auto& reason : rules.routine.reasons) known.push_back(reason.id);
  for (const auto& id : expected) {
    if (std::find(known.begin(), known.end(), id) == known.end()) {
      failures.push_back(fmt::format("escalation_reasons: \"{}\" is not a routine reason in rules {}{}", id, rules.id,
                                     did_you_mean(id, known)));
      return;
    }
  }
  std::vector<std::string> held;
  for (const auto& reason : assessment.escalation.reasons) held.emplace_back(reason.id);
  if (std::set<std::string>(expected.begin(), expected.end()) != std::set<std::string>(held.begin(), held.end())) {
    failures.push_back(fmt::format("escalation_reasons: expected {}, got {}", listed(expected), listed(held)));
  }
}

// Every advice text the assessment shows: the causes' and the general advice.
std::vector<std::string_view> advice_shown(const Assessment& assessment) {
  std::vector<std::string_view> texts;
  for (const auto& cause : assessment.causes) {
    for (const auto& advice : cause.advice) texts.push_back(advice.text);
  }
  for (const auto& advice : assessment.general_advice) texts.push_back(advice.text);
  return texts;
}

void check_advice(const Expectations& expect, const Assessment& assessment, std::vector<std::string>& failures) {
  if (expect.advice_withheld && *expect.advice_withheld != assessment.withheld) {
    failures.push_back(fmt::format("advice_withheld: expected {}, got {}", to_string(*expect.advice_withheld),
                                   to_string(assessment.withheld)));
  }
  auto texts = advice_shown(assessment);
  auto shown = [&](const std::string& part) {
    return std::any_of(texts.begin(), texts.end(), [&](std::string_view text) { return text.find(part) != text.npos; });
  };
  for (const auto& part : expect.advice_includes) {
    if (!shown(part)) failures.push_back(fmt::format("advice_includes: no advice shown contains \"{}\"", part));
  }
  for (const auto& part : expect.advice_absent) {
    if (shown(part)) failures.push_back(fmt::format("advice_absent: advice shown contains \"{}\"", part));
  }
}

// ---------------------------------------------------------------------------
// Running

class RuleCache {
 public:
  // The rules at `path`, or the default rules for an empty path; each file
  // is loaded once.
  const Result<RuleSet>& get(const fs::path& path) {
    std::error_code error;
    std::string key = path.empty() ? std::string() : fs::weakly_canonical(path, error).string();
    if (error) key = path.string();
    auto found = loaded_.find(key);
    if (found == loaded_.end()) {
      found = loaded_.emplace(key, path.empty() ? load_default_rules() : load_rules_file(path)).first;
    }
    return found->second;
  }

 private:
  std::map<std::string, Result<RuleSet>> loaded_;
};

std::vector<std::string> answer_errors(const ScenarioCase& scenario, const CheckedAnswers& check) {
  std::vector<std::string> failures;
  std::string pointer = scenario.pointer + "/answers";
  for (const auto& error : check.errors) {
    failures.push_back(format_error(scenario.file, Error{error.message, pointer + error.pointer}));
  }
  return failures;
}

CaseResult run_case(const ScenarioCase& scenario, RuleCache& cache) {
  CaseResult result{scenario.name, scenario.file, scenario.description, false, scenario.problems};
  if (!result.failures.empty()) return result;
  const auto& rules = cache.get(scenario.rules_path);
  if (!rules) {
    std::string origin = scenario.rules_path.empty() ? "<embedded rules>" : scenario.rules_path.string();
    result.failures.push_back("rules: " + format_error(origin, rules.error()));
    return result;
  }
  auto check = check_answers(*rules, scenario.answers);
  result.failures = answer_errors(scenario, check);
  if (!result.failures.empty()) return result;
  auto assessment = score(*rules, std::move(check.answers), scenario.date.value_or(Date::today()), scenario.history);
  result.failures = compare(scenario.expect, assessment, *rules);
  result.passed = result.failures.empty();
  return result;
}

// ---------------------------------------------------------------------------
// Output

// Escapes text for XML attributes and content. Control characters other than
// tab and line breaks are not allowed in XML 1.0, not even as references.
std::string xml_escape(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      case '\t':
      case '\n':
      case '\r': escaped += c; break;
      default: escaped += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
  }
  return escaped;
}

std::string junit_testcase(const CaseResult& result) {
  std::string attributes = fmt::format("name=\"{}\" classname=\"{}\" file=\"{}\"", xml_escape(result.name),
                                       xml_escape(result.file), xml_escape(result.file));
  if (result.passed) return fmt::format("    <testcase {}/>\n", attributes);
  std::string first = result.failures.empty() ? "failed" : result.failures.front();
  return fmt::format("    <testcase {}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n", attributes,
                     xml_escape(first), xml_escape(fmt::format("{}", fmt::join(result.failures, "\n"))));
}

// Writes the whole text or nothing, so a CI system never reads half a report.

std::vector<fs::path> json_files_under(const fs::path& folder, std::error_code& error) {
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code type_error;  // a dangling link is skipped, not an error
    if (it->is_regular_file(type_error) && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

// ---------------------------------------------------------------------------
// Public functions

ScenarioCase parse_case(const json& object, const fs::path& file, const std::string& pointer) {
  ScenarioCase scenario;
  scenario.name = file.stem().string();
  scenario.file = file.string();
  scenario.pointer = pointer;
  if (!object.is_object()) {
    add_problem(scenario, pointer, fmt::format("a case is a JSON object, got {}", object.dump()));
    return scenario;
  }
  for (const auto& [key, value] : object.items()) {
    if (std::find(kCaseKeys.begin(), kCaseKeys.end(), key) == kCaseKeys.end()) {
      unknown_key(scenario, pointer, "key", key, kCaseKeys);
    } else {
      read_case_field(key, value, child(pointer, key), scenario);
    }
  }
  for (std::string_view required : {"answers", "expect"}) {
    if (!object.contains(required)) add_problem(scenario, pointer, fmt::format("missing \"{}\"", required));
  }
  if (scenario.expect.review_by && scenario.expect.review_by->date && !scenario.date) {
    // Without a fixed check-in date the review date moves with the calendar.
    add_problem(scenario, child(pointer, "expect") + "/review_by", "a review date needs the case's \"date\"");
  }
  return scenario;
}

std::vector<ScenarioCase> read_cases(const fs::path& file) {
  auto text = read_file(file, kMaxRuleFileBytes);
  if (!text) return {invalid_file(file, text.error().message)};
  auto document = parse_json(*text);
  if (!document) return {invalid_file(file, format_error(file.string(), document.error()))};
  if (document->is_object() && document->contains("cases")) return parse_case_list(*document, file);
  return {parse_case(*document, file, "")};
}

Result<std::vector<fs::path>> collect_case_files(const std::vector<std::string>& paths) {
  if (paths.empty()) return Error{"test: give the case files or folders to run"};
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      auto found = json_files_under(path, error);
      if (error) return Error{fmt::format("test: cannot read the folder {}: {}", path, error.message())};
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.emplace_back(path);
    } else {
      return Error{fmt::format("test: {}: no such file or folder", path)};
    }
  }
  if (files.empty()) return Error{fmt::format("test: no case files (*.json) in {}", fmt::join(paths, ", "))};
  return files;
}

std::vector<std::string> compare(const Expectations& expect, const Assessment& assessment, const RuleSet& rules) {
  std::vector<std::string> failures;
  if (expect.top) check_top(*expect.top, assessment, rules, failures);
  if (!expect.order.empty()) check_order(expect.order, assessment, rules, failures);
  check_bands(expect.bands, assessment, rules, failures);
  check_scores("score_at_least", expect.score_at_least, true, assessment, rules, failures);
  check_scores("score_at_most", expect.score_at_most, false, assessment, rules, failures);
  check_red_flags(expect, assessment, rules, failures);
  if (expect.escalation) check_escalation(*expect.escalation, assessment, failures);
  if (expect.review_by) check_review_by(*expect.review_by, assessment, failures);
  check_reasons(expect, assessment, rules, failures);
  check_level(expect.level, assessment, rules, failures);
  if (expect.escalation_reasons) check_escalation_reasons(*expect.escalation_reasons, assessment, rules, failures);
  check_advice(expect, assessment, failures);
  return failures;
}

std::size_t count_failed(const std::vector<CaseResult>& results) {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const CaseResult& result) { return !result.passed; }));
}

std::vector<CaseResult> run_cases(const std::vector<ScenarioCase>& cases) {
  RuleCache cache;
  std::vector<CaseResult> results;
  for (const auto& scenario : cases) results.push_back(run_case(scenario, cache));
  return results;
}

std::string format_results_text(const std::vector<CaseResult>& results) {
  std::string text;
  for (const auto& result : results) {
    if (result.passed) continue;
    text += fmt::format("FAIL {} ({})", result.name, result.file);
    if (!result.description.empty()) text += ": " + result.description;
    text += '\n';
    for (const auto& failure : result.failures) text += "  " + failure + '\n';
  }
  std::size_t failed = count_failed(results);
  if (failed > 0) text += '\n';
  text += fmt::format("{} passed, {} failed\n", results.size() - failed, failed);
  return text;
}

std::string format_results_junit(const std::vector<CaseResult>& results) {
  std::size_t failed = count_failed(results);
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites name=\"kneecheck\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", results.size(),
                     failed);
  xml += fmt::format("  <testsuite name=\"kneecheck scenarios\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                     results.size(), failed);
  for (const auto& result : results) xml += junit_testcase(result);
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace kneecheck
