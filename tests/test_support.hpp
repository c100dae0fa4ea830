// Shared by the unit tests: the small rule set in tests/fixtures.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
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

// A small plan section for the minimal rules: rules["plan"] = minimal_plan_json().
inline nlohmann::json minimal_plan_json() {
  std::ifstream file(fixture_path("minimal_plan.json"));
  return nlohmann::json::parse(file);
}

// A fresh folder of its own (mkdtemp), removed with everything in it at the
// end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kneecheck-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Writes `text` to NAME in the folder, making the folders between.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Answers put in the rules' slots as they are, unchecked, as score() takes
// them: for tests that score answers they build by hand.
inline logic::Data slots_of(const RuleSet& rules, const nlohmann::json& answers) {
  return logic::Data::from_json(answers, rules.slots);
}

inline RuleSet minimal_rules() {
  auto rules = load_rules(minimal_rules_json().dump());
  if (!rules) throw std::runtime_error("fixture minimal_rules.json does not load: " + rules.error().message);
  return std::move(rules).value();
}

// The minimal rules, loaded once for the whole test binary.
inline const RuleSet& minimal() {
  static const RuleSet loaded = minimal_rules();
  return loaded;
}

// The default rules compiled into kneecheck, loaded once.
inline const RuleSet& default_rules() {
  static const RuleSet rules = [] {
    auto loaded = load_default_rules();
    if (!loaded) throw std::runtime_error("default rules do not load: " + loaded.error().message);
    return std::move(loaded).value();
  }();
  return rules;
}

// A scenario case of the minimal rules: "overuse" scores 100 (distance
// doubled, front pain), "injury" nothing, no red flag, self-care reviewed on
// 2026-12-09.
inline nlohmann::json minimal_overuse_case() {
  return {{"description", "distance doubled"},
          {"rules", fixture_path("minimal_rules.json")},
          {"date", "2026-11-25"},
          {"answers", {{"where", {"front"}}, {"onset", "gradual"}, {"pain", 3}, {"km", 40}, {"km_before", 20}}},
          {"expect", {{"top", "overuse"}}}};
}

}  // namespace kneecheck::testing
