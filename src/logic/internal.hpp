// Internals of kneecheck::logic shared by src/logic*.cpp: the arena that holds
// evaluation results, access to Value's representation, JavaScript
// conversions and the JSON <-> Value bridges. Not part of the interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"

namespace kneecheck::logic::detail {

using nlohmann::json;

// ===========================================================================
// Errors raised during evaluation
// ===========================================================================

// `try` catches it; evaluate() turns it into null. The payload is an object
// with a "type" ("NaN", "Invalid Arguments", or whatever `throw` threw).
struct Raised {
  json error;
};

inline constexpr std::string_view kNaN = "NaN";
inline constexpr std::string_view kInvalidArguments = "Invalid Arguments";
inline constexpr std::string_view kLimitExceeded = "Limit Exceeded";

[[noreturn]] void raise(std::string_view type);

// ===========================================================================
// Arena: bump allocation, freed all at once
// ===========================================================================

// Allocations are 8-byte aligned and never freed one by one; reset() rewinds
// to the start and keeps the blocks for reuse, so a warmed-up arena does not
// allocate. An optional first block may live outside (on the stack).
class Arena {
 public:
  static constexpr std::size_t kDefaultFirstBlock = 4096;

  Arena() = default;
  // The first block taken from the heap holds at least `first_block` bytes;
  // each next one doubles.
  explicit Arena(std::size_t first_block) noexcept : first_block_(first_block) {}
  Arena(void* initial, std::size_t size) noexcept
      : cur_(static_cast<char*>(initial)),
        end_(cur_ + size),
        start_(cur_),
        start_end_(end_),
        has_first_(true) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t bytes) {
    bytes = round_up(bytes);
    if (static_cast<std::size_t>(end_ - cur_) < bytes) next_block(bytes);
    void* p = cur_;
    cur_ += bytes;
    return p;
  }

  template <typename T>
  T* allocate_array(std::size_t n) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    return static_cast<T*>(allocate(n * sizeof(T)));
  }

  // Free space at the top of at least `bytes`, without taking it: the
  // caller writes there and then commit()s what it used. Nothing else may
  // be allocated in between.
  char* open(std::size_t bytes) {
    if (static_cast<std::size_t>(end_ - cur_) < bytes) next_block(round_up(bytes));
    return cur_;
  }
  std::size_t open_capacity() const noexcept { return static_cast<std::size_t>(end_ - cur_); }
  void commit(std::size_t bytes) noexcept { cur_ += round_up(bytes); }

  // Forgets every allocation. Keeps the blocks unless they grew large.
  void reset() noexcept {
    if (heap_bytes_ > kKeptBytes) release();
    cur_ = start_;
    end_ = start_end_;
    next_ = start_next_;
  }

 private:
  static constexpr std::size_t kKeptBytes = std::size_t{8} << 20;
  static std::size_t round_up(std::size_t bytes) noexcept { return (bytes + 7) & ~std::size_t{7}; }
  void next_block(std::size_t bytes);
  void release() noexcept;

  struct Block {
    std::unique_ptr<char[]> memory;
    std::size_t size;
  };
  char* cur_ = nullptr;
  char* end_ = nullptr;
  // Where reset() rewinds to: the first block.
  char* start_ = nullptr;
  char* start_end_ = nullptr;
  std::size_t start_next_ = 0;
  bool has_first_ = false;  // the first block is the one given to the constructor
  std::size_t first_block_ = kDefaultFirstBlock;
  std::vector<Block> blocks_;
  std::size_t next_ = 0;  // the block to move to when the current one is full
  std::size_t heap_bytes_ = 0;
};

// Builds a string at the top of an arena.
class StringBuilder {
 public:
  explicit StringBuilder(Arena& arena) : arena_(arena) {
    begin_ = arena.open(64);
    capacity_ = arena.open_capacity();
  }
  void append(std::string_view s) {
    if (capacity_ - size_ < s.size()) grow(s.size());
    if (!s.empty()) std::memcpy(begin_ + size_, s.data(), s.size());
    size_ += s.size();
  }
  void push_back(char ch) { append(std::string_view(&ch, 1)); }
  std::size_t size() const noexcept { return size_; }
  // Commits the string; the builder must not be used afterwards.
  std::string_view finish() {
    arena_.commit(size_);
    return {begin_, size_};
  }

 private:
  void grow(std::size_t more);
  Arena& arena_;
  char* begin_;
  std::size_t size_ = 0;
  std::size_t capacity_;
};

// ===========================================================================
// Value representation
// ===========================================================================

inline constexpr std::uint8_t kSorted = 2;  // object: keys in byte order
inline constexpr std::uint32_t kMaxSize = 0xFFFFFFFFu;

struct ValueAccess {
  static Tag tag(const Value& v) noexcept { return v.tag_; }
  static std::uint8_t flags(const Value& v) noexcept { return v.flags_; }
  static std::uint32_t size(const Value& v) noexcept { return v.size_; }
  static bool b(const Value& v) noexcept { return v.u_.b; }
  static double d(const Value& v) noexcept { return v.u_.d; }
  static std::string_view s(const Value& v) noexcept { return {v.u_.s, v.size_}; }
  static const Value* items(const Value& v) noexcept { return v.u_.items; }
  static const json* node(const Value& v) noexcept { return v.u_.node; }

  static Value make_number(double d, std::uint8_t flags) noexcept {
    Value v;
    v.tag_ = Tag::number;
    v.u_.d = d;
    v.flags_ = flags;
    return v;
  }
  static Value make_array(const Value* items, std::uint32_t n) noexcept {
    Value v;
    v.tag_ = Tag::array;
    v.u_.items = items;
    v.size_ = n;
    return v;
  }
  static Value make_object(const Value* pairs, std::uint32_t n, bool sorted) noexcept {
    Value v;
    v.tag_ = Tag::object;
    v.u_.items = pairs;
    v.size_ = n;
    v.flags_ = sorted ? kSorted : 0;
    return v;
  }
  static Value make_json(const json* node) noexcept {  // REQUIRES: node is an array or object
    Value v;
    v.tag_ = node->is_array() ? Tag::json_array : Tag::json_object;
    v.u_.node = node;
    return v;
  }
  static Value make_absent() noexcept {
    Value v;
    v.tag_ = Tag::absent;
    return v;
  }
};

using VA = ValueAccess;

inline bool is_array(const Value& v) noexcept { return VA::tag(v) == Tag::array || VA::tag(v) == Tag::json_array; }
inline bool is_object(const Value& v) noexcept { return VA::tag(v) == Tag::object || VA::tag(v) == Tag::json_object; }
inline bool is_structured(const Value& v) noexcept { return is_array(v) || is_object(v); }
inline bool is_string(const Value& v) noexcept { return VA::tag(v) == Tag::string; }
inline bool is_number(const Value& v) noexcept { return VA::tag(v) == Tag::number; }
inline bool is_null(const Value& v) noexcept { return VA::tag(v) == Tag::null; }

inline const Value& null_value() noexcept {
  static constexpr Value value;
  return value;
}

// A view of a JSON value in place: scalars are copied, strings and
// structures refer to `j`. Raises "Limit Exceeded" for a string of 4 GiB.
Value view_of(const json& j);

// The elements of an array, whichever way it is stored.
class Items {
 public:
  explicit Items(const Value& array) noexcept
      : native_(VA::tag(array) == Tag::array ? VA::items(array) : nullptr),
        node_(VA::tag(array) == Tag::json_array ? VA::node(array) : nullptr),
        size_(node_ == nullptr ? VA::size(array) : node_->size()) {}
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  Value operator[](std::size_t i) const { return node_ == nullptr ? native_[i] : view_of((*node_)[i]); }

 private:
  const Value* native_;
  const json* node_;
  std::size_t size_;
};

inline std::size_t array_size(const Value& v) noexcept {
  return VA::tag(v) == Tag::array ? VA::size(v) : VA::node(v)->size();
}

inline bool array_empty(const Value& v) noexcept { return array_size(v) == 0; }

// Byte equality without a loop for the short strings keys and options are:
// overlapping loads cover every length up to 16.
inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::uint32_t load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    if (n > 16) return std::memcmp(p, q, n) == 0;
    return load64(p) == load64(q) && load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  if (n == 0) return true;
  return p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1];  // n is 1, 2 or 3
}

// A key to look up, with its first 8 bytes (zero-padded) for a quick
// comparison. Object keys in native objects are stored the same way
// (copy_string pads), so one 64-bit comparison settles most candidates.
struct Key {
  std::string_view text;
  std::uint64_t prefix = 0;

  Key() = default;
  explicit Key(std::string_view t) noexcept : text(t) {
    if (!t.empty()) std::memcpy(&prefix, t.data(), t.size() < 8 ? t.size() : 8);
  }
};

// REQUIRES: `stored` is an object key (at least 8 readable bytes, zeros after
// the text within them).
[[gnu::always_inline]] inline bool key_matches(const Value& stored, const Key& key) noexcept {
  const std::size_t n = VA::size(stored);
  if (n != key.text.size() || load64(VA::s(stored).data()) != key.prefix) return false;
  return n <= 8 || std::memcmp(VA::s(stored).data() + 8, key.text.data() + 8, n - 8) == 0;
}

bool find_json_member(const Value& object, std::string_view key, Value& out);
bool find_sorted_member(const Value& object, std::string_view key, Value& out);

// Looks `key` up in an object; absent members are not found. Small objects
// are scanned; large sorted ones searched.
inline bool find_member(const Value& object, const Key& key, Value& out) {
  if (VA::tag(object) == Tag::json_object) return find_json_member(object, key.text, out);
  const std::uint32_t n = VA::size(object);
  if ((VA::flags(object) & kSorted) != 0 && n > 8) return find_sorted_member(object, key.text, out);
  const Value* pairs = VA::items(object);
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!key_matches(pairs[2 * i], key)) continue;
    const Value& v = pairs[2 * i + 1];
    if (VA::tag(v) == Tag::absent) return false;
    out = v;
    return true;
  }
  return false;
}

// Deep copies, iterative (data may be nested arbitrarily deep).
Value copy_json(const json& j, Arena& arena);        // throws std::length_error past 2^32
Value copy_value(const Value& v, Arena& arena);      // strings, arrays and objects into `arena`
json to_json(const Value& v);

// A copy of `s` in `arena`, padded as object keys need (see Key).
std::string_view copy_string(std::string_view s, Arena& arena);

// Object keys the evaluator makes itself, padded as copy_string pads.
inline constexpr std::string_view kTypeKey{"type\0\0\0", 4};
inline constexpr std::string_view kIndexKey{"index\0\0", 5};
inline constexpr std::string_view kCurrentKey{"current", 7};
inline constexpr std::string_view kAccumulatorKey{"accumulator", 11};

// ===========================================================================
// JavaScript conversions (logic_js.cpp)
// ===========================================================================

// Largest integer a double holds exactly (2^53).
inline constexpr double kMaxSafeInteger = 9007199254740992.0;

char32_t next_code_point(std::string_view s, std::size_t& i);
bool is_ascii(std::string_view s) noexcept;
// Compares by UTF-16 code units, as JavaScript does: <0, 0, >0.
int compare_utf16(std::string_view a, std::string_view b);
// Number(string): NaN when the string is not a numeric literal.
double parse_js_number(std::string_view text);
// Number.prototype.toString() into `out`; returns the length.
inline constexpr std::size_t kNumberBuffer = 40;
std::size_t format_js_number(double d, char (&out)[kNumberBuffer]);
// Length in UTF-16 code units.
double utf16_length(std::string_view s);
// Appends the UTF-16 code units [begin, end) of `s`; a surrogate pair cut in
// half becomes U+FFFD.
void append_utf16_slice(StringBuilder& out, std::string_view s, double begin, double end);

}  // namespace kneecheck::logic::detail
