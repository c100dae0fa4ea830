// cli: the kneecheck command line. Everything main() does happens here, on
// injected streams, so tests reach all of it without spawning a process.
#pragma once

#include <cstddef>
#include <iosfwd>

namespace kneecheck {

// The exit codes, documented in the README, the man page and `kneecheck help`.
enum ExitCode : int {
  kExitOk = 0,
  kExitChecksFailed = 1,   // validation or scenario tests found problems
  kExitInvalid = 2,        // usage error, invalid rules or answers, input ended early
  kExitAdvised = 3,        // --fail-on: a professional is advised at that level or higher
  kExitInterrupted = 130,  // the runner quit or pressed Ctrl-C
};

struct Console {
  std::istream& in;
  std::ostream& out;  // results
  std::ostream& err;  // prompts, progress, diagnostics
  bool in_is_terminal = false;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  std::size_t width = 80;   // of the terminal on stderr
  std::size_t height = 24;  // rows of the terminal on stdout, for the pager
  // Set by run_cli from --color: whether error labels on stderr are coloured.
  bool err_color = false;
};

int run_cli(int argc, const char* const* argv, Console& console);

}  // namespace kneecheck
