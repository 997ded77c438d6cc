#include "mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "file_kind.h"

namespace samverkan::importers {
namespace {

Status NotRegular(const std::string& path, mode_t mode) {
  return Status::IOError("cannot read '" + path + "': it is " + FileKind(mode) +
                         "; an import reads regular files only");
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path) {
  // Opening a FIFO for reading waits for a writer, and opening a device
  // may act on it: look before opening. O_NONBLOCK, and the fstat below,
  // cover a FIFO put in the file's place between the two.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::IOError("cannot read '" + path + "': " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return NotRegular(path, st.st_mode);
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* addr = nullptr;
  if (size > 0) {
    addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      return Status::IOError("cannot map '" + path + "': " + std::strerror(err));
    }
    // Readers go through the file once, front to back.
    ::madvise(addr, size, MADV_SEQUENTIAL);
  }
  ::close(fd);
  return std::unique_ptr<MappedFile>(new MappedFile(addr, size));
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

}  // namespace samverkan::importers
