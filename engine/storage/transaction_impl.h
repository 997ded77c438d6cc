// TransactionImpl: writes go into a RocksDB WriteBatchWithIndex, which both
// makes them atomic at commit and lets reads see them before.
//
// Degree counters and graph counts are not written per edge: a transaction
// keeps deltas in memory and writes each changed counter once at commit.
// Undoing a savepoint replays an undo log of those deltas backwards.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <rocksdb/utilities/write_batch_with_index.h>

#include "samverkan/transaction.h"
#include "storage/db_impl.h"
#include "storage/reader.h"
#include "storage/view_core.h"

namespace samverkan::storage {

class TransactionImpl final : public ViewOn<Transaction> {
 public:
  TransactionImpl(DbImpl* db, std::string label);
  ~TransactionImpl() override;

  Result<NodeId> PutNode(const NodeInput& input) override;
  Result<NodeId> MergeNode(const NodeInput& input) override;
  Status DeleteNode(NodeId id) override;
  Result<EdgeId> PutEdge(const EdgeInput& input) override;
  Status DeleteEdge(EdgeId id) override;
  Status AddSector(std::string_view name) override;
  void SetSavepoint() override;
  Status RollbackToSavepoint() override;
  Status ReleaseSavepoint() override;
  Status Commit() override;
  void Rollback() override;
  Status Prepare(std::string_view xid, std::string_view coordinator) override;
  bool prepared() const override { return !prepared_xid_.empty(); }
  bool empty() const override {
    return batch_.GetWriteBatch()->Count() == 0 && symbols_.mark() == PendingSymbols::Mark{};
  }

  Result<Degree> GetDegree(NodeId id) const override;
  Result<GraphCounts> Counts() const override;

 protected:
  const ViewCore& core() const override { return core_; }

 private:
  // A change to one node's degree (node != 0) or to the graph counts (node == 0).
  struct Delta {
    NodeId node;
    int64_t a;  // out-degree, or node count
    int64_t b;  // in-degree, or edge count
  };
  struct Savepoint {
    size_t undo_size;
    Counters counters;
    PendingSymbols::Mark symbols;
  };

  Result<NodeId> WriteNode(const NodeInput& input, bool merge);
  Result<EdgeId> WriteEdge(const EdgeInput& input);
  Status RemoveEdge(const std::string& out_key, EdgeId id);
  // Resolve(), remembering answers: bulk edge writes name the same
  // endpoints again and again.
  Result<NodeId> ResolveCached(const NodeRef& ref);
  void ForgetResolved();
  void Apply(Delta d);
  Status CheckOpen() const;
  // CheckOpen, and not prepared.
  Status CheckWritable() const;
  // Runs `op`; if it fails, undoes whatever it wrote.
  template <typename Op>
  auto Atomically(Op op) -> decltype(op());
  void UndoTo(size_t undo_size);
  // Adds what every commit writes besides the changes themselves (degree
  // counters, counts, id counters, the batch record, new symbols) and
  // returns the counters to publish. On failure the transaction is rolled
  // back.
  Result<Counters> Seal();
  // Writes `batch`, synced or not; publishes symbols and counters.
  Status WriteSealed(rocksdb::WriteBatch* batch, bool sync);
  void Finish(const Counters* committed);
  RocksStore& store() const { return db_->store(); }

  DbImpl* db_;
  std::string label_;
  mutable rocksdb::WriteBatchWithIndex batch_;  // mutable: reads index it too
  PendingSymbols symbols_;
  BatchReader reader_;
  ViewCore core_;
  Counters counters_;
  std::unordered_map<NodeId, std::pair<int64_t, int64_t>> degree_delta_;
  int64_t node_delta_ = 0;
  int64_t edge_delta_ = 0;
  std::vector<Delta> undo_;
  std::vector<Savepoint> savepoints_;
  // Nodes known to exist in this transaction, by id and by key. Cleared by
  // anything that can make a node vanish (delete, rollback).
  std::unordered_set<NodeId> known_ids_;
  std::unordered_map<std::string, NodeId> known_keys_;
  bool finished_ = false;
  std::string prepared_xid_;  // set by Prepare
  std::string coordinator_;   // set by Prepare
  Counters sealed_;           // the counters to publish, once sealed
};

}  // namespace samverkan::storage
