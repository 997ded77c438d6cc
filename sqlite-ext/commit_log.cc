#include "commit_log.h"

#include <algorithm>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "sql_busy.h"
#include "sql_schema.h"

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

// The rows of the commit log `log` (qualified), as connection `db` sees
// them: those of its open transaction, if any. `*no_log` tells a missing
// table from an empty one.
Status ReadLog(sqlite3* db, const std::string& log, std::vector<std::string>* ids,
               bool* no_log) {
  *no_log = false;
  const std::string sql = "SELECT xid FROM " + log;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    *no_log = std::string_view(sqlite3_errmsg(db)).find("no such table") != std::string_view::npos;
  }
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      ids->emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE || *no_log) return Status::OK();
  std::string message = fmt::format("cannot read the graph's commit log {}: {}", log, error);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Busy(message);
  return Status::IOError(message);
}

// The rows of the commit log as the database file holds them now, read
// through a connection of its own: the connection at hand may be inside a
// read transaction older than the commit in question (WAL mode), and would
// not see it. A fresh connection sees every commit, and rolls back the hot
// journal of one that a crash cut short (rollback-journal mode). Empty for
// in-memory and temporary databases, and when there is no log.
Result<std::vector<std::string>> CommittedIds(sqlite3* db, std::string_view schema,
                                              std::string_view graph) {
  std::vector<std::string> ids;
  const char* file = sqlite3_db_filename(db, std::string(schema).c_str());
  if (file == nullptr || file[0] == '\0') return ids;
  sqlite3* fresh = nullptr;
  int rc = sqlite3_open_v2(file, &fresh, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = fmt::format("cannot read the graph's commit log in '{}': {}", file,
                                      fresh ? sqlite3_errmsg(fresh) : "out of memory");
    sqlite3_close(fresh);
    return Status::IOError(message);
  }
  sqlite3_busy_timeout(fresh, std::max(BusyTimeoutMs(db), 1000));
  bool no_log = false;
  Status read = ReadLog(fresh, "main." + QuoteIdentifier(CommitLogTable(graph)), &ids, &no_log);
  sqlite3_close(fresh);
  if (!read.ok()) return read.WithContext(fmt::format("database '{}'", file));
  return ids;
}

// The commit log must be the table we make, and nothing may fire on it:
// a trigger could keep the record from being written (RAISE(IGNORE)) or
// remove it, and the graph would commit while SQLite's decision says
// "roll back".
Status CheckCommitLog(sqlite3* db, std::string_view schema, std::string_view graph,
                      const SchemaObject& found) {
  const std::string log = CommitLogTable(graph);
  if (found.type != "table" || found.sql != CommitLogSql(graph)) {
    return Status::InvalidArgument(fmt::format(
        "cannot commit graph '{}': {} '{}.{}' is not the graph's commit log (made by: {}); "
        "the graph's commits are recorded in a table of that name, and this one is not ours "
        "to write: rename it",
        graph, found.type, schema, found.name, found.sql.empty() ? "SQLite" : found.sql));
  }
  SV_ASSIGN_OR_RETURN(std::vector<std::string> triggers, TriggersOn(db, schema, log));
  if (!triggers.empty()) {
    return Status::InvalidArgument(fmt::format(
        "cannot commit graph '{}': table '{}.{}' has a trigger ('{}'), which could change "
        "the graph's commit record; drop it (DROP TRIGGER {})",
        graph, schema, log, triggers.front(), QuoteIdentifier(triggers.front())));
  }
  return Status::OK();
}

}  // namespace

std::string CommitLogTable(std::string_view graph) {
  return std::string(graph) + kCommitLogSuffix;
}

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

Status CreateCommitLog(sqlite3* db, std::string_view schema, std::string_view graph,
                       std::string_view latest) {
  std::string create = CreateSql(graph, /*if_not_exists=*/false);
  create.insert(std::string_view("CREATE TABLE ").size(), QuoteIdentifier(schema) + ".");
  SV_RETURN_IF_ERROR(Exec(db, create));
  if (latest.empty()) return Status::OK();
  return Exec(db, "INSERT INTO " + QualifiedLog(schema, graph) + "(xid) VALUES (?1)", latest);
}

Status RecordCommit(sqlite3* db, std::string_view schema, std::string_view graph,
                    std::string_view xid) {
  SV_ASSIGN_OR_RETURN(std::optional<SchemaObject> found,
                      FindSchemaObject(db, schema, CommitLogTable(graph)));
  // A graph table made before CREATE VIRTUAL TABLE made the log has none
  // until its first commit.
  if (!found) {
    SV_RETURN_IF_ERROR(CreateCommitLog(db, schema, graph, ""));
  } else {
    SV_RETURN_IF_ERROR(CheckCommitLog(db, schema, graph, *found));
  }
  SV_RETURN_IF_ERROR(Exec(db, "DELETE FROM " + QualifiedLog(schema, graph)));
  SV_RETURN_IF_ERROR(
      Exec(db, "INSERT INTO " + QualifiedLog(schema, graph) + "(xid) VALUES (?1)", xid));
  // The decision must be exactly this record: read it back.
  std::vector<std::string> ids;
  bool no_log = false;
  SV_RETURN_IF_ERROR(ReadLog(db, QualifiedLog(schema, graph), &ids, &no_log));
  if (ids.size() != 1 || ids.front() != xid) {
    return Status::IOError(fmt::format(
        "cannot commit graph '{}': its commit record in '{}.{}' did not hold ({} rows after "
        "writing it); something in the database schema changed it",
        graph, schema, CommitLogTable(graph), ids.size()));
  }
  return Status::OK();
}

Result<std::string> RecordedCommit(sqlite3* db, std::string_view schema, std::string_view graph) {
  std::vector<std::string> ids;
  bool no_log = false;
  SV_RETURN_IF_ERROR(ReadLog(db, QualifiedLog(schema, graph), &ids, &no_log));
  return ids.empty() ? std::string() : ids.front();
}

Result<std::string> LatestCommit(sqlite3* db, std::string_view schema, std::string_view graph) {
  SV_ASSIGN_OR_RETURN(std::vector<std::string> ids, CommittedIds(db, schema, graph));
  return ids.empty() ? std::string() : ids.front();
}

Result<bool> WasCommitted(sqlite3* db, std::string_view schema, std::string_view graph,
                          std::string_view xid) {
  SV_ASSIGN_OR_RETURN(std::vector<std::string> ids, CommittedIds(db, schema, graph));
  return std::find(ids.begin(), ids.end(), xid) != ids.end();
}

std::string CommitLogSql(std::string_view graph) {
  return CreateSql(graph, /*if_not_exists=*/false);
}

}  // namespace samverkan::sql
