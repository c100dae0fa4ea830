// terminal: what the output is connected to, decided once at start-up.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kneecheck {

enum class ColorMode { automatic, always, never };

std::optional<ColorMode> parse_color_mode(std::string_view text);  // "auto", "always", "never"

bool is_terminal(int fd);

// Columns of the terminal on `fd`, or 80 when it is not one (so that piped
// output is the same everywhere). Never less than 40 or more than 100.
std::size_t terminal_width(int fd);

// Rows of the terminal on `fd`, or 24 when it is not one.
std::size_t terminal_height(int fd);

// Shows `text` through the pager `command` (run by /bin/sh, standard output
// left to the terminal), as git does with $PAGER. False when the pager could
// not be started or failed, so that the caller writes the text itself.
bool page(std::string_view text, const std::string& command);

// Colour on an output: with `always` yes, with `never` no; with `automatic`
// only on a terminal, and not when NO_COLOR is set and non-empty or TERM is
// "dumb".
bool use_color(ColorMode mode, bool output_is_terminal);

// While one exists, Ctrl-C does not kill the process: it interrupts the read
// in progress and sets a flag, so the caller can save what it has and exit
// with 130. The previous handling comes back when it is destroyed.
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  static bool interrupted();
};

}  // namespace kneecheck
