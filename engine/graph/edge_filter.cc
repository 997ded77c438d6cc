#include "graph/edge_filter.h"

#include <algorithm>

namespace samverkan::graph {

ResolvedEdgeFilter::ResolvedEdgeFilter(const GraphView& view, const EdgeFilter& filter)
    : view_(view), direction_(filter.direction), valid_on_(filter.valid_on) {
  for (const auto& name : filter.types) {
    if (auto id = view.schema().EdgeType(name)) types_.push_back(*id);
  }
  std::sort(types_.begin(), types_.end());
  types_.erase(std::unique(types_.begin(), types_.end()), types_.end());
  matches_nothing_ = !filter.types.empty() && types_.empty();
}

}  // namespace samverkan::graph
