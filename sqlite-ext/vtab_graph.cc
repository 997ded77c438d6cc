// vtab_graph.cc: the `samverkan` module, which opens a graph directory.
//
// USAGE
//
//   CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');
//   CREATE VIRTUAL TABLE old USING samverkan(path='/data/old.kg', readonly=1);
//
// opens the graph in directory `path`, creating it if it does not exist, and
// creates its sibling tables (kSiblingTables, graph_table.h): kg_nodes and
// kg_edges (vtab_nodes.cc, vtab_edges.cc) and the commit log kg_commits
// (commit_log.h), the way FTS5 creates its shadow tables from xCreate. All
// are stored in the database schema: reopening the .db file and loading the
// extension brings the graph back. It refuses a name any of whose sibling
// names is taken (by a table, view, index or trigger: a user's object is
// never adopted), and the name of one of the extension's functions.
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
// DROP TABLE kg drops its siblings too and closes the graph, but never
// deletes the graph directory; ALTER TABLE kg RENAME TO kg2 renames them.
// Both are refused while the transaction has written the graph.
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

#include <fmt/format.h>

#include "commit_log.h"
#include "graph_table.h"
#include "modules.h"
#include "sql_schema.h"

namespace samverkan::sql {
namespace {

// The table's columns, in the order of its declaration.
enum Column : int { kPath, kReadOnly, kNodes, kEdges, kCommand };

constexpr const char* kModule = "samverkan";

struct GraphCursor {
  sqlite3_vtab_cursor base;  // Base class - must be first
  bool eof = true;           // the single row has been returned
  GraphCounts counts;        // read at xFilter
};

GraphTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<GraphTable*>(vtab); }

std::string Lowercase(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// True when `object` is `sibling` of graph `graph`, made by CreateSibling.
bool IsSiblingOf(const SchemaObject& object, const SiblingTable& sibling,
                 const std::string& graph) {
  if (object.type != "table") return false;
  if (sibling.module == nullptr) return object.sql == CommitLogSql(graph);
  std::string lower = Lowercase(object.sql);
  return lower.find(std::string("using ") + sibling.module + "(") != std::string::npos &&
         lower.find("graph=" + QuoteIdentifier(Lowercase(graph))) != std::string::npos;
}

// The latest commit `graph` holds of graph table `name` in `schema`, which
// its new commit log starts from (CreateCommitLog); empty when the graph
// cannot be read.
std::string LatestCommitOf(GraphHandle* graph, sqlite3* db, const std::string& schema,
                           const std::string& name) {
  if (graph == nullptr) return "";
  auto commits = graph->db()->GetSnapshot()->CommitsOf(Coordinator(db, schema, name));
  return commits.ok() ? commits->last_committed : "";
}

// Makes `sibling` of graph `name` in `schema`: for a module,
// CREATE VIRTUAL TABLE "<db>"."<name>_nodes" USING samverkan_nodes(graph=..., <args>);
// for the commit log, the log holding `latest_commit`.
int CreateSibling(sqlite3* db, const std::string& schema, const std::string& name,
                  const SiblingTable& sibling, const std::vector<std::string>& args,
                  const std::string& latest_commit, char** err) {
  const std::string table = name + sibling.suffix;
  if (sibling.module == nullptr) {
    Status s = CreateCommitLog(db, schema, name, latest_commit);
    if (s.ok()) return SQLITE_OK;
    *err = FormatError("%s: cannot create %s: %s", kModule, table.c_str(), s.message().c_str());
    return SqliteCode(s);
  }
  std::string sql = "CREATE VIRTUAL TABLE " + QuoteIdentifier(schema) + "." +
                    QuoteIdentifier(table) + " USING " + sibling.module +
                    "(graph=" + QuoteIdentifier(name);
  for (const auto& raw : args) sql += ", " + raw;
  sql += ")";
  char* inner = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &inner);
  if (rc != SQLITE_OK) {
    *err = FormatError("%s: cannot create %s: %s", kModule, table.c_str(),
                       inner ? inner : sqlite3_errstr(rc));
  }
  sqlite3_free(inner);
  return rc;
}

// Names a graph table may not have: those of the extension's functions,
// which a table of that name would hide (SELECT * FROM kg_pagerank('x')
// would read the table), and names one of whose siblings is taken by
// anything at all. `doing` says what is refused: "create graph 'kg'".
int CheckGraphName(sqlite3* db, const std::string& schema, const std::string& name,
                   const std::string& doing, char** err) {
  if (IsFunctionName(Lowercase(name))) {
    *err = FormatError("%s: cannot name a graph '%s': the extension has a function of that "
                       "name, which the table would hide", kModule, name.c_str());
    return SQLITE_ERROR;
  }
  for (const SiblingTable& sibling : kSiblingTables) {
    const std::string table = name + sibling.suffix;
    auto found = FindSchemaObject(db, schema, table);
    if (!found.ok()) {
      *err = FormatError("%s: cannot %s: %s", kModule, doing.c_str(),
                         found.status().message().c_str());
      return SqliteCode(found.status());
    }
    if (*found) {
      *err = FormatError("%s: cannot %s: %s '%s' already exists in %s, and the graph needs "
                         "that name for a table of its own; choose another name for the graph",
                         kModule, doing.c_str(), (*found)->type.c_str(), (*found)->name.c_str(),
                         schema.c_str());
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
      rc = CheckGraphName(db, argv[1], argv[2], fmt::format("create graph '{}'", argv[2]), err);
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
      const std::string latest = LatestCommitOf(table->graph.get(), db, argv[1], argv[2]);
      for (const SiblingTable& sibling : kSiblingTables) {
        rc = CreateSibling(db, argv[1], argv[2], sibling, args.raw, latest, err);
        if (rc != SQLITE_OK) return rc;
      }
    }
    *out = &table.release()->base;
    return SQLITE_OK;
  } catch (const std::exception& e) {
    return ConstructorError(e, err);
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

// Refuses to rename graph `t` while this connection's transaction has
// written it: the tables that would commit the writes are replaced.
int RefuseRenameWhileWriting(GraphTable* t) {
  if (!t->conn->HasPendingWrites(t->schema, t->graph_name)) return SQLITE_OK;
  SetError(&t->base,
           "%s: cannot rename graph table %s: it has uncommitted writes in this transaction; "
           "COMMIT or ROLLBACK first",
           kModule, t->table_name.c_str());
  return SQLITE_ERROR;
}

// Runs a statement of the extension's own (on its own tables).
int Run(GraphTable* t, const std::string& sql) {
  char* inner = nullptr;
  int rc = sqlite3_exec(t->conn->db(), sql.c_str(), nullptr, nullptr, &inner);
  if (rc != SQLITE_OK) {
    SetError(&t->base, "%s: %s: %s", kModule, sql.c_str(), inner ? inner : sqlite3_errstr(rc));
  }
  sqlite3_free(inner);
  return rc;
}

// The siblings of `t` that are the graph's own, by name. A table of that
// name that is not one (the user dropped kg_nodes and made a table of
// their own) is left alone.
Result<std::vector<std::pair<const SiblingTable*, std::string>>> OwnSiblings(GraphTable* t) {
  std::vector<std::pair<const SiblingTable*, std::string>> own;
  for (const SiblingTable& sibling : kSiblingTables) {
    const std::string table = t->table_name + sibling.suffix;
    SV_ASSIGN_OR_RETURN(auto found, FindSchemaObject(t->conn->db(), t->schema, table));
    if (found && IsSiblingOf(*found, sibling, t->table_name)) own.emplace_back(&sibling, table);
  }
  return own;
}

// DROP TABLE kg: drop the sibling tables, close the graph, keep its files.
int GraphDestroy(sqlite3_vtab* vtab) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    if (int rc = RefuseDropWhileWriting(t, kModule); rc != SQLITE_OK) return rc;
    auto own = OwnSiblings(t);
    if (!own.ok()) return StatusError(vtab, t->table_name, own.status());
    for (const auto& [sibling, table] : *own) {
      int rc = Run(t, "DROP TABLE " + QuoteIdentifier(t->schema) + "." + QuoteIdentifier(table));
      if (rc != SQLITE_OK) return rc;
    }
    t->conn->Forget(t->schema, t->graph_name);
    delete t;
    return SQLITE_OK;
  });
}

// ALTER TABLE kg RENAME TO kg2: the siblings follow (kg2_nodes, kg2_edges,
// kg2_commits), under the same checks as CREATE. The graph's decisions are
// recorded under the table's name (commit_log.h), so a transaction this
// table left undecided is settled first, or the rename refused.
int GraphRename(sqlite3_vtab* vtab, const char* new_name) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    sqlite3* db = t->conn->db();
    if (int rc = RefuseRenameWhileWriting(t); rc != SQLITE_OK) return rc;
    char* err = nullptr;
    int rc = CheckGraphName(db, t->schema, new_name,
                            fmt::format("rename graph '{}' to '{}'", t->table_name, new_name),
                            &err);
    if (rc != SQLITE_OK) {
      SetError(vtab, "%s", err);
      sqlite3_free(err);
      return rc;
    }
    // Opening the graph settles what this table left undecided, when it can
    // (a graph that cannot be opened, moved say, has nothing to settle).
    int open_rc = SQLITE_OK;
    GraphHandle* graph = TableGraph(t, &open_rc);
    if (graph == nullptr) {
      sqlite3_free(vtab->zErrMsg);  // not this statement's error
      vtab->zErrMsg = nullptr;
    } else {
      const std::string us = Coordinator(db, t->schema, t->table_name);
      for (const PreparedTransaction& p : graph->db()->PreparedTransactions()) {
        if (!us.empty() && p.coordinator == us) {
          SetError(vtab,
                   "%s: cannot rename graph table %s: transaction '%s' of it was left "
                   "undecided by a crash; write to the graph once to settle it, then rename",
                   kModule, t->table_name.c_str(), p.xid.c_str());
          return SQLITE_ERROR;
        }
      }
    }
    auto own = OwnSiblings(t);
    if (!own.ok()) return StatusError(vtab, t->table_name, own.status());
    const std::string old_name = t->table_name;
    const std::string schema = QuoteIdentifier(t->schema) + ".";
    t->conn->Rename(t->schema, old_name, new_name);
    t->graph_name = t->table_name = new_name;
    for (const auto& [sibling, table] : *own) {
      const std::string moved = std::string(new_name) + sibling->suffix;
      if (sibling->module == nullptr) {
        // The commit log is a plain table, which SQLite renames (its SQL
        // is then the new name's, CommitLogSql); it cannot drop one while
        // the ALTER TABLE statement runs. Its record is the old name's
        // decision, which the new name's transactions replace.
        rc = Run(t, "ALTER TABLE " + schema + QuoteIdentifier(table) + " RENAME TO " +
                        QuoteIdentifier(moved));
        if (rc != SQLITE_OK) return rc;
        continue;
      }
      rc = CreateSibling(db, t->schema, new_name, *sibling, t->args, "", &err);
      if (rc != SQLITE_OK) {
        SetError(vtab, "%s", err);
        sqlite3_free(err);
        return rc;
      }
      rc = Run(t, "DROP TABLE " + schema + QuoteIdentifier(table));
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  });
}

int GraphBestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
  info->estimatedCost = 1;
  info->estimatedRows = 1;
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
    case kPath: ResultText(ctx, t->graph->path()); break;
    case kReadOnly: sqlite3_result_int(ctx, t->graph->read_only()); break;
    case kNodes: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->counts.nodes)); break;
    case kEdges: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->counts.edges)); break;
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
    Status s = t->graph->Refresh();
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
    if (!is_insert || IsNull(argv[2 + kCommand])) {
      SetError(vtab, "%s: only INSERT INTO %s(%s) VALUES('<command>') changes this table",
               t->table_name.c_str(), t->table_name.c_str(), t->table_name.c_str());
      return SQLITE_ERROR;
    }
    return RunCommand(t, ValueText(argv[2 + kCommand]));
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
    /* xOpen       */ OpenCursor<GraphCursor>,
    /* xClose      */ CloseCursor<GraphCursor>,
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
    /* xRename     */ GraphRename,
    /* xSavepoint  */ GraphTableSavepoint,
    /* xRelease    */ GraphTableRelease,
    /* xRollbackTo */ GraphTableRollbackTo,
    /* xShadowName */ nullptr,
};

}  // namespace samverkan::sql
