// atomic_file: a file written whole or not at all, and the private folders
// and files that a runner's answers are kept in.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kneecheck/base/result.hpp"

namespace kneecheck {

// Who may read a file written: its owner alone (mode 0600: files that hold a
// runner's answers), or as the umask allows (reports, results).
enum class FileAccess { shared, owner_only };

// Writes `text` to a temporary file beside `path` and renames it into place,
// so readers never see half a file and a failure leaves no temporary behind.
// Returns the error, naming `path`, on failure.
std::optional<Error> write_file_atomically(const std::filesystem::path& path, std::string_view text,
                                           FileAccess access = FileAccess::shared);

// Creates `folder` and those above it that are missing, each readable by
// its owner alone (mode 0700). Folders that exist are left as they are.
std::optional<Error> create_private_folders(const std::filesystem::path& folder);

// Why `path` cannot be written, checked before the work that will write it
// (an interview, say): its folder is missing or not writable, or it is a
// folder itself. nullopt when a write can be tried.
std::optional<Error> unwritable(const std::filesystem::path& path);

// strerror(error_number), starting in lower case, to follow a colon.
std::string system_reason(int error_number);

}  // namespace kneecheck
