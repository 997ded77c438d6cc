// ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian, PLoS ONE 2014) with
// Barnes-Hut repulsion. Boost.Graph has no layout that scales past a few
// thousand nodes with this quality, so this one is ours.
//
// Each node has mass deg + 1. Per iteration, on each node:
//   repulsion   scaling * m_u * m_v / d from every other node (far groups
//               through the quadtree, as one body at their centre of mass)
//   gravity     gravity * m_v towards the origin (strong: times the distance)
//   attraction  d * w along each tie (lin_log: log(1 + d) * w; dissuade_hubs:
//               divided by m_v)
// and the node moves by its force times a speed that adapts, per node and
// globally, to how much the forces "swing" between iterations (section
// "Adaptive speed" of the paper; the constants are Gephi's).
//
// Every node's force is computed from the positions of the previous
// iteration, reading only shared data: the nodes are split between threads
// and the result does not depend on how.
#include <algorithm>
#include <cmath>
#include <random>

#include "layout/layout_impl.h"
#include "layout/quadtree.h"
#include "samverkan/parallel.h"

namespace samverkan::layout {
namespace {

// Spreads the low 16 bits of v to the even bits of the result.
uint32_t Spread(uint32_t v) {
  v &= 0xFFFF;
  v = (v | (v << 8)) & 0x00FF00FF;
  v = (v | (v << 4)) & 0x0F0F0F0F;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

// The nodes in Z-order of their positions (the order of the quadtree's
// quarters), so that consecutive nodes are near each other: inserted and
// walked in this order, the tree's cells a thread touches stay in its
// cache. Each node's force does not depend on the order; the sums of the
// tree's cells do, but only on the positions, never on the threads.
void ZOrder(const std::vector<double>& x, const std::vector<double>& y,
            std::vector<uint32_t>* order, std::vector<uint64_t>* keys) {
  const auto n = static_cast<uint32_t>(x.size());
  const auto [lo_x, hi_x] = std::minmax_element(x.begin(), x.end());
  const auto [lo_y, hi_y] = std::minmax_element(y.begin(), y.end());
  const double span = std::max({*hi_x - *lo_x, *hi_y - *lo_y, 1e-9});
  const double to_cell = 65535.0 / span;
  keys->resize(n);
  for (uint32_t v = 0; v < n; ++v) {
    const auto cx = static_cast<uint32_t>((x[v] - *lo_x) * to_cell);
    const auto cy = static_cast<uint32_t>((y[v] - *lo_y) * to_cell);
    (*keys)[v] = uint64_t{Spread(cx) | Spread(cy) << 1} << 32 | v;
  }
  std::sort(keys->begin(), keys->end());
  order->resize(n);
  for (uint32_t k = 0; k < n; ++k) (*order)[k] = static_cast<uint32_t>((*keys)[k]);
}

}  // namespace

Result<Layout> ForceAtlas2(const SimpleGraph& g, const LayoutOptions& o, uint32_t iterations,
                           const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  Layout out;
  out.x.assign(n, 0.0);
  out.y.assign(n, 0.0);
  if (n == 0) return out;

  const double scaling = o.scaling > 0 ? o.scaling : (n < 100 ? 10.0 : 2.0);
  const double jitter = o.jitter_tolerance > 0 ? o.jitter_tolerance
                        : n < 5000             ? 0.1
                        : n < 50000            ? 1.0
                                               : 10.0;
  const double theta2 = o.theta * o.theta;
  const bool weighted = o.weighted && g.weighted();

  std::vector<double> mass(n);
  for (uint32_t v = 0; v < n; ++v) mass[v] = static_cast<double>(g.degree(v)) + 1.0;

  // Random start in a square whose area grows with the node count.
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> uniform(-0.5, 0.5);
  const double side = 10.0 * std::sqrt(static_cast<double>(n));
  std::vector<double>& x = out.x;
  std::vector<double>& y = out.y;
  for (uint32_t v = 0; v < n; ++v) {
    x[v] = side * uniform(rng);
    y[v] = side * uniform(rng);
  }

  std::vector<double> fx(n), fy(n), old_fx(n, 0.0), old_fy(n, 0.0);
  QuadTree tree;
  const unsigned threads = ThreadCount(o.threads, n + g.targets.size());
  // Per node, summed in node order afterwards, so that the totals (and
  // with them the speed) do not depend on how the nodes were split.
  std::vector<double> node_swing(n), node_traction(n);
  double speed = 1.0, speed_efficiency = 1.0;

  std::vector<uint32_t> order;
  std::vector<uint64_t> keys;
  for (uint32_t it = 0; it < iterations; ++it) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    ZOrder(x, y, &order, &keys);
    tree.Build(x, y, mass, order);
    ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned) {
      for (uint32_t k = b; k < e; ++k) {
        const uint32_t v = order[k];
        const double xv = x[v], yv = y[v], mv = mass[v];
        double sx = 0, sy = 0;
        // Repulsion: F = scaling * m_v * M / d along (dx, dy) / d.
        tree.ForEachBody(v, xv, yv, theta2, [&](double dx, double dy, double m) {
          const double d2 = dx * dx + dy * dy;
          if (d2 > 1e-18) {
            const double f = scaling * mv * m / d2;
            sx += dx * f;
            sy += dy * f;
          }
        });
        // Gravity towards the origin.
        const double d = std::sqrt(xv * xv + yv * yv);
        if (d > 0) {
          const double f = o.strong_gravity ? scaling * o.gravity * mv : o.gravity * mv / d;
          sx -= xv * f;
          sy -= yv * f;
        }
        // Attraction along ties.
        const double hub = o.dissuade_hubs ? 1.0 / mv : 1.0;
        for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
          const uint32_t u = g.targets[i];
          const double dx = xv - x[u], dy = yv - y[u];
          double f = (weighted ? g.weights[i] : 1.0) * hub;
          if (o.lin_log) {
            const double dist = std::sqrt(dx * dx + dy * dy);
            if (dist <= 0) continue;
            f *= std::log1p(dist) / dist;
          }
          sx -= dx * f;
          sy -= dy * f;
        }
        fx[v] = sx;
        fy[v] = sy;
        node_swing[v] = mv * std::hypot(sx - old_fx[v], sy - old_fy[v]);
        node_traction[v] = mv * 0.5 * std::hypot(sx + old_fx[v], sy + old_fy[v]);
      }
    });
    double swing = 0, traction = 0;
    for (uint32_t v = 0; v < n; ++v) {
      swing += node_swing[v];
      traction += node_traction[v];
    }

    // Global speed (Gephi's ForceAtlas2.java, "adjust speed").
    const double nn = static_cast<double>(n);
    const double estimated_jitter = 0.05 * std::sqrt(nn);
    const double min_jitter = std::sqrt(estimated_jitter), max_jitter = 10;
    double jt = jitter * std::max(min_jitter, std::min(max_jitter, estimated_jitter * traction /
                                                                       (nn * nn)));
    const double min_efficiency = 0.05;
    if (traction > 0 && swing / traction > 2.0) {
      if (speed_efficiency > min_efficiency) speed_efficiency *= 0.5;
      jt = std::max(jt, jitter);
    }
    const double target = swing > 0 ? jt * speed_efficiency * traction / swing : 1e10;
    if (swing > jt * traction) {
      if (speed_efficiency > min_efficiency) speed_efficiency *= 0.7;
    } else if (speed < 1000) {
      speed_efficiency *= 1.3;
    }
    speed += std::min(target - speed, 0.5 * speed);

    // Move: a node that swings a lot moves less.
    ParallelFor(n, threads, [&](uint32_t b, uint32_t e, unsigned) {
      for (uint32_t v = b; v < e; ++v) {
        const double factor = speed / (1.0 + std::sqrt(speed * node_swing[v]));
        x[v] += fx[v] * factor;
        y[v] += fy[v] * factor;
      }
    });
    old_fx.swap(fx);
    old_fy.swap(fy);
    out.iterations = it + 1;
  }
  return out;
}

}  // namespace samverkan::layout
