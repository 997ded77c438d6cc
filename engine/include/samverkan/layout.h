// Force-directed layouts: positions in the plane for the nodes of a graph,
// for drawing it.
//
//   SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(*csr, Direction::kBoth, false));
//   SV_ASSIGN_OR_RETURN(Layout at, LayOut(g, {.seed = 7}));
//   // node v is drawn at (at.x[v], at.y[v])
//
// Three algorithms, and a default that picks one by size (docs/pictures.md
// says when to use which, from the figures in docs/performance.md):
//
//   kStress        the Kamada-Kawai spring model (every pair of nodes a
//                  spring as long as their distance in hops), minimised by
//                  stochastic gradient descent; exact for components of up
//                  to ~2,500 nodes, the sparse pivot approximation above.
//                  The lowest stress (the quality measure) on graphs of up
//                  to ~10,000 nodes, and the fastest there; on the dense
//                  100,000-node benchmark graph its sparse model drifts far
//                  from the true stress (0.49 against ForceAtlas2's 0.21).
//   kForceAtlas2   ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian 2014),
//                  Gephi's default for collaboration networks, with
//                  Barnes-Hut repulsion (O(n log n) per iteration): it
//                  scales to a million ties with igraph's quality.
//   kFruchtermanReingold
//                  Boost.Graph's fruchterman_reingold_force_directed_layout
//                  (grid-based repulsion), for comparison and for users who
//                  want the classic spring embedder.
//   kAuto          (the default) kStress when the largest component has at
//                  most kAutoStressLimit nodes, else kForceAtlas2.
//
// A graph of several components is laid out one component at a time and
// the layouts packed in rows, largest first (a force model on the whole
// would fling the small components far out, and spend its iterations on
// them): stress does so by its nature; the force models lay out each
// component of at least 100 nodes alone, the smaller ones by stress, each
// scaled to a mean tie length of one before packing.
//
// All are deterministic for a seed: the same graph, options and seed give
// the same positions, whatever the number of threads. The graph is read as
// undirected (a directed SimpleGraph's arcs count as ties). Weights, when
// the graph has them and `weighted` is set, make ForceAtlas2's attraction
// stronger; the others ignore them.
// Coordinates are in arbitrary units centred near the origin; a drawing
// scales them to its canvas.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "samverkan/analytics.h"
#include "samverkan/interrupt.h"
#include "samverkan/result.h"

namespace samverkan {

enum class LayoutAlgorithm : uint8_t { kAuto, kStress, kForceAtlas2, kFruchtermanReingold };

// kAuto lays out by stress up to this many nodes in the largest component.
inline constexpr uint32_t kAutoStressLimit = 50'000;

// "auto", "stress", "forceatlas2" (or "fa2"), "fruchterman-reingold" (or "fr").
Result<LayoutAlgorithm> ParseLayoutAlgorithm(std::string_view name);
std::string_view LayoutAlgorithmName(LayoutAlgorithm algorithm);

struct LayoutOptions {
  LayoutAlgorithm algorithm = LayoutAlgorithm::kAuto;
  // Initial positions are drawn from this seed.
  uint64_t seed = 42;
  // Iterations (stress: epochs); 0: LayoutIterations() below.
  uint32_t iterations = 0;
  // Use the graph's tie weights as attraction strengths.
  bool weighted = false;
  unsigned threads = 2;

  // ForceAtlas2's settings (Gephi's names). 0 for scaling and jitter
  // tolerance means Gephi's defaults for the graph's size: scaling 10 below
  // 100 nodes, else 2; jitter tolerance 0.1 below 5,000 nodes, 1 below
  // 50,000, else 10.
  double scaling = 0;           // repulsion strength relative to attraction
  double gravity = 1.0;         // pull towards the centre (of each component's own layout)
  bool strong_gravity = false;  // gravity grows with the distance from the centre
  bool lin_log = false;         // logarithmic attraction: tighter clusters
  bool dissuade_hubs = false;   // divide a hub's attraction by its degree
  double jitter_tolerance = 0;
  double theta = 1.2;           // Barnes-Hut: larger is faster and coarser
};

struct Layout {
  std::vector<double> x, y;  // per node of the graph
  uint32_t iterations = 0;   // iterations run
  LayoutAlgorithm algorithm = LayoutAlgorithm::kStress;  // the one that ran (never kAuto)
};

// The algorithm kAuto stands for on `g`; any other is returned as it is.
LayoutAlgorithm ResolveLayoutAlgorithm(const SimpleGraph& g, LayoutAlgorithm algorithm);

// The iterations `LayOut` runs when options.iterations is 0 (kAuto: as
// kStress up to kAutoStressLimit nodes, else as kForceAtlas2). Stress: 30
// epochs. The force models: many for small graphs, where they are cheap
// and the layout settles slowly from a random start, fewer as the graph
// grows (a budget of about 10^8 node and tie visits, half that above
// kAutoStressLimit nodes, 50 to 1000: on the medium benchmark graph 55
// iterations reach the stress of 100, 0.212, and on the H2020-sized one 50
// that of 140, 0.178).
uint32_t LayoutIterations(LayoutAlgorithm algorithm, uint64_t nodes, uint64_t ties);

// Lays out `g`. Polls `interrupt` once per iteration. InvalidArgument for
// bad settings (negative gravity, theta, scaling or jitter tolerance).
Result<Layout> LayOut(const SimpleGraph& g, const LayoutOptions& options,
                      const Interrupt& interrupt = Interrupt::Never());

}  // namespace samverkan
