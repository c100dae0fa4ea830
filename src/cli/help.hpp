// cli/help: the text of `kneecheck help` and `kneecheck help COMMAND`, made
// from the command table so that help cannot drift from what is parsed.
// Private to cli/.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace kneecheck {

// The commands, the interview's options, and where to read more.
std::string general_help(const CommandSetup& interview, const std::vector<CommandSetup>& commands, std::size_t width);
// One command: usage, its options and the shared ones it takes, formats,
// examples and exit codes.
std::string command_help(const CommandHelp& help, std::size_t width);

}  // namespace kneecheck
