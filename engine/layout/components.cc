// Components of a graph to lay out one by one, and their layouts packed in
// rows (layout_impl.h).
#include <algorithm>
#include <cmath>

#include "layout/layout_impl.h"
#include "samverkan/analytics.h"

namespace samverkan::layout {

std::vector<Part> SplitComponents(const SimpleGraph& g) {
  const Components c = WeakComponents(g);
  std::vector<Part> parts(c.size.size());
  std::vector<uint32_t> local(g.num_nodes);
  for (uint32_t v = 0; v < g.num_nodes; ++v) {  // ascending, so each part's nodes are sorted
    Part& p = parts[c.component[v]];
    local[v] = p.size();
    p.nodes.push_back(v);
  }
  for (Part& p : parts) {
    p.offsets.push_back(0);
    for (uint32_t v : p.nodes) {
      for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
        p.targets.push_back(local[g.targets[i]]);
        if (g.weighted()) p.weights.push_back(g.weights[i]);
      }
      p.offsets.push_back(p.targets.size());
    }
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Part& a, const Part& b) { return a.size() > b.size(); });
  return parts;
}

SimpleGraph Part::graph() const {
  SimpleGraph g;
  g.num_nodes = size();
  g.offsets = offsets;
  g.targets = targets;
  g.weights = weights;
  return g;
}

void PackParts(const std::vector<Part>& parts, std::vector<std::vector<double>> px,
               std::vector<std::vector<double>> py, Layout* out) {
  const size_t count = parts.size();
  std::vector<double> x0(count), y0(count), w(count), h(count);
  double total_area = 0;
  for (size_t c = 0; c < count; ++c) {
    const auto [lo_x, hi_x] = std::minmax_element(px[c].begin(), px[c].end());
    const auto [lo_y, hi_y] = std::minmax_element(py[c].begin(), py[c].end());
    x0[c] = *lo_x;
    y0[c] = *lo_y;
    w[c] = *hi_x - *lo_x + 1;  // a margin of one tie around each
    h[c] = *hi_y - *lo_y + 1;
    total_area += w[c] * h[c];
  }
  const double row_width = std::max(count == 0 ? 0 : w[0], 1.2 * std::sqrt(total_area));
  double cx = 0, cy = 0, row_h = 0;
  for (size_t c = 0; c < count; ++c) {
    if (cx > 0 && cx + w[c] > row_width) {
      cx = 0;
      cy += row_h;
      row_h = 0;
    }
    const Part& p = parts[c];
    for (uint32_t i = 0; i < p.size(); ++i) {
      out->x[p.nodes[i]] = cx + px[c][i] - x0[c];
      out->y[p.nodes[i]] = cy + py[c][i] - y0[c];
    }
    cx += w[c];
    row_h = std::max(row_h, h[c]);
  }
}

}  // namespace samverkan::layout
