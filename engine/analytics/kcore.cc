// Core numbers by Batagelj & Zaversnik's O(m) bucket algorithm, as
// nx.core_number. Own code: Boost's core_numbers needs a graph type with
// in-edges and copies it into its own structures first.
#include <algorithm>

#include "samverkan/analytics.h"

namespace samverkan {

Result<std::vector<uint32_t>> CoreNumbers(const SimpleGraph& g) {
  if (g.directed) return Status::InvalidArgument("core numbers need an undirected graph");
  const uint32_t n = g.num_nodes;
  std::vector<uint32_t> deg(n);
  uint32_t max_deg = 0;
  for (uint32_t v = 0; v < n; ++v) {
    deg[v] = static_cast<uint32_t>(g.degree(v));
    max_deg = std::max(max_deg, deg[v]);
  }
  // Nodes sorted by degree (bin sort); pos[v] is v's place in `order`,
  // bin[d] where degree d starts.
  std::vector<uint32_t> bin(static_cast<size_t>(max_deg) + 1, 0), order(n), pos(n);
  for (uint32_t v = 0; v < n; ++v) ++bin[deg[v]];
  uint32_t start = 0;
  for (uint32_t d = 0; d <= max_deg; ++d) {
    uint32_t count = bin[d];
    bin[d] = start;
    start += count;
  }
  for (uint32_t v = 0; v < n; ++v) {
    pos[v] = bin[deg[v]]++;
    order[pos[v]] = v;
  }
  for (uint32_t d = max_deg; d > 0; --d) bin[d] = bin[d - 1];
  if (max_deg > 0 || n > 0) bin[0] = 0;
  // Peel nodes in order of degree; a neighbour with a higher degree moves
  // down one bucket (swapped with the first node of its bucket).
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t v = order[i];
    for (uint32_t u : g.neighbors(v)) {
      if (deg[u] > deg[v]) {
        uint32_t du = deg[u], pu = pos[u];
        uint32_t pw = bin[du], w = order[pw];
        if (u != w) {
          pos[u] = pw;
          order[pu] = w;
          pos[w] = pu;
          order[pw] = u;
        }
        ++bin[du];
        --deg[u];
      }
    }
  }
  return deg;
}

}  // namespace samverkan
