#include "kneecheck/answers/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kneecheck/answers/answers.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/json_number.hpp"

namespace kneecheck {

namespace {

using logic::Value;

// Reads the plain answers plain_answers() accepts, and declines (false) at
// the first thing it leaves to the general parser.
class PlainAnswersReader {
 public:
  PlainAnswersReader(std::string_view text, logic::Data& data) : text_(text), data_(data) {}

  bool read() {
    skip_space();
    if (!consume('{')) return false;
    skip_space();
    if (!consume('}')) {
      do {
        if (!member()) return false;
        skip_space();
      } while (consume(','));
      if (!consume('}')) return false;
    }
    skip_space();
    return at_ == text_.size();
  }

 private:
  static constexpr std::size_t kMaxItems = 64;   // longer arrays go the general way
  static constexpr std::size_t kMaxDigits = 15;  // every such integer is exact as a double

  bool member() {
    skip_space();
    std::string_view key;
    if (!consume('"') || !plain_string(key)) return false;
    const std::size_t slot = data_.slots().find(key);
    if (slot == logic::SlotNames::npos) return false;
    skip_space();
    if (!consume(':')) return false;
    skip_space();
    if (at_ < text_.size() && text_[at_] == '[') {
      ++at_;
      return array(slot);
    }
    Value value;
    if (!scalar(value)) return false;
    data_.put(slot, value);  // a repeated key: the last one counts, as in nlohmann
    return true;
  }

  bool array(std::size_t slot) {
    thread_local std::vector<Value> items;  // its room kept from one answer to the next
    items.clear();
    skip_space();
    if (!consume(']')) {
      do {
        skip_space();
        Value item;
        if (items.size() == kMaxItems || !scalar(item)) return false;
        items.push_back(item);
        skip_space();
      } while (consume(','));
      if (!consume(']')) return false;
    }
    std::span<Value> kept = data_.put_array(slot, items.size());
    std::copy(items.begin(), items.end(), kept.begin());
    return true;
  }

  bool scalar(Value& out) {
    if (at_ == text_.size()) return false;
    switch (text_[at_]) {
      case '"': {
        ++at_;
        std::string_view bytes;
        if (!plain_string(bytes)) return false;
        out = Value::string(bytes);  // a view of the text (see plain_answers)
        return true;
      }
      case 't': return word("true", Value::boolean(true), out);
      case 'f': return word("false", Value::boolean(false), out);
      case 'n': return word("null", Value(), out);
      default: return number(out);
    }
  }

  // A string's bytes up to its closing quote: printable ASCII only.
  bool plain_string(std::string_view& bytes) {
    const std::size_t start = at_;
    while (at_ < text_.size()) {
      const auto byte = static_cast<unsigned char>(text_[at_]);
      if (byte == '"') {
        bytes = text_.substr(start, at_ - start);
        ++at_;
        return true;
      }
      if (byte < 0x20 || byte >= 0x7F || byte == '\\') return false;
      ++at_;
    }
    return false;
  }

  bool word(std::string_view expected, Value value, Value& out) {
    if (text_.substr(at_, expected.size()) != expected) return false;
    at_ += expected.size();
    out = value;
    return true;
  }

  // JSON's number grammar; an integer becomes a plain number and anything
  // with a fraction or an exponent a float, as Data::from_json makes them.
  bool number(Value& out) {
    const auto number = detail::scan_json_number(text_, at_);
    if (!number) return false;
    const char* first = number->text.data();
    const char* last = first + number->text.size();
    if (number->integral) {
      if (number->integer_digits > kMaxDigits) return false;
      std::int64_t whole = 0;
      if (std::from_chars(first, last, whole).ptr != last) return false;
      out = Value::number(static_cast<double>(whole));
      return true;
    }
    if (number->text.size() > 32) return false;
    double d = 0;
    const auto result = std::from_chars(first, last, d);
    if (result.ec != std::errc{} || result.ptr != last || !std::isfinite(d)) return false;
    out = Value::json_float(d);
    return true;
  }

  bool consume(char c) {
    if (at_ == text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  std::string_view text_;
  logic::Data& data_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<logic::Data> plain_answers(std::string_view text, const logic::SlotNames& slots) {
  // Room for the usual answers' arrays at once (the memory grows if need be).
  logic::Data data = logic::Data::with_slots(slots, text.size() + 256);
  if (!PlainAnswersReader(text, data).read()) return std::nullopt;
  return data;
}

ReadAnswers read_answers(const RuleSet& rules, std::string_view text) {
  ReadAnswers read;
  if (auto plain = plain_answers(text, rules.slots)) {
    read.answers = std::move(*plain);
    read.errors = check_answers(rules, read.answers);
  } else {
    auto document = parse_json(text);
    if (!document) {
      read.problem = ReadAnswers::Problem::syntax;
      read.errors.push_back(document.error());
      return read;
    }
    auto check = check_answers(rules, *document);
    read.answers = std::move(check.answers);
    read.errors = std::move(check.errors);
  }
  if (!read.errors.empty()) read.problem = ReadAnswers::Problem::answers;
  return read;
}

}  // namespace kneecheck
