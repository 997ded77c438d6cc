// tvf_analytics.h: what the analytics functions (kg_pagerank, kg_components,
// ..., kg_conductance; one per tvf_*.cc file) share on top of tvf_base.h.
//
// A function's file is its argument list, its columns and a call:
//
//   Result<std::unique_ptr<TvfRows>> ComputeKCore(const AnalyticsCall& call) {
//     SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, false));
//     SV_ASSIGN_OR_RETURN(std::vector<uint32_t> core, CoreNumbers(g, call.interrupt));
//     return PerNodeRows(call, {Ints(core)});
//   }
//   const AnalyticsSpec kSpec = {"kg_kcore", {"key", "core"}, {}, {}, ComputeKCore};
//   SAMVERKAN_ANALYTICS_MODULE(kKCoreModule, kSpec)
//
// Arguments are HIDDEN columns after the outputs: graph, then the function's
// own, then the shared ones it takes, in this order: direction ('both', the
// default, reads edges as undirected ties), weight (NULL, or 'weight': use
// the edges' weights), kinds, and the ones every function takes: types,
// valid_on, year. The subgraph arguments (kinds, types, valid_on, year)
// decide which CSR snapshot (samverkan/csr.h) is read, so repeated calls with
// the same subgraph share one cached snapshot. Kinds and types the graph has
// never seen are errors naming the ones it has.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "samverkan/analytics.h"
#include "samverkan/interrupt.h"
#include "tvf_base.h"

namespace samverkan::sql {

// Which shared arguments a function takes, besides types, valid_on and year.
struct SharedArgs {
  bool direction = false;
  bool weight = false;
  bool kinds = true;
};

// The shared arguments of one call, parsed.
struct AnalyticsInput {
  CsrSpec spec;                            // the subgraph (with_weights when weighted)
  Direction direction = Direction::kBoth;  // as given, default both
  bool weighted = false;                   // weight = 'weight'
};

// Everything a function needs once its arguments are read: the graph, the
// view, the snapshot.
struct AnalyticsContext {
  std::shared_ptr<GraphHandle> graph;
  ReadView read;
  std::shared_ptr<const CsrGraph> csr;
  AnalyticsInput input;
};

// One call of an analytics function.
struct AnalyticsCall {
  const TvfArgs& args;  // by position: 0 is graph, then the function's own
  AnalyticsContext ctx;
  const Interrupt& interrupt;  // sqlite3_interrupt(): poll it in long loops
  size_t late_begin;           // the position of the first of AnalyticsSpec::late_args

  const CsrGraph& csr() const { return *ctx.csr; }
  const GraphView& view() const { return *ctx.read.view; }
};

struct AnalyticsSpec {
  const char* name;                  // "kg_pagerank"
  std::vector<const char*> columns;  // the outputs: {"key", "rank"}
  std::vector<TvfArg> own_args;      // after graph, before the shared ones
  SharedArgs shared;
  Result<std::unique_ptr<TvfRows>> (*compute)(const AnalyticsCall& call);
  // Arguments added after the shared ones, so that those keep their places
  // in positional calls written before; usually given by name.
  std::vector<TvfArg> late_args = {};
};

// The table-valued function of `spec`: its schema, argument list and run.
TvfSpec AnalyticsTvf(const AnalyticsSpec& spec);

// Defines `module`, the eponymous table of the function `spec` describes.
#define SAMVERKAN_ANALYTICS_MODULE(module, spec)                                         \
  namespace {                                                                            \
  const TvfSpec kTvf = AnalyticsTvf(spec);                                               \
  int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out,       \
              char** err) {                                                              \
    return TvfConnect(&kTvf, db, aux, out, err);                                         \
  }                                                                                      \
  }                                                                                      \
  const sqlite3_module module = SAMVERKAN_TVF_MODULE(Connect);

// The snapshot of the subgraph: the Db's cached one when the query reads the
// latest committed graph, else (a transaction with uncommitted writes, or
// one that reads an older state) one built from the view, so results show
// exactly what the view does.
Result<std::shared_ptr<const CsrGraph>> AnalyticsCsr(const ReadView& read, const CsrSpec& spec);

// A number argument in [min, max], or `fallback` when absent.
// InvalidArgument: "<name> must be a number between <min> and <max>".
Result<double> NumberArgument(const TvfArgs& args, size_t arg, const char* name, double fallback,
                              double min, double max);
// A node kind argument (e.g. via = 'project'), or `fallback` when absent;
// InvalidArgument when the graph has no such kind.
Result<std::string> KindArgument(const AnalyticsCall& call, size_t arg, const char* name,
                                 std::string_view fallback);

// A double as an SQL value: NULL for NaN (an undefined measure).
SqlValue NumberValue(double x);

// The values of one output column, by row. Doubles that are NaN (an
// undefined measure) are NULL.
using ResultColumn =
    std::variant<std::vector<double>, std::vector<int64_t>, std::vector<std::string>>;
// Widens counts and ids to SQL integers.
std::vector<int64_t> Ints(const std::vector<uint32_t>& values);
std::vector<int64_t> Ints(const std::vector<uint64_t>& values);

// One row per node of the snapshot, in dense-index order: its key, then
// `columns` (each with one value per node).
std::unique_ptr<TvfRows> PerNodeRows(const AnalyticsCall& call, std::vector<ResultColumn> columns);
// One row per pair: nodes[2r] and nodes[2r+1] (dense indexes) as two key
// columns, then `columns`.
std::unique_ptr<TvfRows> PerPairRows(const AnalyticsCall& call, std::vector<uint32_t> nodes,
                                     std::vector<ResultColumn> columns);
// One row per entry of `nodes` (a node may repeat): its key, then `columns`.
std::unique_ptr<TvfRows> KeyedRows(const AnalyticsCall& call, std::vector<uint32_t> nodes,
                                   std::vector<ResultColumn> columns);

// The ties the cross-sector measures count (kg_sector_mixing, kg_ei_index,
// kg_assortativity, kg_brokerage, kg_conductance): with `via` (a node kind,
// e.g. 'project') the projection through nodes of that kind, weighted by the
// number shared; else the subgraph's edges in `direction`. Unweighted
// unless input.weighted.
Result<SimpleGraph> TieGraph(const AnalyticsCall& call, size_t via_arg, Direction direction);

// The group measures (kg_sector_mixing, kg_ei_index, kg_assortativity,
// kg_conductance) take the same own arguments, attribute and via, and the
// shared weight, kinds, types, valid_on, year.
enum GroupArg : size_t { kGroupGraph, kGroupAttribute, kGroupVia };
const std::vector<TvfArg>& GroupArgs();
inline constexpr SharedArgs kGroupShared = {.direction = false, .weight = true, .kinds = true};

// What a group measure starts from: the nodes' groups (by `attribute`,
// default 'sector') and the undirected ties between nodes.
struct GroupedTies {
  NodeGroups groups;
  SimpleGraph ties;
};
Result<GroupedTies> OpenGroupedTies(const AnalyticsCall& call);

}  // namespace samverkan::sql
