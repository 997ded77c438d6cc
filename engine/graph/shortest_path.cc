// Shortest paths: bidirectional BFS for one unweighted path, Dijkstra for
// weighted ones, and predecessor DAGs for "all shortest paths".
#include <fmt/format.h>

#include "graph/traversal_impl.h"
#include "samverkan/traversal.h"
#include "storage/json_props.h"

namespace samverkan {
namespace {

Result<graph::CostFn> MakeCost(const GraphView& view, const std::string& cost) {
  auto check = [](double c, const EdgeRef& e) -> Result<double> {
    if (!(c >= 0) || !std::isfinite(c)) {
      return Status::InvalidArgument(
          fmt::format("edge {} has a negative or invalid cost {}", e.id, c));
    }
    return c;
  };
  if (cost == "weight") {
    return graph::CostFn([check](const EdgeRef& e) { return check(e.weight.value_or(1.0), e); });
  }
  constexpr std::string_view kProps = "props.";
  if (cost.starts_with(kProps) && cost.size() > kProps.size()) {
    std::string name = cost.substr(kProps.size());
    return graph::CostFn([&view, name, check](const EdgeRef& e) -> Result<double> {
      SV_ASSIGN_OR_RETURN(Edge full, view.GetEdge(e.id));
      std::optional<double> v = storage::NumericProp(full.props, name);
      return v ? check(*v, e) : Result<double>(1.0);
    });
  }
  return Status::InvalidArgument(
      fmt::format("unknown cost '{}': expected 'weight' or 'props.<name>'", cost));
}

Status CheckCsr(const CsrGraph& csr, const PathSpec& spec) {
  if (spec.cost) return Status::InvalidArgument("weighted paths need a GraphView, not a CSR");
  if (spec.edges.valid_on != csr.spec().valid_on) {
    return Status::InvalidArgument("the CSR snapshot was built for another valid_on date");
  }
  return Status::OK();
}

}  // namespace

Result<double> EdgeCost(const GraphView& view, const EdgeRef& edge,
                        const std::optional<std::string>& cost) {
  if (!cost) return 1.0;
  SV_ASSIGN_OR_RETURN(graph::CostFn fn, MakeCost(view, *cost));
  return fn(edge);
}

Result<std::optional<Path>> ShortestPath(const GraphView& view, NodeId from, NodeId to,
                                         const PathSpec& spec, const Interrupt& interrupt) {
  graph::ViewAdjacency adj(view, spec.edges);
  if (!spec.cost) return graph::BidirectionalBfsOn(adj, from, to, spec.max_depth, interrupt);
  SV_ASSIGN_OR_RETURN(graph::CostFn cost, MakeCost(view, *spec.cost));
  SV_ASSIGN_OR_RETURN(std::vector<Path> paths,
                      graph::AllShortestPathsOn(adj, from, to, spec, &cost, 1, interrupt));
  if (paths.empty()) return std::optional<Path>();
  return std::optional<Path>(std::move(paths.front()));
}

Result<std::vector<Path>> AllShortestPaths(const GraphView& view, NodeId from, NodeId to,
                                           const PathSpec& spec, const Interrupt& interrupt) {
  graph::ViewAdjacency adj(view, spec.edges);
  std::optional<graph::CostFn> cost;
  if (spec.cost) {
    SV_ASSIGN_OR_RETURN(cost, MakeCost(view, *spec.cost));
  }
  return graph::AllShortestPathsOn(adj, from, to, spec, cost ? &*cost : nullptr, spec.max_paths,
                                   interrupt);
}

Result<std::optional<Path>> ShortestPath(const CsrGraph& csr, const Schema& schema, NodeId from,
                                         NodeId to, const PathSpec& spec,
                                         const Interrupt& interrupt) {
  SV_RETURN_IF_ERROR(CheckCsr(csr, spec));
  return graph::BidirectionalBfsOn(graph::CsrAdjacency(csr, schema, spec.edges), from, to,
                                   spec.max_depth, interrupt);
}

Result<std::vector<Path>> AllShortestPaths(const CsrGraph& csr, const Schema& schema,
                                           NodeId from, NodeId to, const PathSpec& spec,
                                           const Interrupt& interrupt) {
  SV_RETURN_IF_ERROR(CheckCsr(csr, spec));
  return graph::AllShortestPathsOn(graph::CsrAdjacency(csr, schema, spec.edges), from, to, spec,
                                   nullptr, spec.max_paths, interrupt);
}

}  // namespace samverkan
