// condition_check: catches conditions that read an answer in a way its
// question can never satisfy — a choice compared with a value it does not
// offer, a yes/no answer compared with a number, a list compared with ==.
// Such a condition would be silently false for every runner.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/base/result.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

// The first such problem in `rule` (a JsonLogic condition at `pointer`),
// judged against the questions in `rules`. Conditions on values that are not
// questions (derived values, paths into data) are not judged.
std::optional<Error> check_condition_types(const nlohmann::json& rule, const std::string& pointer,
                                           const RuleSet& rules);

}  // namespace kneecheck
