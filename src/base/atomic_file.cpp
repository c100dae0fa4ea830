#include "kneecheck/base/atomic_file.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <fmt/format.h>

namespace kneecheck {

namespace fs = std::filesystem;

namespace {

std::string system_reason(int error_number) {
  std::string reason = std::strerror(error_number);
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return reason;
}

Error write_error(const fs::path& path, int error_number) {
  return Error{fmt::format("cannot write {}: {}", path.string(), system_reason(error_number != 0 ? error_number : EIO))};
}

// errno after a failed write, or 0.
int write_whole(const fs::path& path, std::string_view text, std::ios::openmode mode) {
  errno = 0;
  std::ofstream file(path, mode);
  if (file) file.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (file) file.flush();
  return file ? 0 : (errno != 0 ? errno : EIO);
}

}  // namespace

// A target that exists but is not a regular file (/dev/stdout, a pipe, a
// terminal, /dev/full) is written straight into: there is no file to replace,
// and renaming over it would replace the device itself. A symbolic link is
// followed, so that the file it points to is replaced and the link stays.
std::optional<Error> write_file_atomically(const fs::path& path, std::string_view text) {
  std::error_code ignored;
  fs::file_status status = fs::status(path, ignored);
  if (fs::is_directory(status)) return write_error(path, EISDIR);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    int reason = write_whole(path, text, std::ios::binary);
    return reason == 0 ? std::nullopt : std::optional<Error>(write_error(path, reason));
  }
  fs::path target = path;
  if (fs::is_symlink(fs::symlink_status(target, ignored))) {
    fs::path resolved = fs::canonical(target, ignored);
    if (!ignored) target = resolved;
  }
  std::string temporary = target.string() + ".tmp-" + std::to_string(getpid());
  int reason = write_whole(temporary, text, std::ios::binary | std::ios::trunc);
  if (reason == 0 && std::rename(temporary.c_str(), target.c_str()) != 0) reason = errno;
  if (reason == 0) return std::nullopt;
  std::remove(temporary.c_str());
  return write_error(path, reason);
}

}  // namespace kneecheck
