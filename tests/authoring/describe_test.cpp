#include "kneecheck/authoring/describe.hpp"

#include <catch2/catch.hpp>

#include "test_support.hpp"

using nlohmann::json;

namespace {

std::string words(const json& condition) {
  static const kneecheck::RuleSet rules = kneecheck::testing::minimal_rules();
  return kneecheck::describe_condition(condition, rules);
}

}  // namespace

TEST_CASE("conditions read in plain words, with option labels", "[describe]") {
  CHECK(words({{"==", {{{"var", "onset"}}, "injury"}}}) == "onset is \"With an injury\"");
  CHECK(words({{"!=", {{{"var", "km"}}, nullptr}}}) == "km is answered");
  CHECK(words({{">=", {{{"var", "pain"}}, 7}}}) == "pain >= 7");
  CHECK(words({{"in", {"front", {{"var", "where"}}}}}) == "where includes \"Front\"");
  CHECK(words({{"in", {{{"var", "onset"}}, {"gradual", "injury"}}}}) ==
        "onset is one of \"Gradually\", \"With an injury\"");
  CHECK(words({{"var", "locks"}}) == "locks is yes");
  CHECK(words({{"and", {{{"var", "locks"}}, {{"or", {{{">", {{{"var", "pain"}}, 8}}}, {{"var", "km"}}}}}}}}) ==
        "locks is yes and (pain > 8 or km is yes)");
}

TEST_CASE("conditions without plain words are shown as JSON", "[describe]") {
  CHECK(words({{"+", {1, 2}}}) == R"({"+":[1,2]})");
}
