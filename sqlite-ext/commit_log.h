// commit_log.h: how a graph commits together with SQLite (two-phase commit).
//
// A SQL transaction that writes a graph and plain tables is one transaction:
// both or neither, through a crash at any instant. SQLite drives the commit
// through the virtual table callbacks, and the graph's engine transaction
// follows (see docs/architecture.md, "One transaction with SQLite"):
//
//   xSync     the graph transaction gets an id (xid), which is written into
//             the table <graph>_commits of the graph table's schema, through
//             this connection and so inside SQLite's transaction; then the
//             graph prepares (Transaction::Prepare): durable, undecided.
//             Either step may fail, and then SQLite rolls everything back.
//   SQLite    commits (the decision), or fails and rolls back.
//   xCommit   the graph commits the prepared writes; xRollback discards them.
//
// A process that dies between the prepare and xCommit/xRollback leaves the
// graph with an undecided transaction. The next connection of this database
// to use the graph settles it: committed if its xid is in <graph>_commits
// (SQLite committed), rolled back otherwise. <graph>_commits holds only the
// latest xid: every earlier one has been settled by the time a new
// transaction can begin.
#pragma once

#include <string>
#include <string_view>

#include "samverkan/result.h"
#include "vtab_base.h"

namespace samverkan::sql {

// "kg" -> "kg_commits".
std::string CommitLogTable(std::string_view graph);

// Who decides the graph transactions of graph table `graph` in `schema`:
// text naming the database file and table, the coordinator recorded with a
// prepared transaction. Empty for in-memory and temporary databases, whose
// decisions die with the process (their undecided transactions roll back).
std::string Coordinator(sqlite3* db, std::string_view schema, std::string_view graph);

// A fresh transaction id: 128 random bits in hex.
std::string NewTransactionId();

// Records `xid` as the transaction to commit, replacing the earlier record,
// creating the table if needed. Runs inside the caller's SQLite transaction.
Status RecordCommit(sqlite3* db, std::string_view schema, std::string_view graph,
                    std::string_view xid);

// Whether SQLite committed the transaction `xid`: its record is there.
Result<bool> WasCommitted(sqlite3* db, std::string_view schema, std::string_view graph,
                          std::string_view xid);

// The SQL that SQLite keeps in sqlite_schema for the commit log of `graph`:
// DROP TABLE of the graph table drops a table of that name only when its
// SQL is this (else it is the user's).
std::string CommitLogSql(std::string_view graph);

}  // namespace samverkan::sql
