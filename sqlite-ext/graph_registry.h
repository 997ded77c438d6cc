// graph_registry.h: who has which graph open, and the write transaction
// each connection holds on it.
//
// Two levels:
//
//   * Process-wide, SharedGraph: one samverkan::Db per canonical directory
//     path, shared (reference-counted) by every connection of the process
//     that opens that directory, since RocksDB lets only one open per process
//     write a directory. When another process holds the write lock, Db::Open
//     returns Locked and we open a read-only secondary instead, which sees the
//     writer's commits after Refresh().
//
//   * Per connection, Connection (the pAux of every module and function):
//     maps the name of a `samverkan` virtual table ("kg") to a GraphHandle,
//     which holds that connection's samverkan::Transaction on the graph. The
//     tables kg, kg_nodes and kg_edges of one graph share one GraphHandle, so
//     one SQL transaction maps to one engine transaction per graph.
//
// Transactions are begun lazily, on the first write, and committed in xSync
// (where a failure can still make SQLite roll back). SQLite's savepoint
// numbers (xSavepoint(N), xRollbackTo(N), xRelease(N)) map onto the
// Transaction's savepoint stack through `levels_`.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/db.h"
#include "vtab_base.h"

namespace samverkan::sql {

// One open graph directory, shared within the process.
struct SharedGraph {
  std::string path;             // canonical absolute path, the registry key
  std::unique_ptr<Db> db;
  bool locked_by_other = false;  // read-only because another process writes it
};

// How a connection's GraphHandle may write.
enum class WriteAccess { kAllowed, kReadOnlyOption, kLockedByOtherProcess };

// A view to read through, plus whatever keeps it alive while a cursor uses
// it (a cursor must not outlive its view; see graph_view.h).
struct ReadView {
  const GraphView* view = nullptr;
  std::shared_ptr<const void> keepalive;
};

// One graph as seen by one connection. Not thread-safe: SQLite serializes
// the calls of a connection.
class GraphHandle {
 public:
  GraphHandle(std::string name, std::shared_ptr<SharedGraph> shared, WriteAccess access);
  ~GraphHandle();

  const std::string& name() const { return name_; }
  const std::string& path() const { return shared_->path; }
  Db& db() const { return *shared_->db; }
  bool read_only() const { return access_ != WriteAccess::kAllowed; }

  // At the start of a statement (xOpen): a read-only secondary catches up
  // with the writer's commits. A no-op for a read-write open.
  Status StartStatement();
  // The view to read through: the open transaction (read-your-writes), else
  // the Db.
  ReadView View() const;

  // The transaction to write through, begun if none is open. `who` names the
  // table or function in error messages ("kg_nodes: graph '/x' is locked by
  // another process"). Returns nullptr with the SQLite error code and message
  // set on `vtab` when writing is not possible.
  Transaction* Writer(sqlite3_vtab* vtab, std::string_view who, int* rc);

  // xSync: commits the open transaction, if any. The first of the graph's
  // tables to be synced commits; the others find nothing to do.
  Status Commit();
  // xRollback: discards the open transaction, if any.
  void Rollback();
  // xSavepoint / xRollbackTo / xRelease with SQLite's savepoint numbers.
  void Savepoint(int level);
  Status RollbackTo(int level);
  Status Release(int level);

 private:
  std::string name_;
  std::shared_ptr<SharedGraph> shared_;
  WriteAccess access_;
  std::shared_ptr<Transaction> txn_;  // the open write transaction, or null
  // SQLite savepoint numbers with a Transaction savepoint, innermost last.
  // A base savepoint set at Begin (not listed) stands for every SQL
  // savepoint opened before the transaction began.
  std::vector<int> levels_;
};

// Options of a `samverkan` table as written in CREATE VIRTUAL TABLE.
struct GraphOptions {
  std::string path;        // as given
  bool read_only = false;  // readonly=1
};

// Per-connection state: the pAux of every module and function. Reference
// counted because each registration owns a reference (SQLite calls each
// registration's destructor separately).
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db() const { return db_; }

  // Finds graph `name` of this connection, or opens `options.path` for it.
  Result<std::shared_ptr<GraphHandle>> Attach(std::string_view name, const GraphOptions& options);

  // Graph `name` of this connection; if no table of it has been connected yet
  // (a freshly opened .db), connects the `samverkan` table of that name
  // first. Null when there is none.
  std::shared_ptr<GraphHandle> Find(std::string_view name);

  // The directory relative paths are resolved against: that of the main
  // database file, or the working directory for in-memory and temp ones.
  std::string BaseDirectory() const;

  void Retain() { ++refs_; }
  static void Release(void* connection);

 private:
  sqlite3* db_;
  int refs_ = 0;  // registrations still holding this object
  std::map<std::string, std::weak_ptr<GraphHandle>, std::less<>> graphs_;
};

}  // namespace samverkan::sql
