// Stress layout: the Kamada-Kawai spring model, minimised by stochastic
// gradient descent (Zheng, Pawar & Goodman, "Graph drawing by stochastic
// gradient descent", IEEE TVCG 2019).
//
// Every pair of nodes (i, j) of a component is a spring of rest length
// d_ij, their distance in hops, and stiffness w_ij = d_ij^-2: the energy
// sum w_ij (|X_i - X_j| - d_ij)^2 is Kamada and Kawai's, and also the
// normalised stress a layout is judged by (docs/pictures.md). Instead of
// Kamada-Kawai's Newton steps on one node at a time (Boost's
// kamada_kawai_spring_layout: O(n^2) per step, connected graphs only), each
// epoch visits every spring once in a shuffled order and moves its two ends
// towards its rest length by a step that shrinks from epoch to epoch.
//
// Components with up to kExactPairs pairs use every pair. Larger ones use
// the sparse approximation of Ortmann, Klimenta & Brandes ("A sparse stress
// model", GD 2016): springs along the ties, plus a spring from every node to
// each of k pivots (chosen far apart, max-min), weighted by how many nodes
// near that pivot it stands for. That costs k breadth-first searches and
// (ties + k n) springs per epoch. On the CORDIS projection (5,316 nodes in
// its largest component) 64 pivots gave a normalised stress of 0.23-0.31,
// 200 about 0.19, 500 0.150 and 1000 0.150, against 0.138 for every pair:
// so k is as large as a budget of springs allows, up to 500.
//
// Components are laid out one by one (pairs in different components have
// no distance) and packed in rows, largest first.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "layout/layout_impl.h"
#include "samverkan/parallel.h"

namespace samverkan::layout {
namespace {

constexpr uint64_t kExactPairs = 3'000'000;
// Pivots: as many as keep the pivot springs near kPivotSprings, within
// [kMinPivots, kMaxPivots]; the first kMdsPivots of them place the start.
constexpr uint64_t kPivotSprings = 2'500'000;
constexpr uint32_t kMinPivots = 50, kMaxPivots = 500, kMdsPivots = 50;
constexpr uint32_t kUnreached = UINT32_MAX;

// Hop distances from `source` within `p` into dist (kUnreached: none).
void Bfs(const Part& p, uint32_t source, std::vector<uint32_t>* dist,
         std::vector<uint32_t>* queue) {
  dist->assign(p.size(), kUnreached);
  (*dist)[source] = 0;
  queue->assign(1, source);
  for (size_t head = 0; head < queue->size(); ++head) {
    const uint32_t v = (*queue)[head];
    for (uint64_t i = p.offsets[v]; i < p.offsets[v + 1]; ++i) {
      const uint32_t u = p.targets[i];
      if ((*dist)[u] == kUnreached) {
        (*dist)[u] = (*dist)[v] + 1;
        queue->push_back(u);
      }
    }
  }
}

// A spring between i and j (local indexes) of rest length d and stiffness
// w. One-sided springs (to a pivot) move only i.
struct Spring {
  uint32_t i, j;
  float d, w;
  bool both;
};

Status ExactSprings(const Part& p, unsigned threads, const Interrupt& interrupt,
                    std::vector<Spring>* springs) {
  const uint32_t n = p.size();
  std::vector<std::vector<Spring>> rows(n);
  // Rows are independent: searches split between threads; the calling
  // thread polls the interrupt between its sources.
  bool stopped = false;
  ParallelFor(n, ThreadCount(threads, p.targets.size() * n / 64), [&](uint32_t b, uint32_t e,
                                                                      unsigned t) {
    std::vector<uint32_t> dist, queue;
    for (uint32_t s = b; s < e; ++s) {
      if (t == 0 && interrupt.Requested()) {
        stopped = true;
        return;
      }
      Bfs(p, s, &dist, &queue);
      for (uint32_t j = s + 1; j < n; ++j) {
        const auto d = static_cast<float>(dist[j]);
        rows[s].push_back({s, j, d, 1.0f / (d * d), true});
      }
    }
  });
  if (stopped || interrupt.Requested()) return Interrupt::Stopped();
  for (auto& r : rows) springs->insert(springs->end(), r.begin(), r.end());
  return Status::OK();
}

// Classical MDS through the pivots (Brandes & Pich, "Eigensolver methods for
// progressive multidimensional scaling of large data", GD 2006): the two
// main axes of the double-centred squared distances to the pivots, found by
// power iteration on the k x k matrix C^T C. The sparse model then starts
// from a layout whose large-scale shape is already right, which random
// starts with only k springs per node often never reach.
void PivotMds(const std::vector<std::vector<uint32_t>>& dist, uint32_t n, std::vector<double>* x,
              std::vector<double>* y) {
  const size_t k = dist.size();
  std::vector<double> c(n * k);  // row-major n x k
  std::vector<double> col_mean(k, 0.0), row_mean(n, 0.0);
  double grand = 0;
  for (size_t j = 0; j < k; ++j) {
    for (uint32_t i = 0; i < n; ++i) {
      const double d = dist[j][i];
      const double d2 = d * d;
      c[i * k + j] = d2;
      col_mean[j] += d2;
      row_mean[i] += d2;
      grand += d2;
    }
  }
  for (size_t j = 0; j < k; ++j) col_mean[j] /= n;
  for (uint32_t i = 0; i < n; ++i) row_mean[i] /= static_cast<double>(k);
  grand /= static_cast<double>(n) * static_cast<double>(k);
  for (uint32_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) {
      c[i * k + j] = -0.5 * (c[i * k + j] - row_mean[i] - col_mean[j] + grand);
    }
  }
  std::vector<double> m(k * k, 0.0);  // C^T C
  for (uint32_t i = 0; i < n; ++i) {
    const double* row = &c[i * k];
    for (size_t a = 0; a < k; ++a) {
      const double ra = row[a];
      for (size_t b = a; b < k; ++b) m[a * k + b] += ra * row[b];
    }
  }
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = 0; b < a; ++b) m[a * k + b] = m[b * k + a];
  }
  // The two leading eigenvectors, the second kept orthogonal to the first.
  std::vector<std::vector<double>> axes;
  for (int e = 0; e < 2; ++e) {
    std::vector<double> v(k), next(k);
    for (size_t a = 0; a < k; ++a) v[a] = 1.0 + static_cast<double>((a * 7919 + e * 104729) % 97);
    for (int it = 0; it < 200; ++it) {
      for (size_t a = 0; a < k; ++a) {
        double s = 0;
        for (size_t b = 0; b < k; ++b) s += m[a * k + b] * v[b];
        next[a] = s;
      }
      for (const auto& prev : axes) {
        const double dot = std::inner_product(next.begin(), next.end(), prev.begin(), 0.0);
        for (size_t a = 0; a < k; ++a) next[a] -= dot * prev[a];
      }
      const double norm = std::sqrt(std::inner_product(next.begin(), next.end(), next.begin(), 0.0));
      if (norm == 0) break;
      for (size_t a = 0; a < k; ++a) v[a] = next[a] / norm;
    }
    axes.push_back(v);
  }
  for (uint32_t i = 0; i < n; ++i) {
    const double* row = &c[i * k];
    (*x)[i] = std::inner_product(row, row + k, axes[0].begin(), 0.0);
    (*y)[i] = std::inner_product(row, row + k, axes[1].begin(), 0.0);
  }
}

Status SparseSprings(const Part& p, uint64_t seed, const Interrupt& interrupt,
                     std::vector<Spring>* springs, std::vector<double>* x,
                     std::vector<double>* y) {
  const uint32_t n = p.size();
  const uint32_t k = static_cast<uint32_t>(
      std::min<uint64_t>(n, std::clamp<uint64_t>(kPivotSprings / n, kMinPivots, kMaxPivots)));
  // Ties: rest length 1.
  for (uint32_t v = 0; v < n; ++v) {
    for (uint64_t i = p.offsets[v]; i < p.offsets[v + 1]; ++i) {
      if (v < p.targets[i]) springs->push_back({v, p.targets[i], 1.0f, 1.0f, true});
    }
  }
  // Pivots, max-min: each next pivot is the node farthest from those chosen.
  std::vector<std::vector<uint32_t>> dist(k);
  std::vector<uint32_t> nearest_d(n, kUnreached), nearest(n, 0), queue;
  uint32_t pivot = static_cast<uint32_t>(seed % n);
  std::vector<uint32_t> pivots;
  for (uint32_t c = 0; c < k; ++c) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    pivots.push_back(pivot);
    Bfs(p, pivot, &dist[c], &queue);
    uint32_t far = 0, far_d = 0;
    for (uint32_t v = 0; v < n; ++v) {
      if (dist[c][v] < nearest_d[v]) {
        nearest_d[v] = dist[c][v];
        nearest[v] = c;
      }
      if (nearest_d[v] > far_d) {
        far_d = nearest_d[v];
        far = v;
      }
    }
    if (far_d == 0) break;  // every node is a pivot
    pivot = far;
  }
  // A pivot stands, for node i at distance d from it, for the nodes of its
  // region (those nearest to it) within d/2 of it: count them by distance.
  std::vector<std::vector<uint32_t>> within(pivots.size());
  for (uint32_t v = 0; v < n; ++v) {
    auto& h = within[nearest[v]];
    if (h.size() <= nearest_d[v]) h.resize(nearest_d[v] + 1, 0);
    ++h[nearest_d[v]];
  }
  for (auto& h : within) std::partial_sum(h.begin(), h.end(), h.begin());
  dist.resize(pivots.size());
  {
    const std::vector<std::vector<uint32_t>> first(
        dist.begin(), dist.begin() + std::min<size_t>(dist.size(), kMdsPivots));
    PivotMds(first, n, x, y);
  }
  // Scale so that ties are about one unit long, the springs' rest length.
  double tie_length = 0;
  uint64_t ties = 0;
  for (uint32_t v = 0; v < n; ++v) {
    for (uint64_t i = p.offsets[v]; i < p.offsets[v + 1]; ++i) {
      tie_length += std::hypot((*x)[v] - (*x)[p.targets[i]], (*y)[v] - (*y)[p.targets[i]]);
      ++ties;
    }
  }
  if (ties > 0 && tie_length > 0) {
    const double scale = static_cast<double>(ties) / tie_length;
    for (uint32_t v = 0; v < n; ++v) {
      (*x)[v] *= scale;
      (*y)[v] *= scale;
    }
  }
  for (uint32_t c = 0; c < pivots.size(); ++c) {
    for (uint32_t v = 0; v < n; ++v) {
      const uint32_t d = dist[c][v];
      if (d <= 1) continue;  // itself, or a tie already
      const auto& h = within[c];
      const uint32_t s = h.empty() ? 1 : h[std::min<size_t>(d / 2, h.size() - 1)];
      springs->push_back({v, pivots[c], static_cast<float>(d),
                          static_cast<float>(s) / static_cast<float>(d * d), false});
    }
  }
  return Status::OK();
}

// Runs `epochs` epochs of SGD over `springs` on positions (x, y).
Status Relax(std::vector<Spring>* springs, uint32_t epochs, std::mt19937_64* rng,
             const Interrupt& interrupt, std::vector<double>* x, std::vector<double>* y) {
  if (springs->empty()) return Status::OK();
  float w_min = springs->front().w, w_max = w_min;
  for (const Spring& s : *springs) {
    w_min = std::min(w_min, s.w);
    w_max = std::max(w_max, s.w);
  }
  // Step sizes from 1/w_min down to eps/w_max, exponentially (the paper's
  // schedule, eps = 0.1).
  const double eta_max = 1.0 / w_min, eta_min = 0.1 / w_max;
  const double lambda = epochs > 1 ? std::log(eta_max / eta_min) / (epochs - 1) : 0;
  for (uint32_t t = 0; t < epochs; ++t) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    std::shuffle(springs->begin(), springs->end(), *rng);
    const double eta = eta_max * std::exp(-lambda * t);
    for (const Spring& s : *springs) {
      double dx = (*x)[s.i] - (*x)[s.j], dy = (*y)[s.i] - (*y)[s.j];
      double len = std::sqrt(dx * dx + dy * dy);
      if (len < 1e-9) {  // coincident: pull apart along a fixed direction
        dx = 1e-3;
        dy = 0;
        len = 1e-3;
      }
      const double mu = std::min(1.0, eta * s.w);
      const double r = (len - s.d) / (2 * len) * mu;
      const double rx = r * dx, ry = r * dy;
      if (s.both) {
        (*x)[s.i] -= rx;
        (*y)[s.i] -= ry;
        (*x)[s.j] += rx;
        (*y)[s.j] += ry;
      } else {
        (*x)[s.i] -= 2 * rx;
        (*y)[s.i] -= 2 * ry;
      }
    }
  }
  return Status::OK();
}

}  // namespace

Result<Layout> StressLayout(const SimpleGraph& g, const LayoutOptions& o, uint32_t epochs,
                            const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  Layout out;
  out.x.assign(n, 0.0);
  out.y.assign(n, 0.0);
  out.iterations = epochs;
  std::mt19937_64 rng(o.seed);

  std::vector<Part> parts = SplitComponents(g);
  std::vector<std::vector<double>> px(parts.size()), py(parts.size());
  for (size_t c = 0; c < parts.size(); ++c) {
    const Part& p = parts[c];
    const uint32_t s = p.size();
    auto& x = px[c];
    auto& y = py[c];
    // Random start in a square whose side is about the expected diameter.
    std::uniform_real_distribution<double> uniform(0, std::sqrt(static_cast<double>(s)));
    x.resize(s);
    y.resize(s);
    for (uint32_t i = 0; i < s; ++i) {
      x[i] = uniform(rng);
      y[i] = uniform(rng);
    }
    if (s > 1) {
      std::vector<Spring> springs;
      if (static_cast<uint64_t>(s) * (s - 1) / 2 <= kExactPairs) {
        SV_RETURN_IF_ERROR(ExactSprings(p, o.threads, interrupt, &springs));
      } else {
        SV_RETURN_IF_ERROR(SparseSprings(p, rng(), interrupt, &springs, &x, &y));
      }
      SV_RETURN_IF_ERROR(Relax(&springs, epochs, &rng, interrupt, &x, &y));
    }
  }
  PackParts(parts, std::move(px), std::move(py), &out);
  return out;
}

}  // namespace samverkan::layout
