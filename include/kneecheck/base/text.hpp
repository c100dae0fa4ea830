// text: small string utilities shared by the units.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kneecheck {

// Escapes "~" and "/" in one JSON pointer segment (RFC 6901).
std::string json_pointer_escape(std::string_view segment);

// " (did you mean \"x\"?)" naming the closest candidate, or "" when none is
// close enough to be a likely typo.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);
// The candidate closest to `name` in edits, when it is close enough to be
// what was meant.
std::optional<std::string> closest(std::string_view name, const std::vector<std::string>& candidates);

// Splits `text` into lines of at most `width` columns, breaking at spaces.
// A word longer than `width` stands on a line of its own. Counts UTF-8 code
// points, not bytes, so "–" and "…" take one column.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

// Number of code points in a UTF-8 string.
std::size_t display_width(std::string_view text);

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);  // ASCII letters only

// A number with its unit for people: "1 day", "3 days", "2.5 km", "120 years"
// (a plural unit ending in s loses it for exactly 1); no unit: the number.
std::string quantity(double value, std::string_view unit);
std::string_view trim(std::string_view text);

// The pieces of `text` between each `separator`: "a, b" by ", " -> a, b.
std::vector<std::string_view> split_list(std::string_view text, std::string_view separator);
// Words as a sentence lists them: "a", "a or b", "a, b or c".
std::string join_words(const std::vector<std::string_view>& words, std::string_view conjunction);

}  // namespace kneecheck
