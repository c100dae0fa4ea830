// text_values: the numbers, durations and times of CSV cells and XML text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runs/clock.hpp"

namespace kneecheck::runs {

// A decimal number as activity CSVs write it: "20.10", "1,024" (a comma
// before exactly three digits groups thousands), "5,81" (any other comma is
// a decimal comma), "1.024,5" and "1,024.5" (the last separator is the
// decimal one). nullopt for "", "--", or anything else that is not a finite
// number.
std::optional<double> parse_decimal(std::string_view text);

// A plain number with a '.' decimal point, as XML and FIT text give it.
std::optional<double> parse_plain_number(std::string_view text);

// Seconds from "00:31:40", "00:28:10.5", "1:02:03", "31:40" or "1900"
// (plain seconds, as Strava writes them). nullopt for "--" and the rest.
std::optional<double> parse_duration(std::string_view text);

// A date and time as activity CSVs write them. `utc_offset_seconds` is set
// when the text names its zone ("Z", "+02:00").
struct CsvDateTime {
  LocalDateTime time;
  bool has_time = false;
  std::optional<int> utc_offset_seconds;
};

// "2018-09-12 15:02:23", "2018-09-12T15:02:23Z", "2018-09-12",
// "Sep 12, 2018, 3:02:23 PM" (Strava, English), "12.09.2018, 15:02:23"
// (Strava, German), "7/4/2020 15:36" and "7/4/2020 3:36 PM" (Garmin, US
// month first). Fractions of a second are dropped.
std::optional<CsvDateTime> parse_csv_datetime(std::string_view text);

// An ISO 8601 time as GPX and TCX write it ("2018-09-12T15:02:23Z", with or
// without milliseconds, with "Z", an offset or, taken as UTC, nothing), as
// seconds since the epoch.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

}  // namespace kneecheck::runs
