// suggestions: answers offered before they are asked, from the runner's
// recorded runs. The interview shows each at its question (Enter accepts
// it); assess fills in those an answers file leaves out.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/rules/rules.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck {

// Question id -> the answer suggested, valid for its question.
using Suggestions = std::map<std::string, nlohmann::json, std::less<>>;

// The figures of kRunFigures (rules.hpp) as of `check_in`, distances in km
// to one decimal; a figure the runs do not tell is null, and so is every
// figure when the runs end more than 28 days before `check_in`.
nlohmann::json run_figures(std::span<const runs::Run> runs, const Date& check_in);

// The answers the rules' from_runs give for `figures`: those that are not
// null and are valid answers to their question.
Suggestions suggest_answers(const RuleSet& rules, const nlohmann::json& figures);

// Adds each suggestion whose question `answers` leaves out (or gives as
// null) and would ask, in interview order so that a follow-up is filled
// only when its question applies. Returns the ids filled, in that order.
std::vector<std::string> fill_missing_answers(const RuleSet& rules, const Suggestions& suggestions,
                                              nlohmann::json& answers);

// The figures in a runner's words, one sentence each: "42, 38, 30 and 25 km
// in the last four weeks (the latest first)". Empty when every figure is
// null.
std::vector<std::string> describe_run_figures(const nlohmann::json& figures, Units units);

}  // namespace kneecheck
