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
// ARGUMENTS
//
//   graph        required  a samverkan table of this connection
//   wf_improved  1         0: no scaling for disconnected graphs
//   direction    'both'    'out', 'in' or 'both'
//   weight       NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kWfImproved };

Result<std::unique_ptr<TvfRows>> ComputeCloseness(const AnalyticsCall& call) {
  ClosenessOptions o;
  SV_ASSIGN_OR_RETURN(o.wf_improved, BoolArgument(call.args, kWfImproved, "wf_improved", true));
  o.weighted = call.ctx.input.weighted;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(call.csr(), call.ctx.input.direction, o.weighted));
  SV_ASSIGN_OR_RETURN(std::vector<double> cc, Closeness(g, o, call.interrupt));
  return PerNodeRows(call, {std::move(cc)});
}

const AnalyticsSpec kSpec = {
    "kg_closeness", {"key", "closeness"}, {{"wf_improved", false}},
    {.direction = true, .weight = true}, ComputeCloseness,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kClosenessModule, kSpec)

}  // namespace samverkan::sql
