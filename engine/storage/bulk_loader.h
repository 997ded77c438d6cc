// BulkLoaderImpl: collects a load in memory, then writes each column family
// as sorted SST files and ingests them all in one atomic step.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "samverkan/hash_table.h"

#include "samverkan/bulk_load.h"
#include "storage/byte_arena.h"
#include "storage/chunked_array.h"
#include "storage/db_impl.h"
#include "storage/inputs.h"
#include "storage/records.h"
#include "storage/symbol_table.h"
#include "storage/uninitialized_vector.h"

namespace samverkan::storage {

class SstSink;

// Edges as they were added, before sorting: ten million of them cost ten
// million small structs, not allocations. Ends are node offsets from the
// load's first node id; properties and sources, which most big loads lack,
// are copied into an arena that an edge points into through `extras`.
struct PendingEdges {
  static constexpr uint32_t kNoExtra = UINT32_MAX;
  struct Edge {
    double weight;
    uint32_t src;  // node offset
    uint32_t dst;  // node offset
    SymbolId type;
    uint32_t rank;
    int32_t valid_from;
    int32_t valid_to;
    uint32_t extra;  // index into extras, or kNoExtra
    uint8_t flags;   // kHasWeight | kHasFrom | kHasTo
  };
  static constexpr uint8_t kHasWeight = 1, kHasFrom = 2, kHasTo = 4;
  struct Extra {
    const char* props;  // in `bytes`
    const NodeId* sources;
    uint32_t props_len;
    uint32_t sources_len;
  };

  // Chunks and blocks of 32 MiB or more: glibc's malloc serves such sizes
  // with mmap, whatever its dynamic threshold has risen to, so freeing them
  // as the load goes on (DedupeEdges, then once the out family is written)
  // returns the memory rather than leaving it in the heap.
  ChunkedArray<Edge, 20> edges;
  ChunkedArray<Extra, 21> extras;
  ByteArena bytes{size_t{32} << 20};

  void Add(const EdgeInput& in, const EdgeEnds& ends, NodeId first_node, SymbolId type,
           std::string_view props);
  // Moves `other`'s edges to the end of these.
  void Append(PendingEdges&& other);
  std::string_view PropsOf(uint32_t extra) const {
    if (extra == kNoExtra) return {};
    const Extra& x = extras[extra];
    return {x.props, x.props_len};
  }
  std::span<const NodeId> SourcesOf(uint32_t extra) const {
    if (extra == kNoExtra) return {};
    const Extra& x = extras[extra];
    return {x.sources, x.sources_len};
  }
};

class BulkLoaderImpl final : public BulkLoader {
 public:
  BulkLoaderImpl(DbImpl* db, std::string label);
  ~BulkLoaderImpl() override;

  Result<NodeId> AddNode(const NodeInput& input) override;
  Status AddEdge(const EdgeInput& input) override;
  std::vector<std::unique_ptr<BulkEdgeLane>> OpenEdgeLanes(size_t n) override;
  Status CloseEdgeLanes(std::vector<std::unique_ptr<BulkEdgeLane>> lanes) override;
  Status Finish(const Interrupt& interrupt) override;
  Result<NodeId> FindKey(std::string_view key) const override;
  uint64_t nodes_added() const override { return nodes_.size(); }
  uint64_t edges_added() const override { return edges_added_; }

 private:
  class Lane;
  // Edge types seen by one adder: few, and looked up for every edge.
  using TypeCache = HashMap<std::string, SymbolId>;

  // One edge as written: each AddEdge becomes one when the edges are
  // sorted, and equal ones are then folded into one distinct edge
  // (DedupeEdges), from which its out, in and id entries are written. Nodes
  // and ids are offsets from the load's first node id and edge id.
  struct FinalEdge {
    double weight;
    uint32_t src;  // node offset
    uint32_t dst;  // node offset
    SymbolId type;
    uint32_t rank;
    int32_t valid_from;
    int32_t valid_to;
    // Until the edges are numbered, the index of the edge's first AddEdge;
    // then its edge id offset.
    uint32_t id;
    uint32_t extra;  // its last AddEdge's properties and sources (pending_.extras)
    uint8_t flags;
  };
  NodeId Node(uint32_t offset) const { return first_node_id_ + offset; }

  // Checks, resolves and adds one edge; shared by AddEdge and the lanes.
  Status PrepareEdge(const EdgeInput& in, PendingEdges* to, TypeCache* types);
  SymbolId EdgeType(std::string_view name, TypeCache* types);

  // The steps of Finish(), run as tasks (see WriteAndIngest).
  void DedupeEdges(unsigned threads);
  void NumberEdges(unsigned threads, uint32_t added);
  void SortIn(unsigned threads);
  Status WriteAndIngest(const std::string& dir, const Interrupt& interrupt);
  Status WriteOut(size_t begin, size_t end, SstSink& out) const;
  Status WriteIn(size_t begin, size_t end, SstSink& in) const;
  Status WriteEdgeIds(size_t begin, size_t end, SstSink& ids) const;
  Status WriteDegrees(SstSink& degree) const;
  Status WriteNodeRecords(SstSink& nodes) const;
  Status WriteDict(SstSink& dict) const;
  Status WriteNames(SstSink& names) const;
  Status WriteNodeIndex(SstSink& node_index) const;
  Status WriteMeta(SstSink& meta, const Counters& next) const;
  EdgeHeader HeaderOf(const FinalEdge& f) const;

  Result<NodeId> ResolveNode(const NodeRef& ref) const;
  Status CheckOpen() const;
  void End();

  DbImpl* db_;
  std::string label_;
  PendingSymbols symbols_;
  std::mutex symbols_mu_;  // lanes intern edge types from their threads
  Counters counters_;
  NodeId first_node_id_;
  std::vector<NodeRecord> nodes_;  // nodes_[id - first_node_id_]
  HashMap<std::string, NodeId> ids_by_key_;
  // Set when adding a key ran out of memory: the index lost its keys (see
  // hash_table.h), so the load cannot go on.
  bool out_of_memory_ = false;
  // Its edges are freed as they are sorted (DedupeEdges); the properties
  // and sources once the out family is written.
  PendingEdges pending_;
  uint64_t edges_added_ = 0;
  TypeCache types_;
  // The generation of the open lanes, 0 when none are open.
  std::atomic<uint64_t> open_lanes_{0};
  uint64_t lane_generation_ = 0;
  // After DedupeEdges(). The edges are written in three orders, one after
  // the other, so that no more than two copies of them are ever held, and
  // only one beside their properties: out-key order (finals_), then id order
  // (by_id_, indexes into finals_), then in-key order (by_dst_, made from
  // finals_ once the out and id files are written; finals_ is freed then).
  UninitializedVector<FinalEdge> finals_;
  uint64_t edge_count_ = 0;       // distinct edges
  std::vector<uint32_t> by_id_;    // finals_ indexes in edge-id order
  UninitializedVector<FinalEdge> by_dst_;  // in in-key order (SortIn)
  std::vector<uint64_t> out_degree_, in_degree_;  // by node id - first_node_id_
  bool finished_ = false;
};

}  // namespace samverkan::storage
