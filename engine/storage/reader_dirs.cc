#include "storage/reader_dirs.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "util/directory.h"

namespace samverkan::storage {
namespace fs = std::filesystem;
namespace {

// The owner's pid in "samverkan-reader-<pid>-XXXXXX"; 0 when the name has
// none (directories of older builds, which cannot be told apart from a live
// process's and are left alone).
pid_t OwnerOf(std::string_view name) {
  if (!name.starts_with(kReaderDirPrefix)) return 0;
  name.remove_prefix(kReaderDirPrefix.size());
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos) return 0;
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  if (ec != std::errc() || end != name.data() + dash || pid <= 0) return 0;
  return pid;
}

bool ProcessIsGone(pid_t pid) { return kill(pid, 0) != 0 && errno == ESRCH; }

void RemoveStaleReaderDirectories(const fs::path& temp) {
  auto names = ListDirectory(temp.string());
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    const pid_t owner = OwnerOf(name);
    if (owner == 0 || owner == getpid() || !ProcessIsGone(owner)) continue;
    const fs::path entry = temp / name;
    std::error_code ignored;
    if (fs::is_directory(fs::symlink_status(entry, ignored))) fs::remove_all(entry, ignored);
  }
}

}  // namespace

Result<std::string> MakeReaderDirectory() {
  std::error_code ec;
  const fs::path temp = fs::temp_directory_path(ec);  // $TMPDIR, else /tmp
  if (ec) {
    return Status::IOError(fmt::format("cannot find the temporary directory: {}", ec.message()));
  }
  RemoveStaleReaderDirectories(temp);
  std::string tmpl = (temp / fmt::format("{}{}-XXXXXX", kReaderDirPrefix, getpid())).string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Status::IOError(fmt::format("cannot create a temporary directory in '{}': {}",
                                       temp.string(), std::strerror(errno)));
  }
  return tmpl;
}

}  // namespace samverkan::storage
