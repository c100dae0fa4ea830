// describe: a JsonLogic condition in plain words, for people reading the
// interview ("asked if pain_onset is With a specific injury and swelling is
// one of Slight, Marked"). Conditions it cannot word plainly are shown as JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

std::string describe_condition(const nlohmann::json& condition, const RuleSet& rules);

}  // namespace kneecheck
