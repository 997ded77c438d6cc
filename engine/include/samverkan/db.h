// Db: an open graph directory.
//
// A graph lives in one directory, as a RocksDB database. One process at a
// time may open it for writing; any number may open it read-only beside
// that writer (and call Refresh() to see the writer's newer commits).
//
//   SV_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open("msi.kg", {}));
//   SV_ASSIGN_OR_RETURN(Node n, db->GetNodeByKey("org:msi"));
//
// Open() refuses, with a Status that says which: a path that is a file
// (InvalidArgument), a directory holding something that is not a graph
// (InvalidArgument), a graph written by a newer format (NotSupported), and a
// graph another process or another Db in this process has open for writing
// (Locked).
//
// Reads through the Db itself see the latest committed state; a Snapshot pins
// one. A Db is safe to use from several threads, except that each cursor,
// Snapshot and Transaction belongs to the thread that uses it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/bulk_load.h"
#include "samverkan/csr.h"
#include "samverkan/graph_view.h"
#include "samverkan/result.h"
#include "samverkan/transaction.h"

namespace samverkan {

struct Options {
  // Create the graph if `path` does not exist (or is an empty directory).
  bool create_if_missing = true;
  // Open without the write lock, beside any writer. Writes return ReadOnly.
  bool read_only = false;
  // fsync the write-ahead log on every commit, so that a committed
  // transaction survives a power cut and not only a crash of the process.
  bool sync_commits = true;
  // Shared block cache for reads.
  size_t block_cache_bytes = size_t{64} << 20;
};

// What a state of the graph holds of the transactions one coordinator
// prepared (Transaction::Prepare), for a coordinator that checks its own
// record of its decisions against the graph.
struct CoordinatedCommits {
  // The xid of the latest of them that committed (Commit after Prepare, or
  // SettlePrepared); empty when none has since graphs began to record it.
  std::string last_committed;
  // The xids of those prepared and not (yet) committed or rolled back.
  std::vector<std::string> undecided;
};

// A consistent, unchanging view of the graph as of its creation.
class Snapshot : public GraphView {
 public:
  // The commit sequence this snapshot sees; equal numbers mean equal graphs.
  virtual uint64_t sequence() const = 0;
  // The transactions of `coordinator` as of this snapshot.
  virtual Result<CoordinatedCommits> CommitsOf(std::string_view coordinator) const = 0;
};

// What CheckIntegrity() found. ok() when nothing disagrees.
struct IntegrityReport {
  uint64_t nodes_checked = 0;
  uint64_t edges_checked = 0;
  // Records of the change log checked (format 2; the last commits' change
  // sets), and whether the newest, the latest commit's, was compared with
  // the graph and agreed.
  uint64_t change_records_checked = 0;
  bool latest_change_record_agrees = false;
  std::vector<std::string> problems;  // one line each, e.g. "edge 12: no in-entry"
  bool truncated = false;             // more problems than were listed
  // Findings that are not damage to the graph's data: a damaged snapshot
  // file (a cache derived from the graph, rebuilt and replaced). ok() does
  // not look at them.
  std::vector<std::string> notes;

  bool ok() const { return problems.empty(); }
};

// A transaction that was prepared (Transaction::Prepare) and then neither
// committed nor rolled back, because its process died in between.
struct PreparedTransaction {
  std::string xid;          // as given to Prepare
  std::string coordinator;  // who decides it, as given to Prepare
  std::string label;        // the transaction's label
};

class Db : public GraphView {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const Options& options);
  // Deletes a graph directory. Refuses a directory that is not a graph, and
  // a graph that is open for writing.
  static Status Destroy(const std::string& path);
  // Copies what can still be read of the graph at `damaged` (one that Open
  // refuses as damaged, say) into a new graph at `out`, which must not
  // exist; `damaged` is only read. The copy's table of contents is rebuilt
  // from the data files found, so records a compaction had replaced may
  // come back: check the result with CheckIntegrity().
  static Status Salvage(const std::string& damaged, const std::string& out);
  // The graph directory that `path` lies in (or is), if any: programs that
  // write files (exports) refuse such paths, whose files only the engine may
  // change. `path` need not exist; symbolic links in it are followed.
  static std::optional<std::string> GraphContaining(const std::string& path);

  // Busy while another transaction of this Db is open; ReadOnly on a
  // read-only open; Locked while a prepared transaction awaits its decision
  // (PreparedTransactions). `label` is recorded with the batch (e.g. the
  // file imported).
  virtual Result<std::unique_ptr<Transaction>> BeginTransaction(std::string label = {}) = 0;

  // Prepared transactions left undecided by a process that died between
  // Prepare and Commit or Rollback. Their writes are not visible, and no
  // transaction or bulk load can begin until each is settled: only its
  // coordinator knows whether it committed.
  virtual std::vector<PreparedTransaction> PreparedTransactions() const = 0;
  // Settles an undecided prepared transaction: applies its writes, or
  // discards them. NotFound when there is no such transaction; Corruption
  // (and nothing applied) when the graph changed after it was prepared.
  virtual Status SettlePrepared(std::string_view xid, bool commit) = 0;

  // The fast path for loading a large file into an empty graph (see
  // bulk_load.h). InvalidArgument when the graph already has nodes.
  virtual Result<std::unique_ptr<BulkLoader>> BeginBulkLoad(std::string label = {}) = 0;

  virtual std::unique_ptr<Snapshot> GetSnapshot() const = 0;

  // The sequence number of the latest commit this Db sees. It changes with
  // every commit; caches of derived data (CSR snapshots) key on it.
  virtual uint64_t LatestSequence() const = 0;

  // A CSR snapshot (csr.h) of the latest committed graph, restricted by
  // `spec`. Built on first use from a consistent snapshot and shared from a
  // small cache until the next commit changes LatestSequence().
  virtual Result<std::shared_ptr<const CsrGraph>> Csr(const CsrSpec& spec = {}) const = 0;
  // The same snapshot, for walks and analytics, which read only adjacency:
  // one mapped from a snapshot file may not have its edge positions
  // checked yet (CsrGraph::CheckEdgePositions; in_edge and edge_id require
  // it), which saves reading a third of the file at the first query.
  virtual Result<std::shared_ptr<const CsrGraph>> Adjacency(const CsrSpec& spec = {}) const = 0;
  // The CSR snapshot Csr(spec) would return if it is cached already, else
  // null: never builds one, and never waits for a build (for callers that
  // decide whether a build pays, or can do without).
  virtual std::shared_ptr<const CsrGraph> CsrIfCached(const CsrSpec& spec = {}) const = 0;
  // Builds the CSR snapshot Csr(spec) will return, on a background thread,
  // unless it is cached or being built: for a caller that does without it
  // now but will want it. After a commit, the snapshots that were cached
  // are rebuilt so, once commits pause, without anyone asking.
  virtual void WarmCsr(const CsrSpec& spec = {}) const = 0;

  // Verifies, on one snapshot, that the key dictionary, node records, name
  // and kind/sector indexes, out- and in-adjacency, edge-id index, degree
  // counters and graph counts all agree. Lists at most `max_problems`.
  virtual Result<IntegrityReport> CheckIntegrity(size_t max_problems = 100) const = 0;

  // Compacts all data (reclaims space after deletes).
  virtual Status Compact() = 0;

  // Writes the snapshot file of the whole graph at the latest commit now
  // (building the snapshot first if it is not cached), so that the next
  // open maps it instead of reading every record (docs/on-disk-format.md,
  // "Snapshot files"), and its columns file: the property columns built so
  // far, the nodes' keys and names, and the props keys the first nodes and
  // edges hold (built first if need be). The writer also saves it in the background once the
  // graph has been still for a moment, but a process that writes and exits
  // (an import) is gone by then. A no-op when the file is current or a
  // commit lands meanwhile; ReadOnly on a read-only open; Interrupted when
  // `interrupt` fires (the previous file, if any, is left as it was).
  virtual Status SaveSnapshotFile(const Interrupt& interrupt = Interrupt::Never()) = 0;

  // Read-only opens: catch up with the writer's latest commits.
  // A read-write Db is always current; this is then a no-op.
  // Not to be called while another thread reads through this Db: what it
  // reads changes here. Scans left open across it go on reading the state
  // they began on.
  virtual Status Refresh() = 0;

  virtual bool read_only() const = 0;
  virtual const std::string& path() const = 0;
  // Bytes the graph's files take on disk.
  virtual Result<uint64_t> DiskUsage() const = 0;
};

}  // namespace samverkan
