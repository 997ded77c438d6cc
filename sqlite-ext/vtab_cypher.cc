// vtab_cypher.cc: the samverkan_cypher module: a stored Cypher query as a
// table with named columns.
//
// USAGE
//
//   CREATE VIRTUAL TABLE partners USING samverkan_cypher(kg, '
//     MATCH (a:actor {sector: $s})-[:participates_in]->(p:project)<-[:participates_in]-(b:actor)
//     WHERE b.sector = ''nonprofit''
//     RETURN a.name AS academic, b.name AS partner, count(p) AS projects');
//   SELECT academic, partner FROM partners('academia') WHERE projects > 1;
//   SELECT * FROM partners WHERE s = 'academia';
//
// The arguments are the graph (the name of a samverkan table) and the
// query, by position or as graph=kg, query='...'. The columns are the
// query's RETURN columns, typed as SQL values (lists, maps, nodes,
// relationships and paths as JSON text); each $parameter is a HIDDEN
// column, in order of name, so that the table can be called like a
// table-valued function (a parameter named like a column gets a `param_`
// prefix). The query is checked when the table is created, planned anew
// at each SELECT, and may not write: a table in a .db file someone sent
// must not change the graph when it is read. Stored in the schema, it
// comes back with the .db file; it is DIRECTONLY, like the graph tables.
//
// SQLite connects the table (parsing the query, for its columns) before it
// checks DIRECTONLY, even with trusted_schema=OFF, whenever a statement
// names it or a view over it. That work is bounded: the text at most
// kMaxQueryBytes, parsed in linear time within Cypher's nesting limit.
//
// SCHEMA (for the example)
//
//   CREATE TABLE x(academic, partner, projects, s HIDDEN)
#include <algorithm>
#include <memory>

#include "cypher_sql.h"
#include "modules.h"

namespace samverkan::sql {
namespace {

constexpr const char* kModule = "samverkan_cypher";
// Stored queries are a screenful; this keeps what a hostile schema can make
// a connection do at connect time (a few dozen bytes of memory per byte of
// text while it is parsed) small.
constexpr size_t kMaxQueryBytes = 1 << 20;

struct StoredQueryTable {
  sqlite3_vtab base;                                    // Base class - must be first
  Connection* conn = nullptr;                           // this connection's graphs (pAux)
  sqlite3* db = nullptr;
  std::string name;                                     // the table's name, for errors
  std::string graph;                                    // the graph it queries
  std::shared_ptr<const cypher::PreparedQuery> query;
  size_t n_columns = 0;                                 // result columns; parameters follow
};

struct StoredQueryCursor {
  sqlite3_vtab_cursor base;          // Base class - must be first
  std::unique_ptr<CypherRun> run;
  std::vector<sqlite3_value*> args;  // the parameters given (the HIDDEN columns)

  ~StoredQueryCursor() { FreeArgs(); }
  void FreeArgs() {
    for (auto* v : args) sqlite3_value_free(v);
    args.clear();
  }
};

StoredQueryTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<StoredQueryTable*>(vtab); }
StoredQueryCursor* AsCursor(sqlite3_vtab_cursor* cur) {
  return reinterpret_cast<StoredQueryCursor*>(cur);
}

// 'text' with '' for a quote, or "text", or a bare word.
std::string Unquote(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    char q = s.front();
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      out.push_back(s[i]);
      if (s[i] == q && i + 2 < s.size() && s[i + 1] == q) ++i;
    }
    return out;
  }
  return std::string(s);
}

// graph=..., query=..., or the two by position.
int ParseArgs(int argc, const char* const* argv, std::string* graph, std::string* query,
              char** err) {
  std::vector<std::string> positional;
  for (int i = 3; i < argc; ++i) {
    std::string_view a = argv[i];
    size_t eq = a.find('=');
    size_t quote = a.find_first_of("'\"");
    bool named = eq != std::string_view::npos && (quote == std::string_view::npos || eq < quote);
    if (!named) {
      positional.push_back(Unquote(a));
      continue;
    }
    std::string key = Unquote(a.substr(0, eq));
    std::string value = Unquote(a.substr(eq + 1));
    if (key == "graph") {
      *graph = value;
    } else if (key == "query") {
      *query = value;
    } else {
      *err = FormatError("%s: unknown argument '%s' (arguments: graph, query)", kModule,
                         key.c_str());
      return SQLITE_ERROR;
    }
  }
  if (!positional.empty() && graph->empty()) *graph = positional[0];
  if (positional.size() >= 2 && query->empty()) *query = positional[1];
  if (positional.size() > 2) {
    *err = FormatError("%s: too many arguments (it takes a graph and a query)", kModule);
    return SQLITE_ERROR;
  }
  if (graph->empty()) {
    *err = FormatError("%s: missing required argument 'graph'", kModule);
    return SQLITE_ERROR;
  }
  if (query->empty()) {
    *err = FormatError("%s: missing required argument 'query'", kModule);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

int Construct(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out,
              char** err) {
  try {
    std::string graph, text;
    int rc = ParseArgs(argc, argv, &graph, &text, err);
    if (rc != SQLITE_OK) return rc;
    if (text.size() > kMaxQueryBytes) {
      *err = FormatError("%s: the query is %lld bytes; a stored query has at most %lld", kModule,
                         static_cast<long long>(text.size()), static_cast<long long>(kMaxQueryBytes));
      return SQLITE_ERROR;
    }
    auto query = cypher::PreparedQuery::Prepare(text);
    if (!query.ok()) {
      *err = FormatError("%s: %s", kModule, query.status().message().c_str());
      return SQLITE_ERROR;
    }
    if ((*query)->writes()) {
      *err = FormatError("%s: a stored query only reads; run queries that write with "
                         "kg_cypher()",
                         kModule);
      return SQLITE_ERROR;
    }
    const auto& columns = (*query)->columns();
    if (columns.empty()) {
      *err = FormatError("%s: the query returns no columns", kModule);
      return SQLITE_ERROR;
    }
    std::string schema = "CREATE TABLE x(";
    for (size_t i = 0; i < columns.size(); ++i) {
      schema += (i ? ", " : "") + QuoteIdentifier(columns[i]);
    }
    for (const auto& p : (*query)->parameters()) {
      bool clash = std::find(columns.begin(), columns.end(), p) != columns.end();
      schema += ", " + QuoteIdentifier(clash ? "param_" + p : p) + " HIDDEN";
    }
    schema += ")";
    rc = sqlite3_declare_vtab(db, schema.c_str());
    if (rc != SQLITE_OK) {
      *err = FormatError("%s: cannot declare columns %s: %s", kModule, schema.c_str(),
                         sqlite3_errmsg(db));
      return rc;
    }
    // It reads graphs that tables of this schema name: no view or trigger
    // may reach them through it.
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    auto table = std::make_unique<StoredQueryTable>();
    table->conn = static_cast<Connection*>(aux);
    table->db = db;
    table->name = argv[2];
    table->graph = graph;
    table->n_columns = columns.size();
    table->query = std::move(*query);
    *out = &table.release()->base;
    return SQLITE_OK;
  } catch (const std::exception& e) {
    return ConstructorError(e, err);
  }
}

// idxNum: bit i when parameter i has an equality constraint (in order in
// argv). A parameter without one is reported at xFilter.
int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  return Guard(vtab, [&] {
    auto* t = AsTable(vtab);
    const int n_params = static_cast<int>(t->query->parameters().size());
    const int first = static_cast<int>(t->n_columns);
    std::vector<int> found(static_cast<size_t>(n_params), -1);
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      int p = c.iColumn - first;
      if (p < 0 || p >= n_params || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
      if (!c.usable) return SQLITE_CONSTRAINT;
      if (found[static_cast<size_t>(p)] < 0) found[static_cast<size_t>(p)] = i;
    }
    int plan = 0, argv = 0;
    for (int p = 0; p < n_params && p < 30; ++p) {
      if (found[static_cast<size_t>(p)] < 0) continue;
      plan |= 1 << p;
      info->aConstraintUsage[found[static_cast<size_t>(p)]].argvIndex = ++argv;
      info->aConstraintUsage[found[static_cast<size_t>(p)]].omit = 1;
    }
    info->idxNum = plan;
    info->estimatedCost = 1000;
    info->estimatedRows = 100;
    return SQLITE_OK;
  });
}

int Filter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int argc, sqlite3_value** argv) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = AsCursor(cur);
    auto* t = AsTable(vtab);
    const char* who = t->name.c_str();
    c->run.reset();
    c->FreeArgs();
    const auto& names = t->query->parameters();
    c->args.assign(names.size(), nullptr);
    cypher::Parameters params;
    int next = 0;
    for (size_t p = 0; p < names.size(); ++p) {
      if (!(idx_num & (1 << p)) || next >= argc) {
        SetError(vtab, "%s: missing parameter $%s: give it as %s(...) or WHERE %s = ...", who,
                 names[p].c_str(), who, names[p].c_str());
        return SQLITE_ERROR;
      }
      c->args[p] = sqlite3_value_dup(argv[next++]);
      if (c->args[p] == nullptr) return SQLITE_NOMEM;
      auto v = CypherValueOf(c->args[p]);
      if (!v.ok()) return StatusError(vtab, who, v.status().WithContext("$" + names[p]));
      params.emplace(names[p], std::move(*v));
    }
    auto found = t->conn->Find(t->graph);
    if (!found.ok()) return StatusError(vtab, who, found.status());
    std::shared_ptr<GraphHandle> graph = std::move(*found);
    if (Status s = graph->StartStatement(); !s.ok()) return StatusError(vtab, who, s);
    int rc = SQLITE_OK;
    c->run = StartCypher(t->db, vtab, who, t->graph, graph, t->query, params,
                         ConnectionRunOptions(*t->conn), &rc);
    return rc;
  });
}

int Next(sqlite3_vtab_cursor* cur) {
  return Guard(cur->pVtab, [&] {
    return NextCypherRow(cur->pVtab, AsTable(cur->pVtab)->name.c_str(), AsCursor(cur)->run.get());
  });
}

int Eof(sqlite3_vtab_cursor* cur) {
  auto* c = AsCursor(cur);
  return c->run == nullptr || c->run->eof;
}

int ColumnValue(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    auto* t = AsTable(cur->pVtab);
    size_t i = static_cast<size_t>(col);
    if (i >= t->n_columns) {
      size_t p = i - t->n_columns;
      if (p < c->args.size() && c->args[p] != nullptr) sqlite3_result_value(ctx, c->args[p]);
      return SQLITE_OK;
    }
    return ResultCypherValue(cur->pVtab, t->name.c_str(), ctx, c->run.get(),
                             c->run->cursor->row()[i]);
  });
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
  auto* c = AsCursor(cur);
  *rowid = c->run ? c->run->rowid : 0;
  return SQLITE_OK;
}

}  // namespace

const sqlite3_module kStoredCypherModule = {
    /* iVersion    */ 0,
    /* xCreate     */ Construct,
    /* xConnect    */ Construct,
    /* xBestIndex  */ BestIndex,
    /* xDisconnect */ DeleteTable<StoredQueryTable>,
    /* xDestroy    */ DeleteTable<StoredQueryTable>,
    /* xOpen       */ OpenCursor<StoredQueryCursor>,
    /* xClose      */ CloseCursor<StoredQueryCursor>,
    /* xFilter     */ Filter,
    /* xNext       */ Next,
    /* xEof        */ Eof,
    /* xColumn     */ ColumnValue,
    /* xRowid      */ Rowid,
    /* xUpdate     */ nullptr,
    /* xBegin      */ nullptr,
    /* xSync       */ nullptr,
    /* xCommit     */ nullptr,
    /* xRollback   */ nullptr,
    /* xFindMethod */ nullptr,
    /* xRename     */ nullptr,
    /* xSavepoint  */ nullptr,
    /* xRelease    */ nullptr,
    /* xRollbackTo */ nullptr,
    /* xShadowName */ nullptr,
};

}  // namespace samverkan::sql
