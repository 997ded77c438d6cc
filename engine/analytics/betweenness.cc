// Betweenness centrality: Brandes' algorithm (2001), breadth-first for
// unweighted graphs and Dijkstra for weighted ones, with NetworkX's scaling.
//
// Our own code rather than Boost's brandes_betweenness_centrality: Boost has
// no sampled estimate, which is what makes betweenness usable on large
// graphs, and keeps a predecessor list per node; here predecessors are found
// again in the backward pass (dist[w] == dist[v] + length(v, w)), and sources
// are split between threads, each with its own accumulator.
#include <algorithm>
#include <limits>
#include <numeric>
#include <queue>
#include <random>

#include "samverkan/parallel.h"
#include "samverkan/analytics.h"

namespace samverkan {
namespace {

// One thread's work space for single-source shortest paths.
struct Brandes {
  explicit Brandes(uint32_t n)
      : dist(n, kUnseen), sigma(n, 0), delta(n, 0), centrality(n, 0) {}
  static constexpr double kUnseen = -1;

  std::vector<double> dist;
  std::vector<double> sigma;  // number of shortest paths from the source
  std::vector<double> delta;  // dependency of the source on each node
  std::vector<double> centrality;
  std::vector<uint32_t> order;  // nodes in order of distance

  void Bfs(const SimpleGraph& g, uint32_t s) {
    dist[s] = 0;
    sigma[s] = 1;
    order.push_back(s);
    for (size_t head = 0; head < order.size(); ++head) {
      uint32_t v = order[head];
      for (uint32_t w : g.neighbors(v)) {
        if (dist[w] == kUnseen) {
          dist[w] = dist[v] + 1;
          order.push_back(w);
        }
        if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
      }
    }
  }

  void Dijkstra(const SimpleGraph& g, uint32_t s) {
    using Item = std::pair<double, uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    std::vector<uint8_t>& done = done_;
    if (done.size() != dist.size()) done.assign(dist.size(), 0);
    dist[s] = 0;
    sigma[s] = 1;
    heap.emplace(0.0, s);
    while (!heap.empty()) {
      auto [d, v] = heap.top();
      heap.pop();
      if (done[v] || d > dist[v]) continue;
      done[v] = 1;
      order.push_back(v);
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        uint32_t w = g.targets[i];
        double nd = d + g.weights[i];
        if (dist[w] == kUnseen || nd < dist[w]) {
          dist[w] = nd;
          sigma[w] = sigma[v];
          heap.emplace(nd, w);
        } else if (nd == dist[w] && !done[w]) {
          sigma[w] += sigma[v];
        }
      }
    }
  }

  // Accumulates the source's dependencies, then clears what it touched.
  void Accumulate(const SimpleGraph& g, uint32_t s) {
    for (size_t k = order.size(); k-- > 0;) {
      uint32_t v = order[k];
      double dv = 0;
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        uint32_t w = g.targets[i];
        if (dist[w] != kUnseen && dist[w] == dist[v] + g.weight(i) && w != s) {
          dv += sigma[v] / sigma[w] * (1 + delta[w]);
        }
      }
      delta[v] = dv;
      if (v != s) centrality[v] += dv;
    }
    for (uint32_t v : order) {
      dist[v] = kUnseen;
      sigma[v] = 0;
      delta[v] = 0;
      if (!done_.empty()) done_[v] = 0;
    }
    order.clear();
  }

 private:
  std::vector<uint8_t> done_;
};

}  // namespace

Result<std::vector<double>> Betweenness(const SimpleGraph& g, const BetweennessOptions& o,
                                        const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  const bool weighted = o.weighted && g.weighted();
  if (o.weighted && !g.weighted()) {
    return Status::InvalidArgument("weighted betweenness needs a weighted graph");
  }
  if (weighted) {
    for (double w : g.weights) {
      if (!(w > 0)) return Status::InvalidArgument("betweenness needs positive edge weights");
    }
  }
  std::vector<uint32_t> sources(n);
  std::iota(sources.begin(), sources.end(), 0u);
  const bool sampled = o.samples > 0 && o.samples < n;
  if (sampled) {
    std::mt19937_64 rng(o.seed);
    std::shuffle(sources.begin(), sources.end(), rng);
    sources.resize(o.samples);
    std::sort(sources.begin(), sources.end());
  }

  const unsigned threads =
      samverkan::ThreadCount(o.threads, static_cast<uint64_t>(sources.size()) * 64);
  std::vector<Brandes> work;
  for (unsigned t = 0; t < threads; ++t) work.emplace_back(n);
  samverkan::ParallelFor(static_cast<uint32_t>(sources.size()), threads,
                         [&](uint32_t b, uint32_t e, unsigned t) {
                           Brandes& w = work[t];
                           for (uint32_t i = b; i < e; ++i) {
                             if (interrupt.Requested()) return;
                             if (weighted) {
                               w.Dijkstra(g, sources[i]);
                             } else {
                               w.Bfs(g, sources[i]);
                             }
                             w.Accumulate(g, sources[i]);
                           }
                         });
  SV_RETURN_IF_ERROR(interrupt.Check());
  std::vector<double> bc = std::move(work[0].centrality);
  for (unsigned t = 1; t < threads; ++t) {
    for (uint32_t v = 0; v < n; ++v) bc[v] += work[t].centrality[v];
  }

  // NetworkX's _rescale: an undirected graph's search counts each pair in
  // both directions.
  double scale = 1;
  if (o.normalized) {
    if (n > 2) scale = 1.0 / (static_cast<double>(n - 1) * (n - 2));
  } else if (!g.directed) {
    scale = 0.5;
  }
  if (sampled) scale *= static_cast<double>(n) / o.samples;
  if (scale != 1) {
    for (double& x : bc) x *= scale;
  }
  return bc;
}

}  // namespace samverkan
