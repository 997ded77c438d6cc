// CsrGraph::Patched: the snapshot after a few small commits, derived from
// the snapshot before them and what they changed (CsrChanges), instead of
// being built again from the whole graph. docs/architecture.md ("Commits as
// deltas") says when Db::Csr takes this path.
//
// The result must equal Build's array by array: nodes in id order, edges
// at positions in (src, type, dst, rank) order, each node's in-slots in
// position order (Build's counting sort is stable over edges read in
// position order). The base holds no ranks, so where a changed edge lands
// among parallel edges the base kept, their ranks are read from the view.
#include <algorithm>
#include <numeric>
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

// Patched's answer when the changes cannot be applied: build instead.
Result<std::shared_ptr<const CsrGraph>> NotPatchable() {
  return std::shared_ptr<const CsrGraph>();
}

auto KeyOf(const EdgeRef& e) { return std::make_tuple(e.src, e.type, e.dst, e.rank); }

// Merges two runs sorted by `key`, one entry per key, `later`'s winning.
template <typename T, typename Key, typename Combine>
std::vector<T> MergeLatest(const std::vector<T>& earlier, const std::vector<T>& later, Key key,
                           Combine combine) {
  std::vector<T> out;
  out.reserve(earlier.size() + later.size());
  size_t i = 0, j = 0;
  while (i < earlier.size() || j < later.size()) {
    if (j == later.size() || (i < earlier.size() && key(earlier[i]) < key(later[j]))) {
      out.push_back(earlier[i++]);
    } else if (i == earlier.size() || key(later[j]) < key(earlier[i])) {
      out.push_back(later[j++]);
    } else {
      out.push_back(combine(earlier[i++], later[j++]));
    }
  }
  return out;
}

// Appends from[begin, end) to *to.
template <typename T>
void Append(std::vector<T>* to, const CsrArray<T>& from, uint64_t begin, uint64_t end) {
  to->insert(to->end(), from.begin() + begin, from.begin() + end);
}

}  // namespace

namespace patch {

Status OrderSlots(std::vector<Slot>* slots_in, const GraphView& view) {
  std::vector<Slot>& slots = *slots_in;
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return std::tie(a.type, a.dst) < std::tie(b.type, b.dst);
  });
  for (size_t begin = 0; begin < slots.size();) {
    size_t end = begin + 1;
    while (end < slots.size() && slots[end].type == slots[begin].type &&
           slots[end].dst == slots[begin].dst) {
      ++end;
    }
    if (end - begin > 1) {
      bool written = false;
      for (size_t i = begin; i < end; ++i) written = written || slots[i].has_rank;
      if (written) {
        for (size_t i = begin; i < end; ++i) {
          if (slots[i].has_rank) continue;
          SV_ASSIGN_OR_RETURN(Edge stored, view.GetEdge(slots[i].id));
          slots[i].rank = stored.rank;
        }
        std::sort(slots.begin() + static_cast<ptrdiff_t>(begin),
                  slots.begin() + static_cast<ptrdiff_t>(end),
                  [](const Slot& a, const Slot& b) { return a.rank < b.rank; });
      }
    }
    begin = end;
  }
  return Status::OK();
}

}  // namespace patch

void CsrChanges::Append(const CsrChanges& later) {
  nodes = MergeLatest(
      nodes, later.nodes, [](const NodeChange& n) { return n.id; },
      [](const NodeChange& a, NodeChange b) {
        b.created = b.created || a.created;
        return b;
      });
  edges = MergeLatest(
      edges, later.edges, [](const EdgeChange& e) { return KeyOf(e.edge); },
      [](const EdgeChange&, const EdgeChange& b) { return b; });
  std::vector<EdgeId> removed;
  removed.reserve(removed_edge_ids.size() + later.removed_edge_ids.size());
  std::set_union(removed_edge_ids.begin(), removed_edge_ids.end(),
                 later.removed_edge_ids.begin(), later.removed_edge_ids.end(),
                 std::back_inserter(removed));
  removed_edge_ids = std::move(removed);
}

Result<std::shared_ptr<const CsrGraph>> CsrGraph::Patched(const CsrGraph& base,
                                                          const CsrChanges& changes,
                                                          const GraphView& view) {
  // Resolved against the schema after the changes: a kind or type the
  // spec names may have been created by them.
  // Every edge position of the base is read (a mapped base's are checked
  // when first needed: a damaged one means a rebuild, not a patch).
  SV_RETURN_IF_ERROR(base.CheckEdgePositions());
  const SpecFilter filter(view.schema(), base.spec_);
  auto g = std::make_shared<CsrGraph>();
  g->spec_ = base.spec_;
  const bool weighted = base.spec_.with_weights;
  // Room for later patches, which edit this snapshot in place
  // (csr_patch_in_place.cc) and would otherwise reallocate every array.
  auto with_room = [](size_t n) { return n + n / 64 + 1024; };

  // --- Nodes: the base's, less those removed or of a kind no longer kept,
  // with the new ones merged in by id. written_nodes: new indexes whose
  // records changed (their column rows are read again).
  std::vector<NodeId> ids;
  std::vector<SymbolId> kinds, sectors;
  std::vector<uint32_t> new_of_old(base.num_nodes(), kGone);
  std::vector<uint32_t> old_of_new;
  std::vector<uint32_t> written_nodes;
  ids.reserve(base.num_nodes() + changes.nodes.size());
  kinds.reserve(ids.capacity());
  sectors.reserve(ids.capacity());
  old_of_new.reserve(ids.capacity());
  auto push = [&](NodeId id, SymbolId kind, SymbolId sector, uint32_t old) {
    ids.push_back(id);
    kinds.push_back(kind);
    sectors.push_back(sector);
    old_of_new.push_back(old);
  };
  // A node the base does not hold. False: it existed and now joins the
  // spec's kinds, bringing edges the changes do not list.
  auto add_new = [&](const CsrChanges::NodeChange& c) {
    if (c.removed || !filter.KeepsKind(c.kind)) return true;
    if (!c.created) return false;
    written_nodes.push_back(static_cast<uint32_t>(ids.size()));
    push(c.id, c.kind, c.sector, kGone);
    return true;
  };
  // Usually no node leaves and the new ones come after the base's: the
  // base's nodes are then copied whole.
  const bool appended = std::all_of(
      changes.nodes.begin(), changes.nodes.end(), [&](const CsrChanges::NodeChange& c) {
        if (base.index_of(c.id)) return !c.removed && filter.KeepsKind(c.kind);
        return base.num_nodes() == 0 || c.id > base.ids_.back();
      });
  size_t next_change = 0;
  if (appended) {
    ids.clear();
    base.ids_.AppendTo(&ids, 0, base.ids_.size());
    kinds.clear();
    base.kinds_.AppendTo(&kinds, 0, base.kinds_.size());
    sectors.clear();
    base.sectors_.AppendTo(&sectors, 0, base.sectors_.size());
    std::iota(new_of_old.begin(), new_of_old.end(), 0u);
    old_of_new = new_of_old;
    for (; next_change < changes.nodes.size(); ++next_change) {
      const CsrChanges::NodeChange& c = changes.nodes[next_change];
      const std::optional<uint32_t> u = base.index_of(c.id);
      if (!u) break;  // the new ones, after
      kinds[*u] = c.kind;
      sectors[*u] = c.sector;
      written_nodes.push_back(*u);
    }
  }
  for (uint32_t u = appended ? base.num_nodes() : 0; u < base.num_nodes(); ++u) {
    const NodeId id = base.ids_[u];
    for (; next_change < changes.nodes.size() && changes.nodes[next_change].id < id;
         ++next_change) {
      if (!add_new(changes.nodes[next_change])) return NotPatchable();
    }
    if (next_change < changes.nodes.size() && changes.nodes[next_change].id == id) {
      const CsrChanges::NodeChange& c = changes.nodes[next_change++];
      if (c.removed || !filter.KeepsKind(c.kind)) continue;  // its edges go with it
      new_of_old[u] = static_cast<uint32_t>(ids.size());
      written_nodes.push_back(new_of_old[u]);
      push(id, c.kind, c.sector, u);
      continue;
    }
    new_of_old[u] = static_cast<uint32_t>(ids.size());
    push(id, base.kinds_[u], base.sectors_[u], u);
  }
  for (; next_change < changes.nodes.size(); ++next_change) {
    if (!add_new(changes.nodes[next_change])) return NotPatchable();
  }
  if (ids.size() >= UINT32_MAX) return NotPatchable();
  const auto num_nodes = static_cast<uint32_t>(ids.size());
  std::vector<uint32_t> index_by_id(ids.empty() ? 0 : ids.back() + 1, 0);
  for (uint32_t v = 0; v < num_nodes; ++v) index_by_id[ids[v]] = v + 1;
  auto new_index = [&](NodeId id) -> uint32_t {
    return id < index_by_id.size() && index_by_id[id] != 0 ? index_by_id[id] - 1 : kGone;
  };

  const ReplacedEdges replaced(changes);

  // When every base node stays at its index (none left; new ones come
  // after the base's last id), the nodes between two touched ones keep
  // their slots verbatim: their arrays are copied as blocks, and a base
  // position maps through the block holding it (or, for a slot of a touched
  // node, through `moved`). Otherwise each slot is renumbered on its own.
  const bool same_indexes =
      num_nodes >= base.num_nodes() &&
      std::all_of(new_of_old.begin(), new_of_old.end(), [](uint32_t v) { return v != kGone; }) &&
      (base.num_nodes() == 0 || num_nodes == base.num_nodes() ||
       ids[base.num_nodes()] > base.ids_.back());
  PositionMap positions(same_indexes, base.num_edges());

  // --- Out side. added: (dst, position, src) of the written edges.
  std::vector<uint64_t> out_offsets(static_cast<size_t>(num_nodes) + 1, 0);
  out_offsets.reserve(with_room(out_offsets.size()));
  std::vector<uint32_t> out_targets;
  std::vector<uint16_t> out_types;
  std::vector<double> out_weights;
  std::vector<EdgeId> edge_ids;
  const size_t capacity = with_room(base.num_edges() + replaced.written());
  out_targets.reserve(capacity);
  out_types.reserve(capacity);
  edge_ids.reserve(capacity);
  if (weighted) out_weights.reserve(capacity);
  struct Added {
    uint32_t dst, pos, src;
    bool operator<(const Added& o) const { return std::tie(dst, pos) < std::tie(o.dst, o.pos); }
  };
  std::vector<Added> added;
  // The new indexes of the nodes the changes write edges from, ascending.
  std::vector<uint32_t> sources;
  for (const auto& c : changes.edges) {
    const uint32_t v = new_index(c.edge.src);
    if (v != kGone && (sources.empty() || sources.back() != v)) sources.push_back(v);
  }
  sources.push_back(num_nodes);  // sentinel
  const uint32_t base_nodes = base.num_nodes();
  // Nodes [from, to) of the new snapshot, none with written edges.
  auto copy_untouched = [&](uint32_t from, uint32_t to) {
    if (same_indexes) {
      const uint64_t old_begin = base.out_offsets_[std::min(from, base_nodes)];
      const uint64_t old_end = base.out_offsets_[std::min(to, base_nodes)];
      const uint64_t new_begin = out_targets.size();
      for (uint32_t v = from; v < to; ++v) {
        out_offsets[v] = base.out_offsets_[std::min(v, base_nodes)] - old_begin + new_begin;
      }
      Append(&out_targets, base.out_targets_, old_begin, old_end);
      Append(&out_types, base.out_types_, old_begin, old_end);
      if (weighted) Append(&out_weights, base.out_weights_, old_begin, old_end);
      base.edge_ids_.AppendTo(&edge_ids, old_begin, old_end);
      positions.AddBlock(old_begin, old_end, new_begin);
      return;
    }
    for (uint32_t v = from; v < to; ++v) {
      out_offsets[v] = out_targets.size();
      const uint32_t u = old_of_new[v];
      if (u == kGone) continue;  // a new node without edges
      for (uint64_t s = base.out_offsets_[u]; s < base.out_offsets_[u + 1]; ++s) {
        const uint32_t t = new_of_old[base.out_targets_[s]];
        if (t == kGone) continue;  // to a node that left
        positions.Move(s, out_targets.size());
        out_targets.push_back(t);
        out_types.push_back(base.out_types_[s]);
        if (weighted) out_weights.push_back(base.out_weights_[s]);
        edge_ids.push_back(base.edge_ids_[s]);
      }
    }
  };
  std::vector<Slot> slots;
  size_t next_edge = 0;  // into changes.edges, which is in src order
  uint32_t next_node = 0;
  for (const uint32_t v : sources) {
    copy_untouched(next_node, v);
    if (v == num_nodes) break;
    next_node = v + 1;
    out_offsets[v] = out_targets.size();
    const uint32_t u = old_of_new[v];
    const NodeId id = ids[v];
    while (changes.edges[next_edge].edge.src < id) ++next_edge;  // from nodes left out
    const size_t first_change = next_edge;
    while (next_edge < changes.edges.size() && changes.edges[next_edge].edge.src == id) {
      ++next_edge;
    }
    // The base's slots that stay, and the written edges the spec keeps,
    // in (type, dst, rank) order.
    slots.clear();
    if (u != kGone) {
      for (uint64_t s = base.out_offsets_[u]; s < base.out_offsets_[u + 1]; ++s) {
        const uint32_t t = new_of_old[base.out_targets_[s]];
        const EdgeId eid = base.edge_ids_[s];
        if (t == kGone || replaced.Contains(eid)) {
          continue;
        }
        slots.push_back({base.out_types_[s], t, 0, false, eid,
                         weighted ? base.out_weights_[s] : 0.0, static_cast<uint32_t>(s)});
      }
    }
    for (size_t c = first_change; c < next_edge; ++c) {
      const EdgeRef& e = changes.edges[c].edge;
      if (changes.edges[c].removed || !filter.KeepsEdge(e)) continue;
      const uint32_t t = new_index(e.dst);
      if (t == kGone) continue;
      if (e.type > UINT16_MAX) return NotPatchable();  // Build reports it
      slots.push_back({e.type, t, e.rank, true, e.id, e.weight.value_or(1.0), kGone});
    }
    SV_RETURN_IF_ERROR(patch::OrderSlots(&slots, view));
    for (const Slot& s : slots) {
      const auto pos = static_cast<uint32_t>(out_targets.size());
      if (s.old_pos != kGone) {
        positions.Move(s.old_pos, pos);
      } else {
        added.push_back({s.dst, pos, v});
      }
      out_targets.push_back(s.dst);
      out_types.push_back(static_cast<uint16_t>(s.type));
      if (weighted) out_weights.push_back(s.weight);
      edge_ids.push_back(s.id);
    }
  }
  out_offsets[num_nodes] = out_targets.size();
  if (out_targets.size() >= UINT32_MAX) return NotPatchable();
  const uint64_t num_edges = out_targets.size();

  // --- In side: each node's in-slots in position order. The base's stay
  // in order under the renumbering (it keeps the order of positions); the
  // written edges are merged in. A node no change writes an edge to keeps
  // its in-slots, only their positions renumbered.
  std::sort(added.begin(), added.end());
  std::vector<uint32_t> targets;  // new indexes of the written edges' ends, ascending
  for (const auto& c : changes.edges) {
    const uint32_t w = new_index(c.edge.dst);
    if (w != kGone) targets.push_back(w);
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  targets.push_back(num_nodes);  // sentinel
  std::vector<uint64_t> in_offsets(static_cast<size_t>(num_nodes) + 1, 0);
  in_offsets.reserve(with_room(in_offsets.size()));
  std::vector<uint32_t> in_sources, in_positions;
  std::vector<uint16_t> in_types;
  std::vector<double> in_weights;
  in_sources.reserve(with_room(num_edges));
  in_positions.reserve(with_room(num_edges));
  in_types.reserve(with_room(num_edges));
  if (weighted) in_weights.reserve(with_room(num_edges));
  auto push_in = [&](uint32_t src, uint32_t pos) {
    in_sources.push_back(src);
    in_positions.push_back(pos);
    in_types.push_back(out_types[pos]);
    if (weighted) in_weights.push_back(out_weights[pos]);
  };
  size_t next_added = 0;
  auto rewrite_in = [&](uint32_t w) {
    in_offsets[w] = in_sources.size();
    const uint32_t u = old_of_new[w];
    if (u != kGone) {
      size_t hint = 0;
      for (uint64_t s = base.in_offsets_[u]; s < base.in_offsets_[u + 1]; ++s) {
        const uint32_t pos = positions.Lookup(base.in_positions_[s], &hint);
        if (pos == kGone) continue;
        for (; next_added < added.size() && added[next_added].dst == w &&
               added[next_added].pos < pos;
             ++next_added) {
          push_in(added[next_added].src, added[next_added].pos);
        }
        push_in(new_of_old[base.in_sources_[s]], pos);
      }
    }
    for (; next_added < added.size() && added[next_added].dst == w; ++next_added) {
      push_in(added[next_added].src, added[next_added].pos);
    }
  };
  uint32_t next_in = 0;
  for (const uint32_t t : targets) {
    if (same_indexes) {
      // Nodes [next_in, t): the base's in-slots as a block.
      const uint64_t old_begin = base.in_offsets_[std::min(next_in, base_nodes)];
      const uint64_t old_end = base.in_offsets_[std::min(t, base_nodes)];
      const uint64_t new_begin = in_sources.size();
      for (uint32_t w = next_in; w < t; ++w) {
        in_offsets[w] = base.in_offsets_[std::min(w, base_nodes)] - old_begin + new_begin;
      }
      Append(&in_sources, base.in_sources_, old_begin, old_end);
      Append(&in_types, base.in_types_, old_begin, old_end);
      if (weighted) Append(&in_weights, base.in_weights_, old_begin, old_end);
      positions.LookupAll(base.in_positions_, old_begin, old_end, &in_positions);
    } else {
      for (uint32_t w = next_in; w < t; ++w) rewrite_in(w);
    }
    if (t == num_nodes) break;
    rewrite_in(t);
    next_in = t + 1;
  }
  in_offsets[num_nodes] = in_sources.size();

  // --- Columns: each built one of the base, its rows moved, the written
  // rows read from their records.
  const Columns base_columns = base.CheckedColumns();
  bool node_columns = false, edge_columns = false;
  for (const auto& [id, column] : base_columns) (std::get<0>(id) ? edge_columns : node_columns) = true;
  std::vector<std::pair<uint32_t, Node>> node_rows;
  std::vector<uint32_t> node_old_rows;
  if (node_columns) {
    for (uint32_t v : written_nodes) {
      SV_ASSIGN_OR_RETURN(Node n, view.GetNode(ids[v]));
      node_rows.emplace_back(v, std::move(n));
    }
    node_old_rows = old_of_new;
    for (uint32_t v : written_nodes) node_old_rows[v] = kGone;
  }
  std::vector<std::pair<uint32_t, Edge>> edge_rows;
  std::vector<uint32_t> edge_old_rows;
  if (edge_columns) {
    edge_old_rows.assign(num_edges, kGone);
    positions.ForEach([&](uint64_t old_pos, uint64_t new_pos) {
      edge_old_rows[new_pos] = static_cast<uint32_t>(old_pos);
    });
    for (const Added& a : added) {
      SV_ASSIGN_OR_RETURN(Edge e, view.GetEdge(edge_ids[a.pos]));
      edge_rows.emplace_back(a.pos, std::move(e));
    }
    std::sort(edge_rows.begin(), edge_rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  for (const auto& [id, column] : base_columns) {
    const auto& [edges, field, key] = id;
    std::shared_ptr<const PropertyColumn> patched =
        edges ? PatchEdgeColumn(*column, static_cast<EdgeField>(field), key, edge_old_rows,
                                edge_rows)
              : PatchNodeColumn(*column, static_cast<NodeField>(field), key, node_old_rows,
                                node_rows);
    if (patched) g->columns_.emplace(id, std::move(patched));
  }

  g->ids_ = std::move(ids);
  g->index_by_id_ = std::move(index_by_id);
  g->kinds_ = std::move(kinds);
  g->sectors_ = std::move(sectors);
  g->out_offsets_ = std::move(out_offsets);
  g->in_offsets_ = std::move(in_offsets);
  g->out_targets_ = std::move(out_targets);
  g->in_sources_ = std::move(in_sources);
  g->out_types_ = std::move(out_types);
  g->in_types_ = std::move(in_types);
  g->in_positions_ = std::move(in_positions);
  g->edge_ids_ = std::move(edge_ids);
  g->out_weights_ = std::move(out_weights);
  g->in_weights_ = std::move(in_weights);
  return std::shared_ptr<const CsrGraph>(std::move(g));
}

}  // namespace samverkan
