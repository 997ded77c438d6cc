// The layout algorithms behind LayOut() (samverkan/layout.h), one per file.
#pragma once

#include "samverkan/layout.h"

namespace samverkan::layout {

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
