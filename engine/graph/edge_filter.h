// EdgeFilter, resolved against a schema for use in inner loops.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "samverkan/graph_view.h"
#include "samverkan/traversal.h"

namespace samverkan::graph {

class ResolvedEdgeFilter {
 public:
  ResolvedEdgeFilter(const GraphView& view, const EdgeFilter& filter);

  // True when no edge can match (every named type is unknown).
  bool matches_nothing() const { return matches_nothing_; }
  bool Accepts(const EdgeRef& e) const {
    return !valid_on_ || e.validity.Contains(*valid_on_);
  }
  // Calls fn(const EdgeRef&) for each accepted edge at `node`, in the
  // filter's direction; fn returns false to stop early.
  template <typename Fn>
  Status ForEach(NodeId node, Fn&& fn) const {
    if (matches_nothing_) return Status::OK();
    if (types_.empty()) return Scan(node, std::nullopt, fn);
    for (SymbolId t : types_) SV_RETURN_IF_ERROR(Scan(node, t, fn));
    return Status::OK();
  }

 private:
  template <typename Fn>
  Status Scan(NodeId node, std::optional<SymbolId> type, Fn& fn) const {
    auto it = view_.Edges(node, direction_, type);
    for (; it->Valid(); it->Next()) {
      if (Accepts(it->edge()) && !fn(it->edge())) return Status::OK();
    }
    return it->status();
  }

  const GraphView& view_;
  Direction direction_;
  std::vector<SymbolId> types_;
  std::optional<Date> valid_on_;
  bool matches_nothing_ = false;
};

}  // namespace samverkan::graph
