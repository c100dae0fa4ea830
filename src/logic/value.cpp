// Values, prepared data and the arena behind them: the representation the
// evaluator works on, and its bridges to and from nlohmann::json.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "kneecheck/base/json_number.hpp"
#include "logic/internal.hpp"

namespace kneecheck::logic {

namespace detail {

void raise(std::string_view type) {
  json error = json::object();
  error["type"] = std::string(type);
  throw Raised{std::move(error)};
}

// --- Arena -----------------------------------------------------------------------

namespace {
constexpr std::size_t kLargestBlock = std::size_t{1} << 20;
}  // namespace

void Arena::next_block(std::size_t bytes) {
  while (next_ < blocks_.size()) {
    Block& block = blocks_[next_++];
    if (block.size >= bytes) {
      cur_ = block.memory.get();
      end_ = cur_ + block.size;
      return;
    }
  }
  const std::size_t previous = blocks_.empty() ? first_block_ / 2 : blocks_.back().size;
  const std::size_t size = std::max(bytes, std::min(previous * 2, kLargestBlock));
  // Not value-initialised: every byte handed out is written before it is read.
  blocks_.push_back({std::unique_ptr<char[]>(new char[size]), size});
  heap_bytes_ += size;
  next_ = blocks_.size();
  cur_ = blocks_.back().memory.get();
  end_ = cur_ + size;
  if (!has_first_ && blocks_.size() == 1) {  // the heap block is the first
    start_ = cur_;
    start_end_ = end_;
    start_next_ = 1;
  }
}

void Arena::release() noexcept {
  blocks_.clear();
  heap_bytes_ = 0;
  if (!has_first_) {
    start_ = start_end_ = nullptr;
    start_next_ = 0;
  }
}

void StringBuilder::grow(std::size_t more) {
  const std::size_t wanted = std::max(capacity_ * 2, size_ + more + 64);
  char* old = begin_;
  begin_ = arena_.open(wanted);  // the current block is too small: a new one
  if (size_ > 0) std::memmove(begin_, old, size_);
  capacity_ = arena_.open_capacity();
}

std::string_view copy_string(std::string_view s, Arena& arena) {
  if (s.size() >= kMaxSize) throw std::length_error("string too long for logic::Data");
  char* p = arena.allocate_array<char>(s.size() < 8 ? 8 : s.size());
  std::memset(p, 0, 8);
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

// --- json -> Value ------------------------------------------------------------------

namespace {

// A stack for iterative copies: the first entries inline, so that copying
// shallow data allocates nothing besides the arena.
template <typename T>
class Worklist {
 public:
  template <typename... Args>
  void emplace_back(Args&&... args) {
    if (size_ < kInline) {
      inline_[size_++] = T(std::forward<Args>(args)...);
    } else {
      spill_.emplace_back(std::forward<Args>(args)...);
      ++size_;
    }
  }
  bool empty() const noexcept { return size_ == 0; }
  T& back() { return size_ <= kInline ? inline_[size_ - 1] : spill_.back(); }
  void pop_back() {
    if (size_ > kInline) spill_.pop_back();
    --size_;
  }

 private:
  static constexpr std::size_t kInline = 16;
  T inline_[kInline];
  std::vector<T> spill_;
  std::size_t size_ = 0;
};

}  // namespace

Value view_of(const json& j) {
  switch (j.type()) {
    case json::value_t::boolean: return Value::boolean(j.get<bool>());
    case json::value_t::number_integer: return Value::number(static_cast<double>(j.get<std::int64_t>()));
    case json::value_t::number_unsigned: return Value::number(static_cast<double>(j.get<std::uint64_t>()));
    case json::value_t::number_float: return VA::make_number(j.get<double>(), kFloat);
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (s.size() >= kMaxSize) raise(kLimitExceeded);
      return Value::string(s);
    }
    case json::value_t::array:
    case json::value_t::object: return VA::make_json(&j);
    default: return Value();
  }
}

namespace {

Value copy_scalar(const json& j, Arena& arena) {
  if (j.is_string()) return Value::string(copy_string(j.get_ref<const std::string&>(), arena));
  return view_of(j);
}

std::uint32_t checked_size(std::size_t n) {
  if (n >= kMaxSize) throw std::length_error("array too long for logic::Data");
  return static_cast<std::uint32_t>(n);
}

}  // namespace

Value copy_json(const json& root, Arena& arena) {
  if (!root.is_structured()) return copy_scalar(root, arena);
  Value result;
  Worklist<std::pair<const json*, Value*>> todo;
  todo.emplace_back(&root, &result);
  while (!todo.empty()) {
    const auto [from, to] = todo.back();
    todo.pop_back();
    const std::uint32_t n = checked_size(from->size());
    if (from->is_array()) {
      Value* items = arena.allocate_array<Value>(n);
      *to = VA::make_array(items, n);
      std::size_t i = 0;
      for (const json& item : *from) {
        if (item.is_structured()) {
          items[i] = Value();
          todo.emplace_back(&item, &items[i]);
        } else {
          items[i] = copy_scalar(item, arena);
        }
        ++i;
      }
    } else {
      Value* pairs = arena.allocate_array<Value>(2 * std::size_t{n});
      *to = VA::make_object(pairs, n, true);  // std::map keeps keys in byte order
      std::size_t i = 0;
      for (const auto& [key, item] : from->get_ref<const json::object_t&>()) {
        pairs[2 * i] = Value::string(copy_string(key, arena));
        if (item.is_structured()) {
          pairs[2 * i + 1] = Value();
          todo.emplace_back(&item, &pairs[2 * i + 1]);
        } else {
          pairs[2 * i + 1] = copy_scalar(item, arena);
        }
        ++i;
      }
    }
  }
  return result;
}

Value copy_value(const Value& root, Arena& arena) {
  if (!is_structured(root)) return is_string(root) ? Value::string(copy_string(VA::s(root), arena)) : root;
  Value result;
  std::vector<std::pair<Value, Value*>> todo{{root, &result}};
  while (!todo.empty()) {
    const auto [from, to] = todo.back();
    todo.pop_back();
    switch (VA::tag(from)) {
      case Tag::string: *to = Value::string(copy_string(VA::s(from), arena)); break;
      case Tag::json_array:
      case Tag::json_object: *to = copy_json(*VA::node(from), arena); break;
      case Tag::array: {
        const std::uint32_t n = VA::size(from);
        Value* items = arena.allocate_array<Value>(n);
        *to = VA::make_array(items, n);
        for (std::uint32_t i = 0; i < n; ++i) {
          items[i] = Value();
          todo.emplace_back(VA::items(from)[i], &items[i]);
        }
        break;
      }
      case Tag::object: {
        std::uint32_t n = 0;
        for (std::uint32_t i = 0; i < VA::size(from); ++i) n += VA::tag(VA::items(from)[2 * i + 1]) != Tag::absent;
        Value* pairs = arena.allocate_array<Value>(2 * std::size_t{n});
        *to = VA::make_object(pairs, n, (VA::flags(from) & kSorted) != 0);
        std::uint32_t k = 0;
        for (std::uint32_t i = 0; i < VA::size(from); ++i) {
          const Value& item = VA::items(from)[2 * i + 1];
          if (VA::tag(item) == Tag::absent) continue;
          pairs[2 * k] = Value::string(copy_string(VA::s(VA::items(from)[2 * i]), arena));
          pairs[2 * k + 1] = Value();
          todo.emplace_back(item, &pairs[2 * k + 1]);
          ++k;
        }
        break;
      }
      case Tag::absent: *to = Value(); break;
      default: *to = from; break;
    }
  }
  return result;
}

// --- Value -> json ------------------------------------------------------------------

namespace {

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

json scalar_json(const Value& v) {
  switch (VA::tag(v)) {
    case Tag::boolean: return VA::b(v);
    case Tag::number: {
      if (v.is_json_integer()) return static_cast<std::int64_t>(VA::d(v));
      return VA::d(v);
    }
    case Tag::string: return std::string(VA::s(v));
    default: return nullptr;
  }
}

}  // namespace

json to_json(const Value& root) {
  const auto shell = [](const Value& v) -> json {
    switch (VA::tag(v)) {
      case Tag::array: return json::array();
      case Tag::object: return json::object();
      case Tag::json_array:
      case Tag::json_object: return clone(*VA::node(v));
      default: return scalar_json(v);
    }
  };
  json result = shell(root);
  if (VA::tag(root) != Tag::array && VA::tag(root) != Tag::object) return result;
  std::vector<std::pair<Value, json*>> todo{{root, &result}};
  while (!todo.empty()) {
    const auto [from, to] = todo.back();
    todo.pop_back();
    if (VA::tag(from) == Tag::array) {
      auto& items = to->get_ref<json::array_t&>();
      items.reserve(VA::size(from));  // no reallocation below, so pointers stay valid
      for (std::uint32_t i = 0; i < VA::size(from); ++i) {
        const Value& item = VA::items(from)[i];
        items.push_back(shell(item));
        if (VA::tag(item) == Tag::array || VA::tag(item) == Tag::object) todo.emplace_back(item, &items.back());
      }
    } else {
      auto& members = to->get_ref<json::object_t&>();
      for (std::uint32_t i = 0; i < VA::size(from); ++i) {
        const Value& item = VA::items(from)[2 * i + 1];
        if (VA::tag(item) == Tag::absent) continue;
        auto [slot, inserted] = members.emplace(std::string(VA::s(VA::items(from)[2 * i])), shell(item));
        if (inserted && (VA::tag(item) == Tag::array || VA::tag(item) == Tag::object)) {
          todo.emplace_back(item, &slot->second);
        }
      }
    }
  }
  return result;
}

// --- objects ------------------------------------------------------------------------

namespace {

int compare_bytes(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace

bool find_json_member(const Value& object, std::string_view key, Value& out) {
  const auto& members = VA::node(object)->get_ref<const json::object_t&>();
  const auto it = members.find(key);
  if (it == members.end()) return false;
  out = view_of(it->second);
  return true;
}

bool find_sorted_member(const Value& object, std::string_view key, Value& out) {
  const Value* pairs = VA::items(object);
  std::uint32_t lo = 0;
  std::uint32_t hi = VA::size(object);
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const int c = compare_bytes(VA::s(pairs[2 * mid]), key);
    if (c == 0) {
      if (VA::tag(pairs[2 * mid + 1]) == Tag::absent) return false;
      out = pairs[2 * mid + 1];
      return true;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

}  // namespace detail

using namespace detail;

// --- Value (public) ---------------------------------------------------------------------

std::size_t Value::size() const noexcept { return array_size(*this); }
Value Value::operator[](std::size_t i) const { return Items(*this)[i]; }

std::optional<Value> Value::find(std::string_view key) const {
  Value out;
  if (!find_member(*this, Key(key), out)) return std::nullopt;
  return out;
}

json Value::to_json() const { return detail::to_json(*this); }

bool Value::is_json_integer() const noexcept {
  return tag_ == Tag::number && (flags_ & kFloat) == 0 && std::trunc(u_.d) == u_.d &&
         std::fabs(u_.d) <= kMaxSafeInteger;
}

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

// --- SlotNames ----------------------------------------------------------------------------

struct SlotNames::Impl {
  std::vector<std::string> names;
  // Each name padded with zeros to at least 8 bytes, as object keys must be
  // (see Key): Data refers to these rather than copying the names.
  std::vector<std::string> padded;
  // (name, slot) in byte order, first slot of a repeated name only: for
  // merging with a JSON object's members, which nlohmann keeps in the same
  // order.
  std::vector<std::pair<std::string_view, std::size_t>> sorted;
  // For find(), which reads every member of every answers line: slot + 1 by
  // hash of the name, open addressing (0: empty), a power of two long.
  std::vector<std::size_t> table;

  static std::uint64_t hash(std::string_view name) noexcept {
    std::uint64_t h = name.size() * 0x9E3779B97F4A7C15ULL;
    if (name.size() >= 8) {
      h ^= load64(name.data()) ^ (load64(name.data() + name.size() - 8) * 31);
    } else {
      std::uint64_t head = 0;
      std::memcpy(&head, name.data(), name.size());
      h ^= head;
    }
    return (h * 0xFF51AFD7ED558CCDULL) >> 32;
  }
};

SlotNames::SlotNames() = default;

SlotNames::SlotNames(std::vector<std::string> names) {
  auto impl = std::make_shared<Impl>();
  impl->names = std::move(names);
  impl->padded.reserve(impl->names.size());
  for (const std::string& name : impl->names) {
    std::string padded = name;
    if (padded.size() < 8) padded.resize(8, '\0');
    impl->padded.push_back(std::move(padded));
  }
  for (std::size_t i = 0; i < impl->names.size(); ++i) impl->sorted.emplace_back(impl->names[i], i);
  std::stable_sort(impl->sorted.begin(), impl->sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  impl->sorted.erase(std::unique(impl->sorted.begin(), impl->sorted.end(),
                                 [](const auto& a, const auto& b) { return a.first == b.first; }),
                     impl->sorted.end());
  std::size_t size = 16;
  while (size < 2 * impl->sorted.size()) size *= 2;
  impl->table.assign(size, 0);
  for (const auto& [name, slot] : impl->sorted) {
    std::size_t at = Impl::hash(name) & (size - 1);
    while (impl->table[at] != 0) at = (at + 1) & (size - 1);
    impl->table[at] = slot + 1;
  }
  impl_ = std::move(impl);
}

std::size_t SlotNames::size() const noexcept { return impl_ ? impl_->names.size() : 0; }

const std::vector<std::string>& SlotNames::names() const noexcept {
  static const std::vector<std::string> none;
  return impl_ ? impl_->names : none;
}

const std::vector<std::pair<std::string_view, std::size_t>>& SlotNames::by_name() const noexcept {
  static const std::vector<std::pair<std::string_view, std::size_t>> none;
  return impl_ ? impl_->sorted : none;
}

std::size_t SlotNames::find(std::string_view name) const {
  if (!impl_) return npos;
  const auto& table = impl_->table;
  for (std::size_t at = Impl::hash(name) & (table.size() - 1);; at = (at + 1) & (table.size() - 1)) {
    const std::size_t entry = table[at];
    if (entry == 0) return npos;
    if (same_text(impl_->names[entry - 1], name)) return entry - 1;
  }
}

// --- Data ------------------------------------------------------------------------------------

Data::Data() = default;
Data::~Data() = default;
Data::Data(Data&&) noexcept = default;
Data& Data::operator=(Data&&) noexcept = default;

Data Data::from_json(const json& value) {
  Data data;
  data.arena_ = std::make_unique<Arena>();
  data.root_ = copy_json(value, *data.arena_);
  return data;
}

Data Data::from_json(const json& object, const SlotNames& slots) {
  if (!object.is_object() && !object.is_null()) throw std::invalid_argument("slot data must be a JSON object");
  const std::size_t names = slots.size();
  const std::size_t given = object.is_object() ? object.size() : 0;
  if (names + given >= kMaxSize) throw std::length_error("too many members for logic::Data");
  Data data = with_room(slots, given, Arena::kDefaultFirstBlock);
  data.members_.resize(2 * (names + given));  // within the reserved room
  std::size_t count = names;
  if (given > 0) {
    // Both in byte order: one merge finds every member's slot.
    static const std::vector<std::pair<std::string_view, std::size_t>> none;
    const auto& sorted = names > 0 ? slots.impl_->sorted : none;
    auto name = sorted.begin();
    for (const auto& [key, item] : object.get_ref<const json::object_t&>()) {
      while (name != sorted.end() && name->first < key) ++name;
      std::size_t slot;
      if (name != sorted.end() && name->first == key) {
        slot = name->second;
      } else {
        slot = count++;
        data.members_[2 * slot] = Value::string(copy_string(key, *data.arena_));
      }
      data.members_[2 * slot + 1] = copy_json(item, *data.arena_);
    }
  }
  data.members_.resize(2 * count);  // shrinking keeps the buffer, so views stay valid
  data.root_ = VA::make_object(data.members_.data(), static_cast<std::uint32_t>(count), false);
  return data;
}

Data Data::with_room(const SlotNames& slots, std::size_t more, std::size_t first_block) {
  Data data;
  data.arena_ = std::make_unique<Arena>(first_block);
  data.slots_ = slots;
  const std::size_t names = slots.size();
  data.members_.reserve(2 * (names + more));
  data.members_.resize(2 * names);
  for (std::size_t i = 0; i < names; ++i) {
    data.members_[2 * i] = Value::string({slots.impl_->padded[i].data(), slots.impl_->names[i].size()});
    data.members_[2 * i + 1] = VA::make_absent();
  }
  data.root_ = VA::make_object(data.members_.data(), static_cast<std::uint32_t>(names), false);
  return data;
}

Data Data::with_slots(const SlotNames& slots, std::size_t arena_bytes) { return with_room(slots, 0, arena_bytes); }

void Data::set(std::size_t slot, const json& value) { members_[2 * slot + 1] = copy_json(value, *arena_); }

void Data::set(std::size_t slot, const Value& value) { members_[2 * slot + 1] = copy_value(value, *arena_); }

void Data::erase(std::size_t slot) { members_[2 * slot + 1] = VA::make_absent(); }

std::optional<Value> Data::get(std::size_t slot) const {
  const Value& v = members_[2 * slot + 1];
  if (VA::tag(v) == Tag::absent) return std::nullopt;
  return v;
}

std::optional<Value> Data::take(std::size_t slot) {
  std::optional<Value> value = get(slot);
  erase(slot);
  return value;
}

void Data::put(std::size_t slot, const Value& value) { members_[2 * slot + 1] = value; }

std::span<Value> Data::put_array(std::size_t slot, std::size_t size) {
  Value* items = arena_->allocate_array<Value>(size);
  std::fill(items, items + size, Value());
  members_[2 * slot + 1] = VA::make_array(items, checked_size(size));
  return {items, size};
}

std::vector<std::string_view> Data::unslotted_names() const {
  std::vector<std::string_view> names;
  for (std::size_t i = slots_.size(); 2 * i < members_.size(); ++i) names.push_back(VA::s(members_[2 * i]));
  return names;
}

// --- Scratch --------------------------------------------------------------------------------

Scratch::Scratch() : arena_(std::make_unique<Arena>()) {}
Scratch::~Scratch() = default;
Scratch::Scratch(Scratch&&) noexcept = default;
Scratch& Scratch::operator=(Scratch&&) noexcept = default;

}  // namespace kneecheck::logic
