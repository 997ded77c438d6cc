// tvf_analytics.h: what the analytics functions (kg_pagerank, kg_components,
// ..., kg_conductance; one per tvf_*.cc file) share on top of tvf_base.h.
//
//   * The subgraph arguments every one of them takes, in this order at the
//     end of its HIDDEN columns: kinds, types, valid_on, year. They decide
//     which CSR snapshot (samverkan/csr.h) the function reads, so repeated
//     calls with the same subgraph share one cached snapshot.
//   * The direction ('both', the default, reads edges as undirected ties)
//     and weight (NULL, or 'weight': use the edges' weights) arguments.
//   * NodeRows: rows that name nodes by key, looked up only when SQLite
//     asks for the key column.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "samverkan/analytics.h"
#include "tvf_base.h"

namespace samverkan::sql {

// Where a function keeps the shared arguments; SIZE_MAX when it lacks one.
struct AnalyticsArgIndexes {
  size_t direction = SIZE_MAX;
  size_t weight = SIZE_MAX;
  size_t kinds = SIZE_MAX;
  size_t types = SIZE_MAX;
  size_t valid_on = SIZE_MAX;
  size_t year = SIZE_MAX;
};

// The shared arguments of one call, parsed.
struct AnalyticsInput {
  CsrSpec spec;                            // the subgraph (with_weights when weighted)
  Direction direction = Direction::kBoth;  // as given, default both
  bool weighted = false;                   // weight = 'weight'
};

// InvalidArgument names the argument: "direction must be 'out', 'in' or
// 'both', not 'up'", "weight must be NULL or 'weight', not 'x'", "year must
// be an integer year, not 'x'", "valid_on: invalid date ...".
Result<AnalyticsInput> AnalyticsArguments(const TvfArgs& args, const AnalyticsArgIndexes& at);

// The snapshot of the subgraph: the Db's cached one when the query reads the
// committed graph, else (inside a transaction with uncommitted writes) one
// built from the transaction's view, so results include those writes.
Result<std::shared_ptr<const CsrGraph>> AnalyticsCsr(const GraphHandle& graph,
                                                     const ReadView& read, const CsrSpec& spec);

// Everything a function needs once its arguments are read: the graph, the
// view, the snapshot.
struct AnalyticsContext {
  std::shared_ptr<GraphHandle> graph;
  ReadView read;
  std::shared_ptr<const CsrGraph> csr;
  AnalyticsInput input;
};
Result<AnalyticsContext> OpenAnalytics(Connection* conn, const TvfArgs& args, size_t graph_arg,
                                       const AnalyticsArgIndexes& at);

// A number argument in [min, max], or `fallback` when absent.
// InvalidArgument: "<name> must be a number between <min> and <max>".
Result<double> NumberArgument(const TvfArgs& args, size_t arg, const char* name, double fallback,
                              double min, double max);

// A double as an SQL value: NULL for NaN (an undefined measure).
SqlValue NumberValue(double x);

// Rows in which the first `keys_per_row` columns are node keys (of dense
// indexes into `csr`) and the others come from `value(row, col)`.
class NodeRows final : public TvfRows {
 public:
  using ValueFn = std::function<SqlValue(size_t row, int col)>;
  // nodes[row * keys_per_row + c] is the node in key column c of row `row`.
  NodeRows(ReadView read, std::shared_ptr<const CsrGraph> csr, std::vector<uint32_t> nodes,
           int keys_per_row, ValueFn value);

  size_t size() const override { return nodes_.size() / static_cast<size_t>(keys_per_row_); }
  Result<SqlValue> Column(size_t row, int col) const override;

 private:
  ReadView read_;
  std::shared_ptr<const CsrGraph> csr_;
  std::vector<uint32_t> nodes_;
  int keys_per_row_;
  ValueFn value_;
  // SQLite reads a row's columns one after another and consecutive rows
  // often share a node: keep the last key of each key column.
  mutable std::vector<std::pair<uint32_t, std::string>> last_;
};

// The ties the cross-sector measures count (kg_sector_mixing, kg_ei_index,
// kg_assortativity, kg_brokerage, kg_conductance): with `via` (a node kind,
// e.g. 'project') the projection through nodes of that kind, weighted by the
// number shared; else the subgraph's edges in `direction`. Unweighted
// unless input.weighted.
Result<SimpleGraph> TieGraph(const AnalyticsContext& ctx, const TvfArgs& args, size_t via_arg,
                             Direction direction);

// The group measures (kg_sector_mixing, kg_ei_index, kg_assortativity,
// kg_conductance) take the same arguments, in this order, ...
enum GroupArg : size_t {
  kGroupGraph, kGroupAttribute, kGroupVia, kGroupWeight,
  kGroupKinds, kGroupTypes, kGroupValidOn, kGroupYear,
};
// ... declared in their schemas as these HIDDEN columns ...
#define SAMVERKAN_GROUP_ARG_COLUMNS \
  "graph HIDDEN, attribute HIDDEN, via HIDDEN, weight HIDDEN, kinds HIDDEN, types HIDDEN, " \
  "valid_on HIDDEN, year HIDDEN"
// ... and described by this list for their TvfSpec.
const std::vector<TvfArg>& GroupArgs();

// What a group measure starts from: the nodes' groups (by `attribute`,
// default 'sector') and the undirected ties between nodes.
struct GroupedTies {
  AnalyticsContext ctx;
  NodeGroups groups;
  SimpleGraph ties;
};
Result<GroupedTies> OpenGroupedTies(Connection* conn, const TvfArgs& args);

}  // namespace samverkan::sql
