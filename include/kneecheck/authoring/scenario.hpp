// scenario: case files that state what a rule set must conclude from given
// answers (top cause, ranking, bands, red flags, escalation, reasons), and
// running them: `kneecheck test`. The case format is described in
// docs/scenario-cases.md.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/date.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/base/result.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// "top": a cause id, or null for "no cause indicated".
struct ExpectedTop {
  std::optional<std::string> cause;
};

// "review_by": a date, or null for "no review date" (a red flag was raised).
struct ExpectedReview {
  std::optional<Date> date;
};

// What a case states; everything left out is not checked.
struct Expectations {
  std::optional<ExpectedTop> top;
  std::vector<std::string> order;  // the first causes indicated, in rank order
  std::map<std::string, Band> bands;
  std::map<std::string, int> score_at_least;
  std::map<std::string, int> score_at_most;
  std::optional<std::vector<std::string>> red_flags;  // exactly these, in any order
  std::vector<std::string> red_flags_include;
  std::vector<std::string> red_flags_absent;
  std::optional<Level> escalation;
  std::optional<ExpectedReview> review_by;
  std::vector<std::string> reasons;  // indicator id, "cause_id/indicator_id" or part of a because-text
  std::vector<std::string> reasons_absent;
  std::vector<std::vector<std::string>> level;  // groups of causes that share a rank
  std::optional<std::vector<std::string>> escalation_reasons;  // exactly these routine reasons held
  std::optional<Withheld> advice_withheld;
  std::vector<std::string> advice_includes;  // parts of advice texts shown
  std::vector<std::string> advice_absent;    // parts of texts that no advice shown contains
};

struct ScenarioCase {
  std::string name;  // the file's stem; "stem[i]" for the i-th case of a {"cases": [...]} file
  std::string file;
  std::string pointer;  // where the case sits in its file: "" or "/cases/2"
  std::string description;
  std::filesystem::path rules_path;  // resolved against the case file's folder; empty: the default rules
  std::optional<Date> date;          // empty: today
  std::vector<PastCheckIn> history;  // earlier check-ins, for the history variables
  nlohmann::json answers = nlohmann::json::object();
  Expectations expect;
  // Why the case itself is invalid, each naming the file and JSON pointer.
  // Such a case fails without being run.
  std::vector<std::string> problems;
};

struct CaseResult {
  std::string name;
  std::string file;
  std::string description;
  bool passed = false;
  std::vector<std::string> failures;  // "what: expected X, got Y"
};

// The case files under `paths`: a file is taken as it is, a folder is searched
// recursively for *.json, sorted by path. A missing path or finding no file at
// all is an error.
Result<std::vector<std::filesystem::path>> collect_case_files(const std::vector<std::string>& paths);

// The cases in one file. Never empty unless the file holds {"cases": []}: a
// file that cannot be read or parsed gives one case whose problems say why.
std::vector<ScenarioCase> read_cases(const std::filesystem::path& file);

// Parses one case object; `pointer` is where it sits in its file ("" or
// "/cases/2"), `file` names the file in problems and resolves "rules".
ScenarioCase parse_case(const nlohmann::json& object, const std::filesystem::path& file, const std::string& pointer);

// Compares an assessment with what the case expects; one message per
// difference, and one per id that `rules` does not have.
std::vector<std::string> compare(const Expectations& expect, const Assessment& assessment, const RuleSet& rules);

// Runs every case, loading each rule file once.
std::vector<CaseResult> run_cases(const std::vector<ScenarioCase>& cases);

// Each failed case with its failures, then the line "N passed, N failed".
std::string format_results_text(const std::vector<CaseResult>& results);

// The results as a JUnit XML document, for CI systems.
std::string format_results_junit(const std::vector<CaseResult>& results);

// How many of the results failed.
std::size_t count_failed(const std::vector<CaseResult>& results);

}  // namespace kneecheck
