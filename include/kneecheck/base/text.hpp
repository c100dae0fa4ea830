// text: small string utilities shared by the units.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kneecheck {

// Escapes "~" and "/" in one JSON pointer segment (RFC 6901).
std::string json_pointer_escape(std::string_view segment);

// " (did you mean \"x\"?)" naming the closest candidate, or "" when none is
// close enough to be a likely typo.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// Splits `text` into lines of at most `width` columns, breaking at spaces.
// A word longer than `width` stands on a line of its own. Counts UTF-8 code
// points, not bytes, so "–" and "…" take one column.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

// Number of code points in a UTF-8 string.
std::size_t display_width(std::string_view text);

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);  // ASCII letters only
std::string_view trim(std::string_view text);

}  // namespace kneecheck
