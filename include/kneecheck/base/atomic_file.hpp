// atomic_file: a file written whole or not at all.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "kneecheck/base/result.hpp"

namespace kneecheck {

// Writes `text` to a temporary file beside `path` and renames it into place,
// so readers never see half a file and a failure leaves no temporary behind.
// Returns the error, naming `path`, on failure.
std::optional<Error> write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace kneecheck
