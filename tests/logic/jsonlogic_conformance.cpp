// jsonlogic_conformance: runs the public JsonLogic suites against
// kneecheck::logic.
//
//   jsonlogic_conformance <folder>    (the shared conformance/jsonlogic folder)
//
// The suites are read from that folder and never copied into the project.
// Exit status: 0 when everything required passes, 1 on a failure, 2 on bad
// usage or unreadable suites, 77 (a skip, for CTest) when the folder is absent.
//
// 1. The gate, jsonlogic.com/tests.json ([rule, data, expected]; strings are
//    comments): every case must pass.
// 2. compat-tables/suites/**/*.json ({"description", "rule", "data"?,
//    "result"} or {..., "error": {"type": T}}): measured and reported. A
//    failure is allowed only when it is listed in kDeviations below.
//
// How an error case passes. kneecheck reports errors in two ways: compile()
// rejects the rule, or evaluate() returns null. So:
//   - A compile error passes when T is "Invalid Arguments" or "Unknown
//     Operator": those are the errors a rule's shape can reveal before it runs.
//     A compile error for any other T (say "NaN") is a failure.
//   - Otherwise evaluate() must return null, and, so that a null that is not
//     an error cannot pass, the rule wrapped as {"try": [rule, {"val": "type"}]}
//     must yield T: `try` catches the error and exposes its type.
// A case without "data" runs against null.
//
// Every case also runs through the fast paths (prepared Data, a Scratch,
// slots), which must give the plain path's result to the byte.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace logic = kneecheck::logic;

// compat-tables cases we fail on purpose.
struct Deviation {
  std::string_view file;         // relative to compat-tables/suites
  std::string_view description;  // the case's "description"
  std::string_view reason;
};

constexpr Deviation kDeviations[] = {
    {"comparison/softEquals.json", "== with (null, 0)",
     "compat-tables wants null == 0 to be true. In JavaScript, and so in json-logic-js (the reference), null is "
     "loosely equal only to null: null == 0 is false. kneecheck keeps JavaScript's rule."},
    {"comparison/softNotEquals.json", "!= with (null, 0)",
     "The same rule seen from !=: null != 0 is true in JavaScript and json-logic-js; compat-tables wants false."},
};

const Deviation* find_deviation(std::string_view file, std::string_view description) {
  for (const Deviation& d : kDeviations) {
    if (d.file == file && d.description == description) return &d;
  }
  return nullptr;
}

bool read_json(const fs::path& path, json& out) {
  std::ifstream in(path);
  if (!in) return false;
  try {
    out = json::parse(in);
    return true;
  } catch (const json::exception& e) {
    std::cerr << path.string() << ": " << e.what() << '\n';
    return false;
  }
}

// Results compare as JSON, numbers by value (1 equals 1.0).
bool same(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const auto other = b.find(it.key());
      if (other == b.end() || !same(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

struct Outcome {
  bool passed = false;
  std::string actual;  // for the report
};

Outcome run_result_case(const json& rule, const json& data, const json& expected) {
  const auto expression = logic::Expression::compile(rule);
  if (!expression) return {false, "compile error at \"" + expression.error().pointer + "\": " + expression.error().message};
  const json actual = expression->evaluate(data);
  return {same(actual, expected), actual.dump()};
}

// The fast paths must give what the plain one gives, to the byte:
// prepared Data (evaluate and matches, with and without a Scratch) and, for
// object data, slots named after the data's members (plus two names the data
// does not have, which read as absent).
Outcome run_fast_paths(const json& rule, const json& data) {
  const auto plain = logic::Expression::compile(rule);
  if (!plain) return {true, "compile error"};  // the same on every path
  const std::string want = plain->evaluate(data).dump();
  const bool want_match = plain->matches(data);
  const logic::Data prepared = logic::Data::from_json(data);
  logic::Scratch scratch;
  const std::string got = plain->evaluate(prepared).dump();
  const std::string got_view = plain->evaluate(prepared, scratch).to_json().dump();
  if (got != want || got_view != want || plain->matches(prepared) != want_match) {
    return {false, "Data: " + got + ", Data with Scratch: " + got_view + ", json: " + want};
  }
  if (!data.is_object()) return {true, want};
  std::vector<std::string> names{"zz_absent"};
  for (const auto& [key, value] : data.items()) names.push_back(key);
  names.push_back("");
  const logic::SlotNames slots(names);
  const auto slotted = logic::Expression::compile(rule, "", {}, &slots);
  if (!slotted) return {false, "compile error with slots"};
  const logic::Data slot_data = logic::Data::from_json(data, slots);
  const std::string got_slots = slotted->evaluate(slot_data).dump();
  const std::string got_slots_view = slotted->evaluate(slot_data, scratch).to_json().dump();
  if (got_slots != want || got_slots_view != want || slotted->matches(slot_data) != want_match) {
    return {false, "slots: " + got_slots + ", slots with Scratch: " + got_slots_view + ", json: " + want};
  }
  return {true, want};
}

Outcome run_error_case(const json& rule, const json& data, const std::string& type) {
  const auto expression = logic::Expression::compile(rule);
  if (!expression) {
    const bool static_error = type == "Invalid Arguments" || type == "Unknown Operator";
    return {static_error, "compile error at \"" + expression.error().pointer + "\": " + expression.error().message};
  }
  const json actual = expression->evaluate(data);
  if (!actual.is_null()) return {false, actual.dump()};
  const json wrapped = {{"try", json::array({rule, {{"val", "type"}}})}};
  const auto probe = logic::Expression::compile(wrapped);
  if (!probe) return {false, "null, but the try probe does not compile: " + probe.error().message};
  const json caught = probe->evaluate(data);
  return {caught == type, "error of type " + caught.dump()};
}

int run_gate(const fs::path& file) {
  json cases;
  if (!read_json(file, cases) || !cases.is_array()) {
    std::cerr << "cannot read " << file.string() << '\n';
    return -1;
  }
  int total = 0;
  int failed = 0;
  int fast_failed = 0;
  for (const json& c : cases) {
    if (c.is_string()) continue;
    ++total;
    const Outcome outcome = run_result_case(c.at(0), c.at(1), c.at(2));
    const Outcome fast = run_fast_paths(c.at(0), c.at(1));
    fast_failed += fast.passed ? 0 : 1;
    if (outcome.passed && fast.passed) continue;
    failed += outcome.passed ? 0 : 1;
    std::cout << "FAIL tests.json" << (outcome.passed ? " (fast paths)" : "") << "\n  rule:     " << c[0].dump()
              << "\n  data:     " << c[1].dump() << "\n  expected: " << c[2].dump()
              << "\n  actual:   " << (outcome.passed ? fast.actual : outcome.actual) << '\n';
  }
  std::cout << "tests.json: " << total - failed << "/" << total << " passed\n";
  std::cout << "tests.json through Data and slots: " << total - fast_failed << "/" << total << " agree\n";
  return failed + fast_failed;
}

std::vector<fs::path> suite_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Returns the number of failures not listed in kDeviations, or -1.
int run_compat(const fs::path& root) {
  int total = 0;
  int passed = 0;
  int unexpected = 0;
  std::vector<std::string> report;
  std::vector<const Deviation*> used;
  for (const fs::path& path : suite_files(root)) {
    json cases;
    if (!read_json(path, cases) || !cases.is_array()) {
      std::cerr << "cannot read " << path.string() << '\n';
      return -1;
    }
    const std::string file = path.lexically_relative(root).generic_string();
    for (const json& c : cases) {
      if (!c.is_object()) continue;  // comments (and index.json's file list)
      ++total;
      const json data = c.value("data", json());
      const std::string description = c.value("description", c.at("rule").dump());
      const Outcome outcome = c.contains("error")
                                  ? run_error_case(c.at("rule"), data, c["error"].value("type", ""))
                                  : run_result_case(c.at("rule"), data, c.at("result"));
      const Outcome fast = run_fast_paths(c.at("rule"), data);
      if (!fast.passed) {
        ++unexpected;
        report.push_back("  FAIL       " + file + ": " + description + " (fast paths)\n             rule:     " +
                         c["rule"].dump() + "\n             " + fast.actual);
      }
      if (outcome.passed) {
        ++passed;
        continue;
      }
      const Deviation* deviation = find_deviation(file, description);
      const json expected = c.contains("error") ? c["error"] : c["result"];
      std::string line = (deviation != nullptr ? "  deviation  " : "  FAIL       ") + file + ": " + description;
      if (deviation != nullptr) {
        used.push_back(deviation);
        line += "\n             why: " + std::string(deviation->reason);
      } else {
        ++unexpected;
        line += "\n             rule:     " + c["rule"].dump() + "\n             data:     " + data.dump() +
                "\n             expected: " + expected.dump() + "\n             actual:   " + outcome.actual;
      }
      report.push_back(line);
    }
  }
  std::cout << "compat-tables: " << passed << "/" << total << " passed\n";
  for (const std::string& line : report) std::cout << line << '\n';
  for (const Deviation& d : kDeviations) {
    if (std::find(used.begin(), used.end(), &d) == used.end()) {
      std::cout << "  note: listed deviation now passes, remove it: " << d.file << ": " << d.description << '\n';
    }
  }
  return unexpected;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: jsonlogic_conformance <conformance/jsonlogic folder>\n";
    return 2;
  }
  const fs::path root = argv[1];
  if (!fs::is_directory(root)) {
    std::cout << "SKIP: conformance suites not found at " << root.string() << '\n';
    return 77;
  }
  const int gate_failures = run_gate(root / "jsonlogic.com" / "tests.json");
  const int compat_failures = run_compat(root / "compat-tables" / "suites");
  if (gate_failures < 0 || compat_failures < 0) return 2;
  return gate_failures == 0 && compat_failures == 0 ? 0 : 1;
}
