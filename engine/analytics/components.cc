// Weakly connected components (union-find on the CSR or a SimpleGraph) and strongly
// connected components (Boost.Graph's strong_components, Tarjan's algorithm,
// on a boost::compressed_sparse_row_graph copy of the out-edges).
//
// Weak components are our own code: union-find touches each edge once and
// needs no copy of the graph, which Boost's connected_components (undirected
// graphs only) would.
#include <numeric>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include "analytics/renumber.h"
#include "samverkan/analytics.h"

namespace samverkan {
namespace {

uint32_t FindRoot(std::vector<uint32_t>& parent, uint32_t v) {
  while (parent[v] != v) {
    parent[v] = parent[parent[v]];  // path halving
    v = parent[v];
  }
  return v;
}

// The weak components of the n nodes whose arcs `neighbors(v)` lists.
template <typename Neighbors>
Components UnionFind(uint32_t n, Neighbors neighbors) {
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  for (uint32_t v = 0; v < n; ++v) {
    for (uint32_t w : neighbors(v)) {
      uint32_t a = FindRoot(parent, v), b = FindRoot(parent, w);
      // Link the larger root under the smaller, so roots are minimal indexes.
      if (a < b) {
        parent[b] = a;
      } else if (b < a) {
        parent[a] = b;
      }
    }
  }
  Components c;
  c.component.resize(n);
  for (uint32_t v = 0; v < n; ++v) c.component[v] = FindRoot(parent, v);
  c.size = analytics::Renumber(&c.component);
  return c;
}

}  // namespace

Components WeakComponents(const CsrGraph& csr) {
  return UnionFind(csr.num_nodes(), [&](uint32_t v) { return csr.out_neighbors(v); });
}

Components WeakComponents(const SimpleGraph& g) {
  return UnionFind(g.num_nodes, [&](uint32_t v) { return g.neighbors(v); });
}

Components StrongComponents(const CsrGraph& csr) {
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                   boost::no_property, boost::no_property,
                                                   uint32_t, uint64_t>;
  const uint32_t n = csr.num_nodes();
  std::vector<std::pair<uint32_t, uint32_t>> arcs;
  arcs.reserve(csr.num_edges());
  for (uint32_t v = 0; v < n; ++v) {
    for (uint32_t w : csr.out_neighbors(v)) arcs.emplace_back(v, w);
  }
  // The arcs are sorted by source already: the CSR's own order.
  Graph g(boost::edges_are_sorted, arcs.begin(), arcs.end(), n);
  arcs = {};
  Components c;
  c.component.resize(n);
  boost::strong_components(
      g, boost::make_iterator_property_map(c.component.begin(), boost::get(boost::vertex_index, g)));
  c.size = analytics::Renumber(&c.component);
  return c;
}

}  // namespace samverkan
