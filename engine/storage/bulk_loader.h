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
#include "storage/chunked_array.h"
#include "storage/db_impl.h"
#include "storage/inputs.h"
#include "storage/records.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

class SstSink;

// Edges as they were added, before sorting: ten million of them cost ten
// million small structs, not allocations. Ends are node offsets from the
// load's first node id; properties and sources, which most big loads lack,
// live in arenas that an edge points into through `extras`.
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
    uint64_t props_off;
    uint64_t sources_off;
    uint32_t props_len;
    uint32_t sources_len;
  };

  ChunkedArray<Edge> edges;
  std::vector<Extra> extras;
  std::string props;
  std::vector<NodeId> sources;

  void Add(const EdgeInput& in, const EdgeEnds& ends, NodeId first_node, SymbolId type,
           std::string_view props);
  // Moves `other`'s edges to the end of these.
  void Append(PendingEdges&& other);
  std::string_view PropsOf(const Edge& e) const {
    if (e.extra == kNoExtra) return {};
    const Extra& x = extras[e.extra];
    return {props.data() + x.props_off, x.props_len};
  }
  std::span<const NodeId> SourcesOf(const Edge& e) const {
    if (e.extra == kNoExtra) return {};
    const Extra& x = extras[e.extra];
    return {sources.data() + x.sources_off, x.sources_len};
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

  // One distinct edge, after duplicates are folded (DedupeEdges): what its
  // out, in and id entries are written from, in one flat array.
  // Nodes and ids are kept as offsets from the load's first node id and
  // edge id: ten million of these are copied and sorted twice.
  struct FinalEdge {
    double weight;
    uint32_t src;  // node offset
    uint32_t dst;  // node offset
    SymbolId type;
    uint32_t rank;
    uint32_t id;  // edge id offset
    int32_t valid_from;
    int32_t valid_to;
    uint8_t flags;
  };
  NodeId Node(uint32_t offset) const { return first_node_id_ + offset; }

  // Checks, resolves and adds one edge; shared by AddEdge and the lanes.
  Status PrepareEdge(const EdgeInput& in, PendingEdges* to, TypeCache* types);
  SymbolId EdgeType(std::string_view name, TypeCache* types);

  // The steps of Finish(), run as tasks (see WriteAndIngest).
  void DedupeEdges(unsigned threads);
  void NumberEdges(unsigned threads, const std::vector<uint32_t>& final_of_first);
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
  PendingEdges pending_;  // its edges are freed once folded (DedupeEdges)
  uint64_t edges_added_ = 0;
  TypeCache types_;
  // The generation of the open lanes, 0 when none are open.
  std::atomic<uint64_t> open_lanes_{0};
  uint64_t lane_generation_ = 0;
  // After DedupeEdges().
  std::vector<FinalEdge> finals_;  // in out-key order
  // finals_[i]'s properties and sources, from its last AddEdge: copied
  // here while folding, so that writing reads them in order. Empty when no
  // edge has any.
  struct Payload {
    std::string_view props;
    std::span<const NodeId> sources;
  };
  std::vector<Payload> payloads_;
  std::vector<uint32_t> by_id_;    // finals_ indexes in edge-id order
  std::vector<FinalEdge> by_dst_;  // finals_ in in-key order (SortIn)
  std::vector<uint64_t> out_degree_, in_degree_;  // by node id - first_node_id_
  bool finished_ = false;
};

}  // namespace samverkan::storage
