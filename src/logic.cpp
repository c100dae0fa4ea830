// JsonLogic, compiled once into a tree of nodes and evaluated many times.
//
// Semantics are json-logic-js 2.x (jsonlogic.com/tests.json is the gate).
// Where the reference is silent, or would produce NaN or Infinity (which JSON
// cannot hold), behaviour follows the community compat-tables suites:
//   - NaN arithmetic, comparisons of arrays or objects, a number compared with
//     a non-numeric string, and bad argument lists found at run time are
//     errors. `try` can catch them; otherwise `evaluate` returns null.
//   - Variadic forms: `-` `/` `%` `<` `>` ... take any number of arguments, and
//     `{"max": {"var": "list"}}` uses the list as the arguments.
//   - The community extensions val, exists, ??, try, throw and preserve.
// The few cases where we knowingly differ from compat-tables are listed, with
// reasons, in tests/jsonlogic_conformance.cpp.
//
// Untrusted rules cannot exhaust the stack (compile and evaluation recurse
// only as deep as the rule, which the depth limit bounds) nor run away (a work
// budget per evaluation). Data may be nested arbitrarily deep: it is copied
// and stringified without recursion.
//
// Layout of this file:
//   1. JavaScript conversions (ToNumber, ToString, truthiness, clone)
//   2. Evaluation machinery (values, scopes, errors, the work budget)
//   3. Operations, one function each, grouped as in the operation table
//   4. The operation table
//   5. The compiler
//   6. Expression

#include "kneecheck/logic.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace kneecheck::logic {

using nlohmann::json;

namespace {

// ===========================================================================
// 1. JavaScript conversions
// ===========================================================================

// Largest integer a double holds exactly (2^53): integral results up to it are
// stored as JSON integers so they print as `3`, not `3.0`.
constexpr double kMaxSafeInteger = 9007199254740992.0;

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

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

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

int compare_utf16(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const char32_t x = utf16_order_key(next_code_point(a, i));
    const char32_t y = utf16_order_key(next_code_point(b, j));
    if (x != y) return x < y ? -1 : 1;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

// --- ToNumber ----------------------------------------------------------------

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

// Number(string) in JavaScript: NaN when the string is not a numeric literal.
double parse_js_number(std::string_view text) {
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

// Number.prototype.toString(): shortest round-trip digits, laid out the way
// JavaScript lays them out (plain up to 21 digits, exponent beyond).
std::string js_number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (d == 0) return "0";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  std::string out = d < 0 ? "-" : "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(d), std::chars_format::scientific);
  const std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char ch : sci.substr(0, e_pos)) {
    if (ch != '.') digits += ch;
  }
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

void append_js_primitive(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::null: out += "null"; break;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case json::value_t::number_integer: {
      const auto i = v.get<std::int64_t>();
      out += std::fabs(static_cast<double>(i)) <= kMaxSafeInteger ? std::to_string(i)
                                                                  : js_number_to_string(static_cast<double>(i));
      break;
    }
    case json::value_t::number_unsigned: {
      const auto u = v.get<std::uint64_t>();
      out += static_cast<double>(u) <= kMaxSafeInteger ? std::to_string(u) : js_number_to_string(static_cast<double>(u));
      break;
    }
    case json::value_t::number_float: out += js_number_to_string(v.get<double>()); break;
    case json::value_t::string: out += v.get_ref<const std::string&>(); break;
    default: out += "[object Object]"; break;
  }
}

// String(v). Arrays join their elements with "," (null as ""), recursively;
// done with an explicit stack because data may be nested arbitrarily deep.
void append_js_string(std::string& out, const json& v) {
  if (!v.is_array()) {
    append_js_primitive(out, v);
    return;
  }
  std::vector<std::pair<const json*, std::size_t>> stack{{&v, 0}};
  while (!stack.empty()) {
    auto& [array, next] = stack.back();
    if (next == array->size()) {
      stack.pop_back();
      continue;
    }
    if (next > 0) out += ',';
    const json& item = (*array)[next++];
    if (item.is_array()) {
      stack.emplace_back(&item, 0);
    } else if (!item.is_null()) {
      append_js_primitive(out, item);
    }
  }
}

std::string js_string(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  std::string out;
  append_js_string(out, v);
  return out;
}

// Number(v) as JavaScript computes it; NaN where JavaScript gives NaN.
double js_number(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return 0;
    case json::value_t::boolean: return v.get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return v.get<double>();
    case json::value_t::string: return parse_js_number(v.get_ref<const std::string&>());
    case json::value_t::array: return parse_js_number(js_string(v));
    default: return std::nan("");
  }
}

// ToIntegerOrInfinity, as String.prototype.substr applies to its arguments.
double js_integer(double d) { return std::isnan(d) ? 0 : std::trunc(d); }

// --- clone -------------------------------------------------------------------

// A deep copy that does not recurse: nlohmann's copy constructor does, and
// data (unlike rules) has no depth limit.
json clone(const json& source) {
  if (!source.is_structured()) return source;
  const auto shell = [](const json& v) -> json {
    if (v.is_array()) return json::array();
    if (v.is_object()) return json::object();
    return v;
  };
  json root = shell(source);
  std::vector<std::pair<const json*, json*>> todo{{&source, &root}};
  while (!todo.empty()) {
    const auto [from, to] = todo.back();
    todo.pop_back();
    if (from->is_array()) {
      auto& items = to->get_ref<json::array_t&>();
      items.reserve(from->size());  // no reallocation below, so pointers stay valid
      for (const json& item : *from) {
        items.push_back(shell(item));
        if (item.is_structured()) todo.emplace_back(&item, &items.back());
      }
    } else {
      auto& members = to->get_ref<json::object_t&>();
      for (auto it = from->begin(); it != from->end(); ++it) {
        auto [slot, inserted] = members.emplace(it.key(), shell(it.value()));
        if (inserted && it.value().is_structured()) todo.emplace_back(&it.value(), &slot->second);
      }
    }
  }
  return root;
}

// Depth of nesting, or `limit + 1` if deeper: guards recursive nlohmann calls.
std::size_t depth_up_to(const json& v, std::size_t limit) {
  std::size_t deepest = 0;
  std::vector<std::pair<const json*, std::size_t>> todo{{&v, 1}};
  while (!todo.empty()) {
    const auto [value, depth] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, depth);
    if (deepest > limit) return deepest;
    if (value->is_structured()) {
      for (const json& child : *value) todo.emplace_back(&child, depth + 1);
    }
  }
  return deepest;
}

}  // namespace

// --- truthiness (public) -----------------------------------------------------

bool truthy(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return false;
    case json::value_t::boolean: return value.get<bool>();
    case json::value_t::number_integer: return value.get<std::int64_t>() != 0;
    case json::value_t::number_unsigned: return value.get<std::uint64_t>() != 0;
    case json::value_t::number_float: {
      const double d = value.get<double>();
      return d != 0 && !std::isnan(d);
    }
    case json::value_t::string: return !value.get_ref<const std::string&>().empty();
    case json::value_t::array: return !value.empty();
    default: return true;  // objects, even {}, as in JavaScript
  }
}

namespace {

// ===========================================================================
// 2. Evaluation machinery
// ===========================================================================

// An error raised during evaluation. `try` catches it; `evaluate` turns it into
// null. The payload is an object with a "type" ("NaN", "Invalid Arguments", or
// whatever `throw` threw).
struct Raised {
  json error;
};

constexpr std::string_view kNaN = "NaN";
constexpr std::string_view kInvalidArguments = "Invalid Arguments";
constexpr std::string_view kLimitExceeded = "Limit Exceeded";

// {"type": type}, built without nlohmann's initializer lists, which copy
// recursively (the type may come from data).
json error_object(json type) {
  json error = json::object();
  error["type"] = std::move(type);
  return error;
}

[[noreturn]] void raise(std::string_view type) { throw Raised{error_object(std::string(type))}; }

// Work allowed for one evaluation, in elements visited or produced. It stops
// rules such as a reduce that doubles its accumulator from running away; real
// rules use a tiny fraction of it.
constexpr std::size_t kWorkBudget = 10'000'000;

// The result of evaluating a node: a reference to a value that outlives the
// step (the data, a literal in the tree) or a value the step computed.
class Value {
 public:
  Value() = default;
  Value(json owned) : owned_(std::move(owned)) {}  // NOLINT: implicit by design
  static Value ref(const json& value) {
    Value v;
    v.ref_ = &value;
    return v;
  }

  const json& get() const { return ref_ != nullptr ? *ref_ : owned_; }
  bool is_ref() const { return ref_ != nullptr; }
  json take() && { return ref_ != nullptr ? clone(*ref_) : std::move(owned_); }

 private:
  const json* ref_ = nullptr;
  json owned_;
};

const json& constant_null() {
  static const json value;
  return value;
}

Value null_value() { return Value::ref(constant_null()); }

Value boolean(bool b) {
  static const json yes = true;
  static const json no = false;
  return Value::ref(b ? yes : no);
}

// A finite double as a JSON number: integral values become integers. JSON has
// no NaN or Infinity, so those are errors.
Value number(double d) {
  if (!std::isfinite(d)) raise(kNaN);
  if (std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger) return Value(json(static_cast<std::int64_t>(d)));
  return Value(json(d));
}

// One step of a path: an object key, which is also an array index when it is
// a canonical one ("0", "12"; not "01").
struct Segment {
  std::string key;
  std::size_t index = 0;
  bool is_index = false;
};
using Path = std::vector<Segment>;

Segment key_segment(std::string key) {
  Segment s;
  const bool canonical = !key.empty() && key.size() <= 10 && (key == "0" || key[0] != '0') &&
                         std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (canonical) {
    s.index = std::stoull(key);
    s.is_index = s.index < 4294967295ULL;  // JavaScript's largest array index + 1
  }
  s.key = std::move(key);
  return s;
}

// A `val` / `exists` path element: numbers index arrays directly.
Segment value_segment(const json& v) {
  if (v.is_number()) {
    const double d = v.get<double>();
    Segment s;
    s.key = js_string(v);
    if (d >= 0 && d < 4294967295.0 && std::trunc(d) == d) {
      s.index = static_cast<std::size_t>(d);
      s.is_index = true;
    }
    return s;
  }
  return key_segment(js_string(v));
}

// `var`'s dotted path: "a.b.0". Empty means the whole data.
Path split_dotted(std::string_view dotted) {
  Path path;
  if (dotted.empty()) return path;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    path.push_back(key_segment(std::string(dotted.substr(start, dot - start))));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return path;
}

Path var_path(const json& v) { return v.is_null() ? Path{} : split_dotted(js_string(v)); }

std::string join_path(const Path& path) {
  std::string out;
  for (const Segment& s : path) {
    if (!out.empty()) out += '.';
    out += s.key;
  }
  return out;
}

const json* step(const json& v, const Segment& s) {
  if (v.is_object()) {
    const auto it = v.find(s.key);
    return it == v.end() ? nullptr : &*it;
  }
  if (v.is_array() && s.is_index && s.index < v.size()) return &v[s.index];
  return nullptr;
}

}  // namespace

// The compiled form of one JSON value of the rule.
struct Node;

namespace {

struct Context;
using EvalFn = Value (*)(const Node&, Context&);

Value eval_literal(const Node& n, Context& c);

}  // namespace

struct Node {
  EvalFn eval = eval_literal;
  json literal;             // value of a literal node
  std::vector<Node> args;   // compiled arguments / array elements
  Path path;                // var / val / exists: path resolved at compile time
  bool has_path = false;    // `path` (and `climb`) are valid
  std::size_t climb = 0;    // val: scope levels to climb ([[n], ...])
  bool spread = false;      // one operation argument whose array result is the argument list
  std::size_t weight = 1;   // nodes in this subtree: the cost of one evaluation
  bool is_literal() const { return eval == eval_literal; }
};

namespace {

// What `var` reads. map, filter, all, some and none read the current element,
// reduce reads {"current", "accumulator"} (without building that object), and
// a `try` fallback reads {"type": error}. `val` can climb to enclosing scopes:
// one level up is the iteration ({"index": i}), two levels up the enclosing
// data, and so on.
struct Scope {
  const json* data = nullptr;  // null for reduce, see current/accumulator
  const Scope* parent = nullptr;
  bool iteration = false;
  std::size_t index = 0;
  const json* current = nullptr;
  const json* accumulator = nullptr;
};

struct Context {
  const Scope* scope;
  std::size_t budget;
};

// Makes `scope` current for the guard's lifetime, including on errors.
class ScopeGuard {
 public:
  ScopeGuard(Context& c, Scope& scope) : context_(c), saved_(c.scope) {
    scope.parent = saved_;
    c.scope = &scope;
  }
  ~ScopeGuard() { context_.scope = saved_; }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  Context& context_;
  const Scope* saved_;
};

void charge(Context& c, std::size_t units) {
  if (units > c.budget) raise(kLimitExceeded);
  c.budget -= units;
}

Value eval(const Node& n, Context& c) { return n.eval(n, c); }

Value eval_literal(const Node& n, Context&) { return Value::ref(n.literal); }

// The evaluated argument list of a variadic operation: the compiled arguments,
// or, for `{"max": {"var": "list"}}`, the elements of the single argument's
// array result.
class Operands {
 public:
  Operands(const Node& n, Context& c) : node_(n), context_(c) {
    if (n.spread) {
      spread_ = eval(n.args[0], c);
      if (spread_.get().is_array()) list_ = &spread_.get();
    }
  }
  Operands(const Operands&) = delete;
  Operands& operator=(const Operands&) = delete;

  std::size_t size() const {
    if (!node_.spread) return node_.args.size();
    return list_ != nullptr ? list_->size() : 1;
  }
  Value operator[](std::size_t i) const {
    if (!node_.spread) return eval(node_.args[i], context_);
    return Value::ref(list_ != nullptr ? (*list_)[i] : spread_.get());
  }

 private:
  const Node& node_;
  Context& context_;
  Value spread_;
  const json* list_ = nullptr;
};

// --- reading data --------------------------------------------------------------

std::optional<Value> descend(Value base, Path::const_iterator first, Path::const_iterator last) {
  const json* at = &base.get();
  for (; first != last; ++first) {
    at = step(*at, *first);
    if (at == nullptr) return std::nullopt;
  }
  if (base.is_ref()) return Value::ref(*at);
  if (at == &base.get()) return base;
  return Value(clone(*at));
}

std::optional<Value> lookup_reduce(const Scope& s, const Path& path) {
  if (path.empty()) {
    json both = json::object();
    both["accumulator"] = clone(*s.accumulator);
    both["current"] = clone(*s.current);
    return Value(std::move(both));
  }
  const json* base = nullptr;
  if (path[0].key == "current") base = s.current;
  if (path[0].key == "accumulator") base = s.accumulator;
  if (base == nullptr) return std::nullopt;
  return descend(Value::ref(*base), path.begin() + 1, path.end());
}

// The value at `path`, `climb` scope levels up; nullopt when it is absent
// (a present null is found).
std::optional<Value> lookup(const Scope& scope, std::size_t climb, const Path& path) {
  const Scope* s = &scope;
  for (; climb >= 2; climb -= 2) {
    s = s->parent;
    if (s == nullptr) return std::nullopt;
  }
  if (climb == 1) {
    json meta = s->iteration ? json{{"index", s->index}} : json();
    return descend(Value(std::move(meta)), path.begin(), path.end());
  }
  if (s->data == nullptr) return lookup_reduce(*s, path);
  return descend(Value::ref(*s->data), path.begin(), path.end());
}

// ===========================================================================
// 3. Operations
// ===========================================================================

// --- comparisons ---------------------------------------------------------------

// A number for arithmetic and ordering: null, booleans and numeric strings
// convert as in JavaScript; NaN, arrays and objects are errors.
double operand_number(const json& v) {
  if (v.is_structured()) raise(kNaN);
  const double d = js_number(v);
  if (std::isnan(d)) raise(kNaN);
  return d;
}

// JavaScript's ==: null equals only null; booleans and strings meet numbers as
// numbers. Comparing arrays or objects, or a number with a non-numeric string,
// is an error rather than a silent false.
bool loose_equal(const json& a, const json& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_structured() || b.is_structured()) raise(kNaN);
  if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  return operand_number(a) == operand_number(b);
}

// JavaScript's ===: arrays and objects are never equal (they would have to be
// the same object).
bool strict_equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::null: return true;
    case json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case json::value_t::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    default: return false;
  }
}

// a < b as JavaScript orders them: two strings by code units, anything else
// as numbers.
bool less(const json& a, const json& b) {
  if (a.is_string() && b.is_string()) {
    return compare_utf16(a.get_ref<const std::string&>(), b.get_ref<const std::string&>()) < 0;
  }
  return operand_number(a) < operand_number(b);
}

bool loose_not_equal(const json& a, const json& b) { return !loose_equal(a, b); }
bool strict_not_equal(const json& a, const json& b) { return !strict_equal(a, b); }
bool less_than(const json& a, const json& b) { return less(a, b); }
bool less_equal(const json& a, const json& b) { return !less(b, a); }
bool greater_than(const json& a, const json& b) { return less(b, a); }
bool greater_equal(const json& a, const json& b) { return !less(a, b); }

// Every adjacent pair must pass; later arguments are not evaluated once one
// fails, so {"<": [1, {"var": "x"}, 10]} is a "between".
template <bool (*Test)(const json&, const json&)>
Value eval_chain(const Node& n, Context& c) {
  Value previous = eval(n.args[0], c);
  for (std::size_t i = 1; i < n.args.size(); ++i) {
    Value current = eval(n.args[i], c);
    if (!Test(previous.get(), current.get())) return boolean(false);
    previous = std::move(current);
  }
  return boolean(true);
}

// --- logic -------------------------------------------------------------------

// if / ?: — condition, then, [condition, then, ...] [else].
Value eval_if(const Node& n, Context& c) {
  std::size_t i = 0;
  for (; i + 1 < n.args.size(); i += 2) {
    if (truthy(eval(n.args[i], c).get())) return eval(n.args[i + 1], c);
  }
  if (i < n.args.size()) return eval(n.args[i], c);
  return null_value();
}

// and / or return the deciding value itself, not a boolean.
Value eval_and(const Node& n, Context& c) {
  Value last = boolean(false);
  for (const Node& arg : n.args) {
    last = eval(arg, c);
    if (!truthy(last.get())) break;
  }
  return last;
}

Value eval_or(const Node& n, Context& c) {
  Value last = boolean(false);
  for (const Node& arg : n.args) {
    last = eval(arg, c);
    if (truthy(last.get())) break;
  }
  return last;
}

Value eval_coalesce(const Node& n, Context& c) {
  for (const Node& arg : n.args) {
    Value v = eval(arg, c);
    if (!v.get().is_null()) return v;
  }
  return null_value();
}

Value eval_not(const Node& n, Context& c) { return boolean(n.args.empty() || !truthy(eval(n.args[0], c).get())); }

Value eval_truthy(const Node& n, Context& c) { return boolean(!n.args.empty() && truthy(eval(n.args[0], c).get())); }

// --- arithmetic ----------------------------------------------------------------

Value eval_add(const Node& n, Context& c) {
  Operands ops(n, c);
  double sum = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) sum += operand_number(ops[i].get());
  return number(sum);
}

Value eval_multiply(const Node& n, Context& c) {
  Operands ops(n, c);
  double product = 1;
  for (std::size_t i = 0; i < ops.size(); ++i) product *= operand_number(ops[i].get());
  return number(product);
}

// One operand negates; more subtract the rest from the first.
Value eval_subtract(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);
  double result = operand_number(ops[0].get());
  if (ops.size() == 1) return number(-result);
  for (std::size_t i = 1; i < ops.size(); ++i) result -= operand_number(ops[i].get());
  return number(result);
}

double divisor(const json& v) {
  const double d = operand_number(v);
  if (d == 0) raise(kNaN);  // JavaScript gives Infinity or NaN: neither is JSON
  return d;
}

// One operand is a reciprocal; more divide the first by the rest.
Value eval_divide(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);
  if (ops.size() == 1) return number(1 / divisor(ops[0].get()));
  double result = operand_number(ops[0].get());
  for (std::size_t i = 1; i < ops.size(); ++i) result /= divisor(ops[i].get());
  return number(result);
}

// JavaScript's %: the result has the dividend's sign (fmod).
Value eval_modulo(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() < 2) raise(kInvalidArguments);
  double result = operand_number(ops[0].get());
  for (std::size_t i = 1; i < ops.size(); ++i) result = std::fmod(result, divisor(ops[i].get()));
  return number(result);
}

template <bool Max>
Value eval_extremum(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);  // JavaScript gives ±Infinity
  double best = operand_number(ops[0].get());
  for (std::size_t i = 1; i < ops.size(); ++i) {
    const double d = operand_number(ops[i].get());
    best = Max ? std::max(best, d) : std::min(best, d);
  }
  return number(best);
}

// --- strings -------------------------------------------------------------------

Value eval_cat(const Node& n, Context& c) {
  Operands ops(n, c);
  std::string out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Value v = ops[i];
    if (!v.get().is_null()) append_js_string(out, v.get());
  }
  charge(c, out.size() / 8);
  return Value(json(std::move(out)));
}

// The UTF-16 code units [begin, end) of `s`, as JavaScript slices strings. A
// surrogate pair cut in half becomes U+FFFD, since UTF-8 cannot hold half.
std::string utf16_slice(const std::string& s, double begin, double end) {
  if (is_ascii(s)) {
    return s.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  }
  std::string out;
  double unit = 0;
  std::size_t i = 0;
  while (i < s.size() && unit < end) {
    const std::size_t start = i;
    const std::size_t width = utf16_units(next_code_point(s, i));
    const double last = unit + static_cast<double>(width);
    if (unit >= begin && last <= end) {
      out.append(s, start, i - start);
    } else if (last > begin && unit < end) {
      out += "\xEF\xBF\xBD";
    }
    unit = last;
  }
  return out;
}

double utf16_length(const std::string& s) {
  if (is_ascii(s)) return static_cast<double>(s.size());
  double units = 0;
  for (std::size_t i = 0; i < s.size();) units += static_cast<double>(utf16_units(next_code_point(s, i)));
  return units;
}

// substr(string, start[, length]): negative start counts from the end; a
// negative length stops that many characters before the end (json-logic-js).
Value eval_substr(const Node& n, Context& c) {
  const std::string source = js_string(eval(n.args[0], c).get());
  const double length = utf16_length(source);
  double start = n.args.size() > 1 ? js_integer(js_number(eval(n.args[1], c).get())) : 0;
  start = start < 0 ? std::max(length + start, 0.0) : std::min(start, length);
  double end = length;
  if (n.args.size() > 2) {
    const double count = js_integer(js_number(eval(n.args[2], c).get()));
    end = count < 0 ? std::max(length + count, start) : std::min(start + count, length);
  }
  return Value(json(utf16_slice(source, start, end)));
}

// in: substring of a string, or element (===) of an array.
Value eval_in(const Node& n, Context& c) {
  const Value needle = eval(n.args[0], c);
  const Value haystack = eval(n.args[1], c);
  const json& h = haystack.get();
  if (h.is_string()) {
    const std::string& text = h.get_ref<const std::string&>();
    const json& n_value = needle.get();
    if (n_value.is_string()) return boolean(text.find(n_value.get_ref<const std::string&>()) != std::string::npos);
    return boolean(text.find(js_string(n_value)) != std::string::npos);
  }
  if (h.is_array()) {
    return boolean(std::any_of(h.begin(), h.end(), [&](const json& item) { return strict_equal(needle.get(), item); }));
  }
  return boolean(false);
}

// --- arrays --------------------------------------------------------------------

// merge: arrays are flattened one level, anything else is appended.
Value eval_merge(const Node& n, Context& c) {
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  for (const Node& arg : n.args) {
    Value v = eval(arg, c);
    if (v.get().is_array()) {
      charge(c, v.get().size());
      for (const json& item : v.get()) items.push_back(clone(item));
    } else {
      charge(c, 1);
      items.push_back(std::move(v).take());
    }
  }
  return Value(std::move(out));
}

// Runs `body` for each element of `list` with the element as the data; stops
// early when `body` returns false.
template <typename Body>
void for_each_element(const json& list, const Node& logic, Context& c, Body body) {
  Scope scope;
  scope.iteration = true;
  ScopeGuard guard(c, scope);
  for (std::size_t i = 0; i < list.size(); ++i) {
    charge(c, logic.weight);
    scope.data = &list[i];
    scope.index = i;
    if (!body(list[i], eval(logic, c))) break;
  }
}

Value eval_map(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  json out = json::array();
  if (!list.get().is_array()) return Value(std::move(out));
  auto& items = out.get_ref<json::array_t&>();
  items.reserve(list.get().size());
  for_each_element(list.get(), n.args[1], c, [&](const json&, Value result) {
    items.push_back(std::move(result).take());
    return true;
  });
  return Value(std::move(out));
}

Value eval_filter(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  json out = json::array();
  if (!list.get().is_array()) return Value(std::move(out));
  auto& items = out.get_ref<json::array_t&>();
  for_each_element(list.get(), n.args[1], c, [&](const json& item, const Value& keep) {
    if (truthy(keep.get())) items.push_back(clone(item));
    return true;
  });
  return Value(std::move(out));
}

Value eval_reduce(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  Value initial = n.args.size() > 2 ? eval(n.args[2], c) : null_value();
  if (!list.get().is_array()) return initial;
  json accumulator = std::move(initial).take();
  Scope scope;
  scope.iteration = true;
  scope.accumulator = &accumulator;
  ScopeGuard guard(c, scope);
  const json& items = list.get();
  for (std::size_t i = 0; i < items.size(); ++i) {
    charge(c, n.args[1].weight);
    scope.current = &items[i];
    scope.index = i;
    // take() copies before the assignment when the body returned the
    // accumulator itself.
    json next = eval(n.args[1], c).take();
    accumulator = std::move(next);
  }
  return Value(std::move(accumulator));
}

// all / some / none: unlike map and filter, a missing list is an error, as
// "none of nothing" is more likely a wrong path than a true statement.
const json& required_list(const Value& list) {
  if (!list.get().is_array()) raise(kInvalidArguments);
  return list.get();
}

// Whether any element makes `logic` truthy (or, with Want = false, falsy).
template <bool Want>
bool any_element(const json& items, const Node& logic, Context& c) {
  bool found = false;
  for_each_element(items, logic, c, [&](const json&, const Value& v) {
    found = truthy(v.get()) == Want;
    return !found;
  });
  return found;
}

Value eval_all(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  const json& items = required_list(list);
  if (items.empty()) return boolean(false);  // "all of an empty set is false" (json-logic-js)
  return boolean(!any_element<false>(items, n.args[1], c));
}

Value eval_some(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  return boolean(any_element<true>(required_list(list), n.args[1], c));
}

Value eval_none(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  return boolean(!any_element<true>(required_list(list), n.args[1], c));
}

// --- data access ---------------------------------------------------------------

// var: [path, default]. The default applies only when the path is absent, not
// when it holds null, false or 0.
Value eval_var(const Node& n, Context& c) {
  std::optional<Value> found;
  if (n.has_path) {
    found = lookup(*c.scope, 0, n.path);
  } else {
    found = lookup(*c.scope, 0, var_path(eval(n.args[0], c).get()));
  }
  if (found) return std::move(*found);
  if (n.args.size() > 1) return eval(n.args[1], c);
  return null_value();
}

// val / exists path computed at run time: [[climb], key, key, ...].
std::pair<std::size_t, Path> dynamic_val_path(const Node& n, Context& c) {
  Operands ops(n, c);
  std::size_t climb = 0;
  Path path;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Value v = ops[i];
    if (i == 0 && v.get().is_array()) {
      if (!v.get().empty() && v.get()[0].is_number()) {
        climb = static_cast<std::size_t>(std::min(std::fabs(js_integer(v.get()[0].get<double>())), 1e6));
      }
      continue;
    }
    path.push_back(value_segment(v.get()));
  }
  return {climb, std::move(path)};
}

std::optional<Value> find_val(const Node& n, Context& c) {
  if (n.has_path) return lookup(*c.scope, n.climb, n.path);
  const auto [climb, path] = dynamic_val_path(n, c);
  return lookup(*c.scope, climb, path);
}

// val: a path given as separate keys (no dot splitting), optionally climbing
// scopes first: {"val": [[2], "key"]}.
Value eval_val(const Node& n, Context& c) {
  std::optional<Value> found = find_val(n, c);
  return found ? std::move(*found) : null_value();
}

Value eval_exists(const Node& n, Context& c) { return boolean(find_val(n, c).has_value()); }

// missing: the keys among the arguments (or in a single array argument) whose
// value is absent, null or "".
json missing_keys(const json& keys, const Scope& scope) {
  json out = json::array();
  for (const json& key : keys) {
    const std::optional<Value> found = lookup(scope, 0, var_path(key));
    const bool absent = !found || found->get().is_null() || (found->get().is_string() && found->get().get_ref<const std::string&>().empty());
    if (absent) out.push_back(clone(key));
  }
  return out;
}

Value eval_missing(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() > 0) {
    const Value first = ops[0];
    if (first.get().is_array()) return Value(missing_keys(first.get(), *c.scope));
  }
  json keys = json::array();
  for (std::size_t i = 0; i < ops.size(); ++i) keys.push_back(ops[i].take());
  return Value(missing_keys(keys, *c.scope));
}

// missing_some: [minimum, keys] — nothing is missing once `minimum` are present.
Value eval_missing_some(const Node& n, Context& c) {
  const double need = js_number(eval(n.args[0], c).get());
  const Value options = eval(n.args[1], c);
  json keys = json::array();
  if (options.get().is_array()) {
    keys = clone(options.get());
  } else {
    keys.push_back(clone(options.get()));
  }
  json missing = missing_keys(keys, *c.scope);
  if (static_cast<double>(keys.size() - missing.size()) >= need) return Value(json::array());
  return Value(std::move(missing));
}

// --- errors and misc -------------------------------------------------------------

Value eval_throw(const Node& n, Context& c) {
  Value v = eval(n.args[0], c);
  json thrown = v.get().is_array() && !v.get().empty() ? clone(v.get()[0]) : std::move(v).take();
  if (thrown.is_object()) throw Raised{std::move(thrown)};
  throw Raised{error_object(std::move(thrown))};
}

// try: the first alternative that does not raise an error. Each fallback sees
// {"type": <previous error's type>} as its data.
Value eval_try(const Node& n, Context& c) {
  try {
    return eval(n.args[0], c);
  } catch (Raised& first) {
    json error = std::move(first.error);
    for (std::size_t i = 1; i < n.args.size(); ++i) {
      const json context = error_object(error.contains("type") ? clone(error["type"]) : json());
      Scope scope;
      scope.data = &context;
      ScopeGuard guard(c, scope);
      try {
        return eval(n.args[i], c).take();  // not a reference into `context`
      } catch (Raised& next) {
        error = std::move(next.error);
      }
    }
    throw Raised{std::move(error)};
  }
}

// An array with operations inside: [1, {"var": "x"}, 3].
Value eval_array(const Node& n, Context& c) {
  json out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  items.reserve(n.args.size());
  for (const Node& arg : n.args) items.push_back(eval(arg, c).take());
  return Value(std::move(out));
}

Value eval_log(const Node& n, Context& c) {
  Value v = eval(n.args[0], c);
  constexpr std::size_t kMaxPrintableDepth = 256;  // dump() recurses
  if (depth_up_to(v.get(), kMaxPrintableDepth) > kMaxPrintableDepth) {
    std::cerr << "(log: value nested too deeply to print)\n";
  } else {
    std::cerr << v.get().dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  }
  return v;
}

// ===========================================================================
// 4. The operation table
// ===========================================================================

class Compiler;

// How an operation's argument is read:
//   Plain:   an array is the argument list; anything else is one argument.
//   Chained: as Plain, but a single operation argument is evaluated and, if it
//            yields an array, that array is the argument list
//            ({"max": {"var": "scores"}}).
//   List:    must be a literal array (control flow and iteration need to see
//            their arguments unevaluated).
//   Literal: not evaluated at all (preserve).
enum class Shape { Plain, Chained, List, Literal };

// Which scope an argument is evaluated in, for variables(): iteration bodies
// and try fallbacks do not read the rule's data.
enum class Scoping { Same, Iterator, Try };

// Extra compile step, run on the raw arguments before they are compiled.
using PrepareFn = void (*)(Node&, const std::vector<const json*>&, Compiler&);

void prepare_var(Node&, const std::vector<const json*>&, Compiler&);
void prepare_val(Node&, const std::vector<const json*>&, Compiler&);
void prepare_missing(Node&, const std::vector<const json*>&, Compiler&);
void prepare_missing_some(Node&, const std::vector<const json*>&, Compiler&);
void prepare_iterator(Node&, const std::vector<const json*>&, Compiler&);
void prepare_iterator_with_logic(Node&, const std::vector<const json*>&, Compiler&);

constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();

struct Operation {
  std::string_view name;
  EvalFn eval;
  Shape shape;
  std::size_t min_args;
  std::size_t max_args;
  Scoping scoping = Scoping::Same;
  PrepareFn prepare = nullptr;
};

const Operation kOperations[] = {
    // data access
    {"var", eval_var, Shape::Plain, 0, 2, Scoping::Same, prepare_var},
    {"val", eval_val, Shape::Chained, 0, kAny, Scoping::Same, prepare_val},
    {"exists", eval_exists, Shape::Chained, 0, kAny, Scoping::Same, prepare_val},
    {"missing", eval_missing, Shape::Chained, 0, kAny, Scoping::Same, prepare_missing},
    {"missing_some", eval_missing_some, Shape::Plain, 2, 2, Scoping::Same, prepare_missing_some},
    // logic
    {"if", eval_if, Shape::List, 0, kAny},
    {"?:", eval_if, Shape::List, 0, kAny},
    {"and", eval_and, Shape::List, 0, kAny},
    {"or", eval_or, Shape::List, 0, kAny},
    {"??", eval_coalesce, Shape::Plain, 0, kAny},
    {"!", eval_not, Shape::Plain, 0, 1},
    {"!!", eval_truthy, Shape::Plain, 0, 1},
    // comparison
    {"==", eval_chain<loose_equal>, Shape::List, 2, kAny},
    {"!=", eval_chain<loose_not_equal>, Shape::List, 2, kAny},
    {"===", eval_chain<strict_equal>, Shape::List, 2, kAny},
    {"!==", eval_chain<strict_not_equal>, Shape::List, 2, kAny},
    {"<", eval_chain<less_than>, Shape::List, 2, kAny},
    {"<=", eval_chain<less_equal>, Shape::List, 2, kAny},
    {">", eval_chain<greater_than>, Shape::List, 2, kAny},
    {">=", eval_chain<greater_equal>, Shape::List, 2, kAny},
    // arithmetic
    {"+", eval_add, Shape::Chained, 0, kAny},
    {"-", eval_subtract, Shape::Chained, 1, kAny},
    {"*", eval_multiply, Shape::Chained, 0, kAny},
    {"/", eval_divide, Shape::Chained, 1, kAny},
    {"%", eval_modulo, Shape::Chained, 2, kAny},
    {"min", eval_extremum<false>, Shape::Chained, 1, kAny},
    {"max", eval_extremum<true>, Shape::Chained, 1, kAny},
    // strings
    {"cat", eval_cat, Shape::Chained, 0, kAny},
    {"substr", eval_substr, Shape::Plain, 1, 3},
    {"in", eval_in, Shape::Plain, 2, 2},
    // arrays
    {"merge", eval_merge, Shape::Plain, 0, kAny},
    {"map", eval_map, Shape::List, 2, 2, Scoping::Iterator, prepare_iterator_with_logic},
    {"filter", eval_filter, Shape::List, 2, 2, Scoping::Iterator, prepare_iterator_with_logic},
    {"reduce", eval_reduce, Shape::List, 2, 3, Scoping::Iterator, prepare_iterator},
    {"all", eval_all, Shape::List, 2, 2, Scoping::Iterator, prepare_iterator},
    {"some", eval_some, Shape::List, 2, 2, Scoping::Iterator, prepare_iterator},
    {"none", eval_none, Shape::List, 2, 2, Scoping::Iterator, prepare_iterator},
    // errors and misc
    {"throw", eval_throw, Shape::Plain, 1, 1},
    {"try", eval_try, Shape::Plain, 1, kAny, Scoping::Try},
    {"preserve", eval_literal, Shape::Literal, 0, kAny},
    {"log", eval_log, Shape::Plain, 1, 1},
};

const Operation* find_operation(std::string_view name) {
  for (const Operation& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

// ===========================================================================
// 5. The compiler
// ===========================================================================

// Rules may come from anyone: compile recursion is bounded by the depth limit,
// and this cap bounds that limit whatever the caller asks for.
constexpr std::size_t kDepthCap = 512;

struct CompileFailure {
  Error error;
};

bool is_operation(const json& v) { return v.is_object() && v.size() == 1; }
bool is_scalar(const json& v) { return v.is_primitive(); }

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char ch : token) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

std::string quote_name(std::string_view name) {
  constexpr std::size_t kMaxShown = 64;
  std::string out = "\"";
  out += name.substr(0, kMaxShown);
  if (name.size() > kMaxShown) out += "...";
  return out + "\"";
}

std::string count_text(std::size_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

class Compiler {
 public:
  Compiler(const Limits& limits, std::string_view base_pointer)
      : max_depth_(std::min(limits.max_depth, kDepthCap)), max_nodes_(limits.max_nodes), pointer_(base_pointer) {}

  Node compile(const json& rule) { return compile_value(rule, 0); }

  std::vector<std::string> take_variables() { return std::move(variables_); }

  [[noreturn]] void fail(std::string message) const { throw CompileFailure{Error{std::move(message), pointer_, 0, 0}}; }

  // Fails with the pointer of argument `index` of the current operation.
  [[noreturn]] void fail_at_argument(std::size_t index, std::string message) {
    Token token(*this, std::to_string(index));
    fail(std::move(message));
  }

  // Records a path read from the rule's own data (not an element's).
  void note_variable(std::string path) {
    if (nested_scopes_ == 0 && !path.empty() && seen_.insert(path).second) variables_.push_back(std::move(path));
  }

 private:
  // Appends a reference token to the pointer for the guard's lifetime.
  class Token {
   public:
    Token(Compiler& c, std::string_view token) : compiler_(c), size_(c.pointer_.size()) {
      c.pointer_ += '/';
      c.pointer_ += escape_pointer_token(token);
    }
    ~Token() { compiler_.pointer_.resize(size_); }
    Token(const Token&) = delete;
    Token& operator=(const Token&) = delete;

   private:
    Compiler& compiler_;
    std::size_t size_;
  };

  void count_node() {
    if (++nodes_ > max_nodes_) fail("the rule has more than " + count_text(max_nodes_, "node"));
  }

  void enter(std::size_t depth) const {
    if (depth > max_depth_) fail("the rule is nested deeper than " + count_text(max_depth_, "level"));
  }

  Node compile_value(const json& v, std::size_t depth) {
    count_node();
    if (v.is_array()) return compile_array(v, depth + 1);
    if (v.is_object() && !v.empty()) {
      if (v.size() != 1) fail("an operation must be an object with exactly one key, not " + std::to_string(v.size()));
      return compile_operation(v.begin().key(), v.begin().value(), depth + 1);
    }
    Node n;
    n.literal = v;
    return n;
  }

  Node compile_array(const json& v, std::size_t depth) {
    enter(depth);
    Node n;
    n.eval = eval_array;
    n.args.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      Token token(*this, std::to_string(i));
      n.args.push_back(compile_value(v[i], depth));
    }
    n.weight += total_weight(n.args);
    if (std::all_of(n.args.begin(), n.args.end(), [](const Node& a) { return a.is_literal(); })) {
      Node literal;
      literal.literal = json::array();
      for (Node& a : n.args) literal.literal.push_back(std::move(a.literal));
      literal.weight = n.weight;
      return literal;
    }
    return n;
  }

  Node compile_operation(const std::string& name, const json& value, std::size_t depth) {
    enter(depth);
    const Operation* op = find_operation(name);
    if (op == nullptr) fail("unknown operation " + quote_name(name));
    Token token(*this, name);
    Node n;
    n.eval = op->eval;
    if (op->shape == Shape::Literal) {
      check_literal(value, depth);
      n.literal = value;
      return n;
    }
    std::vector<const json*> raw;
    if (value.is_array()) {
      for (const json& item : value) raw.push_back(&item);
    } else if (op->shape == Shape::List) {
      fail(quote_name(name) + " needs an array of arguments");
    } else {
      raw.push_back(&value);
      n.spread = op->shape == Shape::Chained && is_operation(value);
    }
    if (!n.spread) check_arity(*op, raw.size());
    if (op->prepare != nullptr) op->prepare(n, raw, *this);
    n.args.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const bool nested = (op->scoping == Scoping::Iterator && i == 1) || (op->scoping == Scoping::Try && i > 0);
      nested_scopes_ += nested ? 1 : 0;
      if (value.is_array()) {
        Token index(*this, std::to_string(i));
        n.args.push_back(compile_value(*raw[i], depth));
      } else {
        n.args.push_back(compile_value(*raw[i], depth));
      }
      nested_scopes_ -= nested ? 1 : 0;
    }
    n.weight += total_weight(n.args);
    return n;
  }

  void check_arity(const Operation& op, std::size_t count) const {
    if (count < op.min_args) {
      fail(quote_name(op.name) + " needs at least " + count_text(op.min_args, "argument") + ", not " + std::to_string(count));
    }
    if (count > op.max_args) {
      fail(quote_name(op.name) + " takes at most " + count_text(op.max_args, "argument") + ", not " + std::to_string(count));
    }
  }

  // preserve's value is data: it only needs the depth and size limits.
  void check_literal(const json& v, std::size_t depth) {
    count_node();
    if (!v.is_structured()) return;
    enter(depth + 1);
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        Token token(*this, std::to_string(i));
        check_literal(v[i], depth + 1);
      }
    } else {
      for (auto it = v.begin(); it != v.end(); ++it) {
        Token token(*this, it.key());
        check_literal(it.value(), depth + 1);
      }
    }
  }

  static std::size_t total_weight(const std::vector<Node>& nodes) {
    std::size_t sum = 0;
    for (const Node& n : nodes) sum += n.weight;
    return sum;
  }

  std::size_t max_depth_;
  std::size_t max_nodes_;
  std::string pointer_;
  std::size_t nodes_ = 0;
  std::size_t nested_scopes_ = 0;
  std::vector<std::string> variables_;
  std::unordered_set<std::string> seen_;
};

// --- compile steps of individual operations ----------------------------------

void prepare_var(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (raw.empty()) {
    n.has_path = true;  // {"var": []}: the whole data
    return;
  }
  if (!is_scalar(*raw[0])) return;  // computed path
  n.path = var_path(*raw[0]);
  n.has_path = true;
  if (!raw[0]->is_null()) compiler.note_variable(js_string(*raw[0]));
}

void prepare_val(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (n.spread) return;
  std::size_t first_key = 0;
  if (!raw.empty() && raw[0]->is_array()) {
    const json& climb = *raw[0];
    if (climb.size() != 1 || !climb[0].is_number()) return;
    n.climb = static_cast<std::size_t>(std::min(std::fabs(js_integer(climb[0].get<double>())), 1e6));
    first_key = 1;
  }
  for (std::size_t i = first_key; i < raw.size(); ++i) {
    if (!is_scalar(*raw[i])) {
      n.path.clear();
      n.climb = 0;
      return;
    }
    n.path.push_back(value_segment(*raw[i]));
  }
  n.has_path = true;
  if (n.climb == 0) compiler.note_variable(join_path(n.path));
}

void note_keys(const json& keys, Compiler& compiler) {
  for (const json& key : keys) {
    if (key.is_string() || key.is_number()) compiler.note_variable(js_string(key));
  }
}

void prepare_missing(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (n.spread) return;
  if (!raw.empty() && raw[0]->is_array()) {
    note_keys(*raw[0], compiler);
    return;
  }
  for (const json* key : raw) {
    if (key->is_string() || key->is_number()) compiler.note_variable(js_string(*key));
  }
}

void prepare_missing_some(Node&, const std::vector<const json*>& raw, Compiler& compiler) {
  if (raw[1]->is_array()) note_keys(*raw[1], compiler);
}

// An iterator's list may be computed, but a literal list that is not an array
// can never be iterated: that is a mistake in the rule.
void prepare_iterator(Node&, const std::vector<const json*>& raw, Compiler& compiler) {
  if (!raw[0]->is_array() && !is_operation(*raw[0])) {
    compiler.fail_at_argument(0, "the list to iterate must be an array or an operation");
  }
}

// map and filter with null logic would map everything to null or filter
// everything out: also a mistake.
void prepare_iterator_with_logic(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  prepare_iterator(n, raw, compiler);
  if (raw[1]->is_null()) compiler.fail_at_argument(1, "the logic to apply must not be null");
}

}  // namespace

// ===========================================================================
// 6. Expression
// ===========================================================================

Result<Expression> Expression::compile(const json& rule, std::string_view base_pointer, const Limits& limits) {
  try {
    Compiler compiler(limits, base_pointer);
    Node root = compiler.compile(rule);
    Expression expression;
    expression.root_ = std::make_shared<const Node>(std::move(root));
    expression.variables_ = compiler.take_variables();
    expression.rule_ = rule;  // within the depth limit, so copying is safe
    return expression;
  } catch (const CompileFailure& failure) {
    return failure.error;
  } catch (const std::exception& e) {
    return Error{std::string("cannot compile the rule: ") + e.what(), std::string(base_pointer), 0, 0};
  }
}

json Expression::evaluate(const json& data) const {
  if (!root_) return nullptr;
  try {
    Scope scope;
    scope.data = &data;
    Context context{&scope, kWorkBudget};
    return eval(*root_, context).take();
  } catch (...) {
    return nullptr;  // Raised errors, and nlohmann or allocation failures
  }
}

bool Expression::matches(const json& data) const {
  if (!root_) return false;
  try {
    Scope scope;
    scope.data = &data;
    Context context{&scope, kWorkBudget};
    return truthy(eval(*root_, context).get());
  } catch (...) {
    return false;
  }
}

const std::vector<std::string>& Expression::variables() const { return variables_; }

const json& Expression::rule() const { return rule_; }

}  // namespace kneecheck::logic
