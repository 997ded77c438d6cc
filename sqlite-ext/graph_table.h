// graph_table.h: what the three table modules of a graph share.
//
// `samverkan` (kg), `samverkan_nodes` (kg_nodes) and `samverkan_edges`
// (kg_edges) all take the same arguments, parse them here, declare the same
// graph to the Connection, share one GraphHandle once a statement uses the
// graph, and forward SQLite's transaction callbacks (xBegin ... xRollbackTo)
// to it. The handle does the work once per graph however many of its tables
// take part in a transaction.
//
// Connecting a table opens no graph (see Connection): the graph is opened by
// the first callback that reads or writes it, through TableGraph().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "commit_log.h"
#include "graph_registry.h"
#include "vtab_base.h"

namespace samverkan::sql {

// The tables CREATE VIRTUAL TABLE kg USING samverkan(...) makes beside kg,
// each named kg<suffix>: the one list of them. CREATE refuses a graph name
// any of whose sibling names is taken by anything else (a table, view,
// index or trigger of the user's is never adopted, written or dropped);
// ALTER TABLE kg RENAME moves them; DROP TABLE kg drops them.
struct SiblingTable {
  const char* suffix;  // "_nodes"
  const char* module;  // "samverkan_nodes"; null for the commit log, a plain table
};
inline constexpr SiblingTable kSiblingTables[] = {
    {"_nodes", "samverkan_nodes"},
    {"_edges", "samverkan_edges"},
    {kCommitLogSuffix, nullptr},  // commit_log.h
};

// The common part of the three table modules' sqlite3_vtab.
struct GraphTable {
  sqlite3_vtab base;                    // Base class - must be first
  Connection* conn = nullptr;           // this connection's state (pAux)
  std::string schema;                   // "main", "temp", or an attached database
  std::string graph_name;               // the samverkan table, e.g. "kg"
  std::string table_name;               // e.g. "kg_nodes", for error messages
  std::vector<std::string> args;        // as written in CREATE VIRTUAL TABLE
  std::shared_ptr<GraphHandle> graph;   // once opened; shared with sibling tables
};

// The arguments of CREATE VIRTUAL TABLE ... USING <module>(...).
struct TableArgs {
  std::string graph;  // graph= (samverkan_nodes/_edges), else the table name
  GraphOptions options;
  std::vector<std::string> raw;  // the arguments as written, to pass on
};

// Parses argv[3..]. `module` names the module in errors:
//   samverkan: missing required argument 'path'
//   samverkan: unknown argument 'colour'
// Returns SQLITE_OK or SQLITE_ERROR with *err set (sqlite3_mprintf'd).
int ParseTableArgs(const char* module, int argc, const char* const* argv, bool needs_graph,
                   TableArgs* args, char** err);

// Fills in `table` for a table being created or connected and declares its
// graph to the connection. On failure sets *err to "<module>: <why>".
int DeclareGraph(const char* module, Connection* conn, const char* schema, const char* table_name,
                 const TableArgs& args, GraphTable* table, char** err);

// The table's graph, opened at its first use. On failure sets the table's
// error message and returns null with *rc set.
GraphHandle* TableGraph(GraphTable* table, int* rc);

// xConnect of kg_nodes and kg_edges: parses the arguments, declares
// `schema`, marks the table DIRECTONLY (it opens a graph directory named in
// the schema; see vtab_graph.cc) and declares the graph.
int ConnectGraphTable(const char* module, const char* schema, sqlite3* db, void* aux, int argc,
                      const char* const* argv, sqlite3_vtab** out, char** err);

// Opens the table's graph at its first use and starts a statement on it
// (GraphHandle::StartStatement), so that what the statement reads and
// writes is one view. SQLITE_OK, or an error set on `vtab`.
int StartTableStatement(sqlite3_vtab* vtab);

// xOpen of kg_nodes and kg_edges: a new `Cursor` once the statement started.
template <typename Cursor>
int GraphTableOpen(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return Guard(vtab, [&] {
    const int rc = StartTableStatement(vtab);
    if (rc == SQLITE_OK) *out = &(new Cursor)->base;
    return rc;
  });
}

// The start every xUpdate of kg_nodes and kg_edges shares: the table's
// graph and this connection's writing transaction (*txn), and for an INSERT
// or UPDATE the rowid rules: the graph assigns a `what`'s id (node, edge),
// and an UPDATE cannot change it. SQLITE_OK, or an error set on `vtab`.
int BeginTableUpdate(sqlite3_vtab* vtab, int argc, sqlite3_value** argv, const char* what,
                     Transaction** txn);

// SQLITE_OK, or SQLITE_LOCKED ("database table is locked") when this
// connection's transaction has written the graph of table `t`: dropping
// one of its tables then would lose the graph's writes while SQLite
// commits the rest (SQLite passes no message of xDestroy on, so its own
// text for a table in use is what the user reads).
int RefuseDropWhileWriting(GraphTable* t, const char* module);

// xDestroy of kg_nodes and kg_edges: DROP TABLE kg_nodes drops the table
// (its xDisconnect) and keeps the graph, unless RefuseDropWhileWriting.
template <int (*Disconnect)(sqlite3_vtab*)>
int GraphTableDestroy(sqlite3_vtab* vtab) {
  int rc = RefuseDropWhileWriting(reinterpret_cast<GraphTable*>(vtab), "samverkan");
  return rc == SQLITE_OK ? Disconnect(vtab) : rc;
}

// xRename of kg_nodes and kg_edges: refused, as the graph table finds its
// siblings by name; ALTER TABLE kg RENAME renames all of them.
int GraphTableRenameSibling(sqlite3_vtab* vtab, const char* new_name);

// The transaction callbacks, identical for the three modules.
int GraphTableBegin(sqlite3_vtab* vtab);
int GraphTableSync(sqlite3_vtab* vtab);
int GraphTableCommit(sqlite3_vtab* vtab);
int GraphTableRollback(sqlite3_vtab* vtab);
int GraphTableSavepoint(sqlite3_vtab* vtab, int level);
int GraphTableRelease(sqlite3_vtab* vtab, int level);
int GraphTableRollbackTo(sqlite3_vtab* vtab, int level);

}  // namespace samverkan::sql
