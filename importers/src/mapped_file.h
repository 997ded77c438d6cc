// A whole input file as one read-only string_view (mmap), so that readers
// can hand out views into it without copying and find any error's line.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "samverkan/result.h"

namespace samverkan::importers {

class MappedFile {
 public:
  // IOError naming the path if it cannot be opened or mapped, or is not a
  // regular file (a directory, a FIFO, a device: refused without waiting
  // for a FIFO's writer).
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  MappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}
  void* addr_;
  size_t size_;
};

}  // namespace samverkan::importers
