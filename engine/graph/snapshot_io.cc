#include "snapshot_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "samverkan/parallel.h"
#include "util/crc32c.h"

namespace samverkan::snapshot_io {

Status Errno(std::string_view what, const std::string& path) {
  return Status::IOError(fmt::format("cannot {} '{}': {}", what, path, std::strerror(errno)));
}

Status WriteAll(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("write", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::OK();
}

namespace {

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("sync", dir);
  return Status::OK();
}

}  // namespace

Status WriteAtomically(const std::string& path, const Interrupt& interrupt,
                       const std::function<Status(int fd, const std::string& temp)>& write) {
  const std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", temp);
  Status s = write(fd, temp);
  if (s.ok() && interrupt.Requested()) s = Interrupt::Stopped();
  if (s.ok() && ::fsync(fd) != 0) s = Errno("sync", temp);
  if (::close(fd) != 0 && s.ok()) s = Errno("close", temp);
  if (s.ok() && std::rename(temp.c_str(), path.c_str()) != 0) s = Errno("rename", temp);
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  return SyncDirectory(std::filesystem::path(path).parent_path().string());
}

Status WriteBlock(int fd, const char* p, uint64_t bytes, uint32_t* crc, uint64_t* written,
                  const std::string& path, const Interrupt& interrupt) {
  constexpr uint64_t kChunk = 8 << 20;  // poll the interrupt every 8 MB
  for (uint64_t done = 0; done < bytes; done += kChunk) {
    if (interrupt.Requested()) return Interrupt::Stopped();
    const uint64_t n = std::min(kChunk, bytes - done);
    *crc = Crc32c(p + done, n, *crc);
    SV_RETURN_IF_ERROR(WriteAll(fd, p + done, n, path));
    // Start writing the chunk back now, without waiting for it, so that
    // the fsync at the end (which no interrupt can cut short) has little
    // left to do.
    ::sync_file_range(fd, static_cast<off_t>(*written + done), static_cast<off_t>(n),
                      SYNC_FILE_RANGE_WRITE);
  }
  *written += bytes;
  const uint64_t pad = Aligned(*written) - *written;
  if (pad > 0) {
    static const std::string zeros(kPage, '\0');
    SV_RETURN_IF_ERROR(WriteAll(fd, zeros.data(), pad, path));
  }
  *written += pad;
  return Status::OK();
}

Result<std::shared_ptr<Mapping>> MapFile(
    const std::string& path, uint64_t min_size,
    const std::function<Status(std::string_view what)>& damaged, bool read_ahead) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("no snapshot file '{}'", path));
    return Errno("open", path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = Errno("read", path);
    ::close(fd);
    return s;
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < min_size) {
    ::close(fd);
    return damaged(fmt::format("{} bytes, shorter than its header (truncated?)", size));
  }
  return MapOpenFile(fd, size, path, read_ahead);
}

Result<std::shared_ptr<Mapping>> MapOpenFile(int fd, uint64_t size, const std::string& path,
                                             bool read_ahead) {
  auto mapping = std::make_shared<Mapping>();
  mapping->base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  mapping->size = size;
  ::close(fd);  // the mapping keeps the file
  if (mapping->base == MAP_FAILED) return Errno("map", path);
  if (read_ahead) ::madvise(mapping->base, size, MADV_WILLNEED);
  return mapping;
}

Status CheckBlocks(std::vector<BlockCheck> blocks, const char* base,
                   const std::function<Status(std::string_view what)>& damaged) {
  std::sort(blocks.begin(), blocks.end(),
            [](const BlockCheck& a, const BlockCheck& b) { return a.bytes > b.bytes; });
  TaskGroup group(2);
  for (const BlockCheck& b : blocks) {
    group.Run([&b, base, &damaged]() -> Status {
      if (Crc32c(base + b.offset, b.bytes) != b.crc) {
        return damaged(fmt::format("block {} checksum mismatch", b.id));
      }
      return Status::OK();
    });
  }
  return group.Wait();
}

}  // namespace samverkan::snapshot_io
