#include "layout/quadtree.h"

#include <algorithm>
#include <limits>

namespace samverkan::layout {

int32_t QuadTree::NewCell(double x0, double y0, double size) {
  Cell c;
  c.x0 = x0;
  c.y0 = y0;
  c.size = size;
  cells_.push_back(c);
  return static_cast<int32_t>(cells_.size() - 1);
}

void QuadTree::Build(std::span<const double> x, std::span<const double> y,
                     std::span<const double> m, std::span<const uint32_t> order) {
  cells_.clear();
  x_ = x;
  y_ = y;
  m_ = m;
  if (x.empty()) return;
  double lo_x = std::numeric_limits<double>::infinity(), lo_y = lo_x;
  double hi_x = -lo_x, hi_y = -lo_x;
  for (size_t i = 0; i < x.size(); ++i) {
    lo_x = std::min(lo_x, x[i]);
    hi_x = std::max(hi_x, x[i]);
    lo_y = std::min(lo_y, y[i]);
    hi_y = std::max(hi_y, y[i]);
  }
  const double size = std::max({hi_x - lo_x, hi_y - lo_y, 1e-9}) * (1 + 1e-9);
  cells_.reserve(2 * x.size());
  NewCell(lo_x, lo_y, size);
  for (size_t k = 0; k < x.size(); ++k) {
    const uint32_t i = order.empty() ? static_cast<uint32_t>(k) : order[k];
    Insert(0, i, x[i], y[i], m[i], 0);
  }
}

void QuadTree::Insert(int32_t at, uint32_t i, double x, double y, double m, int depth) {
  // cells_ may grow below: refer to the cell by index, never by reference
  // across a NewCell().
  auto cell = [this, at]() -> Cell& { return cells_[static_cast<size_t>(at)]; };
  {
    Cell& c = cell();
    const bool was_empty = c.mass == 0;
    const double total = c.mass + m;
    c.cx = (c.cx * c.mass + x * m) / total;
    c.cy = (c.cy * c.mass + y * m) / total;
    c.mass = total;
    if (c.leaf) {
      if (was_empty) {
        c.point = static_cast<int32_t>(i);
        return;
      }
      if (depth >= kMaxDepth) {  // coincident points: one aggregate body
        c.point = kNone;
        return;
      }
    }
  }
  if (cell().leaf) {
    // Split: the point already here moves down to a child first.
    const auto old = static_cast<uint32_t>(cell().point);
    cell().leaf = false;
    cell().point = kNone;
    InsertChild(at, old, x_[old], y_[old], m_[old], depth);
  }
  InsertChild(at, i, x, y, m, depth);
}

void QuadTree::InsertChild(int32_t at, uint32_t i, double x, double y, double m, int depth) {
  const Cell& c = cells_[static_cast<size_t>(at)];
  const double half = c.size / 2;
  const int qx = x >= c.x0 + half, qy = y >= c.y0 + half;
  const int q = qx + 2 * qy;
  int32_t child = c.child[q];
  if (child == kNone) {
    const double x0 = c.x0 + qx * half, y0 = c.y0 + qy * half;
    child = NewCell(x0, y0, half);
    cells_[static_cast<size_t>(at)].child[q] = child;
  }
  Insert(child, i, x, y, m, depth + 1);
}

}  // namespace samverkan::layout
