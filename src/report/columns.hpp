// report/columns: what the text tables and CSV of history and runs share:
// cells padded or cut to a width in code points, text from files made safe
// for a terminal, short dates, and CSV fields. Private to report/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kneecheck/base/date.hpp"

namespace kneecheck::columns {

// Titles and shoe names come from files: a control character must not move
// the cursor, so each becomes a space.
std::string printable(std::string_view text);

// `text` cut to `width` code points, its end marked ("…", or "..." without
// unicode) when cut.
std::string fit(std::string_view text, std::size_t width, bool unicode);

// `text` filled with spaces to `width` code points, on the right or left.
std::string padded(std::string_view text, std::size_t width);
std::string right_aligned(std::string_view text, std::size_t width);

// "8 Dec 2026"
std::string short_date(const Date& date);

// One RFC 4180 field: quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view text);

}  // namespace kneecheck::columns
