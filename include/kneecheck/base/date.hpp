// date: a calendar day, for check-in and review dates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kneecheck {

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  static Date today();                                    // local time
  static std::optional<Date> parse(std::string_view iso);  // "YYYY-MM-DD", a real calendar day
  Date plus_days(int days) const;
  // Days from this date to `later` (negative when `later` is earlier).
  int days_until(const Date& later) const;
  std::string to_string() const;  // "YYYY-MM-DD"
  friend bool operator==(const Date&, const Date&) = default;
};

}  // namespace kneecheck
