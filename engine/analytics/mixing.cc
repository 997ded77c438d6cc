// The mixing matrix by group, and the two measures read from it: Krackhardt
// and Stern's E-I index and Newman's attribute assortativity.
#include <cmath>
#include <limits>
#include <span>

#include "samverkan/analytics.h"

namespace samverkan {

double Mixing::fraction(uint32_t a, uint32_t b) const {
  if (total_weight == 0) return std::numeric_limits<double>::quiet_NaN();
  const double w = weight[static_cast<size_t>(a) * num_groups + b];
  return a == b ? w / total_weight : w / (2 * total_weight);
}

Result<Mixing> MixingOf(const SimpleGraph& g, const NodeGroups& groups) {
  if (g.directed) return Status::InvalidArgument("the mixing matrix needs an undirected graph");
  Mixing m;
  m.num_groups = static_cast<uint32_t>(groups.names.size());
  const size_t k = m.num_groups;
  m.ties.assign(k * k, 0);
  m.weight.assign(k * k, 0.0);
  auto count = [&](size_t a, size_t b, double x) {
    m.ties[a * k + b] += 1;
    m.weight[a * k + b] += x;
    if (a != b) {
      m.ties[b * k + a] += 1;
      m.weight[b * k + a] += x;
    }
    m.total_weight += x;
  };
  // A node's groups beyond the first (several parents at a region level).
  auto more = [&](uint32_t v) -> std::span<const int32_t> {
    if (groups.more.empty()) return {};
    return groups.more[v];
  };
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    const int32_t a = groups.group[v];
    if (a < 0) continue;
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      const uint32_t w = g.targets[i];
      const int32_t b = groups.group[w];
      if (b < 0 || w < v) continue;  // each tie once, from its smaller end
      const double x = g.weight(i);
      count(a, b, x);
      if (groups.more.empty()) continue;
      for (int32_t b2 : more(w)) count(a, b2, x);
      for (int32_t a2 : more(v)) {
        count(a2, b, x);
        for (int32_t b2 : more(w)) count(a2, b2, x);
      }
    }
  }
  return m;
}

EiIndex EiIndexOf(const Mixing& m) {
  const uint32_t k = m.num_groups;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EiIndex ei;
  ei.internal.assign(k, 0.0);
  ei.external.assign(k, 0.0);
  ei.index.assign(k, nan);
  for (uint32_t a = 0; a < k; ++a) {
    for (uint32_t b = 0; b < k; ++b) {
      const double w = m.weight[static_cast<size_t>(a) * k + b];
      if (a == b) {
        ei.internal[a] += w;
        ei.internal_total += w;
      } else {
        ei.external[a] += w;
        if (a < b) ei.external_total += w;
      }
    }
    const double sum = ei.internal[a] + ei.external[a];
    if (sum > 0) ei.index[a] = (ei.external[a] - ei.internal[a]) / sum;
  }
  const double sum = ei.internal_total + ei.external_total;
  ei.index_total = sum > 0 ? (ei.external_total - ei.internal_total) / sum : nan;
  return ei;
}

double Assortativity(const Mixing& m) {
  const uint32_t k = m.num_groups;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (m.total_weight == 0) return nan;
  // The normalised matrix is symmetric, so row and column sums agree.
  double trace = 0, ab = 0;
  for (uint32_t a = 0; a < k; ++a) {
    trace += m.fraction(a, a);
    double row = 0;
    for (uint32_t b = 0; b < k; ++b) row += m.fraction(a, b);
    ab += row * row;
  }
  if (1 - ab == 0) return nan;
  return (trace - ab) / (1 - ab);
}

}  // namespace samverkan
