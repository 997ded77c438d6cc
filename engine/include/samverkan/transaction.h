// Transaction: an atomic batch of writes with read-your-writes.
//
// Everything a transaction writes reaches the graph in one RocksDB write
// batch at Commit(), or not at all: a transaction that is rolled back, or
// destroyed without Commit(), leaves no trace. Reads through the transaction
// (it is a GraphView) see its own uncommitted writes.
//
//   SV_ASSIGN_OR_RETURN(auto txn, db->BeginTransaction("import msi.json"));
//   SV_RETURN_IF_ERROR(txn->PutNode({.key = "org:msi", .kind = "actor", ...}).status());
//   SV_RETURN_IF_ERROR(txn->Commit());
//
// One transaction writes to a Db at a time: BeginTransaction() returns Busy
// while another is open. Savepoints nest like SQL's SAVEPOINT.
// A failed write leaves the transaction as it was before the call.
#pragma once

#include <string>
#include <string_view>

#include "samverkan/graph_view.h"
#include "samverkan/result.h"
#include "samverkan/types.h"

namespace samverkan {

class Transaction : public GraphView {
 public:
  // Upsert by key, replacing: the node gets exactly the fields given (the
  // internal id of an existing node is kept; name defaults to the key).
  virtual Result<NodeId> PutNode(const NodeInput& input) = 0;
  // Upsert by key, merging: properties are merged as a JSON merge patch
  // (RFC 7386), aliases and sources are added to those already there, and
  // kind, name and sector change only when given. Writing the same input
  // twice changes nothing the second time.
  virtual Result<NodeId> MergeNode(const NodeInput& input) = 0;
  // Deletes a node and every edge at it. NotFound if there is no such node.
  virtual Status DeleteNode(NodeId id) = 0;

  // Upsert by (src, type, dst, rank): an existing edge keeps its id and gets
  // the fields given. Both endpoints must exist.
  virtual Result<EdgeId> PutEdge(const EdgeInput& input) = 0;
  // NotFound if there is no such edge.
  virtual Status DeleteEdge(EdgeId id) = 0;

  // Adds a sector to the graph's controlled vocabulary (no-op if present).
  virtual Status AddSector(std::string_view name) = 0;

  // SQL-style savepoints: RollbackToSavepoint() undoes everything written
  // since the matching SetSavepoint() and keeps the savepoint;
  // ReleaseSavepoint() forgets it and keeps the writes.
  virtual void SetSavepoint() = 0;
  // NotFound when no savepoint is set.
  virtual Status RollbackToSavepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;

  // Writes everything in one atomic, durable batch. After Commit() (OK or
  // not) the transaction is finished and may only be destroyed.
  virtual Status Commit() = 0;
  // Discards everything. Also what the destructor does if not committed.
  virtual void Rollback() = 0;

  // Two-phase commit, for a caller that commits the graph together with
  // another store (the SQL extension commits with SQLite's own transaction):
  //
  //   Prepare(xid, coordinator)   everything that can fail: the writes are
  //                               made durable but stay invisible
  //   <the coordinator decides, and records its decision durably>
  //   Commit() or Rollback()      applies or discards them
  //
  // A Prepare that fails rolls the transaction back. After Prepare the
  // transaction takes no more writes. If the process dies before Commit or
  // Rollback, the graph keeps the prepared writes under `xid`, with
  // `coordinator` (free text naming who holds the decision), until
  // Db::SettlePrepared is called: see Db::PreparedTransactions.
  virtual Status Prepare(std::string_view xid, std::string_view coordinator) = 0;
  virtual bool prepared() const = 0;

  // True when nothing has been written since Begin (or the last rollback).
  virtual bool empty() const = 0;
};

}  // namespace samverkan
