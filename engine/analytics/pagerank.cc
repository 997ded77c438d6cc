// PageRank by power iteration, as nx.pagerank computes it.
//
// Our own code rather than Boost's page_rank: Boost's runs a fixed number of
// iterations, has no personalization and leaks the rank of dangling nodes.
// Pull-based (each node sums over its in-arcs), so the two threads write
// disjoint slices and need no atomics.
#include <cmath>

#include "analytics/parallel.h"
#include "samverkan/analytics.h"

namespace samverkan {

Result<PageRankResult> PageRank(const CsrGraph& csr, const PageRankOptions& o) {
  const uint32_t n = csr.num_nodes();
  PageRankResult result;
  if (n == 0) {
    result.converged = true;
    return result;
  }
  if (!(o.damping >= 0 && o.damping <= 1)) {
    return Status::InvalidArgument("damping must be between 0 and 1");
  }
  if (o.weighted && !csr.has_weights()) {
    return Status::InvalidArgument("weighted analytics need a CSR built with with_weights");
  }
  const Direction dir = o.direction;
  const bool weighted = o.weighted;

  // The teleport distribution.
  std::vector<double> p;
  if (!o.personalization.empty()) {
    if (o.personalization.size() != n) {
      return Status::InvalidArgument("personalization must have one value per node");
    }
    double sum = 0;
    for (double x : o.personalization) {
      if (!(x >= 0)) return Status::InvalidArgument("personalization values must be >= 0");
      sum += x;
    }
    if (sum <= 0) return Status::InvalidArgument("personalization must not be all zero");
    p.resize(n);
    for (uint32_t v = 0; v < n; ++v) p[v] = o.personalization[v] / sum;
  }
  auto teleport = [&](uint32_t v) { return p.empty() ? 1.0 / n : p[v]; };

  // The arcs into v are: kOut, the stored in-edges; kIn, the stored
  // out-edges; kBoth, both lists (a self-loop, present in both, once).
  // Each arc's share is its weight over its source's total out-weight.
  auto sum_weights = [&](std::span<const double> w, size_t count) {
    if (!weighted) return static_cast<double>(count);
    double s = 0;
    for (double x : w) s += x;
    return s;
  };
  std::vector<double> inv_out(n);
  for (uint32_t v = 0; v < n; ++v) {
    double total = 0;
    if (dir != Direction::kIn) total += sum_weights(csr.out_weights(v), csr.out_degree(v));
    if (dir != Direction::kOut) {
      auto src = csr.in_neighbors(v);
      auto w = csr.in_weights(v);
      for (size_t i = 0; i < src.size(); ++i) {
        if (dir == Direction::kBoth && src[i] == v) continue;
        total += weighted ? w[i] : 1.0;
      }
    }
    inv_out[v] = total > 0 ? 1.0 / total : 0.0;
  }

  const unsigned threads = analytics::ThreadCount(o.threads, csr.num_edges() + n);
  std::vector<double> x(n, 1.0 / n), y(n), next(n);
  std::vector<double> err(threads), dangling_part(threads);
  for (uint32_t it = 0; it < o.max_iterations; ++it) {
    // y[u]: the rank u passes along each unit of out-weight.
    double dangling = 0;
    for (uint32_t u = 0; u < n; ++u) {
      y[u] = x[u] * inv_out[u];
      if (inv_out[u] == 0) dangling += x[u];
    }
    const double dangle = o.damping * dangling;
    analytics::ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned t) {
      double local_err = 0;
      for (uint32_t v = b; v < e; ++v) {
        double s = 0;
        if (dir != Direction::kIn) {  // arcs u -> v from stored u -> v
          auto src = csr.in_neighbors(v);
          auto w = csr.in_weights(v);
          for (size_t i = 0; i < src.size(); ++i) s += y[src[i]] * (weighted ? w[i] : 1.0);
        }
        if (dir != Direction::kOut) {  // arcs u -> v from stored v -> u
          auto dst = csr.out_neighbors(v);
          auto w = csr.out_weights(v);
          for (size_t i = 0; i < dst.size(); ++i) {
            if (dir == Direction::kBoth && dst[i] == v) continue;
            s += y[dst[i]] * (weighted ? w[i] : 1.0);
          }
        }
        const double tp = teleport(v);
        next[v] = o.damping * s + dangle * tp + (1.0 - o.damping) * tp;
        local_err += std::fabs(next[v] - x[v]);
      }
      err[t] = local_err;
    });
    x.swap(next);
    result.iterations = it + 1;
    double total_err = 0;
    for (unsigned t = 0; t < threads; ++t) total_err += err[t];
    if (total_err < n * o.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.rank = std::move(x);
  return result;
}

}  // namespace samverkan
