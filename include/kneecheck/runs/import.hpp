// import: reading recorded runs from the files runners export (a Strava bulk
// export, Garmin Connect's activities CSV, a plain date,distance CSV, GPX 1.1,
// TCX and FIT activity files, each also gzipped) into Run records.
// docs/runs-import.md describes every format and the sources behind each
// decision.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kneecheck/base/date.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck::runs {

enum class DistanceUnit { km, mi };

struct ImportOptions {
  // The unit of distances whose file does not say: Garmin Connect's CSV (the
  // account's unit) and plain CSV rows without a unit. Default: km.
  DistanceUnit unit = DistanceUnit::km;

  // A run dated after this day is an error for its row or file.
  // Default: today, local time.
  Date today = Date::today();

  // Largest file read, and largest a .gz file may inflate to; a larger file
  // is an error naming it and is read no further. Default: 64 MiB.
  std::size_t max_file_bytes = std::size_t{64} << 20;

  // The runner's offset from UTC, which turns start times into calendar
  // days (and local CSV times into UTC). A FIT file that records its own
  // offset uses that instead. Default (nullopt): this machine's time zone,
  // daylight saving included.
  std::optional<int> utc_offset_minutes;
};

struct Import {
  std::vector<Run> runs;  // de-duplicated, oldest first
  std::vector<ImportProblem> problems;
  std::size_t files_read = 0;
  std::size_t skipped_not_running = 0;  // rides, swims, ... counted, not imported

  bool has_errors() const;
};

// Reads every path: a file, or a folder searched recursively for *.csv,
// *.gpx, *.tcx, *.fit and their *.gz. A file named directly is read whatever
// its name (FIT, XML and CSV are told apart by their content); a CSV found
// in a folder is read only when its header is one of an activities CSV, so
// the other tables of an export are passed over. Each file is read once. A
// file that cannot be read or parsed is reported and skipped; the others are
// still imported. A Strava activities.csv row whose Filename names a file
// that was read links to it: the two count as one run, the file's
// measurements with the row's id, gear and sport. The result is
// de-duplicated.
Import import_runs(std::span<const std::filesystem::path> paths, const ImportOptions& options);

enum class FileKind { csv, xml, fit };

// Parses the bytes of one file already in memory (decompressed) as `kind`;
// `name` names it in problems. For runs from elsewhere than a file (standard
// input, say) and for fuzzing. Runs whose sport the file does not state are
// skipped here (import_runs may keep them for a Strava CSV row). Not
// de-duplicated. Never throws.
Import import_bytes(std::string_view bytes, FileKind kind, const std::string& name, const ImportOptions& options);

// Keeps one run of each set of runs that are the same activity: the same
// activity id, or starts within 60 s and distances within 2 % of each other.
// The kept run is the one from the richest format (FIT, TCX, GPX, then CSV
// rows), with the gear, id, duration and cadence the others add. Returns
// the runs sorted by start time. O(n log n).
std::vector<Run> deduplicate(std::vector<Run> runs);

}  // namespace kneecheck::runs
