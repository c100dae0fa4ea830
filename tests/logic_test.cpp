#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic.hpp"

namespace {

using nlohmann::json;
using kneecheck::Error;
using kneecheck::logic::Expression;
using kneecheck::logic::Limits;
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
