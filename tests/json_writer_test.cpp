#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/json_writer.hpp"

using kneecheck::JsonWriter;
using json = nlohmann::ordered_json;

namespace {

// The document written member by member, as the writer would be used.
void write(JsonWriter& out, const json& value) {
  if (value.is_object()) {
    out.begin_object();
    for (const auto& [key, member] : value.items()) {
      out.key(key);
      write(out, member);
    }
    out.end_object();
  } else if (value.is_array()) {
    out.begin_array();
    for (const auto& item : value) write(out, item);
    out.end_array();
  } else if (value.is_string()) {
    out.value(value.get<std::string>());
  } else if (value.is_boolean()) {
    out.value(value.get<bool>());
  } else if (value.is_number_integer()) {
    out.value(value.get<std::int64_t>());
  } else if (value.is_number_float()) {
    out.value(value.get<double>());
  } else {
    out.null();
  }
}

std::string written(const json& value, int indent) {
  std::string text;
  JsonWriter out(text, indent);
  write(out, value);
  return text;
}

}  // namespace

TEST_CASE("JsonWriter writes what dump() writes, compact and indented", "[json_writer]") {
  const json documents[] = {
      json::parse(R"({"a": 1, "b": [true, false, null], "c": {}, "d": [], "e": {"f": [{"g": "h"}]}})"),
      json::parse(R"([1, -2, 2.0, 0.1, 1e300, -0.0, "x"])"),
      json::parse(R"({"nested": [[[]], [{}], [[1, [2, [3]]]]]})"),
      json::parse(R"("just a string")"),
      json::parse("3"),
      json::parse(R"({"quote\"s": "back\\slash \n new line \t tab \u0001 \u001f \u007f é 日本 😀"})"),
  };
  for (const auto& document : documents) {
    INFO(document.dump());
    CHECK(written(document, -1) == document.dump());
    CHECK(written(document, 2) == document.dump(2));
    CHECK(written(document, 4) == document.dump(4));
  }
}

TEST_CASE("JsonWriter embeds a JSON value at the current depth", "[json_writer]") {
  nlohmann::json inner = nlohmann::json::parse(R"({"list": [1, 2], "object": {"k": "v"}, "empty": []})");
  json outer = {{"level", {{"inner", json::parse(inner.dump())}}}};
  std::string text;
  JsonWriter out(text, 2);
  out.begin_object().key("level").begin_object().key("inner").value(inner).end_object().end_object();
  CHECK(text == outer.dump(2));
  CHECK(json::parse(text) == outer);
}

TEST_CASE("append_json_string escapes control characters the way JSON requires", "[json_writer]") {
  std::string text;
  kneecheck::append_json_string(text, std::string("a\0b\x1b", 4));
  CHECK(text == R"("a\u0000b\u001b")");
  CHECK(json::parse(text) == std::string("a\0b\x1b", 4));
}
