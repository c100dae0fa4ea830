// Every input a fuzz target ever crashed on (fuzz/regressions/TARGET/) runs
// through the same function as the fuzz target, so the bug stays fixed.
// In the sanitize build (KNEECHECK_SANITIZE) ASan and UBSan watch them too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../fuzz/targets.hpp"

namespace {

namespace fs = std::filesystem;

using Target = int (*)(const std::uint8_t*, std::size_t);

std::vector<fs::path> inputs(const std::string& target) {
  std::vector<fs::path> files;
  const fs::path folder = fs::path(KNEECHECK_FUZZ_REGRESSIONS_DIR) / target;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const std::string& target, Target run) {
  for (const auto& path : inputs(target)) {
    std::ifstream file(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    INFO("fuzz/regressions/" << target << "/" << path.filename().string());
    CHECK(run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
  }
}

}  // namespace

TEST_CASE("fuzz regressions: rule files", "[fuzz]") { replay("rules", kneecheck::fuzz::fuzz_rules); }

TEST_CASE("fuzz regressions: answers files", "[fuzz]") { replay("answers", kneecheck::fuzz::fuzz_answers); }

TEST_CASE("fuzz regressions: typed interview lines", "[fuzz]") { replay("typed", kneecheck::fuzz::fuzz_typed); }

TEST_CASE("fuzz regressions: JsonLogic rule and data", "[fuzz]") { replay("logic", kneecheck::fuzz::fuzz_logic); }

TEST_CASE("fuzz regressions: FIT files", "[fuzz]") { replay("fit", kneecheck::fuzz::fuzz_fit); }

TEST_CASE("fuzz regressions: GPX and TCX files", "[fuzz]") { replay("xml", kneecheck::fuzz::fuzz_xml); }

TEST_CASE("fuzz regressions: activity CSVs", "[fuzz]") { replay("csv", kneecheck::fuzz::fuzz_csv); }

TEST_CASE("fuzz regressions: every target has its folder", "[fuzz]") {
  for (const char* target : {"rules", "answers", "typed", "logic", "fit", "xml", "csv"}) {
    INFO(target);
    CHECK(fs::is_directory(fs::path(KNEECHECK_FUZZ_REGRESSIONS_DIR) / target));
  }
}
