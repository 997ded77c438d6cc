// OutputFile: see output_file.h.
#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "file_kind.h"
#include "samverkan/db.h"

namespace samverkan::exporters {
using importers::FileKind;
namespace fs = std::filesystem;
namespace {

std::string Errno(int error) { return std::strerror(error); }

std::string Directory(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// A name beside `path` that no one else picks: ".<name>.tmp-<pid>-<n>-<random>".
std::string TempName(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  fs::path p(path);
  std::string name = "." + p.filename().string() + ".tmp-" + std::to_string(getpid()) + "-" +
                     std::to_string(counter++) + "-" + std::to_string(rng() % 1000000);
  return (p.parent_path() / name).string();
}

}  // namespace

// Paths compared as the file system resolves them.
std::string Resolved(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path, ec).lexically_normal().string() : p.string();
}

Status CheckExportTarget(const std::string& path, const std::vector<std::string>& protected_files) {
  if (path.empty()) return Status::InvalidArgument("the export file name is empty");
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return Status::IOError("'" + path + "' exists and is " + FileKind(st.st_mode) +
                           "; an export only creates or replaces regular files");
  }
  if (auto graph = Db::GraphContaining(path)) {
    return Status::IOError("'" + path + "' is inside graph directory '" + *graph +
                           "'; write the export elsewhere");
  }
  if (!protected_files.empty()) {
    const std::string target = Resolved(path);
    for (const auto& p : protected_files) {
      if (Resolved(p) == target) {
        return Status::IOError("'" + path + "' is a database file of this connection ('" +
                               p + "'); write the export elsewhere");
      }
    }
  }
  return Status::OK();
}

Status CreateExportDirectory(const std::string& path) {
  if (auto graph = Db::GraphContaining(path)) {
    return Status::IOError("'" + path + "' is inside graph directory '" + *graph +
                           "'; write the export elsewhere");
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::OK();
    return Status::IOError("'" + path + "' exists and is " + FileKind(st.st_mode) +
                           "; this export creates or fills a directory");
  }
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IOError("cannot create directory '" + path + "': " + ec.message());
  return Status::OK();
}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(
    const std::string& path, const std::vector<std::string>& protected_files) {
  SV_RETURN_IF_ERROR(CheckExportTarget(path, protected_files));
  for (int attempt = 0;; ++attempt) {
    std::string tmp = TempName(path);
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd >= 0) {
      return std::unique_ptr<OutputFile>(new OutputFile(path, tmp, fd, protected_files));
    }
    if (errno != EEXIST || attempt == 10) {
      return Status::IOError("cannot write '" + path + "': " + Errno(errno));
    }
  }
}

OutputFile::OutputFile(std::string path, std::string tmp, int fd,
                       std::vector<std::string> protected_files)
    : path_(std::move(path)),
      tmp_(std::move(tmp)),
      protected_files_(std::move(protected_files)),
      fd_(fd),
      buf_(fd),
      out_(&buf_) {}

OutputFile::~OutputFile() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) unlink(tmp_.c_str());
}

Status OutputFile::Fail(const char* step, int error) {
  return Status::IOError("cannot write '" + path_ + "' (" + step + "): " + Errno(error));
}

Status OutputFile::Commit() {
  out_.flush();
  if (!out_ || buf_.error() != 0) return Fail("write", buf_.error() ? buf_.error() : EIO);
  if (fsync(fd_) != 0) return Fail("fsync", errno);
  int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) return Fail("close", errno);
  // Again: something may have taken the target's place while we wrote.
  SV_RETURN_IF_ERROR(CheckExportTarget(path_, protected_files_));
  if (rename(tmp_.c_str(), path_.c_str()) != 0) return Fail("rename", errno);
  committed_ = true;
  int dir = open(Directory(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    int synced = fsync(dir);
    int error = errno;
    close(dir);
    if (synced != 0) return Fail("fsync of its directory", error);
  }
  return Status::OK();
}

OutputFile::FdBuf::FdBuf(int fd) : fd_(fd), buffer_(size_t{1} << 20) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool OutputFile::FdBuf::Drain() {
  const char* p = pbase();
  while (p < pptr()) {
    ssize_t n = write(fd_, p, static_cast<size_t>(pptr() - p));
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return false;
    }
    p += n;
  }
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return true;
}

OutputFile::FdBuf::int_type OutputFile::FdBuf::overflow(int_type c) {
  if (error_ != 0 || !Drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize OutputFile::FdBuf::xsputn(const char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    std::streamsize room = epptr() - pptr();
    if (room == 0) {
      if (error_ != 0 || !Drain()) return done;
      continue;
    }
    std::streamsize chunk = std::min(room, n - done);
    std::memcpy(pptr(), s + done, static_cast<size_t>(chunk));
    pbump(static_cast<int>(chunk));
    done += chunk;
  }
  return done;
}

int OutputFile::FdBuf::sync() { return error_ == 0 && Drain() ? 0 : -1; }

}  // namespace samverkan::exporters
