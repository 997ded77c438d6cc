// Triangles and local clustering coefficients of an undirected simple graph
// (nx.triangles, nx.clustering). Own code: Boost's clustering_coefficient
// tests each neighbour pair with an edge lookup; a marker array makes that
// one memory read.
#include "analytics/parallel.h"
#include "samverkan/analytics.h"

namespace samverkan {

Result<Clustering> ClusteringOf(const SimpleGraph& g) {
  if (g.directed) return Status::InvalidArgument("clustering needs an undirected graph");
  const uint32_t n = g.num_nodes;
  Clustering c;
  c.triangles.assign(n, 0);
  c.coefficient.assign(n, 0.0);
  const unsigned threads = analytics::ThreadCount(2, g.targets.size());
  analytics::ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned) {
    std::vector<uint32_t> mark(n, UINT32_MAX);  // mark[w] == v: w is v's neighbour
    for (uint32_t v = b; v < e; ++v) {
      auto nbrs = g.neighbors(v);
      for (uint32_t w : nbrs) mark[w] = v;
      uint64_t links = 0;  // ties among v's neighbours, each seen from both ends
      for (uint32_t u : nbrs) {
        for (uint32_t w : g.neighbors(u)) links += mark[w] == v;
      }
      c.triangles[v] = links / 2;
      const double d = static_cast<double>(nbrs.size());
      if (nbrs.size() >= 2) c.coefficient[v] = static_cast<double>(links) / (d * (d - 1));
    }
  });
  return c;
}

}  // namespace samverkan
