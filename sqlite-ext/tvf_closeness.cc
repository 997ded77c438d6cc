// tvf_closeness.cc: kg_closeness, closeness centrality of every node.
//
// USAGE
//
//   SELECT * FROM kg_closeness('kg') ORDER BY closeness DESC LIMIT 10;
//
// nx.closeness_centrality: (r-1) / (sum of distances to the r-1 nodes the
// node reaches), scaled by (r-1)/(n-1) (Wasserman-Faust; wf_improved = 0
// turns that off). Distances follow `direction` from the node: 'out' along
// edges; NetworkX's directed closeness uses distances *to* the node, which
// is 'in' here.
//
// SCHEMA
//
//   CREATE TABLE x(key, closeness, graph HIDDEN, wf_improved HIDDEN,
//                  direction HIDDEN, weight HIDDEN, kinds HIDDEN, types HIDDEN,
//                  valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph        required  a samverkan table of this connection
//   wf_improved  1         0: no scaling for disconnected graphs
//   direction    'both'    'out', 'in' or 'both'
//   weight       NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, round(closeness, 4) FROM kg_closeness('kg') LIMIT 1;
//   org:msi|0.6667
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kWfImproved, kDirection, kWeight, kKinds, kTypes, kValidOn, kYear };

Result<std::unique_ptr<TvfRows>> RunCloseness(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.direction = kDirection, .weight = kWeight, .kinds = kKinds,
                                     .types = kTypes, .valid_on = kValidOn, .year = kYear}));
  ClosenessOptions o;
  if (args.Has(kWfImproved)) o.wf_improved = sqlite3_value_int(args.Value(kWfImproved)) != 0;
  o.weighted = ctx.input.weighted;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(*ctx.csr, ctx.input.direction, ctx.input.weighted));
  SV_ASSIGN_OR_RETURN(std::vector<double> cc, Closeness(g, o));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  auto values = std::make_shared<std::vector<double>>(std::move(cc));
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1,
      [values](size_t row, int) { return SqlValue((*values)[row]); }));
}

const TvfSpec kSpec = {
    "kg_closeness",
    "CREATE TABLE x(key, closeness, graph HIDDEN, wf_improved HIDDEN, direction HIDDEN, "
    "weight HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    2,
    {{"graph", true}, {"wf_improved", false}, {"direction", false}, {"weight", false},
     {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunCloseness,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kClosenessModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
