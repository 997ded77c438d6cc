// tvf_projection.cc: kg_projection, the bipartite projection of a two-mode
// graph (actors and projects) onto one mode (actor-actor ties).
//
// USAGE
//
//   SELECT * FROM kg_projection('kg') ORDER BY weight DESC;
//   SELECT * FROM kg_projection('kg', 'actor', 'project', 'participates_in', NULL, 2021);
//
// Two `keep` nodes are tied when they share at least one `via` neighbour
// (edges in either direction), weighted by how many they share:
// nx.bipartite.weighted_projected_graph. One row per tie, actor_a < actor_b
// by internal id. With `year`, only edges valid in that year take part: the
// collaboration network of that year.
//
// ARGUMENTS
//
//   graph     required   a samverkan table of this connection
//   keep      'actor'    the kind of node kept
//   via       'project'  the kind of node that ties them
//   types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kKeep, kVia };

Result<std::unique_ptr<TvfRows>> ComputeProjection(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(std::string keep, KindArgument(call, kKeep, "keep", "actor"));
  SV_ASSIGN_OR_RETURN(std::string via, KindArgument(call, kVia, "via", "project"));
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      Project(call.csr(), call.view().schema(), keep, via, call.interrupt));
  std::vector<uint32_t> pairs;
  std::vector<double> weights;
  for (uint32_t a = 0; a < g.num_nodes; ++a) {
    for (uint64_t i = g.offsets[a]; i < g.offsets[a + 1]; ++i) {
      if (g.targets[i] < a) continue;  // each tie once
      pairs.push_back(a);
      pairs.push_back(g.targets[i]);
      weights.push_back(g.weight(i));
    }
  }
  return PerPairRows(call, std::move(pairs), {std::move(weights)});
}

const AnalyticsSpec kSpec = {
    "kg_projection",
    {"actor_a", "actor_b", "weight"},
    {{"keep", false}, {"via", false}},
    {.kinds = false},
    ComputeProjection,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kProjectionModule, kSpec)

}  // namespace samverkan::sql
