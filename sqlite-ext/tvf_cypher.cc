// tvf_cypher.cc: kg_cypher, a Cypher query as a table-valued function.
//
// USAGE
//
//   SELECT * FROM kg_cypher('kg', 'MATCH (a:actor)-[:funds]->(p) RETURN a.name, p.name');
//   SELECT row ->> 'partner' FROM kg_cypher('kg',
//     'MATCH (a:actor {sector: $s})-[:participates_in]->()<-[:participates_in]-(b)
//      RETURN b.name AS partner', '{"s": "academia"}');
//   SELECT * FROM kg_cypher('kg', 'CREATE (:actor {key: ''org:x'', name: ''X''})');
//   SELECT * FROM kg_cypher('kg', 'EXPLAIN MATCH (n {key: ''org:x''})--(m) RETURN m');
//
// One row per result row, as a JSON object keyed by the RETURN columns
// (SQLite's ->> reads it). For named SQL columns declare a stored query
// instead (vtab_cypher.c: CREATE VIRTUAL TABLE ... USING samverkan_cypher).
// A query that writes makes its writes in the connection's transaction on
// the graph (cypher_sql.h), all of them before the first row is returned.
//
// SCHEMA
//
//   CREATE TABLE x(row, graph HIDDEN, query HIDDEN, params HIDDEN, options HIDDEN)
//
// ARGUMENTS
//
//   graph    required  the name of a samverkan table of this connection
//   query    required  the Cypher text (EXPLAIN ... returns the plan, a
//                      row {"plan": "<line>"} per line)
//   params   NULL      a JSON object of parameters: '{"s": "academia"}'
//   options  NULL      '{"adjacency": "csr" | "stored" | "auto"}': forces
//                      where relationships are read from (for measuring);
//                      '{"memory_limit": <bytes>}': the query's working
//                      memory (default: kg_set('cypher_memory_limit'), 2 GiB)
//
// kg_cypher is DIRECTONLY: a view or trigger in someone else's database
// cannot run queries (which may write) on the user's graphs.
#include <memory>

#include "cypher_sql.h"
#include "modules.h"
#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

constexpr const char* kName = "kg_cypher";
enum Column : int { kRow, kGraph, kQuery, kParams, kOptions };
constexpr int kArgs = 4;

struct CypherTable {
  sqlite3_vtab base;  // Base class - must be first
  Connection* conn;   // this connection's graphs (pAux)
  sqlite3* db;
};

struct CypherCursor {
  sqlite3_vtab_cursor base;            // Base class - must be first
  std::unique_ptr<CypherRun> run;      // the query's rows, from xFilter
  std::vector<sqlite3_value*> args;    // copies of the arguments (the HIDDEN columns)

  ~CypherCursor() { FreeArgs(); }
  void FreeArgs() {
    for (auto* v : args) sqlite3_value_free(v);
    args.clear();
  }
};

CypherTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<CypherTable*>(vtab); }
CypherCursor* AsCursor(sqlite3_vtab_cursor* cur) { return reinterpret_cast<CypherCursor*>(cur); }

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  int rc = sqlite3_declare_vtab(
      db, "CREATE TABLE x(row, graph HIDDEN, query HIDDEN, params HIDDEN, options HIDDEN)");
  if (rc != SQLITE_OK) {
    *err = FormatError("%s%s: bad schema", kInternalErrorPrefix, kName);
    return rc;
  }
  // Queries may write: no view or trigger may run them (see the top).
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  auto* table = new (std::nothrow) CypherTable{};
  if (table == nullptr) return SQLITE_NOMEM;
  table->conn = static_cast<Connection*>(aux);
  table->db = db;
  *out = &table->base;
  return SQLITE_OK;
}

// idxNum: bit i when argument i has an equality constraint, in argument
// order in argv; bit 30 when graph or query has none (refused in xFilter,
// at a prohibitive cost so that the planner avoids such a plan).
int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  return Guard(vtab, [&] {
    int found[kArgs] = {-1, -1, -1, -1};
    int unusable = 0;
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      int arg = c.iColumn - kGraph;
      if (arg < 0 || arg >= kArgs || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
      if (!c.usable) {
        unusable |= 1 << arg;
      } else if (found[arg] < 0) {
        found[arg] = i;
      }
    }
    int plan = 0, argv = 0;
    for (int arg = 0; arg < kArgs; ++arg) {
      if (found[arg] >= 0) {
        plan |= 1 << arg;
        info->aConstraintUsage[found[arg]].argvIndex = ++argv;
        info->aConstraintUsage[found[arg]].omit = 1;
      } else if (unusable & (1 << arg)) {
        return SQLITE_CONSTRAINT;
      } else if (arg < 2) {
        plan |= 1 << 30;
      }
    }
    info->idxNum = plan;
    info->estimatedCost = (plan & (1 << 30)) ? 1e300 : 1000;
    info->estimatedRows = (plan & (1 << 30)) ? 2147483647 : 100;
    return SQLITE_OK;
  });
}

int Filter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int argc, sqlite3_value** argv) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = AsCursor(cur);
    auto* t = AsTable(vtab);
    c->run.reset();
    c->FreeArgs();
    c->args.assign(kArgs, nullptr);
    int next = 0;
    for (int arg = 0; arg < kArgs; ++arg) {
      if ((idx_num & (1 << arg)) && next < argc) {
        c->args[static_cast<size_t>(arg)] = sqlite3_value_dup(argv[next++]);
        if (c->args[static_cast<size_t>(arg)] == nullptr) return SQLITE_NOMEM;
      }
    }
    auto has = [&](int arg) {
      return c->args[static_cast<size_t>(arg)] != nullptr && !IsNull(c->args[static_cast<size_t>(arg)]);
    };
    for (int arg : {0, 1}) {
      if (!has(arg)) {
        SetError(vtab, "%s: missing required argument '%s'", kName, arg == 0 ? "graph" : "query");
        return SQLITE_ERROR;
      }
    }
    auto found = t->conn->Find(ValueText(c->args[0]));
    if (!found.ok()) return StatusError(vtab, kName, found.status());
    std::shared_ptr<GraphHandle> graph = std::move(*found);
    if (Status s = graph->StartStatement(); !s.ok()) return StatusError(vtab, kName, s);
    const Interrupt interrupt(InterruptPredicate(t->db));
    auto query = cypher::PreparedQuery::Prepare(ValueText(c->args[1]), interrupt,
                                                t->conn->settings().cypher_procedures);
    if (!query.ok()) return StatusError(vtab, kName, query.status());
    cypher::Parameters params;
    if (has(2)) {
      auto parsed = cypher::ParseParameters(ValueText(c->args[2]));
      if (!parsed.ok()) return StatusError(vtab, kName, parsed.status().WithContext("params"));
      params = std::move(*parsed);
    }
    auto options = ParseCypherOptions(has(3) ? ValueText(c->args[3]) : "", *t->conn);
    if (!options.ok()) return StatusError(vtab, kName, options.status());
    int rc = SQLITE_OK;
    c->run = StartCypher(t->db, vtab, kName, ValueText(c->args[0]), graph, std::move(*query),
                         params, std::move(*options), &rc);
    return rc;
  });
}

int Next(sqlite3_vtab_cursor* cur) {
  return Guard(cur->pVtab, [&] { return NextCypherRow(cur->pVtab, kName, AsCursor(cur)->run.get()); });
}

int Eof(sqlite3_vtab_cursor* cur) {
  auto* c = AsCursor(cur);
  return c->run == nullptr || c->run->eof;
}

int ColumnValue(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    if (col > kRow) {
      size_t arg = static_cast<size_t>(col - kGraph);
      if (arg < c->args.size() && c->args[arg] != nullptr) sqlite3_result_value(ctx, c->args[arg]);
      return SQLITE_OK;
    }
    return ResultCypherRowJson(cur->pVtab, kName, ctx, c->run.get());
  });
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
  auto* c = AsCursor(cur);
  *rowid = c->run ? c->run->rowid : 0;
  return SQLITE_OK;
}

}  // namespace

const sqlite3_module kCypherModule = {
    /* iVersion    */ 0,
    /* xCreate     */ nullptr,  // eponymous only
    /* xConnect    */ Connect,
    /* xBestIndex  */ BestIndex,
    /* xDisconnect */ DeleteTable<CypherTable>,
    /* xDestroy    */ DeleteTable<CypherTable>,
    /* xOpen       */ OpenCursor<CypherCursor>,
    /* xClose      */ CloseCursor<CypherCursor>,
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
