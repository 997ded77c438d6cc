#include "graph/traversal_impl.h"
#include "samverkan/traversal.h"

namespace samverkan {
namespace {

template <typename Adj>
Result<std::vector<Reached>> Run(const Adj& adj, const Schema& schema, NodeId start,
                                 const TraversalSpec& spec, const Interrupt& interrupt) {
  std::vector<SymbolId> kinds;
  for (const auto& name : spec.node_kinds) {
    if (auto id = schema.Find(SymbolSpace::kKind, name)) kinds.push_back(*id);
  }
  if (!spec.node_kinds.empty() && kinds.empty()) {
    // Only unknown kinds: nothing can match, but the start must still exist.
    SV_RETURN_IF_ERROR(adj.Find(start).status());
    return std::vector<Reached>();
  }
  return graph::NeighborhoodOn(adj, start, spec.max_depth,
                               spec.node_kinds.empty() ? nullptr : &kinds, spec.include_start,
                               interrupt);
}

}  // namespace

Result<std::vector<Reached>> Neighborhood(const GraphView& view, NodeId start,
                                          const TraversalSpec& spec, const Interrupt& interrupt) {
  return Run(graph::ViewAdjacency(view, spec.edges), view.schema(), start, spec, interrupt);
}

Result<std::vector<Reached>> Neighborhood(const CsrGraph& csr, const Schema& schema,
                                          NodeId start, const TraversalSpec& spec,
                                          const Interrupt& interrupt) {
  if (spec.edges.valid_on != csr.spec().valid_on) {
    return Status::InvalidArgument("the CSR snapshot was built for another valid_on date");
  }
  return Run(graph::CsrAdjacency(csr, schema, spec.edges), schema, start, spec, interrupt);
}

}  // namespace samverkan
