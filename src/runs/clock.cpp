#include "runs/clock.hpp"

#include <ctime>

namespace kneecheck::runs {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

Date machine_local_date(std::int64_t utc) {
  const auto seconds = static_cast<std::time_t>(utc);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) return date_of_days(floor_div(utc, kSecondsPerDay));
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::int64_t machine_utc_of_local(const LocalDateTime& time) {
  std::tm local{};
  local.tm_year = time.date.year - 1900;
  local.tm_mon = time.date.month - 1;
  local.tm_mday = time.date.day;
  local.tm_hour = time.hour;
  local.tm_min = time.minute;
  local.tm_sec = time.second;
  local.tm_isdst = -1;  // let the zone's rules say whether summer time applies
  const std::time_t utc = std::mktime(&local);
  return utc == static_cast<std::time_t>(-1) ? seconds_as_utc(time) : static_cast<std::int64_t>(utc);
}

}  // namespace

// Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date.
std::int64_t days_since_epoch(const Date& date) {
  const std::int64_t year = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t month = date.month;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

Date date_of_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = floor_div(days, 146097);
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const std::int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return Date{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

std::int64_t seconds_as_utc(const LocalDateTime& time) {
  return days_since_epoch(time.date) * kSecondsPerDay + time.hour * 3600 + time.minute * 60 + time.second;
}

std::int64_t utc_of_local(const LocalDateTime& time, const ImportOptions& options) {
  if (options.utc_offset_minutes) return seconds_as_utc(time) - std::int64_t{*options.utc_offset_minutes} * 60;
  return machine_utc_of_local(time);
}

Date local_date_of(std::int64_t utc, const ImportOptions& options, std::optional<int> offset_seconds) {
  if (offset_seconds) return date_of_days(floor_div(utc + *offset_seconds, kSecondsPerDay));
  if (options.utc_offset_minutes) {
    return date_of_days(floor_div(utc + std::int64_t{*options.utc_offset_minutes} * 60, kSecondsPerDay));
  }
  return machine_local_date(utc);
}

bool is_real_date(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace kneecheck::runs
