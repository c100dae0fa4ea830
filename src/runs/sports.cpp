#include "runs/sports.hpp"

#include <algorithm>
#include <span>
#include <string>

#include "kneecheck/base/text.hpp"

namespace kneecheck::runs {

namespace {

// The names of running, lower case. Sources (docs/runs-import.md): Strava's
// English types (domain-2 §4.1) and German ones as public Strava-export
// importers list them; Garmin Connect's types (domain-2 §4.2); GPX <type>
// as Garmin ("running") and Strava ("9", its number for Run) write it
// (domain-2 §4.3).
constexpr std::string_view kStravaRunning[] = {
    "run", "trail run", "virtual run", "trailrun", "virtualrun",  // English; API spelling too
    "lauf", "traillauf", "virtueller lauf",                          // German
};
constexpr std::string_view kGarminRunning[] = {
    "running", "treadmill running", "trail running", "virtual running",
};
constexpr std::string_view kGpxRunning[] = {
    "running", "run", "trail_running", "treadmill_running", "trail running", "9",
};

constexpr std::string_view kFitSubSports[] = {"generic", "treadmill", "street", "trail", "track"};

SportKind kind_from(std::span<const std::string_view> running_names, std::string_view name) {
  const std::string lower = to_lower(trim(name));
  if (lower.empty()) return SportKind::unknown;
  const bool running = std::find(running_names.begin(), running_names.end(), lower) != running_names.end();
  return running ? SportKind::running : SportKind::other;
}

}  // namespace

SportKind strava_sport(std::string_view name) { return kind_from(kStravaRunning, name); }
SportKind garmin_sport(std::string_view name) { return kind_from(kGarminRunning, name); }
SportKind gpx_sport(std::string_view type) { return kind_from(kGpxRunning, type); }

SportKind tcx_sport(std::string_view sport) {
  const std::string lower = to_lower(trim(sport));
  if (lower == "running") return SportKind::running;
  if (lower == "biking") return SportKind::other;
  return SportKind::unknown;
}

SportKind fit_sport(std::optional<std::uint8_t> sport) {
  if (!sport) return SportKind::unknown;
  return *sport == 1 ? SportKind::running : SportKind::other;
}

std::string fit_sport_name(std::optional<std::uint8_t> sport, std::optional<std::uint8_t> sub_sport) {
  std::string name = !sport ? "sport unknown" : *sport == 1 ? "running" : "sport " + std::to_string(*sport);
  if (sub_sport && *sub_sport != 0) {
    const bool named = *sub_sport < std::size(kFitSubSports);
    name += " (" + (named ? std::string(kFitSubSports[*sub_sport]) : "sub-sport " + std::to_string(*sub_sport)) + ")";
  }
  return name;
}

}  // namespace kneecheck::runs
