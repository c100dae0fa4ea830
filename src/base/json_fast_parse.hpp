// json_fast_parse: a parser for the JSON that kneecheck reads every time it
// starts (the built-in rules) and on every batch line, several times faster
// than nlohmann::json::parse. parse_json tries it first.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kneecheck {

// The document nlohmann::json::parse(text) gives: the same values of the same
// types (unsigned, integer, float), the same strings, the last of duplicate
// keys. nullopt when `text` is not JSON and whenever it holds something left
// to nlohmann (a number out of a double's range, nesting deeper than
// kMaxJsonDepth, a byte order mark): nlohmann then parses it, or reports
// where it went wrong. Never throws but std::bad_alloc.
std::optional<nlohmann::json> fast_parse_json(std::string_view text);

}  // namespace kneecheck
