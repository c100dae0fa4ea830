// csv_columns: the header names of activity CSVs, as a table of data.
#pragma once

#include <span>
#include <string_view>

namespace kneecheck::runs {

enum class Column {
  activity_id,
  date,
  type,
  distance,
  gear,
  filename,
  elapsed_time,
  moving_time,
  duration,  // Garmin's "Time"
  cadence,   // steps a minute
  unit,      // plain CSV
};

struct HeaderName {
  Column column;
  std::string_view name;  // exactly as the file writes it
  std::string_view language;
};

// Strava's activities.csv in every language whose names are known, and
// Garmin Connect's activities CSV.
std::span<const HeaderName> strava_header_names();
std::span<const HeaderName> garmin_header_names();
// The plain CSV's names (compared without case).
std::span<const HeaderName> plain_header_names();

}  // namespace kneecheck::runs
