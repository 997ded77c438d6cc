// graph_registry.h: who has which graph open, and the write transaction
// each connection holds on it.
//
// Two levels:
//
//   * Process-wide, SharedGraph (shared_graph.h): one per canonical
//     directory path, shared by every connection of the process that opens
//     that directory; it holds write access or a read-only secondary, and
//     moves write access between processes.
//
//   * Per connection, Connection (the pAux of every module and function):
//     maps a `samverkan` virtual table (schema and name, "main"."kg") to a
//     GraphHandle, which holds that connection's samverkan::Transaction on
//     the graph. The tables kg, kg_nodes and kg_edges of one graph share one
//     GraphHandle, so one SQL transaction maps to one engine transaction per
//     graph.
//
// Transactions are begun lazily, on the first write, prepared in xSync
// (where a failure can still make SQLite roll back) and committed in xCommit,
// once SQLite has committed: see commit_log.h. SQLite's savepoint
// numbers (xSavepoint(N), xRollbackTo(N), xRelease(N)) map onto the
// Transaction's savepoint stack through `levels_`.
#pragma once

#include <map>
#include <utility>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/cypher.h"
#include "samverkan/db.h"
#include "shared_graph.h"
#include "vtab_base.h"

namespace samverkan::sql {

// How a connection's GraphHandle may write.
enum class WriteAccess { kAllowed, kReadOnlyOption };

// A view to read through, plus whatever keeps it alive while a cursor uses
// it (a cursor must not outlive its view; see graph_view.h).
struct ReadView {
  const GraphView* view = nullptr;
  std::shared_ptr<const void> keepalive;
  // The Db whose latest committed state `view` shows, when it shows that
  // (not a transaction's own writes, nor an older pinned state): its cached
  // CSR snapshots (Db::Csr) then serve this view.
  Db* latest = nullptr;
};

// One graph as seen by one connection. Not thread-safe: SQLite serializes
// the calls of a connection.
class GraphHandle {
 public:
  // The graph table `name` in `schema` of connection `db`.
  GraphHandle(sqlite3* db, std::string schema, std::string name,
              std::shared_ptr<SharedGraph> shared, WriteAccess access);
  ~GraphHandle();

  // The graph's `samverkan` table: its schema ("main", "temp", an attached
  // database) and name.
  const std::string& schema() const { return schema_; }
  const std::string& name() const { return name_; }
  // ALTER TABLE ... RENAME: the graph table is now `name`.
  void Rename(std::string name) { name_ = std::move(name); }
  const std::string& path() const { return shared_->path(); }
  // The Db to read through now, for calls that need the Db itself (its size
  // on disk, an integrity check). Hold it only for the call.
  std::shared_ptr<Db> db() const { return shared_->Current(); }
  bool read_only() const { return access_ != WriteAccess::kAllowed; }
  // Whether this process holds the graph's write access now (it keeps it
  // after writing until another process asks for it).
  bool holds_write_access() const { return shared_->writable(); }
  // Read-only opens: catch up with the writer now. A read-only Db that a
  // statement still reads is left as it is and a fresh one opened.
  Status Refresh() { return shared_->Refresh(); }

  // At the start of each statement's use of the graph: fixes what the
  // statement reads (isolation, see docs/sql-reference.md "Transactions" and
  // docs/architecture.md "Isolation"):
  //   * in autocommit mode, the latest commits (a secondary catches up);
  //   * inside BEGIN ... COMMIT, the graph as of the transaction's first
  //     read, kept until the transaction ends or until SQLite's own snapshot
  //     of the database moves on (PRAGMA data_version changes: another
  //     connection committed and this one began a new transaction). Busy
  //     when the graph holds a commit made through SQL that SQLite's
  //     snapshot does not (like SQLITE_BUSY_SNAPSHOT: roll back, retry).
  Status StartStatement();
  // The view to read through: the open write transaction (read-your-
  // writes), else the pinned state, else the latest.
  ReadView View() const;

  // Scans and lookups of kg_nodes / kg_edges this connection answered from
  // the CSR snapshot's arrays and columns (snapshot_scan.h), for kg_stats.
  void CountSnapshotRead() { ++snapshot_reads_; }
  uint64_t snapshot_reads() const { return snapshot_reads_; }
  // Values of props, sources or batch such scans read in place from the
  // record cursor (EdgeCursor::Record: no Edge built), for kg_stats.
  void CountRecordFieldRead() { ++record_field_reads_; }
  uint64_t record_field_reads() const { return record_field_reads_; }
  // The edges' and nodes' props held for the process (held_props.h), and
  // the props values such scans copied from there instead of reading records.
  HeldPropsSlot& held_edge_props() { return shared_->held_edge_props(); }
  HeldPropsSlot& held_node_props() { return shared_->held_node_props(); }
  void CountHeldPropsRead() { ++held_props_reads_; }
  uint64_t held_props_reads() const { return held_props_reads_; }

  // Write access for something that writes the graph outside a SQL
  // transaction (kg_import, compaction): the writable Db, waiting up to the
  // busy timeout of `db` as Writer() does. EndWriting() when done.
  Result<std::shared_ptr<Db>> BeginWriting(sqlite3* db);
  void EndWriting();

  // The transaction to write through, begun if none is open. While another
  // connection writes the graph, waits up to `db`'s busy timeout
  // (sql_busy.h). `who` names the table or function in error messages
  // ("kg_nodes: graph '/x' is locked by another process"). Returns nullptr
  // with the SQLite error code and message set on `vtab` when writing is not
  // possible.
  Transaction* Writer(sqlite3_vtab* vtab, sqlite3* db, std::string_view who, int* rc);

  // xSync: prepares the open transaction, if any, recording its id in the
  // commit log inside SQLite's transaction (commit_log.h). The first of the
  // graph's tables to be synced prepares; the others find nothing to do.
  Status Prepare();
  // xCommit: commits the open transaction, prepared or not (SQLite skips
  // xSync when nothing but virtual tables was written in some modes). A
  // prepared one that fails to apply (a full disk) is tried once more; if
  // it still fails, the next read of the graph applies it or fails
  // (ApplyDecided): SQLite has decided, and COMMIT reports success.
  Status Commit();
  // Settles the transactions this database prepared and a crash left
  // undecided, from its commit log, when this process holds write access.
  // Others are left for their own database.
  Status SettleUndecidedIfWritable();
  // Whether this connection's open transaction has written the graph.
  bool HasPendingWrites() const { return txn_ && !txn_->empty(); }
  // xRollback: discards the open transaction, if any.
  void Rollback();
  // xSavepoint / xRollbackTo / xRelease with SQLite's savepoint numbers.
  void Savepoint(int level);
  Status RollbackTo(int level);
  Status Release(int level);

 private:
  sqlite3* sqlite_;
  std::string schema_;
  Status SettleUndecided(Db& writable);
  // Applies the prepared transaction `xid`, which SQLite committed.
  Status RollForward(const std::string& xid, WriteAccessWait& wait);
  // Before a read: a transaction of this graph table that SQLite committed
  // and the graph holds prepared but not applied (its xCommit failed) is
  // applied now, or the read fails with an error naming `samverkan settle`.
  // After a COMMIT reported success, no read may answer without it.
  Status ApplyDecided();
  // Whether another process, which holds write access and prepared `xid`,
  // applies it within a short wait, as its xCommit does right after
  // SQLite's commit. A reader that applied it instead would take write
  // access from that writer, and both would then rebuild their snapshots.
  bool AppliedByItsWriter(const std::string& xid);
  // Pins the graph's latest state for a transaction, refusing (Busy) a
  // state that disagrees with SQLite's snapshot of the graph table's
  // commit log (commit_log.h, RecordedCommit).
  Status PinAgreeingWithSqlite();

  std::string name_;
  std::shared_ptr<SharedGraph> shared_;
  WriteAccess access_;
  // The open write transaction, or null. It keeps its Db open, and holds
  // the process's write access (SharedGraph::BeginWriting) until it ends.
  std::shared_ptr<Transaction> txn_;
  std::string prepared_xid_;  // the id txn_ was prepared under
  // Inside BEGIN ... COMMIT, the state the transaction reads, and the
  // PRAGMA data_version it was pinned at.
  std::shared_ptr<const Snapshot> pin_;
  int64_t pin_version_ = -1;
  // SQLite savepoint numbers with a Transaction savepoint, innermost last.
  // A base savepoint set at Begin (not listed) stands for every SQL
  // savepoint opened before the transaction began.
  std::vector<int> levels_;
  uint64_t snapshot_reads_ = 0;
  uint64_t record_field_reads_ = 0;
  uint64_t held_props_reads_ = 0;
};

// Options of a `samverkan` table as written in CREATE VIRTUAL TABLE.
struct GraphOptions {
  std::string path;        // as given; resolved by Connection::Declare
  bool read_only = false;  // readonly=1

  bool operator==(const GraphOptions&) const = default;
};

// Per-connection state: the pAux of every module and function. Reference
// counted because each registration owns a reference (SQLite calls each
// registration's destructor separately).
//
// A graph of this connection is named by the schema its tables are in
// ("main", "temp", or an attached database's name) and the name of its
// `samverkan` table. Connecting a table opens nothing: SQLite connects the
// tables a view or trigger names before it can refuse them as unsafe (they
// are SQLITE_VTAB_DIRECTONLY), so a graph directory is opened only when a
// statement the user wrote reads or writes it (Open), and created only by
// CREATE VIRTUAL TABLE.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db() const { return db_; }

  // xCreate/xConnect of one of the tables of graph `name` in `schema`:
  // records its options, resolving a relative path against the folder of
  // that schema's database file. InvalidArgument when a sibling table
  // already declared the graph with other options.
  Status Declare(std::string_view schema, std::string_view name, GraphOptions options);

  // The declared graph `name` of `schema`, opened at its first use. Only
  // `create` (CREATE VIRTUAL TABLE) makes a graph where there is none; else
  // a missing directory is NotFound, saying how to point the table at the
  // graph's new place.
  Result<std::shared_ptr<GraphHandle>> Open(std::string_view schema, std::string_view name,
                                            bool create = false);

  // The graph a function argument names: "kg", or "aux.kg" for the one in
  // attached database aux. An unqualified name is looked up as SQLite looks
  // up tables: temp, main, then attached databases in the order attached.
  // NotFound "no graph named 'x' in this connection" when there is no such
  // samverkan table; other errors say why it cannot be used.
  Result<std::shared_ptr<GraphHandle>> Find(std::string_view name);

  // The graph's `samverkan` table is disconnected or dropped: let go of the
  // graph (it closes once no statement uses it).
  void Forget(std::string_view schema, std::string_view name);
  // The graph's `samverkan` table is renamed (ALTER TABLE ... RENAME).
  void Rename(std::string_view schema, std::string_view name, std::string_view new_name);
  // Whether this connection's open transaction has written graph `name`.
  bool HasPendingWrites(std::string_view schema, std::string_view name);

  void Retain() { ++refs_; }
  static void Release(void* connection);

  // Settings of this connection, changed with kg_set() (fn_meta.cc).
  struct Settings {
    // RunOptions::memory_limit of its Cypher queries, unless kg_cypher's
    // options say otherwise.
    uint64_t cypher_memory_limit = cypher::kDefaultMemoryLimit;
    // Table procedures kg_cypher's queries may CALL besides the built-in
    // ones (kg_set('cypher_procedure', ...)), by name.
    cypher::TableProcedures cypher_procedures;
  };
  Settings& settings() { return settings_; }

 private:
  struct Declared {
    GraphOptions options;                // path resolved
    std::weak_ptr<GraphHandle> handle;   // while open
    // From the first use until the graph's table disconnects (Forget): a
    // connection that only calls functions on a graph keeps it open, and
    // its cached snapshot, from one statement to the next.
    std::shared_ptr<GraphHandle> kept;
  };
  using Key = std::pair<std::string, std::string>;  // schema, lowercased name

  // The folder relative paths in `schema` resolve against: that of its
  // database file, or the working directory for in-memory and temp ones.
  std::string BaseDirectory(std::string_view schema) const;
  // Schema names in SQLite's lookup order: temp, main, attached.
  std::vector<std::string> SchemasInLookupOrder() const;
  Declared* FindDeclared(const std::string& schema, const std::string& name);

  sqlite3* db_;
  int refs_ = 0;  // registrations still holding this object
  Settings settings_;
  std::map<Key, Declared> graphs_;
};

}  // namespace samverkan::sql
