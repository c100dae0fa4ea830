#include "kneecheck/base/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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

std::string system_reason(int error_number) {
  std::string reason = std::strerror(error_number);
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return reason;
}

namespace {

Error write_error(const fs::path& path, int error_number) {
  return Error{fmt::format("cannot write {}: {}", path.string(), system_reason(error_number != 0 ? error_number : EIO))};
}

// Creates `path` readable by its owner alone, so that an ofstream then
// truncating it keeps that mode; errno, or 0.
int create_owner_only(const fs::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  ::fchmod(fd, 0600);  // an earlier temporary of the same name kept its mode
  ::close(fd);
  return 0;
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
std::optional<Error> write_file_atomically(const fs::path& path, std::string_view text, FileAccess access) {
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
  int reason = access == FileAccess::owner_only ? create_owner_only(temporary) : 0;
  if (reason == 0) reason = write_whole(temporary, text, std::ios::binary | std::ios::trunc);
  if (reason == 0 && std::rename(temporary.c_str(), target.c_str()) != 0) reason = errno;
  if (reason == 0) return std::nullopt;
  std::remove(temporary.c_str());
  return write_error(path, reason);
}

std::optional<Error> create_private_folders(const fs::path& folder) {
  std::error_code ignored;
  if (folder.empty() || fs::is_directory(folder, ignored)) return std::nullopt;
  if (folder.has_parent_path() && folder.parent_path() != folder) {
    if (auto error = create_private_folders(folder.parent_path())) return error;
  }
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error{fmt::format("cannot create the folder {}: {}", folder.string(), system_reason(errno))};
  }
  return std::nullopt;
}

std::optional<Error> unwritable(const fs::path& path) {
  std::error_code ignored;
  fs::file_status status = fs::status(path, ignored);
  if (fs::is_directory(status)) return Error{fmt::format("cannot write {}: it is a folder", path.string())};
  if (fs::exists(status)) {
    if (::access(path.c_str(), W_OK) != 0) return write_error(path, errno);
    return std::nullopt;
  }
  fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, ignored)) {
    return Error{fmt::format("cannot write {}: the folder {} does not exist", path.string(), folder.string())};
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return Error{fmt::format("cannot write {}: the folder {} is not writable: {}", path.string(), folder.string(),
                             system_reason(errno))};
  }
  return std::nullopt;
}

}  // namespace kneecheck
