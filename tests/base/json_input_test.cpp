// The fast JSON parser against nlohmann::json::parse, the parser it stands in
// for: on every JSON file of the project, on hand-picked edge cases, on
// thousands of generated documents and on broken copies of them. Whatever it
// accepts must be nlohmann's document, types included; whatever nlohmann
// rejects it must decline. And parse_json, which tries it first, still
// reports invalid JSON exactly as before.
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "base/json_fast_parse.hpp"
#include "kneecheck/base/json_input.hpp"

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

std::optional<json> nlohmann_parse(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// == counts 1, 1u and 1.0 equal, and dump() writes -0 (an integer) as 0:
// the types must match as well.
bool same_types(const json& a, const json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_types(a[i], b[i])) return false;
    }
  }
  if (a.is_object()) {
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
      if (x.key() != y.key() || !same_types(x.value(), y.value())) return false;
    }
  }
  return true;
}

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

void check_same(const json& fast, const json& expected) {
  CHECK(fast == expected);
  CHECK(fast.dump() == expected.dump());
  CHECK(same_types(fast, expected));
}

enum class Outcome { both_accept, only_nlohmann_accepts, both_reject };

// The fast parser declines or gives nlohmann's document; it declines
// whatever nlohmann rejects.
Outcome check_agrees(std::string_view text) {
  INFO("text: " << shown(text));
  const auto expected = nlohmann_parse(text);
  const auto fast = kneecheck::fast_parse_json(text);
  if (!expected) {
    CHECK_FALSE(fast.has_value());
    return Outcome::both_reject;
  }
  if (!fast) return Outcome::only_nlohmann_accepts;
  check_same(*fast, *expected);
  return Outcome::both_accept;
}

// The fast parser takes `text` and gives nlohmann's document.
void check_takes(std::string_view text) {
  INFO("text: " << shown(text));
  const auto expected = nlohmann_parse(text);
  REQUIRE(expected.has_value());
  const auto fast = kneecheck::fast_parse_json(text);
  REQUIRE(fast.has_value());
  check_same(*fast, *expected);
}

void check_declines(std::string_view text) {
  INFO("text: " << shown(text));
  CHECK_FALSE(kneecheck::fast_parse_json(text).has_value());
  check_agrees(text);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> project_files(const std::string& extension) {
  std::vector<fs::path> files;
  for (const char* folder : {"data", "tests/fixtures", "docs"}) {
    const fs::path root = fs::path(KNEECHECK_SOURCE_DIR) / folder;
    if (!fs::is_directory(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == extension) files.push_back(entry.path());
    }
  }
  return files;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Random JSON values built with nlohmann, reaching for what is hard to parse:
// integers at the edges of 64 bits, doubles of any bit pattern (subnormal
// ones too), strings of control characters, quotes and code points of every
// UTF-8 length.
class RandomJson {
 public:
  explicit RandomJson(std::uint64_t seed) : random_(seed) {}

  std::mt19937_64& engine() { return random_; }

  std::uint64_t below(std::uint64_t bound) { return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(random_); }

  json value(int depth) {
    switch (below(depth >= 5 ? 7 : 10)) {
      case 0: return nullptr;
      case 1: return below(2) == 1;
      case 2: return unsigned_number();
      case 3: return negative_number();
      case 4: return double_number();
      case 5:
      case 6: return text();
      case 7: {
        json array = json::array();
        for (auto n = below(6); n > 0; --n) array.push_back(value(depth + 1));
        return array;
      }
      default: {
        json object = json::object();
        for (auto n = below(6); n > 0; --n) object[text()] = value(depth + 1);
        return object;
      }
    }
  }

  std::string text() {
    std::string out;
    for (auto n = below(10); n > 0; --n) append_utf8(out, code_point());
    return out;
  }

 private:
  std::uint64_t unsigned_number() {
    constexpr std::uint64_t edges[] = {0, 1, 9, 10, std::uint64_t{1} << 63, (std::uint64_t{1} << 63) - 1,
                                       std::numeric_limits<std::uint64_t>::max()};
    switch (below(3)) {
      case 0: return edges[below(std::size(edges))];
      case 1: return below(100000);
      default: return random_() >> below(64);
    }
  }

  std::int64_t negative_number() {
    switch (below(3)) {
      case 0: return std::numeric_limits<std::int64_t>::min();
      case 1: return -static_cast<std::int64_t>(below(100000)) - 1;
      default: return -static_cast<std::int64_t>(random_() >> (1 + below(63))) - 1;
    }
  }

  double double_number() {
    while (true) {
      double number = 0;
      switch (below(4)) {
        case 0: number = std::bit_cast<double>(random_()); break;
        case 1: number = static_cast<double>(static_cast<std::int64_t>(random_() >> 20)) / 1000.0; break;
        case 2: number = below(2) == 1 ? 0.0 : -0.0; break;
        default: number = std::ldexp(1.0 + static_cast<double>(below(1000)) / 1000.0, static_cast<int>(below(2100)) - 1075);
      }
      if (std::isfinite(number)) return number;
    }
  }

  std::uint32_t code_point() {
    switch (below(8)) {
      case 0: return static_cast<std::uint32_t>(below(0x20));
      case 1: return static_cast<std::uint32_t>("\"\\/"[below(3)]);
      case 2: return static_cast<std::uint32_t>(0x20 + below(0x5F));
      case 3: return static_cast<std::uint32_t>(0x80 + below(0x800 - 0x80));
      case 4: {
        auto code = static_cast<std::uint32_t>(0x800 + below(0x10000 - 0x800));
        return code >= 0xD800 && code <= 0xDFFF ? 0xFFFD : code;
      }
      case 5: return static_cast<std::uint32_t>(0x10000 + below(0x110000 - 0x10000));
      default: return static_cast<std::uint32_t>('a' + below(26));
    }
  }

  std::mt19937_64 random_;
};

// The value as nlohmann writes it: compact or indented, with non-ASCII
// characters raw or as \u escapes (surrogate pairs beyond U+FFFF), and with
// JSON whitespace sprinkled around the punctuation.
std::string random_text(RandomJson& random, const json& value) {
  const int indents[] = {-1, 0, 1, 2, 4};
  const std::string dumped = value.dump(indents[random.below(std::size(indents))], ' ', random.below(2) == 1);
  std::string out;
  auto space = [&] {
    while (random.below(4) == 0) out += " \t\n\r"[random.below(4)];
  };
  bool in_string = false;
  bool escaped = false;
  space();
  for (char c : dumped) {
    if (in_string) {
      out += c;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    const bool punctuation = std::string_view("[]{},:").find(c) != std::string_view::npos;
    if (punctuation) space();
    out += c;
    if (punctuation) space();
  }
  space();
  return out;
}

// A broken copy: a few bytes changed to anything or to JSON's punctuation,
// dropped or added, or the text cut short.
std::string mutated(std::string text, RandomJson& random) {
  constexpr std::string_view kJsonBytes = "{}[],:\"\\/0123456789.-+eEtrufalsn \t\n\r";
  for (auto edits = 1 + random.below(3); edits > 0 && !text.empty(); --edits) {
    const auto at = static_cast<std::size_t>(random.below(text.size()));
    const char json_byte = kJsonBytes[random.below(kJsonBytes.size())];
    switch (random.below(5)) {
      case 0: text[at] = static_cast<char>(random.below(256)); break;
      case 1: text[at] = json_byte; break;
      case 2: text.erase(at, 1); break;
      case 3: text.insert(at, 1, json_byte); break;
      default: text.resize(at);
    }
  }
  return text;
}

}  // namespace

TEST_CASE("the fast JSON parser gives nlohmann's document for every JSON file of the project", "[json]") {
  const auto files = project_files(".json");
  REQUIRE(files.size() > 50);
  for (const auto& path : files) {
    INFO(path.string());
    const std::string text = read_bytes(path);
    if (nlohmann_parse(text)) {
      check_takes(text);
    } else {
      CHECK_FALSE(kneecheck::fast_parse_json(text).has_value());
    }
  }
  for (const auto& path : project_files(".jsonl")) {
    INFO(path.string());
    std::ifstream file(path, std::ios::binary);
    for (std::string line; std::getline(file, line);) check_agrees(line);
  }
}

TEST_CASE("the fast JSON parser types numbers as nlohmann does", "[json]") {
  for (const char* text :
       {"0", "-0", "-0.0", "0.0", "7", "-7", "1E2", "1e2", "1E+2", "1e-2", "1.5e-3", "-1.5E3", "0.1", "123.456e78",
        "18446744073709551615", "18446744073709551616", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
        "-123456789012345678901234567890", "2.2250738585072014e-308", "1.7976931348623157e308", "5e-324",
        "[0, -0, 1.0, 1e0, 10000000000000000000000]"}) {
    check_takes(text);
  }
  // Beyond a double either way: nlohmann rejects the one, rounds the other to
  // zero; the fast parser leaves both to it.
  check_declines("1e400");
  check_declines("[-1e400]");
  check_agrees("1e-400");
  for (const char* text : {"01", "-01", "-", "+1", "1.", ".5", "1e", "1e+", "1.e3", "0x10", "1_000", "- 1", "Infinity",
                           "NaN", "[1.5.3]"}) {
    check_declines(text);
  }
}

TEST_CASE("the fast JSON parser decodes strings as nlohmann does", "[json]") {
  for (const char* text : {R"("")", R"("plain")", R"("\"\\\/\b\f\n\r\t")", R"("\u0000")", R"("a\u0000b")",
                           R"("\u0041\u00e9\u00E9\u20AC\uFFFF\u0800\u07FF")", R"("\uD83D\uDE00")",
                           R"("\ud83d\ude00 and \uDBFF\uDFFF")", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"",
                           R"({"\u0000": 1, "k\u00e9y": "\n"})", R"(["\\u0041"])"}) {
    check_takes(text);
  }
  // Lone surrogates, control characters, bad escapes, bytes that are not
  // UTF-8: all errors to nlohmann.
  for (const char* text : {R"("\uD800")", R"("\uDC00")", R"("\uD800\u0041")", R"("\uD800x")", R"("\uD800\")",
                           R"("\uDBFF\uD800")", R"("\u12")", R"("\u00G0")", R"("\x")", R"("\U0041")", "\"a\tb\"",
                           "\"\x01\"", "\"\x1F\"", "\"\n\"", "\"\x7F\"", "[\"\xFF\"]", "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
                           "\"\xF4\x90\x80\x80\"", "\"\xC3\"", "\"abc", "\"", R"("\)"}) {
    check_agrees(text);
  }
  check_declines(R"("\uD800")");
  check_declines("\"a\tb\"");
  check_declines("\"\xFF\"");
  check_takes("\"\x7F\"");
}

TEST_CASE("the fast JSON parser builds containers as nlohmann does", "[json]") {
  for (const char* text : {"[]", "{}", "[[]]", "[{}]", R"({"a":{}})", R"({"a":[]})", " \t\r\n[ 1 , 2 ]\n ",
                           "[1,[2,[3,{\"a\":[4]}]],5]", "[true,false,null]", "true", "false", "null",
                           R"({"b": 1, "a": 2, "c": {"z": [], "y": {}}})",
                           // Duplicate keys: the last one wins, whatever it replaces.
                           R"({"a":1,"a":2})", R"({"a":[1],"a":{"b":2}})", R"({"a":{"x":1},"a":{"y":2}})",
                           R"({"a":{"x":1,"x":[2]},"b":0,"a":{"x":{"y":3},"x":4}})"}) {
    check_takes(text);
  }
  const std::string deepest = std::string(kneecheck::kMaxJsonDepth, '[') + std::string(kneecheck::kMaxJsonDepth, ']');
  check_takes(deepest);
  const std::string deeper = "[" + deepest + "]";
  check_declines(deeper);
  check_declines(std::string(100000, '['));
  // Not JSON: nlohmann rejects all but the byte order mark (which it skips)
  // and what follows a NUL byte (which it ignores); parse_json checks both
  // first.
  for (const char* text : {"", " ", "[1,]", R"({"a":1,})", "[1 2]", R"({"a":1 "b":2})", R"({"a" 1})", "{1:2}",
                           R"({"a"})", R"({"a":})", "[1}", R"({"a":1])", "[1]]", "[1] 2", "{} {}", "tru", "nul", "True",
                           "[,1]", "\f1", "\v1", "\xC2\xA0" "1", "\xEF\xBB\xBF{}", "[/**/1]", "1 // x", "'a'"}) {
    check_declines(text);
  }
  check_declines(std::string_view("1\0x", 3));
  check_declines(std::string_view("[\"a\0\"]", 6));
}

TEST_CASE("the fast JSON parser agrees with nlohmann on generated documents and broken copies", "[json]") {
  RandomJson random(20261125);
  int both_accept = 0;
  int both_reject = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(random, random.value(0));
    check_takes(text);
    for (int k = 0; k < 3; ++k) {
      const Outcome outcome = check_agrees(mutated(text, random));
      both_accept += outcome == Outcome::both_accept;
      both_reject += outcome == Outcome::both_reject;
    }
  }
  const std::string rules = read_bytes(fs::path(KNEECHECK_SOURCE_DIR) / "data/rules.json");
  for (int i = 0; i < 300; ++i) {
    const Outcome outcome = check_agrees(mutated(rules, random));
    both_accept += outcome == Outcome::both_accept;
    both_reject += outcome == Outcome::both_reject;
  }
  // Both kinds of broken copy turn up, or the check above proves little.
  CHECK(both_accept > 500);
  CHECK(both_reject > 1000);
}

TEST_CASE("parse_json gives nlohmann's document", "[json]") {
  const std::string rules = read_bytes(fs::path(KNEECHECK_SOURCE_DIR) / "data/rules.json");
  for (const std::string& text : {rules, std::string(R"({"a": [1, -2, 3.5, "\u00e9"], "a": null})"),
                                  std::string("1e-400"), std::string(R"("\uD83D\uDE00")")}) {
    auto parsed = kneecheck::parse_json(text);
    REQUIRE(parsed.ok());
    check_same(*parsed, json::parse(text));
  }
}

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
