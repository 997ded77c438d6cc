// tvf_betweenness.cc: kg_betweenness, betweenness centrality of every node.
//
// USAGE
//
//   SELECT * FROM kg_betweenness('kg') ORDER BY betweenness DESC LIMIT 10;
//   SELECT * FROM kg_betweenness('kg', 1, 500);   -- estimate from 500 sources
//
// nx.betweenness_centrality (Brandes): the share of shortest paths between
// other pairs that pass through the node. Normalised by (n-1)(n-2) unless
// normalized = 0 (then an undirected graph counts each pair once). With
// samples = k, k random sources stand for all (scaled by n/k): an estimate
// for graphs too large for the exact O(nm).
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   normalized  1         0: raw pair counts
//   samples     0         0: exact; k: estimate from k random sources
//   seed        42        the sources' random seed
//   direction   'both'    'out'/'in': directed paths along/against edges
//   weight      NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kNormalized, kSamples, kSeed };

Result<std::unique_ptr<TvfRows>> ComputeBetweenness(const AnalyticsCall& call) {
  BetweennessOptions o;
  SV_ASSIGN_OR_RETURN(o.normalized, BoolArgument(call.args, kNormalized, "normalized", true));
  SV_ASSIGN_OR_RETURN(o.samples, CountArgument(call.args, kSamples, "samples", 0));
  SV_ASSIGN_OR_RETURN(uint32_t seed, CountArgument(call.args, kSeed, "seed", 42));
  o.seed = seed;
  o.weighted = call.ctx.input.weighted;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(call.csr(), call.ctx.input.direction, o.weighted));
  SV_ASSIGN_OR_RETURN(std::vector<double> bc, Betweenness(g, o, call.interrupt));
  return PerNodeRows(call, {std::move(bc)});
}

const AnalyticsSpec kSpec = {
    "kg_betweenness",
    {"key", "betweenness"},
    {{"normalized", false}, {"samples", false}, {"seed", false}},
    {.direction = true, .weight = true},
    ComputeBetweenness,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kBetweennessModule, kSpec)

}  // namespace samverkan::sql
