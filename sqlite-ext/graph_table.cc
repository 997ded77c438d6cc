// graph_table.cc: argument parsing and transaction callbacks shared by the
// table modules. See graph_table.h.
#include "graph_table.h"

#include <algorithm>
#include <cctype>

#include "samverkan/options.h"

namespace samverkan::sql {
namespace {

// 'msi.kg' -> msi.kg, "it""s" -> it"s; bare words stay as they are.
std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) {
    char q = v.front();
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      out += v[i];
      if (v[i] == q && i + 2 < v.size() && v[i + 1] == q) ++i;
    }
    return out;
  }
  return std::string(v);
}

// The arguments of CREATE VIRTUAL TABLE, named as such: "argument
// 'readonly' must be 1 or 0 (true or false), not 'maybe'".
const options::Reader& TableArgumentReader() {
  static const options::Reader reader(options::Wording(
      "", [](std::string_view arg) { return "argument '" + std::string(arg) + "'"; },
      [](std::string_view arg) { return "unknown argument '" + std::string(arg) + "'"; }));
  return reader;
}

GraphTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<GraphTable*>(vtab); }

int TransactionError(GraphTable* t, const Status& s) { return StatusError(&t->base, t->table_name, s); }

}  // namespace

int ParseTableArgs(const char* module, int argc, const char* const* argv, bool needs_graph,
                   TableArgs* args, char** err) {
  bool have_path = false;
  std::vector<std::string> seen;
  for (int i = 3; i < argc; ++i) {
    std::string_view arg = options::Trim(argv[i]);
    args->raw.emplace_back(arg);
    size_t eq = arg.find('=');
    std::string key(options::Trim(arg.substr(0, eq)));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (eq == std::string_view::npos) {
      *err = FormatError("%s: argument '%s' needs a value, as in path='msi.kg'", module,
                             key.c_str());
      return SQLITE_ERROR;
    }
    std::string value = Unquote(options::Trim(arg.substr(eq + 1)));
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      *err = FormatError("%s: argument '%s' is given twice", module, key.c_str());
      return SQLITE_ERROR;
    }
    seen.push_back(key);
    if (key == "path") {
      if (value.empty()) {
        *err = FormatError("%s: argument 'path' is empty", module);
        return SQLITE_ERROR;
      }
      args->options.path = value;
      have_path = true;
    } else if (key == "readonly") {
      auto read_only = TableArgumentReader().YesNo(value, key);
      if (!read_only.ok()) {
        *err = FormatError("%s: %s", module, read_only.status().message().c_str());
        return SQLITE_ERROR;
      }
      args->options.read_only = *read_only;
    } else if (key == "graph" && needs_graph) {
      args->graph = value;
    } else {
      *err = FormatError("%s: %s", module, TableArgumentReader().Unknown(key).message().c_str());
      return SQLITE_ERROR;
    }
  }
  if (!have_path) {
    *err = FormatError("%s: missing required argument 'path'", module);
    return SQLITE_ERROR;
  }
  if (needs_graph && args->graph.empty()) {
    *err = FormatError("%s: missing required argument 'graph'", module);
    return SQLITE_ERROR;
  }
  if (!needs_graph) args->graph = argv[2];
  return SQLITE_OK;
}

int ConnectGraphTable(const char* module, const char* schema, sqlite3* db, void* aux, int argc,
                      const char* const* argv, sqlite3_vtab** out, char** err) {
  try {
    TableArgs args;
    int rc = ParseTableArgs(module, argc, argv, /*needs_graph=*/true, &args, err);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_declare_vtab(db, schema);
    if (rc != SQLITE_OK) return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    auto table = std::make_unique<GraphTable>();
    rc = DeclareGraph(module, static_cast<Connection*>(aux), argv[1], argv[2], args, table.get(),
                      err);
    if (rc != SQLITE_OK) return rc;
    *out = &table.release()->base;
    return SQLITE_OK;
  } catch (const std::exception& e) {
    return ConstructorError(e, err);
  }
}

int DeclareGraph(const char* module, Connection* conn, const char* schema, const char* table_name,
                 const TableArgs& args, GraphTable* table, char** err) {
  Status s = conn->Declare(schema, args.graph, args.options);
  if (!s.ok()) {
    *err = FormatError("%s: %s", module, s.message().c_str());
    return SQLITE_ERROR;
  }
  table->conn = conn;
  table->schema = schema;
  table->graph_name = args.graph;
  table->table_name = table_name;
  table->args = args.raw;
  return SQLITE_OK;
}

GraphHandle* TableGraph(GraphTable* table, int* rc) {
  *rc = SQLITE_OK;
  if (!table->graph) {
    auto opened = table->conn->Open(table->schema, table->graph_name);
    if (!opened.ok()) {
      *rc = StatusError(&table->base, table->table_name, opened.status());
      return nullptr;
    }
    table->graph = std::move(*opened);
  }
  return table->graph.get();
}

int StartTableStatement(sqlite3_vtab* vtab) {
  auto* t = AsTable(vtab);
  int rc = SQLITE_OK;
  GraphHandle* graph = TableGraph(t, &rc);
  if (graph == nullptr) return rc;
  Status s = graph->StartStatement();
  return s.ok() ? SQLITE_OK : StatusError(vtab, t->table_name, s);
}

int BeginTableUpdate(sqlite3_vtab* vtab, int argc, sqlite3_value** argv, const char* what,
                     Transaction** txn) {
  auto* t = AsTable(vtab);
  int rc = SQLITE_OK;
  GraphHandle* graph = TableGraph(t, &rc);
  if (graph == nullptr) return rc;
  *txn = graph->Writer(vtab, t->conn->db(), t->table_name, &rc);
  if (*txn == nullptr) return rc;
  if (argc == 1) return SQLITE_OK;  // a DELETE
  const char* who = t->table_name.c_str();
  if (IsNull(argv[0]) && !IsNull(argv[1])) {
    SetError(vtab, "%s: rowid is the %s id, which the graph assigns; leave it out", who, what);
    return SQLITE_CONSTRAINT;
  }
  if (!IsNull(argv[0]) && sqlite3_value_int64(argv[0]) != sqlite3_value_int64(argv[1])) {
    SetError(vtab, "%s: rowid is the %s id and cannot be changed", who, what);
    return SQLITE_CONSTRAINT;
  }
  return SQLITE_OK;
}

int RefuseDropWhileWriting(GraphTable* t, const char* module) {
  if (!t->conn->HasPendingWrites(t->schema, t->graph_name)) return SQLITE_OK;
  SetError(&t->base,
           "%s: cannot drop graph table %s: it has uncommitted writes in this transaction; "
           "COMMIT or ROLLBACK first",
           module, t->table_name.c_str());
  return SQLITE_LOCKED;
}

int GraphTableRenameSibling(sqlite3_vtab* vtab, const char* new_name) {
  auto* t = AsTable(vtab);
  SetError(vtab,
           "cannot rename %s to %s on its own: it is a table of graph table %s, which finds it "
           "by name; ALTER TABLE %s RENAME TO ... renames all of the graph's tables",
           t->table_name.c_str(), new_name, t->graph_name.c_str(), t->graph_name.c_str());
  return SQLITE_ERROR;
}

// Nothing to do at xBegin: the engine transaction begins at the first write
// (GraphHandle::Writer), so that statements like INSERT INTO kg(kg)
// VALUES('integrity-check') also work on a read-only graph.
int GraphTableBegin(sqlite3_vtab*) { return SQLITE_OK; }

// Everything that can fail happens here, not in xCommit: SQLite can still
// roll the whole transaction back when xSync fails (commit_log.h).
int GraphTableSync(sqlite3_vtab* vtab) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    if (!t->graph) return SQLITE_OK;
    Status s = t->graph->Prepare();
    return s.ok() ? SQLITE_OK : TransactionError(t, s);
  });
}

// SQLite has committed: the prepared graph transaction commits too.
int GraphTableCommit(sqlite3_vtab* vtab) {
  return GuardTransactionEnd(vtab, [&] {
    auto* t = AsTable(vtab);
    if (!t->graph) return SQLITE_OK;
    Status s = t->graph->Commit();
    return s.ok() ? SQLITE_OK : TransactionError(t, s);
  });
}

int GraphTableRollback(sqlite3_vtab* vtab) {
  return GuardTransactionEnd(vtab, [&] {
    if (auto& graph = AsTable(vtab)->graph) graph->Rollback();
    return SQLITE_OK;
  });
}

int GraphTableSavepoint(sqlite3_vtab* vtab, int level) {
  return GuardTransactionEnd(vtab, [&] {
    if (auto& graph = AsTable(vtab)->graph) graph->Savepoint(level);
    return SQLITE_OK;
  });
}

int GraphTableRelease(sqlite3_vtab* vtab, int level) {
  return GuardTransactionEnd(vtab, [&] {
    auto* t = AsTable(vtab);
    if (!t->graph) return SQLITE_OK;
    Status s = t->graph->Release(level);
    return s.ok() ? SQLITE_OK : TransactionError(t, s);
  });
}

int GraphTableRollbackTo(sqlite3_vtab* vtab, int level) {
  return GuardTransactionEnd(vtab, [&] {
    auto* t = AsTable(vtab);
    if (!t->graph) return SQLITE_OK;
    Status s = t->graph->RollbackTo(level);
    return s.ok() ? SQLITE_OK : TransactionError(t, s);
  });
}

}  // namespace samverkan::sql
