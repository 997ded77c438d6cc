// tvf_kcore.cc: kg_kcore, the core number of every node.
//
// USAGE
//
//   SELECT * FROM kg_kcore('kg') ORDER BY core DESC;
//   SELECT key FROM kg_kcore('kg') WHERE core >= 3;   -- the 3-core
//
// nx.core_number of the simple undirected graph: the largest k such that
// the node is in a subgraph where every node has at least k neighbours.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeKCore(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(call.csr(), Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(std::vector<uint32_t> core, CoreNumbers(g));
  return PerNodeRows(call, {Ints(core)});
}

const AnalyticsSpec kSpec = {"kg_kcore", {"key", "core"}, {}, {}, ComputeKCore};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kKCoreModule, kSpec)

}  // namespace samverkan::sql
