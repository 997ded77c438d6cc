// Fruchterman-Reingold through Boost.Graph: its
// fruchterman_reingold_force_directed_layout with the default grid-based
// repulsion (only nodes in neighbouring cells of a grid repel), started from
// random_graph_layout with a generator seeded from the options.
//
// Boost's version ignores weights and runs a fixed cooling schedule; the
// cooling functor is where the interrupt is polled (a temperature of 0
// ends the layout).
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/random_layout.hpp>
#include <boost/graph/topology.hpp>
#include <boost/random/linear_congruential.hpp>
#include <cmath>

#include "layout/layout_impl.h"

namespace samverkan::layout {
namespace {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using Topology = boost::rectangle_topology<boost::minstd_rand>;
using Point = Topology::point_type;

// Linear cooling from the initial temperature to 0 over `iterations`
// steps, stopping early (temperature 0) when interrupted.
class Cooling {
 public:
  Cooling(double start, uint32_t iterations, const Interrupt& interrupt, bool* stopped,
          uint32_t* done)
      : start_(start), iterations_(iterations), interrupt_(&interrupt), stopped_(stopped),
        done_(done) {}

  double operator()() {
    if (*done_ >= iterations_) return 0;
    if (interrupt_->Requested()) {
      *stopped_ = true;
      return 0;
    }
    const double t = start_ * (iterations_ - *done_) / iterations_;
    ++*done_;
    return t;
  }

 private:
  double start_;
  uint32_t iterations_;
  const Interrupt* interrupt_;
  bool* stopped_;
  uint32_t* done_;
};

}  // namespace

Result<Layout> FruchtermanReingold(const SimpleGraph& g, const LayoutOptions& o,
                                   uint32_t iterations, const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  Layout out;
  out.x.assign(n, 0.0);
  out.y.assign(n, 0.0);
  if (n == 0) return out;

  BoostGraph bg(n);
  for (uint32_t v = 0; v < n; ++v) {
    for (uint32_t u : g.neighbors(v)) {
      if (g.directed || v < u) boost::add_edge(v, u, bg);
    }
  }
  // A square whose area grows with n, so that the ideal edge length
  // k = sqrt(area / n) stays about 10 units.
  const double half = 5.0 * std::sqrt(static_cast<double>(n));
  boost::minstd_rand gen(static_cast<uint32_t>(o.seed % 2147483646u) + 1u);
  Topology topology(gen, -half, -half, half, half);
  std::vector<Point> position(n);
  auto pmap = boost::make_iterator_property_map(position.begin(),
                                                boost::get(boost::vertex_index, bg));
  boost::random_graph_layout(bg, pmap, topology);
  bool stopped = false;
  uint32_t done = 0;
  boost::fruchterman_reingold_force_directed_layout(
      bg, pmap, topology,
      boost::cooling(Cooling(half / 5.0, iterations, interrupt, &stopped, &done)));
  if (stopped) return Interrupt::Stopped();
  for (uint32_t v = 0; v < n; ++v) {
    out.x[v] = position[v][0];
    out.y[v] = position[v][1];
  }
  out.iterations = done;
  return out;
}

}  // namespace samverkan::layout
