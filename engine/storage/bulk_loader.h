// BulkLoaderImpl: collects a load in memory, then writes each column family
// as one sorted SST file and ingests them all in one atomic step.
#pragma once

#include <memory>
#include <string>
#include <absl/container/flat_hash_map.h>
#include <vector>

#include "samverkan/bulk_load.h"
#include "storage/db_impl.h"
#include "storage/records.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

class SstSink;
struct SortKey;

class BulkLoaderImpl final : public BulkLoader {
 public:
  BulkLoaderImpl(DbImpl* db, std::string label);
  ~BulkLoaderImpl() override;

  Result<NodeId> AddNode(const NodeInput& input) override;
  Status AddEdge(const EdgeInput& input) override;
  Status Finish() override;
  std::optional<NodeId> FindKey(std::string_view key) const override;
  uint64_t nodes_added() const override { return nodes_.size(); }
  uint64_t edges_added() const override { return edges_.size(); }

 private:
  // One AddEdge call. Properties and sources live in shared arenas so that
  // ten million edges cost ten million small structs, not allocations.
  struct PendingEdge {
    NodeId src;
    NodeId dst;
    SymbolId type;
    uint32_t rank;
    double weight;
    int32_t valid_from;
    int32_t valid_to;
    uint8_t flags;  // kHasWeight | kHasFrom | kHasTo below
    uint32_t props_len;
    uint64_t props_off;
    uint32_t sources_len;
    uint64_t sources_off;
  };
  static constexpr uint8_t kHasWeight = 1, kHasFrom = 2, kHasTo = 4;

  // One distinct edge, after duplicates are folded (DedupeEdges): what its
  // out, in and id entries are written from, in one flat array.
  struct FinalEdge {
    NodeId src;
    NodeId dst;
    SymbolId type;
    uint32_t rank;
    EdgeId id;
    double weight;
    int32_t valid_from;
    int32_t valid_to;
    uint8_t flags;
    uint32_t last;  // its last AddEdge, whose properties and sources it keeps
  };

  // The steps of Finish().
  std::vector<SortKey> SortEdges() const;
  void DedupeEdges();
  Status WriteAndIngest(const std::string& dir);
  Status WriteOut(SstSink& out) const;
  Status WriteIn(SstSink& in) const;
  Status WriteEdgeIds(SstSink& ids) const;
  Status WriteDegrees(SstSink& degree) const;
  Status WriteNodes(SstSink& nodes, SstSink& dict, SstSink& names, SstSink& node_index) const;
  Status WriteMeta(SstSink& meta, const Counters& next) const;
  static EdgeHeader HeaderOf(const FinalEdge& f);

  Result<NodeId> ResolveNode(const NodeRef& ref) const;
  Status CheckOpen() const;
  void End();

  DbImpl* db_;
  std::string label_;
  PendingSymbols symbols_;
  Counters counters_;
  NodeId first_node_id_;
  std::vector<NodeRecord> nodes_;  // nodes_[id - first_node_id_]
  absl::flat_hash_map<std::string, NodeId> ids_by_key_;
  std::vector<PendingEdge> edges_;
  std::string props_arena_;
  std::vector<NodeId> sources_arena_;
  // After DedupeEdges().
  std::vector<FinalEdge> finals_;  // in out-key order
  std::vector<uint32_t> by_id_;    // finals_ indexes in edge-id order
  std::vector<uint64_t> out_degree_, in_degree_;  // by node id - first_node_id_
  bool finished_ = false;
};

}  // namespace samverkan::storage
