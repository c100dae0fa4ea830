// JSON's grammar of numbers, for the parsers that read JSON text themselves
// (json_fast_parse.cpp, Data::parse_flat_object). Not part of the interface.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kneecheck::detail {

struct JsonNumber {
  std::string_view text;          // the number as written
  bool negative = false;
  bool integral = true;           // no fraction, no exponent
  std::size_t integer_digits = 0;  // before any fraction
};

// The number that starts at `at` in `text`, moving `at` past it; nullopt
// when none does.
inline std::optional<JsonNumber> scan_json_number(std::string_view text, std::size_t& at) {
  const std::size_t start = at;
  auto consume = [&](char c) {
    if (at == text.size() || text[at] != c) return false;
    ++at;
    return true;
  };
  auto digits = [&] {
    const std::size_t first = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    return at > first;
  };
  JsonNumber number;
  number.negative = consume('-');
  const std::size_t first_digit = at;
  if (!consume('0') && !digits()) return std::nullopt;
  number.integer_digits = at - first_digit;
  if (consume('.')) {
    number.integral = false;
    if (!digits()) return std::nullopt;
  }
  if (consume('e') || consume('E')) {
    number.integral = false;
    if (!consume('+')) consume('-');
    if (!digits()) return std::nullopt;
  }
  number.text = text.substr(start, at - start);
  return number;
}

}  // namespace kneecheck::detail
