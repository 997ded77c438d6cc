#include <unordered_set>

#include "graph/edge_filter.h"
#include "samverkan/traversal.h"

namespace samverkan {

Result<std::vector<Reached>> Neighborhood(const GraphView& view, NodeId start,
                                          const TraversalSpec& spec) {
  SV_RETURN_IF_ERROR(view.GetNode(start).status());
  graph::ResolvedEdgeFilter filter(view, spec.edges);

  std::vector<Reached> reached;
  if (spec.include_start) reached.push_back({start, 0, kNoNode, {}});
  std::unordered_set<NodeId> visited{start};
  std::vector<NodeId> frontier{start}, next;
  for (uint32_t depth = 1; depth <= spec.max_depth && !frontier.empty(); ++depth) {
    next.clear();
    for (NodeId u : frontier) {
      SV_RETURN_IF_ERROR(filter.ForEach(u, [&](const EdgeRef& e) {
        NodeId v = e.Other(u);
        if (visited.insert(v).second) {
          next.push_back(v);
          reached.push_back({v, depth, u, e});
        }
        return true;
      }));
    }
    frontier.swap(next);
  }

  if (spec.node_kinds.empty()) return reached;
  std::vector<Reached> kept;
  for (const Reached& r : reached) {
    SV_ASSIGN_OR_RETURN(Node n, view.GetNode(r.node));
    for (const auto& kind : spec.node_kinds) {
      if (n.kind == kind) {
        kept.push_back(r);
        break;
      }
    }
  }
  return kept;
}

}  // namespace samverkan
