// graph_registry.cc: process-wide graph sharing and per-connection
// transaction state. See graph_registry.h.
#include "graph_registry.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "commit_log.h"
#include "sql_busy.h"

namespace samverkan::sql {
namespace fs = std::filesystem;

namespace {

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

namespace {

// PRAGMA data_version of `schema`: changes when another connection has
// committed to that database file, as seen from this connection's current
// (or next) read transaction.
int64_t DataVersion(sqlite3* db, const std::string& schema) {
  unsigned int version = 0;
  if (sqlite3_file_control(db, schema.c_str(), SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK) {
    return -1;
  }
  return version;
}

}  // namespace

Status GraphHandle::StartStatement() {
  if (txn_) return Status::OK();
  if (sqlite3_get_autocommit(sqlite_)) {
    pin_.reset();
    SV_RETURN_IF_ERROR(shared_->Refresh());
    return ApplyDecided();
  }
  const int64_t version = DataVersion(sqlite_, schema_);
  if (pin_ && version == pin_version_) return Status::OK();
  pin_.reset();
  SV_RETURN_IF_ERROR(ApplyDecided());
  SV_RETURN_IF_ERROR(PinAgreeingWithSqlite());
  pin_version_ = version;
  return Status::OK();
}

Status GraphHandle::PinAgreeingWithSqlite() {
  const std::string us = Coordinator(sqlite_, schema_, name_);
  // SQLite's side first, fixing its snapshot if nothing had: a commit
  // SQLite's snapshot holds is then prepared in the graph by the time of
  // the pin (commit_log.h), committed or on its way.
  std::string recorded;
  if (!us.empty()) {
    SV_ASSIGN_OR_RETURN(recorded, RecordedCommit(sqlite_, schema_, name_));
  }
  CoordinatedCommits graph;
  auto pin = [&]() -> Status {
    pin_.reset();
    SV_ASSIGN_OR_RETURN(pin_, shared_->PinnedView());
    if (us.empty()) return Status::OK();  // in-memory: no other connection sees it
    SV_ASSIGN_OR_RETURN(graph, pin_->CommitsOf(us));
    if (!recorded.empty() && std::find(graph.undecided.begin(), graph.undecided.end(),
                                       recorded) != graph.undecided.end()) {
      // SQLite has committed a transaction whose graph half is on its way
      // (or was left undecided by a crash): wait for it as for a lock.
      return Status::Busy(fmt::format(
          "graph '{}' has not yet applied transaction '{}', which SQLite has committed (if "
          "this lasts, a crash left it undecided: see `samverkan check`)",
          path(), recorded));
    }
    return Status::OK();
  };
  Status pinned = pin();
  if (pinned.code() == Status::Code::kBusy) {
    // Rare: only then is the busy timeout looked up (a PRAGMA).
    ConnectionWait wait(sqlite_, path());
    pinned = wait->WhileBusy(pin);
  }
  if (!pinned.ok()) {
    pin_.reset();
    return pinned;
  }
  if (graph.last_committed.empty() || graph.last_committed == recorded) return Status::OK();
  // The graph holds another commit of this table than SQLite's snapshot:
  // another connection committed both after this transaction's snapshot
  // was fixed (by its first read of anything), and the torn view is
  // refused. Unless this snapshot is the database file's latest: then the
  // two disagree for good (a .db restored from a backup, say), which no
  // retry would change, and the graph is read as it is.
  SV_ASSIGN_OR_RETURN(std::string latest, LatestCommit(sqlite_, schema_, name_));
  if (latest == recorded) return Status::OK();
  pin_.reset();
  return Status::Busy(fmt::format(
      "graph '{}' has a commit that this transaction's snapshot of the database does not (both "
      "were committed by another connection after this transaction first read the database); "
      "roll back and try again",
      path()));
}

ReadView GraphHandle::View() const {
  if (txn_) return ReadView{txn_.get(), txn_, nullptr};
  if (pin_) {
    // The pinned state read from a secondary is the same graph as the
    // current Db's when nothing has been committed since: its cached CSR
    // snapshots serve.
    std::shared_ptr<Db> current = shared_->Current();
    const bool latest = pin_->sequence() == current->LatestSequence();
    if (!latest) return ReadView{pin_.get(), pin_, nullptr};
    auto both = std::make_shared<std::pair<std::shared_ptr<const Snapshot>, std::shared_ptr<Db>>>(
        pin_, current);
    return ReadView{pin_.get(), both, current.get()};
  }
  std::shared_ptr<Db> db = shared_->Current();
  return ReadView{db.get(), db, db.get()};
}

Result<std::shared_ptr<Db>> GraphHandle::BeginWriting(sqlite3* db) {
  ConnectionWait wait(db, path());
  return shared_->BeginWriting(*wait);
}

void GraphHandle::EndWriting() {
  shared_->EndWriting();
  pin_.reset();  // this connection changed the graph: its next read sees it
}

Transaction* GraphHandle::Writer(sqlite3_vtab* vtab, sqlite3* db, std::string_view who,
                                 int* rc) {
  *rc = SQLITE_OK;
  if (txn_) return txn_.get();
  const int n = static_cast<int>(who.size());
  if (access_ == WriteAccess::kReadOnlyOption) {
    SetError(vtab, "%.*s: graph '%s' is open read-only (readonly=1)", n, who.data(),
             path().c_str());
    *rc = SQLITE_READONLY;
    return nullptr;
  }
  // One wait, and one deadline, for write access and then the transaction.
  ConnectionWait wait(db, path());
  auto writable = shared_->BeginWriting(*wait);
  if (!writable.ok()) {
    *rc = StatusError(vtab, who, writable.status());
    return nullptr;
  }
  std::shared_ptr<Db> graph = std::move(*writable);
  // Like SQLite's SQLITE_BUSY_SNAPSHOT: a transaction that read an older
  // state of the graph cannot write on top of a newer one.
  if (pin_ && pin_->sequence() != graph->LatestSequence()) {
    shared_->EndWriting();
    SetError(vtab,
             "%.*s: graph '%s' has changed since this transaction first read it; roll back "
             "and try again",
             n, who.data(), path().c_str());
    *rc = SQLITE_BUSY;
    return nullptr;
  }
  Result<std::unique_ptr<Transaction>> begun = Status::Busy("not begun");
  Status waited = wait->WhileBusy([&] {
    begun = graph->BeginTransaction("sqlite");
    if (begun.status().IsLocked() && !graph->PreparedTransactions().empty()) {
      // A transaction undecided since a crash; ours to settle if this
      // database prepared it, and then the graph takes writers again.
      if (Status settled = SettleUndecided(*graph); !settled.ok()) return settled;
      begun = graph->BeginTransaction("sqlite");
    }
    return begun.status();
  });
  if (!begun.ok() || !waited.ok()) shared_->EndWriting();
  if (waited.IsInterrupted()) {
    *rc = StatusError(vtab, who, waited);
    return nullptr;
  }
  if (!begun.ok()) {
    if (begun.status().code() == Status::Code::kBusy) {
      SetError(vtab, "%.*s: graph '%s' is being written by another connection in this process",
               n, who.data(), path().c_str());
      *rc = SQLITE_BUSY;
    } else if (begun.status().IsLocked()) {
      // Undecided, and another database's to settle: say what to do when
      // that database is gone.
      *rc = StatusError(vtab, who,
                        Status::Locked(begun.status().message() +
                                       "; if that database is gone, `samverkan check " + path() +
                                       "` names the transaction and `samverkan settle` decides "
                                       "it"));
    } else {
      *rc = StatusError(vtab, who, begun.status());
    }
    return nullptr;
  }
  // The transaction keeps its Db open, and gives back write access when it
  // goes (whichever of commit, rollback or connection close ends it).
  std::shared_ptr<SharedGraph> shared = shared_;
  txn_ = std::shared_ptr<Transaction>(begun->release(), [graph, shared](Transaction* t) {
    delete t;
    shared->EndWriting();
  });
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
  prepared_xid_ = xid;
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
  pin_.reset();
  const bool prepared = txn->prepared();
  Status committed = txn->Commit();
  if (committed.ok() || !prepared) return committed;
  // SQLite has decided: the graph keeps the prepared writes, and they are
  // applied once more now (a failed write may have been passing), with
  // write access given back and taken again.
  txn.reset();
  ConnectionWait wait(sqlite_, path());
  return RollForward(prepared_xid_, *wait);
}

Status GraphHandle::RollForward(const std::string& xid, WriteAccessWait& wait) {
  auto writable = shared_->BeginWriting(wait);
  if (!writable.ok()) return writable.status();
  Status settled = (*writable)->SettlePrepared(xid, /*commit=*/true);
  shared_->EndWriting();
  if (settled.IsNotFound()) return Status::OK();  // applied meanwhile
  return settled;
}

Status GraphHandle::ApplyDecided() {
  const std::vector<PreparedTransaction> prepared = shared_->Current()->PreparedTransactions();
  if (prepared.empty()) return Status::OK();  // nearly always: no other work per read
  const std::string us = Coordinator(sqlite_, schema_, name_);
  if (us.empty()) return Status::OK();  // in-memory: its commits are never undecided
  std::vector<std::string> ours;
  for (const PreparedTransaction& p : prepared) {
    if (p.coordinator == us) ours.push_back(p.xid);
  }
  for (const std::string& xid : ours) {
    SV_ASSIGN_OR_RETURN(bool committed, WasCommitted(sqlite_, schema_, name_, xid));
    // Not committed: on its way (the graph without it is what SQLite's
    // snapshot shows too), or to be rolled back.
    if (!committed) continue;
    if (AppliedByItsWriter(xid)) continue;
    // Busy while another connection of this process still commits it.
    ConnectionWait wait(sqlite_, path());
    Status applied = wait->WhileBusy([&] { return RollForward(xid, *wait); });
    if (!applied.ok()) {
      return Status::IOError(fmt::format(
          "graph '{}' has not applied transaction '{}', which SQLite committed, and cannot "
          "apply it now ({}); no read answers without it. The next read applies it once the "
          "cause is gone, or run `samverkan settle {} --commit {}`",
          path(), xid, applied.message(), path(), xid));
    }
    SV_RETURN_IF_ERROR(shared_->Refresh());
  }
  return Status::OK();
}

bool GraphHandle::AppliedByItsWriter(const std::string& xid) {
  // Long enough for a busy writer to get a core back; a writer that died
  // between SQLite's commit and its own leaves the record for good.
  constexpr auto kGrace = std::chrono::milliseconds(250);
  if (shared_->writable()) return false;  // no other process can apply it
  const auto deadline = std::chrono::steady_clock::now() + kGrace;
  // Each look catches up with the writer, which opens a new secondary when
  // a statement of this process holds the current one: the pauses double
  // (1, 2, 4, ... ms), so that a slow writer costs a few looks, not hundreds.
  for (auto pause = std::chrono::milliseconds(1); std::chrono::steady_clock::now() < deadline;
       pause *= 2) {
    std::this_thread::sleep_for(pause);
    if (!shared_->Refresh().ok()) return false;
    const std::vector<PreparedTransaction> prepared = shared_->Current()->PreparedTransactions();
    if (std::none_of(prepared.begin(), prepared.end(),
                     [&](const PreparedTransaction& p) { return p.xid == xid; })) {
      return true;
    }
  }
  return false;
}

Status GraphHandle::SettleUndecided(Db& graph) {
  const std::string us = Coordinator(sqlite_, schema_, name_);
  for (const PreparedTransaction& p : graph.PreparedTransactions()) {
    bool commit = false;
    if (!p.coordinator.empty()) {
      if (p.coordinator != us) continue;  // another database's to decide
      SV_ASSIGN_OR_RETURN(commit, WasCommitted(sqlite_, schema_, name_, p.xid));
    }
    // Else an in-memory database prepared it: its decision died with it.
    Status s = graph.SettlePrepared(p.xid, commit);
    if (!s.ok() && !s.IsNotFound()) return s;  // NotFound: settled meanwhile
  }
  return Status::OK();
}

Status GraphHandle::SettleUndecidedIfWritable() {
  if (read_only() || !shared_->writable()) return Status::OK();
  std::shared_ptr<Db> graph = shared_->Current();
  if (graph->PreparedTransactions().empty()) return Status::OK();
  ConnectionWait wait(sqlite_, path());
  auto writable = shared_->BeginWriting(*wait);
  if (!writable.ok()) return Status::OK();  // the next writer settles
  Status settled = SettleUndecided(**writable);
  shared_->EndWriting();
  return settled;
}

void GraphHandle::Rollback() {
  pin_.reset();
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
  auto shared = SharedGraph::Acquire(options.path, create, /*prefer_reading=*/options.read_only);
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
  WriteAccess access = options.read_only ? WriteAccess::kReadOnlyOption : WriteAccess::kAllowed;
  auto handle = std::make_shared<GraphHandle>(db_, std::string(schema), std::string(name),
                                              std::move(*shared), access);
  // A transaction this database prepared before a crash is settled before
  // anything reads the graph: readers must not see the graph without
  // writes that SQLite committed.
  if (Status settled = handle->SettleUndecidedIfWritable(); !settled.ok()) return settled;
  declared->handle = handle;
  declared->kept = handle;
  return handle;
}

void Connection::Forget(std::string_view schema, std::string_view name) {
  if (Declared* declared = FindDeclared(std::string(schema), std::string(name))) {
    declared->kept.reset();
  }
}

void Connection::Rename(std::string_view schema, std::string_view name,
                        std::string_view new_name) {
  auto it = graphs_.find({Lowercase(schema), Lowercase(name)});
  if (it == graphs_.end()) return;
  Declared moved = std::move(it->second);
  graphs_.erase(it);
  if (auto handle = moved.handle.lock()) handle->Rename(std::string(new_name));
  graphs_[{Lowercase(schema), Lowercase(new_name)}] = std::move(moved);
}

bool Connection::HasPendingWrites(std::string_view schema, std::string_view name) {
  Declared* declared = FindDeclared(std::string(schema), std::string(name));
  if (declared == nullptr) return false;
  auto handle = declared->handle.lock();
  return handle && handle->HasPendingWrites();
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
