// tvf_clustering.cc: kg_clustering, local clustering coefficients.
//
// USAGE
//
//   SELECT * FROM kg_clustering('kg') WHERE triangles > 0;
//   SELECT avg(clustering) FROM kg_clustering('kg');  -- nx.average_clustering
//
// nx.clustering and nx.triangles of the simple undirected graph: the share
// of a node's neighbour pairs that are themselves tied (0 below two
// neighbours).
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeClustering(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(Clustering c, ClusteringOf(g, call.interrupt));
  return PerNodeRows(call, {std::move(c.coefficient), Ints(c.triangles)});
}

const AnalyticsSpec kSpec = {
    "kg_clustering", {"key", "clustering", "triangles"}, {}, {}, ComputeClustering,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kClusteringModule, kSpec)

}  // namespace samverkan::sql
