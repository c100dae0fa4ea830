#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"

namespace {

using nlohmann::json;
using kneecheck::Error;
using kneecheck::logic::Data;
using kneecheck::logic::Expression;
using kneecheck::logic::Limits;
using kneecheck::logic::Scratch;
using kneecheck::logic::SlotNames;
using kneecheck::logic::Value;
using kneecheck::logic::truthy;

// Evaluates a rule given as JSON text against data given as JSON text.
json run(std::string_view rule, std::string_view data = "null") {
  const auto expression = Expression::compile(json::parse(rule));
  INFO("rule: " << rule);
  REQUIRE(expression.ok());
  return expression->evaluate(json::parse(data));
}

Error compile_error(const json& rule, std::string_view base = "", const Limits& limits = {}) {
  const auto expression = Expression::compile(rule, base, limits);
  REQUIRE_FALSE(expression.ok());  // (no dump of the rule here: some are 100000 levels deep)
  return expression.error();
}

Error compile_error(const char* rule) { return compile_error(json::parse(rule)); }

std::vector<std::string> variables(std::string_view rule) {
  const auto expression = Expression::compile(json::parse(rule));
  REQUIRE(expression.ok());
  return expression->variables();
}

// {"op": {"op": ... value ...}} nested `levels` deep, built without recursion.
json nest(std::string_view op, json value, int levels) {
  for (int i = 0; i < levels; ++i) {
    json wrapper = json::object();
    wrapper[std::string(op)] = std::move(value);
    value = std::move(wrapper);
  }
  return value;
}

json nested_arrays(int levels) {
  json value = 1;
  for (int i = 0; i < levels; ++i) {
    json wrapper = json::array();
    wrapper.push_back(std::move(value));
    value = std::move(wrapper);
  }
  return value;
}

std::string repeat(std::string_view token, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += token;
  return out;
}

}  // namespace

TEST_CASE("non-rules pass through unchanged", "[logic]") {
  CHECK(run("true") == true);
  CHECK(run("17") == 17);
  CHECK(run("3.14") == 3.14);
  CHECK(run(R"("apple")") == "apple");
  CHECK(run("null").is_null());
  CHECK(run(R"(["a", "b"])") == json({"a", "b"}));
  CHECK(run("{}") == json::object());
}

TEST_CASE("arrays evaluate the operations inside them", "[logic]") {
  CHECK(run(R"([1, {"var": "x"}, 3])", R"({"x": 2})") == json({1, 2, 3}));
  CHECK(run(R"({"if": [{"var": "x"}, [{"var": "y"}], 99]})", R"({"x": true, "y": 42})") == json({42}));
}

TEST_CASE("truthiness follows JsonLogic, not JavaScript", "[logic]") {
  CHECK_FALSE(truthy(json()));
  CHECK_FALSE(truthy(false));
  CHECK_FALSE(truthy(0));
  CHECK_FALSE(truthy(0.0));
  CHECK_FALSE(truthy(""));
  CHECK_FALSE(truthy(json::array()));
  CHECK(truthy(true));
  CHECK(truthy(-1));
  CHECK(truthy(0.5));
  CHECK(truthy("0"));
  CHECK(truthy(json::array({0})));
  CHECK(truthy(json::object()));

  CHECK(run(R"({"if": [[], "yes", "no"]})") == "no");
  CHECK(run(R"({"if": ["0", "yes", "no"]})") == "yes");
  CHECK(run(R"({"!!": [{}]})") == true);
}

TEST_CASE("var reads dotted paths, array indices and defaults", "[logic][var]") {
  const std::string data = R"({"a": {"b": "c", "list": [10, 20, {"deep": true}]}, "n": null, "f": false, "z": 0})";
  CHECK(run(R"({"var": "a.b"})", data) == "c");
  CHECK(run(R"({"var": ["a.b"]})", data) == "c");
  CHECK(run(R"({"var": "a.list.1"})", data) == 20);
  CHECK(run(R"({"var": "a.list.2.deep"})", data) == true);
  CHECK(run(R"({"var": "a.list.01"})", data).is_null());  // not a canonical index
  CHECK(run(R"({"var": "a.q"})", data).is_null());
  CHECK(run(R"({"var": "a.b.c"})", data).is_null());  // "c" is a string, not an object
  CHECK(run(R"({"var": ["a.q", 9]})", data) == 9);
  CHECK(run(R"({"var": ["missing", {"+": [1, 2]}]})", data) == 3);

  SECTION("a default applies only when the path is absent") {
    CHECK(run(R"({"var": ["n", 5]})", data).is_null());
    CHECK(run(R"({"var": ["f", true]})", data) == false);
    CHECK(run(R"({"var": ["z", 99]})", data) == 0);
    CHECK(run(R"({"var": ["n.x", 5]})", data) == 5);
  }

  SECTION("numbers index arrays") {
    CHECK(run(R"({"var": 1})", R"(["apple", "banana"])") == "banana");
    CHECK(run(R"({"var": "1"})", R"(["apple", "banana"])") == "banana");
    CHECK(run(R"({"var": "1.1"})", R"(["apple", ["banana", "beer"]])") == "beer");
  }

  SECTION("an empty or null path is the whole data") {
    CHECK(run(R"({"var": ""})", "1") == 1);
    CHECK(run(R"({"var": null})", "[1, 2]") == json({1, 2}));
    CHECK(run(R"({"var": []})", R"({"k": "v"})") == json({{"k", "v"}}));
    CHECK(run(R"({"var": ["", 5]})", "null").is_null());
  }

  SECTION("the path may be computed") {
    const std::string pie = R"({"temp": 100, "pie": {"filling": "apple", "eta": "60s"}})";
    CHECK(run(R"({"var": [{"?:": [{"<": [{"var": "temp"}, 110]}, "pie.filling", "pie.eta"]}]})", pie) == "apple");
    CHECK(run(R"({"var": {"cat": ["pie", ".", "eta"]}})", pie) == "60s");
  }

  SECTION("null data reads as absent") {
    CHECK(run(R"({"var": "a"})", "null").is_null());
    CHECK(run(R"({"var": ["a", 1]})", "null") == 1);
  }
}

TEST_CASE("missing and missing_some list absent keys", "[logic][var]") {
  CHECK(run(R"({"missing": ["a", "b"]})", R"({"a": "apple"})") == json({"b"}));
  CHECK(run(R"({"missing": "a"})", "null") == json({"a"}));
  CHECK(run(R"({"missing": ["a.b", "a.c"]})", R"({"a": {"b": 1}})") == json({"a.c"}));
  CHECK(run(R"({"missing": ["a", "b"]})", R"({"a": null, "b": ""})") == json({"a", "b"}));
  CHECK(run(R"({"missing": ["a"]})", R"({"a": 0})") == json::array());
  CHECK(run(R"({"missing": {"merge": ["vin", {"if": [{"var": "financing"}, ["apr"], []]}]}})",
            R"({"financing": true})") == json({"vin", "apr"}));

  CHECK(run(R"({"missing_some": [1, ["a", "b"]]})", R"({"b": "banana"})") == json::array());
  CHECK(run(R"({"missing_some": [2, ["a", "b", "c"]]})", R"({"a": "apple"})") == json({"b", "c"}));
  CHECK(run(R"({"if": [{"missing": "a"}, "missed it", "found it"]})", R"({"a": "apple"})") == "found it");
}

TEST_CASE("if chains conditions and evaluates only the branch taken", "[logic][control]") {
  CHECK(run(R"({"if": []})").is_null());
  CHECK(run(R"({"if": ["apple"]})") == "apple");
  CHECK(run(R"({"if": [false, "apple"]})").is_null());
  CHECK(run(R"({"if": [false, "apple", "banana"]})") == "banana");
  CHECK(run(R"({"if": [false, "a", true, "b", "c"]})") == "b");
  CHECK(run(R"({"if": [false, "a", false, "b", "c"]})") == "c");
  CHECK(run(R"({"if": [false, "a", false, "b"]})").is_null());
  CHECK(run(R"({"?:": [{">": [3, 1]}, "visible", "hidden"]})") == "visible");
  // An error in a branch not taken does not matter.
  CHECK(run(R"({"if": [true, "ok", {"/": [1, 0]}]})") == "ok");
  CHECK(run(R"({"if": [false, {"throw": "x"}, "ok"]})") == "ok");
}

TEST_CASE("and / or short-circuit and return the deciding value", "[logic][control]") {
  CHECK(run(R"({"and": [1, 3]})") == 3);
  CHECK(run(R"({"and": [3, false]})") == false);
  CHECK(run(R"({"and": [[], true]})") == json::array());
  CHECK(run(R"({"and": ["0", true]})") == true);
  CHECK(run(R"({"and": []})") == false);
  CHECK(run(R"({"or": [false, 0, "", "x", 2]})") == "x");
  CHECK(run(R"({"or": [0, ""]})") == "");
  CHECK(run(R"({"or": []})") == false);
  CHECK(run(R"({"and": [false, {"throw": "not lazy"}]})") == false);
  CHECK(run(R"({"or": [1, {"throw": "not lazy"}]})") == 1);
}

TEST_CASE("! and !! use JsonLogic truthiness", "[logic][control]") {
  CHECK(run(R"({"!": [[]]})") == true);
  CHECK(run(R"({"!": "0"})") == false);
  CHECK(run(R"({"!": []})") == true);
  CHECK(run(R"({"!!": [[0]]})") == true);
  CHECK(run(R"({"!!": ""})") == false);
  CHECK(run(R"({"!!": []})") == false);
  CHECK(run(R"({"!!": {"var": "x"}})", R"({"x": [1]})") == true);
}

TEST_CASE("== is JavaScript's loose equality, === the strict one", "[logic][compare]") {
  SECTION("loose") {
    CHECK(run(R"({"==": [1, "1"]})") == true);
    CHECK(run(R"({"==": [1, 1.0]})") == true);
    CHECK(run(R"({"==": [0, false]})") == true);
    CHECK(run(R"({"==": [1, true]})") == true);
    CHECK(run(R"({"==": ["", 0]})") == true);
    CHECK(run(R"({"==": [" 12 ", 12]})") == true);
    CHECK(run(R"({"==": ["0x10", 16]})") == true);
    CHECK(run(R"({"==": [null, null]})") == true);
    CHECK(run(R"({"==": [null, 0]})") == false);
    CHECK(run(R"({"==": [null, false]})") == false);
    CHECK(run(R"({"==": [null, ""]})") == false);
    CHECK(run(R"({"==": ["1", "1.0"]})") == false);  // two strings compare as strings
    CHECK(run(R"({"==": ["a", "a"]})") == true);
    CHECK(run(R"({"!=": [1, "1"]})") == false);
    CHECK(run(R"({"!=": [null, 0]})") == true);
  }
  SECTION("strict") {
    CHECK(run(R"({"===": [1, 1.0]})") == true);
    CHECK(run(R"({"===": [1, "1"]})") == false);
    CHECK(run(R"({"===": [0, false]})") == false);
    CHECK(run(R"({"===": [null, null]})") == true);
    CHECK(run(R"({"===": [[], []]})") == false);  // distinct arrays, as in JavaScript
    CHECK(run(R"({"!==": [1, "1"]})") == true);
    CHECK(run(R"({"!==": [1, 1]})") == false);
    CHECK(run(R"({"===": [0, {"+": "0"}]})") == true);
  }
  SECTION("comparisons JavaScript would answer with NaN are errors") {
    CHECK(run(R"({"==": [1, "A"]})").is_null());
    CHECK(run(R"({"!=": [1, "A"]})").is_null());
    CHECK(run(R"({"==": [[1], 1]})").is_null());
    CHECK(run(R"({"==": [{}, 1]})").is_null());
    CHECK(run(R"({"try": [{"==": [[], []]}, {"var": "type"}]})") == "NaN");
  }
  SECTION("more than two arguments compare each adjacent pair, lazily") {
    CHECK(run(R"({"==": [3, 3, 3]})") == true);
    CHECK(run(R"({"==": [3, 2, 3]})") == false);
    CHECK(run(R"({"!=": [3, 2, 3]})") == true);
    CHECK(run(R"({"===": [3, 2, {"throw": "not lazy"}]})") == false);
  }
}

TEST_CASE("ordering compares numbers, or two strings by code units", "[logic][compare]") {
  CHECK(run(R"({">": [2, 1]})") == true);
  CHECK(run(R"({">": ["2", 1]})") == true);
  CHECK(run(R"({">=": [1, 1]})") == true);
  CHECK(run(R"({"<": ["1", 2]})") == true);
  CHECK(run(R"({"<=": [2, 1]})") == false);
  CHECK(run(R"({"<": ["a", "b"]})") == true);
  CHECK(run(R"({"<": ["10", "9"]})") == true);  // strings, not numbers
  CHECK(run(R"({"<": [9, "10"]})") == true);    // a number makes it numeric
  CHECK(run(R"({"<": [null, 1]})") == true);    // null is 0
  CHECK(run(R"({">=": [null, 0]})") == true);
  CHECK(run(R"({"<": [false, true]})") == true);
  // U+FF5E sorts after U+1F600 in UTF-16 (surrogates come first), unlike in UTF-8.
  CHECK(run(R"({"<": ["\ud83d\ude00", "\uff5e"]})") == true);

  SECTION("between") {
    CHECK(run(R"({"<": [1, 2, 3]})") == true);
    CHECK(run(R"({"<": [1, 1, 3]})") == false);
    CHECK(run(R"({"<=": [1, 1, 3]})") == true);
    CHECK(run(R"({"<=": [1, 4, 3]})") == false);
    CHECK(run(R"({">": [3, 2, 1]})") == true);
    CHECK(run(R"({">=": [3, 3, 4]})") == false);
    CHECK(run(R"({"<": [{"var": "lo"}, {"var": "x"}, {"var": "hi"}]})", R"({"lo": 1, "x": 5, "hi": 10})") == true);
    CHECK(run(R"({"<": [3, 2, {"throw": "not lazy"}]})") == false);
  }
  SECTION("NaN comparisons are errors") {
    CHECK(run(R"({">": [1, "A"]})").is_null());
    CHECK(run(R"({"<": [2023, "2024-01-01"]})").is_null());
    CHECK(run(R"({"<": [[1], 5]})").is_null());
  }
}

TEST_CASE("arithmetic converts like JavaScript's Number()", "[logic][arithmetic]") {
  CHECK(run(R"({"+": [1, 2]})") == 3);
  CHECK(run(R"({"+": ["1", 1]})") == 2);
  CHECK(run(R"({"+": [1, "2", "", true, false, null]})") == 4);
  CHECK(run(R"({"+": []})") == 0);
  CHECK(run(R"({"+": "1.5"})") == 1.5);
  CHECK(run(R"({"+": "1e2"})") == 100);
  CHECK(run(R"({"+": "0b101"})") == 5);
  CHECK(run(R"({"*": [2, 2, 2]})") == 8);
  CHECK(run(R"({"*": []})") == 1);
  CHECK(run(R"({"-": [3]})") == -3);
  CHECK(run(R"({"-": [2, 3]})") == -1);
  CHECK(run(R"({"-": [10, 2, 3]})") == 5);
  CHECK(run(R"({"/": [2, 4]})") == 0.5);
  CHECK(run(R"({"/": [8, 2, 2]})") == 2);
  CHECK(run(R"({"/": 4})") == 0.25);  // one operand: the reciprocal
  CHECK(run(R"({"%": [3, 2]})") == 1);
  CHECK(run(R"({"%": [-8, 3]})") == -2);  // sign of the dividend
  CHECK(run(R"({"%": [1, 0.5]})") == 0);
  CHECK(run(R"({"max": [1, 3, 2]})") == 3);
  CHECK(run(R"({"min": [1, -3, "2"]})") == -3);

  SECTION("integral results are integers") {
    CHECK(run(R"({"+": [1.5, 1.5]})").dump() == "3");
    CHECK(run(R"({"*": [0.5, 4]})").is_number_integer());
    CHECK(run(R"({"-": [0, 0]})").dump() == "0");
    CHECK(run(R"({"/": [1, 3]})").is_number_float());
  }
  SECTION("a single operation argument can supply the operand list") {
    CHECK(run(R"({"max": {"var": "scores"}})", R"({"scores": [4, 9, 2]})") == 9);
    CHECK(run(R"({"+": {"merge": [{"var": "x"}, {"var": "y"}]}})", R"({"x": [1, 2], "y": 3})") == 6);
    CHECK(run(R"({"-": {"var": "x"}})", R"({"x": 5})") == -5);
  }
  SECTION("NaN, infinities and bad operands are errors (null)") {
    CHECK(run(R"({"/": [1, 0]})").is_null());
    CHECK(run(R"({"%": [1, 0]})").is_null());
    CHECK(run(R"({"+": ["Hey", 1]})").is_null());
    CHECK(run(R"({"+": [[1], 1]})").is_null());
    CHECK(run(R"({"*": [{"var": "x"}, 2]})", R"({"x": {}})").is_null());
    CHECK(run(R"({"*": [1e308, 10]})").is_null());
    CHECK(run(R"({"-": {"preserve": []}})").is_null());
    CHECK(run(R"({"try": [{"/": [0, 0]}, {"var": "type"}]})") == "NaN");
    CHECK(run(R"({"try": [{"%": {"preserve": [1]}}, {"var": "type"}]})") == "Invalid Arguments");
  }
}

TEST_CASE("string operations: in, cat, substr", "[logic][string]") {
  CHECK(run(R"({"in": ["Spring", "Springfield"]})") == true);
  CHECK(run(R"({"in": ["i", "team"]})") == false);
  CHECK(run(R"({"in": [1, "a1"]})") == true);
  CHECK(run(R"({"in": ["Bart", ["Bart", "Homer"]]})") == true);
  CHECK(run(R"({"in": [1, ["1"]]})") == false);  // array membership is ===
  CHECK(run(R"({"in": ["a", null]})") == false);

  CHECK(run(R"({"cat": ["ice", "cream"]})") == "icecream");
  CHECK(run(R"({"cat": "ice"})") == "ice");
  CHECK(run(R"({"cat": [1, 2.5, true, null, "x"]})") == "12.5truex");
  CHECK(run(R"({"cat": [[1, [2, null]], {}]})") == "1,2,[object Object]");
  CHECK(run(R"({"cat": [0.1, 1e21, 1e-7, -0.0]})") == "0.11e+211e-70");
  CHECK(run(R"({"cat": [1e20, " ", 123.456e-5, " ", 5e-324]})") == "100000000000000000000 0.00123456 5e-324");
  CHECK(run(R"({"cat": {"var": "parts"}})", R"({"parts": ["a", "b"]})") == "ab");

  CHECK(run(R"({"substr": ["jsonlogic", 4]})") == "logic");
  CHECK(run(R"({"substr": ["jsonlogic", -5]})") == "logic");
  CHECK(run(R"({"substr": ["jsonlogic", 0, 1]})") == "j");
  CHECK(run(R"({"substr": ["jsonlogic", -5, -2]})") == "log");
  CHECK(run(R"({"substr": ["jsonlogic", 1, -5]})") == "son");
  CHECK(run(R"({"substr": ["test", 10, 1]})") == "");
  CHECK(run(R"({"substr": [42, 0, 1]})") == "4");
  // Positions count UTF-16 code units, as in JavaScript.
  CHECK(run(R"({"substr": ["h\u00e9\ud83d\ude00!", 1, 3]})") == "\u00e9\U0001F600");
  CHECK(run(R"({"substr": ["\ud83d\ude00!", -1]})") == "!");
}

TEST_CASE("merge flattens one level", "[logic][array]") {
  CHECK(run(R"({"merge": []})") == json::array());
  CHECK(run(R"({"merge": [[1], [2, 3]]})") == json({1, 2, 3}));
  CHECK(run(R"({"merge": [1, [2, [3]]]})") == json({1, 2, json({3})}));
  CHECK(run(R"({"merge": 1})") == json({1}));
  CHECK(run(R"({"merge": [[1], null]})") == json({1, nullptr}));
}

TEST_CASE("map, filter, all, some and none read the current element", "[logic][array]") {
  const std::string ints = R"({"integers": [1, 2, 3], "factor": 10})";
  CHECK(run(R"({"map": [{"var": "integers"}, {"*": [{"var": ""}, 2]}]})", ints) == json({2, 4, 6}));
  // Inside the body, var reads the element: "factor" is not visible.
  CHECK(run(R"({"map": [{"var": "integers"}, {"var": "factor"}]})", ints) == json({nullptr, nullptr, nullptr}));
  CHECK(run(R"({"map": [{"var": "missing"}, {"var": ""}]})", ints) == json::array());
  CHECK(run(R"({"map": [[0, 1, ""], {"!!": {"var": ""}}]})") == json({false, true, false}));
  CHECK(run(R"({"filter": [{"var": "integers"}, {"%": [{"var": ""}, 2]}]})", ints) == json({1, 3}));
  CHECK(run(R"({"filter": [{"var": "missing"}, true]})", ints) == json::array());

  const std::string items = R"({"items": [{"qty": 1}, {"qty": 2}], "empty": []})";
  CHECK(run(R"({"all": [{"var": "items"}, {">=": [{"var": "qty"}, 1]}]})", items) == true);
  CHECK(run(R"({"all": [{"var": "items"}, {">": [{"var": "qty"}, 1]}]})", items) == false);
  CHECK(run(R"({"all": [{"var": "empty"}, true]})", items) == false);
  CHECK(run(R"({"some": [{"var": "items"}, {">": [{"var": "qty"}, 1]}]})", items) == true);
  CHECK(run(R"({"some": [{"var": "empty"}, true]})", items) == false);
  CHECK(run(R"({"none": [{"var": "items"}, {">": [{"var": "qty"}, 5]}]})", items) == true);
  CHECK(run(R"({"none": [{"var": "empty"}, true]})", items) == true);
  // A missing list is an error for all / some / none.
  CHECK(run(R"({"some": [{"var": "nope"}, true]})", items).is_null());
  // Stops at the first deciding element.
  CHECK(run(R"({"some": [[1, 2], {"if": [{"==": [{"var": ""}, 1]}, true, {"throw": "x"}]}]})") == true);

  SECTION("nested iterations see their own element") {
    CHECK(run(R"({"map": [[[1, 2], [3]], {"map": [{"var": ""}, {"+": [{"var": ""}, 1]}]}]})") ==
          json({json({2, 3}), json({4})}));
  }
}

TEST_CASE("reduce reads current and accumulator", "[logic][array]") {
  const std::string data = R"({"integers": [1, 2, 3, 4], "desserts": [{"qty": 1}, {"qty": 2}]})";
  CHECK(run(R"({"reduce": [{"var": "integers"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]})", data) == 10);
  CHECK(run(R"({"reduce": [{"var": "integers"}, {"*": [{"var": "current"}, {"var": "accumulator"}]}, 1]})", data) == 24);
  CHECK(run(R"({"reduce": [{"var": "desserts"}, {"+": [{"var": "accumulator"}, {"var": "current.qty"}]}, 0]})", data) == 3);
  CHECK(run(R"({"reduce": [{"var": "nope"}, {"var": "current"}, 42]})", data) == 42);
  CHECK(run(R"({"reduce": [[1, 2], {"var": ""}, 0]})") == json({{"accumulator", json({{"accumulator", 0}, {"current", 1}})}, {"current", 2}}));
  CHECK(run(R"({"reduce": [[1, 2, 3], {"var": "accumulator"}, [7]]})") == json({7}));
  CHECK(run(R"({"reduce": [[1, 2, 3], {"merge": [{"var": "accumulator"}, [{"var": "current"}]]}, []]})") == json({1, 2, 3}));
}

TEST_CASE("extensions: val, exists, ??, preserve, throw, try", "[logic][extension]") {
  CHECK(run(R"({"val": ["a", "b.c"]})", R"({"a": {"b.c": 1}})") == 1);
  CHECK(run(R"({"val": ""})", R"({"": 5})") == 5);
  CHECK(run(R"({"val": []})", "7") == 7);
  CHECK(run(R"({"map": [[1, 2, 3], {"+": [{"val": []}, {"val": [[1], "index"]}]}]})") == json({1, 3, 5}));
  CHECK(run(R"({"map": [[1, 2], {"+": [{"val": []}, {"val": [[2], "add"]}]}]})", R"({"add": 10})") == json({11, 12}));
  CHECK(run(R"({"exists": ["a", "b"]})", R"({"a": {"b": null}})") == true);
  CHECK(run(R"({"exists": "x"})", R"({"a": 1})") == false);
  CHECK(run(R"({"??": [null, false, 1]})") == false);
  CHECK(run(R"({"??": [null, {"var": "x"}]})", R"({"x": 3})") == 3);
  CHECK(run(R"({"preserve": {"var": "x"}})") == json({{"var", "x"}}));
  CHECK(run(R"({"throw": "boom"})").is_null());
  CHECK(run(R"({"try": [{"throw": "boom"}, {"var": "type"}]})") == "boom");
  CHECK(run(R"({"try": [{"throw": "A"}, {"throw": "B"}, {"var": "type"}]})") == "B");
  CHECK(run(R"({"try": [{"map": [[1], {"/": [0, 0]}]}, 10]})") == 10);
  CHECK(run(R"({"try": [{"+": [1, 2]}, 10]})") == 3);
}

TEST_CASE("log prints its argument to stderr and returns it", "[logic]") {
  std::ostringstream captured;
  std::streambuf* saved = std::cerr.rdbuf(captured.rdbuf());
  const json result = run(R"({"log": {"cat": ["a", 1]}})");
  std::cerr.rdbuf(saved);
  CHECK(result == "a1");
  CHECK(captured.str() == "\"a1\"\n");
}

TEST_CASE("compile errors point at the offending part", "[logic][errors]") {
  SECTION("unknown operation") {
    const Error e = compile_error(R"({"and": [true, {"nope": [1]}]})");
    CHECK(e.pointer == "/and/1");
    CHECK(e.message.find("unknown operation \"nope\"") != std::string::npos);
  }
  SECTION("the base pointer prefixes the pointer; tokens are escaped") {
    CHECK(compile_error(json::parse(R"({"or": [{"/": []}]})"), "/causes/0/when").pointer == "/causes/0/when/or/0/~1");
    const json deep = {{"preserve", {{"a~b", nested_arrays(70)}}}};
    CHECK(compile_error(deep).pointer == "/preserve/a~0b" + repeat("/0", 62));
  }
  SECTION("an operation object needs exactly one key") {
    const Error e = compile_error(R"({"if": [{"var": "a", "cat": "b"}, 1]})");
    CHECK(e.pointer == "/if/0");
    CHECK(e.message.find("exactly one key") != std::string::npos);
  }
  SECTION("wrong number or shape of arguments") {
    CHECK(compile_error(R"({">": [1]})").pointer == "/>");
    CHECK(compile_error(R"({"==": 1})").pointer == "/==");
    CHECK(compile_error(R"({"if": "apple"})").pointer == "/if");
    CHECK(compile_error(R"({"and": {"preserve": [true]}})").pointer == "/and");
    CHECK(compile_error(R"({"%": [1]})").pointer == "/%");
    CHECK(compile_error(R"({"-": []})").pointer == "/-");
    CHECK(compile_error(R"({"!": [1, 2]})").pointer == "/!");
    CHECK(compile_error(R"({"var": ["a", 1, 2]})").pointer == "/var");
    CHECK(compile_error(R"({"missing_some": [1]})").pointer == "/missing_some");
    CHECK(compile_error(R"({"map": [[1]]})").pointer == "/map");
    CHECK(compile_error(R"({"reduce": [[1], 1, 2, 3]})").pointer == "/reduce");
    CHECK(compile_error(R"({"all": [null, true]})").pointer == "/all/0");
    CHECK(compile_error(R"({"filter": [[1], null]})").pointer == "/filter/1");
    CHECK(compile_error(R"({"not": [{"in": ["a"]}]})").pointer == "");
    CHECK(compile_error(R"({"!": [{"in": ["a"]}]})").pointer == "/!/0/in");
  }
  SECTION("too many nodes") {
    Limits limits;
    limits.max_nodes = 5;
    CHECK(Expression::compile(json::parse(R"({"+": [1, 2, 3, 4]})"), "", limits).ok());
    CHECK(compile_error(json::parse(R"({"+": [1, 2, 3, 4, 5]})"), "", limits).pointer == "/+/4");
  }
}

TEST_CASE("nesting is bounded: 100000 levels fail cleanly", "[logic][errors]") {
  SECTION("operations") {
    const json rule = nest("!", true, 100000);
    const Error e = compile_error(rule);
    CHECK(e.pointer == repeat("/!", 64));
    CHECK(e.message.find("64") != std::string::npos);
  }
  SECTION("arrays") {
    CHECK(compile_error(nested_arrays(100000)).pointer == repeat("/0", 64));
  }
  SECTION("a custom limit") {
    Limits limits;
    limits.max_depth = 3;
    CHECK(Expression::compile(nest("!", true, 3), "", limits).ok());
    CHECK(compile_error(nest("!", true, 4), "/w", limits).pointer == "/w/!/!/!");
  }
  SECTION("a huge limit is capped, never a stack overflow") {
    Limits limits;
    limits.max_depth = 1000000;
    limits.max_nodes = 1000000;
    CHECK_FALSE(Expression::compile(nest("!", true, 100000), "", limits).ok());
  }
}

TEST_CASE("deep data is handled without recursion", "[logic][errors]") {
  const json data = {{"deep", nested_arrays(100000)}};
  const auto whole = Expression::compile(json::parse(R"({"var": "deep"})"));
  REQUIRE(whole.ok());
  const json copy = whole->evaluate(data);
  CHECK(copy.is_array());
  CHECK(whole->matches(data));
  // String conversion of the nested arrays ("1", as JavaScript's join gives).
  CHECK(run(R"({"cat": {"preserve": [[[[1]]]]}})") == "1");
  const auto joined = Expression::compile(json::parse(R"({"cat": [{"var": "deep"}]})"));
  REQUIRE(joined.ok());
  CHECK(joined->evaluate(data) == "1");
}

TEST_CASE("evaluation never throws and never runs away", "[logic][errors]") {
  // The accumulator doubles each step: the work budget stops it.
  json numbers = json::array();
  for (int i = 0; i < 64; ++i) numbers.push_back(i);
  const auto doubling = Expression::compile(
      json::parse(R"({"reduce": [{"var": "n"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]})"));
  REQUIRE(doubling.ok());
  const auto start = std::chrono::steady_clock::now();
  CHECK(doubling->evaluate({{"n", numbers}}).is_null());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));

  // Nested iterations over the root data.
  json list = json::array();
  for (int i = 0; i < 1000; ++i) list.push_back(i);
  const auto nested = Expression::compile(json::parse(
      R"({"map": [{"var": "l"}, {"map": [{"val": [[2], "l"]}, {"map": [{"val": [[4], "l"]}, {"val": []}]}]}]})"));
  REQUIRE(nested.ok());
  CHECK(nested->evaluate({{"l", list}}).is_null());
  CHECK_FALSE(nested->matches({{"l", list}}));

  // A default-constructed expression evaluates to null.
  const Expression empty;
  CHECK(empty.evaluate(json::object()).is_null());
  CHECK_FALSE(empty.matches(json::object()));
}

TEST_CASE("matches is the truthiness of evaluate", "[logic]") {
  const auto expression = Expression::compile(json::parse(R"({"in": ["stairs", {"var": "worse_with"}]})"));
  REQUIRE(expression.ok());
  CHECK(expression->matches(json::parse(R"({"worse_with": ["stairs", "running"]})")));
  CHECK_FALSE(expression->matches(json::parse(R"({"worse_with": []})")));
  CHECK_FALSE(expression->matches(json::object()));
  const auto error = Expression::compile(json::parse(R"({"/": [1, 0]})"));
  REQUIRE(error.ok());
  CHECK_FALSE(error->matches(json::object()));
}

TEST_CASE("rule returns the rule as given", "[logic]") {
  const json rule = json::parse(R"({"and": [{"var": "a"}, [1, 2]]})");
  const auto expression = Expression::compile(rule);
  REQUIRE(expression.ok());
  CHECK(expression->rule() == rule);
}

TEST_CASE("variables lists constant paths in order of first appearance", "[logic][variables]") {
  CHECK(variables(R"({"and": [{"var": "b"}, {"var": ["a.x", 1]}, {"==": [{"var": "b"}, {"var": 2}]}]})") ==
        std::vector<std::string>{"b", "a.x", "2"});
  CHECK(variables(R"({"var": ["a", {"var": "b"}]})") == std::vector<std::string>{"a", "b"});
  CHECK(variables(R"({"missing": ["m", "n"]})") == std::vector<std::string>{"m", "n"});
  CHECK(variables(R"({"missing": "m"})") == std::vector<std::string>{"m"});
  CHECK(variables(R"({"missing_some": [1, ["p", "q"]]})") == std::vector<std::string>{"p", "q"});
  CHECK(variables(R"({"val": ["x", "y"]})") == std::vector<std::string>{"x.y"});
  // Computed paths and the whole data are not listed.
  CHECK(variables(R"({"var": {"cat": ["a", "b"]}})").empty());
  CHECK(variables(R"([{"var": ""}, {"var": null}, {"var": []}])").empty());

  SECTION("iteration bodies read elements, not the data") {
    CHECK(variables(R"({"map": [{"var": "list"}, {"+": [{"var": "x"}, 1]}]})") == std::vector<std::string>{"list"});
    CHECK(variables(R"({"reduce": [{"var": "l"}, {"var": "current"}, {"var": "start"}]})") ==
          std::vector<std::string>{"l", "start"});
    CHECK(variables(R"({"all": [{"var": "l"}, {"some": [{"var": "inner"}, {"var": "z"}]}]})") ==
          std::vector<std::string>{"l"});
    CHECK(variables(R"({"try": [{"var": "a"}, {"var": "type"}]})") == std::vector<std::string>{"a"});
  }
}

// ===========================================================================
// The fast paths: prepared Data, Scratch, slots, constant folding
// ===========================================================================

// Counts operator new calls on this thread while a test asks for it, to show
// that evaluation on the fast path does not allocate.
namespace {
thread_local bool counting_allocations = false;
thread_local std::size_t allocations = 0;
}  // namespace

// (GCC takes the malloc / free inside replaced operators for a mismatch.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
// Every non-aligned form, so that none is left to another allocator (such as
// a sanitizer's) whose memory ours would then free.
namespace {
void* counted_malloc(std::size_t size) noexcept {
  if (counting_allocations) ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* counted_new(std::size_t size) {
  if (void* p = counted_malloc(size)) return p;
  throw std::bad_alloc();
}
}  // namespace
void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_malloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_malloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace {

// tests.json-style cases: [rule, data]. Every one must give the same result
// on every path.
const char* const kPathCases[][2] = {
    {R"({"var": "a"})", R"({"a": 1})"},
    {R"({"var": ["a"]})", R"({"a": "x"})"},
    {R"({"var": "b"})", R"({"a": 1})"},
    {R"({"var": ["b", 26]})", R"({"a": 1})"},
    {R"({"var": ["b", {"+": [1, 2]}]})", R"({"a": 1})"},
    {R"({"var": "a.b"})", R"({"a": {"b": "c"}})"},
    {R"({"var": "a.q"})", R"({"a": {"b": "c"}})"},
    {R"({"var": "a.1"})", R"({"a": [5, 6]})"},
    {R"({"var": "a.01"})", R"({"a": [5, 6]})"},
    {R"({"var": ""})", R"({"a": [1, {"b": null}], "c": "d"})"},
    {R"({"var": ["n", 5]})", R"({"n": null})"},
    {R"({"var": {"cat": ["a", ".", "b"]}})", R"({"a": {"b": 7}})"},
    {R"({"==": [{"var": "a"}, 1]})", R"({"a": 1})"},
    {R"({"==": [{"var": "a"}, "1"]})", R"({"a": 1})"},
    {R"({"===": [{"var": "a"}, "1"]})", R"({"a": 1})"},
    {R"({"!=": [{"var": "a"}, {"var": "b"}]})", R"({"a": "x", "b": "x"})"},
    {R"({"<": [1, {"var": "x"}, 10]})", R"({"x": 5})"},
    {R"({">=": [{"var": "pain"}, 7]})", R"({"pain": 7.5})"},
    {R"({"<": [{"var": "s"}, "b"]})", R"({"s": "a"})"},
    {R"({"and": [{"var": "a"}, {"var": "b"}]})", R"({"a": true, "b": [1]})"},
    {R"({"or": [{"var": "a"}, {"var": "b"}, "x"]})", R"({"a": 0, "b": ""})"},
    {R"({"if": [{"var": "a"}, "yes", "no"]})", R"({"a": []})"},
    {R"({"if": [{"var": "x"}, [{"var": "y"}], 99]})", R"({"x": true, "y": 42})"},
    {R"({"!": {"var": "a"}})", R"({"a": "0"})"},
    {R"({"!!": [{"var": "a"}]})", R"({"a": {}})"},
    {R"({"??": [{"var": "a"}, {"var": "b"}]})", R"({"b": 3})"},
    {R"({"in": ["stairs", {"var": "worse"}]})", R"({"worse": ["running", "stairs"]})"},
    {R"({"in": [{"var": "n"}, "a1b"]})", R"({"n": 1})"},
    {R"({"+": [{"var": "a"}, "2", true]})", R"({"a": 1.5})"},
    {R"({"*": [{"var": "a"}, 2]})", R"({"a": 0.5})"},
    {R"({"-": {"var": "a"}})", R"({"a": [10, 2, 3]})"},
    {R"({"/": [{"var": "a"}, 0]})", R"({"a": 1})"},
    {R"({"%": [{"var": "a"}, 3]})", R"({"a": -8})"},
    {R"({"max": {"var": "scores"}})", R"({"scores": [4, 9, 2]})"},
    {R"({"cat": ["I love ", {"var": "filling"}, " pie"]})", R"({"filling": "apple"})"},
    {R"({"cat": {"var": "parts"}})", R"({"parts": [1, [2, null], true]})"},
    {R"({"substr": [{"var": "s"}, -5, 3]})", R"({"s": "jsonlogic"})"},
    {R"({"substr": [{"var": "s"}, 1, 2]})", R"({"s": "h\u00e9\ud83d\ude00!"})"},
    {R"({"merge": [{"var": "a"}, 3, [4]]})", R"({"a": [1, 2]})"},
    {R"({"map": [{"var": "integers"}, {"*": [{"var": ""}, 2]}]})", R"({"integers": [1, 2, 3]})"},
    {R"({"map": [{"var": "items"}, {"var": "qty"}]})", R"({"items": [{"qty": 1}, {"qty": 2}], "qty": 9})"},
    {R"({"filter": [{"var": "integers"}, {">=": [{"var": ""}, 2]}]})", R"({"integers": [1, 2, 3]})"},
    {R"({"reduce": [{"var": "integers"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]})",
     R"({"integers": [1, 2, 3, 4]})"},
    {R"({"reduce": [{"var": "l"}, {"var": ""}, {"var": "start"}]})", R"({"l": [1, 2], "start": 0})"},
    {R"({"all": [{"var": "items"}, {">=": [{"var": "qty"}, 1]}]})", R"({"items": [{"qty": 1}, {"qty": 2}]})"},
    {R"({"some": [{"var": "l"}, {"==": [{"var": ""}, {"val": [[2], "x"]}]}]})", R"({"l": [1, 2], "x": 2})"},
    {R"({"none": [{"var": "l"}, {"<": [{"var": ""}, 1]}]})", R"({"l": [1, 2]})"},
    {R"({"missing": ["a", "b", "c.d"]})", R"({"a": "apple", "c": {"d": ""}})"},
    {R"({"missing": {"merge": ["vin", {"if": [{"var": "financing"}, ["apr"], []]}]}})", R"({"financing": true})"},
    {R"({"missing_some": [1, ["a", "b"]]})", R"({"b": "banana"})"},
    {R"({"missing_some": [2, ["a", "b", "c"]]})", R"({"a": "apple"})"},
    {R"({"val": ["a", "b"]})", R"({"a": {"b": 1}})"},
    {R"({"exists": ["a", "c"]})", R"({"a": {"b": 1}})"},
    {R"({"try": [{"/": [{"var": "a"}, 0]}, {"var": "type"}]})", R"({"a": 1})"},
    {R"({"try": [{"throw": {"var": "e"}}, {"cat": ["caught ", {"var": "type"}]}]})", R"({"e": "boom"})"},
    {R"([{"var": "a"}, 2, {"var": "b"}])", R"({"a": 1, "b": null})"},
    {R"({"preserve": {"var": "a"}})", R"({"a": 1})"},
};

std::vector<std::string> member_names(const json& data) {
  std::vector<std::string> names{"never_given"};
  for (const auto& [key, value] : data.items()) names.push_back(key);
  return names;
}

}  // namespace

TEST_CASE("Data, Scratch and slots give the json path's results", "[logic][fast]") {
  Scratch scratch;
  for (const auto& [rule_text, data_text] : kPathCases) {
    INFO("rule: " << rule_text << "\ndata: " << data_text);
    const json rule = json::parse(rule_text);
    const json data = json::parse(data_text);
    const auto plain = Expression::compile(rule);
    REQUIRE(plain.ok());
    const std::string want = plain->evaluate(data).dump();
    const bool want_match = plain->matches(data);

    const Data prepared = Data::from_json(data);
    CHECK(plain->evaluate(prepared).dump() == want);
    CHECK(plain->evaluate(prepared, scratch).to_json().dump() == want);
    CHECK(plain->matches(prepared) == want_match);

    const SlotNames slots(member_names(data));
    const auto slotted = Expression::compile(rule, "", {}, &slots);
    REQUIRE(slotted.ok());
    const Data slot_data = Data::from_json(data, slots);
    CHECK(slotted->evaluate(slot_data).dump() == want);
    CHECK(slotted->evaluate(slot_data, scratch).to_json().dump() == want);
    CHECK(slotted->matches(slot_data) == want_match);
    // Mixed: either side without the slots falls back to names.
    CHECK(slotted->evaluate(data).dump() == want);
    CHECK(slotted->evaluate(prepared).dump() == want);
    CHECK(plain->evaluate(slot_data).dump() == want);
    // Equal names but another SlotNames: read by name, same result.
    const SlotNames other(member_names(data));
    CHECK(slotted->evaluate(Data::from_json(data, other)).dump() == want);
  }
}

TEST_CASE("slots: absent answers read as missing, set and erase fill them", "[logic][fast][slots]") {
  const SlotNames slots({"age", "pain_now", "worse_with", "knee"});
  CHECK(slots.size() == 4);
  CHECK(slots.find("pain_now") == 1);
  CHECK(slots.find("nope") == SlotNames::npos);

  const auto compile = [&](const char* rule) {
    auto e = Expression::compile(json::parse(rule), "", {}, &slots);
    REQUIRE(e.ok());
    return std::move(e).value();
  };
  Data data = Data::from_json(json::parse(R"({"age": 40, "knee": {"side": "left"}})"), slots);
  CHECK(data.get(0).has_value());
  CHECK_FALSE(data.get(1).has_value());

  CHECK(compile(R"({"var": "pain_now"})").evaluate(data).is_null());
  CHECK(compile(R"({"var": ["pain_now", 5]})").evaluate(data) == 5);
  CHECK(compile(R"({"var": "pain_now.x"})").evaluate(data).is_null());
  CHECK(compile(R"({"missing": ["age", "pain_now", "knee.side", "knee.top"]})").evaluate(data) ==
        json({"pain_now", "knee.top"}));
  CHECK(compile(R"({"missing_some": [1, ["pain_now", "age"]]})").evaluate(data) == json::array());
  CHECK_FALSE(compile(R"({"exists": "pain_now"})").matches(data));
  CHECK(compile(R"({"var": "knee.side"})").evaluate(data) == "left");
  CHECK(compile(R"({"var": ""})").evaluate(data) == json::parse(R"({"age": 40, "knee": {"side": "left"}})"));
  CHECK_FALSE(compile(R"({">=": [{"var": "pain_now"}, 1]})").matches(data));

  // A derived value computed after loading.
  data.set(1, json(7));
  CHECK(data.get(1)->as_number() == 7);
  CHECK(compile(R"({"var": ["pain_now", 5]})").evaluate(data) == 7);
  CHECK(compile(R"({">=": [{"var": "pain_now"}, 7]})").matches(data));
  CHECK(compile(R"({"missing": ["pain_now"]})").evaluate(data) == json::array());
  data.set(1, Value::string("high"));
  CHECK(compile(R"({"var": "pain_now"})").evaluate(data) == "high");
  data.erase(1);
  CHECK(compile(R"({"var": ["pain_now", 5]})").evaluate(data) == 5);

  // A present null is present: no default, but missing lists it.
  data.set(2, json());
  CHECK(compile(R"({"var": ["worse_with", 5]})").evaluate(data).is_null());
  CHECK(compile(R"({"missing": "worse_with"})").evaluate(data) == json({"worse_with"}));

  SECTION("null data: every slot absent") {
    const Data none = Data::from_json(json(), slots);
    CHECK(compile(R"({"var": ["age", "?"]})").evaluate(none) == "?");
    CHECK(compile(R"({"missing": ["age", "knee"]})").evaluate(none) == json({"age", "knee"}));
  }
  SECTION("members that are not slots are still read by name") {
    const Data extra = Data::from_json(json::parse(R"({"age": 1, "other": {"x": 2}})"), slots);
    CHECK(compile(R"({"var": "other.x"})").evaluate(extra) == 2);
    CHECK(compile(R"({"var": {"cat": ["ag", "e"]}})").evaluate(extra) == 1);
  }
  SECTION("a repeated name keeps its first slot; members merge in any order") {
    const SlotNames repeated({"b", "a", "b", "zz", "0"});
    CHECK(repeated.find("b") == 0);
    CHECK(repeated.find("a") == 1);
    CHECK(repeated.find("0") == 4);
    const Data mixed = Data::from_json(json::parse(R"({"0": 0, "a": 1, "aa": 2, "b": 3, "c": 4})"), repeated);
    CHECK(mixed.get(0)->as_number() == 3);
    CHECK(mixed.get(1)->as_number() == 1);
    CHECK_FALSE(mixed.get(2).has_value());
    CHECK_FALSE(mixed.get(3).has_value());
    CHECK(mixed.get(4)->as_number() == 0);
    CHECK(mixed.root().to_json() == json::parse(R"({"0": 0, "a": 1, "aa": 2, "b": 3, "c": 4})"));
    auto e = Expression::compile(json::parse(R"({"+": [{"var": "aa"}, {"var": "c"}, {"var": "b"}, {"var": "0"}]})"), "",
                                 {}, &repeated);
    REQUIRE(e.ok());
    CHECK(e->evaluate(mixed) == 9);
  }
  SECTION("slot data must be an object") {
    CHECK_THROWS_AS(Data::from_json(json::array(), slots), std::invalid_argument);
  }
  SECTION("a var in an iteration reads the element, not a slot") {
    const Data list = Data::from_json(json::parse(R"({"age": 3, "worse_with": [{"age": 1}, {}]})"), slots);
    CHECK(compile(R"({"map": [{"var": "worse_with"}, {"var": ["age", 0]}]})").evaluate(list) == json({1, 0}));
    CHECK(compile(R"({"map": [{"var": "worse_with"}, {"val": [[2], "age"]}]})").evaluate(list) == json({3, 3}));
    CHECK(compile(R"({"reduce": [{"var": "worse_with"}, {"+": [{"var": "accumulator"}, {"var": "current.age"}]}, {"var": "age"}]})")
              .evaluate(list) == json(4.0));
  }
}

TEST_CASE("Data: take and put move a value between slots, unslotted_names lists the rest", "[logic][fast][slots]") {
  const SlotNames slots({"age", "pain_now"});
  Data data = Data::from_json(json::parse(R"({"age": 40, "zeta": 1, "alpha": 2})"), slots);
  CHECK(data.unslotted_names() == std::vector<std::string_view>{"alpha", "zeta"});
  auto age = data.take(0);
  REQUIRE(age.has_value());
  CHECK_FALSE(data.get(0).has_value());
  CHECK_FALSE(data.take(1).has_value());
  data.put(1, *age);
  CHECK(data.get(1)->as_number() == 40);
  CHECK(data.root().to_json() == json::parse(R"({"pain_now": 40, "zeta": 1, "alpha": 2})"));
}

TEST_CASE("variables() and rule() do not change with slots", "[logic][fast][variables]") {
  const SlotNames slots({"b", "a"});
  const json rule = json::parse(R"({"and": [{"var": "b"}, {"var": ["a.x", 1]}, {"missing": ["c"]}]})");
  const auto e = Expression::compile(rule, "", {}, &slots);
  REQUIRE(e.ok());
  CHECK(e->variables() == std::vector<std::string>{"b", "a.x", "c"});
  CHECK(e->rule() == rule);
}

TEST_CASE("Value: types, accessors and JSON conversion", "[logic][fast]") {
  const json source = json::parse(R"({"n": null, "t": true, "i": 3, "f": 1.0, "s": "x", "a": [1, "y"], "o": {"k": 2}})");
  const Data data = Data::from_json(source);
  const Value root = data.root();
  REQUIRE(root.type() == Value::Type::object);
  CHECK(root.find("n")->is_null());
  CHECK(root.find("t")->as_bool());
  CHECK(root.find("i")->as_number() == 3);
  CHECK(root.find("s")->as_string() == "x");
  REQUIRE(root.find("a")->type() == Value::Type::array);
  CHECK(root.find("a")->size() == 2);
  CHECK((*root.find("a"))[1].as_string() == "y");
  CHECK_FALSE(root.find("zz").has_value());
  CHECK(root.to_json() == source);
  CHECK(root.find("f")->to_json().dump() == "1.0");  // a float stays a float
  CHECK(root.find("i")->to_json().dump() == "3");
  CHECK(Value::number(2.5).to_json() == 2.5);
  CHECK(Value::number(4).to_json().dump() == "4");
  CHECK(Value::string("abc").to_json() == "abc");
  CHECK(Value().to_json().is_null());
  CHECK(truthy(Value::boolean(true)));
  CHECK_FALSE(truthy(Value::string("")));
  CHECK_FALSE(truthy(Value::number(0)));
  CHECK(truthy(root));

  SECTION("results are views valid until the scratch is reused") {
    Scratch scratch;
    const auto cat = Expression::compile(json::parse(R"({"cat": [{"var": "s"}, "!"]})"));
    REQUIRE(cat.ok());
    const Value first = cat->evaluate(data, scratch);
    CHECK(first.as_string() == "x!");
    const auto var = Expression::compile(json::parse(R"({"var": "a"})"));
    REQUIRE(var.ok());
    const Value list = var->evaluate(data, scratch);  // a view into data
    CHECK(list.to_json() == json({1, "y"}));
  }
  SECTION("Data moves") {
    Data moved = Data::from_json(source);
    Data target = std::move(moved);
    CHECK(target.root().to_json() == source);
  }
}

TEST_CASE("constant operations are folded at compile time", "[logic][fast]") {
  const auto constant = [](const char* rule) {
    const auto e = Expression::compile(json::parse(rule));
    REQUIRE(e.ok());
    return e->is_constant();
  };
  CHECK(constant(R"({"+": [1, 2]})"));
  CHECK(constant(R"({"if": [{">": [3, 1]}, {"cat": ["a", "b"]}, {"var": "x"}]})") == false);
  CHECK(constant(R"({"map": [[1, 2, 3], {"*": [{"var": ""}, 2]}]})"));
  CHECK(constant(R"({"reduce": [[1, 2], {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]})"));
  CHECK(constant(R"({"map": [[1, 2], {"+": [{"val": []}, {"val": [[1], "index"]}]}]})"));
  CHECK(constant(R"({"try": [{"throw": "x"}, {"var": "type"}]})"));
  CHECK_FALSE(constant(R"({"var": "x"})"));
  CHECK_FALSE(constant(R"({"missing": ["x"]})"));
  CHECK_FALSE(constant(R"({"map": [[1], {"val": [[2], "x"]}]})"));  // reads the data around the map
  CHECK_FALSE(constant(R"({"/": [1, 0]})"));                        // an error stays a run-time error
  CHECK_FALSE(constant(R"({"log": 1})"));                           // an effect runs every time
  CHECK(run(R"({"map": [[1, 2, 3], {"*": [{"var": ""}, 2]}]})") == json({2, 4, 6}));
  CHECK(run(R"({"try": [{"throw": "x"}, {"var": "type"}]})") == "x");
  CHECK(run(R"({"/": [1, 0]})").is_null());

  SECTION("log inside a foldable operation still logs on every evaluation") {
    const auto logged = Expression::compile(json::parse(R"({"+": [{"log": 1}, 1]})"));
    REQUIRE(logged.ok());
    std::ostringstream captured;
    std::streambuf* saved = std::cerr.rdbuf(captured.rdbuf());
    const json first = logged->evaluate(json());
    const json second = logged->evaluate(json());
    std::cerr.rdbuf(saved);
    CHECK(first == 2);
    CHECK(second == 2);
    CHECK(captured.str() == "1\n1\n");
  }
}

TEST_CASE("the fast path does not allocate once warmed up", "[logic][fast]") {
  const SlotNames slots({"age", "pain_now", "worse_with", "swelling", "weekly_km_now", "weekly_km_before"});
  const json answers = json::parse(R"({"age": 34, "pain_now": 4, "worse_with": ["stairs", "downhill"],
                                       "swelling": "none", "weekly_km_now": 45, "weekly_km_before": 40})");
  const char* const rules[] = {
      R"({"var": "pain_now"})",
      R"({">=": [{"var": "pain_now"}, 7]})",
      R"({"and": [{"==": [{"var": "swelling"}, "none"]}, {"<": [18, {"var": "age"}, 60]}]})",
      R"({"or": [{"in": ["downhill", {"var": "worse_with"}]}, {"!": {"var": "age"}}]})",
      R"({"if": [{"missing": ["weekly_km_now", "weekly_km_before"]}, null,
                 {"*": [{"/": [{"-": [{"var": "weekly_km_now"}, {"var": "weekly_km_before"}]}, {"var": "weekly_km_before"}]}, 100]}]})",
      R"({"in": ["on", {"var": "swelling"}]})",
      R"({"var": ["unknown", 3]})",
  };
  std::vector<Expression> compiled;
  for (const char* rule : rules) {
    auto e = Expression::compile(json::parse(rule), "", {}, &slots);
    REQUIRE(e.ok());
    compiled.push_back(std::move(e).value());
  }
  const Data data = Data::from_json(answers, slots);
  const Data by_name = Data::from_json(answers);
  Scratch scratch;
  for (const Expression& e : compiled) e.evaluate(data, scratch);  // warm up
  allocations = 0;
  counting_allocations = true;
  std::size_t matched = 0;
  for (int round = 0; round < 3; ++round) {
    for (const Expression& e : compiled) {
      matched += truthy(e.evaluate(data, scratch)) ? 1 : 0;
      matched += truthy(e.evaluate(by_name, scratch)) ? 1 : 0;
      matched += e.matches(data) ? 1 : 0;
      matched += e.matches(by_name) ? 1 : 0;
    }
  }
  counting_allocations = false;
  CHECK(allocations == 0);
  CHECK(matched == 3 * 4 * 6);  // all but ">= 7"

  // The counter works: the JSON path builds its result as JSON.
  counting_allocations = true;
  const json as_json = compiled[0].evaluate(json::parse(R"({"pain_now": "a string longer than short"})"));
  counting_allocations = false;
  CHECK(as_json == "a string longer than short");
  CHECK(allocations > 0);
}

TEST_CASE("deep data is handled without recursion on the fast path", "[logic][fast][errors]") {
  const json data = {{"deep", nested_arrays(100000)}};
  const Data prepared = Data::from_json(data);
  const auto whole = Expression::compile(json::parse(R"({"var": "deep"})"));
  REQUIRE(whole.ok());
  CHECK(whole->matches(prepared));
  CHECK(whole->evaluate(prepared).is_array());
  const auto joined = Expression::compile(json::parse(R"({"cat": [{"var": "deep"}]})"));
  REQUIRE(joined.ok());
  CHECK(joined->evaluate(prepared) == "1");
  Scratch scratch;
  CHECK(joined->evaluate(prepared, scratch).as_string() == "1");
}
