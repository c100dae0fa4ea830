// The compiled form of a JsonLogic rule, shared by the compiler
// (compile.cpp) and the evaluator (evaluate.cpp), and the table of
// operations that joins them. Not part of the interface.
//
// A rule compiles to a tree of Nodes; each node calls the one evaluation
// function chosen for its shape when it was compiled (a var of one short
// key, a comparison with a literal, two-operand arithmetic, ...). The
// evaluator owns those functions and says which fits a shape; the compiler
// owns parsing, limits, errors with their pointers and folding.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "logic/internal.hpp"

namespace kneecheck::logic {

namespace detail {

// Work allowed for one evaluation, in elements visited or produced. It stops
// rules such as a reduce that doubles its accumulator from running away; real
// rules use a tiny fraction of it. Folding at compile time shares one such
// budget per compile.
inline constexpr std::size_t kWorkBudget = 10'000'000;

inline constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;

// One step of a path: an object key, which is also an array index when it is
// a canonical one ("0", "12"; not "01").
struct Segment {
  Key key;
  std::uint32_t index = 0;
  bool is_index = false;
};

Segment key_segment(std::string_view key);
// A `val` / `exists` path element: numbers index arrays directly.
Segment value_segment(const Value& v, Arena& arena);
// String(v), as a view: strings as they are, anything else built in `arena`.
std::string_view js_string(const Value& v, Arena& arena);
// ToIntegerOrInfinity, as String.prototype.substr applies to its arguments.
inline double js_integer(double d) { return std::isnan(d) ? 0 : std::trunc(d); }

// A constant path, as compiled: its segments and, when its first segment
// names a slot (and it reads the rule's own data), that slot.
struct PathRef {
  const Segment* segments;
  std::uint32_t length;
  std::uint32_t slot;  // kNoSlot, or the slot of segments[0]
  Value name;          // missing: the key as written, for the result
};

struct Context;  // the evaluator's: scopes, the work budget, the arena

}  // namespace detail

// The compiled form of one JSON value of the rule. A node's arguments are
// contiguous (`args`, `count`); during compilation `owned` holds them.
struct Node;
using EvalFn = Value (*)(const Node&, detail::Context&);

namespace detail {
Value eval_literal(const Node& n, Context& c);
Value eval_array(const Node& n, Context& c);
}  // namespace detail

struct Node {
  EvalFn eval = detail::eval_literal;
  const Node* args = nullptr;     // into `owned`
  std::uint32_t count = 0;
  std::uint32_t weight = 1;       // nodes in this subtree: the cost of one evaluation
  Value literal;                  // literal node: its value; missing: the list of every key
  const detail::PathRef* paths = nullptr;  // var / val / exists: one; missing: one per key
  std::uint32_t path_count = 0;
  std::uint32_t climb = 0;        // val: scope levels to climb ([[n], ...])
  bool spread = false;            // one operation argument whose array result is the argument list
  // Compile time only.
  bool pure = true;   // no side effects (log) anywhere inside
  int reach = -1;     // scope levels up this subtree reads: -1 none, 0 its own, ...
  std::vector<Node> owned;  // the arguments (contiguous)

  bool is_literal() const { return eval == detail::eval_literal; }
  void adopt(std::vector<Node> children) {
    owned = std::move(children);
    args = owned.data();
    count = static_cast<std::uint32_t>(owned.size());
  }
};

struct Program {
  // Literals, paths and their keys: a condition's take a few hundred bytes,
  // and a rule set compiles a hundred conditions when kneecheck starts.
  detail::Arena storage{256};
  Node root;
  SlotNames slots;
  bool has_slots = false;
};

namespace detail {

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
//   Reduce:   as Iterator, and that scope is {"current", "accumulator"}.
//   Try:      its fallbacks run in a scope of their own.
//   Effect:   has a side effect: never folded (log).
enum class Reads { Same, Data, Iterator, Reduce, Try, Effect };

// The compiler's own steps for an operation: what it checks and resolves in
// the raw arguments (compile.cpp).
enum class Step { none, var, val, missing, missing_some, iterator, iterator_with_logic };

inline constexpr std::size_t kAny = std::numeric_limits<std::size_t>::max();

struct Operation {
  std::string_view name;
  EvalFn eval;
  Shape shape;
  std::size_t min_args;
  std::size_t max_args;
  Reads reads = Reads::Same;
  Step step = Step::none;
  // Once the arguments are compiled: a faster evaluation for the node's
  // shape (two operands, a literal second one), or nothing.
  void (*specialise)(Node&) = nullptr;
};

const Operation* find_operation(std::string_view name);

// The evaluation of a var whose path was resolved at compile time: by slot,
// whole data, one key or a path, or in a reduce body current/accumulator.
EvalFn resolved_var_evaluation(const PathRef& path, bool in_reduce);

// A node evaluated with no data, as folding does: its value, or nothing when
// it raises an error (left to raise at run time). Uses `budget`, shared by one
// compile.
std::optional<Value> evaluate_constant(const Node& n, std::size_t& budget, Arena& scratch);

}  // namespace detail

}  // namespace kneecheck::logic
