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

// The suffix of the commit log's name, one of the graph table's siblings
// (graph_table.h).
inline constexpr const char* kCommitLogSuffix = "_commits";

// "kg" -> "kg_commits".
std::string CommitLogTable(std::string_view graph);

// Who decides the graph transactions of graph table `graph` in `schema`:
// text naming the database file and table, the coordinator recorded with a
// prepared transaction. Empty for in-memory and temporary databases, whose
// decisions die with the process (their undecided transactions roll back).
std::string Coordinator(sqlite3* db, std::string_view schema, std::string_view graph);

// A fresh transaction id: 128 random bits in hex.
std::string NewTransactionId();

// Creates the commit log of `graph` in `schema`, holding `latest` unless
// that is empty: CREATE VIRTUAL TABLE does, once it has checked that the
// name is free, with the latest commit the graph holds of this table
// (adopting a graph this table wrote before a DROP TABLE), so that the two
// agree (see RecordedCommit).
Status CreateCommitLog(sqlite3* db, std::string_view schema, std::string_view graph,
                       std::string_view latest);

// Records `xid` as the transaction to commit, replacing the earlier record,
// creating the table if needed. Runs inside the caller's SQLite transaction.
// The record is the decision, so nothing in the user's schema may change
// it: a table of that name that is not the commit log, or a trigger on the
// log, is an error (nothing written), and the record is read back.
Status RecordCommit(sqlite3* db, std::string_view schema, std::string_view graph,
                    std::string_view xid);

// The xid in the commit log as this connection's transaction sees it
// (empty when there is none): the latest graph commit of this table that
// SQLite's snapshot contains. Isolation compares it with the graph's
// (Snapshot::CommitsOf): a graph showing a later one would show the graph's
// half of a transaction whose SQLite half the snapshot misses.
Result<std::string> RecordedCommit(sqlite3* db, std::string_view schema, std::string_view graph);

// The xid in the commit log as the database file holds it now, whatever
// transaction this connection is in (empty when there is none).
Result<std::string> LatestCommit(sqlite3* db, std::string_view schema, std::string_view graph);

// Whether SQLite committed the transaction `xid`: its record is there.
Result<bool> WasCommitted(sqlite3* db, std::string_view schema, std::string_view graph,
                          std::string_view xid);

// The SQL that SQLite keeps in sqlite_schema for the commit log of `graph`:
// DROP TABLE of the graph table drops a table of that name only when its
// SQL is this (else it is the user's).
std::string CommitLogSql(std::string_view graph);

}  // namespace samverkan::sql
