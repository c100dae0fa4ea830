// logic: JsonLogic (jsonlogic.com) conditions, compiled once, evaluated many
// times. Semantics follow the reference implementation, json-logic-js 2.x,
// which jsonlogic.com documents: its tests.json is the gate.
//
// This unit knows nothing of questions or causes: it sees a rule and a data
// object and nothing else.
//
// Three ways to evaluate, all with the same results:
//
//   * Simple: `expression.evaluate(json)` / `expression.matches(json)`. The
//     data is read in place (lookups by name); the result is built as JSON.
//
//   * Prepared data: `Data::from_json(json)` once, then
//     `expression.evaluate(data, scratch)` (a `Value` view, no allocation once
//     the Scratch is warm) or `expression.matches(data)` (no allocation).
//     This is what a benchmark of "compiled once, evaluated many" measures:
//
//       auto e = Expression::compile(rule);           // once
//       Data data = Data::from_json(data_json);       // once
//       Scratch scratch;                              // once per thread
//       Value v = e->evaluate(data, scratch);         // in the loop
//
//   * Slots, for the engine: no lookups by name at all. The caller names the
//     top-level members once, in order (question ids, then derived ids); a
//     `var` (`val`, `exists`, `missing`, `missing_some`) whose constant path
//     starts with one of the names compiles to "slot i":
//
//       SlotNames slots(names);                                   // at load
//       auto e = Expression::compile(rule, "/causes/0/when", {}, &slots);
//       Data answers = Data::from_json(answers_json, slots);     // per assessment
//       answers.set(slots.find("weekly_km_increase_pct"), derived_value);
//       bool hit = e->matches(answers);
//
// Contract (REQUIRES lines below): the slot path is taken only when the Data
// was built with the SlotNames (a copy of it) that the expression was
// compiled with; otherwise names are looked up, with the same result. An
// absent slot is exactly a missing member. Expressions are immutable:
// evaluate and matches may run on one expression from several threads at
// once, each with its own Scratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/result.hpp"

namespace kneecheck::logic {

// Bounds that keep untrusted rules from exhausting the stack or the memory.
struct Limits {
  std::size_t max_depth = 64;      // nesting of operations and arrays
  std::size_t max_nodes = 100000;  // nodes in one compiled expression
};

namespace detail {
// How a Value is stored. json_array / json_object view a nlohmann::json in
// place; absent marks an unfilled slot of a Data (never an evaluation result).
enum class Tag : std::uint8_t { null, boolean, number, string, array, object, json_array, json_object, absent };
inline constexpr std::uint8_t kFloat = 1;  // Value flag of a number: came from a JSON float
struct ValueAccess;
class Arena;
}  // namespace detail

// A JSON value as evaluation sees it: 16 bytes, trivially copyable, owning
// nothing. Strings, arrays and objects are views into the rule, the data or a
// Scratch; see Expression::evaluate(const Data&, Scratch&) for how long they
// stay valid.
class Value {
 public:
  enum class Type : std::uint8_t { null, boolean, number, string, array, object };

  constexpr Value() noexcept = default;  // null
  static Value boolean(bool b) noexcept;
  static Value number(double d) noexcept;
  // A view of `text`, which must outlive the value.
  // REQUIRES: text.size() < 2^32.
  static Value string(std::string_view text) noexcept;
  // A number that to_json() writes as a JSON float (20.0 stays 20.0), as a
  // number with a fraction or an exponent in JSON text is.
  static Value json_float(double d) noexcept;

  Type type() const noexcept;
  bool is_null() const noexcept { return type() == Type::null; }

  // REQUIRES: type() == Type::boolean.
  bool as_bool() const noexcept;
  // REQUIRES: type() == Type::number.
  double as_number() const noexcept;
  // REQUIRES: type() == Type::string.
  std::string_view as_string() const noexcept;
  // Elements of an array. REQUIRES: type() == Type::array.
  std::size_t size() const noexcept;
  // REQUIRES: type() == Type::array and i < size().
  Value operator[](std::size_t i) const;
  // The member `key` of an object, or nullopt. REQUIRES: type() == Type::object.
  std::optional<Value> find(std::string_view key) const;

  // A deep copy as JSON. Numbers that are whole and within 2^53 become JSON
  // integers unless they came from a JSON float. Works on any depth.
  nlohmann::json to_json() const;
  // True for a number that to_json() makes a JSON integer (see above).
  bool is_json_integer() const noexcept;

 private:
  friend struct detail::ValueAccess;
  friend bool truthy(Value value) noexcept;
  union Payload {
    bool b;
    double d;
    const char* s;
    const Value* items;           // array: size_ values; object: size_ (key, value) pairs
    const nlohmann::json* node;   // json_array / json_object
  };
  Payload u_{};
  std::uint32_t size_ = 0;
  detail::Tag tag_ = detail::Tag::null;
  std::uint8_t flags_ = 0;
  [[maybe_unused]] std::uint16_t unused_ = 0;  // no padding: a Value moves as two whole words
};

inline Value Value::boolean(bool b) noexcept {
  Value v;
  v.tag_ = detail::Tag::boolean;
  v.u_.b = b;
  return v;
}

inline Value Value::number(double d) noexcept {
  Value v;
  v.tag_ = detail::Tag::number;
  v.u_.d = d;
  return v;
}

inline Value Value::json_float(double d) noexcept {
  Value v = number(d);
  v.flags_ = detail::kFloat;  // to_json() keeps it a JSON float
  return v;
}

inline Value Value::string(std::string_view text) noexcept {
  Value v;
  v.tag_ = detail::Tag::string;
  v.u_.s = text.data();
  v.size_ = static_cast<std::uint32_t>(text.size());
  return v;
}

inline bool Value::as_bool() const noexcept { return u_.b; }
inline double Value::as_number() const noexcept { return u_.d; }
inline std::string_view Value::as_string() const noexcept { return {u_.s, size_}; }

inline Value::Type Value::type() const noexcept {
  switch (tag_) {
    case detail::Tag::boolean: return Type::boolean;
    case detail::Tag::number: return Type::number;
    case detail::Tag::string: return Type::string;
    case detail::Tag::array:
    case detail::Tag::json_array: return Type::array;
    case detail::Tag::object:
    case detail::Tag::json_object: return Type::object;
    default: return Type::null;
  }
}

// JsonLogic truthiness: false, null, 0, "" and [] are false; everything else
// (including "0" and {}) is true.
bool truthy(const nlohmann::json& value);
// (By value, and always inline: a Value in two registers need not go
// through memory.)
[[gnu::always_inline]] inline bool truthy(Value value) noexcept {
  switch (value.tag_) {
    case detail::Tag::boolean: return value.u_.b;
    case detail::Tag::number: return value.u_.d != 0 && value.u_.d == value.u_.d;  // not NaN
    case detail::Tag::string:
    case detail::Tag::array: return value.size_ != 0;
    case detail::Tag::json_array: return !value.u_.node->empty();
    case detail::Tag::object:
    case detail::Tag::json_object: return true;  // objects, even {}, as in JavaScript
    default: return false;
  }
}

// The ordered top-level names a caller's data has (question ids, then derived
// ids): name i is slot i. Copies share one identity, which Expression and
// Data compare to know they were built with the same names.
class SlotNames {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  SlotNames();  // no names
  // REQUIRES: the names are distinct (a repeated name keeps its first slot).
  explicit SlotNames(std::vector<std::string> names);

  std::size_t size() const noexcept;
  const std::vector<std::string>& names() const noexcept;
  // The slot of `name`, or npos.
  std::size_t find(std::string_view name) const;
  // Every (name, slot) in byte order of the names, a repeated name once: the
  // order in which nlohmann::json lists an object's members.
  const std::vector<std::pair<std::string_view, std::size_t>>& by_name() const noexcept;
  // True for copies of the same SlotNames (not merely equal names).
  bool same_as(const SlotNames& other) const noexcept { return impl_ == other.impl_; }

 private:
  friend class Data;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// Data prepared once for many evaluations: a compact copy of a JSON value
// that the evaluator reads without allocating. Move-only; it owns every
// string, array and object it holds, so it does not refer to the JSON it
// was made from.
class Data {
 public:
  Data();  // null
  ~Data();
  Data(Data&&) noexcept;
  Data& operator=(Data&&) noexcept;
  Data(const Data&) = delete;
  Data& operator=(const Data&) = delete;

  // A copy of `value`. Works on any depth.
  // Throws std::length_error for a string or array of 2^32 or more.
  static Data from_json(const nlohmann::json& value);

  // Data for expressions compiled with `slots`: slot i holds
  // `object[slots.names()[i]]` or is absent (a missing answer). Members of
  // `object` that are not slots are kept too and read by name. An absent slot
  // behaves exactly like a missing member: `var` gives null or its default,
  // `missing` lists it. `object` may be null (every slot absent).
  // REQUIRES: object.is_object() || object.is_null().
  // Throws std::length_error as from_json does, std::invalid_argument when
  // `object` is neither an object nor null.
  static Data from_json(const nlohmann::json& object, const SlotNames& slots);

  // Data for expressions compiled with `slots`, every slot absent, to fill
  // with put() and put_array(). `arena_bytes`: the first block of its
  // memory, so that filling it takes one allocation.
  static Data with_slots(const SlotNames& slots, std::size_t arena_bytes = 4096);

  const SlotNames& slots() const noexcept { return slots_; }

  // Fills slot `slot` with a copy of `value` (for derived values computed
  // after loading; `value` may be a view into this Data or a Scratch).
  // Memory of a replaced value is kept until the Data dies.
  // REQUIRES: slot < slots().size(). Throws std::length_error as from_json.
  void set(std::size_t slot, const nlohmann::json& value);
  void set(std::size_t slot, const Value& value);
  // Makes slot `slot` absent. REQUIRES: slot < slots().size().
  void erase(std::size_t slot);
  // The value in slot `slot`, or nullopt when it is absent.
  // REQUIRES: slot < slots().size().
  std::optional<Value> get(std::size_t slot) const;
  // Empties slot `slot` and returns what it held (nullopt when absent),
  // which stays valid while this Data lives. REQUIRES: slot < slots().size().
  std::optional<Value> take(std::size_t slot);
  // Fills slot `slot` with `value` as it is, without copying it.
  // REQUIRES: slot < slots().size(), and `value` lives as long as this Data
  // (a scalar, or a value get() or take() gave from this Data).
  void put(std::size_t slot, const Value& value);
  // Fills slot `slot` with a new array of `size` nulls, kept in this Data,
  // and returns its items to set. REQUIRES: slot < slots().size(), and what
  // the items set refer to (strings, arrays) lives as long as this Data.
  std::span<Value> put_array(std::size_t slot, std::size_t size);
  // The names of the members that are not slots, in the order given.
  std::vector<std::string_view> unslotted_names() const;

  // The whole data as a Value (an object for slot data).
  Value root() const noexcept { return root_; }

 private:
  // Every slot absent, room kept for `more` members, an arena whose first
  // block holds `first_block` bytes.
  static Data with_room(const SlotNames& slots, std::size_t more, std::size_t first_block);

  friend class Expression;
  std::unique_ptr<detail::Arena> arena_;
  std::vector<Value> members_;  // slot data: (name, value) pairs, slots first
  SlotNames slots_;
  Value root_;
};

// Working memory for evaluations: reused, so that a warmed-up Scratch makes
// evaluation allocation-free. Not thread-safe: one per thread.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(Scratch&&) noexcept;
  Scratch& operator=(Scratch&&) noexcept;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

 private:
  friend class Expression;
  std::unique_ptr<detail::Arena> arena_;
};

struct Program;  // compiled nodes; defined in src/logic/program.hpp

class Expression {
 public:
  // Compiles `rule`. Unknown operations, wrong arity and nesting deeper than
  // `limits.max_depth` are errors. Error::pointer points at the offending part
  // and starts with `base_pointer` (the rule's place in its file, such as
  // "/causes/0/indicators/2/when").
  //
  // With `slots`, every `var` (and `val`, `exists`, `missing`,
  // `missing_some`) with a constant path that reads the rule's own data (not
  // an iteration element) and whose first segment is one of the names is
  // resolved to that slot. Names not among the slots are still read by name.
  // The expression keeps its own copy of `slots` (a shared handle), so the
  // pointer need only be valid during the call.
  //
  // Operations whose arguments are all constant are evaluated here, once.
  static Result<Expression> compile(const nlohmann::json& rule, std::string_view base_pointer = "",
                                    const Limits& limits = {}, const SlotNames* slots = nullptr);

  // Evaluates against prepared data, the fast way. Never throws; where the
  // reference implementation would throw at run time, the result is null.
  // No allocation once `scratch` is warmed up, for the usual operations
  // (var, comparisons, and / or / if / !, in, arithmetic).
  //
  // Slots are read directly when `data.slots().same_as(the slots given to
  // compile)`; otherwise names are looked up, with the same result.
  //
  // REQUIRES: `scratch` is not in use by another thread.
  // The result is a view: valid until `scratch` is next used, moved or
  // destroyed, and only while this expression (or a copy) and `data` live
  // and `data` is not set() or erase()d. Copy what must outlive that with
  // Value::to_json() or Data::set().
  Value evaluate(const Data& data, Scratch& scratch) const {
    return is_constant_ ? constant_ : evaluate_prepared(data, scratch);
  }

  // evaluate(data, scratch).to_json(), with a scratch of its own.
  nlohmann::json evaluate(const Data& data) const;

  // truthy(evaluate(data)), without building a result. Allocation-free for
  // the usual operations.
  bool matches(const Data& data) const { return is_constant_ ? truthy(constant_) : matches_prepared(data); }

  // Evaluates against `data` read in place (no Data is built). Never throws;
  // where the reference implementation would throw at run time, the result
  // is null.
  nlohmann::json evaluate(const nlohmann::json& data) const;

  // truthy(evaluate(data)).
  bool matches(const nlohmann::json& data) const;

  // True when compile reduced the whole rule to a constant.
  bool is_constant() const noexcept { return is_constant_; }

  // Every constant path read by `var` (and named by `missing` /
  // `missing_some`), as written ("pain_now", "a.b.0"), in order of first
  // appearance, without duplicates. Used by rule validation.
  const std::vector<std::string>& variables() const;
  // For each of variables(), the slot its first segment names among the
  // slots given to compile ("history" for "history.pain_change"), or
  // SlotNames::npos.
  const std::vector<std::size_t>& variable_slots() const;

  // The rule as it was given.
  const nlohmann::json& rule() const;

 private:
  Value evaluate_prepared(const Data& data, Scratch& scratch) const;
  bool matches_prepared(const Data& data) const;

  std::shared_ptr<const Program> program_;
  bool is_constant_ = false;  // folded: constant_ is the value
  Value constant_;            // (a view into *program_)
  std::vector<std::string> variables_;
  std::vector<std::size_t> variable_slots_;
  nlohmann::json rule_;
};

}  // namespace kneecheck::logic
