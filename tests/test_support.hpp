// Shared by the unit tests: the small rule set in tests/fixtures.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/rules/rules.hpp"

namespace kneecheck::testing {

inline std::string fixture_path(const std::string& name) {
  return std::string(KNEECHECK_SOURCE_DIR) + "/tests/fixtures/" + name;
}

inline nlohmann::json minimal_rules_json() {
  std::ifstream file(fixture_path("minimal_rules.json"));
  return nlohmann::json::parse(file);
}

inline RuleSet minimal_rules() {
  auto rules = load_rules(minimal_rules_json().dump());
  if (!rules) throw std::runtime_error("fixture minimal_rules.json does not load: " + rules.error().message);
  return std::move(rules).value();
}

}  // namespace kneecheck::testing
