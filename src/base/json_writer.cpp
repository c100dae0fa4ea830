#include "kneecheck/base/json_writer.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

namespace kneecheck {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Whether any of the 8 bytes in `word` is below 0x20, '"' or '\\': the
// bytes a JSON string must escape. Tests a word at a time, because report
// texts are long and almost never need escaping.
bool needs_escape(std::uint64_t word) {
  auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  return (below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

bool needs_escape(unsigned char byte) { return byte < 0x20 || byte == '"' || byte == '\\'; }

std::uint64_t load_word(const char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// The length of the longest start of `text` that needs no escaping.
std::size_t clean_prefix(std::string_view text) {
  const std::size_t size = text.size();
  std::size_t i = 0;
  if (size >= 8) {
    for (; i + 8 <= size; i += 8) {
      if (needs_escape(load_word(text.data() + i))) break;
    }
    // The last, partial word: the 8 bytes that end the text, some seen already.
    if (i + 8 > size && !needs_escape(load_word(text.data() + size - 8))) return size;
  }
  for (; i < size; ++i) {
    if (needs_escape(static_cast<unsigned char>(text[i]))) return i;
  }
  return size;
}

void append_escaped(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (byte) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  while (!text.empty()) {
    std::size_t clean = clean_prefix(text);
    out.append(text.data(), clean);
    if (clean == text.size()) break;
    append_escaped(out, static_cast<unsigned char>(text[clean]));
    text.remove_prefix(clean + 1);
  }
  out += '"';
}


void JsonLiterals::grow() {
  std::vector<Entry> old = std::move(table_);
  table_.assign(old.empty() ? 64 : 2 * old.size(), Entry{});
  shift_ = 64 - std::countr_zero(table_.size());
  for (const Entry& entry : old) {
    if (entry.data == nullptr) continue;
    std::size_t slot = slot_of(entry.data);
    while (table_[slot].data != nullptr) slot = (slot + 1) & (table_.size() - 1);
    table_[slot] = entry;
  }
}


void JsonLiterals::insert(std::string_view key, Kind kind, std::string_view json) {
  if (2 * (count_ + 1) > table_.size()) grow();
  std::size_t slot = slot_of(key.data());
  // Keys at one address with other lengths (a name and its start) each get
  // an entry.
  while (table_[slot].data != nullptr) slot = (slot + 1) & (table_.size() - 1);
  table_[slot] = {key.data(), key.size(), kind, json_.size(), json.size()};
  json_ += json;
  ++count_;
}

void JsonLiterals::add(std::string_view text) {
  if (text.data() == nullptr || lookup(text, Kind::literal) != nullptr) return;
  std::string literal;
  append_json_string(literal, text);
  insert(text, Kind::literal, literal);
}


void JsonLiterals::add_fragment(std::string_view identity, std::string_view json) {
  if (identity.data() == nullptr || json.empty() || lookup(identity, Kind::fragment) != nullptr) return;
  insert(identity, Kind::fragment, json);
}


JsonWriter::JsonWriter(std::string& out, int indent, const JsonLiterals* literals)
    : out_(out), indent_(indent), literals_(literals) {
  has_items_.reserve(16);  // deeper than reports go
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(has_items_.size() * static_cast<std::size_t>(indent_), ' ');
}

JsonWriter& JsonWriter::key_text(std::string_view name) {
  before_value();
  append_json_string(out_, name);
  out_ += indent_ < 0 ? ":" : ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::lasting_key(std::string_view name) {
  std::string_view literal = literals_ == nullptr ? std::string_view() : literals_->find(name);
  if (literal.empty()) return key_text(name);
  before_value();
  out_ += literal;
  out_ += indent_ < 0 ? ":" : ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  // A whole number of fewer than 16 digits is what dump() writes as
  // "<integer>.0" (weights, kilometres); anything else goes through dump()
  // for its shortest round-trip form.
  if (std::trunc(number) == number && std::abs(number) < 1e15 && !(number == 0 && std::signbit(number))) {
    value(static_cast<std::int64_t>(number));
    out_ += ".0";
    return *this;
  }
  before_value();
  if (!std::isfinite(number)) {
    out_ += "null";  // as dump() writes NaN and infinities
    return *this;
  }
  // dump()'s own conversion (Grisu2, shortest round trip), without a document.
  char digits[64];
  out_.append(digits, nlohmann::detail::to_chars(digits, digits + sizeof digits, number));
  return *this;
}

void JsonWriter::write_document(const nlohmann::json& document) {
  switch (document.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (const auto& [name, member] : document.items()) {
        key_text(name);
        write_document(member);
      }
      end_object();
      return;
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& item : document) write_document(item);
      end_array();
      return;
    case nlohmann::json::value_t::string: value(document.get_ref<const std::string&>()); return;
    case nlohmann::json::value_t::boolean: value(document.get<bool>()); return;
    case nlohmann::json::value_t::number_integer: value(document.get<std::int64_t>()); return;
    case nlohmann::json::value_t::number_unsigned: {
      before_value();
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof digits, document.get<std::uint64_t>()).ptr;
      out_.append(digits, end);
      return;
    }
    case nlohmann::json::value_t::number_float: value(document.get<double>()); return;
    default: break;
  }
  before_value();
  out_ += document.dump();  // null, binary, discarded
}

JsonWriter& JsonWriter::value(const nlohmann::json& document) {
  write_document(document);
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::strings(std::span<const std::string> texts) {
  begin_array();
  for (const auto& text : texts) value(text);
  return end_array();
}


JsonWriter& JsonWriter::lasting_strings(std::span<const std::string> texts) {
  begin_array();
  for (const auto& text : texts) lasting_value(text);
  return end_array();
}

}  // namespace kneecheck
