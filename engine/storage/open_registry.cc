#include "storage/open_registry.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <set>

namespace samverkan::storage {
namespace {

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}

std::set<std::string>& Claimed() {
  static std::set<std::string> claimed;
  return claimed;
}

std::string CanonicalKey(const std::string& dir) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(dir, ec);
  return ec ? std::filesystem::absolute(dir, ec).lexically_normal().string()
            : canonical.string();
}

}  // namespace

std::optional<WriteClaim> WriteClaim::Claim(const std::string& dir) {
  std::string key = CanonicalKey(dir);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (!Claimed().insert(key).second) return std::nullopt;
  return WriteClaim(std::move(key));
}

WriteClaim& WriteClaim::operator=(WriteClaim&& other) noexcept {
  if (this != &other) {
    Release();
    key_ = std::move(other.key_);
    other.key_.clear();
  }
  return *this;
}

WriteClaim::~WriteClaim() { Release(); }

void WriteClaim::Release() {
  if (key_.empty()) return;
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Claimed().erase(key_);
  key_.clear();
}

bool ClaimedHere(const std::string& dir) {
  const std::string key = CanonicalKey(dir);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  return Claimed().count(key) != 0;
}

std::optional<pid_t> LockHolder(const std::string& dir) {
  int fd = ::open((std::filesystem::path(dir) / "LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  probe.l_start = 0;
  probe.l_len = 0;
  std::optional<pid_t> holder;
  if (::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) holder = probe.l_pid;
  ::close(fd);
  return holder;
}

}  // namespace samverkan::storage
