// Triangles and local clustering coefficients of an undirected simple graph
// (nx.triangles, nx.clustering). Own code: Boost's clustering_coefficient
// tests each neighbour pair with an edge lookup, which costs the square of
// a hub's degree.
//
// Each triangle is found once, from its lowest-ranked corner, by ranking
// nodes by degree (ties by index) and following only arcs towards higher
// ranks ("forward" adjacency): O(m^1.5) however skewed the degrees, where
// looking at every neighbour pair of a region with 10,000 members is 10^8.
#include <algorithm>

#include "samverkan/analytics.h"

namespace samverkan {

Result<Clustering> ClusteringOf(const SimpleGraph& g, const Interrupt& interrupt) {
  if (g.directed) return Status::InvalidArgument("clustering needs an undirected graph");
  const uint32_t n = g.num_nodes;
  Clustering c;
  c.triangles.assign(n, 0);
  c.coefficient.assign(n, 0.0);
  auto higher = [&](uint32_t a, uint32_t b) {  // b ranks above a
    return g.degree(a) < g.degree(b) || (g.degree(a) == g.degree(b) && a < b);
  };
  // Forward adjacency: the neighbours that rank higher.
  std::vector<uint64_t> offsets(static_cast<size_t>(n) + 1, 0);
  std::vector<uint32_t> forward;
  forward.reserve(g.targets.size() / 2);
  for (uint32_t v = 0; v < n; ++v) {
    for (uint32_t w : g.neighbors(v)) {
      if (higher(v, w)) forward.push_back(w);
    }
    offsets[v + 1] = forward.size();
  }
  std::vector<uint32_t> mark(n, UINT32_MAX);  // mark[w] == v: v -> w is forward
  for (uint32_t v = 0; v < n; ++v) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    for (uint64_t i = offsets[v]; i < offsets[v + 1]; ++i) mark[forward[i]] = v;
    for (uint64_t i = offsets[v]; i < offsets[v + 1]; ++i) {
      const uint32_t u = forward[i];
      for (uint64_t j = offsets[u]; j < offsets[u + 1]; ++j) {
        const uint32_t w = forward[j];
        if (mark[w] == v) {  // v < u < w, all tied
          ++c.triangles[v];
          ++c.triangles[u];
          ++c.triangles[w];
        }
      }
    }
  }
  for (uint32_t v = 0; v < n; ++v) {
    const double d = static_cast<double>(g.degree(v));
    if (d >= 2) c.coefficient[v] = 2.0 * static_cast<double>(c.triangles[v]) / (d * (d - 1));
  }
  return c;
}

}  // namespace samverkan
