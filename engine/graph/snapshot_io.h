// What the snapshot's files (csr_file.cc, columns_file.cc) share: writing a
// file atomically, mapping one, checking blocks' checksums.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan::snapshot_io {

constexpr uint64_t kPage = 4096;
inline uint64_t Aligned(uint64_t at) { return (at + kPage - 1) / kPage * kPage; }

// Header fields: the machine's little-endian bytes (both files are read in
// place and require a little-endian machine).
template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

Status Errno(std::string_view what, const std::string& path);
Status WriteAll(int fd, const char* p, size_t n, const std::string& path);

// Writes `path` atomically: `write(fd, temp_path)` fills a temporary file
// beside it, then fsync, rename, fsync of the directory. Interrupted (the
// temporary file removed, `path` untouched) when `interrupt` fires.
Status WriteAtomically(const std::string& path, const Interrupt& interrupt,
                       const std::function<Status(int fd, const std::string& temp)>& write);

// Writes `bytes` at the end of `fd`, adding each chunk to `crc`, polling
// `interrupt`, and starting the write-back as it goes; pads to a page.
// `written`: the file's size so far, advanced.
Status WriteBlock(int fd, const char* p, uint64_t bytes, uint32_t* crc, uint64_t* written,
                  const std::string& path, const Interrupt& interrupt);

// A whole file mapped read-only.
struct Mapping {
  void* base = MAP_FAILED;
  size_t size = 0;
  const char* data() const { return static_cast<const char*>(base); }
  ~Mapping() {
    if (base != MAP_FAILED) ::munmap(base, size);
  }
};
// Maps `size` bytes of the open file `fd` (and closes it); `read_ahead`
// asks the kernel to read all of it, for a caller about to.
Result<std::shared_ptr<Mapping>> MapOpenFile(int fd, uint64_t size, const std::string& path,
                                             bool read_ahead = true);
// NotFound when there is no file; Corruption (via `damaged`) when it is
// shorter than `min_size` bytes.
Result<std::shared_ptr<Mapping>> MapFile(
    const std::string& path, uint64_t min_size,
    const std::function<Status(std::string_view what)>& damaged, bool read_ahead = true);

// One block of a file: where it lies and the checksum it must have.
struct BlockCheck {
  uint32_t id;
  uint64_t offset, bytes;
  uint32_t crc;
};
// Every block's checksum, the larger ones first, on both cores; the first
// mismatch as Corruption via `damaged`.
Status CheckBlocks(std::vector<BlockCheck> blocks, const char* base,
                   const std::function<Status(std::string_view what)>& damaged);

}  // namespace samverkan::snapshot_io
