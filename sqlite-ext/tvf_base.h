// tvf_base.h: the machinery shared by the table-valued functions
// (kg_neighbors, kg_shortest_path, kg_all_shortest_paths, kg_find).
//
// Each function is an eponymous-only virtual table whose arguments are
// HIDDEN columns after the output columns, as in series.c. Arguments can be
// given positionally, kg_neighbors('kg', 'org:msi', 2), or by name,
// ... FROM kg_neighbors WHERE graph = 'kg' AND start = 'org:msi' AND depth = 2.
// A function file supplies a TvfSpec: the schema, the argument list and a
// Run() that computes the rows at xFilter as a TvfRows. Columns are computed
// when SQLite asks for them, so SELECT count(*) over a neighbourhood of
// 100,000 nodes reads no node records at all.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "graph_registry.h"
#include "samverkan/csr.h"
#include "samverkan/traversal.h"
#include "vtab_base.h"

namespace samverkan::sql {

using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

// The rows of one call.
class TvfRows {
 public:
  virtual ~TvfRows() = default;
  virtual size_t size() const = 0;
  // Output column `col` of row `row`. REQUIRES: row < size().
  virtual Result<SqlValue> Column(size_t row, int col) const = 0;
};

// Rows computed in full up front: for small results (paths, lookups).
class MaterializedRows final : public TvfRows {
 public:
  explicit MaterializedRows(std::vector<SqlRow> rows) : rows_(std::move(rows)) {}
  size_t size() const override { return rows_.size(); }
  Result<SqlValue> Column(size_t row, int col) const override {
    return rows_[row][static_cast<size_t>(col)];
  }

 private:
  std::vector<SqlRow> rows_;
};

struct TvfArg {
  const char* name;
  bool required;
};

// The arguments one call received; absent ones are null.
class TvfArgs {
 public:
  explicit TvfArgs(std::vector<sqlite3_value*> values) : values_(std::move(values)) {}
  bool Has(size_t i) const { return values_[i] != nullptr && !IsNull(values_[i]); }
  sqlite3_value* Value(size_t i) const { return values_[i]; }
  std::string Text(size_t i, std::string_view fallback = {}) const {
    return Has(i) ? std::string(ValueText(values_[i])) : std::string(fallback);
  }

 private:
  std::vector<sqlite3_value*> values_;
};

struct TvfSpec {
  const char* name;    // "kg_neighbors": the module name and error prefix
  std::string schema;  // CREATE TABLE x(<outputs>, <args> HIDDEN)
  int n_outputs;       // output columns; the arguments follow them
  std::vector<TvfArg> args;
  // Computes the rows. A failed Status becomes "<name>: <message>".
  std::function<Result<std::unique_ptr<TvfRows>>(Connection* conn, const TvfArgs& args)> run;
};

// xConnect for the function described by `spec`.
int TvfConnect(const TvfSpec* spec, sqlite3* db, void* aux, sqlite3_vtab** out, char** err);

// The graph named by argument `arg` ("kg"), ready to read through:
// NotFound "no graph named 'x' in this connection".
Result<std::shared_ptr<GraphHandle>> GraphArgument(Connection* conn, const TvfArgs& args,
                                                   size_t arg);
// The node with key argument `arg`: NotFound "unknown node 'org:x'".
Result<NodeId> NodeArgument(const GraphView& view, const TvfArgs& args, size_t arg);

// The CSR snapshot to traverse for a query that reads `read` with `filter`,
// or null when the query must read the stored adjacency instead: inside a
// transaction with uncommitted writes, which a CSR of committed data would
// not show, or one that reads an older state than the latest. A query that
// reads little (`shallow`: one hop) does not wait for a snapshot to be
// built: it reads the stored adjacency, and has one built in the
// background for the queries after it.
Result<std::shared_ptr<const CsrGraph>> CsrFor(const ReadView& read, const EdgeFilter& filter,
                                               bool shallow);

// The module functions after xConnect, the same for every function.
int TvfDisconnect(sqlite3_vtab* vtab);
int TvfBestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info);
int TvfOpen(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out);
int TvfClose(sqlite3_vtab_cursor* cur);
int TvfFilter(sqlite3_vtab_cursor* cur, int idx_num, const char* idx_str, int argc,
              sqlite3_value** argv);
int TvfNext(sqlite3_vtab_cursor* cur);
int TvfEof(sqlite3_vtab_cursor* cur);
int TvfColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col);
int TvfRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid);

// An eponymous-only module (xCreate = NULL) with `connect` as xConnect.
#define SAMVERKAN_TVF_MODULE(connect)                                              \
  {                                                                                \
    /* iVersion    */ 0, /* xCreate */ nullptr, /* xConnect */ connect,            \
        /* xBestIndex  */ TvfBestIndex, /* xDisconnect */ TvfDisconnect,           \
        /* xDestroy    */ TvfDisconnect, /* xOpen */ TvfOpen, /* xClose */ TvfClose, \
        /* xFilter     */ TvfFilter, /* xNext */ TvfNext, /* xEof */ TvfEof,       \
        /* xColumn     */ TvfColumn, /* xRowid */ TvfRowid, /* xUpdate */ nullptr, \
        /* xBegin      */ nullptr, /* xSync */ nullptr, /* xCommit */ nullptr,     \
        /* xRollback   */ nullptr, /* xFindMethod */ nullptr, /* xRename */ nullptr, \
        /* xSavepoint  */ nullptr, /* xRelease */ nullptr, /* xRollbackTo */ nullptr, \
        /* xShadowName */ nullptr                                                  \
  }


// The edge filter of a traversal from its direction, types and valid_on
// arguments (any index may be SIZE_MAX when the function lacks it).
// InvalidArgument names the argument: "direction must be 'out', 'in' or
// 'both', not 'up'", "valid_on: invalid date ...".
Result<EdgeFilter> EdgeFilterArguments(const TvfArgs& args, size_t direction, size_t types,
                                       size_t valid_on);

// A non-negative integer argument, or `fallback` when absent.
// InvalidArgument: "<name> must be a non-negative integer".
Result<uint32_t> CountArgument(const TvfArgs& args, size_t arg, const char* name,
                               uint32_t fallback);

// A yes/no argument: 1/0, true/false, yes/no, on/off (any case), or
// `fallback` when absent. InvalidArgument: "<name> must be 1 or 0 (true or
// false), not 'maybe'".
Result<bool> BoolArgument(const TvfArgs& args, size_t arg, const char* name, bool fallback);

}  // namespace samverkan::sql
