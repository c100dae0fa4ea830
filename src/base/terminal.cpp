#include "kneecheck/base/terminal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace kneecheck {

std::optional<ColorMode> parse_color_mode(std::string_view text) {
  if (text == "auto") return ColorMode::automatic;
  if (text == "always") return ColorMode::always;
  if (text == "never") return ColorMode::never;
  return std::nullopt;
}

bool is_terminal(int fd) {
  return isatty(fd) == 1;
}

std::size_t terminal_width(int fd) {
  winsize size{};
  if (!is_terminal(fd) || ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return 80;
  return std::clamp<std::size_t>(size.ws_col, 40, 100);
}

std::size_t terminal_height(int fd) {
  winsize size{};
  if (!is_terminal(fd) || ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return 24;
  return size.ws_row;
}

bool page(std::string_view text, const std::string& command) {
  std::FILE* pager = popen(command.c_str(), "w");
  if (pager == nullptr) return false;
  // A pager that quits early (q in less) closes the pipe: no SIGPIPE for that.
  struct sigaction ignore {};
  struct sigaction before {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &before);
  std::fwrite(text.data(), 1, text.size(), pager);
  int status = pclose(pager);
  sigaction(SIGPIPE, &before, nullptr);
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) != 127;
}

bool use_color(ColorMode mode, bool output_is_terminal) {
  if (mode != ColorMode::automatic) return mode == ColorMode::always;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return output_is_terminal;
}

namespace {

volatile sig_atomic_t interrupt_seen = 0;
struct sigaction previous_handling {};

// A Ctrl-C that comes just before the interview blocks in read() would not
// interrupt it: the read would wait for a line that never comes. So standard
// input becomes /dev/null as well, and every read from now on ends at once.
// (open, dup2 and close are async-signal-safe.)
void note_interrupt(int) {
  interrupt_seen = 1;
  int saved_errno = errno;
  int nothing = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (nothing >= 0) {
    dup2(nothing, STDIN_FILENO);
    close(nothing);
  }
  errno = saved_errno;
}

}  // namespace

InterruptWatch::InterruptWatch() {
  interrupt_seen = 0;
  struct sigaction handling {};
  handling.sa_handler = note_interrupt;
  sigemptyset(&handling.sa_mask);
  handling.sa_flags = 0;  // no SA_RESTART: the blocked read must return
  sigaction(SIGINT, &handling, &previous_handling);
}

InterruptWatch::~InterruptWatch() {
  sigaction(SIGINT, &previous_handling, nullptr);
}

bool InterruptWatch::interrupted() {
  return interrupt_seen != 0;
}

}  // namespace kneecheck
