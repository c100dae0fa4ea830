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
// Speed. Evaluation works on Values (logic_internal.hpp): 16-byte views of
// the rule, the data or an arena, so reading data copies nothing and null,
// booleans and numbers never allocate; results are converted to JSON only at
// the API edge. At compile time paths are split (and, with SlotNames,
// resolved to slots), a var in a reduce body is resolved to current or
// accumulator, and operations whose arguments are constant are evaluated
// (folded; a rule folded whole is returned inline by logic.hpp). Each node
// calls one function chosen for its shape (a var of one short key, a
// comparison with a literal, two-operand arithmetic, ...). The hot paths
// keep Values in registers or walk them by address: on x86 a Value stored
// with one 16-byte write and read back in parts stalls store forwarding.
// Measured with callgrind and perf; see the commit messages for figures.
//
// Untrusted rules cannot exhaust the stack (compile and evaluation recurse
// only as deep as the rule, which the depth limit bounds) nor run away (a work
// budget per evaluation, and one for folding). Data may be nested
// arbitrarily deep: it is copied and stringified without recursion.
//
// The compiler (compile.cpp) builds the node tree of program.hpp; this file
// evaluates it. The operations and the machinery they share stay in this one
// translation unit, so that the compiler can inline across them.
//
// Layout of this file:
//   1. Evaluation machinery (scopes, the work budget, conversions)
//   2. Operations, one function each, grouped as in the operation table
//   3. The operation table, and the evaluations chosen for compiled shapes
//   4. Expression: running a compiled rule

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kneecheck/logic/logic.hpp"
#include "logic/internal.hpp"
#include "logic/program.hpp"

namespace kneecheck::logic {

using nlohmann::json;
using namespace detail;

namespace {

// ===========================================================================
// 1. Evaluation machinery
// ===========================================================================

}  // namespace

Segment detail::key_segment(std::string_view key) {
  Segment s;
  s.key = Key(key);
  const bool canonical = !key.empty() && key.size() <= 10 && (key == "0" || key[0] != '0') &&
                         std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (canonical) {
    std::uint64_t index = 0;
    for (char ch : key) index = index * 10 + static_cast<std::uint64_t>(ch - '0');
    s.is_index = index < 4294967295ULL;  // JavaScript's largest array index + 1
    s.index = s.is_index ? static_cast<std::uint32_t>(index) : 0;
  }
  return s;
}

namespace detail {

// What `var` reads. map, filter, all, some and none read the current element,
// reduce reads {"current", "accumulator"} (without building that object), and
// a `try` fallback reads {"type": error}. `val` can climb to enclosing scopes:
// one level up is the iteration ({"index": i}), two levels up the enclosing
// data, and so on.
// `data` is a pointer (into the data, the rule or `own`) rather than a
// copy: written once per element, it is then read field by field, and a
// 16-byte copy read back in parts stalls store forwarding.
struct Scope {
  const Value* data = &null_value();  // reduce: the current element
  Value own;                          // holds `*data` when nothing else does
  const Scope* parent = nullptr;
  std::uint32_t index = 0;
  bool iteration = false;
  bool reduce = false;  // a ReduceScope
};

struct ReduceScope : Scope {
  Value accumulator;
};

inline const Value& accumulator_of(const Scope& s) { return static_cast<const ReduceScope&>(s).accumulator; }

struct Context {
  const Scope* scope;
  std::size_t budget;
  Arena* arena;
  const Value* slots;  // the root data's (name, value) pairs when slots apply
};

}  // namespace detail

namespace {

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

[[noreturn, gnu::noinline, gnu::cold]] void over_budget() { raise(kLimitExceeded); }

inline void charge(Context& c, std::size_t units) {
  if (units > c.budget) over_budget();
  c.budget -= units;
}

inline Value eval(const Node& n, Context& c) { return n.eval(n, c); }

}  // namespace

Value detail::eval_literal(const Node& n, Context&) { return n.literal; }

namespace {

Value boolean(bool b) { return Value::boolean(b); }

// A computed number. JSON has no NaN or Infinity, so those are errors.
Value number(double d) {
  if (!std::isfinite(d)) raise(kNaN);
  return Value::number(d);
}

Value empty_array() { return VA::make_array(nullptr, 0); }

template <typename T, std::size_t N>
class SmallStack {
 public:
  void push(const T& value) {
    if (size_ < N) inline_[size_] = value;
    else spill_.push_back(value);
    ++size_;
  }
  T& back() { return size_ <= N ? inline_[size_ - 1] : spill_.back(); }
  void pop() {
    if (size_ > N) spill_.pop_back();
    --size_;
  }
  bool empty() const { return size_ == 0; }

 private:
  T inline_[N];
  std::vector<T> spill_;
  std::size_t size_ = 0;
};

// --- JavaScript conversions on values ------------------------------------------

void append_js_primitive(StringBuilder& out, const Value& v) {
  switch (VA::tag(v)) {
    case Tag::boolean: out.append(VA::b(v) ? "true" : "false"); break;
    case Tag::number: {
      char buffer[kNumberBuffer];
      out.append(std::string_view(buffer, format_js_number(VA::d(v), buffer)));
      break;
    }
    case Tag::string: out.append(VA::s(v)); break;
    case Tag::object:
    case Tag::json_object: out.append("[object Object]"); break;
    default: out.append("null"); break;
  }
}

// String(v). Arrays join their elements with "," (null as ""), recursively;
// done with an explicit stack because data may be nested arbitrarily deep.
void append_js_string(StringBuilder& out, const Value& v) {
  if (!is_array(v)) {
    append_js_primitive(out, v);
    return;
  }
  struct Frame {
    Value array;
    std::size_t next;
  };
  SmallStack<Frame, 8> stack;
  stack.push({v, 0});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const Items items(frame.array);
    if (frame.next == items.size()) {
      stack.pop();
      continue;
    }
    if (frame.next > 0) out.push_back(',');
    const Value item = items[frame.next++];
    if (is_array(item)) {
      stack.push({item, 0});
    } else if (!is_null(item)) {
      append_js_primitive(out, item);
    }
  }
}

}  // namespace

std::string_view detail::js_string(const Value& v, Arena& arena) {
  if (is_string(v)) return VA::s(v);
  StringBuilder out(arena);
  append_js_string(out, v);
  return out.finish();
}

namespace {

// Number(v) as JavaScript computes it; NaN where JavaScript gives NaN.
double js_number(const Value& v, Arena& arena) {
  switch (VA::tag(v)) {
    case Tag::boolean: return VA::b(v) ? 1 : 0;
    case Tag::number: return VA::d(v);
    case Tag::string: return parse_js_number(VA::s(v));
    case Tag::array:
    case Tag::json_array: return parse_js_number(js_string(v, arena));
    case Tag::object:
    case Tag::json_object: return std::nan("");
    default: return 0;
  }
}


// --- reading data --------------------------------------------------------------

// One step down a path, any representation.
bool step(Value& at, const Segment& s) {
  if (is_object(at)) return find_member(at, s.key, at);
  if (is_array(at) && s.is_index && s.index < array_size(at)) {
    at = Items(at)[s.index];
    return true;
  }
  return false;
}

[[gnu::noinline]] bool descend_slow(Value at, const Segment* first, std::uint32_t length, Value& out) {
  for (std::uint32_t i = 0; i < length; ++i) {
    if (!step(at, first[i])) return false;
  }
  out = at;
  return true;
}

// Where walk() stopped for want of the general way.
inline const Value kSlowWay;

// Follows a path through native objects (small or unsorted, keys of up to 8
// bytes) and arrays by address, so that no Value makes a round trip through
// the stack. Returns the value's address, nullptr when it is absent, or
// &kSlowWay (with `*at` and `i` where it stopped) when the rest needs the
// general way: data read in place, large sorted objects, long keys.
inline const Value* walk(const Value*& at, const Segment* first, std::uint32_t length, std::uint32_t& i) {
  for (i = 0; i < length; ++i) {
    const Segment& s = first[i];
    const Tag tag = VA::tag(*at);
    if (tag == Tag::object && s.key.text.size() <= 8 &&
        (VA::size(*at) <= 8 || (VA::flags(*at) & kSorted) == 0)) {
      const Value* pair = VA::items(*at);
      const Value* const end = pair + 2 * std::size_t{VA::size(*at)};
      while (pair != end &&
             !(VA::size(pair[0]) == s.key.text.size() && load64(VA::s(pair[0]).data()) == s.key.prefix)) {
        pair += 2;
      }
      if (pair == end || VA::tag(pair[1]) == Tag::absent) return nullptr;
      at = &pair[1];
    } else if (tag == Tag::array) {
      if (!s.is_index || s.index >= VA::size(*at)) return nullptr;
      at = &VA::items(*at)[s.index];
    } else if (tag == Tag::object || tag == Tag::json_object || tag == Tag::json_array) {
      return &kSlowWay;
    } else {
      return nullptr;  // nothing below a scalar
    }
  }
  return at;
}

inline bool descend(const Value& base, const Segment* first, std::uint32_t length, Value& out) {
  const Value* at = &base;
  std::uint32_t i = 0;
  const Value* found = walk(at, first, length, i);
  if (found == &kSlowWay) return descend_slow(*at, first + i, length - i, out);
  if (found == nullptr) return false;
  out = *found;
  return true;
}

Value make_single_object(std::string_view key, Value value, Arena& arena) {
  Value* pairs = arena.allocate_array<Value>(2);
  pairs[0] = Value::string(key);
  pairs[1] = value;
  return VA::make_object(pairs, 1, true);
}

Value make_pair_object(std::string_view k1, Value v1, std::string_view k2, Value v2, Arena& arena) {
  Value* pairs = arena.allocate_array<Value>(4);
  pairs[0] = Value::string(k1);
  pairs[1] = v1;
  pairs[2] = Value::string(k2);
  pairs[3] = v2;
  return VA::make_object(pairs, 2, true);
}

bool lookup_reduce(const Scope& s, const Segment* path, std::uint32_t length, Value& out, Arena& arena) {
  if (length == 0) {
    out = make_pair_object(kAccumulatorKey, accumulator_of(s), kCurrentKey, *s.data, arena);
    return true;
  }
  if (path[0].key.text == "current") return descend(*s.data, path + 1, length - 1, out);
  if (path[0].key.text == "accumulator") return descend(accumulator_of(s), path + 1, length - 1, out);
  return false;
}

// The value at `path`, `climb` scope levels up; false when it is absent
// (a present null is found).
bool lookup(const Context& c, std::uint32_t climb, const Segment* path, std::uint32_t length, Value& out) {
  const Scope* s = c.scope;
  for (; climb >= 2; climb -= 2) {
    s = s->parent;
    if (s == nullptr) return false;
  }
  if (climb == 1) {  // the iteration itself: {"index": i}, or null outside one
    if (!s->iteration) return descend(Value(), path, length, out);
    if (length == 0) {
      out = make_single_object(kIndexKey, Value::number(s->index), *c.arena);
      return true;
    }
    if (path[0].key.text != "index") return false;
    return descend(Value::number(s->index), path + 1, length - 1, out);
  }
  if (s->reduce) return lookup_reduce(*s, path, length, out, *c.arena);
  return descend(*s->data, path, length, out);
}

// A constant path: through its slot when it has one and slots apply.
inline bool read_path(const Context& c, const PathRef& p, std::uint32_t climb, Value& out) {
  if (p.slot != kNoSlot && c.slots != nullptr) {
    const Value& v = c.slots[2 * std::size_t{p.slot} + 1];
    if (VA::tag(v) == Tag::absent) return false;
    return descend(v, p.segments + 1, p.length - 1, out);
  }
  if (climb == 0 && !c.scope->reduce) return descend(*c.scope->data, p.segments, p.length, out);
  return lookup(c, climb, p.segments, p.length, out);
}

// `var`'s dotted path, split at run time into segments in the arena.
std::pair<const Segment*, std::uint32_t> split_dotted(std::string_view dotted, Arena& arena) {
  if (dotted.empty()) return {nullptr, 0};
  const std::size_t parts = static_cast<std::size_t>(std::count(dotted.begin(), dotted.end(), '.')) + 1;
  Segment* segments = arena.allocate_array<Segment>(parts);
  std::size_t start = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    const std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    segments[i] = key_segment(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  return {segments, static_cast<std::uint32_t>(parts)};
}

std::pair<const Segment*, std::uint32_t> var_path(const Value& v, Arena& arena) {
  if (is_null(v)) return {nullptr, 0};
  return split_dotted(js_string(v, arena), arena);
}

}  // namespace

Segment detail::value_segment(const Value& v, Arena& arena) {
  if (is_number(v)) {
    const double d = VA::d(v);
    Segment s;
    s.key = Key(js_string(v, arena));
    if (d >= 0 && d < 4294967295.0 && std::trunc(d) == d) {
      s.index = static_cast<std::uint32_t>(d);
      s.is_index = true;
    }
    return s;
  }
  return key_segment(js_string(v, arena));
}

namespace {

// The evaluated argument list of a variadic operation: the compiled arguments,
// or, for `{"max": {"var": "list"}}`, the elements of the single argument's
// array result.
class Operands {
 public:
  Operands(const Node& n, Context& c) : node_(n), context_(c) {
    if (n.spread) {
      spread_ = eval(n.args[0], c);
      if (is_array(spread_)) {
        list_ = true;
        size_ = array_size(spread_);
      } else {
        size_ = 1;
      }
    } else {
      size_ = n.count;
    }
  }
  Operands(const Operands&) = delete;
  Operands& operator=(const Operands&) = delete;

  std::size_t size() const { return size_; }
  Value operator[](std::size_t i) const {
    if (!node_.spread) return eval(node_.args[i], context_);
    return list_ ? Items(spread_)[i] : spread_;
  }

 private:
  const Node& node_;
  Context& context_;
  Value spread_;
  bool list_ = false;
  std::size_t size_ = 0;
};

// ===========================================================================
// 2. Operations
// ===========================================================================

// --- comparisons ---------------------------------------------------------------

double slow_operand_number(const Value& v, Arena& arena) {
  if (is_structured(v)) raise(kNaN);
  const double d = js_number(v, arena);
  if (std::isnan(d)) raise(kNaN);
  return d;
}

// A number for arithmetic and ordering: null, booleans and numeric strings
// convert as in JavaScript; NaN, arrays and objects are errors.
inline double operand_number(const Value& v, Context& c) {
  if (is_number(v) && !std::isnan(VA::d(v))) return VA::d(v);
  return slow_operand_number(v, *c.arena);
}

// JavaScript's ==: null equals only null; booleans and strings meet numbers as
// numbers. Comparing arrays or objects, or a number with a non-numeric string,
// is an error rather than a silent false.
bool loose_equal_slow(Value a, Value b, Context& c) {
  const Tag ta = VA::tag(a);
  const Tag tb = VA::tag(b);
  if (ta == Tag::number && tb == Tag::number) return VA::d(a) == VA::d(b);
  if (ta == Tag::null || tb == Tag::null) return ta == tb;
  if (is_structured(a) || is_structured(b)) raise(kNaN);
  if (ta == Tag::string && tb == Tag::string) return same_text(VA::s(a), VA::s(b));
  if (ta == Tag::boolean && tb == Tag::boolean) return VA::b(a) == VA::b(b);
  return operand_number(a, c) == operand_number(b, c);
}

[[gnu::always_inline]] inline bool loose_equal(Value a, Value b, Context& c) {
  if (is_number(a) && is_number(b)) return VA::d(a) == VA::d(b);
  if (is_string(a) && is_string(b)) return same_text(VA::s(a), VA::s(b));
  return loose_equal_slow(a, b, c);
}

// JavaScript's ===: arrays and objects are never equal (they would have to be
// the same object).
[[gnu::always_inline]] inline bool strict_equal(Value a, Value b) {
  const Tag ta = VA::tag(a);
  if (ta != VA::tag(b)) return false;
  switch (ta) {
    case Tag::number: return VA::d(a) == VA::d(b);
    case Tag::null: return true;
    case Tag::boolean: return VA::b(a) == VA::b(b);
    case Tag::string: return same_text(VA::s(a), VA::s(b));
    default: return false;
  }
}

// a < b as JavaScript orders them: two strings by code units, anything else
// as numbers.
bool less_slow(Value a, Value b, Context& c) {
  if (is_string(a) && is_string(b)) return compare_utf16(VA::s(a), VA::s(b)) < 0;
  return operand_number(a, c) < operand_number(b, c);
}

[[gnu::always_inline]] inline bool less(Value a, Value b, Context& c) {
  if (is_number(a) && is_number(b)) {
    const double x = VA::d(a);
    const double y = VA::d(b);
    if (!std::isnan(x) && !std::isnan(y)) return x < y;
  }
  return less_slow(a, b, c);
}

[[gnu::always_inline]] inline bool loose_not_equal(Value a, Value b, Context& c) { return !loose_equal(a, b, c); }
[[gnu::always_inline]] inline bool strict_eq(Value a, Value b, Context&) { return strict_equal(a, b); }
[[gnu::always_inline]] inline bool strict_not_equal(Value a, Value b, Context&) { return !strict_equal(a, b); }
[[gnu::always_inline]] inline bool less_than(Value a, Value b, Context& c) { return less(a, b, c); }
[[gnu::always_inline]] inline bool less_equal(Value a, Value b, Context& c) { return !less(b, a, c); }
[[gnu::always_inline]] inline bool greater_than(Value a, Value b, Context& c) { return less(b, a, c); }
[[gnu::always_inline]] inline bool greater_equal(Value a, Value b, Context& c) { return !less(a, b, c); }

using TestFn = bool (*)(Value, Value, Context&);

// Every adjacent pair must pass; later arguments are not evaluated once one
// fails, so {"<": [1, {"var": "x"}, 10]} is a "between".
template <TestFn Test>
Value eval_chain(const Node& n, Context& c) {
  Value previous = eval(n.args[0], c);
  for (std::uint32_t i = 1; i < n.count; ++i) {
    const Value current = eval(n.args[i], c);
    if (!Test(previous, current, c)) return boolean(false);
    previous = current;
  }
  return boolean(true);
}

// The same for exactly two arguments, the usual case.
template <TestFn Test>
Value eval_pair(const Node& n, Context& c) {
  const Value a = eval(n.args[0], c);
  const Value b = eval(n.args[1], c);
  return boolean(Test(a, b, c));
}

// ... the second of which is a literal: {"==": [{"var": "swelling"}, "none"]}.
template <TestFn Test>
Value eval_pair_literal(const Node& n, Context& c) {
  return boolean(Test(eval(n.args[0], c), n.args[1].literal, c));
}

// --- logic -------------------------------------------------------------------

// if / ?: — condition, then, [condition, then, ...] [else].
Value eval_if(const Node& n, Context& c) {
  std::uint32_t i = 0;
  for (; i + 1 < n.count; i += 2) {
    if (truthy(eval(n.args[i], c))) return eval(n.args[i + 1], c);
  }
  if (i < n.count) return eval(n.args[i], c);
  return Value();
}

// and / or return the deciding value itself, not a boolean.
Value eval_and(const Node& n, Context& c) {
  Value last = boolean(false);
  for (std::uint32_t i = 0; i < n.count; ++i) {
    last = eval(n.args[i], c);
    if (!truthy(last)) break;
  }
  return last;
}

Value eval_or(const Node& n, Context& c) {
  Value last = boolean(false);
  for (std::uint32_t i = 0; i < n.count; ++i) {
    last = eval(n.args[i], c);
    if (truthy(last)) break;
  }
  return last;
}

Value eval_coalesce(const Node& n, Context& c) {
  for (std::uint32_t i = 0; i < n.count; ++i) {
    const Value v = eval(n.args[i], c);
    if (!is_null(v)) return v;
  }
  return Value();
}

Value eval_not(const Node& n, Context& c) { return boolean(n.count == 0 || !truthy(eval(n.args[0], c))); }

Value eval_truthy(const Node& n, Context& c) { return boolean(n.count != 0 && truthy(eval(n.args[0], c))); }

// --- arithmetic ----------------------------------------------------------------

Value eval_add(const Node& n, Context& c) {
  double sum = 0;
  if (!n.spread) {
    for (std::uint32_t i = 0; i < n.count; ++i) sum += operand_number(eval(n.args[i], c), c);
    return number(sum);
  }
  Operands ops(n, c);
  for (std::size_t i = 0; i < ops.size(); ++i) sum += operand_number(ops[i], c);
  return number(sum);
}

Value eval_multiply(const Node& n, Context& c) {
  double product = 1;
  if (!n.spread) {
    for (std::uint32_t i = 0; i < n.count; ++i) product *= operand_number(eval(n.args[i], c), c);
    return number(product);
  }
  Operands ops(n, c);
  for (std::size_t i = 0; i < ops.size(); ++i) product *= operand_number(ops[i], c);
  return number(product);
}

// One operand negates; more subtract the rest from the first.
Value eval_subtract(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);
  double result = operand_number(ops[0], c);
  if (ops.size() == 1) return number(-result);
  for (std::size_t i = 1; i < ops.size(); ++i) result -= operand_number(ops[i], c);
  return number(result);
}

// Two listed operands, the usual case of - * / %.
template <double (*Apply)(double, double, Context&)>
Value eval_binary(const Node& n, Context& c) {
  const double a = operand_number(eval(n.args[0], c), c);
  return number(Apply(a, operand_number(eval(n.args[1], c), c), c));
}

double apply_add(double a, double b, Context&) { return a + b; }
double apply_subtract(double a, double b, Context&) { return a - b; }
double apply_multiply(double a, double b, Context&) { return a * b; }

double divisor(const Value& v, Context& c) {
  const double d = operand_number(v, c);
  if (d == 0) raise(kNaN);  // JavaScript gives Infinity or NaN: neither is JSON
  return d;
}

// One operand is a reciprocal; more divide the first by the rest.
Value eval_divide(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);
  if (ops.size() == 1) return number(1 / divisor(ops[0], c));
  double result = operand_number(ops[0], c);
  for (std::size_t i = 1; i < ops.size(); ++i) result /= divisor(ops[i], c);
  return number(result);
}

// JavaScript's %: the result has the dividend's sign (fmod).
Value eval_modulo(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() < 2) raise(kInvalidArguments);
  double result = operand_number(ops[0], c);
  for (std::size_t i = 1; i < ops.size(); ++i) result = std::fmod(result, divisor(ops[i], c));
  return number(result);
}

double apply_divide(double a, double b, Context&) {
  if (b == 0) raise(kNaN);
  return a / b;
}
double apply_modulo(double a, double b, Context&) {
  if (b == 0) raise(kNaN);
  return std::fmod(a, b);
}

template <bool Max>
Value eval_extremum(const Node& n, Context& c) {
  Operands ops(n, c);
  if (ops.size() == 0) raise(kInvalidArguments);  // JavaScript gives ±Infinity
  double best = operand_number(ops[0], c);
  for (std::size_t i = 1; i < ops.size(); ++i) {
    const double d = operand_number(ops[i], c);
    best = Max ? std::max(best, d) : std::min(best, d);
  }
  return number(best);
}

// --- strings -------------------------------------------------------------------

// The operands evaluated up front, so that building a string at the top of
// the arena is not interrupted by their evaluation.
const Value* evaluated_operands(const Node& n, Context& c, std::size_t& size) {
  Operands ops(n, c);
  size = ops.size();
  Value* values = c.arena->allocate_array<Value>(size);
  for (std::size_t i = 0; i < size; ++i) values[i] = ops[i];
  return values;
}

Value eval_cat(const Node& n, Context& c) {
  std::size_t size = 0;
  const Value* values = evaluated_operands(n, c, size);
  if (size == 1 && is_string(values[0])) return values[0];
  StringBuilder out(*c.arena);
  for (std::size_t i = 0; i < size; ++i) {
    if (!is_null(values[i])) append_js_string(out, values[i]);
  }
  charge(c, out.size() / 8);
  return Value::string(out.finish());
}

// substr(string, start[, length]): negative start counts from the end; a
// negative length stops that many characters before the end (json-logic-js).
// Positions count UTF-16 code units, as in JavaScript.
Value eval_substr(const Node& n, Context& c) {
  const Value source_value = eval(n.args[0], c);
  const std::string_view source = js_string(source_value, *c.arena);
  const double length = utf16_length(source);
  double start = n.count > 1 ? js_integer(js_number(eval(n.args[1], c), *c.arena)) : 0;
  start = start < 0 ? std::max(length + start, 0.0) : std::min(start, length);
  double end = length;
  if (n.count > 2) {
    const double count = js_integer(js_number(eval(n.args[2], c), *c.arena));
    end = count < 0 ? std::max(length + count, start) : std::min(start + count, length);
  }
  if (length == static_cast<double>(source.size())) {  // ASCII: a view
    return Value::string(source.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
  }
  StringBuilder out(*c.arena);
  append_utf16_slice(out, source, start, end);
  return Value::string(out.finish());
}

// in: substring of a string, or element (===) of an array.
Value eval_in(const Node& n, Context& c) {
  const Value needle = eval(n.args[0], c);
  const Value haystack = eval(n.args[1], c);
  if (is_string(haystack)) {
    return boolean(VA::s(haystack).find(js_string(needle, *c.arena)) != std::string_view::npos);
  }
  if (VA::tag(haystack) == Tag::array) {
    const Value* items = VA::items(haystack);
    for (std::uint32_t i = 0; i < VA::size(haystack); ++i) {
      if (strict_equal(needle, items[i])) return boolean(true);
    }
    return boolean(false);
  }
  if (VA::tag(haystack) == Tag::json_array) {
    const Items items(haystack);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (strict_equal(needle, items[i])) return boolean(true);
    }
  }
  return boolean(false);
}

// --- arrays --------------------------------------------------------------------

// merge: arrays are flattened one level, anything else is appended.
Value eval_merge(const Node& n, Context& c) {
  Value* parts = c.arena->allocate_array<Value>(n.count);
  std::size_t total = 0;
  for (std::uint32_t i = 0; i < n.count; ++i) {
    parts[i] = eval(n.args[i], c);
    const std::size_t size = is_array(parts[i]) ? array_size(parts[i]) : 1;
    charge(c, size);
    total += size;
  }
  Value* out = c.arena->allocate_array<Value>(total);
  std::size_t k = 0;
  for (std::uint32_t i = 0; i < n.count; ++i) {
    if (!is_array(parts[i])) {
      out[k++] = parts[i];
      continue;
    }
    const Items items(parts[i]);
    for (std::size_t j = 0; j < items.size(); ++j) out[k++] = items[j];
  }
  return VA::make_array(out, static_cast<std::uint32_t>(total));
}

// Runs `body` for each element of `list` with the element as the data; stops
// early when `body` returns false.
template <typename Body>
void for_each_element(const Value& list, const Node& logic, Context& c, Body body) {
  Scope scope;
  scope.iteration = true;
  ScopeGuard guard(c, scope);
  if (VA::tag(list) == Tag::array) {
    const Value* items = VA::items(list);
    for (std::uint32_t i = 0, size = VA::size(list); i < size; ++i) {
      charge(c, logic.weight);
      scope.data = &items[i];
      scope.index = i;
      if (!body(items[i], logic.eval(logic, c))) break;
    }
    return;
  }
  const Items items(list);
  for (std::size_t i = 0; i < items.size(); ++i) {
    charge(c, logic.weight);
    scope.own = items[i];
    scope.data = &scope.own;
    scope.index = static_cast<std::uint32_t>(i);
    if (!body(scope.own, eval(logic, c))) break;
  }
}

Value eval_map(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  if (!is_array(list)) return empty_array();
  const std::size_t size = array_size(list);
  Value* out = c.arena->allocate_array<Value>(size);
  std::size_t k = 0;
  for_each_element(list, n.args[1], c, [&](const Value&, const Value& result) {
    out[k++] = result;
    return true;
  });
  return VA::make_array(out, static_cast<std::uint32_t>(k));
}

Value eval_filter(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  if (!is_array(list)) return empty_array();
  Value* out = c.arena->allocate_array<Value>(array_size(list));
  std::size_t k = 0;
  for_each_element(list, n.args[1], c, [&](const Value& item, const Value& keep) {
    if (truthy(keep)) out[k++] = item;
    return true;
  });
  return VA::make_array(out, static_cast<std::uint32_t>(k));
}

Value eval_reduce(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  const Value initial = n.count > 2 ? eval(n.args[2], c) : Value();
  if (!is_array(list)) return initial;
  ReduceScope scope;
  scope.iteration = true;
  scope.reduce = true;
  scope.accumulator = initial;
  ScopeGuard guard(c, scope);
  const Node& body = n.args[1];
  const Value* native = VA::tag(list) == Tag::array ? VA::items(list) : nullptr;
  const Items items(list);
  for (std::size_t i = 0; i < items.size(); ++i) {
    charge(c, body.weight);
    if (native != nullptr) {
      scope.data = &native[i];
    } else {
      scope.own = items[i];
      scope.data = &scope.own;
    }
    scope.index = static_cast<std::uint32_t>(i);
    scope.accumulator = body.eval(body, c);
  }
  return scope.accumulator;
}

// all / some / none: unlike map and filter, a missing list is an error, as
// "none of nothing" is more likely a wrong path than a true statement.
const Value& required_list(const Value& list) {
  if (!is_array(list)) raise(kInvalidArguments);
  return list;
}

// Whether any element makes `logic` truthy (or, with Want = false, falsy).
template <bool Want>
bool any_element(const Value& items, const Node& logic, Context& c) {
  bool found = false;
  for_each_element(items, logic, c, [&](const Value&, const Value& v) {
    found = truthy(v) == Want;
    return !found;
  });
  return found;
}

Value eval_all(const Node& n, Context& c) {
  const Value list = eval(n.args[0], c);
  if (array_empty(required_list(list))) return boolean(false);  // "all of an empty set is false" (json-logic-js)
  return boolean(!any_element<false>(list, n.args[1], c));
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
Value var_default(const Node& n, Context& c) { return n.count > 1 ? eval(n.args[1], c) : Value(); }

// A path resolved to a slot, of one segment: {"var": "pain_now"}.
[[gnu::noinline]] Value var_slot_slow(const Node& n, Context& c) {
  Value found;
  if (c.slots == nullptr && lookup(c, 0, n.paths->segments, n.paths->length, found)) return found;
  return var_default(n, c);
}

Value eval_var_slot(const Node& n, Context& c) {
  if (c.slots != nullptr) {
    const Value& v = c.slots[2 * std::size_t{n.paths->slot} + 1];
    if (VA::tag(v) != Tag::absent) return v;
  }
  return var_slot_slow(n, c);
}

// The whole data: {"var": ""}. Always found, so a default never applies.
Value eval_var_whole(const Node&, Context& c) {
  if (!c.scope->reduce) return *c.scope->data;
  Value found;
  lookup(c, 0, nullptr, 0, found);
  return found;
}

// One key, read by name: {"var": "a"}. (Never in a reduce body: see
// eval_var_reduce.) The scan of a small object is inline; the rest is not,
// which keeps this function free of a stack frame.
[[gnu::noinline]] Value var_key_slow(const Node& n, Context& c) {
  Value found = *c.scope->data;
  const Segment& key = n.paths->segments[0];
  if (is_object(found) ? find_member(found, key.key, found) : step(found, key)) return found;
  return var_default(n, c);
}

[[gnu::noinline]] Value var_not_found(const Node& n, Context& c) { return var_default(n, c); }

// Keys of up to 8 bytes (most) compare in one step: no call on the way, so
// no stack frame.
template <bool Short>
Value eval_var_key(const Node& n, Context& c) {
  const Value& data = *c.scope->data;
  if (VA::tag(data) != Tag::object || (VA::size(data) > 8 && (VA::flags(data) & kSorted) != 0)) {
    return var_key_slow(n, c);
  }
  const Key& key = n.paths->segments[0].key;
  const Value* pair = VA::items(data);
  const Value* const end = pair + 2 * std::size_t{VA::size(data)};
  for (; pair != end; pair += 2) {
    if (Short ? VA::size(pair[0]) == key.text.size() && load64(VA::s(pair[0]).data()) == key.prefix
              : key_matches(pair[0], key)) {
      if (VA::tag(pair[1]) == Tag::absent) break;
      return pair[1];
    }
  }
  return var_not_found(n, c);
}

// A path of several keys, read by name: {"var": "a.b"}.
Value eval_var_path(const Node& n, Context& c) {
  Value found;
  if (descend(*c.scope->data, n.paths->segments, n.paths->length, found)) return found;
  return var_default(n, c);
}

// In a reduce body: {"var": "current.qty"}, {"var": "accumulator"}.
template <bool Current>
Value eval_var_reduce(const Node& n, Context& c) {
  const Scope& s = *c.scope;
  if (n.paths->length == 1) return Current ? *s.data : accumulator_of(s);
  Value found;
  if (descend(Current ? *s.data : accumulator_of(s), n.paths->segments + 1, n.paths->length - 1, found)) return found;
  return var_default(n, c);
}

// In a reduce body, any other key is absent.
Value eval_var_absent(const Node& n, Context& c) { return var_default(n, c); }

// A path of several keys whose first is a slot: {"var": "knee.side"}.
Value eval_var_slot_path(const Node& n, Context& c) {
  Value found;
  if (read_path(c, *n.paths, 0, found)) return found;
  return var_default(n, c);
}

Value eval_var_dynamic(const Node& n, Context& c) {
  const auto [segments, length] = var_path(eval(n.args[0], c), *c.arena);
  Value found;
  if (lookup(c, 0, segments, length, found)) return found;
  return var_default(n, c);
}

// val / exists: a path given as separate keys (no dot splitting), optionally
// climbing scopes first: {"val": [[2], "key"]}.
bool find_val(const Node& n, Context& c, Value& out) {
  if (n.path_count == 1) return read_path(c, *n.paths, n.climb, out);
  Operands ops(n, c);
  std::uint32_t climb = 0;
  Segment* path = c.arena->allocate_array<Segment>(ops.size());
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Value v = ops[i];
    if (i == 0 && is_array(v)) {
      const Items climb_spec(v);
      if (!climb_spec.empty() && is_number(climb_spec[0])) {
        climb = static_cast<std::uint32_t>(std::min(std::fabs(js_integer(VA::d(climb_spec[0]))), 1e6));
      }
      continue;
    }
    path[length++] = value_segment(v, *c.arena);
  }
  return lookup(c, climb, path, length, out);
}

Value eval_val(const Node& n, Context& c) {
  Value found;
  return find_val(n, c, found) ? found : Value();
}

Value eval_exists(const Node& n, Context& c) {
  Value found;
  return boolean(find_val(n, c, found));
}

// missing: the keys among the arguments (or in a single array argument) whose
// value is absent, null or "".
bool is_missing(bool found, const Value& v) {
  return !found || is_null(v) || (is_string(v) && VA::size(v) == 0);
}

[[gnu::noinline]] bool path_missing_slow(const Context& c, const PathRef& p) {
  Value v;
  return is_missing(read_path(c, p, 0, v), v);
}

// Whether a constant path is missing (absent, null or ""), by address.
inline bool path_missing(const Context& c, const PathRef& p) {
  const Value* at;
  const Segment* segments = p.segments;
  std::uint32_t length = p.length;
  if (p.slot != kNoSlot && c.slots != nullptr) {
    at = &c.slots[2 * std::size_t{p.slot} + 1];
    if (VA::tag(*at) == Tag::absent) return true;
    ++segments;
    --length;
  } else if (!c.scope->reduce) {
    at = c.scope->data;
  } else {
    return path_missing_slow(c, p);
  }
  std::uint32_t i = 0;
  const Value* found = walk(at, segments, length, i);
  if (found == &kSlowWay) return path_missing_slow(c, p);
  return found == nullptr || VA::tag(*found) == Tag::null || (VA::tag(*found) == Tag::string && VA::size(*found) == 0);
}

// Keys known at compile time: paths (and slots) resolved already.
Value missing_static(const Node& n, Context& c, std::size_t& present) {
  Value* out = c.arena->allocate_array<Value>(n.path_count);
  std::uint32_t k = 0;
  for (std::uint32_t i = 0; i < n.path_count; ++i) {
    if (path_missing(c, n.paths[i])) out[k++] = n.paths[i].name;
  }
  present = n.path_count - k;
  if (k == 0) return empty_array();
  if (k == n.path_count) return n.literal;  // every key, prepared by set_static_keys
  return VA::make_array(out, k);
}

Value missing_keys(const Items& keys, Context& c, std::size_t& present) {
  Value* out = c.arena->allocate_array<Value>(keys.size());
  std::uint32_t k = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Value key = keys[i];
    const auto [segments, length] = var_path(key, *c.arena);
    Value v;
    if (is_missing(lookup(c, 0, segments, length, v), v)) out[k++] = key;
  }
  present = keys.size() - k;
  return VA::make_array(out, k);
}

Value eval_missing(const Node& n, Context& c) {
  std::size_t present = 0;
  if (n.paths != nullptr) return missing_static(n, c, present);
  std::size_t size = 0;
  const Value* values = evaluated_operands(n, c, size);
  if (size > 0 && is_array(values[0])) return missing_keys(Items(values[0]), c, present);
  return missing_keys(Items(VA::make_array(values, static_cast<std::uint32_t>(size))), c, present);
}

// missing_some: [minimum, keys] — nothing is missing once `minimum` are present.
Value eval_missing_some(const Node& n, Context& c) {
  const double need = js_number(eval(n.args[0], c), *c.arena);
  std::size_t present = 0;
  Value missing;
  if (n.paths != nullptr) {
    missing = missing_static(n, c, present);
  } else {
    Value options = eval(n.args[1], c);
    if (!is_array(options)) {
      Value* one = c.arena->allocate_array<Value>(1);
      one[0] = options;
      options = VA::make_array(one, 1);
    }
    missing = missing_keys(Items(options), c, present);
  }
  if (static_cast<double>(present) >= need) return empty_array();
  return missing;
}

// --- errors and misc -------------------------------------------------------------

// {"type": type}, built without nlohmann's initializer lists, which copy
// recursively (the type may come from data).
json error_object(json type) {
  json error = json::object();
  error["type"] = std::move(type);
  return error;
}

Value eval_throw(const Node& n, Context& c) {
  const Value v = eval(n.args[0], c);
  const Value thrown = is_array(v) && !array_empty(v) ? Items(v)[0] : v;
  if (is_object(thrown)) throw Raised{to_json(thrown)};
  throw Raised{error_object(to_json(thrown))};
}

// try: the first alternative that does not raise an error. Each fallback sees
// {"type": <previous error's type>} as its data.
Value eval_try(const Node& n, Context& c) {
  try {
    return eval(n.args[0], c);
  } catch (Raised& first) {
    json error = std::move(first.error);
    for (std::uint32_t i = 1; i < n.count; ++i) {
      const auto type = error.is_object() ? error.find("type") : error.end();
      Scope scope;
      scope.own = make_single_object(kTypeKey, type != error.end() ? view_of(*type) : Value(), *c.arena);
      scope.data = &scope.own;
      ScopeGuard guard(c, scope);
      try {
        return copy_value(eval(n.args[i], c), *c.arena);  // not a view into `error`
      } catch (Raised& next) {
        error = std::move(next.error);
      }
    }
    throw Raised{std::move(error)};
  }
}

}  // namespace

// An array with operations inside: [1, {"var": "x"}, 3].
Value detail::eval_array(const Node& n, Context& c) {
  Value* out = c.arena->allocate_array<Value>(n.count);
  for (std::uint32_t i = 0; i < n.count; ++i) out[i] = eval(n.args[i], c);
  return VA::make_array(out, n.count);
}

namespace {

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

Value eval_log(const Node& n, Context& c) {
  const Value v = eval(n.args[0], c);
  const json printed = to_json(v);
  constexpr std::size_t kMaxPrintableDepth = 256;  // dump() recurses
  if (depth_up_to(printed, kMaxPrintableDepth) > kMaxPrintableDepth) {
    std::cerr << "(log: value nested too deeply to print)\n";
  } else {
    std::cerr << printed.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  }
  return v;
}

// ===========================================================================
// 3. The operation table
// ===========================================================================

// Two operands, the second a literal or not: no argument list to walk.
template <TestFn Test>
void specialise_compare(Node& n) {
  if (n.count == 2) n.eval = n.args[1].is_literal() ? eval_pair_literal<Test> : eval_pair<Test>;
}

// Two listed operands: no argument list to walk.
template <double (*Apply)(double, double, Context&)>
void specialise_binary(Node& n) {
  if (!n.spread && n.count == 2) n.eval = eval_binary<Apply>;
}

const Operation kOperations[] = {
    // data access
    {"var", eval_var_dynamic, Shape::Plain, 0, 2, Reads::Data, Step::var},
    {"val", eval_val, Shape::Chained, 0, kAny, Reads::Data, Step::val},
    {"exists", eval_exists, Shape::Chained, 0, kAny, Reads::Data, Step::val},
    {"missing", eval_missing, Shape::Chained, 0, kAny, Reads::Data, Step::missing},
    {"missing_some", eval_missing_some, Shape::Plain, 2, 2, Reads::Data, Step::missing_some},
    // logic
    {"if", eval_if, Shape::List, 0, kAny},
    {"?:", eval_if, Shape::List, 0, kAny},
    {"and", eval_and, Shape::List, 0, kAny},
    {"or", eval_or, Shape::List, 0, kAny},
    {"??", eval_coalesce, Shape::Plain, 0, kAny},
    {"!", eval_not, Shape::Plain, 0, 1},
    {"!!", eval_truthy, Shape::Plain, 0, 1},
    // comparison
    {"==", eval_chain<loose_equal>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<loose_equal>},
    {"!=", eval_chain<loose_not_equal>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<loose_not_equal>},
    {"===", eval_chain<strict_eq>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<strict_eq>},
    {"!==", eval_chain<strict_not_equal>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<strict_not_equal>},
    {"<", eval_chain<less_than>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<less_than>},
    {"<=", eval_chain<less_equal>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<less_equal>},
    {">", eval_chain<greater_than>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<greater_than>},
    {">=", eval_chain<greater_equal>, Shape::List, 2, kAny, Reads::Same, Step::none, specialise_compare<greater_equal>},
    // arithmetic
    {"+", eval_add, Shape::Chained, 0, kAny, Reads::Same, Step::none, specialise_binary<apply_add>},
    {"-", eval_subtract, Shape::Chained, 1, kAny, Reads::Same, Step::none, specialise_binary<apply_subtract>},
    {"*", eval_multiply, Shape::Chained, 0, kAny, Reads::Same, Step::none, specialise_binary<apply_multiply>},
    {"/", eval_divide, Shape::Chained, 1, kAny, Reads::Same, Step::none, specialise_binary<apply_divide>},
    {"%", eval_modulo, Shape::Chained, 2, kAny, Reads::Same, Step::none, specialise_binary<apply_modulo>},
    {"min", eval_extremum<false>, Shape::Chained, 1, kAny},
    {"max", eval_extremum<true>, Shape::Chained, 1, kAny},
    // strings
    {"cat", eval_cat, Shape::Chained, 0, kAny},
    {"substr", eval_substr, Shape::Plain, 1, 3},
    {"in", eval_in, Shape::Plain, 2, 2},
    // arrays
    {"merge", eval_merge, Shape::Plain, 0, kAny},
    {"map", eval_map, Shape::List, 2, 2, Reads::Iterator, Step::iterator_with_logic},
    {"filter", eval_filter, Shape::List, 2, 2, Reads::Iterator, Step::iterator_with_logic},
    {"reduce", eval_reduce, Shape::List, 2, 3, Reads::Reduce, Step::iterator},
    {"all", eval_all, Shape::List, 2, 2, Reads::Iterator, Step::iterator},
    {"some", eval_some, Shape::List, 2, 2, Reads::Iterator, Step::iterator},
    {"none", eval_none, Shape::List, 2, 2, Reads::Iterator, Step::iterator},
    // errors and misc
    {"throw", eval_throw, Shape::Plain, 1, 1},
    {"try", eval_try, Shape::Plain, 1, kAny, Reads::Try},
    {"preserve", eval_literal, Shape::Literal, 0, kAny},
    {"log", eval_log, Shape::Plain, 1, 1, Reads::Effect},
};

}  // namespace

const Operation* detail::find_operation(std::string_view name) {
  for (const Operation& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

EvalFn detail::resolved_var_evaluation(const PathRef& p, bool in_reduce) {
  if (in_reduce && p.length > 0) {
    const std::string_view first = p.segments[0].key.text;
    return first == "current" ? eval_var_reduce<true> : first == "accumulator" ? eval_var_reduce<false> : eval_var_absent;
  }
  if (p.slot != kNoSlot) return p.length == 1 ? eval_var_slot : eval_var_slot_path;
  if (p.length == 0) return eval_var_whole;
  return p.length != 1 ? eval_var_path : p.segments[0].key.text.size() <= 8 ? eval_var_key<true> : eval_var_key<false>;
}

std::optional<Value> detail::evaluate_constant(const Node& n, std::size_t& budget, Arena& scratch) {
  Scope scope;
  Context context{&scope, budget, &scratch, nullptr};
  try {
    const Value v = eval(n, context);
    budget = context.budget;
    return v;
  } catch (const Raised&) {
    budget = context.budget;
    return std::nullopt;
  }
}

namespace {

// --- running -------------------------------------------------------------------------

Value run(const Program& program, const Value& data, const Value* slots, Arena& arena) {
  Scope scope;
  scope.data = &data;
  Context context{&scope, kWorkBudget, &arena, slots};
  return eval(program.root, context);
}

const Value* slots_for(const Program& program, const Data& data, const std::vector<Value>& members) {
  if (!program.has_slots || !data.slots().same_as(program.slots)) return nullptr;
  return members.data();
}

}  // namespace

// ===========================================================================
// 4. Expression
// ===========================================================================

Value Expression::evaluate_prepared(const Data& data, Scratch& scratch) const {
  if (!program_) return Value();
  const Program& program = *program_;
  if (!scratch.arena_) scratch.arena_ = std::make_unique<Arena>();
  Arena& arena = *scratch.arena_;
  arena.reset();
  try {
    return run(program, data.root_, slots_for(program, data, data.members_), arena);
  } catch (...) {
    return Value();  // Raised errors, and allocation failures
  }
}

json Expression::evaluate(const Data& data) const {
  if (!program_) return nullptr;
  try {
    alignas(8) char buffer[1024];
    Arena arena(buffer, sizeof buffer);
    return to_json(run(*program_, data.root_, slots_for(*program_, data, data.members_), arena));
  } catch (...) {
    return nullptr;
  }
}

bool Expression::matches_prepared(const Data& data) const {
  if (!program_) return false;
  const Program& program = *program_;
  try {
    alignas(8) char buffer[1024];
    Arena arena(buffer, sizeof buffer);
    return truthy(run(program, data.root_, slots_for(program, data, data.members_), arena));
  } catch (...) {
    return false;
  }
}

json Expression::evaluate(const json& data) const {
  if (!program_) return nullptr;
  try {
    alignas(8) char buffer[1024];
    Arena arena(buffer, sizeof buffer);
    return to_json(run(*program_, view_of(data), nullptr, arena));
  } catch (...) {
    return nullptr;  // Raised errors, and nlohmann or allocation failures
  }
}

bool Expression::matches(const json& data) const {
  if (!program_) return false;
  try {
    alignas(8) char buffer[1024];
    Arena arena(buffer, sizeof buffer);
    return truthy(run(*program_, view_of(data), nullptr, arena));
  } catch (...) {
    return false;
  }
}


const std::vector<std::string>& Expression::variables() const { return variables_; }

const std::vector<std::size_t>& Expression::variable_slots() const { return variable_slots_; }

const json& Expression::rule() const { return rule_; }

}  // namespace kneecheck::logic
