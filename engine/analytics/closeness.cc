// Closeness centrality, one breadth-first search (or Dijkstra, weighted)
// from every node; sources are split between threads. Boost has no closeness.
#include <queue>

#include "samverkan/parallel.h"
#include "samverkan/analytics.h"

namespace samverkan {

Result<std::vector<double>> Closeness(const SimpleGraph& g, const ClosenessOptions& o,
                                      const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  if (o.weighted && !g.weighted()) {
    return Status::InvalidArgument("weighted closeness needs a weighted graph");
  }
  if (o.weighted) {
    for (double w : g.weights) {
      if (!(w >= 0)) return Status::InvalidArgument("closeness needs non-negative edge weights");
    }
  }
  std::vector<double> closeness(n, 0.0);
  const unsigned threads = samverkan::ThreadCount(o.threads, static_cast<uint64_t>(n) * 64);
  samverkan::ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned) {
    std::vector<double> dist(n, -1);
    std::vector<uint32_t> order;
    using Item = std::pair<double, uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (uint32_t s = b; s < e; ++s) {
      if (interrupt.Requested()) return;
      order.clear();
      dist[s] = 0;
      double total = 0;
      if (!o.weighted) {
        order.push_back(s);
        for (size_t head = 0; head < order.size(); ++head) {
          uint32_t v = order[head];
          for (uint32_t w : g.neighbors(v)) {
            if (dist[w] < 0) {
              dist[w] = dist[v] + 1;
              total += dist[w];
              order.push_back(w);
            }
          }
        }
      } else {
        heap.emplace(0.0, s);
        while (!heap.empty()) {
          auto [d, v] = heap.top();
          heap.pop();
          if (d > dist[v]) continue;
          order.push_back(v);  // may repeat a node popped twice at equal distance
          for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
            uint32_t w = g.targets[i];
            double nd = d + g.weights[i];
            if (dist[w] < 0 || nd < dist[w]) {
              dist[w] = nd;
              heap.emplace(nd, w);
            }
          }
        }
        std::sort(order.begin(), order.end());
        order.erase(std::unique(order.begin(), order.end()), order.end());
        for (uint32_t v : order) total += dist[v];
      }
      const double reached = static_cast<double>(order.size());  // s included
      if (total > 0 && n > 1) {
        double c = (reached - 1) / total;
        if (o.wf_improved) c *= (reached - 1) / (n - 1);
        closeness[s] = c;
      }
      for (uint32_t v : order) dist[v] = -1;
    }
  });
  SV_RETURN_IF_ERROR(interrupt.Check());
  return closeness;
}

}  // namespace samverkan
