// logic: JsonLogic (jsonlogic.com) conditions, compiled once, evaluated many
// times. Semantics follow the reference implementation, json-logic-js 2.x,
// which jsonlogic.com documents: its tests.json is the gate.
//
// This unit knows nothing of questions or causes: it sees a rule and a data
// object and nothing else.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/result.hpp"

namespace kneecheck::logic {

// Bounds that keep untrusted rules from exhausting the stack or the memory.
struct Limits {
  std::size_t max_depth = 64;      // nesting of operations and arrays
  std::size_t max_nodes = 100000;  // nodes in one compiled expression
};

struct Node;  // compiled tree; defined in logic.cpp

class Expression {
 public:
  // Compiles `rule`. Unknown operations, wrong arity and nesting deeper than
  // `limits.max_depth` are errors. Error::pointer points at the offending part
  // and starts with `base_pointer` (the rule's place in its file, such as
  // "/causes/0/indicators/2/when").
  static Result<Expression> compile(const nlohmann::json& rule,
                                    std::string_view base_pointer = "",
                                    const Limits& limits = {});

  // Evaluates against `data`. Never throws; where the reference implementation
  // would throw at run time, the result is null.
  nlohmann::json evaluate(const nlohmann::json& data) const;

  // truthy(evaluate(data)).
  bool matches(const nlohmann::json& data) const;

  // Every constant path read by `var` (and named by `missing` /
  // `missing_some`), as written ("pain_now", "a.b.0"), in order of first
  // appearance, without duplicates. Used by rule validation.
  const std::vector<std::string>& variables() const;

  // The rule as it was given.
  const nlohmann::json& rule() const;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> variables_;
  nlohmann::json rule_;
};

// JsonLogic truthiness: false, null, 0, "" and [] are false; everything else
// (including "0" and {}) is true.
bool truthy(const nlohmann::json& value);

}  // namespace kneecheck::logic
