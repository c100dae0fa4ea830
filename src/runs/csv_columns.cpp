#include "runs/csv_columns.hpp"

namespace kneecheck::runs {

namespace {

// Strava: English names from a 2026 export (domain-2 §4.1, geo-activity-
// playground #403); German names as public Strava-export importers map them
// to English (domain-2 §4.1, geo-activity-playground #191, #348, #393). A
// new language is a block of rows here.
constexpr HeaderName kStrava[] = {
    {Column::activity_id, "Activity ID", "en"},
    {Column::date, "Activity Date", "en"},
    {Column::type, "Activity Type", "en"},
    {Column::distance, "Distance", "en"},
    {Column::gear, "Activity Gear", "en"},
    {Column::filename, "Filename", "en"},
    {Column::elapsed_time, "Elapsed Time", "en"},
    {Column::moving_time, "Moving Time", "en"},

    {Column::activity_id, "Aktivitäts-ID", "de"},
    {Column::date, "Aktivitätsdatum", "de"},
    {Column::type, "Aktivitätsart", "de"},
    {Column::distance, "Distanz", "de"},
    {Column::gear, "Aktivitätsausrüstung", "de"},
    {Column::filename, "Dateiname", "de"},
    {Column::elapsed_time, "Verstrichene Zeit", "de"},
    {Column::moving_time, "Bewegungszeit", "de"},
};

// Garmin Connect (domain-2 §4.2): current and older names.
constexpr HeaderName kGarmin[] = {
    {Column::type, "Activity Type", "en"},
    {Column::date, "Date", "en"},
    {Column::distance, "Distance", "en"},
    {Column::duration, "Time", "en"},
    {Column::duration, "Activity Time", "en"},
    {Column::elapsed_time, "Elapsed Time", "en"},
    {Column::moving_time, "Moving Time", "en"},
    {Column::cadence, "Avg Run Cadence", "en"},
};

constexpr HeaderName kPlain[] = {
    {Column::date, "date", "en"},
    {Column::distance, "distance", "en"},
    {Column::unit, "unit", "en"},
    {Column::gear, "shoe", "en"},
    {Column::gear, "gear", "en"},
};

}  // namespace

std::span<const HeaderName> strava_header_names() { return kStrava; }
std::span<const HeaderName> garmin_header_names() { return kGarmin; }
std::span<const HeaderName> plain_header_names() { return kPlain; }

}  // namespace kneecheck::runs
