// cypher_sql.h: what kg_cypher() and the samverkan_cypher tables share:
// running a Cypher query for SQL, in the connection's transaction, and
// turning its values into SQL values.
//
// Writes. A query that writes goes through the connection's engine
// transaction on the graph (GraphHandle::Writer), the same one INSERT INTO
// kg_nodes uses, so BEGIN ... COMMIT/ROLLBACK and savepoints cover both.
// SQLite only tells a virtual table about a transaction (xBegin, xSync,
// xCommit, xRollback, xSavepoint) when a statement writes to it, and a
// SELECT FROM kg_cypher(...) writes to no table; so the run also executes
// `DELETE FROM "kg" WHERE rowid = 0`, which deletes nothing but enlists the
// graph's table in SQLite's transaction (and, reading the table, makes it
// open the graph, without which it would ignore the transaction's end). Inside BEGIN it does so before writing (so
// that a SAVEPOINT taken earlier is set before the writes); in autocommit
// mode after writing, and that statement's end commits the writes.
// A query that fails part-way leaves nothing of itself behind: it runs
// inside a savepoint of the engine transaction.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "graph_registry.h"
#include "samverkan/cypher.h"
#include "vtab_base.h"

namespace samverkan::sql {

// One run of a query, and what must live as long as its cursor.
struct CypherRun {
  std::unique_ptr<Interrupt> interrupt;  // sqlite3_interrupt, polled by the query
  ReadView read;                         // keeps the view the query reads alive
  std::unique_ptr<cypher::Cursor> cursor;
  bool eof = true;
  int64_t rowid = 0;
  // A query that writes has its rows rendered as JSON before it commits
  // (a committed transaction can no longer be read through).
  bool rendered = false;
  std::vector<std::string> rows_json;
};

// Runs `query` on `graph` (`graph_name` is the name the caller gave, unused:
// the handle names its table) for table or function `who`, and moves to
// the first row. On
// failure returns null with the SQLite code in *rc and the message on `vtab`.
// `options` come from ConnectionRunOptions or ParseCypherOptions; the run
// sets their interrupt.
std::unique_ptr<CypherRun> StartCypher(sqlite3* db, sqlite3_vtab* vtab, const char* who,
                                       std::string_view graph_name,
                                       const std::shared_ptr<GraphHandle>& graph,
                                       std::shared_ptr<const cypher::PreparedQuery> query,
                                       const cypher::Parameters& params,
                                       cypher::RunOptions options, int* rc);

// Moves to the next row; SQLITE_OK or an error set on `vtab`.
int NextCypherRow(sqlite3_vtab* vtab, const char* who, CypherRun* run);

// The current row as a JSON object (kg_cypher's `row` column).
int ResultCypherRowJson(sqlite3_vtab* vtab, const char* who, sqlite3_context* ctx,
                        CypherRun* run);

// A value as SQL: NULL, integers (booleans as 0 and 1), floats and text as
// themselves; lists, maps, nodes, relationships and paths as JSON text.
int ResultCypherValue(sqlite3_vtab* vtab, const char* who, sqlite3_context* ctx, CypherRun* run,
                      const cypher::Value& v);

// A SQL argument as a Cypher value (NULL, INTEGER, FLOAT, TEXT; a BLOB is
// an error).
Result<cypher::Value> CypherValueOf(sqlite3_value* v);

// The options of a Cypher query run from SQL, from the connection's
// settings: the memory limit set with kg_set('cypher_memory_limit', n).
cypher::RunOptions ConnectionRunOptions(Connection& conn);

// kg_cypher's options over ConnectionRunOptions: '{"adjacency": "csr"}'
// ("auto", "csr" or "stored"), '{"memory_limit": 104857600}' (bytes, a
// positive integer). InvalidArgument for anything else, naming the option
// (samverkan/options.h).
Result<cypher::RunOptions> ParseCypherOptions(std::string_view json, Connection& conn);

}  // namespace samverkan::sql
