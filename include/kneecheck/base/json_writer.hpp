// json_writer: JSON written straight into a string, for output that is made
// often (a batch writes one assessment per answer set) and should not build a
// document first. The text is what nlohmann::json's dump(indent) gives for the
// same values: the same spacing, escaping and number forms.
//
// This header is also where kneecheck's speed tricks are stated, once; the
// code that uses them points here, and no domain header depends on them:
//
//   * A text is found by its address. JsonLiterals (below) hands back the
//     JSON literal of a rule text made once, looked up by the text's address
//     and length, never by reading it; report/json's json_literals() fills it
//     with a rule set's texts, and an Assessment's texts are views of the
//     RuleSet's own (so are checked answers: views of the options' values,
//     check_answers), which is what makes the address lookup hit.
//   * Arenas. An Assessment's lists share one monotonic buffer
//     (Assessment::memory), so scoring allocates once; logic::Data and
//     logic::Scratch keep their values in arenas of their own.
//   * Thread-local buffers, kept warm from one assessment to the next on the
//     thread that scores it (a batch scores on several threads): the
//     evaluation Scratch of derived values (answers/flags.cpp) and of graded
//     points (engine/engine.cpp), the slots of answers being checked
//     (answers/answers.cpp), the items of a plain answers array
//     (answers/json.cpp) and the wording of an answer (report/json.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>


namespace kneecheck {

// JSON written again and again, made once: the string literals of texts (a
// rule set's, in every record of a batch), and fragments of compact JSON
// written for one object (an advice item, say). A text is found by its
// address and length, a fragment by the address of a text that only its
// object has, neither by reading the text.
// REQUIRES: every text added stays alive and unchanged while this lives.
class JsonLiterals {
 public:
  void add(std::string_view text);
  // The literal of `text`, quotes included, or an empty view when `text`
  // (this address and length) was not added.
  std::string_view find(std::string_view text) const noexcept;

  // `json`: what JsonWriter::value_fragment or members_fragment writes for
  // `identity` in compact form.
  void add_fragment(std::string_view identity, std::string_view json);
  // The fragment added for `identity`, or an empty view.
  std::string_view fragment(std::string_view identity) const noexcept;

  std::size_t size() const noexcept { return count_; }

 private:
  enum class Kind : unsigned char { literal, fragment };
  struct Entry {
    const char* data = nullptr;
    std::size_t size = 0;
    Kind kind = Kind::literal;
    std::size_t json_at = 0;  // in json_
    std::size_t json_size = 0;
  };
  std::size_t slot_of(const char* data) const noexcept;
  const Entry* lookup(std::string_view key, Kind kind) const noexcept;
  void insert(std::string_view key, Kind kind, std::string_view json);
  void grow();

  std::vector<Entry> table_;  // open addressing; a power of two long
  int shift_ = 64;            // 64 - log2(table_.size())
  std::size_t count_ = 0;
  std::string json_;
};

// A member name written as the program spells it, checked when the program
// is built to need no escaping: key("id") costs one append.
class JsonKey {
 public:
  static constexpr std::size_t kMaxSize = 40;

  template <std::size_t N>
  consteval JsonKey(const char (&name)[N]) : size_(N + 2) {  // NOLINT: implicit on purpose
    static_assert(N - 1 <= kMaxSize, "a JsonKey is at most kMaxSize bytes");
    quoted_[0] = '"';
    for (std::size_t i = 0; i + 1 < N; ++i) {
      const auto byte = static_cast<unsigned char>(name[i]);
      if (byte < 0x20 || byte == '"' || byte == '\\') throw "a JsonKey needs no escaping";
      quoted_[i + 1] = name[i];
    }
    quoted_[N] = '"';
    quoted_[N + 1] = ':';
  }

  // "name": (quotes and colon included).
  std::string_view quoted() const noexcept { return {quoted_, size_}; }

 private:
  char quoted_[kMaxSize + 3] = {};
  std::size_t size_;
};

class JsonWriter {
 public:
  // Appends to `out`. indent < 0: compact, on one line; otherwise members
  // and elements on lines of their own, indented by `indent` spaces a level.
  // With `literals`, lasting_value() writes the texts it holds as it holds
  // them.
  JsonWriter(std::string& out, int indent, const JsonLiterals* literals = nullptr);

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next member. REQUIRES: inside an object.
  JsonWriter& key(const JsonKey& name);
  // The same for a name known only when the program runs.
  JsonWriter& key_text(std::string_view name);
  // The same, faster for a name in this writer's JsonLiterals.
  JsonWriter& lasting_key(std::string_view name);

  // REQUIRES: `text` is valid UTF-8.
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(std::size_t number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(const nlohmann::json& document);
  JsonWriter& null();

  // An array of strings.
  JsonWriter& strings(std::span<const std::string> texts);

  // The same as value(text) and strings(texts), faster for texts in this
  // writer's JsonLiterals.
  JsonWriter& lasting_value(std::string_view text);
  JsonWriter& lasting_strings(std::span<const std::string> texts);

  // One value, written by write(*this); or, writing compact JSON, the
  // fragment this writer's JsonLiterals holds for `identity`, which must be
  // what write() writes.
  template <typename Write>
  JsonWriter& value_fragment(std::string_view identity, Write&& write) {
    std::string_view made = made_fragment(identity);
    if (made.empty()) {
      write(*this);
      return *this;
    }
    before_value();
    out_ += made;
    return *this;
  }

  // The same for members of the object being written. REQUIRES: inside an
  // object, not after a key.
  template <typename Write>
  JsonWriter& members_fragment(std::string_view identity, Write&& write) {
    std::string_view made = made_fragment(identity);
    if (made.empty()) {
      write(*this);
      return *this;
    }
    if (has_items_.back()) out_ += ',';
    has_items_.back() = 1;
    out_ += made;
    return *this;
  }

  // What value_fragment and members_fragment replay: the compact JSON that
  // write(writer) writes, as one value or as members.
  template <typename Write>
  static std::string render_value(Write&& write) {
    std::string text;
    JsonWriter writer(text, -1);
    write(writer);
    return text;
  }
  template <typename Write>
  static std::string render_members(Write&& write) {
    std::string text;
    JsonWriter writer(text, -1);
    writer.begin_object();
    write(writer);
    return text.substr(1);  // without the '{'
  }

 private:
  std::string_view made_fragment(std::string_view identity) const noexcept {
    return literals_ == nullptr || indent_ >= 0 ? std::string_view() : literals_->fragment(identity);
  }
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline();  // REQUIRES: indent_ >= 0
  void write_document(const nlohmann::json& document);

  std::string& out_;
  int indent_;
  const JsonLiterals* literals_;
  // Per open container: whether it has an element yet.
  // (Bytes, not std::vector<bool>: this is read for every value written.)
  std::vector<unsigned char> has_items_;
  bool after_key_ = false;
};

// Lookups made for every text written, here so that they inline.

inline std::size_t JsonLiterals::slot_of(const char* data) const noexcept {
  // Fibonacci hashing of the address: the product's top bits.
  const auto address = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data));
  return static_cast<std::size_t>((address * 0x9E3779B97F4A7C15ULL) >> shift_);
}

inline const JsonLiterals::Entry* JsonLiterals::lookup(std::string_view key, Kind kind) const noexcept {
  if (table_.empty()) return nullptr;
  for (std::size_t slot = slot_of(key.data());; slot = (slot + 1) & (table_.size() - 1)) {
    const Entry& entry = table_[slot];
    if (entry.data == nullptr) return nullptr;
    if (entry.data == key.data() && entry.size == key.size() && entry.kind == kind) return &entry;
  }
}

inline std::string_view JsonLiterals::find(std::string_view text) const noexcept {
  const Entry* entry = lookup(text, Kind::literal);
  return entry == nullptr ? std::string_view() : std::string_view(json_).substr(entry->json_at, entry->json_size);
}

inline std::string_view JsonLiterals::fragment(std::string_view identity) const noexcept {
  const Entry* entry = lookup(identity, Kind::fragment);
  return entry == nullptr ? std::string_view() : std::string_view(json_).substr(entry->json_at, entry->json_size);
}

// The calls made for every token, here so that they inline.

inline void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;
  if (has_items_.back()) out_ += ',';
  has_items_.back() = 1;
  if (indent_ >= 0) newline();
}

inline void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  has_items_.push_back(0);
}

inline void JsonWriter::close(char bracket) {
  bool had_items = has_items_.back() != 0;
  has_items_.pop_back();
  if (had_items && indent_ >= 0) newline();
  out_ += bracket;
}

inline JsonWriter& JsonWriter::begin_object() {
  open('{');
  return *this;
}

inline JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}

inline JsonWriter& JsonWriter::begin_array() {
  open('[');
  return *this;
}

inline JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

inline JsonWriter& JsonWriter::key(const JsonKey& name) {
  before_value();
  out_ += name.quoted();
  if (indent_ >= 0) out_ += ' ';
  after_key_ = true;
  return *this;
}

inline JsonWriter& JsonWriter::lasting_value(std::string_view text) {
  std::string_view literal = literals_ == nullptr ? std::string_view() : literals_->find(text);
  if (literal.empty()) return value(text);
  before_value();
  out_ += literal;
  return *this;
}

// `text` as a JSON string literal, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace kneecheck
