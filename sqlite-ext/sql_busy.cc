// sql_busy.cc: see sql_busy.h.
#include "sql_busy.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "samverkan/interrupt.h"
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

Status RetryWhileBusy(sqlite3* db, const std::function<Status()>& attempt) {
  using Clock = std::chrono::steady_clock;
  Status s = attempt();
  if (s.code() != Status::Code::kBusy) return s;
  const auto deadline = Clock::now() + std::chrono::milliseconds(BusyTimeoutMs(db));
  auto interrupted = InterruptPredicate(db);
  // SQLite's own busy handler pauses 1, 2, 5, 10, ... up to 100 ms; a graph
  // writer's transactions are as short, so the same shape serves.
  auto pause = std::chrono::milliseconds(1);
  while (s.code() == Status::Code::kBusy) {
    const auto now = Clock::now();
    if (now >= deadline) return s;
    if (interrupted()) return Interrupt::Stopped();
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
    s = attempt();
  }
  return s;
}

}  // namespace samverkan::sql
