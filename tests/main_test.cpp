#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

// The tests run kneecheck's commands in this process: they get a history,
// drafts and a config folder of their own, so that nothing of the person
// running them is read or changed.
int main(int argc, char* argv[]) {
  namespace fs = std::filesystem;
  fs::path home = fs::temp_directory_path() / ("kneecheck-tests-" + std::to_string(getpid()));
  fs::create_directories(home);
  setenv("KNEECHECK_DB", (home / "history.db").c_str(), 1);
  setenv("XDG_DATA_HOME", (home / "data").c_str(), 1);
  setenv("XDG_STATE_HOME", (home / "state").c_str(), 1);
  setenv("XDG_CONFIG_HOME", (home / "config").c_str(), 1);
  unsetenv("KNEECHECK_UNITS");
  int result = Catch::Session().run(argc, argv);
  std::error_code ignored;
  fs::remove_all(home, ignored);
  return result;
}
