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
// Layout of this file:
//   1. Evaluation machinery (nodes, scopes, the work budget, conversions)
//   2. Operations, one function each, grouped as in the operation table
//   3. The operation table
//   4. The compiler
//   5. Expression

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

namespace kneecheck::logic {

using nlohmann::json;
using namespace detail;

namespace {

// ===========================================================================
// 1. Evaluation machinery
// ===========================================================================

// Work allowed for one evaluation, in elements visited or produced. It stops
// rules such as a reduce that doubles its accumulator from running away; real
// rules use a tiny fraction of it. Folding at compile time shares one such
// budget per compile.
constexpr std::size_t kWorkBudget = 10'000'000;

constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;

// One step of a path: an object key, which is also an array index when it is
// a canonical one ("0", "12"; not "01").
struct Segment {
  Key key;
  std::uint32_t index = 0;
  bool is_index = false;
};

Segment key_segment(std::string_view key) {
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

// A constant path, as compiled: its segments and, when its first segment
// names a slot (and it reads the rule's own data), that slot.
struct PathRef {
  const Segment* segments;
  std::uint32_t length;
  std::uint32_t slot;  // kNoSlot, or the slot of segments[0]
  Value name;          // missing: the key as written, for the result
};

struct Context;

}  // namespace

// The compiled form of one JSON value of the rule. A node's arguments are
// contiguous (`args`, `count`); during compilation `owned` holds them.
struct Node;
using EvalFn = Value (*)(const Node&, Context&);

namespace {
Value eval_literal(const Node& n, Context& c);
}  // namespace

struct Node {
  EvalFn eval = eval_literal;
  const Node* args = nullptr;     // into `owned`
  std::uint32_t count = 0;
  std::uint32_t weight = 1;       // nodes in this subtree: the cost of one evaluation
  Value literal;                  // literal node: its value; missing: the list of every key
  const PathRef* paths = nullptr;  // var / val / exists: one; missing: one per key
  std::uint32_t path_count = 0;
  std::uint32_t climb = 0;        // val: scope levels to climb ([[n], ...])
  bool spread = false;            // one operation argument whose array result is the argument list
  // Compile time only.
  bool pure = true;   // no side effects (log) anywhere inside
  int reach = -1;     // scope levels up this subtree reads: -1 none, 0 its own, ...
  std::vector<Node> owned;  // the arguments (contiguous)

  bool is_literal() const { return eval == eval_literal; }
  void adopt(std::vector<Node> children) {
    owned = std::move(children);
    args = owned.data();
    count = static_cast<std::uint32_t>(owned.size());
  }
};

struct Program {
  // Literals, paths and their keys: a condition's take a few hundred bytes,
  // and a rule set compiles a hundred conditions when kneecheck starts.
  Arena storage{256};
  Node root;
  SlotNames slots;
  bool has_slots = false;
};

namespace {

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

Value eval_literal(const Node& n, Context&) { return n.literal; }

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

// String(v), as a view: strings as they are, anything else built in `arena`.
std::string_view js_string(const Value& v, Arena& arena) {
  if (is_string(v)) return VA::s(v);
  StringBuilder out(arena);
  append_js_string(out, v);
  return out.finish();
}

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

// ToIntegerOrInfinity, as String.prototype.substr applies to its arguments.
double js_integer(double d) { return std::isnan(d) ? 0 : std::trunc(d); }

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

// A `val` / `exists` path element: numbers index arrays directly.
Segment value_segment(const Value& v, Arena& arena) {
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

// An array with operations inside: [1, {"var": "x"}, 3].
Value eval_array(const Node& n, Context& c) {
  Value* out = c.arena->allocate_array<Value>(n.count);
  for (std::uint32_t i = 0; i < n.count; ++i) out[i] = eval(n.args[i], c);
  return VA::make_array(out, n.count);
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

// What an operation reads, for folding and for variables():
//   Same:     only its arguments.
//   Data:     the data of its scope (var, missing, ...).
//   Iterator: its second argument runs in a scope of its own (map, ...).
//   Try:      its fallbacks run in a scope of their own.
//   Effect:   has a side effect: never folded (log).
enum class Reads { Same, Data, Iterator, Try, Effect };

// Extra compile steps: `prepare` on the raw arguments before they are
// compiled, `finish` on the node once they are.
using PrepareFn = void (*)(Node&, const std::vector<const json*>&, Compiler&);
using FinishFn = void (*)(Node&, Compiler&);

void prepare_var(Node&, const std::vector<const json*>&, Compiler&);
void prepare_val(Node&, const std::vector<const json*>&, Compiler&);
void prepare_missing(Node&, const std::vector<const json*>&, Compiler&);
void prepare_missing_some(Node&, const std::vector<const json*>&, Compiler&);
void prepare_iterator(Node&, const std::vector<const json*>&, Compiler&);
void prepare_iterator_with_logic(Node&, const std::vector<const json*>&, Compiler&);
void finish_var(Node&, Compiler&);
void finish_missing(Node&, Compiler&);
void finish_missing_some(Node&, Compiler&);

template <TestFn Test>
void finish_compare(Node& n, Compiler&) {
  if (n.count == 2) n.eval = n.args[1].is_literal() ? eval_pair_literal<Test> : eval_pair<Test>;
}

// Two listed operands: no argument list to walk.
template <double (*Apply)(double, double, Context&)>
void finish_binary(Node& n, Compiler&) {
  if (!n.spread && n.count == 2) n.eval = eval_binary<Apply>;
}

constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();

struct Operation {
  std::string_view name;
  EvalFn eval;
  Shape shape;
  std::size_t min_args;
  std::size_t max_args;
  Reads reads = Reads::Same;
  PrepareFn prepare = nullptr;
  FinishFn finish = nullptr;
};

const Operation kOperations[] = {
    // data access
    {"var", eval_var_dynamic, Shape::Plain, 0, 2, Reads::Data, prepare_var, finish_var},
    {"val", eval_val, Shape::Chained, 0, kAny, Reads::Data, prepare_val},
    {"exists", eval_exists, Shape::Chained, 0, kAny, Reads::Data, prepare_val},
    {"missing", eval_missing, Shape::Chained, 0, kAny, Reads::Data, prepare_missing, finish_missing},
    {"missing_some", eval_missing_some, Shape::Plain, 2, 2, Reads::Data, prepare_missing_some, finish_missing_some},
    // logic
    {"if", eval_if, Shape::List, 0, kAny},
    {"?:", eval_if, Shape::List, 0, kAny},
    {"and", eval_and, Shape::List, 0, kAny},
    {"or", eval_or, Shape::List, 0, kAny},
    {"??", eval_coalesce, Shape::Plain, 0, kAny},
    {"!", eval_not, Shape::Plain, 0, 1},
    {"!!", eval_truthy, Shape::Plain, 0, 1},
    // comparison
    {"==", eval_chain<loose_equal>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<loose_equal>},
    {"!=", eval_chain<loose_not_equal>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<loose_not_equal>},
    {"===", eval_chain<strict_eq>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<strict_eq>},
    {"!==", eval_chain<strict_not_equal>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<strict_not_equal>},
    {"<", eval_chain<less_than>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<less_than>},
    {"<=", eval_chain<less_equal>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<less_equal>},
    {">", eval_chain<greater_than>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<greater_than>},
    {">=", eval_chain<greater_equal>, Shape::List, 2, kAny, Reads::Same, nullptr, finish_compare<greater_equal>},
    // arithmetic
    {"+", eval_add, Shape::Chained, 0, kAny, Reads::Same, nullptr, finish_binary<apply_add>},
    {"-", eval_subtract, Shape::Chained, 1, kAny, Reads::Same, nullptr, finish_binary<apply_subtract>},
    {"*", eval_multiply, Shape::Chained, 0, kAny, Reads::Same, nullptr, finish_binary<apply_multiply>},
    {"/", eval_divide, Shape::Chained, 1, kAny, Reads::Same, nullptr, finish_binary<apply_divide>},
    {"%", eval_modulo, Shape::Chained, 2, kAny, Reads::Same, nullptr, finish_binary<apply_modulo>},
    {"min", eval_extremum<false>, Shape::Chained, 1, kAny},
    {"max", eval_extremum<true>, Shape::Chained, 1, kAny},
    // strings
    {"cat", eval_cat, Shape::Chained, 0, kAny},
    {"substr", eval_substr, Shape::Plain, 1, 3},
    {"in", eval_in, Shape::Plain, 2, 2},
    // arrays
    {"merge", eval_merge, Shape::Plain, 0, kAny},
    {"map", eval_map, Shape::List, 2, 2, Reads::Iterator, prepare_iterator_with_logic},
    {"filter", eval_filter, Shape::List, 2, 2, Reads::Iterator, prepare_iterator_with_logic},
    {"reduce", eval_reduce, Shape::List, 2, 3, Reads::Iterator, prepare_iterator},
    {"all", eval_all, Shape::List, 2, 2, Reads::Iterator, prepare_iterator},
    {"some", eval_some, Shape::List, 2, 2, Reads::Iterator, prepare_iterator},
    {"none", eval_none, Shape::List, 2, 2, Reads::Iterator, prepare_iterator},
    // errors and misc
    {"throw", eval_throw, Shape::Plain, 1, 1},
    {"try", eval_try, Shape::Plain, 1, kAny, Reads::Try},
    {"preserve", eval_literal, Shape::Literal, 0, kAny},
    {"log", eval_log, Shape::Plain, 1, 1, Reads::Effect},
};

const Operation* find_operation(std::string_view name) {
  for (const Operation& op : kOperations) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

// ===========================================================================
// 4. The compiler
// ===========================================================================

// Rules may come from anyone: compile recursion is bounded by the depth limit,
// and this cap bounds that limit whatever the caller asks for.
constexpr std::size_t kDepthCap = 512;

// reach of a subtree whose reads cannot be known at compile time.
constexpr int kUnknownReach = 1 << 20;

struct CompileFailure {
  Error error;
};

// The scopes that operations open for some of their arguments.
enum class ScopeKind { Reduce, Other };

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
  Compiler(const Limits& limits, std::string_view base_pointer, Program& program)
      : max_depth_(std::min(limits.max_depth, kDepthCap)),
        max_nodes_(limits.max_nodes),
        pointer_(base_pointer),
        program_(program) {}

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
    if (scopes_.empty() && !path.empty() && seen_.insert(path).second) variables_.push_back(std::move(path));
  }

  Arena& storage() { return program_.storage; }

  // Whether what is being compiled runs directly in a reduce body, whose
  // data is {"current", "accumulator"}.
  bool in_reduce() const { return !scopes_.empty() && scopes_.back() == ScopeKind::Reduce; }

  // A constant path for the program: segments (and slot) resolved. `climb`
  // and the scope decide whether the slot applies.
  PathRef make_path(std::vector<Segment> segments, std::uint32_t climb, Value name = Value()) {
    Segment* stored = storage().allocate_array<Segment>(segments.size());
    for (std::size_t i = 0; i < segments.size(); ++i) {
      stored[i] = segments[i];
      stored[i].key = Key(copy_string(segments[i].key.text, storage()));
    }
    PathRef p{stored, static_cast<std::uint32_t>(segments.size()), kNoSlot, name};
    if (program_.has_slots && scopes_.empty() && climb == 0 && !segments.empty()) {
      const std::size_t slot = program_.slots.find(segments[0].key.text);
      if (slot != SlotNames::npos) p.slot = static_cast<std::uint32_t>(slot);
    }
    return p;
  }

  const PathRef* store_paths(const std::vector<PathRef>& paths) {
    PathRef* stored = storage().allocate_array<PathRef>(std::max<std::size_t>(paths.size(), 1));  // never null
    std::copy(paths.begin(), paths.end(), stored);
    return stored;
  }

  // `var`'s dotted path of a literal: "a.b.0"; null or "" is the whole data.
  PathRef var_path_of(const Value& v, Value name = Value()) {
    std::vector<Segment> segments;
    if (!is_null(v)) {
      const std::string_view dotted = js_string(v, storage());
      if (!dotted.empty()) {
        std::size_t start = 0;
        while (true) {
          const std::size_t dot = dotted.find('.', start);
          segments.push_back(key_segment(dotted.substr(start, dot - start)));
          if (dot == std::string_view::npos) break;
          start = dot + 1;
        }
      }
    }
    return make_path(std::move(segments), 0, name);
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

  Node literal(Value v) {
    Node n;
    n.literal = v;
    return n;
  }

  Node compile_value(const json& v, std::size_t depth) {
    count_node();
    if (v.is_array()) return compile_array(v, depth + 1);
    if (v.is_object() && !v.empty()) {
      if (v.size() != 1) fail("an operation must be an object with exactly one key, not " + std::to_string(v.size()));
      return compile_operation(v.begin().key(), v.begin().value(), depth + 1);
    }
    return literal(copy_json(v, storage()));
  }

  Node compile_array(const json& v, std::size_t depth) {
    enter(depth);
    std::vector<Node> args;
    args.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      Token token(*this, std::to_string(i));
      args.push_back(compile_value(v[i], depth));
    }
    Node n;
    n.eval = eval_array;
    n.weight += total_weight(args);
    if (std::all_of(args.begin(), args.end(), [](const Node& a) { return a.is_literal(); })) {
      Value* items = storage().allocate_array<Value>(args.size());
      for (std::size_t i = 0; i < args.size(); ++i) items[i] = args[i].literal;
      Node array = literal(VA::make_array(items, static_cast<std::uint32_t>(args.size())));
      array.weight = n.weight;
      return array;
    }
    for (const Node& a : args) {
      n.reach = std::max(n.reach, a.reach);
      n.pure = n.pure && a.pure;
    }
    n.adopt(std::move(args));
    return n;
  }

  Node compile_operation(const std::string& name, const json& value, std::size_t depth) {
    enter(depth);
    const Operation* op = find_operation(name);
    if (op == nullptr) fail("unknown operation " + quote_name(name));
    Token token(*this, name);
    if (op->shape == Shape::Literal) {
      check_literal(value, depth);
      return literal(copy_json(value, storage()));
    }
    Node n;
    n.eval = op->eval;
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
    std::vector<Node> args;
    args.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const bool nested = (op->reads == Reads::Iterator && i == 1) || (op->reads == Reads::Try && i > 0);
      if (nested) scopes_.push_back(op->eval == eval_reduce ? ScopeKind::Reduce : ScopeKind::Other);
      if (value.is_array()) {
        Token index(*this, std::to_string(i));
        args.push_back(compile_value(*raw[i], depth));
      } else {
        args.push_back(compile_value(*raw[i], depth));
      }
      if (nested) scopes_.pop_back();
      // Reads of a nested scope's own data are not reads of this scope.
      const int reach = nested ? (args.back().reach >= 1 ? args.back().reach - 1 : -1) : args.back().reach;
      n.reach = std::max(n.reach, reach);
      n.pure = n.pure && args.back().pure;
    }
    n.weight += total_weight(args);
    n.adopt(std::move(args));
    if (op->reads == Reads::Data) {
      const bool known = n.paths != nullptr || op->eval == eval_var_dynamic || op->eval == eval_missing ||
                         op->eval == eval_missing_some;
      n.reach = std::max(n.reach, known ? static_cast<int>(n.climb / 2) : kUnknownReach);
    }
    if (op->reads == Reads::Effect) n.pure = false;
    if (op->finish != nullptr) op->finish(n, *this);
    fold(n);
    return n;
  }

  // An operation that reads no data and has no effect gives the same value
  // every time: evaluate it now. One that raises an error is left to raise
  // it at run time.
  void fold(Node& n) {
    if (n.reach >= 0 || !n.pure || fold_budget_ == 0) return;
    alignas(8) char buffer[512];
    Arena scratch(buffer, sizeof buffer);
    Scope scope;
    Context context{&scope, fold_budget_, &scratch, nullptr};
    try {
      const Value v = eval(n, context);
      fold_budget_ = context.budget;
      const std::uint32_t weight = n.weight;
      n = literal(copy_value(v, storage()));
      n.weight = weight;
    } catch (const Raised&) {
      fold_budget_ = context.budget;
    }
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

  static std::uint32_t total_weight(const std::vector<Node>& nodes) {
    std::uint32_t sum = 0;
    for (const Node& n : nodes) sum += n.weight;
    return sum;
  }

  std::size_t max_depth_;
  std::size_t max_nodes_;
  std::string pointer_;
  Program& program_;
  std::size_t nodes_ = 0;
  std::vector<ScopeKind> scopes_;  // the scopes enclosing what is being compiled
  std::size_t fold_budget_ = kWorkBudget;
  std::vector<std::string> variables_;
  std::unordered_set<std::string> seen_;
};

// --- compile steps of individual operations ----------------------------------

std::string js_string_of(const json& v) {
  alignas(8) char buffer[256];
  Arena arena(buffer, sizeof buffer);
  return std::string(js_string(view_of(v), arena));
}

void prepare_var(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (raw.empty()) {
    n.paths = compiler.store_paths({compiler.make_path({}, 0)});  // {"var": []}: the whole data
    n.path_count = 1;
    return;
  }
  if (!is_scalar(*raw[0])) return;  // computed path
  n.paths = compiler.store_paths({compiler.var_path_of(view_of(*raw[0]))});
  n.path_count = 1;
  if (!raw[0]->is_null()) compiler.note_variable(js_string_of(*raw[0]));
}

void finish_var(Node& n, Compiler& compiler) {
  if (n.paths == nullptr) return;
  const PathRef& p = *n.paths;
  if (compiler.in_reduce() && p.length > 0) {
    const std::string_view first = p.segments[0].key.text;
    n.eval = first == "current" ? eval_var_reduce<true> : first == "accumulator" ? eval_var_reduce<false> : eval_var_absent;
  } else if (p.slot != kNoSlot) {
    n.eval = p.length == 1 ? eval_var_slot : eval_var_slot_path;
  } else if (p.length == 0) {
    n.eval = eval_var_whole;
  } else {
    n.eval = p.length != 1 ? eval_var_path : p.segments[0].key.text.size() <= 8 ? eval_var_key<true> : eval_var_key<false>;
  }
}

void prepare_val(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (n.spread) return;
  std::size_t first_key = 0;
  std::uint32_t climb = 0;
  if (!raw.empty() && raw[0]->is_array()) {
    const json& spec = *raw[0];
    if (spec.size() != 1 || !spec[0].is_number()) return;
    climb = static_cast<std::uint32_t>(std::min(std::fabs(js_integer(spec[0].get<double>())), 1e6));
    first_key = 1;
  }
  std::vector<Segment> segments;
  std::string joined;
  for (std::size_t i = first_key; i < raw.size(); ++i) {
    if (!is_scalar(*raw[i])) return;
    const Value key = view_of(*raw[i]);
    segments.push_back(value_segment(key, compiler.storage()));
    if (!joined.empty()) joined += '.';
    joined += segments.back().key.text;
  }
  n.climb = climb;
  n.paths = compiler.store_paths({compiler.make_path(std::move(segments), climb)});
  n.path_count = 1;
  if (climb == 0) compiler.note_variable(joined);
}

void note_keys(const json& keys, Compiler& compiler) {
  for (const json& key : keys) {
    if (key.is_string() || key.is_number()) compiler.note_variable(js_string_of(key));
  }
}

void prepare_missing(Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  if (n.spread) return;
  if (!raw.empty() && raw[0]->is_array()) {
    note_keys(*raw[0], compiler);
    return;
  }
  for (const json* key : raw) {
    if (key->is_string() || key->is_number()) compiler.note_variable(js_string_of(*key));
  }
}

void prepare_missing_some(Node&, const std::vector<const json*>& raw, Compiler& compiler) {
  if (raw[1]->is_array()) note_keys(*raw[1], compiler);
}

// Keys known at compile time become resolved paths.
void set_static_keys(Node& n, const Items& keys, Compiler& compiler) {
  std::vector<PathRef> paths;
  Value* names = compiler.storage().allocate_array<Value>(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    paths.push_back(compiler.var_path_of(keys[i], keys[i]));
    names[i] = keys[i];
  }
  n.paths = compiler.store_paths(paths);
  n.path_count = static_cast<std::uint32_t>(paths.size());
  n.literal = VA::make_array(names, n.path_count);  // the result when every key is missing
}

void finish_missing(Node& n, Compiler& compiler) {
  if (n.spread || !std::all_of(n.args, n.args + n.count, [](const Node& a) { return a.is_literal(); })) return;
  if (n.count > 0 && is_array(n.args[0].literal)) {
    set_static_keys(n, Items(n.args[0].literal), compiler);
    return;
  }
  Value* keys = compiler.storage().allocate_array<Value>(n.count);
  for (std::uint32_t i = 0; i < n.count; ++i) keys[i] = n.args[i].literal;
  set_static_keys(n, Items(VA::make_array(keys, n.count)), compiler);
}

void finish_missing_some(Node& n, Compiler& compiler) {
  if (!n.args[1].is_literal()) return;
  const Value options = n.args[1].literal;
  if (is_array(options)) {
    set_static_keys(n, Items(options), compiler);
    return;
  }
  Value* one = compiler.storage().allocate_array<Value>(1);
  one[0] = options;
  set_static_keys(n, Items(VA::make_array(one, 1)), compiler);
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
// 5. Expression
// ===========================================================================

Result<Expression> Expression::compile(const json& rule, std::string_view base_pointer, const Limits& limits,
                                       const SlotNames* slots) {
  try {
    auto program = std::make_shared<Program>();
    if (slots != nullptr && slots->size() > 0) {
      program->slots = *slots;
      program->has_slots = true;
    }
    Compiler compiler(limits, base_pointer, *program);
    program->root = compiler.compile(rule);
    Expression expression;
    expression.is_constant_ = program->root.is_literal();
    expression.constant_ = program->root.literal;  // lives as long as the program
    expression.program_ = std::move(program);
    expression.variables_ = compiler.take_variables();
    for (const std::string& path : expression.variables_) {
      const std::string_view first = std::string_view(path).substr(0, path.find('.'));
      expression.variable_slots_.push_back(slots == nullptr ? SlotNames::npos : slots->find(first));
    }
    expression.rule_ = rule;  // within the depth limit, so copying is safe
    return expression;
  } catch (const CompileFailure& failure) {
    return failure.error;
  } catch (const std::exception& e) {
    return Error{std::string("cannot compile the rule: ") + e.what(), std::string(base_pointer), 0, 0};
  }
}

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
