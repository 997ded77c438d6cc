// RocksStore: the RocksDB database behind a graph, with its column families.
//
// This is the only place that opens, configures and closes RocksDB. It
// decides whether a directory is a graph, creates new graphs, checks the
// format version, and reports a held lock as Status::Locked naming the holder
// (open_registry.h).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/write_batch.h>

#include "samverkan/db.h"
#include "samverkan/result.h"
#include "storage/graph_state.h"
#include "storage/keys.h"
#include "storage/open_registry.h"

namespace samverkan::storage {

// Notices the errors that stop RocksDB's writes (a failed write to the log,
// flush, compaction or MANIFEST) and keeps RocksDB from resuming on its own:
// RocksStore::ReadyToWrite resumes it, at the next write.
class WriteErrorWatch : public rocksdb::EventListener {
 public:
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status*) override {
    failed_ = true;
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }
  bool failed() const { return failed_; }
  void Clear() { failed_ = false; }

 private:
  std::atomic<bool> failed_{false};
};

class RocksStore {
  struct Instance;

 public:
  static Result<std::unique_ptr<RocksStore>> Open(const std::string& path,
                                                  const Options& options);
  ~RocksStore();

  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* cf(Cf which) const { return handles_[which]; }
  bool read_only() const { return read_only_; }
  const std::string& path() const { return path_; }
  bool sync_commits() const { return sync_commits_; }

  // Secondary (read-only) instances: replay the writer's newer commits.
  // May replace the RocksDB instance (see ReopenSecondary): not to be called
  // while another thread reads through this store.
  Status CatchUp();

  // Read-only opens: keeps the current RocksDB instance open for as long as
  // the returned pointer lives, even once CatchUp has replaced it. Every
  // iterator of a read-only open holds one.
  std::shared_ptr<const void> PinInstance() const { return instance_; }

  // Every write of a batch to the graph goes through here (see
  // ReadyToWrite for what follows a failed one).
  rocksdb::Status Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch) const;

  // Called before every write. After a write failed (a full disk, an I/O
  // error), RocksDB takes no writes until it is resumed, and reads go on:
  // this resumes it, or says why it cannot (the disk is still full).
  Status ReadyToWrite();

 private:
  RocksStore() = default;
  Status OpenExisting(const Options& options);
  Status CreateNew(const Options& options);
  // Makes a new graph's RocksDB database in `dir`, and closes it.
  Status MakeGraphIn(const std::string& dir, const Options& options);
  Status CheckFormat();
  // Makes a graph of an older on-disk format this build's (a writer's open).
  Status UpgradeFormat();
  // Reads the graph's MANIFEST through a plain read-only open (which reads
  // no table file) and checks that every table file it lists is there, with
  // its size, and that it agrees with the state record when there is one
  // (graph_state.h). Run before every read-write open, before every
  // read-only one, and when a read-only open that caught up looks older than
  // the record. A writer beside us may delete files it compacted between
  // our reading the MANIFEST and the files: a failure is checked again.
  Status CheckTableFiles(const GraphState* recorded) const;
  Status CheckTableFilesOnce(const GraphState* recorded) const;
  // Removes what killed bulk loads left: no load can be running while this
  // process holds the write lock and is still opening.
  void RemoveStaleBulkLoads() const;
  // Read-only opens. A secondary replays the writer's log into memtables of
  // its own, and keeps the newest one after the writer has flushed what it
  // holds to a table file and moved to a new log; until the writer writes
  // that family again, a point lookup answers the memtable's older value and
  // a scan shows records deleted since (tested in open_test.cc). So when a
  // family whose memtables hold anything gained a new table file (a flush,
  // an ingested bulk load, or a compaction: file numbers do not tell them
  // apart, and sequence numbers do not rise, compactions zero them), the
  // instance is opened afresh, which replays only the logs not yet flushed.
  bool MemtablesMayBeStale();
  Status ReopenSecondary();
  // Gives the current instance to instance_ (closing it unless pinned) and
  // leaves this store without one.
  void ReleaseInstance();
  // The number of each family's newest table file.
  std::array<uint64_t, kCfCount> NewestTableFiles() const;

  std::string path_;
  // Tests: the environment the graph was opened with (test_hooks.h), kept
  // while RocksDB uses it.
  std::shared_ptr<rocksdb::Env> test_env_;
  Options options_;                                   // as opened
  std::vector<rocksdb::ColumnFamilyDescriptor> descs_;  // every family, as opened
  std::string secondary_dir_;  // read-only opens: where RocksDB keeps its own log
  bool read_only_ = false;
  bool sync_commits_ = true;
  // Read-write opens: this process's claim on the directory, released after
  // the destructor has closed RocksDB (members outlive the destructor's body).
  std::optional<WriteClaim> claim_;
  // Read-write opens: keeps the state record current (graph_state.h).
  std::shared_ptr<GraphStateRecorder> recorder_;
  // Read-write opens: notices RocksDB's background errors.
  std::shared_ptr<WriteErrorWatch> write_errors_;
  std::string format_value_;  // the format key's value, as read at open
  // The write-ahead log a write failed on (0: none since the last resume).
  mutable std::atomic<uint64_t> failed_log_{0};
  rocksdb::DB* db_ = nullptr;
  std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles_{};
  // Read-only opens: what NewestTableFiles() said at the last catch-up.
  std::array<uint64_t, kCfCount> newest_table_files_{};

  // A RocksDB instance that was replaced or whose store closed, with what it
  // needs: closed when the last iterator on it goes (only a read-only open's
  // iterators pin it). Empty while it is the current one, which db_ and
  // handles_ own.
  struct Instance {
    std::shared_ptr<rocksdb::Env> env;  // outlives the database using it
    rocksdb::DB* db = nullptr;
    std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles{};
    std::string own_dir;
    ~Instance();
  };
  std::shared_ptr<Instance> instance_ = std::make_shared<Instance>();
};

// Where a bulk load writes its SST files before RocksDB ingests them:
// "<graph>/bulk-load-<pid>". A process killed during a load leaves one
// behind; the next read-write open removes it.
inline constexpr std::string_view kBulkLoadDirPrefix = "bulk-load-";

// True when `dir` holds a RocksDB database (a graph, or any other): the files
// RocksDB keeps in every database directory are there.
bool IsDatabaseDirectory(const std::string& dir);

// Rebuilds the MANIFEST of the RocksDB database in `dir` from the table
// files and logs it finds there (RocksDB's RepairDB). Only for a copy made
// to salvage a damaged graph (Db::Salvage): it rewrites the directory.
Status RebuildManifest(const std::string& dir, const Options& options);

// Converts a RocksDB status, naming `what` (e.g. the graph path) in errors.
Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace samverkan::storage
