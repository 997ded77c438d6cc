// CsrGraph: an immutable, compact in-memory copy of a graph for analytics
// and fast traversals.
//
// Built from one consistent view (usually a Snapshot), optionally restricted
// to some node kinds, some edge types and the edges valid on a date. Nodes
// get dense indexes 0..num_nodes()-1 in NodeId order. Each edge is kept in
// both directions: 4 bytes for the neighbour and 2 for the edge type on each
// side, 12 bytes per edge in all (plus 16 bytes per node for offsets).
//
// Each edge also has a dense position 0..num_edges()-1 (its slot on the out
// side): out_edge(v, i) and in_edge(v, i) give it for either side's slot,
// edge_id(position) the stored edge's id, so a caller reaches an edge's
// record with one lookup, and arrays indexed by position (property
// columns) hold one value per edge. That costs 12 more bytes per edge (4
// for the in side's position, 8 for the id).
//
// Parallel edges stay parallel, in rank order; self-loops appear once on
// each side. Ranks and properties are not kept. Weights are kept only when
// CsrSpec::with_weights asks for them (8 more bytes per edge on each side,
// for weighted analytics).
//
//   SV_ASSIGN_OR_RETURN(auto csr, db->Csr({}));  // cached until the next commit
//   for (uint32_t v : csr->out_neighbors(*csr->index_of(id))) ...
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "samverkan/csr_array.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/property_column.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan {

// Which part of the graph a CsrGraph holds. Empty lists mean "all".
struct CsrSpec {
  std::vector<std::string> node_kinds;
  std::vector<std::string> edge_types;
  std::optional<Date> valid_on;
  // Only edges whose validity overlaps this calendar year (Jan 1 to Dec 31,
  // both inclusive); an edge without dates overlaps every year. Combines
  // with valid_on (both must hold).
  std::optional<int> year;
  // Keep each edge's weight (1 when it has none): out_weights()/in_weights().
  bool with_weights = false;

  bool operator==(const CsrSpec&) const = default;
};

// What commits changed, as far as a CsrGraph cares: enough for
// CsrGraph::Patched to derive the snapshot after them from the one before,
// without reading the graph. Each node id and each edge key appears once,
// in its latest state.
struct CsrChanges {
  struct NodeChange {
    NodeId id = kNoNode;
    bool removed = false;  // else its record was written (added or changed)
    bool created = false;  // the node is new: it has no edges but these changes'
    SymbolId kind = 0;
    SymbolId sector = 0;
  };
  // An edge key (src, type, dst, rank) that was written: for a removed
  // key, only those four hold; else the edge there (id, weight, validity).
  struct EdgeChange {
    EdgeRef edge;
    bool removed = false;
  };
  std::vector<NodeChange> nodes;         // by id, ascending
  std::vector<EdgeChange> edges;         // by (src, type, dst, rank)
  std::vector<EdgeId> removed_edge_ids;  // ascending: edges that exist no more

  size_t size() const { return nodes.size() + edges.size(); }
  // These changes followed by `later` (the state after both).
  void Append(const CsrChanges& later);
};

// The largest symbol id of each space a graph has named (its schema's
// sizes), which a CsrGraph's kinds, sectors and edge types must not pass;
// by default, no bound.
struct CsrSymbolLimits {
  SymbolId kinds = UINT32_MAX;
  SymbolId sectors = UINT32_MAX;
  SymbolId edge_types = UINT32_MAX;
};

class CsrGraph {
 public:
  // Reads `view` once. NotSupported if the graph has more than 2^32-1 nodes
  // or edges, or 65535 edge types; Interrupted when `interrupt` fires.
  static Result<std::shared_ptr<const CsrGraph>> Build(
      const GraphView& view, const CsrSpec& spec, const Interrupt& interrupt = Interrupt::Never());

  uint32_t num_nodes() const { return static_cast<uint32_t>(ids_.size()); }
  uint64_t num_edges() const { return out_targets_.size(); }

  NodeId node_id(uint32_t v) const { return ids_[v]; }
  // The dense index of a node, if the CSR holds it.
  std::optional<uint32_t> index_of(NodeId id) const;
  SymbolId kind(uint32_t v) const { return kinds_[v]; }
  SymbolId sector(uint32_t v) const { return sectors_[v]; }  // 0: none

  std::span<const uint32_t> out_neighbors(uint32_t v) const {
    return Slice(out_targets_, out_offsets_, v);
  }
  std::span<const uint16_t> out_types(uint32_t v) const { return Slice(out_types_, out_offsets_, v); }
  std::span<const uint32_t> in_neighbors(uint32_t v) const {
    return Slice(in_sources_, in_offsets_, v);
  }
  std::span<const uint16_t> in_types(uint32_t v) const { return Slice(in_types_, in_offsets_, v); }
  // The position of the edge in slot i of out_neighbors(v) / in_neighbors(v).
  uint32_t out_edge(uint32_t v, size_t i) const {
    return static_cast<uint32_t>(out_offsets_[v] + i);
  }
  // REQUIRES: EdgePositionsChecked(), as for edge_id.
  uint32_t in_edge(uint32_t v, size_t i) const {
    assert(EdgePositionsChecked());
    return in_positions_[in_offsets_[v] + i];
  }
  // The stored id of the edge at `position`.
  EdgeId edge_id(uint32_t position) const {
    assert(EdgePositionsChecked());
    return edge_ids_[position];
  }

  // A mapped snapshot's edge positions (what in_edge and edge_id read) are
  // checked when first needed, not when it is mapped: walks and analytics
  // never read them, and they are a third of the file. Db::Csr checks them
  // before it hands a snapshot out; Db::Adjacency need not.
  // OK at once for a built or patched snapshot. For a mapped one, the
  // first call checks their blocks' checksums and that every in slot names
  // an edge; Corruption, naming the file, if not (then and on every call).
  Status CheckEdgePositions() const;
  bool EdgePositionsChecked() const { return positions_checked_.load(std::memory_order_acquire); }
  uint64_t out_degree(uint32_t v) const { return out_offsets_[v + 1] - out_offsets_[v]; }
  uint64_t in_degree(uint32_t v) const { return in_offsets_[v + 1] - in_offsets_[v]; }

  // Edge weights, parallel to out_neighbors(v) / in_neighbors(v). Empty
  // spans unless the spec asked for with_weights.
  bool has_weights() const { return spec_.with_weights; }
  std::span<const double> out_weights(uint32_t v) const {
    return has_weights() ? Slice(out_weights_, out_offsets_, v) : std::span<const double>();
  }
  std::span<const double> in_weights(uint32_t v) const {
    return has_weights() ? Slice(in_weights_, in_offsets_, v) : std::span<const double>();
  }

  // A property of every node (by dense index) or every edge (by position)
  // as a typed column; `key` names the props key for kProps. Built from
  // `view` on first use (one scan of all nodes or edges) and kept with the
  // snapshot; later calls, from any thread, share it. The scan for a props
  // key also builds the columns of the other props keys the first rows
  // hold (up to 16, fewer for big graphs), so reading several keys costs
  // one parse of the rows' JSON. REQUIRES: `view` is the state this
  // snapshot was built from (not a transaction with writes).
  // The snapshot `base` becomes after `changes`, for the same spec, equal
  // array by array to Build(view) (positions included), where `view` is the
  // state after the changes. Costs O(nodes + edges) copying plus a record
  // read per changed row of a built column; reads no adjacency but that of
  // parallel edges a change lands among. Carries over the base's property
  // columns that can be patched exactly (the others are built again on
  // first use). Null when the changes cannot be applied that way (a node
  // that existed joins the spec's kinds), for the caller to Build instead.
  static Result<std::shared_ptr<const CsrGraph>> Patched(const CsrGraph& base,
                                                         const CsrChanges& changes,
                                                         const GraphView& view);
  // The same snapshot, but `base` is given up and, when it can be, edited
  // in place and returned: when `base` is the only reference to it, its
  // arrays are its own (not a mapped file) and every node keeps its index
  // (none leaves, new ones come after the last). Only the slots after the
  // first node a change touches move (a memmove, no new memory), so a commit
  // that adds nodes and their edges costs O(changes), one that adds an edge
  // from an old node about a memmove of the arrays after it. Otherwise as
  // Patched(*base, changes, view). The caller must make sure nobody can
  // take a new reference to `base` meanwhile (Db::Csr: it is out of the
  // cache). On an error or a null result, `base` is left unchanged.
  static Result<std::shared_ptr<const CsrGraph>> Patched(std::shared_ptr<const CsrGraph> base,
                                                         const CsrChanges& changes,
                                                         const GraphView& view);

  Result<std::shared_ptr<const PropertyColumn>> NodeColumn(
      const GraphView& view, NodeField field, std::string_view key = {},
      const Interrupt& interrupt = Interrupt::Never()) const;
  Result<std::shared_ptr<const PropertyColumn>> EdgeColumn(
      const GraphView& view, EdgeField field, std::string_view key = {},
      const Interrupt& interrupt = Interrupt::Never()) const;
  // Builds the props columns of every one of `keys` of the nodes (or the
  // edges) that is neither built nor mapped, in one scan of the records.
  // NodeColumn and EdgeColumn build other keys beside theirs only while
  // the graph is small enough (a memory bound); an import, which saves the
  // columns of the keys most rows hold, asks for them all at once instead
  // of reading every record once per key.
  Status BuildPropsColumnsTogether(const GraphView& view, bool edges,
                                   std::span<const std::string> keys,
                                   const Interrupt& interrupt = Interrupt::Never()) const;

  const CsrSpec& spec() const { return spec_; }
  // Bytes of memory the arrays take (and the columns built so far).
  uint64_t memory_bytes() const;

  // --- Snapshot files (docs/on-disk-format.md, "Snapshot files";
  // engine/graph/csr_file.cc). Only the specs a graph keeps on disk can be
  // saved: all nodes and edges, with or without weights.

  // What a snapshot file reflects: the store's sequence number and the
  // last batch (commit) it holds. Opaque to the CSR; the store compares.
  struct FileStamp {
    uint64_t sequence = 0;
    uint64_t batch = 0;
    bool operator==(const FileStamp&) const = default;
  };
  static bool Saveable(const CsrSpec& spec) {
    return spec.node_kinds.empty() && spec.edge_types.empty() && !spec.valid_on && !spec.year;
  }
  // Writes this snapshot to `path` atomically: a temporary file beside it,
  // fsync, rename, fsync of the directory. Interrupted (and the temporary
  // file removed) when `interrupt` fires; NotSupported for a spec that is
  // not Saveable.
  Status Save(const std::string& path, const FileStamp& stamp,
              const Interrupt& interrupt = Interrupt::Never()) const;
  // The stamp and spec a snapshot file's header names, its header checksum
  // checked. NotFound without a file; NotSupported for another format
  // version; Corruption, naming the file, for anything else amiss.
  static Result<std::pair<FileStamp, CsrSpec>> ReadFileHeader(const std::string& path);
  // Maps the snapshot file at `path`; the result's arrays are views into
  // the mapping, which it keeps. Every block's checksum is checked first,
  // then CheckArrays(limits), but for the edge positions' blocks, which
  // CheckEdgePositions checks. Errors as ReadFileHeader's.
  static Result<std::pair<FileStamp, std::shared_ptr<const CsrGraph>>> Map(
      const std::string& path, const CsrSymbolLimits& limits = {});

  // Whether the arrays hold only what every reader takes for granted and
  // uses as indexes: each side's offsets rise from 0 to num_edges();
  // neighbours and in positions are in range; node ids ascend and
  // index_of() is exactly their inverse; no kind, sector or edge type lies
  // above `limits`. A snapshot file's checksums say only that it is what
  // some writer wrote, and a graph directory can come from anyone: Map()
  // checks this before anything reads the arrays. Corruption naming the
  // first fault otherwise (engine/graph/csr_check.cc).
  Status CheckArrays(const CsrSymbolLimits& limits = {}) const;

  // --- Columns files (docs/on-disk-format.md, "Columns files";
  // engine/graph/columns_file.cc): the property columns a snapshot has
  // built, saved beside its snapshot file under the same rules.

  // How many columns this snapshot holds (built or mapped; only ever more,
  // but for a mapped one found damaged when first read).
  size_t column_count() const;
  // Whether a column mapped from a file was found damaged when first read
  // (it was built again): the writer then replaces the file.
  bool mapped_columns_damaged() const;
  // Called (on the thread that built it) after a column is built: the
  // writer's Db saves the columns then. Set once, before the snapshot is
  // shared.
  void SetColumnsBuiltHook(std::function<void()> hook) const;
  // Writes the columns built so far to `path`, stamped `stamp`, as Save
  // writes the snapshot; how many it wrote.
  Result<size_t> SaveColumns(const std::string& path, const FileStamp& stamp,
                             const Interrupt& interrupt = Interrupt::Never()) const;
  // Adopts the columns of the file at `path` as views into its mapping
  // (columns built already stay), its header checked; how many it holds.
  // A column's blocks' checksums and values are checked when it is first
  // asked for (NodeColumn, EdgeColumn) or the snapshot patched or saved;
  // one that fails is built again from the graph. InvalidArgument when the file holds another stamp
  // than `stamp`; Corruption when its rows are not this snapshot's; else
  // errors as ReadColumnsHeader's.
  Result<size_t> MapColumns(const std::string& path, const FileStamp& stamp) const;
  // The stamp a columns file's header names, its header checksum checked.
  // NotFound without a file; NotSupported for another format version;
  // Corruption, naming the file, for anything else amiss.
  static Result<FileStamp> ReadColumnsHeader(const std::string& path);
  // Reads every block of a columns file and checks it; its stamp.
  static Result<FileStamp> VerifyColumnsFile(const std::string& path);

 private:
  Result<std::shared_ptr<const PropertyColumn>> PropsColumn(const GraphView& view, bool edges,
                                                            const std::string& key,
                                                            const Interrupt& interrupt) const;
  static int PropsField(bool edges);
  // Keeps freshly built props columns (over mapped ones of the same keys).
  void KeepPropsColumns(
      bool edges,
      std::vector<std::pair<std::string, std::shared_ptr<const PropertyColumn>>> built) const;

  using ColumnKey = std::tuple<bool, int, std::string>;  // (edges?, field, props key)
  using Columns = std::map<ColumnKey, std::shared_ptr<const PropertyColumn>, std::less<>>;
  // A column mapped from a file, not yet read: `check` verifies its blocks.
  struct UncheckedColumn {
    std::shared_ptr<const PropertyColumn> column;
    std::function<Status()> check;
  };
  // The column under `key`: built, else mapped (checked now), else made by
  // `make(key)`; `*built` set when it was made.
  template <typename Make>
  Result<std::shared_ptr<const PropertyColumn>> CachedColumn(ColumnKey key, Make make,
                                                             bool* built) const;
  // The columns, every mapped one checked first (the damaged dropped).
  Columns CheckedColumns() const;

  // CheckArrays but for the edge positions; and those alone.
  Status CheckAdjacencyArrays(const CsrSymbolLimits& limits) const;
  Status CheckPositionArrays() const;
  // A snapshot file does not keep the in positions: each node's in-slots
  // are in position order (Build and Patched keep them so), which makes
  // them a stable counting sort of the out side by target. Made on first
  // need (a mapped snapshot's CheckEdgePositions); Corruption when the in
  // side gives a node fewer slots than the out side has edges into it.
  Status DeriveInPositions();

  friend class CsrFile;      // csr_file.cc: reads and fills the arrays
  friend class ColumnsFile;  // columns_file.cc: saves and maps the columns
  void ColumnsBuilt() const;

  // Patched's in-place edit (csr_patch_in_place.cc): false, with `g`
  // untouched, when it does not apply.
  static Result<bool> PatchInPlace(CsrGraph& g, const CsrChanges& changes, const GraphView& view);

  template <typename T>
  static std::span<const T> Slice(const CsrArray<T>& data, const CsrArray<uint64_t>& off,
                                  uint32_t v) {
    return {data.data() + off[v], data.data() + off[v + 1]};
  }

  CsrSpec spec_;
  IdArray ids_;                      // dense index -> NodeId, ascending
  CsrArray<uint32_t> index_by_id_;   // NodeId -> dense index + 1; 0 = absent
  SymbolArray kinds_;
  SymbolArray sectors_;
  CsrArray<uint64_t> out_offsets_, in_offsets_;
  CsrArray<uint32_t> out_targets_, in_sources_;
  CsrArray<uint16_t> out_types_, in_types_;
  // In slot -> edge position (= its out slot). For a mapped snapshot, made
  // by the first CheckEdgePositions (DeriveInPositions), under positions_mu_,
  // and published by positions_checked_.
  CsrArray<uint32_t> in_positions_;
  IdArray edge_ids_;                 // edge position -> EdgeId
  // A mapped snapshot file the arrays view (null when built in memory).
  std::shared_ptr<const void> mapping_;
  // For a mapped snapshot, what CheckEdgePositions runs once (set by Map).
  mutable std::mutex positions_mu_;
  mutable std::function<Status()> check_positions_;  // guarded by positions_mu_
  mutable Status positions_status_;                  // guarded by positions_mu_
  mutable std::atomic<bool> positions_checked_{true};

  // Columns built or checked so far, by (node or edge, field, key); those
  // mapped and not yet read.
  mutable std::mutex columns_mu_;
  mutable Columns columns_;
  mutable std::map<ColumnKey, UncheckedColumn, std::less<>> unchecked_columns_;
  mutable bool mapped_columns_damaged_ = false;  // guarded by columns_mu_
  mutable std::function<void()> columns_built_;  // guarded by columns_mu_
  CsrArray<double> out_weights_, in_weights_;  // empty unless spec_.with_weights
};

// The stored edge `from` -type-> `to` (or, for Direction::kIn, `to` -type->
// `from`; kBoth tries out, then in) with the lowest rank; NotFound if none.
Result<EdgeRef> FindEdgeBetween(const GraphView& view, NodeId from, NodeId to, SymbolId type,
                                Direction dir);

}  // namespace samverkan
