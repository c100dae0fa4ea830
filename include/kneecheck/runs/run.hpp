// run: one recorded run as every importer gives it, whatever file it came
// from, and the problems an import reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kneecheck/base/date.hpp"

namespace kneecheck::runs {

// Where a run was read from. The order is also the preference when two
// records are the same run: a device file knows more than a CSV row.
enum class SourceFormat { plain_csv, garmin_csv, strava_csv, gpx, tcx, fit };

// "plain CSV", "Garmin CSV", "Strava CSV", "GPX", "TCX", "FIT".
std::string_view format_name(SourceFormat format);

struct Run {
  std::int64_t start_utc = 0;  // seconds since 1970-01-01T00:00:00Z
  Date local_date;             // the runner's calendar day of the start
  double distance_m = 0;
  // Moving (timer) time when the file has it, else elapsed time.
  std::optional<double> duration_s;
  std::string sport;  // as the file names it: "Run", "Trail Running", "running", "FIT sport 1/3"
  std::string gear;   // the shoe's name, "" when unknown
  // The file, and for a CSV row its line: "export/activities.csv:12".
  std::string source;
  std::string activity_id;  // Strava's activity id, "" when unknown
  std::optional<double> cadence_spm;  // steps a minute, both feet counted
  SourceFormat format = SourceFormat::plain_csv;
};

// One thing an import found wrong. An error means the file gave no run at
// all (a file is imported whole or not at all); a warning means its runs
// were kept and the runner may want to look.
struct ImportProblem {
  std::string file;
  std::string where;  // "line 12", "byte 4096", "XML offset 310", "" for the whole file
  std::string message;
  bool warning = false;
};

// "FILE:WHERE: error: MESSAGE" (or "warning:"), without WHERE when empty.
std::string to_string(const ImportProblem& problem);

}  // namespace kneecheck::runs
