#include "commit_log.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "sql_busy.h"

namespace samverkan::sql {
namespace {

std::string QualifiedLog(std::string_view schema, std::string_view graph) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(CommitLogTable(graph));
}

// The table as we create it; SQLite keeps it without IF NOT EXISTS.
std::string CreateSql(std::string_view graph, bool if_not_exists) {
  return fmt::format("CREATE TABLE {}{}(xid TEXT PRIMARY KEY) WITHOUT ROWID",
                     if_not_exists ? "IF NOT EXISTS " : "", QuoteIdentifier(CommitLogTable(graph)));
}

Status Exec(sqlite3* db, const std::string& sql, std::string_view xid = {}) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc == SQLITE_OK && !xid.empty()) {
    sqlite3_bind_text(stmt, 1, xid.data(), static_cast<int>(xid.size()), SQLITE_TRANSIENT);
  }
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::OK();
  std::string message = fmt::format("cannot record the graph's commit in SQLite: {}",
                                    sqlite3_errmsg(db));
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Busy(message);
  if (rc == SQLITE_READONLY) return Status::ReadOnly(message);
  return Status::IOError(message);
}

}  // namespace

std::string CommitLogTable(std::string_view graph) { return std::string(graph) + "_commits"; }

std::string Coordinator(sqlite3* db, std::string_view schema, std::string_view graph) {
  const char* file = sqlite3_db_filename(db, std::string(schema).c_str());
  if (file == nullptr || file[0] == '\0') return "";
  std::string lower(graph);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return fmt::format("SQLite database '{}', graph table '{}'", file, lower);
}

std::string NewTransactionId() {
  std::random_device random;
  std::uniform_int_distribution<uint64_t> bits;
  return fmt::format("{:016x}{:016x}", bits(random), bits(random));
}

Status RecordCommit(sqlite3* db, std::string_view schema, std::string_view graph,
                    std::string_view xid) {
  std::string create = CreateSql(graph, /*if_not_exists=*/true);
  create.insert(std::string_view("CREATE TABLE IF NOT EXISTS ").size(),
                QuoteIdentifier(schema) + ".");
  SV_RETURN_IF_ERROR(Exec(db, create));
  SV_RETURN_IF_ERROR(Exec(db, "DELETE FROM " + QualifiedLog(schema, graph)));
  return Exec(db, "INSERT INTO " + QualifiedLog(schema, graph) + "(xid) VALUES (?1)", xid);
}

Result<bool> WasCommitted(sqlite3* db, std::string_view schema, std::string_view graph,
                          std::string_view xid) {
  // Asked through a connection of its own: this one may be inside a read
  // transaction older than the commit it asks about (WAL mode), and would
  // not see it. A fresh connection sees every commit, and rolls back the hot
  // journal of one that a crash cut short (rollback-journal mode).
  const char* file = sqlite3_db_filename(db, std::string(schema).c_str());
  if (file == nullptr || file[0] == '\0') return false;
  sqlite3* fresh = nullptr;
  int rc = sqlite3_open_v2(file, &fresh, SQLITE_OPEN_READWRITE, nullptr);
  auto fail = [&](std::string_view what) -> Status {
    std::string message = fmt::format("cannot read the graph's commit log in '{}': {}: {}",
                                      file, what, fresh ? sqlite3_errmsg(fresh) : "out of memory");
    sqlite3_close(fresh);
    return Status::IOError(message);
  };
  if (rc != SQLITE_OK) return fail("open");
  sqlite3_busy_timeout(fresh, std::max(BusyTimeoutMs(db), 1000));
  const std::string sql = "SELECT 1 FROM main." + QuoteIdentifier(CommitLogTable(graph)) +
                          " WHERE xid = ?1";
  sqlite3_stmt* stmt = nullptr;
  rc = sqlite3_prepare_v2(fresh, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    const bool no_log = std::string_view(sqlite3_errmsg(fresh)).find("no such table") !=
                        std::string_view::npos;
    sqlite3_finalize(stmt);
    // No log: SQLite never committed a transaction of this graph.
    if (no_log) {
      sqlite3_close(fresh);
      return false;
    }
    return fail("prepare");
  }
  sqlite3_bind_text(stmt, 1, xid.data(), static_cast<int>(xid.size()), SQLITE_TRANSIENT);
  rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail("read");
  sqlite3_close(fresh);
  return rc == SQLITE_ROW;
}

std::string CommitLogSql(std::string_view graph) {
  return CreateSql(graph, /*if_not_exists=*/false);
}

}  // namespace samverkan::sql
