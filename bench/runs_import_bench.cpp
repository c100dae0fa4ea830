// runs_import_bench: how long kneecheck takes to import a runner's ten years
// of recorded runs, against `cat` over the same files as the I/O floor.
//
//   runs_import_bench [--runs N] [--points N] [--repeat N] [--keep DIR]
//
// Writes a Strava-style export into a temporary folder: activities.csv with
// N runs (default 3,000, one every 1.2 days over ten years) and one activity
// file per run, in turn a GPX (with cadence extensions), a TCX and a FIT
// file of about --points track points each (default 400). Then, --repeat
// times (default 3), imports the folder with import_runs in a child process
// and runs `cat` over every file into /dev/null, and reports the medians,
// their ratio and the import's peak memory (getrusage of the child) as one
// JSON object on standard output; a summary goes to standard error. Target:
// the import under 2 s on a 2-core machine.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "../tests/runs/fit_builder.hpp"
#include "kneecheck/runs/import.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using kneecheck::runs::test::FitBuilder;

constexpr std::int64_t kFirstRun = 1420099200;  // 2015-01-01T08:00:00Z
constexpr std::int64_t kRunEvery = 103680;      // 1.2 days

struct Settings {
  int runs = 3000;
  int points = 400;
  int repeat = 3;
  std::string keep;
};

struct Track {
  std::int64_t start;
  double metres;
  int seconds;
};

std::string iso(std::int64_t seconds) {
  const std::time_t time = seconds;
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A route northwards from (51.5, -0.1), metres along it at each point.
double latitude_at(double metres) { return 51.5 + metres / 111195.08; }

std::string gpx(const Track& track, int points) {
  std::string text = "          <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx creator=\"StravaGPX\" version=\"1.1\" "
                     "xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/"
                     "TrackPointExtension/v1\">\n <metadata>\n  <time>" + iso(track.start) +
                     "</time>\n </metadata>\n <trk>\n  <name>Morning Run</name>\n  <type>running</type>\n  <trkseg>\n";
  char point[400];
  for (int i = 0; i < points; ++i) {
    const double along = track.metres * i / (points - 1);
    std::snprintf(point, sizeof point,
                  "   <trkpt lat=\"%.7f\" lon=\"%.7f\">\n    <ele>%.1f</ele>\n    <time>%s</time>\n    <extensions>\n"
                  "     <gpxtpx:TrackPointExtension>\n      <gpxtpx:hr>%d</gpxtpx:hr>\n      <gpxtpx:cad>%d</gpxtpx:cad>\n"
                  "     </gpxtpx:TrackPointExtension>\n    </extensions>\n   </trkpt>\n",
                  latitude_at(along), -0.1 + 0.0001 * std::sin(i / 10.0), 20 + 5 * std::sin(i / 30.0),
                  iso(track.start + std::int64_t{track.seconds} * i / (points - 1)).c_str(), 140 + i % 20, 84 + i % 5);
    text += point;
  }
  return text + "  </trkseg>\n </trk>\n</gpx>\n";
}

std::string tcx(const Track& track, int points) {
  std::string text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase xmlns=\"http://www.garmin.com/"
                     "xmlschemas/TrainingCenterDatabase/v2\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"
                     " <Activities>\n  <Activity Sport=\"Running\">\n   <Id>" + iso(track.start) + "</Id>\n   <Lap StartTime=\"" +
                     iso(track.start) + "\">\n    <TotalTimeSeconds>" + std::to_string(track.seconds) +
                     "</TotalTimeSeconds>\n    <DistanceMeters>" + std::to_string(track.metres) +
                     "</DistanceMeters>\n    <Calories>500</Calories>\n    <Intensity>Active</Intensity>\n"
                     "    <TriggerMethod>Manual</TriggerMethod>\n    <Track>\n";
  char point[600];
  for (int i = 0; i < points; ++i) {
    const double along = track.metres * i / (points - 1);
    std::snprintf(point, sizeof point,
                  "     <Trackpoint>\n      <Time>%s</Time>\n      <Position>\n       <LatitudeDegrees>%.7f</LatitudeDegrees>\n"
                  "       <LongitudeDegrees>-0.1</LongitudeDegrees>\n      </Position>\n      <AltitudeMeters>20.0</AltitudeMeters>\n"
                  "      <DistanceMeters>%.1f</DistanceMeters>\n      <HeartRateBpm><Value>%d</Value></HeartRateBpm>\n"
                  "      <Extensions><ns3:TPX><ns3:RunCadence>%d</ns3:RunCadence></ns3:TPX></Extensions>\n     </Trackpoint>\n",
                  iso(track.start + std::int64_t{track.seconds} * i / (points - 1)).c_str(), latitude_at(along), along,
                  140 + i % 20, 84 + i % 5);
    text += point;
  }
  return text + "    </Track>\n   </Lap>\n  </Activity>\n </Activities>\n</TrainingCenterDatabase>\n";
}

std::string fit(const Track& track, int points) {
  using namespace kneecheck::runs::test;
  const std::uint32_t start = fit_time(track.start);
  FitBuilder builder;
  builder.define(0, 0, {{0, 1, kEnum}, {4, 4, kUint32}}).message(0, {4, start});
  builder.define(1, 20, {{253, 4, kUint32}, {0, 4, 0x85}, {1, 4, 0x85}, {5, 4, kUint32}, {3, 1, kUint8}, {4, 1, kUint8}});
  for (int i = 0; i < points; ++i) {
    const double along = track.metres * i / (points - 1);
    const auto semicircles = [](double degrees) {
      return static_cast<std::uint64_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(degrees * 2147483648.0 / 180)));
    };
    builder.message(1, {start + static_cast<std::uint32_t>(track.seconds * i / (points - 1)), semicircles(latitude_at(along)),
                        semicircles(-0.1), static_cast<std::uint64_t>(along * 100), static_cast<std::uint64_t>(140 + i % 20),
                        static_cast<std::uint64_t>(84 + i % 5)});
  }
  builder.define(2, 18, {{253, 4, kUint32}, {2, 4, kUint32}, {5, 1, kEnum}, {7, 4, kUint32}, {8, 4, kUint32}, {9, 4, kUint32},
                         {18, 1, kUint8}});
  builder.message(2, {start + static_cast<std::uint32_t>(track.seconds), start, 1, static_cast<std::uint64_t>(track.seconds) * 1000,
                      static_cast<std::uint64_t>(track.seconds) * 1000, static_cast<std::uint64_t>(track.metres * 100), 86});
  return builder.file();
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
  if (!file) {
    std::fprintf(stderr, "runs_import_bench: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

// The export, and every file in it (for cat).
std::vector<std::string> generate(const fs::path& folder, const Settings& settings, std::uintmax_t& bytes) {
  fs::create_directories(folder / "activities");
  std::mt19937 random(42);
  std::uniform_real_distribution<double> km(4, 21);
  std::string csv =
      "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,"
      "Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,"
      "Moving Time,Distance,Max Speed,Average Speed\n";
  std::vector<std::string> files;
  const char* shoes[] = {"Pegasus 40", "Old Boost", "Vaporfly"};
  for (int i = 0; i < settings.runs; ++i) {
    const double metres = std::round(km(random) * 1000);
    const Track track{kFirstRun + std::int64_t{i} * kRunEvery, metres, static_cast<int>(metres * 0.33)};
    const std::string id = std::to_string(1000000 + i);
    const int kind = i % 3;
    const std::string name = "activities/" + id + (kind == 0 ? ".gpx" : kind == 1 ? ".tcx" : ".fit");
    write(folder / name, kind == 0 ? gpx(track, settings.points) : kind == 1 ? tcx(track, settings.points) : fit(track, settings.points));
    files.push_back((folder / name).string());
    char row[512];
    std::snprintf(row, sizeof row, "%s,%s,Run %d,Run,,%d,%.2f,,,false,,%s,%s,,,%d.0,%d.0,%.1f,,\n", id.c_str(),
                  iso(track.start).replace(10, 1, " ").substr(0, 19).c_str(), i, track.seconds, metres / 1000, shoes[i % 3],
                  name.c_str(), track.seconds, track.seconds, metres);
    csv += row;
  }
  write(folder / "activities.csv", csv);
  files.push_back((folder / "activities.csv").string());
  bytes = 0;
  for (const auto& file : files) bytes += fs::file_size(file);
  return files;
}

struct ChildRun {
  double seconds = 0;
  long peak_rss_kb = 0;
  int status = 0;
};

// Runs `arguments` with standard output to /dev/null; wall time and peak RSS.
ChildRun run_child(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const auto start = Clock::now();
  pid_t pid = 0;
  ChildRun result;
  if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    result.status = -1;
    posix_spawn_file_actions_destroy(&actions);
    return result;
  }
  rusage usage{};
  int status = 0;
  wait4(pid, &status, 0, &usage);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.peak_rss_kb = usage.ru_maxrss;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  posix_spawn_file_actions_destroy(&actions);
  return result;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The child: imports the folder, prints what it found.
int import_only(const char* folder) {
  kneecheck::runs::ImportOptions options;
  options.utc_offset_minutes = 0;
  const std::vector<fs::path> paths{folder};
  const auto result = kneecheck::runs::import_runs(paths, options);
  std::printf("%zu runs, %zu files, %zu problems\n", result.runs.size(), result.files_read, result.problems.size());
  if (!result.problems.empty()) std::fprintf(stderr, "%s\n", to_string(result.problems.front()).c_str());
  return result.has_errors() ? 1 : 0;
}

int usage() {
  std::fprintf(stderr, "usage: runs_import_bench [--runs N] [--points N] [--repeat N] [--keep DIR]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--import-only") return import_only(argv[2]);
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (option == "--runs") {
      settings.runs = std::max(1, std::atoi(value.c_str()));
    } else if (option == "--points") {
      settings.points = std::max(2, std::atoi(value.c_str()));
    } else if (option == "--repeat") {
      settings.repeat = std::max(1, std::atoi(value.c_str()));
    } else if (option == "--keep") {
      settings.keep = value;
    } else {
      return usage();
    }
  }
  const fs::path folder = settings.keep.empty()
                              ? fs::temp_directory_path() / ("kneecheck-runs-bench-" + std::to_string(getpid()))
                              : fs::path(settings.keep);
  std::uintmax_t bytes = 0;
  const auto generating = Clock::now();
  const std::vector<std::string> files = generate(folder, settings, bytes);
  std::fprintf(stderr, "generated %zu files, %.1f MB, in %.1f s (%s)\n", files.size(), static_cast<double>(bytes) / 1e6,
               std::chrono::duration<double>(Clock::now() - generating).count(), folder.c_str());

  const std::string self = fs::canonical("/proc/self/exe").string();
  std::vector<std::string> cat = {"cat"};
  cat.insert(cat.end(), files.begin(), files.end());
  std::vector<double> import_seconds, cat_seconds;
  long peak_rss_kb = 0;
  int failures = 0;
  for (int i = 0; i < settings.repeat; ++i) {
    const ChildRun imported = run_child({self, "--import-only", folder.string()});
    const ChildRun catted = run_child(cat);
    failures += (imported.status != 0) + (catted.status != 0);
    import_seconds.push_back(imported.seconds);
    cat_seconds.push_back(catted.seconds);
    peak_rss_kb = std::max(peak_rss_kb, imported.peak_rss_kb);
    std::fprintf(stderr, "  run %d: import %.3f s (%ld KB peak), cat %.3f s\n", i + 1, imported.seconds, imported.peak_rss_kb,
                 catted.seconds);
  }
  if (settings.keep.empty()) fs::remove_all(folder);
  const double import_median = median(import_seconds);
  const double cat_median = median(cat_seconds);
  const bool met = import_median < 2.0;
  std::printf("{\"runs\":%d,\"files\":%zu,\"bytes\":%ju,\"points\":%d,\"repeat\":%d,\"import_s\":%.4f,\"cat_s\":%.4f,"
              "\"ratio\":%.2f,\"peak_rss_kb\":%ld,\"target_s\":2,\"met\":%s,\"failures\":%d}\n",
              settings.runs, files.size(), bytes, settings.points, settings.repeat, import_median, cat_median,
              import_median / cat_median, peak_rss_kb, met ? "true" : "false", failures);
  std::fprintf(stderr, "import %.3f s, cat %.3f s (%.1fx the I/O floor), peak %.1f MB: target 2 s %s\n", import_median,
               cat_median, import_median / cat_median, static_cast<double>(peak_rss_kb) / 1024, met ? "PASS" : "MISS");
  return failures == 0 ? 0 : 1;
}
