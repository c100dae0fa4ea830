// Drives kneecheck through a real pseudo-terminal, the way a person at a
// terminal would, following a session script:
//
//   env NAME=VALUE  set NAME for the runs that follow (VALUE may have spaces)
//   run ARGS...     start kneecheck with ARGS (split at spaces) in a new pty;
//                   "{here}" in ARGS stands for the session file's folder
//   expect TEXT     wait until the output since the last expect contains TEXT
//   send TEXT       type TEXT and Enter
//   type FILE [FROM [TO]]
//                   for each line FROM..TO of FILE (1-based, to its end by
//                   default; FILE relative to the session file's folder):
//                   wait for the prompt "> ", then type the line and Enter
//   interrupt       press Ctrl-C
//   exit CODE       wait for kneecheck to end with CODE
//   contains TEXT   the whole output of this run contains TEXT
//   lacks TEXT      the whole output of this run does not contain TEXT
//   # ...           a comment
//
// "\e" in TEXT stands for the escape character. Usage:
//   pty_session SESSION_FILE KNEECHECK STATE_DIR
// Each run gets HOME=XDG_STATE_HOME=STATE_DIR (so no config file of the
// person running the tests applies), TERM=xterm-256color, NO_COLOR unset,
// PAGER=cat (no paging, unless a session sets a pager with env) and an
// 80x24 window. Exits 0 when every step holds, 1 otherwise.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr auto kPatience = std::chrono::seconds(10);

std::string unescape(std::string text) {
  for (std::size_t at = text.find("\\e"); at != std::string::npos; at = text.find("\\e", at + 1)) {
    text.replace(at, 2, "\x1b");
  }
  return text;
}

class Terminal {
 public:
  void set_environment(const std::string& name, const std::string& value) { environment_[name] = value; }

  bool start(const std::string& program, const std::vector<std::string>& args, const std::string& state_dir) {
    winsize size{};
    size.ws_row = 24;
    size.ws_col = 80;
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      setenv("XDG_STATE_HOME", state_dir.c_str(), 1);
      setenv("HOME", state_dir.c_str(), 1);
      unsetenv("XDG_CONFIG_HOME");
      setenv("TERM", "xterm-256color", 1);
      setenv("PAGER", "cat", 1);
      unsetenv("NO_COLOR");
      for (const auto& [name, value] : environment_) setenv(name.c_str(), value.c_str(), 1);
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(program.c_str(), argv.data());
      _exit(127);
    }
    output_.clear();
    seen_ = 0;
    return true;
  }

  bool expect(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (true) {
      auto found = output_.find(text, seen_);
      if (found != std::string::npos) {
        seen_ = found + text.size();
        return true;
      }
      if (std::chrono::steady_clock::now() > deadline || !read_some(100)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
      }
    }
  }

  void type(const std::string& text) { write_all(text); }

  // Reads until the child ends, then returns its exit code (128+signal when killed).
  int wait_exit() {
    auto deadline = std::chrono::steady_clock::now() + kPatience;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      read_some(50);
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        return -1;
      }
    }
    while (read_some(50)) {
    }
    close(master_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  const std::string& output() const { return output_; }

 private:
  // False when nothing more can come (the child closed the terminal).
  bool read_some(int timeout_ms) {
    pollfd ready{master_, POLLIN, 0};
    if (poll(&ready, 1, timeout_ms) <= 0) return true;
    char buffer[4096];
    ssize_t count = read(master_, buffer, sizeof buffer);
    if (count <= 0) return false;
    output_.append(buffer, static_cast<std::size_t>(count));
    return true;
  }

  void write_all(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      ssize_t count = write(master_, text.data() + done, text.size() - done);
      if (count <= 0) return;
      done += static_cast<std::size_t>(count);
    }
  }

  pid_t pid_ = -1;
  int master_ = -1;
  std::string output_;
  std::map<std::string, std::string> environment_;
  std::size_t seen_ = 0;
};

// Lines FROM..TO (1-based, inclusive; 0 for TO: to the end) of a typed
// answers file, or nullopt when it cannot be read.
std::optional<std::vector<std::string>> typed_lines(const std::string& session_file, const std::string& spec) {
  std::istringstream words(spec);
  std::string name;
  std::size_t from = 1;
  std::size_t to = 0;
  words >> name >> from >> to;
  std::string folder = session_file.substr(0, session_file.find_last_of('/') + 1);
  std::ifstream file(folder + name);
  if (!file) return std::nullopt;
  std::vector<std::string> lines;
  std::size_t number = 0;
  for (std::string line; std::getline(file, line);) {
    ++number;
    if (number >= from && (to == 0 || number <= to)) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split(const std::string& text) {
  std::istringstream words(text);
  std::vector<std::string> parts;
  for (std::string word; words >> word;) parts.push_back(word);
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: pty_session SESSION_FILE KNEECHECK STATE_DIR\n";
    return 2;
  }
  std::ifstream session(argv[1]);
  if (!session) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  Terminal terminal;
  std::string line;
  int line_number = 0;
  auto failed = [&](const std::string& why) {
    std::cerr << argv[1] << ":" << line_number << ": " << why << "\n--- terminal output ---\n"
              << terminal.output() << "\n--- end ---\n";
    return 1;
  };
  while (std::getline(session, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::string verb = line.substr(0, line.find(' '));
    std::string text = line.size() > verb.size() ? unescape(line.substr(verb.size() + 1)) : "";
    if (verb == "env") {
      auto equals = text.find('=');
      if (equals == std::string::npos || equals == 0) return failed("env needs NAME=VALUE: " + text);
      terminal.set_environment(text.substr(0, equals), text.substr(equals + 1));
    } else if (verb == "run") {
      std::string here = std::filesystem::path(argv[1]).parent_path().string();
      for (auto at = text.find("{here}"); at != std::string::npos; at = text.find("{here}", at + here.size())) {
        text.replace(at, 6, here);
      }
      if (!terminal.start(argv[2], split(text), argv[3])) return failed("cannot start kneecheck in a pty");
    } else if (verb == "expect") {
      if (!terminal.expect(text)) return failed("never saw: " + text);
    } else if (verb == "send") {
      terminal.type(text + "\r");
    } else if (verb == "type") {
      auto lines = typed_lines(argv[1], text);
      if (!lines) return failed("cannot read the typed answers of: " + text);
      for (const auto& answer : *lines) {
        if (!terminal.expect("> ")) return failed("never saw the prompt for: " + answer);
        terminal.type(answer + "\r");
      }
    } else if (verb == "interrupt") {
      terminal.type("\x03");
    } else if (verb == "exit") {
      int code = terminal.wait_exit();
      if (code != std::atoi(text.c_str())) return failed("exit code " + std::to_string(code) + ", expected " + text);
    } else if (verb == "contains") {
      if (terminal.output().find(text) == std::string::npos) return failed("output lacks: " + text);
    } else if (verb == "lacks") {
      if (terminal.output().find(text) != std::string::npos) return failed("output has: " + text);
    } else {
      return failed("unknown step: " + verb);
    }
  }
  std::cout << "pty session " << argv[1] << ": all steps held\n";
  return 0;
}
