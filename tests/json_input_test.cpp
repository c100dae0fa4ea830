// parse_json: what it reports for invalid JSON, message, line and column,
// which every caller shows as it is.
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "kneecheck/json_input.hpp"

namespace {

// The text for a failure message, every byte readable.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 300)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      constexpr std::string_view hex = "0123456789ABCDEF";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  return text.size() > 300 ? out + "..." : out;
}

}  // namespace

TEST_CASE("parse_json reports invalid JSON with the message, line and column it always gave", "[json]") {
  struct Case {
    std::string text;
    int line;
    int column;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", 1, 1, "unexpected end of input; expected '[', '{', or a literal"},
      {"{\"a\": 1,}", 1, 9, "unexpected '}'; expected string literal"},
      {"[1, 2\n, }", 2, 3, "unexpected '}'; expected '[', '{', or a literal"},
      {"\xEF\xBB\xBF{}", 1, 1, "starts with a byte order mark; save the file as UTF-8 without BOM"},
      {std::string("{\"a\": \"x\0\"}", 11), 1, 9, "a NUL byte (0x00); JSON text never contains one"},
      {"[\"\xFF\"]", 1, 3, "not UTF-8 (byte 0xFF); save the file as UTF-8"},
      {std::string(129, '['), 1, 129, "nested deeper than 128 levels"},
      {"{\"a\":\n  -1e999}", 2, 3, "number overflow parsing '-1e999'"},
      {R"("\uD800")", 1, 8,
       R"(invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: '"\uD800"')"},
      {R"("\uDC00x")", 1, 7, R"(invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF; last read: '"\uDC00')"},
      {"\"a\tb\"", 1, 3,
       R"(invalid string: control character U+0009 (HT) must be escaped to \u0009 or \t; last read: '"a<U+0009>')"},
      {"[1] 2", 1, 5, "unexpected number literal; expected end of input"},
      {"01", 1, 2, "unexpected number literal; expected end of input"},
      {"{\"a\":1\n,\"b\":tru}", 2, 9, R"(invalid literal; last read: '"b":tru}')"},
      {"1e+", 1, 4, "invalid number; expected digit after exponent sign; last read: '1e+'"},
      {"{\"a\":[1,2}", 1, 10, "unexpected '}'; expected ']'"},
      {"\"abc", 1, 5, R"(invalid string: missing closing quote; last read: '"abc')"},
      {"{\n  \"a\": 1,\n  \"b\": [true, false, nul]\n}", 3, 25, R"(invalid literal; last read: '"b": [true, false, nul]')"},
  };
  for (const auto& example : cases) {
    INFO("text: " << shown(example.text));
    const auto parsed = kneecheck::parse_json(example.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message == "invalid JSON: " + example.message);
    CHECK(parsed.error().line == example.line);
    CHECK(parsed.error().column == example.column);
    CHECK(parsed.error().pointer.empty());
  }
}
