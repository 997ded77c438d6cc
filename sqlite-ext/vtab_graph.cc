// vtab_graph.cc: the `samverkan` module, which opens a graph directory.
//
// USAGE
//
//   CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');
//   CREATE VIRTUAL TABLE old USING samverkan(path='/data/old.kg', readonly=1);
//
// opens the graph in directory `path`, creating it if it does not exist, and
// creates two more tables for it, kg_nodes and kg_edges (vtab_nodes.cc,
// vtab_edges.cc), the way FTS5 creates its shadow tables from xCreate. All
// three are stored in the database schema: reopening the .db file and
// loading the extension brings the graph back. It refuses a name whose
// _nodes or _edges table already exists, and the name of one of the
// extension's functions.
//
// Only CREATE VIRTUAL TABLE creates a graph. When the .db is opened again
// and the directory is gone (moved, deleted, the .db copied elsewhere), using
// the table fails, naming the path it looked for; DROP TABLE kg and CREATE
// VIRTUAL TABLE kg USING samverkan(path='<new place>') point it at the
// graph's new place.
//
// A relative path is resolved against the directory of the database file the
// table is in (the main database, or an attached one), so a .db and its
// graph directory can move together; for an in-memory or temporary
// database, against the process's working directory.
//
// Arguments:
//   path=      required. The graph directory.
//   readonly=1 optional. Never write, and never take the write lock (the
//              graph is opened as a read-only secondary unless this process
//              already has it open).
//
// DROP TABLE kg drops kg_nodes and kg_edges too and closes the graph, but
// never deletes the graph directory.
//
// SCHEMA
//
//   CREATE TABLE x(path TEXT, read_only INTEGER, nodes INTEGER, edges INTEGER,
//                  kg HIDDEN)
//
// SELECT * FROM kg returns one row describing the graph. The hidden column
// named like the table takes maintenance commands, as in FTS5:
//
//   INSERT INTO kg(kg) VALUES('integrity-check');  -- fails listing problems
//   INSERT INTO kg(kg) VALUES('compact');          -- reclaim space
//   INSERT INTO kg(kg) VALUES('refresh');          -- read-only: catch up
#include <nlohmann/json.hpp>

#include <cctype>
#include <optional>

#include "commit_log.h"
#include "graph_table.h"
#include "modules.h"

namespace samverkan::sql {
namespace {

#define GRAPH_COL_PATH 0
#define GRAPH_COL_READ_ONLY 1
#define GRAPH_COL_NODES 2
#define GRAPH_COL_EDGES 3
#define GRAPH_COL_COMMAND 4

constexpr const char* kModule = "samverkan";

struct GraphCursor {
  sqlite3_vtab_cursor base;  // Base class - must be first
  bool eof = true;           // the single row has been returned
  GraphCounts counts;        // read at xFilter
};

GraphTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<GraphTable*>(vtab); }

// The SQL that created `name` in `schema`, or nullopt when there is no such
// object (table, view, index or trigger).
std::optional<std::string> SchemaSql(sqlite3* db, const std::string& schema,
                                     const std::string& name) {
  std::string sql = "SELECT coalesce(sql, '') FROM " + QuoteIdentifier(schema) +
                    ".sqlite_schema WHERE lower(name) = lower(?1)";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return std::nullopt;
  sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  std::optional<std::string> found;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    found = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return found;
}

// True when `sql` created the `samverkan_<suffix>` table of graph `graph`.
bool IsSiblingOf(const std::string& sql, const std::string& suffix, const std::string& graph) {
  std::string lower = sql;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("using samverkan_" + suffix + "(") != std::string::npos &&
         lower.find("graph=" + QuoteIdentifier(graph)) != std::string::npos;
}

// CREATE VIRTUAL TABLE "<db>"."<name>_<suffix>" USING samverkan_<suffix>(graph=..., ...)
int CreateSibling(sqlite3* db, const char* schema, const char* name, const char* suffix,
                  const TableArgs& args, char** err) {
  std::string sql = "CREATE VIRTUAL TABLE " + QuoteIdentifier(schema) + "." +
                    QuoteIdentifier(std::string(name) + "_" + suffix) + " USING samverkan_" +
                    suffix + "(graph=" + QuoteIdentifier(name);
  for (const auto& raw : args.raw) sql += ", " + raw;
  sql += ")";
  char* inner = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &inner);
  if (rc != SQLITE_OK) {
    *err = FormatError("%s: cannot create %s_%s: %s", kModule, name, suffix,
                           inner ? inner : sqlite3_errstr(rc));
  }
  sqlite3_free(inner);
  return rc;
}

// Names a graph table may not have: those of the extension's functions,
// which a table of that name would hide (SELECT * FROM kg_pagerank('x')
// would read the table), and names whose _nodes/_edges tables exist.
int CheckNewGraphName(sqlite3* db, const char* schema, const std::string& name, char** err) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (IsFunctionName(lower)) {
    *err = FormatError("%s: cannot name a graph '%s': the extension has a function of that "
                           "name, which the table would hide", kModule, name.c_str());
    return SQLITE_ERROR;
  }
  for (const char* suffix : {"_nodes", "_edges"}) {
    if (SchemaSql(db, schema, name + suffix)) {
      *err = FormatError("%s: cannot create graph '%s': '%s%s' already exists in %s, and "
                             "the graph's own table of that name would replace it",
                             kModule, name.c_str(), name.c_str(), suffix, schema);
      return SQLITE_ERROR;
    }
  }
  return SQLITE_OK;
}

int Construct(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
              char** err, bool create) {
  try {
    TableArgs args;
    int rc = ParseTableArgs(kModule, argc, argv, /*needs_graph=*/false, &args, err);
    if (rc != SQLITE_OK) return rc;
    if (create) {
      rc = CheckNewGraphName(db, argv[1], argv[2], err);
      if (rc != SQLITE_OK) return rc;
    }
    std::string schema = "CREATE TABLE x(path TEXT, read_only INTEGER, nodes INTEGER, "
                         "edges INTEGER, " + QuoteIdentifier(argv[2]) + " HIDDEN)";
    rc = sqlite3_declare_vtab(db, schema.c_str());
    if (rc != SQLITE_OK) return rc;
    // The table opens (and creates) a directory named in the schema: an
    // attacker who controls a database schema could otherwise make a
    // trigger or view write graphs anywhere the user can.
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);

    auto table = std::make_unique<GraphTable>();
    auto* conn = static_cast<Connection*>(aux);
    rc = DeclareGraph(kModule, conn, argv[1], argv[2], args, table.get(), err);
    if (rc != SQLITE_OK) return rc;
    if (create) {
      // CREATE VIRTUAL TABLE is the one statement that makes a graph (or
      // adopts the one already at `path`); connecting later never does.
      auto opened = conn->Open(argv[1], argv[2], /*create=*/true);
      if (!opened.ok()) {
        *err = FormatError("%s: %s", kModule, opened.status().message().c_str());
        return SqliteCode(opened.status()) == SQLITE_READONLY ? SQLITE_ERROR
                                                              : SqliteCode(opened.status());
      }
      table->graph = std::move(*opened);
      rc = CreateSibling(db, argv[1], argv[2], "nodes", args, err);
      if (rc == SQLITE_OK) rc = CreateSibling(db, argv[1], argv[2], "edges", args, err);
      if (rc != SQLITE_OK) return rc;
    }
    *out = &table.release()->base;
    return SQLITE_OK;
  } catch (const std::exception& e) {
    *err = FormatError("%s%s", kInternalErrorPrefix, e.what());
    return SQLITE_ERROR;
  }
}

int GraphCreate(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
                char** err) {
  return Construct(db, aux, argc, argv, out, err, /*create=*/true);
}

int GraphConnect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
                 char** err) {
  return Construct(db, aux, argc, argv, out, err, /*create=*/false);
}

int GraphDisconnect(sqlite3_vtab* vtab) {
  auto* t = AsTable(vtab);
  t->conn->Forget(t->schema, t->graph_name);
  delete t;
  return SQLITE_OK;
}

// DROP TABLE kg: drop the sibling tables, close the graph, keep its files.
// Only the graph's own tables are dropped: a table of that name that is not
// one (the user dropped kg_nodes and made a table of their own) stays.
int GraphDestroy(sqlite3_vtab* vtab) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    sqlite3* db = t->conn->db();
    auto drop = [&](const std::string& table) {
      std::string sql = "DROP TABLE " + QuoteIdentifier(t->schema) + "." + QuoteIdentifier(table);
      char* inner = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &inner);
      if (rc != SQLITE_OK) {
        SetError(vtab, "%s: cannot drop %s: %s", kModule, table.c_str(),
                 inner ? inner : sqlite3_errstr(rc));
      }
      sqlite3_free(inner);
      return rc;
    };
    for (const char* suffix : {"nodes", "edges"}) {
      std::string sibling = t->table_name + "_" + suffix;
      auto sql = SchemaSql(db, t->schema, sibling);
      if (!sql || !IsSiblingOf(*sql, suffix, t->table_name)) continue;
      if (int rc = drop(sibling); rc != SQLITE_OK) return rc;
    }
    const std::string log = CommitLogTable(t->table_name);
    if (auto sql = SchemaSql(db, t->schema, log); sql && *sql == CommitLogSql(t->table_name)) {
      if (int rc = drop(log); rc != SQLITE_OK) return rc;
    }
    t->conn->Forget(t->schema, t->graph_name);
    delete t;
    return SQLITE_OK;
  });
}

int GraphBestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  info->estimatedCost = 1;
  info->estimatedRows = 1;
  return SQLITE_OK;
}

int GraphOpen(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return Guard(vtab, [&] {
    *out = &(new GraphCursor)->base;
    return SQLITE_OK;
  });
}

int GraphClose(sqlite3_vtab_cursor* cur) {
  delete reinterpret_cast<GraphCursor*>(cur);
  return SQLITE_OK;
}

int GraphFilter(sqlite3_vtab_cursor* cur, int, const char*, int, sqlite3_value**) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = reinterpret_cast<GraphCursor*>(cur);
    auto* t = AsTable(vtab);
    int rc = SQLITE_OK;
    GraphHandle* graph = TableGraph(t, &rc);
    if (graph == nullptr) return rc;
    Status refreshed = graph->StartStatement();
    if (!refreshed.ok()) return StatusError(vtab, t->table_name, refreshed);
    auto counts = graph->View().view->Counts();
    if (!counts.ok()) return StatusError(vtab, t->table_name, counts.status());
    c->counts = *counts;
    c->eof = false;
    return SQLITE_OK;
  });
}

int GraphNext(sqlite3_vtab_cursor* cur) {
  reinterpret_cast<GraphCursor*>(cur)->eof = true;
  return SQLITE_OK;
}

int GraphEof(sqlite3_vtab_cursor* cur) { return reinterpret_cast<GraphCursor*>(cur)->eof; }

int GraphColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  auto* c = reinterpret_cast<GraphCursor*>(cur);
  auto* t = AsTable(cur->pVtab);
  switch (col) {
    case GRAPH_COL_PATH: ResultText(ctx, t->graph->path()); break;
    case GRAPH_COL_READ_ONLY: sqlite3_result_int(ctx, t->graph->read_only()); break;
    case GRAPH_COL_NODES: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->counts.nodes)); break;
    case GRAPH_COL_EDGES: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->counts.edges)); break;
    default: sqlite3_result_null(ctx); break;
  }
  return SQLITE_OK;
}

int GraphRowid(sqlite3_vtab_cursor*, sqlite3_int64* rowid) {
  *rowid = 1;
  return SQLITE_OK;
}

// The problems of an integrity check, one per line; empty when it passed.
Result<std::string> IntegrityProblems(Db& db) {
  auto report = db.CheckIntegrity();
  if (!report.ok()) return report.status();
  std::string text;
  for (const auto& p : report->problems) text += (text.empty() ? "" : "\n") + p;
  if (report->truncated) text += "\n(more problems not listed)";
  return text;
}

int RunCommand(GraphTable* t, std::string_view command) {
  sqlite3_vtab* vtab = &t->base;
  const std::string& who = t->table_name;
  if (command == "integrity-check") {
    auto problems = IntegrityProblems(*t->graph->db());
    if (!problems.ok()) return StatusError(vtab, who, problems.status());
    if (problems->empty()) return SQLITE_OK;
    SetError(vtab, "%s: integrity-check found problems:\n%s", who.c_str(), problems->c_str());
    return SQLITE_CORRUPT_VTAB;
  }
  if (command == "compact") {
    if (t->graph->read_only()) {
      SetError(vtab, "%s: cannot compact graph '%s': it is open read-only", who.c_str(),
               t->graph->path().c_str());
      return SQLITE_READONLY;
    }
    auto writable = t->graph->BeginWriting(t->conn->db());
    if (!writable.ok()) return StatusError(vtab, who, writable.status());
    Status s = (*writable)->Compact();
    t->graph->EndWriting();
    return s.ok() ? SQLITE_OK : StatusError(vtab, who, s);
  }
  if (command == "refresh") {
    Status s = t->graph->db()->Refresh();
    return s.ok() ? SQLITE_OK : StatusError(vtab, who, s);
  }
  SetError(vtab, "%s: unknown command '%.*s' (commands: integrity-check, compact, refresh)",
           who.c_str(), static_cast<int>(command.size()), command.data());
  return SQLITE_ERROR;
}

// Only INSERT INTO kg(kg) VALUES('<command>') changes anything.
int GraphUpdate(sqlite3_vtab* vtab, int argc, sqlite3_value** argv, sqlite3_int64* rowid) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    *rowid = 1;
    int rc = SQLITE_OK;
    if (TableGraph(t, &rc) == nullptr) return rc;
    bool is_insert = argc > 1 && IsNull(argv[0]);
    if (!is_insert || IsNull(argv[2 + GRAPH_COL_COMMAND])) {
      SetError(vtab, "%s: only INSERT INTO %s(%s) VALUES('<command>') changes this table",
               t->table_name.c_str(), t->table_name.c_str(), t->table_name.c_str());
      return SQLITE_ERROR;
    }
    return RunCommand(t, ValueText(argv[2 + GRAPH_COL_COMMAND]));
  });
}

}  // namespace

const sqlite3_module kGraphModule = {
    /* iVersion    */ 3,
    /* xCreate     */ GraphCreate,
    /* xConnect    */ GraphConnect,
    /* xBestIndex  */ GraphBestIndex,
    /* xDisconnect */ GraphDisconnect,
    /* xDestroy    */ GraphDestroy,
    /* xOpen       */ GraphOpen,
    /* xClose      */ GraphClose,
    /* xFilter     */ GraphFilter,
    /* xNext       */ GraphNext,
    /* xEof        */ GraphEof,
    /* xColumn     */ GraphColumn,
    /* xRowid      */ GraphRowid,
    /* xUpdate     */ GraphUpdate,
    /* xBegin      */ GraphTableBegin,
    /* xSync       */ GraphTableSync,
    /* xCommit     */ GraphTableCommit,
    /* xRollback   */ GraphTableRollback,
    /* xFindMethod */ nullptr,
    /* xRename     */ nullptr,
    /* xSavepoint  */ GraphTableSavepoint,
    /* xRelease    */ GraphTableRelease,
    /* xRollbackTo */ GraphTableRollbackTo,
    /* xShadowName */ nullptr,
};

}  // namespace samverkan::sql
