// csv_activities: runs from activity CSVs: Strava's activities.csv (any
// language in csv_columns), Garmin Connect's activities CSV, and a plain
// date,distance[,unit][,shoe] list.
#pragma once

#include <string_view>

#include "runs/parsed_file.hpp"

namespace kneecheck::runs {

enum class CsvRequirement {
  activities,        // a file the runner named: anything else is an error
  activities_or_none // found in a folder: a CSV of another kind is passed over
};

// `recognised` is set false (and nothing else happens) when the header is
// not an activities CSV's and the requirement allows that.
ParsedFile read_activities_csv(std::string_view text, const FileContext& context, CsvRequirement requirement,
                               bool& recognised);

}  // namespace kneecheck::runs
