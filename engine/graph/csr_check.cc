// CsrGraph::CheckArrays: what every reader of a CsrGraph takes for granted,
// checked once for arrays that come from a file. A snapshot file's
// checksums say only that it is what some writer wrote; a graph directory
// can come from anyone, and an index out of range here would be a read
// outside the mapping in the middle of a traversal.
#include <fmt/format.h>

#include "samverkan/csr.h"
#include "samverkan/parallel.h"

namespace samverkan {
namespace {

Status Fault(const std::string& what) {
  return Status::Corruption(fmt::format("snapshot arrays: {}", what));
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
  for (uint32_t v = 0; v < n; ++v) {
    if (offsets[v] > offsets[v + 1]) {
      return Fault(fmt::format("the {} side's offsets fall at node index {}", side, v));
    }
  }
  for (uint64_t i = 0; i < m; ++i) {
    if (neighbours[i] >= n) {
      return Fault(fmt::format("{}-neighbour {} in slot {} is not a node (there are {})", side,
                               neighbours[i], i, n));
    }
    if (types[i] > max_type) {
      return Fault(fmt::format("edge type {} in {} slot {} is not one the graph names", types[i],
                               side, i));
    }
  }
  return Status::OK();
}

}  // namespace

Status CsrGraph::CheckArrays(const CsrSymbolLimits& limits) const {
  const uint32_t n = num_nodes();
  const uint64_t m = num_edges();
  const uint64_t weights = spec_.with_weights ? m : 0;
  if (kinds_.size() != n || sectors_.size() != n || in_positions_.size() != m ||
      edge_ids_.size() != m || out_weights_.size() != weights || in_weights_.size() != weights) {
    return Fault("the arrays have the wrong sizes");
  }
  TaskGroup group(ThreadCount(2, m + n));
  group.Run([&] {
    return CheckSide("out", out_offsets_, out_targets_, out_types_, n, m, limits.edge_types);
  });
  group.Run([&] {
    SV_RETURN_IF_ERROR(
        CheckSide("in", in_offsets_, in_sources_, in_types_, n, m, limits.edge_types));
    for (uint64_t i = 0; i < m; ++i) {
      if (in_positions_[i] >= m) {
        return Fault(fmt::format("in slot {} names edge position {} (there are {})", i,
                                 in_positions_[i], m));
      }
    }
    return Status::OK();
  });
  group.Run([&] {
    // Ids ascend, and index_by_id is their inverse and nothing more.
    for (uint32_t v = 0; v < n; ++v) {
      if (ids_[v] == kNoNode || (v > 0 && ids_[v] <= ids_[v - 1])) {
        return Fault(fmt::format("node ids do not ascend at node index {}", v));
      }
      if (ids_[v] >= index_by_id_.size() || index_by_id_[ids_[v]] != v + 1) {
        return Fault(fmt::format("node {} is not found at its index {}", ids_[v], v));
      }
      if (kinds_[v] > limits.kinds || sectors_[v] > limits.sectors) {
        return Fault(fmt::format("node {} names a kind or sector the graph does not", ids_[v]));
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
