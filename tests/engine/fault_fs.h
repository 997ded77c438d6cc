// FaultFs: a RocksDB file system for tests that fails on purpose.
//
// It counts the operations that can fail on a full or broken disk (creating
// a file, writing, syncing, renaming) and, once armed, fails the Nth one
// from then on with ENOSPC ("disk full": that one and every later one, until
// Heal()) or EIO (that one only). Tests sweep N over a workload, as RocksDB's
// and SQLite's own fault-injection tests do. Test-only: graphs use it while a
// storage::TestEnvScope (engine/storage/test_hooks.h) holds it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

namespace samverkan::test {

class FaultFs : public rocksdb::FileSystemWrapper {
 public:
  enum class Mode { kDiskFull, kOneIoError };

  explicit FaultFs(std::shared_ptr<rocksdb::FileSystem> base)
      : rocksdb::FileSystemWrapper(std::move(base)) {}

  static const char* kClassName() { return "SamverkanFaultFs"; }
  const char* Name() const override { return kClassName(); }

  // Fails the nth counted operation from now (1 = the next one).
  void Arm(uint64_t n, Mode mode) {
    mode_ = mode;
    counted_ = 0;
    fail_at_ = n;
    failing_ = false;
    injected_ = 0;
    std::lock_guard lock(mu_);
    first_failure_.clear();
  }
  // Stops failing: the disk has space again.
  void Heal() {
    fail_at_ = 0;
    failing_ = false;
  }
  // Counts without failing (to learn how many operations a workload has).
  void Count() { Arm(0, Mode::kDiskFull); }

  Mode mode() const { return mode_; }
  uint64_t counted() const { return counted_; }
  uint64_t injected() const { return injected_; }
  // The operation that failed first, e.g. "sync of /tmp/g/000012.log".
  std::string first_failure() const {
    std::lock_guard lock(mu_);
    return first_failure_;
  }

  // One counted operation: its error, or OK.
  rocksdb::IOStatus Hit(std::string_view what, const std::string& file) {
    const uint64_t n = ++counted_;
    if (fail_at_ != 0 && n == fail_at_) {
      failing_ = true;
      std::lock_guard lock(mu_);
      first_failure_ = std::string(what) + " of " + file;
    }
    if (!failing_) return rocksdb::IOStatus::OK();
    ++injected_;
    if (mode_ == Mode::kOneIoError) {
      failing_ = false;
      return rocksdb::IOStatus::IOError("injected I/O error (EIO)");
    }
    return rocksdb::IOStatus::NoSpace("injected: no space left on device (ENOSPC)");
  }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = Hit("creation", name);
    if (!s.ok()) return s;
    s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok()) result->reset(new File(std::move(*result), this, name));
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name,
                                       const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = Hit("reopening", name);
    if (!s.ok()) return s;
    s = target()->ReopenWritableFile(name, options, result, dbg);
    if (s.ok()) result->reset(new File(std::move(*result), this, name));
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = Hit("reuse", name);
    if (!s.ok()) return s;
    s = target()->ReuseWritableFile(name, old, options, result, dbg);
    if (s.ok()) result->reset(new File(std::move(*result), this, name));
    return s;
  }
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = Hit("rename", to);
    if (!s.ok()) return s;
    return target()->RenameFile(from, to, options, dbg);
  }
  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = Hit("link", to);
    if (!s.ok()) return s;
    return target()->LinkFile(from, to, options, dbg);
  }
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result,
                                 rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewDirectory(name, options, result, dbg);
    if (s.ok()) result->reset(new Directory(std::move(*result), this, name));
    return s;
  }

 private:
  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, FaultFs* fs, std::string name)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("write", name_);
      return s.ok() ? target()->Append(data, o, dbg) : s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("write", name_);
      return s.ok() ? target()->Append(data, o, info, dbg) : s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("write", name_);
      return s.ok() ? target()->PositionedAppend(data, offset, o, dbg) : s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& o,
                                       const rocksdb::DataVerificationInfo& info,
                                       rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("write", name_);
      return s.ok() ? target()->PositionedAppend(data, offset, o, info, dbg) : s;
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("sync", name_);
      return s.ok() ? target()->Sync(o, dbg) : s;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("sync", name_);
      return s.ok() ? target()->Fsync(o, dbg) : s;
    }
    rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t nbytes, const rocksdb::IOOptions& o,
                                rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("sync", name_);
      return s.ok() ? target()->RangeSync(offset, nbytes, o, dbg) : s;
    }

   private:
    FaultFs* fs_;
    std::string name_;
  };

  class Directory : public rocksdb::FSDirectory {
   public:
    Directory(std::unique_ptr<rocksdb::FSDirectory> dir, FaultFs* fs, std::string name)
        : dir_(std::move(dir)), fs_(fs), name_(std::move(name)) {}
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      rocksdb::IOStatus s = fs_->Hit("directory sync", name_);
      return s.ok() ? dir_->Fsync(o, dbg) : s;
    }
    rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& o,
                                          rocksdb::IODebugContext* dbg,
                                          const rocksdb::DirFsyncOptions& d) override {
      rocksdb::IOStatus s = fs_->Hit("directory sync", name_);
      return s.ok() ? dir_->FsyncWithDirOptions(o, dbg, d) : s;
    }
    rocksdb::IOStatus Close(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
      return dir_->Close(o, dbg);
    }
    size_t GetUniqueId(char* id, size_t max_size) const override {
      return dir_->GetUniqueId(id, max_size);
    }

   private:
    std::unique_ptr<rocksdb::FSDirectory> dir_;
    FaultFs* fs_;
    std::string name_;
  };

  std::atomic<uint64_t> counted_{0};
  std::atomic<uint64_t> fail_at_{0};
  std::atomic<bool> failing_{false};
  std::atomic<uint64_t> injected_{0};
  Mode mode_ = Mode::kDiskFull;
  mutable std::mutex mu_;
  std::string first_failure_;
};

}  // namespace samverkan::test
