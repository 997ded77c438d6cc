// sql_busy.h: waiting for a graph's writer as SQLite waits for a lock.
//
// One connection at a time writes a graph. When another holds it, a
// connection waits up to its busy timeout (PRAGMA busy_timeout,
// sqlite3_busy_timeout(); Python's sqlite3 sets 5 s by default), trying
// again with growing pauses, before it reports SQLITE_BUSY, exactly as
// SQLite does for its own database files.
#pragma once

#include <functional>

#include "samverkan/status.h"
#include "vtab_base.h"

namespace samverkan::sql {

// The connection's busy timeout in milliseconds (0: do not wait).
int BusyTimeoutMs(sqlite3* db);

// Calls `attempt` until it returns anything but Busy, the busy timeout of
// `db` has passed (the last Busy is returned) or the statement is
// interrupted (Interrupted).
Status RetryWhileBusy(sqlite3* db, const std::function<Status()>& attempt);

}  // namespace samverkan::sql
