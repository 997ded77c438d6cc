// sql_interrupt.cc: see sql_interrupt.h.
//
// SQLite 3.41 has sqlite3_is_interrupted(); Debian 12 ships 3.40, whose only
// public window on the interrupt flag is the parser: while a statement runs
// on the connection the flag is not cleared, and sqlite3_prepare_v2() of a
// statement containing whitespace fails with SQLITE_INTERRUPT once it is set.
// A prepare costs about a microsecond; Interrupt asks every few milliseconds.
#include "sql_interrupt.h"

namespace samverkan::sql {

Interrupt::Predicate InterruptPredicate(sqlite3* db) {
  return [db] {
    sqlite3_stmt* probe = nullptr;
    int rc = sqlite3_prepare_v2(db, "SELECT 1", -1, &probe, nullptr);
    sqlite3_finalize(probe);
    return rc == SQLITE_INTERRUPT;
  };
}

}  // namespace samverkan::sql
