// sports: which activity names mean running, for each kind of file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kneecheck::runs {

enum class SportKind { running, other, unknown };

// Strava's "Activity Type" (English or German), Garmin Connect's "Activity
// Type", GPX's <type> and TCX's Activity@Sport, compared without case.
// Empty text is unknown; any other name not in the running table is other.
SportKind strava_sport(std::string_view name);
SportKind garmin_sport(std::string_view name);
SportKind gpx_sport(std::string_view type);
// "Running" runs, "Biking" is other; "Other", missing or anything else is
// unknown (Strava writes "Other" for runs too: docs/runs-import.md).
SportKind tcx_sport(std::string_view sport);
// FIT's sport enum: 1 is running; nullopt is unknown.
SportKind fit_sport(std::optional<std::uint8_t> sport);

// "running", "running (trail)", "sport 2" ... for FIT's sport/sub_sport.
std::string fit_sport_name(std::optional<std::uint8_t> sport, std::optional<std::uint8_t> sub_sport);

}  // namespace kneecheck::runs
