// parsed_file: what one file gives the importer, and the checks every run
// passes before it is kept.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kneecheck/runs/import.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck::runs {

// A Strava activities.csv row that names its activity file.
struct StravaLink {
  std::filesystem::path file;  // absolute and lexically normal
  std::string activity_id;
  std::string gear;
  bool running = false;
};

struct FileContext {
  std::string name;              // the path as problems name it
  std::filesystem::path folder;  // the file's folder, for Strava's Filename
  const ImportOptions* options = nullptr;
};

struct ParsedFile {
  std::vector<Run> runs;
  // Runs whose file does not name the sport (TCX "Other", GPX without
  // <type>): kept only when a Strava row that links them says running.
  std::vector<Run> unknown_sport;
  std::vector<ImportProblem> problems;
  std::vector<StravaLink> links;
  std::size_t skipped_not_running = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;

  bool failed() const { return errors > 0; }
};

// Errors a file lists before the rest are only counted; warnings likewise
// (a CSV in the wrong unit would otherwise warn on every row).
inline constexpr std::size_t kMaxErrorsPerFile = 20;
inline constexpr std::size_t kMaxWarningsPerFile = 20;

void add_error(ParsedFile& file, const FileContext& context, std::string where, std::string message);
void add_warning(ParsedFile& file, const FileContext& context, std::string where, std::string message);

// Checks a run read at `where` and keeps it in runs or unknown_sport: a date
// after the options' today, a negative or absurd distance or duration are
// errors; a pace faster than 2:30 or slower than 20:00 min/km is a warning.
void keep_run(ParsedFile& file, const FileContext& context, Run run, const std::string& where, bool sport_known);

// Drops everything a failed file gave but its problems.
void discard_runs_of_failed(ParsedFile& file);

// "N more errors" / "N more warnings" for those past the caps.
void close_problems(ParsedFile& file, const FileContext& context);

}  // namespace kneecheck::runs
