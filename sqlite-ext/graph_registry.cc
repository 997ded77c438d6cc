// graph_registry.cc: process-wide graph sharing and per-connection
// transaction state. See graph_registry.h.
#include "graph_registry.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

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

Result<std::shared_ptr<SharedGraph>> OpenLocked(const std::string& path, bool read_only) {
  Options options;
  options.read_only = read_only;
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
Result<std::shared_ptr<SharedGraph>> AcquireForWriting(const std::string& path) {
  std::lock_guard lock(registry_mutex);
  if (auto graph = LookupLocked(path)) return graph;
  auto opened = OpenLocked(path, /*read_only=*/false);
  if (opened.ok() || !opened.status().IsLocked()) return opened;
  if (auto graph = LookupLocked(SecondaryKey(path))) {
    graph->locked_by_other = true;
    return graph;
  }
  auto secondary = OpenLocked(path, /*read_only=*/true);
  if (secondary.ok()) (*secondary)->locked_by_other = true;
  return secondary;
}

// readonly=1: any open of the path will do; a new one is a secondary, so
// that it never takes the write lock from another process.
Result<std::shared_ptr<SharedGraph>> AcquireForReading(const std::string& path) {
  std::lock_guard lock(registry_mutex);
  if (auto graph = LookupLocked(path)) return graph;
  if (auto graph = LookupLocked(SecondaryKey(path))) return graph;
  if (!fs::exists(path)) {
    // A secondary cannot create a graph; create it with a short write open.
    auto created = OpenLocked(path, /*read_only=*/false);
    if (!created.ok()) return created.status();
    registry.erase(path);
  }
  return OpenLocked(path, /*read_only=*/true);
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

GraphHandle::GraphHandle(std::string name, std::shared_ptr<SharedGraph> shared,
                         WriteAccess access)
    : name_(std::move(name)), shared_(std::move(shared)), access_(access) {}

GraphHandle::~GraphHandle() { Rollback(); }

Status GraphHandle::StartStatement() {
  if (txn_ || !shared_->db->read_only()) return Status::OK();
  return shared_->db->Refresh();
}

ReadView GraphHandle::View() const {
  if (txn_) return ReadView{txn_.get(), txn_};
  return ReadView{shared_->db.get(), shared_};
}

Transaction* GraphHandle::Writer(sqlite3_vtab* vtab, std::string_view who, int* rc) {
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
  auto begun = shared_->db->BeginTransaction("sqlite");
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

Status GraphHandle::Commit() {
  if (!txn_) return Status::OK();
  std::shared_ptr<Transaction> txn = std::move(txn_);
  levels_.clear();
  return txn->Commit();
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

std::string Connection::BaseDirectory() const {
  const char* file = sqlite3_db_filename(db_, "main");
  if (file == nullptr || file[0] == '\0') return fs::current_path().string();
  return fs::path(file).parent_path().string();
}

Result<std::shared_ptr<GraphHandle>> Connection::Attach(std::string_view name,
                                                        const GraphOptions& options) {
  std::string key = Lowercase(name);
  if (auto it = graphs_.find(key); it != graphs_.end()) {
    if (auto handle = it->second.lock()) return handle;
  }
  std::error_code ec;
  fs::path resolved = fs::path(options.path);
  if (resolved.is_relative()) resolved = fs::path(BaseDirectory()) / resolved;
  fs::path canonical = fs::weakly_canonical(resolved, ec);
  if (ec) canonical = resolved.lexically_normal();
  std::string path = canonical.string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();

  auto shared = options.read_only ? AcquireForReading(path) : AcquireForWriting(path);
  if (!shared.ok()) return shared.status();
  WriteAccess access = options.read_only              ? WriteAccess::kReadOnlyOption
                       : (*shared)->locked_by_other ? WriteAccess::kLockedByOtherProcess
                                                      : WriteAccess::kAllowed;
  auto handle = std::make_shared<GraphHandle>(std::string(name), std::move(*shared), access);
  graphs_[key] = handle;
  return handle;
}

std::shared_ptr<GraphHandle> Connection::Find(std::string_view name) {
  std::string key = Lowercase(name);
  auto lookup = [&]() -> std::shared_ptr<GraphHandle> {
    auto it = graphs_.find(key);
    return it == graphs_.end() ? nullptr : it->second.lock();
  };
  if (auto handle = lookup()) return handle;
  // Preparing a statement that names the table makes SQLite connect it
  // (xConnect), which attaches the graph; SQLite then keeps the table
  // connected, so this happens once per connection.
  std::string sql = "SELECT 1 FROM " + QuoteIdentifier(name) + " LIMIT 0";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_finalize(stmt);
  }
  return lookup();
}

void Connection::Release(void* connection) {
  auto* self = static_cast<Connection*>(connection);
  if (--self->refs_ == 0) delete self;
}

}  // namespace samverkan::sql
