#include "storage/file_logger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace samverkan::storage {
namespace {

class FileLogger : public rocksdb::Logger {
 public:
  explicit FileLogger(int fd) : fd_(fd) { SetInfoLogLevel(rocksdb::InfoLogLevel::WARN_LEVEL); }
  ~FileLogger() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (fd_ < 0) return;
    char line[2048];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    size_t n = std::strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    const int body = std::vsnprintf(line + n, sizeof line - n - 1, format, ap);
    if (body < 0) return;
    n = std::min(n + static_cast<size_t>(body), sizeof line - 2);
    line[n++] = '\n';
    // One write per line (O_APPEND): a failed or short one loses only it.
    [[maybe_unused]] ssize_t written = ::write(fd_, line, n);
  }

 private:
  int fd_;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> OpenFileLogger(const std::string& dir) {
  const std::string log = dir + "/LOG";
  (void)std::rename(log.c_str(), (log + ".old").c_str());
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  return std::make_shared<FileLogger>(fd);
}

}  // namespace samverkan::storage
