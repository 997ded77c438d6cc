// tvf_degree.cc: kg_degree, the degrees of every node.
//
// USAGE
//
//   SELECT * FROM kg_degree('kg') ORDER BY degree DESC LIMIT 10;
//   SELECT key, degree FROM kg_degree('kg', NULL, 'participates_in');
//
// out_degree and in_degree count edges as stored (parallel edges each);
// degree is their sum; neighbors counts distinct neighbours either way, and
// centrality is neighbors / (n-1), nx.degree_centrality of the simple
// undirected graph.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeDegree(const AnalyticsCall& call) {
  Degrees d = DegreesOf(call.csr());
  std::vector<int64_t> total(d.out.size());
  for (size_t v = 0; v < total.size(); ++v) total[v] = static_cast<int64_t>(d.out[v] + d.in[v]);
  return PerNodeRows(call, {Ints(d.out), Ints(d.in), std::move(total), Ints(d.neighbors),
                            std::move(d.centrality)});
}

const AnalyticsSpec kSpec = {
    "kg_degree",
    {"key", "out_degree", "in_degree", "degree", "neighbors", "centrality"},
    {},
    {},
    ComputeDegree,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kDegreeModule, kSpec)

}  // namespace samverkan::sql
