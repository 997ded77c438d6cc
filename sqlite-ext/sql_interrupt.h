// sql_interrupt.h: sqlite3_interrupt() as an engine Interrupt.
//
// Long table-valued functions and kg_import/kg_export poll the connection so
// that Ctrl-C in the shell, or conn.interrupt() in Python, stops them within
// a few milliseconds:
//
//   Interrupt interrupt(InterruptPredicate(db));
//   SV_ASSIGN_OR_RETURN(auto rank, PageRank(*csr, options, interrupt));
#pragma once

#include "samverkan/interrupt.h"
#include "vtab_base.h"

namespace samverkan::sql {

// True once sqlite3_interrupt(db) has been called for the running statement.
// Call only from the thread running the statement (Interrupt does).
Interrupt::Predicate InterruptPredicate(sqlite3* db);

}  // namespace samverkan::sql
