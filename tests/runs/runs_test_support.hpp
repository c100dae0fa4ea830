// Shared by the tests of the runs importer: fixed options, the fixtures in
// tests/runs/fixtures, and temporary folders the tests fill themselves.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "kneecheck/runs/import.hpp"

namespace kneecheck::runs::test {

namespace fs = std::filesystem;

// The check-in day the fixtures are written around, and UTC as the
// runner's zone, so that days do not depend on the machine running the tests.
inline const Date kToday{2024, 6, 30};

inline ImportOptions options() {
  ImportOptions options;
  options.today = kToday;
  options.utc_offset_minutes = 0;
  return options;
}

inline fs::path fixture(const std::string& name) {
  return fs::path(KNEECHECK_SOURCE_DIR) / "tests" / "runs" / "fixtures" / name;
}

inline std::string read_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

inline Import import_from(std::initializer_list<fs::path> paths, const ImportOptions& with = options()) {
  const std::vector<fs::path> list(paths);
  return import_runs(list, with);
}

inline std::string problems_text(const Import& result) {
  std::string text;
  for (const auto& problem : result.problems) text += to_string(problem) + "\n";
  return text;
}

inline std::size_t error_count(const Import& result) {
  std::size_t count = 0;
  for (const auto& problem : result.problems) count += problem.warning ? 0 : 1;
  return count;
}

// A folder under the system's temporary folder, removed with its content.
class TempFolder {
 public:
  TempFolder() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("kneecheck-runs-test-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  fs::path path_;
};

}  // namespace kneecheck::runs::test
