// json_input: reading files and JSON documents that anyone may hand us, with
// errors that say where.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "kneecheck/base/result.hpp"

namespace kneecheck {

// Deepest nesting of arrays and objects accepted in any JSON input.
inline constexpr int kMaxJsonDepth = 128;

// Reads a whole file. A missing file, a directory, an unreadable file or one
// larger than `max_bytes` is an error naming the path.
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes);

// Opens a file to read it bit by bit, with read_file's errors: nullopt when
// `stream` is open.
std::optional<Error> open_input_file(const std::filesystem::path& path, std::ifstream& stream);

// Reads a stream to its end (standard input, say), stopping with an error
// naming `name` as soon as it holds more than `max_bytes`.
Result<std::string> read_stream(std::istream& stream, std::size_t max_bytes, const std::string& name);

enum class LineRead { line, too_long, end };

// Reads one line, without its '\n', keeping at most `max_bytes` of it: a line
// longer than that is read to its end and dropped (too_long, `line` holds its
// start), so memory stays bounded and the next call reads the next line.
// NUL bytes are kept. `end` when the stream holds no more lines.
LineRead read_line(std::istream& stream, std::string& line, std::size_t max_bytes);

// Parses one JSON document. Syntax errors carry 1-based line and column;
// nesting deeper than kMaxJsonDepth, a NUL byte and bytes that are not UTF-8
// are errors at the point they are reached.
Result<nlohmann::json> parse_json(std::string_view text);

// The offset of the first byte that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points above U+10FFFF included), or
// nullopt when `text` is all UTF-8.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

// "origin:line:column: message", "origin: at /pointer: message" or
// "origin: message", whichever the error knows.
std::string format_error(const std::string& origin, const Error& error);

}  // namespace kneecheck

namespace kneecheck {

// Where each value of a JSON text starts, by JSON pointer: lets an error of
// meaning, found on the parsed document, name its line in the file too.
class JsonLines {
 public:
  // REQUIRES: `text` is valid JSON (parse_json succeeded).
  explicit JsonLines(std::string_view text);

  // The line of the value at `pointer`, or of its nearest ancestor that
  // exists (a missing key is reported at the object that lacks it).
  int line_of(const std::string& pointer) const;

 private:
  std::unordered_map<std::string, int> lines_;
};

}  // namespace kneecheck
