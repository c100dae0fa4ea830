#include "report/columns.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "kneecheck/base/text.hpp"

namespace kneecheck::columns {

std::string printable(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return clean;
}

std::string fit(std::string_view text, std::size_t width, bool unicode) {
  if (display_width(text) <= width) return std::string(text);
  std::string_view ellipsis = unicode ? "…" : "...";
  std::size_t keep = width > display_width(ellipsis) ? width - display_width(ellipsis) : 0;
  std::size_t points = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80) {
      if (points == keep) break;
      ++points;
    }
  }
  return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string padded(std::string_view text, std::size_t width) {
  std::size_t used = display_width(text);
  return std::string(text) + std::string(width > used ? width - used : 0, ' ');
}

std::string right_aligned(std::string_view text, std::size_t width) {
  std::size_t used = display_width(text);
  return std::string(width > used ? width - used : 0, ' ') + std::string(text);
}

std::string short_date(const Date& date) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{} {} {}", date.day, kMonths[std::clamp(date.month, 1, 12) - 1], date.year);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace kneecheck::columns
