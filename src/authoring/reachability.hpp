// reachability: can any answers at all make a condition true? Answers the
// question by trying representative values of every question the condition
// reads (through derived values too): each option, none and all of a list,
// yes and no, a number's bounds, points between them and around every number
// the condition compares with, and "not answered".
#pragma once

#include "kneecheck/logic/logic.hpp"
#include "kneecheck/rules/rules.hpp"

namespace kneecheck {

enum class Satisfiable {
  possibly,  // some tried answers make it true, or there were too many combinations to try
  never,     // no tried answers make it true
};

Satisfiable can_be_true(const logic::Expression& condition, const RuleSet& rules);

}  // namespace kneecheck
