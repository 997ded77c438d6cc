// tvf_components.cc: kg_components, the connected components.
//
// USAGE
//
//   SELECT * FROM kg_components('kg');                      -- weak
//   SELECT component, size FROM kg_components('kg', 'strong') GROUP BY component;
//   SELECT key FROM kg_components('kg') WHERE size = 1;     -- isolated nodes
//
// Weakly connected components ignore edge direction (nx.connected_components
// of the undirected graph); strongly connected ones follow edges as stored
// (nx.strongly_connected_components). Components are numbered 0, 1, ... in
// the order of their first node by internal id.
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   mode          'weak'    'weak' or 'strong'
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kMode };

Result<std::unique_ptr<TvfRows>> ComputeComponents(const AnalyticsCall& call) {
  std::string mode = call.args.Text(kMode, "weak");
  if (mode != "weak" && mode != "strong") {
    return Status::InvalidArgument("mode must be 'weak' or 'strong', not '" + mode + "'");
  }
  Components c = mode == "weak" ? WeakComponents(call.csr()) : StrongComponents(call.csr());
  std::vector<int64_t> size(c.component.size());
  for (size_t v = 0; v < size.size(); ++v) size[v] = c.size[c.component[v]];
  return PerNodeRows(call, {Ints(c.component), std::move(size)});
}

const AnalyticsSpec kSpec = {
    "kg_components", {"key", "component", "size"}, {{"mode", false}}, {}, ComputeComponents,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kComponentsModule, kSpec)

}  // namespace samverkan::sql
