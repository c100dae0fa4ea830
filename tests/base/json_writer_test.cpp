#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/json_writer.hpp"

using kneecheck::JsonWriter;
using json = nlohmann::ordered_json;

namespace {

// The document written member by member, as the writer would be used.
void write(JsonWriter& out, const json& value) {
  if (value.is_object()) {
    out.begin_object();
    for (const auto& [key, member] : value.items()) {
      out.key_text(key);
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

TEST_CASE("JsonLiterals finds each text added by its address and length, and nothing else", "[json_writer]") {
  auto expected = [](std::string_view value) {
    std::string literal;
    kneecheck::append_json_string(literal, value);
    return literal;
  };
  kneecheck::JsonLiterals literals;
  const std::string text = "say \"hi\"\n";
  const std::string same_content = text;
  CHECK(literals.find(text).empty());
  literals.add(text);
  literals.add(text);  // once is enough
  CHECK(literals.size() == 1);
  CHECK(literals.find(text) == expected(text));
  CHECK(literals.find(same_content).empty());                      // another address
  CHECK(literals.find(std::string_view(text).substr(0, 3)).empty());  // the same address, shorter
  literals.add(std::string_view(text).substr(0, 3));
  CHECK(literals.find(std::string_view(text).substr(0, 3)) == expected("say"));
  CHECK(literals.find(text) == expected(text));

  // Many texts: the table grows and keeps every one.
  std::vector<std::string> many;
  for (int i = 0; i < 5000; ++i) many.push_back(std::to_string(i) + "\t");
  for (const auto& item : many) literals.add(item);
  CHECK(literals.size() == 5002);
  for (const auto& item : many) REQUIRE(literals.find(item) == expected(item));
}

TEST_CASE("JsonKey and key_text write the key that nlohmann writes", "[json_writer]") {
  for (int indent : {-1, 2}) {
    std::string literal_keys;
    JsonWriter(literal_keys, indent).begin_object().key("id").value(1).key("a_longer_key").value(2).end_object();
    std::string runtime_keys;
    JsonWriter(runtime_keys, indent).begin_object().key_text("id").value(1).key_text("a_longer_key").value(2).end_object();
    const json expected = {{"id", 1}, {"a_longer_key", 2}};
    CHECK(literal_keys == expected.dump(indent));
    CHECK(runtime_keys == expected.dump(indent));
  }
  std::string escaped;
  JsonWriter(escaped, -1).begin_object().key_text("say \"hi\"").value(true).end_object();
  CHECK(escaped == R"({"say \"hi\"":true})");
}

TEST_CASE("lasting_value and lasting_strings write what value and strings write", "[json_writer]") {
  const std::vector<std::string> sources = {"article#1", "a \"quoted\" source"};
  const std::string because = "because \\ of this";
  auto write = [&](const kneecheck::JsonLiterals* lasting) {
    std::string text;
    JsonWriter out(text, 2, lasting);
    out.begin_object().key("because").lasting_value(because).key("source").lasting_strings(sources).end_object();
    return text;
  };
  std::string plain;
  JsonWriter(plain, 2).begin_object().key("because").value(because).key("source").strings(sources).end_object();
  kneecheck::JsonLiterals texts;
  CHECK(write(&texts) == plain);  // none of them added
  texts.add(because);
  for (const auto& source : sources) texts.add(source);
  CHECK(write(nullptr) == plain);
  CHECK(write(&texts) == plain);
}
