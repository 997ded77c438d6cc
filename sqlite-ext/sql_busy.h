// sql_busy.h: waiting for a graph's writer as SQLite waits for a lock.
//
// One connection at a time writes a graph. When another holds it, a
// connection waits up to its busy timeout (PRAGMA busy_timeout,
// sqlite3_busy_timeout(); Python's sqlite3 sets 5 s by default), before it
// reports SQLITE_BUSY, exactly as SQLite does for its own database files.
// How it waits is the engine's (WriteAccessWait, write_handoff.h); this
// gives it the connection's timeout and sqlite3_interrupt().
#pragma once

#include <string>

#include "samverkan/interrupt.h"
#include "samverkan/write_handoff.h"
#include "vtab_base.h"

namespace samverkan::sql {

// The connection's busy timeout in milliseconds (0: do not wait).
int BusyTimeoutMs(sqlite3* db);

// The wait of one statement on connection `db` for the graph at `path`:
// one deadline, the busy timeout from now, for all its steps.
//
//   ConnectionWait wait(db, path);
//   SV_ASSIGN_OR_RETURN(auto writable, shared->BeginWriting(*wait));
class ConnectionWait {
 public:
  ConnectionWait(sqlite3* db, const std::string& path);
  ConnectionWait(const ConnectionWait&) = delete;
  ConnectionWait& operator=(const ConnectionWait&) = delete;

  WriteAccessWait& operator*() { return wait_; }
  WriteAccessWait* operator->() { return &wait_; }

 private:
  Interrupt interrupt_;  // before wait_, which refers to it
  WriteAccessWait wait_;
};

}  // namespace samverkan::sql
