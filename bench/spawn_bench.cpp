// spawn_bench: wall time of whole processes, such as one kneecheck assessment
// against `cat` of the same answers file.
//
//   spawn_bench RUNS WARMUP NAME STDIN PROGRAM [ARGS...] [';;' NAME STDIN PROGRAM [ARGS...]]...
//
// Each command is started with posix_spawn, its standard input read from the
// file STDIN ("-" for /dev/null), its output and errors sent to /dev/null, and
// timed from spawn to the end of waitpid. The commands take turns, WARMUP
// rounds first (not counted) and then RUNS rounds, so that a busy machine
// slows them alike. Writes one JSON object per command to standard output:
//   {"name", "runs", "median_ms", "mean_ms", "min_ms", "failed"}
// where "failed" counts runs that did not exit 0.
//
// This is the loop `for i in ...; do cmd < file > /dev/null; done` without the
// shell's own start-up in every measurement; hyperfine cannot redirect
// standard input without a shell (before 1.16), and its shell correction is
// coarser than the times measured here.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Command {
  std::string name;
  std::string stdin_path;
  std::vector<char*> argv;  // null-terminated
  std::vector<double> ms;
  int failed = 0;
};

int usage() {
  std::fprintf(stderr,
               "usage: spawn_bench RUNS WARMUP NAME STDIN PROGRAM [ARGS...] [';;' NAME STDIN PROGRAM [ARGS...]]...\n");
  return 2;
}

// Runs the command once; returns the wall time in ms, or a negative number when
// it could not be started.
double run_once(Command& command) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const char* input = command.stdin_path == "-" ? "/dev/null" : command.stdin_path.c_str();
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input, O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int error = posix_spawnp(&pid, command.argv[0], &actions, nullptr, command.argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    std::fprintf(stderr, "spawn_bench: cannot start %s: %s\n", command.argv[0], std::strerror(error));
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  auto stop = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++command.failed;
  return std::chrono::duration<double, std::milli>(stop - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) return usage();
  int runs = std::atoi(argv[1]);
  int warmup = std::atoi(argv[2]);
  if (runs < 1 || warmup < 0) return usage();
  std::vector<Command> commands;
  for (int i = 3; i < argc;) {
    if (argc - i < 3) return usage();
    Command command;
    command.name = argv[i++];
    command.stdin_path = argv[i++];
    while (i < argc && std::strcmp(argv[i], ";;") != 0) command.argv.push_back(argv[i++]);
    if (i < argc) ++i;  // the ';;'
    if (command.argv.empty()) return usage();
    command.argv.push_back(nullptr);
    commands.push_back(std::move(command));
  }
  for (int round = 0; round < warmup + runs; ++round) {
    for (auto& command : commands) {
      double ms = run_once(command);
      if (ms < 0) return 1;
      if (round >= warmup) command.ms.push_back(ms);
    }
  }
  for (auto& command : commands) {
    std::vector<double> sorted = command.ms;
    std::sort(sorted.begin(), sorted.end());
    double median = sorted.size() % 2 == 1 ? sorted[sorted.size() / 2]
                                           : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    double mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
    std::printf("{\"name\": \"%s\", \"runs\": %zu, \"median_ms\": %.4f, \"mean_ms\": %.4f, \"min_ms\": %.4f, \"failed\": %d}\n",
                command.name.c_str(), sorted.size(), median, mean, sorted.front(), command.failed);
  }
  return 0;
}
