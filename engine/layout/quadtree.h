// A Barnes-Hut quadtree of weighted points, rebuilt every layout iteration.
//
// Far-away groups of points act on a point as one body at their centre of
// mass: a cell of side s at distance d counts as one body when s / d < theta.
// Cells live in one vector and refer to their children by index, so a tree
// costs no allocation once the vector has grown.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace samverkan::layout {

class QuadTree {
 public:
  // Rebuilds the tree over the points (x[i], y[i]) with masses m[i],
  // inserted in `order` (a permutation of the points; empty: 0, 1, ...).
  // The cells' centres of mass are summed in that order.
  void Build(std::span<const double> x, std::span<const double> y, std::span<const double> m,
             std::span<const uint32_t> order = {});

  // Calls body(dx, dy, mass) for each body that acts on point i (the
  // point itself excluded): dx, dy point from the body to point i.
  template <typename Body>
  void ForEachBody(uint32_t i, double xi, double yi, double theta2, Body&& body) const;

 private:
  static constexpr int32_t kNone = -1;
  static constexpr int kMaxDepth = 40;  // coincident points stop splitting here

  struct Cell {
    double cx = 0, cy = 0, mass = 0;  // centre of mass and total mass
    double x0 = 0, y0 = 0, size = 0;  // the square the cell covers
    int32_t child[4] = {kNone, kNone, kNone, kNone};
    int32_t point = kNone;  // a leaf's only point; kNone in inner cells and aggregates
    bool leaf = true;
  };

  // Adds point i to the cell `at` and below.
  void Insert(int32_t at, uint32_t i, double x, double y, double m, int depth);
  // Adds point i to the child of `at` whose quarter holds it.
  void InsertChild(int32_t at, uint32_t i, double x, double y, double m, int depth);
  int32_t NewCell(double x0, double y0, double size);

  std::vector<Cell> cells_;
  std::span<const double> x_, y_, m_;  // the points of the last Build()
};

template <typename Body>
void QuadTree::ForEachBody(uint32_t i, double xi, double yi, double theta2, Body&& body) const {
  if (cells_.empty()) return;
  // A small stack per call: the traversal runs on several threads at once.
  int32_t stack[4 * kMaxDepth + 8];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const Cell& c = cells_[static_cast<size_t>(stack[--top])];
    if (c.mass == 0) continue;
    const double dx = xi - c.cx, dy = yi - c.cy;
    const double d2 = dx * dx + dy * dy;
    if (c.leaf) {
      if (c.point == static_cast<int32_t>(i)) continue;
      body(dx, dy, c.mass);
    } else if (c.size * c.size < theta2 * d2) {
      body(dx, dy, c.mass);
    } else {
      for (int32_t k : c.child) {
        if (k != kNone) stack[top++] = k;
      }
    }
  }
}

}  // namespace samverkan::layout
