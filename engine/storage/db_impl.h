// DbImpl and SnapshotImpl: the Db and Snapshot interfaces over a RocksStore.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "samverkan/db.h"
#include "storage/reader.h"
#include "storage/rocks_store.h"
#include "storage/snapshot_files.h"
#include "storage/symbol_table.h"
#include "storage/view_core.h"

namespace samverkan::storage {

// The id counters a transaction starts from and publishes on commit.
struct Counters {
  uint64_t next_node_id = 1;
  uint64_t next_edge_id = 1;
  uint64_t next_batch_id = 1;
};

class DbImpl final : public ViewOn<Db> {
 public:
  static Result<std::unique_ptr<DbImpl>> Open(const std::string& path, const Options& options);
  ~DbImpl() override;

  Result<std::unique_ptr<Transaction>> BeginTransaction(std::string label) override;
  Result<std::unique_ptr<BulkLoader>> BeginBulkLoad(std::string label) override;
  std::unique_ptr<Snapshot> GetSnapshot() const override;
  uint64_t LatestSequence() const override;
  Result<std::shared_ptr<const CsrGraph>> Csr(const CsrSpec& spec) const override;
  Result<std::shared_ptr<const CsrGraph>> Adjacency(const CsrSpec& spec) const override;
  std::shared_ptr<const CsrGraph> CsrIfCached(const CsrSpec& spec) const override;
  void WarmCsr(const CsrSpec& spec) const override;
  Result<IntegrityReport> CheckIntegrity(size_t max_problems) const override;
  Status Compact() override;
  Status SaveSnapshotFile(const Interrupt& interrupt) override;
  Status Refresh() override;
  bool read_only() const override { return store_->read_only(); }
  const std::string& path() const override { return store_->path(); }
  Result<uint64_t> DiskUsage() const override;
  std::vector<PreparedTransaction> PreparedTransactions() const override;
  Status SettlePrepared(std::string_view xid, bool commit) override;

  // --- for TransactionImpl ---
  RocksStore& store() { return *store_; }
  SymbolTable& symbols() { return symbols_; }
  Counters counters() const;
  // Called by a transaction when it ends; `committed` publishes its counters.
  void EndTransaction(const Counters* committed);
  // Claims the single writer slot (a transaction or a bulk load). Locked
  // while an undecided prepared transaction is in the graph.
  Status BeginWriting();
  // Reads the prepared transactions' records again (after a commit of one
  // failed, leaving its record).
  void ReloadPrepared();
  // A commit of this process took the store from sequence `before` to
  // `after`, changing `changes` (null: too many to patch a snapshot with).
  void RecordCommit(uint64_t before, uint64_t after, std::shared_ptr<const CsrChanges> changes);
  // Commits writing more nodes and edges than this record no changes.
  static constexpr size_t kMaxCsrChanges = size_t{1} << 16;

 protected:
  const ViewCore& core() const override { return core_; }

 private:
  explicit DbImpl(std::unique_ptr<RocksStore> store);
  Status LoadState();
  Status LoadPrepared();
  Status ClaimWriterSlot();

  std::unique_ptr<RocksStore> store_;
  SymbolTable symbols_;
  DbReader reader_;
  ViewCore core_;
  mutable std::mutex mu_;  // guards counters_
  Counters counters_;
  std::vector<PreparedTransaction> undecided_;  // guarded by mu_
  std::atomic<bool> writing_{false};

  struct CachedCsr {
    uint64_t sequence;
    uint64_t batch;  // the last batch of that state; 0: not known
    std::shared_ptr<const CsrGraph> csr;
  };
  // Runs on warm_thread_: builds the wanted snapshots once commits pause.
  void WarmLoop() const;
  // What the latest state is, if it is still `sequence` once its batch is
  // read: the stamp of a snapshot file made from it.
  std::optional<CsrGraph::FileStamp> StampOf(uint64_t sequence) const;
  // Adjacency(spec); with `use_files` false, never from a snapshot file.
  Result<std::shared_ptr<const CsrGraph>> CsrOf(const CsrSpec& spec, bool use_files) const;
  // The writer: saves the cached snapshot of `spec` for the latest commit
  // to its file, if it has one and the file does not hold it yet. Stops
  // (leaving no file) when the Db closes or a commit makes it stale.
  void SaveCsrFile(const CsrSpec& spec) const;
  // The snapshot of `spec` at `snapshot`'s sequence (whose last batch is
  // `batch`), patched from the cached one of an earlier sequence with the
  // commits recorded since, in this process's memory or else in the
  // store's change log; null if there is none, or a commit in between is
  // unknown or too big.
  std::shared_ptr<const CsrGraph> PatchCached(const CsrSpec& spec, const Snapshot& snapshot,
                                              const Reader& reader, uint64_t batch) const;
  // The same from the snapshot file of `spec` when it holds an earlier
  // state (a graph opened after a few commits since the file was saved).
  std::shared_ptr<const CsrGraph> PatchFile(const CsrSpec& spec, const Snapshot& snapshot,
                                            const Reader& reader, uint64_t batch) const;
  // The commits this process recorded from sequence `from` to `to`, each
  // starting where the one before ended; nullopt when the chain breaks.
  std::optional<CsrChanges> RecordedBetween(uint64_t from, uint64_t to) const;
  // `base` brought up to `snapshot` with `changes`; null when they are too
  // many or the patch fails.
  static std::shared_ptr<const CsrGraph> Patch(std::shared_ptr<const CsrGraph> base,
                                               const CsrChanges& changes, const Snapshot& snapshot,
                                               bool from_log);
  struct CommitRecord {
    uint64_t before, after;  // sequences
    std::shared_ptr<const CsrChanges> changes;
  };

  mutable std::mutex csr_mu_;  // guards csr_cache_, recent_specs_ and commits_
  // One per spec, most recently used last; an entry of an earlier
  // sequence stays as the base to patch.
  mutable std::vector<CachedCsr> csr_cache_;
  std::deque<CommitRecord> commits_;  // this process's latest commits, oldest first
  // The specs asked for lately, rebuilt in the background after a commit.
  mutable std::vector<CsrSpec> recent_specs_;
  mutable std::mutex build_mu_;  // held while building, so that concurrent
                                 // askers wait for one build
  mutable std::mutex warm_mu_;   // guards the four below
  mutable std::condition_variable warm_idle_;  // warm_running_ went false
  mutable std::vector<CsrSpec> warm_wanted_;
  mutable std::thread warm_thread_;
  mutable bool warm_running_ = false;
  mutable bool closing_ = false;
  std::atomic<bool> stop_building_{false};  // set when closing
  // SaveCsrFile holds a snapshot while it writes it (a second or more on a
  // big graph): PatchCached waits briefly for it to let go.
  mutable std::atomic<bool> saving_csr_{false};
  mutable SnapshotFiles snapshot_files_;
  // What a snapshot's columns-built hook reaches this Db through; cleared
  // when the Db closes, so that a snapshot outliving it saves nothing.
  struct ColumnsSaver {
    explicit ColumnsSaver(const DbImpl* d) : db(d) {}
    std::mutex mu;
    const DbImpl* db;
  };
  std::shared_ptr<ColumnsSaver> columns_saver_ = std::make_shared<ColumnsSaver>(this);
};

}  // namespace samverkan::storage
