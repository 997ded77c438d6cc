// The traversal algorithms, written once over an adjacency (adjacency.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <tuple>

#include <fmt/format.h>

#include "graph/adjacency.h"
#include "samverkan/traversal.h"

namespace samverkan::graph {

// Asks the interrupt at every 64th step: a step here is a node expanded or
// a path step, well under a microsecond on a CSR snapshot, where reading
// the clock at each one costs nearly a tenth of a traversal.
class InterruptPoller {
 public:
  explicit InterruptPoller(const Interrupt& interrupt) : interrupt_(interrupt) {}
  Status Check() { return (++steps_ & 63) == 0 ? interrupt_.Check() : Status::OK(); }

 private:
  const Interrupt& interrupt_;
  uint32_t steps_ = 0;
};

// Breadth-first from `start`; kinds (resolved) filter the rows returned.
// The search records each node it reaches in the adjacency's own small
// handles (on a CSR, 24 bytes a node, in room for every node, so it never
// moves), and makes the Reached rows (96 bytes each) once, at the
// end, in one allocation of their exact number: growing a vector of Reached
// while searching copied each row about twice more and touched fresh
// memory for it, a third of a 2-hop's time on a CSR.
template <typename Adj>
Result<std::vector<Reached>> NeighborhoodOn(const Adj& adj, NodeId start, uint32_t max_depth,
                                            const std::vector<SymbolId>* kinds,
                                            bool include_start, const Interrupt& interrupt) {
  InterruptPoller poll(interrupt);
  using H = typename Adj::Handle;
  struct Found {
    H node;
    H parent;
    uint32_t depth;
    typename Adj::Edge via;
  };
  SV_ASSIGN_OR_RETURN(H s, adj.Find(start));
  std::vector<Found> found;
  // Each node is found once: on a CSR this never grows. Pages of it that
  // a small search leaves untouched cost nothing.
  found.reserve(adj.size_hint());
  typename Adj::template Map<uint8_t> visited(adj.size_hint());
  visited.insert(s, 1);
  std::vector<H> frontier{s}, next;
  for (uint32_t depth = 1; depth <= max_depth && !frontier.empty(); ++depth) {
    next.clear();
    for (H u : frontier) {
      SV_RETURN_IF_ERROR(poll.Check());
      SV_RETURN_IF_ERROR(adj.ForEach(u, [&](const auto& e, H v) {
        if (visited.insert(v, 1)) {
          next.push_back(v);
          found.push_back({v, u, depth, e});
        }
        return true;
      }));
    }
    frontier.swap(next);
  }
  size_t kept = found.size();
  std::vector<bool> keep;
  if (kinds) {
    keep.resize(found.size());
    kept = 0;
    for (size_t i = 0; i < found.size(); ++i) {
      SV_ASSIGN_OR_RETURN(bool in, adj.KindIn(found[i].node, *kinds));
      keep[i] = in;
      kept += in;
    }
  }
  bool start_kept = include_start;
  if (include_start && kinds) {
    SV_ASSIGN_OR_RETURN(start_kept, adj.KindIn(s, *kinds));
  }
  std::vector<Reached> reached;
  reached.reserve(kept + (start_kept ? 1 : 0));
  if (start_kept) reached.push_back({start, 0, kNoNode, {}});
  for (size_t i = 0; i < found.size(); ++i) {
    if (kinds && !keep[i]) continue;
    const Found& f = found[i];
    reached.push_back({adj.Id(f.node), f.depth, adj.Id(f.parent), adj.Ref(f.via)});
  }
  return reached;
}

template <typename Adj>
struct Step {
  typename Adj::Handle parent;
  typename Adj::Edge edge;
};

// One shortest unweighted path, searching from both ends a level at a time.
template <typename Adj>
Result<std::optional<Path>> BidirectionalBfsOn(const Adj& fwd_adj, NodeId from, NodeId to,
                                               uint32_t max_depth, const Interrupt& interrupt) {
  InterruptPoller poll(interrupt);
  using H = typename Adj::Handle;
  using Parents = typename Adj::template Map<Step<Adj>>;
  const Adj bwd_adj = fwd_adj.Reversed();
  SV_ASSIGN_OR_RETURN(H s, fwd_adj.Find(from));
  SV_ASSIGN_OR_RETURN(H t, fwd_adj.Find(to));
  if (s == t) return std::optional<Path>(Path{{from}, {}, 0});
  Parents fwd(fwd_adj.size_hint()), bwd(fwd_adj.size_hint());
  fwd.insert(s, Step<Adj>{s, {}});
  bwd.insert(t, Step<Adj>{t, {}});
  std::vector<H> fwd_frontier{s}, bwd_frontier{t}, next;
  uint32_t length = 0;
  while (!fwd_frontier.empty() && !bwd_frontier.empty() && length < max_depth) {
    const bool forward = fwd_frontier.size() <= bwd_frontier.size();
    auto& frontier = forward ? fwd_frontier : bwd_frontier;
    auto& mine = forward ? fwd : bwd;
    auto& theirs = forward ? bwd : fwd;
    const Adj& adj = forward ? fwd_adj : bwd_adj;
    std::optional<H> meet;
    next.clear();
    for (H u : frontier) {
      SV_RETURN_IF_ERROR(poll.Check());
      SV_RETURN_IF_ERROR(adj.ForEach(u, [&](const auto& e, H v) {
        if (!mine.insert(v, Step<Adj>{u, e})) return true;
        if (theirs.contains(v)) {
          meet = v;
          return false;
        }
        next.push_back(v);
        return true;
      }));
      if (meet) break;
    }
    ++length;
    if (meet) {
      Path p;
      for (H n = *meet; n != s; n = fwd.at(n).parent) {
        p.nodes.push_back(fwd_adj.Id(n));
        p.edges.push_back(fwd_adj.Ref(fwd.at(n).edge));
      }
      p.nodes.push_back(from);
      std::reverse(p.nodes.begin(), p.nodes.end());
      std::reverse(p.edges.begin(), p.edges.end());
      for (H n = *meet; n != t; n = bwd.at(n).parent) {
        p.nodes.push_back(fwd_adj.Id(bwd.at(n).parent));
        p.edges.push_back(fwd_adj.Ref(bwd.at(n).edge));
      }
      p.cost = static_cast<double>(p.edges.size());
      return std::optional<Path>(std::move(p));
    }
    frontier.swap(next);
  }
  return std::optional<Path>();
}

using CostFn = std::function<Result<double>(const EdgeRef&)>;

// Single-source search recording every predecessor on a shortest path to
// each node, up to the target's distance. Unweighted when `cost` is null.
template <typename Adj>
struct Dag {
  using H = typename Adj::Handle;
  explicit Dag(size_t n) : dist(n), preds(n) {}
  typename Adj::template Map<double> dist;
  typename Adj::template Map<std::vector<Step<Adj>>> preds;
};

template <typename Adj>
Result<Dag<Adj>> ShortestDagOn(const Adj& adj, typename Adj::Handle s, typename Adj::Handle t,
                               uint32_t max_depth, const CostFn* cost,
                               const Interrupt& interrupt) {
  InterruptPoller poll(interrupt);
  using H = typename Adj::Handle;
  Dag<Adj> dag(adj.size_hint());
  typename Adj::template Map<uint8_t> done(adj.size_hint());
  dag.dist[s] = 0;
  using Item = std::pair<double, H>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  queue.push({0, s});
  std::optional<double> target_dist;
  while (!queue.empty()) {
    SV_RETURN_IF_ERROR(poll.Check());
    auto [d, u] = queue.top();
    queue.pop();
    if (!done.insert(u, 1)) continue;
    if (target_dist && d > *target_dist) break;
    if (u == t) {
      target_dist = d;
      continue;
    }
    if (!cost && d >= max_depth) continue;
    Status failed;
    SV_RETURN_IF_ERROR(adj.ForEach(u, [&](const auto& e, H v) {
      double w = 1.0;
      if (cost) {
        auto c = (*cost)(adj.Ref(e));
        if (!c.ok()) {
          failed = c.status();
          return false;
        }
        w = *c;
      }
      if (v == u) return true;
      const double nd = d + w;
      const double eps = 1e-12 * std::max(1.0, std::abs(nd));
      const double* known = dag.dist.find(v);
      if (!known || nd < *known - eps) {
        dag.dist[v] = nd;
        dag.preds[v] = {Step<Adj>{u, e}};
        queue.push({nd, v});
      } else if (std::abs(nd - *known) <= eps && !done.contains(v)) {
        dag.preds[v].push_back(Step<Adj>{u, e});
      }
      return true;
    }));
    SV_RETURN_IF_ERROR(failed);
  }
  return dag;
}

// Orders predecessors by node, then edge, so path enumeration is deterministic.
inline bool EdgeBefore(const EdgeRef& a, const EdgeRef& b) {
  return std::tie(a.id, a.type, a.src, a.dst) < std::tie(b.id, b.type, b.src, b.dst);
}
template <typename E>
bool EdgeBefore(const E& a, const E& b) {
  return a < b;
}
template <typename Adj>
bool StepBefore(const Step<Adj>& a, const Step<Adj>& b) {
  if (a.parent != b.parent) return a.parent < b.parent;
  return EdgeBefore(a.edge, b.edge);
}

// Paths from a Dag: all of them up to `limit`, taking the smallest
// predecessor first at each step (so limit 1 gives the first path in that
// order). Depth-first without recursion, as a weighted path may be as long
// as the graph; InvalidArgument once the paths found hold more than
// `max_steps` nodes in all, before they could exhaust memory.
template <typename Adj>
Result<std::vector<Path>> PathsFromDag(const Adj& adj, Dag<Adj>& dag, typename Adj::Handle s,
                                       typename Adj::Handle t, uint32_t limit,
                                       uint64_t max_steps, const Interrupt& interrupt) {
  InterruptPoller poll(interrupt);
  using H = typename Adj::Handle;
  std::vector<Path> paths;
  if (!dag.dist.contains(t) || limit == 0) return paths;
  dag.preds.for_each([](H, std::vector<Step<Adj>>& preds) {
    std::sort(preds.begin(), preds.end(), StepBefore<Adj>);
  });
  const double total = dag.dist.at(t);
  // The walk from t back to s: each frame is a node and which of its
  // predecessors comes next.
  struct Frame {
    H node;
    size_t next;
  };
  std::vector<Frame> stack{{t, 0}};
  std::vector<NodeId> nodes{adj.Id(t)};
  std::vector<EdgeRef> edges;
  uint64_t steps = 0;
  while (!stack.empty() && paths.size() < limit) {
    SV_RETURN_IF_ERROR(poll.Check());
    Frame& f = stack.back();
    auto pop = [&] {
      stack.pop_back();
      nodes.pop_back();
      if (!edges.empty()) edges.pop_back();  // the edge that led to the frame
    };
    if (f.node == s) {
      steps += nodes.size();
      if (steps > max_steps) {
        return Status::InvalidArgument(fmt::format(
            "the shortest paths hold more than {} steps in all after {} of them; ask for fewer "
            "(max_paths)", max_steps, paths.size()));
      }
      paths.push_back(Path{{nodes.rbegin(), nodes.rend()}, {edges.rbegin(), edges.rend()}, total});
      pop();
      continue;
    }
    const auto& preds = dag.preds.at(f.node);
    if (f.next == preds.size()) {
      pop();
      continue;
    }
    const Step<Adj>& st = preds[f.next++];
    edges.push_back(adj.Ref(st.edge));
    nodes.push_back(adj.Id(st.parent));
    stack.push_back({st.parent, 0});
  }
  return paths;
}

template <typename Adj>
Result<std::vector<Path>> AllShortestPathsOn(const Adj& adj, NodeId from, NodeId to,
                                             const PathSpec& spec, const CostFn* cost,
                                             uint32_t limit, const Interrupt& interrupt) {
  using H = typename Adj::Handle;
  SV_ASSIGN_OR_RETURN(H s, adj.Find(from));
  SV_ASSIGN_OR_RETURN(H t, adj.Find(to));
  if (s == t) return std::vector<Path>{Path{{from}, {}, 0}};
  SV_ASSIGN_OR_RETURN(Dag<Adj> dag, ShortestDagOn(adj, s, t, spec.max_depth, cost, interrupt));
  SV_ASSIGN_OR_RETURN(std::vector<Path> paths,
                      PathsFromDag(adj, dag, s, t, limit, spec.max_total_steps, interrupt));
  std::sort(paths.begin(), paths.end(), [](const Path& a, const Path& b) {
    if (a.nodes != b.nodes) return a.nodes < b.nodes;
    return std::lexicographical_compare(
        a.edges.begin(), a.edges.end(), b.edges.begin(), b.edges.end(),
        [](const EdgeRef& x, const EdgeRef& y) { return std::tie(x.id, x.type) < std::tie(y.id, y.type); });
  });
  return paths;
}

}  // namespace samverkan::graph
