#include "base/json_fast_parse.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/json_number.hpp"

namespace kneecheck {

namespace {

using nlohmann::json;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A byte a string holds as it is: not its end, not an escape, not a control
// character (which JSON forbids unescaped).
bool is_plain(char c) { return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\'; }

// What the bytes of a string up to the next quote hold.
struct StringBytes {
  bool plain;         // no escape, no control character
  bool beyond_ascii;  // bytes to check as UTF-8
};

// Strings are most of a rule file: one pass without an early exit, which the
// compiler vectorises.
StringBytes classify(std::string_view bytes) {
  unsigned char special = 0;
  unsigned char seen = 0;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    special |= static_cast<unsigned char>(byte < 0x20 || byte == '\\');
    seen |= byte;
  }
  return {special == 0, (seen & 0x80) != 0};
}

bool is_high_surrogate(std::uint32_t code) { return code >= 0xD800 && code <= 0xDBFF; }

bool is_low_surrogate(std::uint32_t code) { return code >= 0xDC00 && code <= 0xDFFF; }

void append_utf8(std::string& out, std::uint32_t code) {
  auto byte = [&out](std::uint32_t bits) { out += static_cast<char>(bits); };
  if (code < 0x80) {
    byte(code);
  } else if (code < 0x800) {
    byte(0xC0 | (code >> 6));
    byte(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    byte(0xE0 | (code >> 12));
    byte(0x80 | ((code >> 6) & 0x3F));
    byte(0x80 | (code & 0x3F));
  } else {
    byte(0xF0 | (code >> 18));
    byte(0x80 | ((code >> 12) & 0x3F));
    byte(0x80 | ((code >> 6) & 0x3F));
    byte(0x80 | (code & 0x3F));
  }
}

// An integer that fits `Number` (uint64 when positive, int64 when negative)
// is one, as nlohmann has it; false when it does not fit.
template <typename Number>
bool store_integer(const char* first, const char* last, json& slot) {
  Number number{};
  const auto result = std::from_chars(first, last, number);
  if (result.ec != std::errc{} || result.ptr != last) return false;
  slot = number;
  return true;
}

// Correctly rounded, like nlohmann's strtod. Out of range (1e400, 1e-400) is
// left to nlohmann: it rejects the one and rounds the other to zero.
bool store_float(const char* first, const char* last, json& slot) {
  double number = 0;
  const auto result = std::from_chars(first, last, number);
  if (result.ec != std::errc{} || result.ptr != last || !std::isfinite(number)) return false;
  slot = number;
  return true;
}

// Reads one document front to back, building it as it goes. The containers
// still open are a stack of pointers into the document, not the call stack,
// so no input can make it recurse.
class FastParser {
 public:
  explicit FastParser(std::string_view text) : text_(text) {}

  std::optional<json> parse() {
    json root;
    if (!read_value(root)) return std::nullopt;
    while (!open_.empty()) {
      json* slot = open_.back()->is_object() ? member_slot() : element_slot();
      if (slot == nullptr) return std::nullopt;
      const std::size_t depth = open_.size();
      if (!read_value(*slot)) return std::nullopt;
      // A container just opened is filled before anything follows it.
      if (open_.size() == depth && !after_value()) return std::nullopt;
    }
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return root;
  }

 private:
  // A key and its colon; the slot is the key's, so a later duplicate
  // overwrites an earlier one.
  json* member_slot() {
    skip_space();
    std::string key;
    if (!consume('"') || !read_string(key)) return nullptr;
    skip_space();
    if (!consume(':')) return nullptr;
    return &open_.back()->get_ref<json::object_t&>()[std::move(key)];
  }

  json* element_slot() { return &open_.back()->get_ref<json::array_t&>().emplace_back(); }

  // After a value in a container: a comma before the next value, or the
  // closing bracket, after which the container is a finished value of the
  // one around it.
  bool after_value() {
    while (!open_.empty()) {
      skip_space();
      if (consume(',')) return true;
      if (!consume(open_.back()->is_object() ? '}' : ']')) return false;
      open_.pop_back();
    }
    return true;
  }

  bool read_value(json& slot) {
    skip_space();
    if (at_ == text_.size()) return false;
    switch (text_[at_]) {
      case '{':
        ++at_;
        slot = json::object();
        return open(slot, '}');
      case '[':
        ++at_;
        slot = json::array();
        return open(slot, ']');
      case '"': {
        ++at_;
        std::string text;
        if (!read_string(text)) return false;
        slot = std::move(text);
        return true;
      }
      case 't':
        return read_literal("true", true, slot);
      case 'f':
        return read_literal("false", false, slot);
      case 'n':
        return read_literal("null", nullptr, slot);
      default:
        return read_number(slot);
    }
  }

  // An empty container is whole at once; any other stays open to be filled.
  bool open(json& container, char close) {
    if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) return false;
    skip_space();
    if (consume(close)) return true;
    open_.push_back(&container);
    return true;
  }

  bool read_literal(std::string_view word, json value, json& slot) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    slot = std::move(value);
    return true;
  }

  // JSON's grammar of numbers, then nlohmann's choice of type: without a
  // fraction or an exponent, an integer when it fits 64 bits, else a double.
  bool read_number(json& slot) {
    const auto number = detail::scan_json_number(text_, at_);
    if (!number) return false;
    const char* first = number->text.data();
    const char* last = first + number->text.size();
    if (number->integral) {
      bool stored = number->negative ? store_integer<json::number_integer_t>(first, last, slot)
                                     : store_integer<json::number_unsigned_t>(first, last, slot);
      if (stored) return true;
    }
    return store_float(first, last, slot);
  }

  // The rest of a string after its opening quote. Most strings hold no
  // escape: then the next quote ends them, and they are copied at once.
  bool read_string(std::string& out) {
    const std::size_t quote = text_.find('"', at_);
    if (quote == std::string_view::npos) return false;
    const std::string_view bytes = text_.substr(at_, quote - at_);
    const StringBytes kind = classify(bytes);
    if (!kind.plain) return read_escaped_string(out);
    if (kind.beyond_ascii && invalid_utf8_at(bytes)) return false;
    out.assign(bytes);
    at_ = quote + 1;
    return true;
  }

  // A string with escapes (or a control character, which declines), decoded.
  bool read_escaped_string(std::string& out) {
    const std::size_t start = at_;
    while (true) {
      const std::size_t run = at_;
      while (at_ < text_.size() && is_plain(text_[at_])) ++at_;
      out.append(text_, run, at_ - run);
      if (at_ == text_.size()) return false;
      const char c = text_[at_++];
      if (c == '"') break;
      if (c != '\\' || !read_escape(out)) return false;
    }
    // Bytes beyond ASCII are copied as they are: they must be UTF-8.
    return !invalid_utf8_at(text_.substr(start, at_ - 1 - start));
  }

  // The escape after a backslash.
  bool read_escape(std::string& out) {
    if (at_ == text_.size()) return false;
    const char c = text_[at_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out += c;
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        return read_unicode_escape(out);
      default:
        return false;
    }
  }

  // \uXXXX, or two of them for a surrogate pair; a surrogate without its
  // other half is an error to nlohmann, and left to it.
  bool read_unicode_escape(std::string& out) {
    std::uint32_t code = 0;
    if (!read_hex4(code) || is_low_surrogate(code)) return false;
    if (is_high_surrogate(code)) {
      std::uint32_t low = 0;
      if (!consume('\\') || !consume('u') || !read_hex4(low) || !is_low_surrogate(low)) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, code);
    return true;
  }

  bool read_hex4(std::uint32_t& code) {
    if (text_.size() - at_ < 4) return false;
    const char* first = text_.data() + at_;
    const auto result = std::from_chars(first, first + 4, code, 16);
    at_ += 4;
    return result.ec == std::errc{} && result.ptr == first + 4;
  }

  bool consume(char c) {
    if (at_ == text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }

  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::vector<json*> open_;  // the containers being filled, innermost last
};

}  // namespace

std::optional<json> fast_parse_json(std::string_view text) { return FastParser(text).parse(); }

}  // namespace kneecheck
