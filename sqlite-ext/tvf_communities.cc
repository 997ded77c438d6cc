// tvf_communities.cc: kg_communities, Louvain communities and their
// modularity.
//
// USAGE
//
//   SELECT * FROM kg_communities('kg');
//   SELECT community, count(*) FROM kg_communities('kg') GROUP BY community;
//   SELECT c.community, n.sector, count(*) FROM kg_communities('kg') c
//     JOIN kg_nodes n USING (key) GROUP BY 1, 2;      -- sector make-up
//
// Louvain (Blondel et al. 2008) on the undirected graph, as
// nx.community.louvain_communities: modularity is maximised greedily, level
// by level. `modularity` (the same on every row) is Newman's modularity of
// the partition found, nx.community.modularity. The result is deterministic
// for a given seed.
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   resolution  1         > 1 favours smaller communities, < 1 larger ones
//   seed        42        the random visiting order; 0 visits in id order
//   weight      NULL      'weight': ties count by their edges' weights
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kResolution, kSeed };

Result<std::unique_ptr<TvfRows>> ComputeCommunities(const AnalyticsCall& call) {
  LouvainOptions o;
  SV_ASSIGN_OR_RETURN(o.resolution,
                      NumberArgument(call.args, kResolution, "resolution", 1, 0, 1e9));
  SV_ASSIGN_OR_RETURN(uint32_t seed, CountArgument(call.args, kSeed, "seed", 42));
  o.seed = seed;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(call.csr(), Direction::kBoth, call.ctx.input.weighted));
  SV_ASSIGN_OR_RETURN(Communities c, Louvain(g, o, call.interrupt));
  std::vector<int64_t> sizes(c.count, 0);
  for (uint32_t comm : c.community) ++sizes[comm];
  std::vector<int64_t> size(c.community.size());
  for (size_t v = 0; v < size.size(); ++v) size[v] = sizes[c.community[v]];
  std::vector<double> modularity(c.community.size(), c.modularity);
  return PerNodeRows(call, {Ints(c.community), std::move(size), std::move(modularity)});
}

const AnalyticsSpec kSpec = {
    "kg_communities",
    {"key", "community", "size", "modularity"},
    {{"resolution", false}, {"seed", false}},
    {.weight = true},
    ComputeCommunities,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kCommunitiesModule, kSpec)

}  // namespace samverkan::sql
