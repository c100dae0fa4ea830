// json_writer: JSON written straight into a string, for output that is made
// often (a batch writes one assessment per answer set) and should not build a
// document first. The text is what nlohmann::json's dump(indent) gives for the
// same values: the same spacing, escaping and number forms.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic.hpp"

namespace kneecheck {

// The JSON string literals of texts that are written again and again (a rule
// set's texts, in every record of a batch), escaped once. A text is found by
// its address and then compared byte for byte, so a reused address never
// gives a wrong literal; past kMaxEntries texts, the rest are escaped each time.
class EscapedTexts {
 public:
  static constexpr std::size_t kMaxEntries = 4096;

  // `text` as a JSON string literal, quotes included.
  std::string_view literal(std::string_view text);

 private:
  struct Entry {
    std::string text;
    std::string literal;
  };
  std::unordered_map<const char*, Entry> entries_;
  std::string scratch_;
};

class JsonWriter {
 public:
  // Appends to `out`. indent < 0: compact, on one line; otherwise members
  // and elements on lines of their own, indented by `indent` spaces a level.
  // With `lasting`, lasting_value() reuses escaped texts across writers.
  JsonWriter(std::string& out, int indent, EscapedTexts* lasting = nullptr);

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next member. REQUIRES: inside an object.
  JsonWriter& key(std::string_view name);

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
  // As value(value.to_json()) would write it.
  JsonWriter& value(const logic::Value& value);
  JsonWriter& null();

  // An array of strings.
  JsonWriter& strings(std::span<const std::string> texts);

  // The same as value(text) and strings(texts), for texts that stay at the
  // same address while this writer's EscapedTexts lives (a RuleSet's).
  JsonWriter& lasting_value(std::string_view text);
  JsonWriter& lasting_strings(std::span<const std::string> texts);

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline();
  void write_document(const nlohmann::json& document);

  std::string& out_;
  int indent_;
  EscapedTexts* lasting_;
  // Per open container: whether it has an element yet.
  // (Bytes, not std::vector<bool>: this is read for every value written.)
  std::vector<unsigned char> has_items_;
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace kneecheck
