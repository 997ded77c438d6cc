// Traversals and paths over any GraphView.
//
// Every search polls `interrupt` as it goes and stops with its status
// (kInterrupted) when it fires.
//
// Each search comes in two forms. Over a GraphView it reads the stored
// adjacency (prefix scans): it sees a transaction's uncommitted writes and
// reports every edge in full. Over a CsrGraph (csr.h) it runs in memory, many
// times faster, and reports edges by (src, dst, type) with id 0: use
// FindEdgeBetween() for the rest. A CSR search requires the CSR to have been
// built with the spec's valid_on (and refuses otherwise); it is unweighted.
//
//   TraversalSpec spec{.max_depth = 2};
//   SV_ASSIGN_OR_RETURN(auto rows, Neighborhood(*db, start, spec));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan {

// Which edges a traversal may follow.
struct EdgeFilter {
  Direction direction = Direction::kBoth;
  std::vector<std::string> types;  // empty: every type; unknown names match nothing
  std::optional<Date> valid_on;    // only edges whose validity contains this date
};

struct TraversalSpec {
  EdgeFilter edges;
  uint32_t max_depth = 1;  // 0 returns the start alone
  // Only nodes of these kinds are returned (the traversal still passes through
  // nodes of other kinds, so actor -> project -> actor works with {"actor"}).
  // Empty: every kind.
  std::vector<std::string> node_kinds;
  bool include_start = false;  // return the start node as depth 0
};

struct Reached {
  NodeId node = kNoNode;
  uint32_t depth = 0;
  NodeId parent = kNoNode;  // the node it was reached from (kNoNode for the start)
  EdgeRef via;              // the edge it was reached by (id 0 for the start)
};

// Breadth-first: each node once, at its smallest depth, in BFS order.
// NotFound if `start` does not exist.
Result<std::vector<Reached>> Neighborhood(const GraphView& view, NodeId start,
                                          const TraversalSpec& spec,
                                          const Interrupt& interrupt = Interrupt::Never());

struct PathSpec {
  EdgeFilter edges;
  // Weighted search (Dijkstra) when set: the cost of an edge is its weight
  // ("weight") or a numeric property of it ("props.<name>"). Edges without
  // one cost 1; a negative cost is an error.
  std::optional<std::string> cost;
  uint32_t max_depth = 64;    // unweighted: no path longer than this many edges
  uint32_t max_paths = 1000;  // AllShortestPaths returns at most this many
  // AllShortestPaths fails (InvalidArgument) rather than return paths that
  // hold more nodes than this in all: 2^22 nodes take about 200 MB.
  uint64_t max_total_steps = uint64_t{1} << 22;
};

struct Path {
  std::vector<NodeId> nodes;   // from source to target
  std::vector<EdgeRef> edges;  // edges[i] joins nodes[i] and nodes[i+1]
  double cost = 0;             // number of edges, or the sum of edge costs
};

// One shortest path, or nullopt when the target cannot be reached. Unweighted
// searches run breadth-first from both ends. NotFound for an unknown node.
Result<std::optional<Path>> ShortestPath(const GraphView& view, NodeId from, NodeId to,
                                         const PathSpec& spec,
                                         const Interrupt& interrupt = Interrupt::Never());

// Every shortest path (unweighted, or weighted when spec.cost is set), up to
// spec.max_paths, in a deterministic order. Empty when unreachable.
Result<std::vector<Path>> AllShortestPaths(const GraphView& view, NodeId from, NodeId to,
                                           const PathSpec& spec,
                                           const Interrupt& interrupt = Interrupt::Never());

// What `edge` costs under PathSpec::cost (1 when `cost` is unset). The
// cumulative cost along a path is the sum over its edges.
Result<double> EdgeCost(const GraphView& view, const EdgeRef& edge,
                        const std::optional<std::string>& cost);

// The same searches over a CSR snapshot; `schema` resolves type and kind names.
Result<std::vector<Reached>> Neighborhood(const CsrGraph& csr, const Schema& schema,
                                          NodeId start, const TraversalSpec& spec,
                                          const Interrupt& interrupt = Interrupt::Never());
Result<std::optional<Path>> ShortestPath(const CsrGraph& csr, const Schema& schema, NodeId from,
                                         NodeId to, const PathSpec& spec,
                                         const Interrupt& interrupt = Interrupt::Never());
Result<std::vector<Path>> AllShortestPaths(const CsrGraph& csr, const Schema& schema,
                                           NodeId from, NodeId to, const PathSpec& spec,
                                           const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
