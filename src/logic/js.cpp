// JavaScript's conversions, as JsonLogic (json-logic-js) inherits them:
// Number(string), Number.prototype.toString() and UTF-16 string positions
// and ordering. Pure functions of strings and doubles.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "logic/internal.hpp"

namespace kneecheck::logic::detail {

// --- UTF-8 -----------------------------------------------------------------

// Decodes the code point starting at `i` and advances past it. A byte that does
// not start a valid sequence decodes as itself, so no input is rejected.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07u;
  } else {
    ++i;
    return lead;
  }
  if (i + length > s.size()) {
    ++i;
    return lead;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(s[i + k]);
    if ((byte & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    cp = (cp << 6) | (byte & 0x3Fu);
  }
  i += length;
  return cp;
}

bool is_ascii(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

namespace {

// Length of a code point in UTF-16 code units, the unit JavaScript counts in.
std::size_t utf16_units(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// JavaScript's WhiteSpace and LineTerminator, which Number() trims.
bool is_js_space(char32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string_view trim_js_space(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!is_js_space(next_code_point(s, next))) break;
    begin = next;
  }
  std::size_t end = s.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t next = start;
    if (!is_js_space(next_code_point(s, next)) || next != end) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

// JavaScript compares strings by UTF-16 code units. That is code point order
// except that U+E000..U+FFFF sort after the supplementary planes, whose
// surrogates start at 0xD800.
char32_t utf16_order_key(char32_t cp) { return cp >= 0xE000 && cp <= 0xFFFF ? cp + 0x200000 : cp; }

}  // namespace

int compare_utf16(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    // ASCII bytes compare as themselves.
    const auto x8 = static_cast<unsigned char>(a[i]);
    const auto y8 = static_cast<unsigned char>(b[j]);
    if (x8 < 0x80 && y8 < 0x80) {
      if (x8 != y8) return x8 < y8 ? -1 : 1;
      ++i;
      ++j;
      continue;
    }
    const char32_t x = utf16_order_key(next_code_point(a, i));
    const char32_t y = utf16_order_key(next_code_point(b, j));
    if (x != y) return x < y ? -1 : 1;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

// --- ToNumber ----------------------------------------------------------------

namespace {

double parse_radix(std::string_view digits, int radix) {
  if (digits.empty()) return std::nan("");
  double value = 0;
  for (char ch : digits) {
    int digit = radix;
    if (ch >= '0' && ch <= '9') digit = ch - '0';
    else if (ch >= 'a' && ch <= 'z') digit = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'Z') digit = ch - 'A' + 10;
    if (digit >= radix) return std::nan("");
    value = value * radix + digit;
  }
  return value;
}

// Checks JavaScript's StrUnsignedDecimalLiteral without "Infinity" and
// estimates the decimal exponent, which decides overflow versus underflow.
bool is_decimal_literal(std::string_view s, long& magnitude) {
  std::size_t i = 0;
  std::size_t int_digits = 0;
  std::size_t frac_digits = 0;
  long first_significant = 0;
  bool seen_significant = false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (!seen_significant && s[i] != '0') {
      seen_significant = true;
      first_significant = static_cast<long>(int_digits);
    }
    ++int_digits;
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (!seen_significant && s[i] != '0') {
        seen_significant = true;
        first_significant = static_cast<long>(int_digits) + static_cast<long>(frac_digits);
      }
      ++frac_digits;
      ++i;
    }
  }
  if (int_digits + frac_digits == 0) return false;
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.size()) return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      exponent = std::min(exponent * 10 + (s[i] - '0'), 100000L);
      ++i;
    }
    if (negative) exponent = -exponent;
  }
  magnitude = static_cast<long>(int_digits) - first_significant - 1 + exponent;
  return i == s.size();
}

}  // namespace

double parse_js_number(std::string_view text) {
  // Fast path: a plain non-negative integer of up to 15 digits.
  if (!text.empty() && text.size() <= 15) {
    double value = 0;
    bool plain = true;
    for (char ch : text) {
      if (ch < '0' || ch > '9') {
        plain = false;
        break;
      }
      value = value * 10 + (ch - '0');
    }
    if (plain && (text.size() == 1 || text[0] != '0')) return value;
  }
  std::string_view s = trim_js_space(text);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    switch (s[1]) {
      case 'x': case 'X': return parse_radix(s.substr(2), 16);
      case 'o': case 'O': return parse_radix(s.substr(2), 8);
      case 'b': case 'B': return parse_radix(s.substr(2), 2);
      default: break;
    }
  }
  double sign = 1;
  if (s[0] == '+' || s[0] == '-') {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (s == "Infinity") return sign * std::numeric_limits<double>::infinity();
  long magnitude = 0;
  if (!is_decimal_literal(s, magnitude)) return std::nan("");
  double value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error == std::errc::result_out_of_range) {
    value = magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (error != std::errc() || end != s.data() + s.size()) {
    return std::nan("");
  }
  return sign * value;
}

// --- ToString ----------------------------------------------------------------

// Shortest round-trip digits, laid out the way JavaScript lays them out
// (plain up to 21 digits, exponent beyond).
std::size_t format_js_number(double d, char (&out)[kNumberBuffer]) {
  std::size_t n_out = 0;
  const auto put = [&](std::string_view s) {
    for (char ch : s) out[n_out++] = ch;
  };
  if (std::isnan(d)) {
    put("NaN");
    return n_out;
  }
  if (d == 0) {
    put("0");
    return n_out;
  }
  if (std::isinf(d)) {
    put(d > 0 ? "Infinity" : "-Infinity");
    return n_out;
  }
  // Whole numbers within 2^53 print as integers.
  if (std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger) {
    const auto result = std::to_chars(out, out + kNumberBuffer, static_cast<std::int64_t>(d));
    return static_cast<std::size_t>(result.ptr - out);
  }
  if (d < 0) put("-");
  char buffer[kNumberBuffer];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(d), std::chars_format::scientific);
  const std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e_pos = sci.find('e');
  char digits[kNumberBuffer];
  int k = 0;
  for (char ch : sci.substr(0, e_pos)) {
    if (ch != '.') digits[k++] = ch;
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const std::string_view all(digits, static_cast<std::size_t>(k));
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    put(all);
    for (int i = k; i < n; ++i) put("0");
  } else if (0 < n && n <= 21) {
    put(all.substr(0, static_cast<std::size_t>(n)));
    put(".");
    put(all.substr(static_cast<std::size_t>(n)));
  } else if (-6 < n && n <= 0) {
    put("0.");
    for (int i = 0; i < -n; ++i) put("0");
    put(all);
  } else {
    put(all.substr(0, 1));
    if (k > 1) {
      put(".");
      put(all.substr(1));
    }
    put(n - 1 >= 0 ? "e+" : "e-");
    char exp_digits[8];
    const auto e = std::to_chars(exp_digits, exp_digits + sizeof exp_digits, std::abs(n - 1));
    put(std::string_view(exp_digits, static_cast<std::size_t>(e.ptr - exp_digits)));
  }
  return n_out;
}

// --- UTF-16 positions ----------------------------------------------------------

double utf16_length(std::string_view s) {
  if (is_ascii(s)) return static_cast<double>(s.size());
  double units = 0;
  for (std::size_t i = 0; i < s.size();) units += static_cast<double>(utf16_units(next_code_point(s, i)));
  return units;
}

void append_utf16_slice(StringBuilder& out, std::string_view s, double begin, double end) {
  if (is_ascii(s)) {
    out.append(s.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
    return;
  }
  double unit = 0;
  std::size_t i = 0;
  while (i < s.size() && unit < end) {
    const std::size_t start = i;
    const std::size_t width = utf16_units(next_code_point(s, i));
    const double last = unit + static_cast<double>(width);
    if (unit >= begin && last <= end) {
      out.append(s.substr(start, i - start));
    } else if (last > begin && unit < end) {
      out.append("\xEF\xBF\xBD");
    }
    unit = last;
  }
}

}  // namespace kneecheck::logic::detail
