// tvf_base.cc: the shared table-valued-function module. See tvf_base.h.
#include "tvf_base.h"

#include "samverkan/options.h"

namespace samverkan::sql {
namespace {

struct TvfTable {
  sqlite3_vtab base;          // Base class - must be first
  Connection* conn;           // this connection's graphs (pAux)
  const TvfSpec* spec;        // which function this is
};

struct TvfCursor {
  sqlite3_vtab_cursor base;            // Base class - must be first
  std::unique_ptr<TvfRows> rows;       // the result rows, from xFilter
  size_t pos = 0;                      // the current row
  std::vector<sqlite3_value*> args;    // copies of the arguments (for the HIDDEN columns)

  ~TvfCursor() { FreeArgs(); }
  void FreeArgs() {
    for (auto* v : args) sqlite3_value_free(v);
    args.clear();
  }
};

TvfTable* AsTable(sqlite3_vtab* vtab) { return reinterpret_cast<TvfTable*>(vtab); }
TvfCursor* AsCursor(sqlite3_vtab_cursor* cur) { return reinterpret_cast<TvfCursor*>(cur); }

// idxNum bit for "a required argument has no constraint at all"; see below.
constexpr int kMissingRequired = 1 << 30;

}  // namespace

int TvfConnect(const TvfSpec* spec, sqlite3* db, void* aux, sqlite3_vtab** out, char** err) {
  int rc = sqlite3_declare_vtab(db, spec->schema.c_str());
  if (rc != SQLITE_OK) {
    *err = FormatError("%s%s: bad schema", kInternalErrorPrefix, spec->name);
    return rc;
  }
  // Every function opens the graph its first argument names, connecting
  // that graph's table (and so its directory) if needed: no view or trigger
  // of a database's schema may do that on the user's behalf.
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  auto* table = new (std::nothrow) TvfTable{};
  if (table == nullptr) return SQLITE_NOMEM;
  table->conn = static_cast<Connection*>(aux);
  table->spec = spec;
  *out = &table->base;
  return SQLITE_OK;
}

int TvfDisconnect(sqlite3_vtab* vtab) {
  delete AsTable(vtab);
  return SQLITE_OK;
}

// idxNum: bit i set when argument i (the i-th HIDDEN column) has a usable
// equality constraint; xFilter receives those values in argument order.
// Bit 30 marks a plan in which a required argument has no constraint at
// all. SQLite 3.40 answers a plain SQLITE_CONSTRAINT with only "no query
// solution", so such a plan is accepted at a prohibitive cost and xFilter
// raises "<name>: missing required argument '<arg>'". An argument
// (required or not) that is constrained but not usable in this join order
// is refused with SQLITE_CONSTRAINT, so the planner tries another order
// (series.c).
int TvfBestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  return Guard(vtab, [&] {
    const TvfSpec* spec = AsTable(vtab)->spec;
    const int n_args = static_cast<int>(spec->args.size());
    std::vector<int> found(n_args, -1);
    int unusable = 0;
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      int arg = c.iColumn - spec->n_outputs;
      if (arg < 0 || arg >= n_args || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
      if (!c.usable) {
        unusable |= 1 << arg;
      } else if (found[arg] < 0) {
        found[arg] = i;
      }
    }
    int plan = 0;
    int argv_index = 0;
    for (int arg = 0; arg < n_args; ++arg) {
      if (found[arg] >= 0) {
        plan |= 1 << arg;
        info->aConstraintUsage[found[arg]].argvIndex = ++argv_index;
        info->aConstraintUsage[found[arg]].omit = 1;
      } else if (unusable & (1 << arg)) {
        // Optional arguments too: a plan that ran the function without an
        // argument the query gives (from a table joined to its left) would
        // compute the wrong rows, which the HIDDEN-column check then drops.
        return SQLITE_CONSTRAINT;
      } else if (spec->args[arg].required) {
        plan |= kMissingRequired;
      }
    }
    info->idxNum = plan;
    if (plan & kMissingRequired) {
      // Make this case very expensive so that the query planner will work
      // hard to avoid it.
      info->estimatedCost = 1e300;
      info->estimatedRows = 2147483647;
    } else {
      info->estimatedCost = 10;
      info->estimatedRows = 10;
    }
    return SQLITE_OK;
  });
}

int TvfOpen(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return Guard(vtab, [&] {
    *out = &(new TvfCursor)->base;
    return SQLITE_OK;
  });
}

int TvfClose(sqlite3_vtab_cursor* cur) {
  delete AsCursor(cur);
  return SQLITE_OK;
}

int TvfFilter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int argc, sqlite3_value** argv) {
  sqlite3_vtab* vtab = cur->pVtab;
  return Guard(vtab, [&] {
    auto* c = AsCursor(cur);
    const TvfSpec* spec = AsTable(vtab)->spec;
    c->rows.reset();
    c->pos = 0;
    c->FreeArgs();
    c->args.assign(spec->args.size(), nullptr);
    int next = 0;
    for (size_t arg = 0; arg < spec->args.size(); ++arg) {
      if ((idx_num & (1 << arg)) && next < argc) {
        c->args[arg] = sqlite3_value_dup(argv[next++]);
        if (c->args[arg] == nullptr) return SQLITE_NOMEM;
      }
    }
    for (size_t arg = 0; arg < spec->args.size(); ++arg) {
      if (spec->args[arg].required && (c->args[arg] == nullptr || IsNull(c->args[arg]))) {
        SetError(vtab, "%s: missing required argument '%s'", spec->name, spec->args[arg].name);
        return SQLITE_ERROR;
      }
    }
    auto rows = spec->run(AsTable(vtab)->conn, TvfArgs(c->args));
    if (!rows.ok()) return StatusError(vtab, spec->name, rows.status());
    c->rows = std::move(*rows);
    return SQLITE_OK;
  });
}

int TvfNext(sqlite3_vtab_cursor* cur) {
  ++AsCursor(cur)->pos;
  return SQLITE_OK;
}

int TvfEof(sqlite3_vtab_cursor* cur) {
  auto* c = AsCursor(cur);
  return c->rows == nullptr || c->pos >= c->rows->size();
}

int TvfColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  return Guard(cur->pVtab, [&] {
    auto* c = AsCursor(cur);
    const TvfSpec* spec = AsTable(cur->pVtab)->spec;
    if (col >= spec->n_outputs) {
      size_t arg = static_cast<size_t>(col - spec->n_outputs);
      if (arg < c->args.size() && c->args[arg] != nullptr) sqlite3_result_value(ctx, c->args[arg]);
      return SQLITE_OK;
    }
    auto value = c->rows->Column(c->pos, col);
    if (!value.ok()) return StatusError(cur->pVtab, spec->name, value.status());
    if (const auto* i = std::get_if<int64_t>(&*value)) {
      sqlite3_result_int64(ctx, *i);
    } else if (const auto* d = std::get_if<double>(&*value)) {
      sqlite3_result_double(ctx, *d);
    } else if (const auto* text = std::get_if<std::string>(&*value)) {
      ResultText(ctx, *text);
    }  // monostate: NULL, SQLite's default
    return SQLITE_OK;
  });
}

int TvfRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
  *rowid = static_cast<sqlite3_int64>(AsCursor(cur)->pos + 1);
  return SQLITE_OK;
}

Result<std::shared_ptr<GraphHandle>> GraphArgument(Connection* conn, const TvfArgs& args,
                                                   size_t arg) {
  SV_ASSIGN_OR_RETURN(auto graph, conn->Find(args.Text(arg)));
  SV_RETURN_IF_ERROR(graph->StartStatement());
  return graph;
}

Result<std::shared_ptr<const CsrGraph>> CsrFor(const ReadView& read, const EdgeFilter& filter,
                                               bool shallow) {
  if (read.latest == nullptr) return std::shared_ptr<const CsrGraph>();
  const CsrSpec spec{.valid_on = filter.valid_on};
  if (!shallow) return read.latest->Adjacency(spec);  // walks read no edge positions
  if (auto cached = read.latest->CsrIfCached(spec)) return cached;
  read.latest->WarmCsr(spec);
  return std::shared_ptr<const CsrGraph>();
}

Result<NodeId> NodeArgument(const GraphView& view, const TvfArgs& args, size_t arg) {
  return view.FindKey(args.Text(arg));
}

Result<EdgeFilter> EdgeFilterArguments(const TvfArgs& args, size_t direction, size_t types,
                                       size_t valid_on) {
  EdgeFilter filter;
  if (args.Has(direction)) {
    std::string text = args.Text(direction);
    auto parsed = ParseDirection(text);
    if (!parsed.ok()) {
      return Status::InvalidArgument("direction must be 'out', 'in' or 'both', not '" + text +
                                     "'");
    }
    filter.direction = *parsed;
  }
  if (args.Has(types)) {
    SV_ASSIGN_OR_RETURN(filter.types, ArgumentReader().NameList(args.Text(types), "types"));
  }
  if (args.Has(valid_on)) {
    auto date = Date::Parse(args.Text(valid_on));
    if (!date.ok()) return date.status().WithContext("valid_on");
    filter.valid_on = *date;
  }
  return filter;
}

Result<uint32_t> CountArgument(const TvfArgs& args, size_t arg, const char* name,
                               uint32_t fallback) {
  if (!args.Has(arg)) return fallback;
  sqlite3_value* v = args.Value(arg);
  if (sqlite3_value_numeric_type(v) != SQLITE_INTEGER || sqlite3_value_int64(v) < 0 ||
      sqlite3_value_int64(v) > UINT32_MAX) {
    return ArgumentReader().Refuse(
        name, "must be a non-negative integer, not '" + std::string(ValueText(v)) + "'");
  }
  return static_cast<uint32_t>(sqlite3_value_int64(v));
}

Result<bool> BoolArgument(const TvfArgs& args, size_t arg, const char* name, bool fallback) {
  if (!args.Has(arg)) return fallback;
  return ArgumentReader().YesNo(ValueText(args.Value(arg)), name);
}

}  // namespace samverkan::sql
