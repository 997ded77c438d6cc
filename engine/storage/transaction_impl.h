// TransactionImpl: writes go into a WriteBuffer of the transaction's own,
// which lets reads see them before commit and becomes one RocksDB write
// batch at commit (or prepare), so that they are atomic.
//
// Degree counters and graph counts are not written per edge: a transaction
// keeps deltas in memory and writes each changed counter once at commit.
// Undoing a savepoint replays an undo log of those deltas backwards.
#pragma once

#include <string>
#include <vector>

#include "samverkan/hash_table.h"

#include <rocksdb/write_batch.h>

#include "samverkan/transaction.h"
#include "storage/db_impl.h"
#include "storage/reader.h"
#include "storage/view_core.h"
#include "storage/write_buffer.h"

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
    return buffer_.empty() && symbols_.mark() == PendingSymbols::Mark{};
  }

  // Remembers answers (see known_keys_): a bulk insert names the same
  // endpoints again and again, and the SQL tables look each up more than once.
  Result<NodeId> FindKey(std::string_view key) const override;
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
    WriteBuffer::Mark writes;
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
  // counters, counts, id counters, the batch record, new symbols), turns
  // the buffer into sealed_batch_ and returns the counters to publish. On
  // failure the transaction is rolled back.
  Result<Counters> Seal();
  // The committed degrees of `nodes` (sorted here), in their order. The
  // transaction writes degrees only in Seal, so they are the graph's.
  Result<std::vector<Degree>> CommittedDegrees(std::vector<NodeId>* nodes) const;
  // Writes `batch`, synced or not; publishes symbols and counters, and
  // `changes` (null: unknown) for the CSR snapshots to be patched with.
  Status WriteSealed(rocksdb::WriteBatch* batch, bool sync,
                     std::shared_ptr<const CsrChanges> changes);
  void Finish(const Counters* committed);
  RocksStore& store() const { return db_->store(); }

  DbImpl* db_;
  std::string label_;
  WriteBuffer buffer_;
  rocksdb::WriteBatch sealed_batch_;  // what Seal() made of buffer_
  // What the sealed writes change in a snapshot (null: too many to record),
  // also written in them as the commit's change-log record.
  std::shared_ptr<const CsrChanges> sealed_changes_;
  PendingSymbols symbols_;
  // The graph's next node id when the transaction began: the nodes from
  // there on are this transaction's, and the graph has nothing of them.
  NodeId first_new_node_;
  BatchReader reader_;
  ViewCore core_;
  Counters counters_;
  HashMap<NodeId, std::pair<int64_t, int64_t>> degree_delta_;
  int64_t node_delta_ = 0;
  int64_t edge_delta_ = 0;
  std::vector<Delta> undo_;
  std::vector<Savepoint> savepoints_;
  // Nodes known to exist in this transaction, by id and by key. Cleared by
  // anything that can make a node vanish (delete, rollback).
  HashSet<NodeId> known_ids_;
  mutable HashMap<std::string, NodeId> known_keys_;  // mutable: FindKey fills it
  bool finished_ = false;
  // Set when a write threw (out of memory) partway: what it wrote is half
  // there, and the tables above may have lost what they held (hash_table.h),
  // so the transaction can only be rolled back.
  bool broken_ = false;
  std::string prepared_xid_;  // set by Prepare
  std::string coordinator_;   // set by Prepare
  Counters sealed_;           // the counters to publish, once sealed
};

}  // namespace samverkan::storage
