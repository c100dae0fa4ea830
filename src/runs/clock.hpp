// clock: calendar days, UTC seconds and the runner's local time.
#pragma once

#include <cstdint>
#include <optional>

#include "kneecheck/base/date.hpp"
#include "kneecheck/runs/import.hpp"

namespace kneecheck::runs {

// A wall-clock time as a CSV writes it, without a zone.
struct LocalDateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (negative before).
std::int64_t days_since_epoch(const Date& date);
Date date_of_days(std::int64_t days);

// Seconds since the epoch of `time` read as UTC.
std::int64_t seconds_as_utc(const LocalDateTime& time);

// The UTC instant of a local wall time, with the options' offset or, when
// it has none, this machine's time zone.
std::int64_t utc_of_local(const LocalDateTime& time, const ImportOptions& options);

// The runner's calendar day of a UTC instant: `offset_seconds` when given,
// else the options' offset, else this machine's time zone.
Date local_date_of(std::int64_t utc, const ImportOptions& options, std::optional<int> offset_seconds = std::nullopt);

// True for a real day of a year 1900..9999 (Date::parse's range, widened).
bool is_real_date(int year, int month, int day);

}  // namespace kneecheck::runs
