// sql_busy.cc: see sql_busy.h.
#include "sql_busy.h"

#include <algorithm>
#include <chrono>

#include "sql_interrupt.h"

namespace samverkan::sql {

int BusyTimeoutMs(sqlite3* db) {
  // SQLite has no getter for the timeout; the pragma reads it.
  sqlite3_stmt* stmt = nullptr;
  int ms = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA busy_timeout", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    ms = sqlite3_column_int(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return std::max(ms, 0);
}

ConnectionWait::ConnectionWait(sqlite3* db, const std::string& path)
    : interrupt_(InterruptPredicate(db)),
      wait_(path, std::chrono::milliseconds(BusyTimeoutMs(db)), interrupt_) {}

}  // namespace samverkan::sql
