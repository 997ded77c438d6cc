// Two ways to walk a graph's edges behind one interface, so that each
// traversal algorithm (traversal_impl.h) is written once:
//
//   ViewAdjacency  reads the stored adjacency through any GraphView, so it
//                  sees a transaction's uncommitted writes and edge ids;
//   CsrAdjacency   reads an in-memory CsrGraph: much faster, dense indexes,
//                  but edges carry only (src, dst, type).
//
// Each provides: Handle (how it names a node); Edge (how it names an edge,
// kept small because searches store one per visited node) and Ref(Edge) to
// expand it to an EdgeRef; Map<T> (a Handle -> T map); Find(NodeId) and
// Id(Handle); ForEach(u, fn) calling fn(edge, v) for each edge the filter
// accepts, stopping when fn returns false; KindIn(u, kinds); Reversed() for
// searching from the target.
#pragma once

#include <algorithm>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "samverkan/csr.h"
#include "samverkan/graph_view.h"
#include "samverkan/traversal.h"

namespace samverkan::graph {

inline Direction Reverse(Direction d) {
  return d == Direction::kOut ? Direction::kIn : d == Direction::kIn ? Direction::kOut : d;
}

// A map over NodeIds: sparse, for views of graphs of any size.
template <typename T>
class HashMap {
 public:
  explicit HashMap(size_t /*capacity_hint*/ = 0) {}
  bool contains(NodeId k) const { return m_.count(k) != 0; }
  // Inserts if absent; true when inserted.
  bool insert(NodeId k, T v) { return m_.emplace(k, std::move(v)).second; }
  T& operator[](NodeId k) { return m_[k]; }
  const T& at(NodeId k) const { return m_.at(k); }
  const T* find(NodeId k) const {
    auto it = m_.find(k);
    return it == m_.end() ? nullptr : &it->second;
  }
  template <typename Fn>
  void for_each(Fn&& fn) {
    for (auto& [k, v] : m_) fn(k, v);
  }

 private:
  std::unordered_map<NodeId, T> m_;
};

// A map over dense indexes 0..n-1: flat arrays.
template <typename T>
class DenseMap {
 public:
  explicit DenseMap(size_t n) : values_(n), present_(n, 0) {}
  bool contains(uint32_t k) const { return present_[k] != 0; }
  bool insert(uint32_t k, T v) {
    if (present_[k]) return false;
    present_[k] = 1;
    values_[k] = std::move(v);
    return true;
  }
  T& operator[](uint32_t k) {
    present_[k] = 1;
    return values_[k];
  }
  const T& at(uint32_t k) const { return values_[k]; }
  const T* find(uint32_t k) const { return present_[k] ? &values_[k] : nullptr; }
  template <typename Fn>
  void for_each(Fn&& fn) {
    for (uint32_t k = 0; k < values_.size(); ++k) {
      if (present_[k]) fn(k, values_[k]);
    }
  }

 private:
  std::vector<T> values_;
  std::vector<uint8_t> present_;
};

// Edge types named in a filter, resolved; `none` when every name is unknown.
struct TypeSet {
  std::vector<SymbolId> ids;  // sorted; empty = all types
  bool none = false;

  TypeSet(const Schema& schema, const std::vector<std::string>& names) {
    for (const auto& n : names) {
      if (auto id = schema.EdgeType(n)) ids.push_back(*id);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    none = !names.empty() && ids.empty();
  }
  bool Accepts(SymbolId t) const {
    return ids.empty() || std::binary_search(ids.begin(), ids.end(), t);
  }
};

class ViewAdjacency {
 public:
  using Handle = NodeId;
  using Edge = EdgeRef;
  template <typename T>
  using Map = HashMap<T>;

  ViewAdjacency(const GraphView& view, const EdgeFilter& filter)
      : view_(view), filter_(filter), types_(view.schema(), filter.types) {}

  size_t size_hint() const { return 0; }
  const GraphView& view() const { return view_; }
  Result<Handle> Find(NodeId id) const {
    SV_RETURN_IF_ERROR(view_.GetNode(id).status());
    return id;
  }
  NodeId Id(Handle h) const { return h; }
  const EdgeRef& Ref(const Edge& e) const { return e; }
  ViewAdjacency Reversed() const {
    EdgeFilter f = filter_;
    f.direction = Reverse(f.direction);
    return ViewAdjacency(view_, f);
  }
  Result<bool> KindIn(Handle h, const std::vector<SymbolId>& kinds) const {
    SV_ASSIGN_OR_RETURN(Node n, view_.GetNode(h));
    auto k = view_.schema().Find(SymbolSpace::kKind, n.kind);
    return k && std::find(kinds.begin(), kinds.end(), *k) != kinds.end();
  }

  template <typename Fn>
  Status ForEach(Handle u, Fn&& fn) const {
    if (types_.none) return Status::OK();
    if (types_.ids.empty()) return Scan(u, std::nullopt, fn);
    for (SymbolId t : types_.ids) {
      bool stopped = false;
      SV_RETURN_IF_ERROR(Scan(u, t, [&](const EdgeRef& e, Handle v) {
        stopped = !fn(e, v);
        return !stopped;
      }));
      if (stopped) break;
    }
    return Status::OK();
  }

 private:
  template <typename Fn>
  Status Scan(Handle u, std::optional<SymbolId> type, Fn&& fn) const {
    auto it = view_.Edges(u, filter_.direction, type);
    for (; it->Valid(); it->Next()) {
      const EdgeRef& e = it->edge();
      if (filter_.valid_on && !e.validity.Contains(*filter_.valid_on)) continue;
      if (!fn(e, e.Other(u))) break;
    }
    return it->status();
  }

  const GraphView& view_;
  EdgeFilter filter_;
  TypeSet types_;
};

// REQUIRES: the CsrGraph was built with the filter's valid_on (dates are
// applied when a CSR is built, not here).
class CsrAdjacency {
 public:
  using Handle = uint32_t;
  struct Edge {
    uint32_t src = 0;
    uint32_t dst = 0;
    SymbolId type = 0;
    bool operator<(const Edge& o) const {
      return std::tie(src, dst, type) < std::tie(o.src, o.dst, o.type);
    }
  };
  template <typename T>
  using Map = DenseMap<T>;

  CsrAdjacency(const CsrGraph& csr, const Schema& schema, const EdgeFilter& filter)
      : csr_(csr), schema_(schema), filter_(filter), types_(schema, filter.types) {}

  size_t size_hint() const { return csr_.num_nodes(); }
  Result<Handle> Find(NodeId id) const {
    auto v = csr_.index_of(id);
    if (!v) return Status::NotFound(fmt::format("unknown node id {}", id));
    return *v;
  }
  NodeId Id(Handle h) const { return csr_.node_id(h); }
  EdgeRef Ref(const Edge& e) const {
    EdgeRef r;
    r.src = csr_.node_id(e.src);
    r.dst = csr_.node_id(e.dst);
    r.type = e.type;
    return r;
  }
  CsrAdjacency Reversed() const {
    EdgeFilter f = filter_;
    f.direction = Reverse(f.direction);
    return CsrAdjacency(csr_, schema_, f);
  }
  Result<bool> KindIn(Handle h, const std::vector<SymbolId>& kinds) const {
    return std::find(kinds.begin(), kinds.end(), csr_.kind(h)) != kinds.end();
  }

  template <typename Fn>
  Status ForEach(Handle u, Fn&& fn) const {
    if (types_.none) return Status::OK();
    if (filter_.direction != Direction::kIn) {
      auto nbrs = csr_.out_neighbors(u);
      auto types = csr_.out_types(u);
      for (size_t i = 0; i < nbrs.size(); ++i) {
        if (!types_.Accepts(types[i])) continue;
        if (!fn(Edge{u, nbrs[i], types[i]}, nbrs[i])) return Status::OK();
      }
    }
    if (filter_.direction != Direction::kOut) {
      auto nbrs = csr_.in_neighbors(u);
      auto types = csr_.in_types(u);
      for (size_t i = 0; i < nbrs.size(); ++i) {
        if (!types_.Accepts(types[i])) continue;
        // In kBoth a self-loop was already seen among the out-edges.
        if (filter_.direction == Direction::kBoth && nbrs[i] == u) continue;
        if (!fn(Edge{nbrs[i], u, types[i]}, nbrs[i])) return Status::OK();
      }
    }
    return Status::OK();
  }

 private:
  const CsrGraph& csr_;
  const Schema& schema_;
  EdgeFilter filter_;
  TypeSet types_;
};

}  // namespace samverkan::graph
