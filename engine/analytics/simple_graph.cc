// MakeSimpleGraph and Transpose: the simple graph most measures run on.
#include <algorithm>
#include <numeric>

#include "samverkan/analytics.h"

namespace samverkan {

Result<SimpleGraph> MakeSimpleGraph(const CsrGraph& csr, Direction direction, bool weighted) {
  if (weighted && !csr.has_weights()) {
    return Status::InvalidArgument("weighted analytics need a CSR built with with_weights");
  }
  const uint32_t n = csr.num_nodes();
  SimpleGraph g;
  g.num_nodes = n;
  g.directed = direction != Direction::kBoth;
  g.offsets.assign(static_cast<size_t>(n) + 1, 0);
  const bool use_out = direction != Direction::kIn;
  const bool use_in = direction != Direction::kOut;

  // Gather each node's arcs, then sort and merge them in place. Upper bound
  // first, compacted as we go: offsets[v] is where v's merged list starts.
  uint64_t bound = 0;
  for (uint32_t v = 0; v < n; ++v) {
    bound += (use_out ? csr.out_degree(v) : 0) + (use_in ? csr.in_degree(v) : 0);
  }
  g.targets.resize(bound);
  if (weighted) g.weights.resize(bound);
  std::vector<std::pair<uint32_t, double>> scratch;
  uint64_t at = 0;
  for (uint32_t v = 0; v < n; ++v) {
    g.offsets[v] = at;
    scratch.clear();
    auto add = [&](std::span<const uint32_t> nbrs, std::span<const double> w) {
      for (size_t i = 0; i < nbrs.size(); ++i) {
        if (nbrs[i] != v) scratch.emplace_back(nbrs[i], weighted ? w[i] : 1.0);
      }
    };
    if (use_out) add(csr.out_neighbors(v), csr.out_weights(v));
    if (use_in) add(csr.in_neighbors(v), csr.in_weights(v));
    std::sort(scratch.begin(), scratch.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < scratch.size(); ++i) {
      if (at > g.offsets[v] && g.targets[at - 1] == scratch[i].first) {
        if (weighted) g.weights[at - 1] += scratch[i].second;  // a parallel edge
        continue;
      }
      g.targets[at] = scratch[i].first;
      if (weighted) g.weights[at] = scratch[i].second;
      ++at;
    }
  }
  g.offsets[n] = at;
  g.targets.resize(at);
  g.targets.shrink_to_fit();
  if (weighted) {
    g.weights.resize(at);
    g.weights.shrink_to_fit();
  }
  return g;
}

SimpleGraph Transpose(const SimpleGraph& g) {
  if (!g.directed) return g;
  SimpleGraph t;
  t.num_nodes = g.num_nodes;
  t.directed = true;
  t.offsets.assign(static_cast<size_t>(g.num_nodes) + 1, 0);
  for (uint32_t w : g.targets) ++t.offsets[w + 1];
  std::partial_sum(t.offsets.begin(), t.offsets.end(), t.offsets.begin());
  t.targets.resize(g.targets.size());
  if (g.weighted()) t.weights.resize(g.weights.size());
  std::vector<uint64_t> cursor(t.offsets.begin(), t.offsets.end() - 1);
  // Sources are visited in increasing order, so each reversed list comes out sorted.
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      uint64_t to = cursor[g.targets[i]]++;
      t.targets[to] = v;
      if (g.weighted()) t.weights[to] = g.weights[i];
    }
  }
  return t;
}

}  // namespace samverkan
