#include <unistd.h>

#include <iostream>

#include "kneecheck/cli/cli.hpp"
#include "kneecheck/base/terminal.hpp"

int main(int argc, char** argv) {
  using namespace kneecheck;
  Console console{std::cin,
                  std::cout,
                  std::cerr,
                  is_terminal(STDIN_FILENO),
                  is_terminal(STDOUT_FILENO),
                  is_terminal(STDERR_FILENO),
                  terminal_width(STDERR_FILENO),
                  terminal_height(STDOUT_FILENO)};
  return run_cli(argc, argv, console);
}
