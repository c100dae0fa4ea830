#include "runs/text_values.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "kneecheck/base/text.hpp"

namespace kneecheck::runs {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A small reader over one cell: each step consumes what it matched, or
// nothing.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return position_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[position_]; }

  bool take(char c) {
    if (peek() != c) return false;
    ++position_;
    return true;
  }

  // 1..max_digits digits.
  std::optional<int> number(std::size_t max_digits) {
    std::size_t end = position_;
    int value = 0;
    while (end < text_.size() && end - position_ < max_digits && is_digit(text_[end])) {
      value = value * 10 + (text_[end] - '0');
      ++end;
    }
    if (end == position_) return std::nullopt;
    position_ = end;
    return value;
  }

  // Exactly `digits` digits.
  std::optional<int> fixed(std::size_t digits) {
    const std::size_t start = position_;
    auto value = number(digits);
    if (value && position_ - start == digits) return value;
    position_ = start;
    return std::nullopt;
  }

  void skip_spaces() {
    while (peek() == ' ') ++position_;
  }

  void skip_fraction() {
    if (take('.') || take(',')) {
      while (is_digit(peek())) ++position_;
    }
  }

  std::string_view rest() const { return text_.substr(position_); }
  void skip(std::size_t count) { position_ += count; }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

std::optional<double> to_double(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool groups_thousands(std::string_view digits_after_comma) {
  return digits_after_comma.size() == 3 && is_digit(digits_after_comma[0]) && is_digit(digits_after_comma[1]) &&
         is_digit(digits_after_comma[2]);
}

// "H:MM:SS", "MM:SS" with an optional fraction of the seconds.
std::optional<LocalDateTime> clock_time(Scanner& scan, LocalDateTime time) {
  auto hour = scan.number(2);
  if (!hour || !scan.take(':')) return std::nullopt;
  auto minute = scan.fixed(2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (scan.take(':')) {
    auto seconds = scan.fixed(2);
    if (!seconds) return std::nullopt;
    second = *seconds;
    scan.skip_fraction();
  }
  scan.skip_spaces();
  const std::string rest = to_lower(scan.rest().substr(0, 2));
  if (rest == "am" || rest == "pm") {
    if (*hour < 1 || *hour > 12) return std::nullopt;
    *hour = *hour % 12 + (rest == "pm" ? 12 : 0);
    scan.skip(2);
  }
  if (*hour > 23 || *minute > 59 || second > 60) return std::nullopt;
  time.hour = *hour;
  time.minute = *minute;
  time.second = second == 60 ? 59 : second;  // a leap second stays in its minute
  return time;
}

std::optional<int> zone_offset(Scanner& scan) {
  if (scan.take('Z') || scan.take('z')) return 0;
  const bool east = scan.peek() == '+';
  if (!scan.take('+') && !scan.take('-')) return std::nullopt;
  auto hours = scan.fixed(2);
  if (!hours) return std::nullopt;
  scan.take(':');
  auto minutes = scan.fixed(2);
  const int offset = *hours * 3600 + minutes.value_or(0) * 60;
  if (*hours > 18) return std::nullopt;
  return east ? offset : -offset;
}

std::optional<int> english_month(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = to_lower(name.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// The rest after a date: nothing, or a separator and a time (and a zone).
std::optional<CsvDateTime> with_optional_time(Scanner& scan, Date date, bool allow_zone) {
  if (!is_real_date(date.year, date.month, date.day)) return std::nullopt;
  CsvDateTime result;
  result.time.date = date;
  scan.skip_spaces();
  if (scan.done()) return result;
  if (!scan.take('T') && !scan.take(',') && !scan.take(' ')) {
    if (!is_digit(scan.peek())) return std::nullopt;
  }
  scan.skip_spaces();
  auto time = clock_time(scan, result.time);
  if (!time) return std::nullopt;
  result.time = *time;
  result.has_time = true;
  scan.skip_spaces();
  if (allow_zone && !scan.done()) {
    result.utc_offset_seconds = zone_offset(scan);
    if (!result.utc_offset_seconds) return std::nullopt;
  }
  scan.skip_spaces();
  if (!scan.done()) return std::nullopt;
  return result;
}

std::optional<CsvDateTime> iso_date_time(std::string_view text) {
  Scanner scan(text);
  auto year = scan.fixed(4);
  if (!year || !scan.take('-')) return std::nullopt;
  auto month = scan.number(2);
  if (!month || !scan.take('-')) return std::nullopt;
  auto day = scan.number(2);
  if (!day) return std::nullopt;
  return with_optional_time(scan, Date{*year, *month, *day}, true);
}

// "Sep 12, 2018, 3:02:23 PM"
std::optional<CsvDateTime> english_date_time(std::string_view text) {
  auto month = english_month(text);
  if (!month) return std::nullopt;
  std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  Scanner scan(text.substr(space));
  scan.skip_spaces();
  auto day = scan.number(2);
  if (!day || !scan.take(',')) return std::nullopt;
  scan.skip_spaces();
  auto year = scan.fixed(4);
  if (!year) return std::nullopt;
  return with_optional_time(scan, Date{*year, *month, *day}, false);
}

// "12.09.2018, 15:02:23" (day first) or "7/4/2020 15:36" (month first).
std::optional<CsvDateTime> numeric_date_time(std::string_view text, char separator, bool day_first) {
  Scanner scan(text);
  auto first = scan.number(2);
  if (!first || !scan.take(separator)) return std::nullopt;
  auto second = scan.number(2);
  if (!second || !scan.take(separator)) return std::nullopt;
  auto year = scan.fixed(4);
  if (!year) return std::nullopt;
  const Date date = day_first ? Date{*year, *second, *first} : Date{*year, *first, *second};
  return with_optional_time(scan, date, false);
}

}  // namespace

std::optional<double> parse_plain_number(std::string_view text) { return to_double(trim(text)); }

std::optional<double> parse_decimal(std::string_view text) {
  text = trim(text);
  if (text.empty() || text == "--") return std::nullopt;
  const std::size_t comma = text.rfind(',');
  const std::size_t point = text.rfind('.');
  std::string normal;
  normal.reserve(text.size());
  if (comma == std::string_view::npos) return to_double(text);
  if (point != std::string_view::npos) {
    const char decimal = comma > point ? ',' : '.';
    for (char c : text) {
      if (c == decimal) {
        normal += '.';
      } else if (c != ',' && c != '.') {
        normal += c;
      }
    }
    return to_double(normal);
  }
  // Only commas: thousands when every group after one has three digits.
  bool thousands = true;
  for (std::size_t at = text.find(','); at != std::string_view::npos; at = text.find(',', at + 1)) {
    const std::size_t next = text.find(',', at + 1);
    const std::string_view group = text.substr(at + 1, (next == std::string_view::npos ? text.size() : next) - at - 1);
    if (!groups_thousands(group)) thousands = false;
  }
  if (!thousands && text.find(',') != comma) return std::nullopt;  // "1,2,3"
  for (char c : text) {
    if (c != ',') {
      normal += c;
    } else if (!thousands) {
      normal += '.';
    }
  }
  return to_double(normal);
}

std::optional<double> parse_duration(std::string_view text) {
  text = trim(text);
  if (text.empty() || text == "--") return std::nullopt;
  if (text.find(':') == std::string_view::npos) {
    auto seconds = parse_decimal(text);
    if (!seconds || *seconds < 0) return std::nullopt;
    return seconds;
  }
  double total = 0;
  int parts = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t colon = text.find(':', start);
    const std::string_view part = text.substr(start, colon == std::string_view::npos ? text.npos : colon - start);
    const bool last = colon == std::string_view::npos;
    std::optional<double> value = last ? to_double(part) : std::nullopt;
    if (!last) {
      int whole = 0;
      const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), whole);
      if (error != std::errc{} || end != part.data() + part.size() || whole < 0) return std::nullopt;
      value = whole;
    }
    if (!value || *value < 0 || part.empty()) return std::nullopt;
    if (parts > 0 && *value >= 60) return std::nullopt;
    total = total * 60 + *value;
    ++parts;
    if (last) break;
    start = colon + 1;
  }
  if (parts < 2 || parts > 3) return std::nullopt;
  return total;
}

std::optional<CsvDateTime> parse_csv_datetime(std::string_view text) {
  text = trim(text);
  if (text.size() < 8) return std::nullopt;
  if (text.size() >= 5 && is_digit(text[0]) && text[4] == '-') return iso_date_time(text);
  if (!is_digit(text[0])) return english_date_time(text);
  if (text.find('.') < text.find(' ')) return numeric_date_time(text, '.', true);
  return numeric_date_time(text, '/', false);
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  auto parsed = iso_date_time(trim(text));
  if (!parsed) return std::nullopt;
  return seconds_as_utc(parsed->time) - parsed->utc_offset_seconds.value_or(0);
}

}  // namespace kneecheck::runs
