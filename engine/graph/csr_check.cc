// CsrGraph::CheckArrays: what every reader of a CsrGraph takes for granted,
// checked once for arrays that come from a file. A snapshot file's
// checksums say only that it is what some writer wrote; a graph directory
// can come from anyone, and an index out of range here would be a read
// outside the mapping in the middle of a traversal.
#include <limits>

#include <fmt/format.h>

#include "samverkan/csr.h"
#include "samverkan/parallel.h"

namespace samverkan {
namespace {

Status Fault(const std::string& what) {
  return Status::Corruption(fmt::format("snapshot arrays: {}", what));
}

// How many of `values` exceed `limit`: a loop of compares and adds the
// compiler vectorises (engine/CMakeLists.txt lets it for this file), so the
// check costs about one read of each array; where the first such value lies
// is looked for only once one is known to be there.
template <typename T>
uint64_t CountAbove(const CsrArray<T>& values, uint64_t limit) {
  if (limit >= std::numeric_limits<T>::max()) return 0;
  const T bound = static_cast<T>(limit);
  uint64_t above = 0;
  for (T v : values) above += v > bound;
  return above;
}

template <typename W, typename N>
uint64_t CountAbove(const NarrowableArray<W, N>& values, uint64_t limit) {
  return values.width() == sizeof(N) ? CountAbove(values.narrow(), limit)
                                     : CountAbove(values.wide(), limit);
}

template <typename T>
uint64_t FirstAbove(const CsrArray<T>& values, uint64_t limit) {
  uint64_t i = 0;
  while (i < values.size() && values[i] <= limit) ++i;
  return i;
}

// Whether the offsets never fall, also branch-free.
bool Rising(const CsrArray<uint64_t>& offsets) {
  bool fell = false;
  for (size_t v = 0; v + 1 < offsets.size(); ++v) fell |= offsets[v] > offsets[v + 1];
  return !fell;
}

// One side of the adjacency: offsets that rise from 0 to `m` over `n`
// nodes, neighbours that are nodes, edge types the graph has named.
Status CheckSide(const char* side, const CsrArray<uint64_t>& offsets,
                 const CsrArray<uint32_t>& neighbours, const CsrArray<uint16_t>& types,
                 uint32_t n, uint64_t m, SymbolId max_type) {
  if (offsets.size() != uint64_t{n} + 1 || neighbours.size() != m || types.size() != m) {
    return Fault(fmt::format("the {} side's arrays have the wrong sizes", side));
  }
  if (offsets[0] != 0 || offsets[n] != m) {
    return Fault(fmt::format("the {} side's offsets do not span the {} edges", side, m));
  }
  if (!Rising(offsets)) {
    uint32_t v = 0;
    while (offsets[v] <= offsets[v + 1]) ++v;
    return Fault(fmt::format("the {} side's offsets fall at node index {}", side, v));
  }
  if (m > 0 && CountAbove(neighbours, uint64_t{n} - 1) > 0) {
    const uint64_t i = FirstAbove(neighbours, uint64_t{n} - 1);
    return Fault(fmt::format("{}-neighbour {} in slot {} is not a node (there are {})", side,
                             neighbours[i], i, n));
  }
  if (CountAbove(types, max_type) > 0) {
    const uint64_t i = FirstAbove(types, max_type);
    return Fault(
        fmt::format("edge type {} in {} slot {} is not one the graph names", types[i], side, i));
  }
  return Status::OK();
}

}  // namespace

Status CsrGraph::CheckArrays(const CsrSymbolLimits& limits) const {
  SV_RETURN_IF_ERROR(CheckAdjacencyArrays(limits));
  return CheckPositionArrays();
}

Status CsrGraph::CheckPositionArrays() const {
  const uint64_t m = num_edges();
  if (in_positions_.size() != m || edge_ids_.size() != m) {
    return Fault("the edge positions' arrays have the wrong sizes");
  }
  if (m > 0 && CountAbove(in_positions_, m - 1) > 0) {
    const uint64_t i = FirstAbove(in_positions_, m - 1);
    return Fault(fmt::format("in slot {} names edge position {} (there are {})", i,
                             in_positions_[i], m));
  }
  return Status::OK();
}

Status CsrGraph::DeriveInPositions() {
  // CheckAdjacencyArrays has passed: offsets rise from 0 to m on both sides
  // and every target is a node. A cursor that would pass its node's next
  // offset (the in side gives a node fewer slots than the out side has
  // edges into it) is a fault, so every write lands in the node's own
  // slots; the sides hold m slots each, so then each slot gets exactly one
  // position.
  const uint64_t m = num_edges();
  std::vector<uint32_t> positions(m);
  std::vector<uint32_t> cursor(in_offsets_.begin(), in_offsets_.end() - 1);  // m < 2^32
  for (uint64_t p = 0; p < m; ++p) {
    const uint32_t v = out_targets_[p];
    const uint32_t s = cursor[v]++;
    if (s >= in_offsets_[v + 1]) {
      return Fault(fmt::format(
          "the in side is not the out side mirrored: node index {} has fewer in slots than "
          "edges into it (edge position {})",
          v, p));
    }
    positions[s] = static_cast<uint32_t>(p);
  }
  in_positions_ = std::move(positions);
  return Status::OK();
}

Status CsrGraph::CheckAdjacencyArrays(const CsrSymbolLimits& limits) const {
  const uint32_t n = num_nodes();
  const uint64_t m = num_edges();
  const uint64_t weights = spec_.with_weights ? m : 0;
  if (kinds_.size() != n || sectors_.size() != n || edge_ids_.size() != m ||
      out_weights_.size() != weights || in_weights_.size() != weights) {
    return Fault("the arrays have the wrong sizes");
  }
  TaskGroup group(ThreadCount(2, m + n));
  group.Run([&] {
    return CheckSide("out", out_offsets_, out_targets_, out_types_, n, m, limits.edge_types);
  });
  group.Run([&] {
    return CheckSide("in", in_offsets_, in_sources_, in_types_, n, m, limits.edge_types);
  });
  group.Run([&] {
    // Ids ascend, and index_by_id is their inverse and nothing more.
    if (CountAbove(kinds_, limits.kinds) + CountAbove(sectors_, limits.sectors) > 0) {
      uint32_t v = 0;
      while (kinds_[v] <= limits.kinds && sectors_[v] <= limits.sectors) ++v;
      return Fault(fmt::format("node {} names a kind or sector the graph does not", ids_[v]));
    }
    for (uint32_t v = 0; v < n; ++v) {
      if (ids_[v] == kNoNode || (v > 0 && ids_[v] <= ids_[v - 1])) {
        return Fault(fmt::format("node ids do not ascend at node index {}", v));
      }
      if (ids_[v] >= index_by_id_.size() || index_by_id_[ids_[v]] != v + 1) {
        return Fault(fmt::format("node {} is not found at its index {}", ids_[v], v));
      }
    }
    uint64_t indexed = 0;
    for (uint32_t slot : index_by_id_) indexed += slot != 0;
    if (indexed != n) {
      return Fault(fmt::format("{} node ids are indexed, for {} nodes", indexed, n));
    }
    return Status::OK();
  });
  return group.Wait();
}

}  // namespace samverkan
