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

TEST_CASE("append_json_string escapes at every position of short and long texts", "[json_writer]") {
  // Texts are scanned 8 bytes at a time: put each special byte at every
  // offset, around word boundaries, in texts of many lengths.
  const std::string specials = std::string("\"\\\n\t\x01\x1f", 6) + std::string(1, '\0');
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (char special : specials) {
        std::string text(length, 'a');
        text[at] = special;
        std::string escaped;
        kneecheck::append_json_string(escaped, text);
        INFO("length " << length << ", byte " << static_cast<int>(special) << " at " << at);
        REQUIRE(escaped == nlohmann::json(text).dump());
      }
    }
  }
  std::string utf8 = "é日本😀 ~\x7f";
  for (int i = 0; i < 5; ++i) utf8 += utf8;
  std::string escaped;
  kneecheck::append_json_string(escaped, utf8);
  CHECK(escaped == nlohmann::json(utf8).dump());
}

TEST_CASE("JsonWriter writes numbers as dump() does", "[json_writer]") {
  const double numbers[] = {0.0,  -0.0, 1.0,   -3.0, 2.5,  0.1,    1e15, -1e15, 999999999999999.0,
                            1e16, 1e300, 1e-7, 33.333333333333336, 123456.0, -4503599627370497.0};
  for (double number : numbers) {
    INFO(number);
    std::string text;
    JsonWriter(text, -1).value(number);
    CHECK(text == nlohmann::json(number).dump());
  }
  const nlohmann::json mixed = nlohmann::json::parse(R"([18446744073709551615, -9223372036854775808, 0, 7])");
  std::string text;
  JsonWriter(text, -1).value(mixed);
  CHECK(text == mixed.dump());
}

TEST_CASE("EscapedTexts gives each text's literal, also when an address is reused", "[json_writer]") {
  kneecheck::EscapedTexts texts;
  std::string text = "say \"hi\"\n";
  auto expected = [](std::string_view value) {
    std::string literal;
    kneecheck::append_json_string(literal, value);
    return literal;
  };
  CHECK(texts.literal(text) == expected(text));
  CHECK(texts.literal(text) == expected(text));  // from the cache
  const char* address = text.data();
  text[0] = 'S';  // same address, other content
  REQUIRE(text.data() == address);
  CHECK(texts.literal(text) == expected(text));
  text.resize(3);  // same address, shorter
  CHECK(texts.literal(text) == expected(text));

  // Past the limit, texts are still right, only no longer kept.
  std::vector<std::string> many;
  for (std::size_t i = 0; i < kneecheck::EscapedTexts::kMaxEntries + 10; ++i) many.push_back(std::to_string(i) + "\t");
  for (const auto& item : many) REQUIRE(texts.literal(item) == expected(item));
  for (const auto& item : many) REQUIRE(texts.literal(item) == expected(item));
}

TEST_CASE("lasting_value and lasting_strings write what value and strings write", "[json_writer]") {
  const std::vector<std::string> sources = {"article#1", "a \"quoted\" source"};
  const std::string because = "because \\ of this";
  auto write = [&](kneecheck::EscapedTexts* lasting) {
    std::string text;
    JsonWriter out(text, 2, lasting);
    out.begin_object().key("because").lasting_value(because).key("source").lasting_strings(sources).end_object();
    return text;
  };
  std::string plain;
  JsonWriter(plain, 2).begin_object().key("because").value(because).key("source").strings(sources).end_object();
  kneecheck::EscapedTexts texts;
  CHECK(write(nullptr) == plain);
  CHECK(write(&texts) == plain);
  CHECK(write(&texts) == plain);
}
