// The layout algorithms behind LayOut() (samverkan/layout.h), one per file.
#pragma once

#include "samverkan/layout.h"

namespace samverkan::layout {

// components.cc: one connected component, with its own dense indexes.
struct Part {
  std::vector<uint32_t> nodes;  // local index -> node of the whole graph
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<double> weights;  // empty when the graph has none
  uint32_t size() const { return static_cast<uint32_t>(nodes.size()); }
  SimpleGraph graph() const;  // as a graph of its own
};
// The components of `g` (undirected), largest first (ties by smallest node).
std::vector<Part> SplitComponents(const SimpleGraph& g);
// Places the parts' layouts (px[c], py[c] by local index, in units of about
// one tie) into `out` in rows, largest first, a row at most about as wide
// as the whole is tall, with a margin of one unit around each.
void PackParts(const std::vector<Part>& parts, std::vector<std::vector<double>> px,
               std::vector<std::vector<double>> py, Layout* out);

// stress.cc
Result<Layout> StressLayout(const SimpleGraph& g, const LayoutOptions& options, uint32_t epochs,
                            const Interrupt& interrupt);

// force_atlas2.cc
Result<Layout> ForceAtlas2(const SimpleGraph& g, const LayoutOptions& options, uint32_t iterations,
                           const Interrupt& interrupt);

// fruchterman_reingold.cc
Result<Layout> FruchtermanReingold(const SimpleGraph& g, const LayoutOptions& options,
                                   uint32_t iterations, const Interrupt& interrupt);

}  // namespace samverkan::layout
