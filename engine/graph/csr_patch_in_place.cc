// CsrGraph::Patched over a base nobody else holds: the base's own arrays
// are edited in place instead of being copied into new ones. Copying every
// array (24 bytes per edge, into freshly faulted pages) was the cost of the
// first deep query after a small commit; here the arrays before the first
// node a change touches are not touched at all, those after it move by a
// memmove, and only the touched nodes' slots are written anew. A commit
// that adds a node and its edges (the new node's slots go at the end) moves
// nothing but the in-slots after the nodes it links to.
//
// The result is the one Patched(const CsrGraph&) gives, array by array:
// the touched nodes' slots are made the same way (patch::OrderSlots), and
// base positions move as blocks (patch::PositionMap). Everything that can
// fail (rank and record reads, limits) happens before the first write, so
// a failure leaves the base as it was.
#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>

#include "column_build.h"
#include "csr_patch_parts.h"
#include "spec_filter.h"
#include "samverkan/csr.h"

namespace samverkan {
namespace {

using patch::kGone;
using patch::PositionMap;
using patch::ReplacedEdges;
using patch::Slot;

// [old_begin, old_end) of an array moves to new_begin.
struct Block {
  uint64_t old_begin, old_end, new_begin;
};

// Sizes `values` to n, growing its capacity with room for later patches
// (1/64 more) so that the next small commit does not reallocate it.
template <typename T>
void Resize(std::vector<T>* values, uint64_t n) {
  if (n > values->capacity()) values->reserve(n + n / 64 + 1024);
  values->resize(n);
}

// Moves each block of `values` (old size old_size) to its new place; the
// result has new_size entries. Blocks are ascending and their places keep
// that order, so the ones moving left go first, left to right, and then the
// ones moving right, right to left: neither overwrites a block not yet
// moved. What lies between blocks is left for the caller to write.
template <typename T>
void MoveBlocks(std::vector<T>* values, uint64_t old_size, uint64_t new_size,
                const std::vector<Block>& blocks) {
  if (new_size > old_size) Resize(values, new_size);
  T* a = values->data();
  for (const Block& b : blocks) {
    if (b.new_begin < b.old_begin) {
      std::memmove(a + b.new_begin, a + b.old_begin, (b.old_end - b.old_begin) * sizeof(T));
    }
  }
  for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) {
    if (b->new_begin > b->old_begin) {
      std::memmove(a + b->new_begin, a + b->old_begin, (b->old_end - b->old_begin) * sizeof(T));
    }
  }
  if (new_size < old_size) values->resize(new_size);
}

// out_offsets / in_offsets after the touched nodes `at` (ascending) changed
// their slot counts by `growth`: each later node's offset moves by the
// growth of the touched nodes before it. New nodes (from old_nodes on)
// start at the old end.
void ShiftOffsets(std::vector<uint64_t>* offsets, uint32_t old_nodes, uint32_t new_nodes,
                  const std::vector<uint32_t>& at, const std::vector<int64_t>& growth) {
  const uint64_t old_end = (*offsets)[old_nodes];
  offsets->resize(static_cast<size_t>(new_nodes) + 1, old_end);
  int64_t shift = 0;
  for (size_t i = 0; i < at.size(); ++i) {
    shift += growth[i];
    const uint32_t last = i + 1 < at.size() ? at[i + 1] : new_nodes;
    for (uint32_t v = at[i] + 1; v <= last; ++v) {
      (*offsets)[v] = static_cast<uint64_t>(static_cast<int64_t>((*offsets)[v]) + shift);
    }
  }
}

}  // namespace

Result<std::shared_ptr<const CsrGraph>> CsrGraph::Patched(std::shared_ptr<const CsrGraph> base,
                                                          const CsrChanges& changes,
                                                          const GraphView& view) {
  if (base.use_count() == 1) {
    // Every CsrGraph is made non-const (Build, Patched, Map), so editing
    // the one nobody else can see is sound.
    auto own = std::const_pointer_cast<CsrGraph>(base);
    SV_ASSIGN_OR_RETURN(bool edited, PatchInPlace(*own, changes, view));
    if (edited) return base;
  }
  return Patched(*base, changes, view);
}

Result<bool> CsrGraph::PatchInPlace(CsrGraph& g, const CsrChanges& changes,
                                    const GraphView& view) {
  if (g.mapping_ || !g.ids_.owned() || !g.out_targets_.owned()) return false;
  const SpecFilter filter(view.schema(), g.spec_);
  const bool weighted = g.spec_.with_weights;
  const uint32_t base_nodes = g.num_nodes();
  const uint64_t base_edges = g.num_edges();

  // --- Nodes: the base's keep their indexes (a change that removes one or
  // drops its kind does not apply here); new ones come after the last.
  struct NewNode {
    NodeId id;
    SymbolId kind, sector;
  };
  std::vector<NewNode> new_nodes;
  std::vector<std::pair<uint32_t, const CsrChanges::NodeChange*>> rewritten;
  for (const CsrChanges::NodeChange& c : changes.nodes) {
    if (const std::optional<uint32_t> u = g.index_of(c.id)) {
      if (c.removed || !filter.KeepsKind(c.kind)) return false;
      rewritten.emplace_back(*u, &c);
      continue;
    }
    if (c.removed || !filter.KeepsKind(c.kind)) continue;
    if (!c.created || (base_nodes != 0 && c.id < g.ids_.back())) return false;
    new_nodes.push_back({c.id, c.kind, c.sector});
  }
  if (static_cast<uint64_t>(base_nodes) + new_nodes.size() >= UINT32_MAX) return false;
  const auto num_nodes = static_cast<uint32_t>(base_nodes + new_nodes.size());
  auto new_index = [&](NodeId id) -> uint32_t {
    if (const std::optional<uint32_t> u = g.index_of(id)) return *u;
    auto it = std::lower_bound(new_nodes.begin(), new_nodes.end(), id,
                               [](const NewNode& n, NodeId i) { return n.id < i; });
    return it != new_nodes.end() && it->id == id
               ? base_nodes + static_cast<uint32_t>(it - new_nodes.begin())
               : kGone;
  };

  const ReplacedEdges replaced(changes);

  // --- Out side: each node the changes write edges from gets its slots
  // made as Patched makes them; the blocks between such nodes move.
  struct Touched {
    uint32_t v;
    uint64_t old_begin, old_end, new_begin;
    std::vector<Slot> slots;
  };
  std::vector<Touched> out_touched;
  for (size_t c = 0; c < changes.edges.size();) {
    const NodeId src = changes.edges[c].edge.src;
    size_t end = c;
    while (end < changes.edges.size() && changes.edges[end].edge.src == src) ++end;
    const uint32_t v = new_index(src);
    if (v != kGone) {
      Touched t{v, base_edges, base_edges, 0, {}};
      if (v < base_nodes) {
        t.old_begin = g.out_offsets_[v];
        t.old_end = g.out_offsets_[v + 1];
      }
      for (uint64_t s = t.old_begin; s < t.old_end; ++s) {
        const EdgeId eid = g.edge_ids_[s];
        if (replaced.Contains(eid)) continue;
        t.slots.push_back({g.out_types_[s], g.out_targets_[s], 0, false, eid,
                           weighted ? g.out_weights_[s] : 0.0, static_cast<uint32_t>(s)});
      }
      for (size_t i = c; i < end; ++i) {
        const EdgeRef& e = changes.edges[i].edge;
        if (changes.edges[i].removed || !filter.KeepsEdge(e)) continue;
        const uint32_t dst = new_index(e.dst);
        if (dst == kGone) continue;
        if (e.type > UINT16_MAX) return false;  // Build reports it
        t.slots.push_back({e.type, dst, e.rank, true, e.id, e.weight.value_or(1.0), kGone});
      }
      SV_RETURN_IF_ERROR(patch::OrderSlots(&t.slots, view));
      out_touched.push_back(std::move(t));
    }
    c = end;
  }

  // Where the base's positions go, and the written edges' new positions.
  struct Added {
    uint32_t dst, pos, src;
    uint16_t type;
    double weight;
    bool operator<(const Added& o) const { return std::tie(dst, pos) < std::tie(o.dst, o.pos); }
  };
  std::vector<Added> added;
  PositionMap positions(/*blocks=*/true, base_edges);
  std::vector<Block> out_blocks;
  std::vector<uint32_t> out_at;
  std::vector<int64_t> out_growth;
  int64_t shift = 0;
  uint64_t prev_end = 0;
  for (Touched& t : out_touched) {
    const uint64_t new_prev_end = static_cast<uint64_t>(static_cast<int64_t>(prev_end) + shift);
    out_blocks.push_back({prev_end, t.old_begin, new_prev_end});
    positions.AddBlock(prev_end, t.old_begin, new_prev_end);
    t.new_begin = static_cast<uint64_t>(static_cast<int64_t>(t.old_begin) + shift);
    for (size_t k = 0; k < t.slots.size(); ++k) {
      const Slot& s = t.slots[k];
      const uint64_t pos = t.new_begin + k;
      if (s.old_pos != kGone) {
        positions.Move(s.old_pos, pos);
      } else {
        added.push_back({s.dst, static_cast<uint32_t>(pos), t.v, static_cast<uint16_t>(s.type),
                         s.weight});
      }
    }
    const int64_t growth =
        static_cast<int64_t>(t.slots.size()) - static_cast<int64_t>(t.old_end - t.old_begin);
    out_at.push_back(t.v);
    out_growth.push_back(growth);
    shift += growth;
    prev_end = t.old_end;
  }
  {
    const uint64_t new_prev_end = static_cast<uint64_t>(static_cast<int64_t>(prev_end) + shift);
    out_blocks.push_back({prev_end, base_edges, new_prev_end});
    positions.AddBlock(prev_end, base_edges, new_prev_end);
  }
  const auto num_edges = static_cast<uint64_t>(static_cast<int64_t>(base_edges) + shift);
  if (num_edges >= UINT32_MAX) return false;
  // The first base position that moves (or goes): all before it stay.
  const uint64_t first_moved = out_touched.empty() ? base_edges : out_touched.front().old_begin;

  // --- In side: each node a change writes an edge to gets its in-slots
  // made as Patched makes them: the base's (positions renumbered) with the
  // written edges merged in by position.
  std::sort(added.begin(), added.end());
  struct InSlot {
    uint32_t src, pos;
    uint16_t type;
    double weight;
  };
  struct InTouched {
    uint32_t w;
    uint64_t old_begin, old_end, new_begin;
    std::vector<InSlot> slots;
  };
  std::vector<uint32_t> targets;
  for (const auto& c : changes.edges) {
    const uint32_t w = new_index(c.edge.dst);
    if (w != kGone) targets.push_back(w);
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  auto map_position = [&](uint64_t old_pos, size_t* hint) -> uint32_t {
    return old_pos < first_moved ? static_cast<uint32_t>(old_pos)
                                 : positions.Lookup(old_pos, hint);
  };
  std::vector<InTouched> in_touched;
  size_t next_added = 0;
  for (const uint32_t w : targets) {
    InTouched t{w, base_edges, base_edges, 0, {}};
    if (w < base_nodes) {
      t.old_begin = g.in_offsets_[w];
      t.old_end = g.in_offsets_[w + 1];
    }
    while (next_added < added.size() && added[next_added].dst < w) ++next_added;
    auto push_added = [&](const Added& a) {
      t.slots.push_back({a.src, a.pos, a.type, a.weight});
    };
    size_t hint = 0;
    for (uint64_t s = t.old_begin; s < t.old_end; ++s) {
      const uint32_t pos = map_position(g.in_positions_[s], &hint);
      if (pos == kGone) continue;
      for (; next_added < added.size() && added[next_added].dst == w &&
             added[next_added].pos < pos;
           ++next_added) {
        push_added(added[next_added]);
      }
      t.slots.push_back({g.in_sources_[s], pos, g.in_types_[s], weighted ? g.in_weights_[s] : 0.0});
    }
    for (; next_added < added.size() && added[next_added].dst == w; ++next_added) {
      push_added(added[next_added]);
    }
    in_touched.push_back(std::move(t));
  }
  std::vector<Block> in_blocks;
  std::vector<uint32_t> in_at;
  std::vector<int64_t> in_growth;
  int64_t in_shift = 0;
  prev_end = 0;
  for (InTouched& t : in_touched) {
    in_blocks.push_back(
        {prev_end, t.old_begin, static_cast<uint64_t>(static_cast<int64_t>(prev_end) + in_shift)});
    t.new_begin = static_cast<uint64_t>(static_cast<int64_t>(t.old_begin) + in_shift);
    const int64_t growth =
        static_cast<int64_t>(t.slots.size()) - static_cast<int64_t>(t.old_end - t.old_begin);
    in_at.push_back(t.w);
    in_growth.push_back(growth);
    in_shift += growth;
    prev_end = t.old_end;
  }
  in_blocks.push_back(
      {prev_end, base_edges, static_cast<uint64_t>(static_cast<int64_t>(prev_end) + in_shift)});

  // --- Columns, from the base's (which stay as they are): the written rows
  // read from their records. Done before any array changes, since reading
  // may fail.
  const Columns base_columns = g.CheckedColumns();
  Columns columns;
  bool node_columns = false, edge_columns = false;
  for (const auto& [id, column] : base_columns) {
    (std::get<0>(id) ? edge_columns : node_columns) = true;
  }
  if (node_columns) {
    std::vector<std::pair<uint32_t, Node>> node_rows;
    std::vector<uint32_t> node_old_rows(num_nodes, kGone);
    for (uint32_t u = 0; u < base_nodes; ++u) node_old_rows[u] = u;
    for (const auto& [u, c] : rewritten) {
      SV_ASSIGN_OR_RETURN(Node n, view.GetNode(c->id));
      node_rows.emplace_back(u, std::move(n));
      node_old_rows[u] = kGone;
    }
    for (size_t i = 0; i < new_nodes.size(); ++i) {
      SV_ASSIGN_OR_RETURN(Node n, view.GetNode(new_nodes[i].id));
      node_rows.emplace_back(base_nodes + static_cast<uint32_t>(i), std::move(n));
    }
    std::sort(node_rows.begin(), node_rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [id, column] : base_columns) {
      if (std::get<0>(id)) continue;
      auto patched = PatchNodeColumn(*column, static_cast<NodeField>(std::get<1>(id)),
                                     std::get<2>(id), node_old_rows, node_rows);
      if (patched) columns.emplace(id, std::move(patched));
    }
  }
  if (edge_columns) {
    std::vector<uint32_t> edge_old_rows(num_edges, kGone);
    positions.ForEach([&](uint64_t old_pos, uint64_t new_pos) {
      edge_old_rows[new_pos] = static_cast<uint32_t>(old_pos);
    });
    std::vector<std::pair<uint32_t, Edge>> edge_rows;
    for (const Touched& t : out_touched) {
      for (size_t k = 0; k < t.slots.size(); ++k) {
        if (t.slots[k].old_pos != kGone) continue;
        SV_ASSIGN_OR_RETURN(Edge e, view.GetEdge(t.slots[k].id));
        edge_rows.emplace_back(static_cast<uint32_t>(t.new_begin + k), std::move(e));
      }
    }
    for (const auto& [id, column] : base_columns) {
      if (!std::get<0>(id)) continue;
      auto patched = PatchEdgeColumn(*column, static_cast<EdgeField>(std::get<1>(id)),
                                     std::get<2>(id), edge_old_rows, edge_rows);
      if (patched) columns.emplace(id, std::move(patched));
    }
  }

  // --- From here on nothing fails: the arrays are edited.
  {
    std::vector<NodeId> ids = g.ids_.Take();
    std::vector<SymbolId> kinds = g.kinds_.Take();
    std::vector<SymbolId> sectors = g.sectors_.Take();
    std::vector<uint32_t> index_by_id = g.index_by_id_.Take();
    for (const auto& [u, c] : rewritten) {
      kinds[u] = c->kind;
      sectors[u] = c->sector;
    }
    Resize(&ids, num_nodes);
    Resize(&kinds, num_nodes);
    Resize(&sectors, num_nodes);
    for (size_t i = 0; i < new_nodes.size(); ++i) {
      const uint32_t v = base_nodes + static_cast<uint32_t>(i);
      ids[v] = new_nodes[i].id;
      kinds[v] = new_nodes[i].kind;
      sectors[v] = new_nodes[i].sector;
    }
    if (!new_nodes.empty()) {
      Resize(&index_by_id, ids.back() + 1);  // the new entries are 0: absent
      for (uint32_t v = base_nodes; v < num_nodes; ++v) index_by_id[ids[v]] = v + 1;
    }
    g.ids_ = std::move(ids);
    g.kinds_ = std::move(kinds);
    g.sectors_ = std::move(sectors);
    g.index_by_id_ = std::move(index_by_id);
  }
  {
    std::vector<uint64_t> out_offsets = g.out_offsets_.Take();
    std::vector<uint32_t> out_targets = g.out_targets_.Take();
    std::vector<uint16_t> out_types = g.out_types_.Take();
    std::vector<EdgeId> edge_ids = g.edge_ids_.Take();
    std::vector<double> out_weights = g.out_weights_.Take();
    ShiftOffsets(&out_offsets, base_nodes, num_nodes, out_at, out_growth);
    MoveBlocks(&out_targets, base_edges, num_edges, out_blocks);
    MoveBlocks(&out_types, base_edges, num_edges, out_blocks);
    MoveBlocks(&edge_ids, base_edges, num_edges, out_blocks);
    if (weighted) MoveBlocks(&out_weights, base_edges, num_edges, out_blocks);
    for (const Touched& t : out_touched) {
      for (size_t k = 0; k < t.slots.size(); ++k) {
        const Slot& s = t.slots[k];
        const uint64_t p = t.new_begin + k;
        out_targets[p] = s.dst;
        out_types[p] = static_cast<uint16_t>(s.type);
        edge_ids[p] = s.id;
        if (weighted) out_weights[p] = s.weight;
      }
    }
    g.out_offsets_ = std::move(out_offsets);
    g.out_targets_ = std::move(out_targets);
    g.out_types_ = std::move(out_types);
    g.edge_ids_ = std::move(edge_ids);
    g.out_weights_ = std::move(out_weights);
  }
  {
    std::vector<uint64_t> in_offsets = g.in_offsets_.Take();
    std::vector<uint32_t> in_sources = g.in_sources_.Take();
    std::vector<uint16_t> in_types = g.in_types_.Take();
    std::vector<uint32_t> in_positions = g.in_positions_.Take();
    std::vector<double> in_weights = g.in_weights_.Take();
    ShiftOffsets(&in_offsets, base_nodes, num_nodes, in_at, in_growth);
    MoveBlocks(&in_sources, base_edges, num_edges, in_blocks);
    MoveBlocks(&in_types, base_edges, num_edges, in_blocks);
    MoveBlocks(&in_positions, base_edges, num_edges, in_blocks);
    if (weighted) MoveBlocks(&in_weights, base_edges, num_edges, in_blocks);
    // The base's in-slots name base positions: renumber those at or after
    // the first that moved (none when the changes only added edges from
    // new nodes, whose slots come last).
    if (first_moved < base_edges) {
      for (const Block& b : in_blocks) {
        size_t hint = 0;
        for (uint64_t s = b.new_begin; s < b.new_begin + (b.old_end - b.old_begin); ++s) {
          if (in_positions[s] >= first_moved) in_positions[s] = positions.Lookup(in_positions[s], &hint);
        }
      }
    }
    for (const InTouched& t : in_touched) {
      for (size_t k = 0; k < t.slots.size(); ++k) {
        const InSlot& s = t.slots[k];
        const uint64_t p = t.new_begin + k;
        in_sources[p] = s.src;
        in_positions[p] = s.pos;
        in_types[p] = s.type;
        if (weighted) in_weights[p] = s.weight;
      }
    }
    g.in_offsets_ = std::move(in_offsets);
    g.in_sources_ = std::move(in_sources);
    g.in_types_ = std::move(in_types);
    g.in_positions_ = std::move(in_positions);
    g.in_weights_ = std::move(in_weights);
  }
  {
    std::lock_guard lock(g.columns_mu_);
    g.columns_ = std::move(columns);
  }
  return true;
}

}  // namespace samverkan
