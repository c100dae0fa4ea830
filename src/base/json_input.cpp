#include "kneecheck/base/json_input.hpp"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "base/json_fast_parse.hpp"
#include "kneecheck/base/text.hpp"

#include <fmt/format.h>

namespace kneecheck {

using nlohmann::json;

std::optional<Error> open_input_file(const std::filesystem::path& path, std::ifstream& stream) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return Error{fmt::format("{} is a directory, not a file", path.string())};
  stream.open(path, std::ios::binary);
  if (!stream) {
    bool exists = std::filesystem::exists(path, error);
    return Error{fmt::format("cannot read {}: {}", path.string(), exists ? "permission denied" : "no such file")};
  }
  return std::nullopt;
}

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream stream;
  if (auto error = open_input_file(path, stream)) return *error;
  return read_stream(stream, max_bytes, path.string());
}

Result<std::string> read_stream(std::istream& stream, std::size_t max_bytes, const std::string& name) {
  std::string text;
  char buffer[1 << 16];
  while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(stream.gcount()));
    if (text.size() > max_bytes) return Error{fmt::format("{} is larger than the limit of {} bytes", name, max_bytes)};
  }
  if (stream.bad()) return Error{fmt::format("cannot read {}", name)};
  return text;
}

LineRead read_line(std::istream& stream, std::string& line, std::size_t max_bytes) {
  line.clear();
  bool read_any = false;
  bool too_long = false;
  char chunk[1 << 12];
  while (true) {
    stream.getline(chunk, sizeof chunk);
    auto extracted = static_cast<std::size_t>(stream.gcount());
    bool ended_at_newline = !stream.fail() && !stream.eof();
    bool chunk_full = stream.fail() && !stream.eof() && extracted == sizeof chunk - 1;
    std::size_t kept = ended_at_newline ? extracted - 1 : extracted;  // the newline is extracted, not stored
    if (extracted > 0) read_any = true;
    std::size_t room = line.size() < max_bytes ? max_bytes - line.size() : 0;
    line.append(chunk, std::min(kept, room));
    if (kept > room) too_long = true;
    if (chunk_full) {
      stream.clear(stream.rdstate() & ~std::ios::failbit);
      continue;
    }
    break;
  }
  if (!read_any) return LineRead::end;
  return too_long ? LineRead::too_long : LineRead::line;
}

namespace {

// nlohmann reports a byte offset; people need a line and a column.
Error located_error(std::string_view text, std::size_t byte, std::string message) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return Error{std::move(message), "", line, column};
}

// nlohmann's message repeats the position; keep only the explanation.
std::string explain(const json::parse_error& error) {
  std::string what = error.what();
  for (std::string_view marker : {"while parsing value - ", "while parsing object - ", "while parsing array - ",
                                  "while parsing object key - ", "while parsing object separator - "}) {
    auto at = what.find(marker);
    if (at != std::string::npos) return what.substr(at + marker.size());
  }
  auto colon = what.rfind(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// The offset of the bracket that opens level kMaxJsonDepth + 1, if any.
std::optional<std::size_t> find_excess_nesting(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07u;
    } else {
      return i;  // a continuation byte without a lead, or a byte UTF-8 never uses
    }
    if (text.size() - i < length) return i;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return i;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) return i;
    i += length;
  }
  return std::nullopt;
}

Result<json> parse_json(std::string_view text) {
  // The fast parser takes plain JSON whole and declines anything else, which
  // the checks below and nlohmann then report with line and column. It
  // declines all that those checks refuse (a byte order mark, a NUL byte,
  // bytes that are not UTF-8, nesting deeper than kMaxJsonDepth), so valid
  // input need not be read twice.
  if (auto fast = fast_parse_json(text)) return std::move(*fast);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    return Error{"invalid JSON: starts with a byte order mark; save the file as UTF-8 without BOM", "", 1, 1};
  }
  // Checked before the parser sees the text: nlohmann stops quietly at a NUL
  // byte (ignoring whatever follows), and an invalid byte it quotes in its
  // message would make every later dump() of that message throw.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return located_error(text, nul + 1, "invalid JSON: a NUL byte (0x00); JSON text never contains one");
  }
  if (auto bad = invalid_utf8_at(text)) {
    return located_error(text, *bad + 1,
                         fmt::format("invalid JSON: not UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                                     static_cast<unsigned char>(text[*bad])));
  }
  if (auto excess = find_excess_nesting(text)) {
    return located_error(text, *excess + 1, fmt::format("invalid JSON: nested deeper than {} levels", kMaxJsonDepth));
  }
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& error) {
    return located_error(text, error.byte, "invalid JSON: " + explain(error));
  } catch (const json::out_of_range& error) {
    // A number too large for a double ("1e400") is reported as out of range,
    // without a position: find the number it quotes.
    std::string what = error.what();
    auto message_at = what.find("] ");
    std::string message = message_at == std::string::npos ? what : what.substr(message_at + 2);
    std::size_t byte = 0;
    auto open = what.find('\'');
    auto close = what.rfind('\'');
    if (open != std::string::npos && close > open + 1) {
      auto at = text.find(std::string_view(what).substr(open + 1, close - open - 1));
      if (at != std::string_view::npos) byte = at + 1;
    }
    if (byte == 0) return Error{"invalid JSON: " + message};
    return located_error(text, byte, "invalid JSON: " + message);
  }
}

std::string format_error(const std::string& origin, const Error& error) {
  if (error.line > 0) return fmt::format("{}:{}:{}: {}", origin, error.line, error.column, error.message);
  if (!error.pointer.empty()) return fmt::format("{}: at {}: {}", origin, error.pointer, error.message);
  return fmt::format("{}: {}", origin, error.message);
}

}  // namespace kneecheck

namespace kneecheck {

namespace {

// A small scanner over text already known to be valid JSON: it only needs to
// follow nesting, keys and array positions, never to check syntax.
class LineScanner {
 public:
  LineScanner(std::string_view text, std::unordered_map<std::string, int>& lines) : text_(text), lines_(lines) {}

  void scan() {
    skip_space();
    value("");
  }

 private:
  void value(const std::string& pointer) {
    lines_.emplace(pointer, line_);
    if (at_ >= text_.size()) return;
    char c = text_[at_];
    if (c == '{') {
      object(pointer);
    } else if (c == '[') {
      array(pointer);
    } else if (c == '"') {
      string();
    } else {
      while (at_ < text_.size() && std::string_view(",]} \t\r\n").find(text_[at_]) == std::string_view::npos) ++at_;
    }
  }

  void object(const std::string& pointer) {
    ++at_;  // {
    skip_space();
    while (at_ < text_.size() && text_[at_] != '}') {
      std::string key = string();
      skip_space();
      ++at_;  // :
      skip_space();
      value(pointer + "/" + json_pointer_escape(key));
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
      skip_space();
    }
    ++at_;  // }
  }

  void array(const std::string& pointer) {
    ++at_;  // [
    skip_space();
    for (std::size_t index = 0; at_ < text_.size() && text_[at_] != ']'; ++index) {
      value(pointer + "/" + std::to_string(index));
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
      skip_space();
    }
    ++at_;  // ]
  }

  // Returns the raw text between the quotes; keys in rule files need no
  // unescaping to be found again.
  std::string string() {
    std::size_t start = ++at_;
    while (at_ < text_.size() && text_[at_] != '"') at_ += text_[at_] == '\\' ? 2 : 1;
    std::string raw(text_.substr(start, at_ - start));
    ++at_;
    return raw;
  }

  void skip_space() {
    while (at_ < text_.size() && std::string_view(" \t\r\n").find(text_[at_]) != std::string_view::npos) {
      if (text_[at_] == '\n') ++line_;
      ++at_;
    }
  }

  std::string_view text_;
  std::unordered_map<std::string, int>& lines_;
  std::size_t at_ = 0;
  int line_ = 1;
};

}  // namespace

JsonLines::JsonLines(std::string_view text) {
  LineScanner(text, lines_).scan();
}

int JsonLines::line_of(const std::string& pointer) const {
  std::string at = pointer;
  while (true) {
    auto it = lines_.find(at);
    if (it != lines_.end()) return it->second;
    if (at.empty()) return 0;
    at = at.substr(0, at.rfind('/'));
  }
}

}  // namespace kneecheck
