// Which graph directories this process holds open for writing, and who holds
// a graph's lock when it is not us.
//
// RocksDB takes an fcntl lock on <graph>/LOCK for a read-write open and
// reports a held lock as a plain IOError whose only distinguishing mark is
// its message text. Rather than parse that text, the store asks: this
// registry for opens of our own process, and the kernel (F_GETLK) for the
// process that holds the lock otherwise.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace samverkan::storage {

// A claim on a graph directory for one read-write open in this process,
// released when destroyed. Claim() fails (nullopt) when another open in this
// process holds the directory.
class WriteClaim {
 public:
  static std::optional<WriteClaim> Claim(const std::string& dir);
  WriteClaim(WriteClaim&& other) noexcept : key_(std::move(other.key_)) { other.key_.clear(); }
  WriteClaim& operator=(WriteClaim&& other) noexcept;
  WriteClaim(const WriteClaim&) = delete;
  WriteClaim& operator=(const WriteClaim&) = delete;
  ~WriteClaim();

 private:
  explicit WriteClaim(std::string key) : key_(std::move(key)) {}
  void Release();
  std::string key_;  // the directory's canonical path; empty once moved from
};

// True while an open in this process holds `dir` (its claim not yet
// released: the open may still be closing).
bool ClaimedHere(const std::string& dir);

// The id of the process holding <dir>/LOCK, or nullopt when no other process
// holds it. Call only for a directory this process has not claimed: closing
// any descriptor of a file drops the process's own fcntl locks on it.
std::optional<pid_t> LockHolder(const std::string& dir);

}  // namespace samverkan::storage
