// PageRank by power iteration, as nx.pagerank computes it.
//
// Our own code rather than Boost's page_rank: Boost's runs a fixed number of
// iterations, has no personalization and leaks the rank of dangling nodes.
// Pull-based (each node sums over its in-arcs), so the two threads write
// disjoint slices and need no atomics.
#include <cmath>

#include "samverkan/parallel.h"
#include "samverkan/analytics.h"

namespace samverkan {
namespace {

// sum[v] = sum over the arcs u -> v of y[u] * weight, for v in [b, e). The
// arcs into v: kOut, the stored in-edges; kIn, the stored out-edges; kBoth,
// both lists (a self-loop, present in both, once).
template <bool kWeighted, typename Y>
void Pull(const CsrGraph& csr, Direction dir, const std::vector<Y>& y, uint32_t b, uint32_t e,
          std::vector<double>* sum) {
  for (uint32_t v = b; v < e; ++v) {
    double s = 0;
    if (dir != Direction::kIn) {
      auto src = csr.in_neighbors(v);
      auto w = csr.in_weights(v);
      for (size_t i = 0; i < src.size(); ++i) {
        s += kWeighted ? y[src[i]] * w[i] : y[src[i]];
      }
    }
    if (dir != Direction::kOut) {
      auto dst = csr.out_neighbors(v);
      auto w = csr.out_weights(v);
      const bool skip_loops = dir == Direction::kBoth;
      for (size_t i = 0; i < dst.size(); ++i) {
        if (skip_loops && dst[i] == v) continue;
        s += kWeighted ? y[dst[i]] * w[i] : y[dst[i]];
      }
    }
    (*sum)[v] = s;
  }
}

}  // namespace

Result<PageRankResult> PageRank(const CsrGraph& csr, const PageRankOptions& o,
                                const Interrupt& interrupt) {
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

  const unsigned threads = samverkan::ThreadCount(o.threads, csr.num_edges() + n);
  const double threshold = o.tolerance_per_node ? n * o.tolerance : o.tolerance;
  // y[u] = x[u] / W(u), the rank u passes along each unit of out-weight,
  // is read once per arc in random order: most of the time goes to those
  // reads. As float it halves the array the reads miss in the cache (sums
  // stay double). A float's relative error (6e-8) sums to about 6e-8 over
  // all nodes, so it is used when the stopping rule cannot notice that:
  // a threshold of 1e-6 or more (NetworkX's default, for any N), or a
  // tolerance of 0 (a fixed number of rounds). Tighter thresholds get double.
  auto iterate = [&]<typename Y>(Y) {
    std::vector<double> x(n, 1.0 / n), next(n);
    std::vector<Y> y(n);
    std::vector<double> err(threads), dangling_part(threads);
    double dangling = 0;
    for (uint32_t u = 0; u < n; ++u) {
      y[u] = static_cast<Y>(x[u] * inv_out[u]);
      if (inv_out[u] == 0) dangling += x[u];
    }
    for (uint32_t it = 0; it < o.max_iterations; ++it) {
      if (interrupt.Requested()) break;
      const double dangle = o.damping * dangling;
      samverkan::ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned t) {
        if (weighted) {
          Pull<true, Y>(csr, dir, y, b, e, &next);
        } else {
          Pull<false, Y>(csr, dir, y, b, e, &next);
        }
        double local_err = 0;
        for (uint32_t v = b; v < e; ++v) {
          const double tp = teleport(v);
          next[v] = o.damping * next[v] + dangle * tp + (1.0 - o.damping) * tp;
          local_err += std::fabs(next[v] - x[v]);
        }
        err[t] = local_err;
      });
      x.swap(next);
      // The next round's y and dangling rank, in one pass over the nodes.
      dangling = 0;
      samverkan::ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned t) {
        double d = 0;
        for (uint32_t u = b; u < e; ++u) {
          y[u] = static_cast<Y>(x[u] * inv_out[u]);
          if (inv_out[u] == 0) d += x[u];
        }
        dangling_part[t] = d;
      });
      for (unsigned t = 0; t < threads; ++t) dangling += dangling_part[t];
      result.iterations = it + 1;
      double total_err = 0;
      for (unsigned t = 0; t < threads; ++t) total_err += err[t];
      result.last_change = total_err;
      if (total_err < threshold) {
        result.converged = true;
        break;
      }
    }
    return x;
  };
  std::vector<double> x = o.tolerance == 0 || threshold >= 1e-6 ? iterate(float{})
                                                                 : iterate(double{});
  SV_RETURN_IF_ERROR(interrupt.Check());
  if (o.tolerance == 0) result.converged = true;
  result.rank = std::move(x);
  return result;
}

Result<PageRankResult> PageRank(const SimpleGraph& g, const PageRankOptions& o,
                                const Interrupt& interrupt) {
  if (g.directed) return Status::InvalidArgument("PageRank of a simple graph reads it undirected");
  if (!o.personalization.empty()) {
    return Status::InvalidArgument("PageRank of a simple graph takes no personalization");
  }
  if (!(o.damping >= 0 && o.damping <= 1)) {
    return Status::InvalidArgument("damping must be between 0 and 1");
  }
  if (o.weighted && !g.weighted()) {
    return Status::InvalidArgument("weighted PageRank needs a graph with weights");
  }
  const uint32_t n = g.num_nodes;
  PageRankResult result;
  if (n == 0) {
    result.converged = true;
    return result;
  }
  // A tie's share is its weight over its end's total (1 over the degree).
  std::vector<double> inv_out(n);
  for (uint32_t v = 0; v < n; ++v) {
    double total = static_cast<double>(g.degree(v));
    if (o.weighted) {
      total = 0;
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) total += g.weight(i);
    }
    inv_out[v] = total > 0 ? 1.0 / total : 0.0;
  }
  const double threshold = o.tolerance_per_node ? n * o.tolerance : o.tolerance;
  std::vector<double> x(n, 1.0 / n), next(n);
  for (uint32_t it = 0; it < o.max_iterations; ++it) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    double dangling = 0;  // the rank of untied nodes, spread evenly
    for (uint32_t v = 0; v < n; ++v) {
      if (inv_out[v] == 0) dangling += x[v];
    }
    const double base = (1 - o.damping + o.damping * dangling) / n;
    double change = 0;
    for (uint32_t v = 0; v < n; ++v) {
      double pulled = 0;
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        const uint32_t u = g.targets[i];
        pulled += x[u] * inv_out[u] * (o.weighted ? g.weight(i) : 1.0);
      }
      next[v] = base + o.damping * pulled;
      change += std::fabs(next[v] - x[v]);
    }
    x.swap(next);
    result.iterations = it + 1;
    result.last_change = change;
    if (o.tolerance > 0 && change < threshold) {
      result.converged = true;
      break;
    }
  }
  if (o.tolerance == 0) result.converged = true;
  result.rank = std::move(x);
  return result;
}

}  // namespace samverkan
