#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

#include "kneecheck/runs/import.hpp"

namespace kneecheck::runs {

namespace {

constexpr std::int64_t kSameStartSeconds = 60;
constexpr double kSameDistanceFraction = 0.02;

bool same_distance(double a, double b) { return std::abs(a - b) <= kSameDistanceFraction * std::max(a, b); }

bool same_activity(const Run& a, const Run& b) {
  if (!a.activity_id.empty() && a.activity_id == b.activity_id) return true;
  return std::abs(a.start_utc - b.start_utc) <= kSameStartSeconds && same_distance(a.distance_m, b.distance_m);
}

// Keeps the richer record and fills what it lacks from the other.
void merge_into(Run& kept, Run other) {
  if (static_cast<int>(other.format) > static_cast<int>(kept.format)) std::swap(kept, other);
  if (kept.gear.empty()) kept.gear = std::move(other.gear);
  if (kept.activity_id.empty()) kept.activity_id = std::move(other.activity_id);
  if (!kept.duration_s) kept.duration_s = other.duration_s;
  if (!kept.cadence_spm) kept.cadence_spm = other.cadence_spm;
}

bool by_start(const Run& a, const Run& b) {
  if (a.start_utc != b.start_utc) return a.start_utc < b.start_utc;
  return a.source < b.source;
}

}  // namespace

std::vector<Run> deduplicate(std::vector<Run> runs) {
  std::sort(runs.begin(), runs.end(), by_start);
  std::vector<Run> kept;
  kept.reserve(runs.size());
  std::unordered_map<std::string, std::size_t> by_id;
  for (Run& run : runs) {
    std::optional<std::size_t> same;
    if (!run.activity_id.empty()) {
      if (auto found = by_id.find(run.activity_id); found != by_id.end()) same = found->second;
    }
    // Only the runs kept in the last minute can be the same by time.
    for (std::size_t i = kept.size(); !same && i > 0 && run.start_utc - kept[i - 1].start_utc <= kSameStartSeconds; --i) {
      if (same_activity(kept[i - 1], run)) same = i - 1;
    }
    if (same) {
      merge_into(kept[*same], std::move(run));
      if (!kept[*same].activity_id.empty()) by_id.emplace(kept[*same].activity_id, *same);
      continue;
    }
    if (!run.activity_id.empty()) by_id.emplace(run.activity_id, kept.size());
    kept.push_back(std::move(run));
  }
  std::stable_sort(kept.begin(), kept.end(), by_start);
  return kept;
}

}  // namespace kneecheck::runs
