// Db::Salvage: copies what RocksDB can still read of a damaged graph into a
// new graph, never touching the damaged one.
//
// The copy's MANIFEST is rebuilt by RocksDB's RepairDB from the table files
// and logs in the directory. That keeps every table file the damaged
// MANIFEST forgot (the data a lost MANIFEST tail takes with it) and needs no
// knowledge of what is in them; reading the tables one by one would have to
// redo RocksDB's own merging of versions and deletions. What RepairDB cannot
// know is which table files a finished compaction had replaced: if such
// files were left behind, deleted records can come back, which the
// integrity check that follows a salvage reports.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "samverkan/db.h"
#include "storage/graph_state.h"
#include "storage/open_registry.h"
#include "storage/rocks_store.h"
#include "util/directory.h"

namespace samverkan {
namespace fs = std::filesystem;
namespace {

Status SyncFile(const fs::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    return Status::IOError(fmt::format("cannot sync '{}': {}", path.string(), std::strerror(error)));
  }
  ::close(fd);
  return Status::OK();
}

// Files of a graph directory that belong to one open, not to the data.
bool BelongsToAnOpen(const std::string& name) {
  return name == "LOCK" || name.starts_with("LOG") ||
         name.starts_with(storage::kGraphStateFile);
}

Status CopyAndRepair(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directory(to, ec);
  if (ec) return Status::IOError(fmt::format("cannot create '{}': {}", to.string(), ec.message()));
  SV_ASSIGN_OR_RETURN(const std::vector<std::string> names, ListDirectory(from.string()));
  for (const std::string& name : names) {
    const fs::path entry = from / name;
    if (!fs::is_regular_file(entry, ec) || BelongsToAnOpen(name)) continue;
    fs::copy_file(entry, to / name, ec);
    if (ec) {
      return Status::IOError(fmt::format("cannot copy '{}': {}", entry.string(), ec.message()));
    }
  }
  SV_RETURN_IF_ERROR(storage::RebuildManifest(to.string(), Options{}));
  {
    // Proves that the copy is a graph this build reads, and records its
    // state (graph_state.h).
    Options o;
    o.create_if_missing = false;
    SV_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(to.string(), o));
  }
  SV_ASSIGN_OR_RETURN(const std::vector<std::string> copied, ListDirectory(to.string()));
  for (const std::string& name : copied) {
    if (fs::is_regular_file(to / name, ec)) SV_RETURN_IF_ERROR(SyncFile(to / name, O_RDONLY));
  }
  return SyncFile(to, O_RDONLY | O_DIRECTORY);
}

}  // namespace

Status Db::Salvage(const std::string& damaged, const std::string& out) {
  std::error_code ec;
  if (!fs::is_directory(damaged, ec) || !fs::exists(fs::path(damaged) / "IDENTITY", ec)) {
    return Status::InvalidArgument(fmt::format("'{}' is not a graph directory", damaged));
  }
  if (fs::exists(fs::symlink_status(out, ec))) {
    return Status::InvalidArgument(
        fmt::format("'{}' exists: a salvage writes a new graph, never over a path", out));
  }
  if (auto holder = storage::LockHolder(damaged)) {
    return Status::Locked(fmt::format("graph '{}' is open for writing by process {}", damaged,
                                      *holder));
  }
  const fs::path target = fs::absolute(out, ec);
  const fs::path making = target.parent_path() /
                          fmt::format(".{}.salvaging-{}", target.filename().string(), getpid());
  fs::remove_all(making, ec);
  Status made = CopyAndRepair(damaged, making);
  if (made.ok() && std::rename(making.c_str(), target.c_str()) != 0) {
    made = Status::IOError(fmt::format("cannot create '{}': {}", out, std::strerror(errno)));
  }
  if (!made.ok()) {
    fs::remove_all(making, ec);
    return made.WithContext(fmt::format("cannot salvage '{}' into '{}'", damaged, out));
  }
  return SyncFile(target.parent_path(), O_RDONLY | O_DIRECTORY);
}

}  // namespace samverkan
