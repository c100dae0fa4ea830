#include "kneecheck/runs/run.hpp"

namespace kneecheck::runs {

std::string_view format_name(SourceFormat format) {
  switch (format) {
    case SourceFormat::plain_csv: return "plain CSV";
    case SourceFormat::garmin_csv: return "Garmin CSV";
    case SourceFormat::strava_csv: return "Strava CSV";
    case SourceFormat::gpx: return "GPX";
    case SourceFormat::tcx: return "TCX";
    case SourceFormat::fit: return "FIT";
  }
  return "unknown";
}

std::string to_string(const ImportProblem& problem) {
  std::string text = problem.file;
  if (!problem.where.empty()) text += ":" + problem.where;
  text += problem.warning ? ": warning: " : ": error: ";
  return text + problem.message;
}

}  // namespace kneecheck::runs
