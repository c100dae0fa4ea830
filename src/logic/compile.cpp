// The JsonLogic compiler: a rule's JSON checked against the limits, turned
// into the node tree of program.hpp with every path split (and resolved to
// a slot where it can be), constant operations folded, and each error
// reported with the JSON pointer of where it is. How nodes are evaluated,
// and which evaluation fits which shape, is evaluate.cpp's.
#include <algorithm>
#include <cmath>
#include <cstdint>
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

class Compiler;
void prepare(Step step, Node& n, const std::vector<const json*>& raw, Compiler& compiler);
void finish(Step step, Node& n, Compiler& compiler);

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
    prepare(op->step, n, raw, *this);
    std::vector<Node> args;
    args.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const bool iterated = op->reads == Reads::Iterator || op->reads == Reads::Reduce;
      const bool nested = (iterated && i == 1) || (op->reads == Reads::Try && i > 0);
      if (nested) scopes_.push_back(op->reads == Reads::Reduce ? ScopeKind::Reduce : ScopeKind::Other);
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
      const bool known =
          n.paths != nullptr || op->step == Step::var || op->step == Step::missing || op->step == Step::missing_some;
      n.reach = std::max(n.reach, known ? static_cast<int>(n.climb / 2) : kUnknownReach);
    }
    if (op->reads == Reads::Effect) n.pure = false;
    finish(op->step, n, *this);
    if (op->specialise != nullptr) op->specialise(n);
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
    const auto value = evaluate_constant(n, fold_budget_, scratch);
    if (!value) return;
    const std::uint32_t weight = n.weight;
    n = literal(copy_value(*value, storage()));
    n.weight = weight;
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
  if (n.paths != nullptr) n.eval = resolved_var_evaluation(*n.paths, compiler.in_reduce());
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

// The compile steps of an operation, before its arguments are compiled and
// after.
void prepare(Step step, Node& n, const std::vector<const json*>& raw, Compiler& compiler) {
  switch (step) {
    case Step::var: prepare_var(n, raw, compiler); break;
    case Step::val: prepare_val(n, raw, compiler); break;
    case Step::missing: prepare_missing(n, raw, compiler); break;
    case Step::missing_some: prepare_missing_some(n, raw, compiler); break;
    case Step::iterator: prepare_iterator(n, raw, compiler); break;
    case Step::iterator_with_logic: prepare_iterator_with_logic(n, raw, compiler); break;
    case Step::none: break;
  }
}

void finish(Step step, Node& n, Compiler& compiler) {
  switch (step) {
    case Step::var: finish_var(n, compiler); break;
    case Step::missing: finish_missing(n, compiler); break;
    case Step::missing_some: finish_missing_some(n, compiler); break;
    default: break;
  }
}

}  // namespace

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

}  // namespace kneecheck::logic
