#include "util/directory.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace samverkan {
namespace {

Status Failed(const char* what, const std::string& path, int error) {
  const std::string message = fmt::format("cannot {} '{}': {}", what, path, std::strerror(error));
  return error == ENOENT ? Status::NotFound(message) : Status::IOError(message);
}

}  // namespace

Result<std::vector<std::string>> ListDirectory(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return Failed("read", dir, errno);
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent* entry = ::readdir(d.get());
    if (entry == nullptr) break;
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  if (errno != 0) return Failed("read", dir, errno);
  return names;
}

Result<uint64_t> BytesUnder(const std::string& dir) {
  SV_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir));
  uint64_t total = 0;
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;  // removed meanwhile (a temporary file)
      return Failed("measure", path, errno);
    }
    if (S_ISREG(st.st_mode)) {
      total += static_cast<uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
      auto below = BytesUnder(path);
      if (!below.ok() && below.status().IsNotFound()) continue;
      SV_RETURN_IF_ERROR(below.status());
      total += *below;
    }
  }
  return total;
}

}  // namespace samverkan
