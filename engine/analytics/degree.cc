// Degrees: stored in- and out-degrees, distinct neighbours, and
// nx.degree_centrality on the simple undirected graph.
#include <algorithm>

#include "samverkan/analytics.h"

namespace samverkan {

Degrees DegreesOf(const CsrGraph& csr) {
  const uint32_t n = csr.num_nodes();
  Degrees d;
  d.out.resize(n);
  d.in.resize(n);
  d.neighbors.resize(n);
  d.centrality.resize(n);
  std::vector<uint32_t> seen(n, UINT32_MAX);  // seen[w] == v: w counted for v
  for (uint32_t v = 0; v < n; ++v) {
    d.out[v] = csr.out_degree(v);
    d.in[v] = csr.in_degree(v);
    uint64_t distinct = 0;
    for (auto nbrs : {csr.out_neighbors(v), csr.in_neighbors(v)}) {
      for (uint32_t w : nbrs) {
        if (w != v && seen[w] != v) {
          seen[w] = v;
          ++distinct;
        }
      }
    }
    d.neighbors[v] = distinct;
    d.centrality[v] = n > 1 ? static_cast<double>(distinct) / (n - 1) : 0.0;
  }
  return d;
}

}  // namespace samverkan
