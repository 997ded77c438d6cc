// Shortest paths: bidirectional BFS for one unweighted path, Dijkstra for
// weighted ones, and predecessor DAGs for "all shortest paths".
#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <unordered_map>

#include <fmt/format.h>

#include "graph/edge_filter.h"
#include "storage/json_props.h"
#include "samverkan/traversal.h"

namespace samverkan {
namespace {

EdgeFilter Reversed(EdgeFilter f) {
  if (f.direction == Direction::kOut) {
    f.direction = Direction::kIn;
  } else if (f.direction == Direction::kIn) {
    f.direction = Direction::kOut;
  }
  return f;
}

using CostFn = std::function<Result<double>(const EdgeRef&)>;

Result<CostFn> MakeCost(const GraphView& view, const std::string& cost) {
  auto check = [](double c, const EdgeRef& e) -> Result<double> {
    if (!(c >= 0) || !std::isfinite(c)) {
      return Status::InvalidArgument(fmt::format("edge {} has negative or invalid cost {}", e.id, c));
    }
    return c;
  };
  if (cost == "weight") {
    return CostFn([check](const EdgeRef& e) { return check(e.weight.value_or(1.0), e); });
  }
  constexpr std::string_view kProps = "props.";
  if (cost.starts_with(kProps) && cost.size() > kProps.size()) {
    std::string name = cost.substr(kProps.size());
    return CostFn([&view, name, check](const EdgeRef& e) -> Result<double> {
      SV_ASSIGN_OR_RETURN(Edge full, view.GetEdge(e.id));
      std::optional<double> v = storage::NumericProp(full.props, name);
      return v ? check(*v, e) : Result<double>(1.0);
    });
  }
  return Status::InvalidArgument(
      fmt::format("unknown cost '{}': expected 'weight' or 'props.<name>'", cost));
}

struct Step {
  NodeId parent;
  EdgeRef edge;
};

Path Assemble(NodeId from, NodeId meet, NodeId to,
              const std::unordered_map<NodeId, Step>& forward,
              const std::unordered_map<NodeId, Step>& backward) {
  Path p;
  for (NodeId n = meet; n != from;) {
    const Step& s = forward.at(n);
    p.nodes.push_back(n);
    p.edges.push_back(s.edge);
    n = s.parent;
  }
  p.nodes.push_back(from);
  std::reverse(p.nodes.begin(), p.nodes.end());
  std::reverse(p.edges.begin(), p.edges.end());
  for (NodeId n = meet; n != to;) {
    const Step& s = backward.at(n);
    p.nodes.push_back(s.parent);
    p.edges.push_back(s.edge);
    n = s.parent;
  }
  p.cost = static_cast<double>(p.edges.size());
  return p;
}

Result<std::optional<Path>> BidirectionalBfs(const GraphView& view, NodeId from, NodeId to,
                                             const PathSpec& spec) {
  graph::ResolvedEdgeFilter fwd_filter(view, spec.edges);
  graph::ResolvedEdgeFilter bwd_filter(view, Reversed(spec.edges));
  std::unordered_map<NodeId, Step> fwd{{from, {kNoNode, {}}}}, bwd{{to, {kNoNode, {}}}};
  std::vector<NodeId> fwd_frontier{from}, bwd_frontier{to}, next;
  uint32_t length = 0;  // edges spanned by the two searches so far

  while (!fwd_frontier.empty() && !bwd_frontier.empty() && length < spec.max_depth) {
    // Expand the smaller side by one whole level.
    const bool forward = fwd_frontier.size() <= bwd_frontier.size();
    auto& frontier = forward ? fwd_frontier : bwd_frontier;
    auto& mine = forward ? fwd : bwd;
    auto& theirs = forward ? bwd : fwd;
    const auto& filter = forward ? fwd_filter : bwd_filter;
    std::optional<NodeId> meet;
    next.clear();
    for (NodeId u : frontier) {
      SV_RETURN_IF_ERROR(filter.ForEach(u, [&](const EdgeRef& e) {
        NodeId v = e.Other(u);
        if (mine.count(v)) return true;
        mine.emplace(v, Step{u, e});
        if (theirs.count(v)) {
          meet = v;
          return false;
        }
        next.push_back(v);
        return true;
      }));
      if (meet) break;
    }
    ++length;
    if (meet) return std::optional<Path>(Assemble(from, *meet, to, fwd, bwd));
    frontier.swap(next);
  }
  return std::optional<Path>();
}

// Single-source search that records every predecessor on a shortest path.
// Unweighted when `cost` is null.
struct Dag {
  std::unordered_map<NodeId, double> dist;
  std::unordered_map<NodeId, std::vector<Step>> preds;
};

Result<Dag> ShortestDag(const GraphView& view, NodeId from, NodeId to, const PathSpec& spec,
                        const CostFn* cost) {
  graph::ResolvedEdgeFilter filter(view, spec.edges);
  Dag dag;
  dag.dist[from] = 0;
  using Item = std::pair<double, NodeId>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  queue.push({0, from});
  std::unordered_map<NodeId, bool> done;
  std::optional<double> target_dist;
  while (!queue.empty()) {
    auto [d, u] = queue.top();
    queue.pop();
    if (done[u]) continue;
    done[u] = true;
    if (target_dist && d > *target_dist) break;
    if (u == to) {
      target_dist = d;
      continue;
    }
    if (!cost && d >= spec.max_depth) continue;
    Status failed;
    SV_RETURN_IF_ERROR(filter.ForEach(u, [&](const EdgeRef& e) {
      double w = 1.0;
      if (cost) {
        auto c = (*cost)(e);
        if (!c.ok()) {
          failed = c.status();
          return false;
        }
        w = *c;
      }
      NodeId v = e.Other(u);
      if (v == u) return true;
      double nd = d + w;
      auto it = dag.dist.find(v);
      const double eps = 1e-12 * std::max(1.0, std::abs(nd));
      if (it == dag.dist.end() || nd < it->second - eps) {
        dag.dist[v] = nd;
        dag.preds[v] = {Step{u, e}};
        queue.push({nd, v});
      } else if (std::abs(nd - it->second) <= eps && !done[v]) {
        dag.preds[v].push_back(Step{u, e});
      }
      return true;
    }));
    SV_RETURN_IF_ERROR(failed);
  }
  return dag;
}

Result<std::optional<Path>> Dijkstra(const GraphView& view, NodeId from, NodeId to,
                                     const PathSpec& spec, const CostFn& cost) {
  SV_ASSIGN_OR_RETURN(Dag dag, ShortestDag(view, from, to, spec, &cost));
  if (!dag.dist.count(to)) return std::optional<Path>();
  Path p;
  for (NodeId n = to; n != from;) {
    const auto& preds = dag.preds.at(n);
    const Step& s = *std::min_element(preds.begin(), preds.end(), [](const Step& a, const Step& b) {
      return std::tie(a.parent, a.edge.id) < std::tie(b.parent, b.edge.id);
    });
    p.nodes.push_back(n);
    p.edges.push_back(s.edge);
    n = s.parent;
  }
  p.nodes.push_back(from);
  std::reverse(p.nodes.begin(), p.nodes.end());
  std::reverse(p.edges.begin(), p.edges.end());
  p.cost = dag.dist.at(to);
  return std::optional<Path>(std::move(p));
}

Status CheckEndpoints(const GraphView& view, NodeId from, NodeId to) {
  SV_RETURN_IF_ERROR(view.GetNode(from).status());
  return view.GetNode(to).status();
}

}  // namespace

Result<std::optional<Path>> ShortestPath(const GraphView& view, NodeId from, NodeId to,
                                         const PathSpec& spec) {
  SV_RETURN_IF_ERROR(CheckEndpoints(view, from, to));
  if (from == to) return std::optional<Path>(Path{{from}, {}, 0});
  if (!spec.cost) return BidirectionalBfs(view, from, to, spec);
  SV_ASSIGN_OR_RETURN(CostFn cost, MakeCost(view, *spec.cost));
  return Dijkstra(view, from, to, spec, cost);
}

Result<std::vector<Path>> AllShortestPaths(const GraphView& view, NodeId from, NodeId to,
                                           const PathSpec& spec) {
  SV_RETURN_IF_ERROR(CheckEndpoints(view, from, to));
  std::vector<Path> paths;
  if (from == to) {
    paths.push_back(Path{{from}, {}, 0});
    return paths;
  }
  std::optional<CostFn> cost;
  if (spec.cost) {
    SV_ASSIGN_OR_RETURN(cost, MakeCost(view, *spec.cost));
  }
  SV_ASSIGN_OR_RETURN(Dag dag, ShortestDag(view, from, to, spec, cost ? &*cost : nullptr));
  if (!dag.dist.count(to)) return paths;
  for (auto& [node, preds] : dag.preds) {
    std::sort(preds.begin(), preds.end(), [](const Step& a, const Step& b) {
      return std::tie(a.parent, a.edge.id) < std::tie(b.parent, b.edge.id);
    });
  }
  // Walk the predecessor DAG back from the target, depth first.
  Path partial;
  std::function<void(NodeId)> walk = [&](NodeId n) {
    if (paths.size() >= spec.max_paths) return;
    partial.nodes.push_back(n);
    if (n == from) {
      Path p;
      p.nodes.assign(partial.nodes.rbegin(), partial.nodes.rend());
      p.edges.assign(partial.edges.rbegin(), partial.edges.rend());
      p.cost = dag.dist.at(to);
      paths.push_back(std::move(p));
    } else {
      for (const Step& s : dag.preds.at(n)) {
        partial.edges.push_back(s.edge);
        walk(s.parent);
        partial.edges.pop_back();
      }
    }
    partial.nodes.pop_back();
  };
  walk(to);
  std::sort(paths.begin(), paths.end(), [](const Path& a, const Path& b) {
    if (a.nodes != b.nodes) return a.nodes < b.nodes;
    return std::lexicographical_compare(
        a.edges.begin(), a.edges.end(), b.edges.begin(), b.edges.end(),
        [](const EdgeRef& x, const EdgeRef& y) { return x.id < y.id; });
  });
  return paths;
}

}  // namespace samverkan
