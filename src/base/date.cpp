#include "kneecheck/base/date.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace kneecheck {

namespace {

std::chrono::year_month_day to_ymd(const Date& date) {
  return std::chrono::year{date.year} / std::chrono::month{static_cast<unsigned>(date.month)} /
         std::chrono::day{static_cast<unsigned>(date.day)};
}

Date from_ymd(std::chrono::year_month_day ymd) {
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace

Date Date::today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

std::optional<Date> Date::parse(std::string_view iso) {
  int year = 0;
  int month = 0;
  int day = 0;
  char tail = 0;
  std::string text(iso);
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3) {
    return std::nullopt;
  }
  Date date{year, month, day};
  if (year < 1900 || month < 1 || month > 12 || day < 1 || !to_ymd(date).ok()) return std::nullopt;
  return date;
}

Date Date::plus_days(int days) const {
  return from_ymd(std::chrono::year_month_day{std::chrono::sys_days{to_ymd(*this)} + std::chrono::days{days}});
}

int Date::days_until(const Date& later) const {
  auto days = std::chrono::sys_days{to_ymd(later)} - std::chrono::sys_days{to_ymd(*this)};
  return static_cast<int>(days.count());
}

std::string Date::to_string() const {
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

}  // namespace kneecheck
