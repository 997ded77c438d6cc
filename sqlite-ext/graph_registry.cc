// graph_registry.cc: process-wide graph sharing and per-connection
// transaction state. See graph_registry.h.
#include "graph_registry.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "commit_log.h"
#include "sql_busy.h"

namespace samverkan::sql {
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// The process-wide registry. Keys are canonical paths, plus a "\x01ro" suffix
// for read-only secondaries opened on request (readonly=1) or because another
// process holds the write lock. Entries are weak: the last connection to let
// go of a graph closes it.
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<SharedGraph>> registry;

std::string SecondaryKey(const std::string& path) { return path + "\x01ro"; }

std::shared_ptr<SharedGraph> LookupLocked(const std::string& key) {
  auto it = registry.find(key);
  if (it == registry.end()) return nullptr;
  auto graph = it->second.lock();
  if (!graph) registry.erase(it);
  return graph;
}

Result<std::shared_ptr<SharedGraph>> OpenLocked(const std::string& path, bool read_only,
                                                bool create) {
  Options options;
  options.read_only = read_only;
  options.create_if_missing = create;
  auto db = Db::Open(path, options);
  if (!db.ok()) return db.status();
  auto graph = std::make_shared<SharedGraph>();
  graph->path = path;
  graph->db = std::move(*db);
  registry[read_only ? SecondaryKey(path) : path] = graph;
  return graph;
}

// The graph at `path` for a connection that wants to write: the shared
// read-write open, or a new one, or (when another process holds the lock) a
// shared read-only secondary.
Result<std::shared_ptr<SharedGraph>> AcquireForWriting(const std::string& path, bool create) {
  std::lock_guard lock(registry_mutex);
  if (auto graph = LookupLocked(path)) return graph;
  auto opened = OpenLocked(path, /*read_only=*/false, create);
  if (opened.ok() || !opened.status().IsLocked()) return opened;
  if (auto graph = LookupLocked(SecondaryKey(path))) {
    graph->locked_by_other = true;
    return graph;
  }
  auto secondary = OpenLocked(path, /*read_only=*/true, /*create=*/false);
  if (secondary.ok()) (*secondary)->locked_by_other = true;
  return secondary;
}

// readonly=1: any open of the path will do; a new one is a secondary, so
// that it never takes the write lock from another process.
Result<std::shared_ptr<SharedGraph>> AcquireForReading(const std::string& path, bool create) {
  std::lock_guard lock(registry_mutex);
  if (auto graph = LookupLocked(path)) return graph;
  if (auto graph = LookupLocked(SecondaryKey(path))) return graph;
  if (create && !fs::exists(path)) {
    // A secondary cannot create a graph; create it with a short write open.
    auto created = OpenLocked(path, /*read_only=*/false, /*create=*/true);
    if (!created.ok()) return created.status();
    registry.erase(path);
  }
  return OpenLocked(path, /*read_only=*/true, /*create=*/false);
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// GraphHandle

GraphHandle::GraphHandle(sqlite3* db, std::string schema, std::string name,
                         std::shared_ptr<SharedGraph> shared, WriteAccess access)
    : sqlite_(db),
      schema_(std::move(schema)),
      name_(std::move(name)),
      shared_(std::move(shared)),
      access_(access) {}

GraphHandle::~GraphHandle() { Rollback(); }

Status GraphHandle::StartStatement() {
  if (txn_ || !shared_->db->read_only()) return Status::OK();
  return shared_->db->Refresh();
}

ReadView GraphHandle::View() const {
  if (txn_) return ReadView{txn_.get(), txn_};
  return ReadView{shared_->db.get(), shared_};
}

Transaction* GraphHandle::Writer(sqlite3_vtab* vtab, sqlite3* db, std::string_view who,
                                 int* rc) {
  *rc = SQLITE_OK;
  if (txn_) return txn_.get();
  const int n = static_cast<int>(who.size());
  switch (access_) {
    case WriteAccess::kAllowed: break;
    case WriteAccess::kReadOnlyOption:
      SetError(vtab, "%.*s: graph '%s' is open read-only (readonly=1)", n, who.data(),
               path().c_str());
      *rc = SQLITE_READONLY;
      return nullptr;
    case WriteAccess::kLockedByOtherProcess:
      SetError(vtab, "%.*s: graph '%s' is locked by another process", n, who.data(),
               path().c_str());
      *rc = SQLITE_READONLY;
      return nullptr;
  }
  Result<std::unique_ptr<Transaction>> begun = Status::Busy("not begun");
  Status waited = RetryWhileBusy(db, [&] {
    begun = shared_->db->BeginTransaction("sqlite");
    if (begun.status().IsLocked() && !shared_->db->PreparedTransactions().empty()) {
      // A transaction undecided since a crash; ours to settle if this
      // database prepared it, and then the graph takes writers again.
      if (Status settled = SettleUndecided(); !settled.ok()) return settled;
      begun = shared_->db->BeginTransaction("sqlite");
    }
    return begun.status();
  });
  if (waited.IsInterrupted()) {
    *rc = StatusError(vtab, who, waited);
    return nullptr;
  }
  if (!begun.ok()) {
    if (begun.status().code() == Status::Code::kBusy) {
      SetError(vtab, "%.*s: graph '%s' is being written by another connection in this process",
               n, who.data(), path().c_str());
      *rc = SQLITE_BUSY;
    } else {
      *rc = StatusError(vtab, who, begun.status());
    }
    return nullptr;
  }
  txn_ = std::move(*begun);
  txn_->SetSavepoint();  // the base: "before anything this transaction wrote"
  levels_.clear();
  return txn_.get();
}

Status GraphHandle::Prepare() {
  if (!txn_ || txn_->prepared()) return Status::OK();
  if (txn_->empty()) return Commit();
  const std::string xid = NewTransactionId();
  Status recorded = RecordCommit(sqlite_, schema_, name_, xid);
  if (!recorded.ok()) {
    Rollback();
    return recorded;
  }
  Status prepared = txn_->Prepare(xid, Coordinator(sqlite_, schema_, name_));
  if (!prepared.ok()) {
    txn_.reset();  // Prepare rolled it back
    levels_.clear();
  }
  return prepared;
}

Status GraphHandle::Commit() {
  if (!txn_) return Status::OK();
  std::shared_ptr<Transaction> txn = std::move(txn_);
  levels_.clear();
  return txn->Commit();
}

Status GraphHandle::SettleUndecided() {
  if (read_only()) return Status::OK();
  const std::string us = Coordinator(sqlite_, schema_, name_);
  for (const PreparedTransaction& p : shared_->db->PreparedTransactions()) {
    bool commit = false;
    if (!p.coordinator.empty()) {
      if (p.coordinator != us) continue;  // another database's to decide
      SV_ASSIGN_OR_RETURN(commit, WasCommitted(sqlite_, schema_, name_, p.xid));
    }
    // Else an in-memory database prepared it: its decision died with it.
    Status s = shared_->db->SettlePrepared(p.xid, commit);
    if (!s.ok() && !s.IsNotFound()) return s;  // NotFound: settled meanwhile
  }
  return Status::OK();
}

void GraphHandle::Rollback() {
  if (!txn_) return;
  txn_->Rollback();
  txn_.reset();
  levels_.clear();
}

void GraphHandle::Savepoint(int level) {
  // Before the first write there is nothing to save: the base savepoint set
  // at Begin stands for every earlier level. Several tables of one graph each
  // get xSavepoint(N); the first one sets it.
  if (!txn_) return;
  if (!levels_.empty() && levels_.back() >= level) return;
  txn_->SetSavepoint();
  levels_.push_back(level);
}

Status GraphHandle::RollbackTo(int level) {
  if (!txn_) return Status::OK();
  while (!levels_.empty() && levels_.back() > level) {
    Status s = txn_->ReleaseSavepoint();
    if (!s.ok()) return s;
    levels_.pop_back();
  }
  // The innermost remaining savepoint is `level` itself, or the base when
  // `level` was opened before this transaction began.
  return txn_->RollbackToSavepoint();
}

Status GraphHandle::Release(int level) {
  if (!txn_) return Status::OK();
  while (!levels_.empty() && levels_.back() >= level) {
    Status s = txn_->ReleaseSavepoint();
    if (!s.ok()) return s;
    levels_.pop_back();
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Connection

std::string Connection::BaseDirectory(std::string_view schema) const {
  const char* file = sqlite3_db_filename(db_, std::string(schema).c_str());
  if (file == nullptr || file[0] == '\0') return fs::current_path().string();
  return fs::path(file).parent_path().string();
}

std::vector<std::string> Connection::SchemasInLookupOrder() const {
  std::vector<std::string> schemas{"temp", "main"};
  for (int i = 2;; ++i) {
    const char* name = sqlite3_db_name(db_, i);
    if (name == nullptr) break;
    schemas.emplace_back(name);
  }
  return schemas;
}

Connection::Declared* Connection::FindDeclared(const std::string& schema,
                                               const std::string& name) {
  auto it = graphs_.find({Lowercase(schema), Lowercase(name)});
  return it == graphs_.end() ? nullptr : &it->second;
}

Status Connection::Declare(std::string_view schema, std::string_view name, GraphOptions options) {
  std::error_code ec;
  fs::path resolved = fs::path(options.path);
  if (resolved.is_relative()) resolved = fs::path(BaseDirectory(schema)) / resolved;
  fs::path canonical = fs::weakly_canonical(resolved, ec);
  if (ec) canonical = resolved.lexically_normal();
  options.path = canonical.string();
  while (options.path.size() > 1 && options.path.back() == '/') options.path.pop_back();

  Key key{Lowercase(schema), Lowercase(name)};
  auto [it, fresh] = graphs_.try_emplace(key, Declared{options, {}});
  if (!fresh && !(it->second.options == options)) {
    if (it->second.handle.expired()) {
      // The schema changed (the table was dropped and created again).
      it->second = Declared{options, {}};
    } else {
      return Status::InvalidArgument("the tables of graph '" + std::string(name) +
                                     "' name different graph directories or options");
    }
  }
  return Status::OK();
}

Result<std::shared_ptr<GraphHandle>> Connection::Open(std::string_view schema,
                                                      std::string_view name, bool create) {
  Declared* declared = FindDeclared(std::string(schema), std::string(name));
  if (declared == nullptr) {
    return Status::Internal("graph '" + std::string(name) + "' was not declared");
  }
  if (auto handle = declared->handle.lock()) return handle;
  const GraphOptions& options = declared->options;
  auto shared = options.read_only ? AcquireForReading(options.path, create)
                                  : AcquireForWriting(options.path, create);
  if (!shared.ok()) {
    if (shared.status().IsNotFound() && !fs::exists(options.path)) {
      return Status::NotFound(
          "no graph at '" + options.path + "' (the directory of graph table '" +
          std::string(name) + "' does not exist: moved or deleted?); to use a graph that " +
          "moved: DROP TABLE " + QuoteIdentifier(name) + "; CREATE VIRTUAL TABLE " +
          QuoteIdentifier(name) + " USING samverkan(path='<its new place>')");
    }
    return shared.status();
  }
  WriteAccess access = options.read_only              ? WriteAccess::kReadOnlyOption
                       : (*shared)->locked_by_other ? WriteAccess::kLockedByOtherProcess
                                                      : WriteAccess::kAllowed;
  auto handle = std::make_shared<GraphHandle>(db_, std::string(schema), std::string(name),
                                              std::move(*shared), access);
  // A transaction this database prepared before a crash is settled before
  // anything reads the graph: readers must not see the graph without
  // writes that SQLite committed.
  if (Status settled = handle->SettleUndecided(); !settled.ok()) return settled;
  declared->handle = handle;
  declared->kept = handle;
  return handle;
}

void Connection::Forget(std::string_view schema, std::string_view name) {
  if (Declared* declared = FindDeclared(std::string(schema), std::string(name))) {
    declared->kept.reset();
  }
}

Result<std::shared_ptr<GraphHandle>> Connection::Find(std::string_view name) {
  // "aux.kg": graph kg of attached database aux (when aux is a schema).
  std::vector<std::string> schemas = SchemasInLookupOrder();
  std::string table(name);
  std::vector<std::string> where = schemas;
  if (size_t dot = name.find('.'); dot != std::string_view::npos) {
    std::string prefix = Lowercase(name.substr(0, dot));
    for (const auto& s : schemas) {
      if (Lowercase(s) == prefix) {
        where = {s};
        table = std::string(name.substr(dot + 1));
        break;
      }
    }
  }
  auto lookup = [&]() -> Declared* {
    for (const auto& schema : where) {
      if (FindDeclared(schema, table) != nullptr) return FindDeclared(schema, table);
    }
    return nullptr;
  };
  auto open = [&]() -> Result<std::shared_ptr<GraphHandle>> {
    for (const auto& schema : where) {
      if (FindDeclared(schema, table) != nullptr) return Open(schema, table);
    }
    return Status::NotFound("no graph named '" + std::string(name) + "' in this connection");
  };
  if (lookup() != nullptr) return open();
  // Preparing a statement that names the table makes SQLite connect it
  // (xConnect), which declares the graph; SQLite keeps the table connected,
  // so this happens once per connection.
  std::string sql = "SELECT 1 FROM " +
                    (where.size() == 1 ? QuoteIdentifier(where[0]) + "." : std::string()) +
                    QuoteIdentifier(table) + " LIMIT 0";
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
  std::string error = rc == SQLITE_OK ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(stmt);
  if (lookup() != nullptr) return open();
  if (rc != SQLITE_OK && error.find("no such table") == std::string::npos) {
    // The table exists but cannot be used: say why.
    return Status::InvalidArgument("graph '" + std::string(name) + "': " + error);
  }
  if (rc == SQLITE_OK) {
    return Status::NotFound("'" + std::string(name) + "' is not a samverkan table");
  }
  return Status::NotFound("no graph named '" + std::string(name) + "' in this connection");
}

void Connection::Release(void* connection) {
  auto* self = static_cast<Connection*>(connection);
  if (--self->refs_ == 0) delete self;
}

}  // namespace samverkan::sql
