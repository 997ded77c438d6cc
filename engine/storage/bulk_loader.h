// BulkLoaderImpl: collects a load in memory, then writes each column family
// as one sorted SST file and ingests them all in one atomic step.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "samverkan/bulk_load.h"
#include "storage/db_impl.h"
#include "storage/records.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

class SstSink;

class BulkLoaderImpl final : public BulkLoader {
 public:
  BulkLoaderImpl(DbImpl* db, std::string label);
  ~BulkLoaderImpl() override;

  Result<NodeId> AddNode(const NodeInput& input) override;
  Status AddEdge(const EdgeInput& input) override;
  Status Finish() override;
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

  // The steps of Finish().
  void DedupeEdges();
  Status WriteAndIngest(const std::string& dir);
  Status WriteOut(SstSink& out, std::vector<uint64_t>* out_degree,
                  std::vector<uint64_t>* in_degree) const;
  Status WriteIn(SstSink& in) const;
  Status WriteEdgeIds(SstSink& ids) const;
  Status WriteNodes(SstSink& nodes, SstSink& dict, SstSink& names, SstSink& node_index,
                    SstSink& degree, const std::vector<uint64_t>& out_degree,
                    const std::vector<uint64_t>& in_degree) const;
  Status WriteMeta(SstSink& meta, const Counters& next) const;
  EdgeHeader HeaderOf(uint32_t unique) const;
  std::string OutKeyOf(uint32_t unique) const;

  Result<NodeId> ResolveNode(const NodeRef& ref) const;
  Status CheckOpen() const;
  void End();

  DbImpl* db_;
  std::string label_;
  PendingSymbols symbols_;
  Counters counters_;
  NodeId first_node_id_;
  std::vector<NodeRecord> nodes_;  // nodes_[id - first_node_id_]
  std::unordered_map<std::string, NodeId> ids_by_key_;
  std::vector<PendingEdge> edges_;
  std::string props_arena_;
  std::vector<NodeId> sources_arena_;
  // After DedupeEdges(): one entry per distinct edge, in out-key order.
  struct Unique {
    uint32_t first;  // index of its first AddEdge: decides its id
    uint32_t last;   // index of its last AddEdge: decides its fields
  };
  std::vector<Unique> uniques_;
  std::vector<uint32_t> by_first_;  // uniques_ indexes in id order
  std::vector<EdgeId> edge_id_;     // per unique
  bool finished_ = false;
};

}  // namespace samverkan::storage
