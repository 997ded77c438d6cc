#include "storage/transaction_impl.h"

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "samverkan/text.h"
#include "storage/change_log.h"
#include "storage/coding.h"
#include "storage/commit_changes.h"
#include "storage/inputs.h"
#include "storage/keys.h"
#include "storage/prepared.h"
#include "storage/records.h"

namespace samverkan::storage {

TransactionImpl::TransactionImpl(DbImpl* db, std::string label)
    : db_(db),
      label_(std::move(label)),
      symbols_(&db->symbols()),
      first_new_node_(db->counters().next_node_id),
      reader_(&db->store(), &buffer_, first_new_node_),
      core_(&reader_, &symbols_),
      counters_(db->counters()) {}

TransactionImpl::~TransactionImpl() {
  if (!finished_) Rollback();
}

Status TransactionImpl::CheckOpen() const {
  if (finished_) return Status::InvalidArgument("the transaction has already ended");
  if (broken_) {
    return Status::InvalidArgument(
        "the transaction ran out of memory in a write: it can only be rolled back");
  }
  return Status::OK();
}

Status TransactionImpl::CheckWritable() const {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (prepared()) {
    return Status::InvalidArgument("the transaction is prepared: it takes no more writes");
  }
  return Status::OK();
}

template <typename Op>
auto TransactionImpl::Atomically(Op op) -> decltype(op()) {
  if (Status s = CheckWritable(); !s.ok()) return s;
  const WriteBuffer::Mark writes = buffer_.mark();
  const size_t undo_size = undo_.size();
  const Counters counters = counters_;
  const PendingSymbols::Mark symbols = symbols_.mark();
  try {
    auto result = op();
    if (!result.ok()) {
      buffer_.RollbackTo(writes);
      ForgetResolved();
      UndoTo(undo_size);
      counters_ = counters;
      symbols_.RollbackTo(symbols);
    }
    return result;
  } catch (...) {
    broken_ = true;
    throw;
  }
}

void TransactionImpl::Apply(Delta d) {
  if (d.node == kNoNode) {
    node_delta_ += d.a;
    edge_delta_ += d.b;
  } else {
    auto& slot = degree_delta_[d.node];
    slot.first += d.a;
    slot.second += d.b;
  }
  undo_.push_back(d);
}

void TransactionImpl::UndoTo(size_t undo_size) {
  while (undo_.size() > undo_size) {
    Delta d = undo_.back();
    undo_.pop_back();
    if (d.node == kNoNode) {
      node_delta_ -= d.a;
      edge_delta_ -= d.b;
    } else {
      auto& slot = degree_delta_[d.node];
      slot.first -= d.a;
      slot.second -= d.b;
    }
  }
}

Result<NodeId> TransactionImpl::PutNode(const NodeInput& input) {
  return Atomically([&] { return WriteNode(input, /*merge=*/false); });
}

Result<NodeId> TransactionImpl::MergeNode(const NodeInput& input) {
  return Atomically([&] { return WriteNode(input, /*merge=*/true); });
}

Result<NodeId> TransactionImpl::WriteNode(const NodeInput& in, bool merge) {
  std::optional<NodeId> existing;
  std::optional<NodeRecord> old;
  if (!in.key.empty()) {
    SV_ASSIGN_OR_RETURN(existing, core_.LookupKey(in.key));
  }
  if (existing) {
    SV_ASSIGN_OR_RETURN(old, core_.ReadNodeRecord(*existing));
    if (!old) {
      return Status::Corruption(fmt::format("dictionary names missing node {} for '{}'",
                                            *existing, in.key));
    }
  }
  SV_ASSIGN_OR_RETURN(NodeRecord rec,
                      MakeNodeRecord(in, old, merge, symbols_,
                                     [this](const NodeRef& ref) { return Resolve(ref); }));
  if (old && rec == *old) return *existing;  // nothing changes: an idempotent re-import
  rec.batch = counters_.next_batch_id;
  const NodeId id = existing ? *existing : counters_.next_node_id++;
  const std::string node_key = NodeKey(id);

  // Name index: drop the folded forms the node loses, add those it gains.
  std::set<std::string> old_names;
  if (old) {
    SV_ASSIGN_OR_RETURN(old_names, FoldedNames(*old));
  }
  SV_ASSIGN_OR_RETURN(std::set<std::string> new_names, FoldedNames(rec));
  for (const auto& f : old_names) {
    if (!new_names.count(f)) buffer_.Delete(kNames, NameKey(f, id));
  }
  for (const auto& f : new_names) {
    if (!old_names.count(f)) buffer_.Put(kNames, NameKey(f, id), "");
  }
  // Kind and sector index.
  auto reindex = [&](SymbolSpace space, SymbolId before, SymbolId after) {
    if (before == after) return;
    if (before != 0) buffer_.Delete(kNodeIndex, NodeIndexKey(space, before, id));
    if (after != 0) buffer_.Put(kNodeIndex, NodeIndexKey(space, after, id), "");
  };
  reindex(SymbolSpace::kKind, old ? old->kind : 0, rec.kind);
  reindex(SymbolSpace::kSector, old ? old->sector : 0, rec.sector);

  if (!existing) {
    buffer_.Put(kDict, in.key, node_key);
    Apply({kNoNode, +1, 0});
  }
  buffer_.Put(kNodes, node_key, EncodeNode(rec));
  return id;
}

Status TransactionImpl::DeleteNode(NodeId id) {
  return Atomically([&]() -> Status {
    SV_ASSIGN_OR_RETURN(std::optional<NodeRecord> rec, core_.ReadNodeRecord(id));
    if (!rec) return Status::NotFound(fmt::format("unknown node id {}", id));
    ForgetResolved();

    // Collect first: changing the batch under an open batch iterator is unsafe.
    std::vector<std::pair<std::string, EdgeId>> edges;
    {
      auto cursor = core_.Edges(id, Direction::kBoth, std::nullopt);
      for (; cursor->Valid(); cursor->Next()) {
        const EdgeRef& e = cursor->edge();
        edges.emplace_back(EncodeAdjKey({e.src, e.type, e.dst, e.rank}), e.id);
      }
      SV_RETURN_IF_ERROR(cursor->status());
    }
    for (const auto& [out_key, edge_id] : edges) SV_RETURN_IF_ERROR(RemoveEdge(out_key, edge_id));

    SV_ASSIGN_OR_RETURN(std::set<std::string> names, FoldedNames(*rec));
    for (const auto& f : names) buffer_.Delete(kNames, NameKey(f, id));
    buffer_.Delete(kNodeIndex, NodeIndexKey(SymbolSpace::kKind, rec->kind, id));
    if (rec->sector != 0) {
      buffer_.Delete(kNodeIndex, NodeIndexKey(SymbolSpace::kSector, rec->sector, id));
    }
    buffer_.Delete(kDict, rec->key);
    buffer_.Delete(kNodes, NodeKey(id));
    Apply({kNoNode, -1, 0});
    return Status::OK();
  });
}

Result<EdgeId> TransactionImpl::PutEdge(const EdgeInput& input) {
  return Atomically([&] { return WriteEdge(input); });
}

Result<EdgeId> TransactionImpl::WriteEdge(const EdgeInput& in) {
  SV_ASSIGN_OR_RETURN(std::string props, CheckEdgeInput(in));
  SV_ASSIGN_OR_RETURN(EdgeEnds ends, ResolveEdgeEnds(in, [this](const NodeRef& ref) {
                        return ResolveCached(ref);
                      }));
  const NodeId src = ends.src;
  const NodeId dst = ends.dst;

  const SymbolId type = symbols_.Intern(SymbolSpace::kEdgeType, in.type);
  const std::string out_key = EncodeAdjKey({src, type, dst, in.rank});
  EdgeHeader header{0, in.weight, in.validity};
  EdgeTail tail{counters_.next_batch_id, std::move(ends.sources), std::move(props)};

  std::string old_value;
  rocksdb::Status s = reader_.Get(kOut, out_key, &old_value);
  if (s.ok()) {
    EdgeHeader old_header;
    EdgeTail old_tail;
    if (!DecodeOutValue(old_value, &old_header, &old_tail)) {
      return Status::Corruption(fmt::format("{}: malformed stored edge", DescribeEdge(in)));
    }
    header.id = old_header.id;
    tail.batch = old_tail.batch;
    if (header == old_header && tail == old_tail) return header.id;  // unchanged
    tail.batch = counters_.next_batch_id;
  } else if (s.IsNotFound()) {
    header.id = counters_.next_edge_id++;
    buffer_.Put(kEdges, EdgeIdKey(header.id), out_key);
    Apply({src, +1, 0});
    Apply({dst, 0, +1});
    Apply({kNoNode, 0, +1});
  } else {
    return FromRocks(s, DescribeEdge(in));
  }
  buffer_.Put(kOut, out_key, EncodeOutValue(header, tail));
  buffer_.Put(kIn, EncodeAdjKey({dst, type, src, in.rank}), EncodeInValue(header));
  return header.id;
}

Result<NodeId> TransactionImpl::FindKey(std::string_view key) const {
  // (Debian's Abseil has a string_view of its own.)
  const absl::string_view k(key.data(), key.size());
  if (auto it = known_keys_.find(k); it != known_keys_.end()) return it->second;
  SV_ASSIGN_OR_RETURN(NodeId id, core_.FindKey(key));
  known_keys_.emplace(key, id);
  return id;
}

Result<NodeId> TransactionImpl::ResolveCached(const NodeRef& ref) {
  if (!ref.key.empty()) return FindKey(ref.key);
  if (known_ids_.count(ref.id)) return ref.id;
  SV_ASSIGN_OR_RETURN(std::optional<NodeRecord> rec, core_.ReadNodeRecord(ref.id));
  if (!rec) return Status::NotFound(fmt::format("unknown node id {}", ref.id));
  known_ids_.insert(ref.id);
  return ref.id;
}

void TransactionImpl::ForgetResolved() {
  known_ids_.clear();
  known_keys_.clear();
}

Status TransactionImpl::RemoveEdge(const std::string& out_key, EdgeId id) {
  AdjKey a = DecodeAdjKey(out_key);
  buffer_.Delete(kOut, out_key);
  buffer_.Delete(kIn, EncodeAdjKey({a.other, a.type, a.node, a.rank}));
  buffer_.Delete(kEdges, EdgeIdKey(id));
  Apply({a.node, -1, 0});
  Apply({a.other, 0, -1});
  Apply({kNoNode, 0, -1});
  return Status::OK();
}

Status TransactionImpl::DeleteEdge(EdgeId id) {
  return Atomically([&]() -> Status {
    SV_ASSIGN_OR_RETURN(std::optional<std::string> out_key, core_.OutKeyOf(id));
    if (!out_key) return Status::NotFound(fmt::format("unknown edge id {}", id));
    return RemoveEdge(*out_key, id);
  });
}

Status TransactionImpl::AddSector(std::string_view name) {
  SV_RETURN_IF_ERROR(CheckWritable());
  if (name.empty()) return Status::InvalidArgument("sector name must be non-empty UTF-8 text");
  if (auto defect = TextDefect(name); !defect.empty()) {
    return Status::InvalidArgument(
        fmt::format("sector name '{}' {}", EscapeForMessage(name), defect));
  }
  symbols_.Intern(SymbolSpace::kSector, name);
  return Status::OK();
}

void TransactionImpl::SetSavepoint() {
  savepoints_.push_back({buffer_.mark(), undo_.size(), counters_, symbols_.mark()});
}

Status TransactionImpl::RollbackToSavepoint() {
  SV_RETURN_IF_ERROR(CheckWritable());
  if (savepoints_.empty()) return Status::NotFound("no savepoint to roll back to");
  // SQL keeps the savepoint after ROLLBACK TO.
  buffer_.RollbackTo(savepoints_.back().writes);
  ForgetResolved();
  UndoTo(savepoints_.back().undo_size);
  counters_ = savepoints_.back().counters;
  symbols_.RollbackTo(savepoints_.back().symbols);
  return Status::OK();
}

Status TransactionImpl::ReleaseSavepoint() {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (savepoints_.empty()) return Status::NotFound("no savepoint to release");
  savepoints_.pop_back();
  return Status::OK();
}

Result<Degree> TransactionImpl::GetDegree(NodeId id) const {
  SV_ASSIGN_OR_RETURN(Degree d, core_.GetDegree(id));
  auto it = degree_delta_.find(id);
  if (it != degree_delta_.end()) {
    d.out = static_cast<uint64_t>(static_cast<int64_t>(d.out) + it->second.first);
    d.in = static_cast<uint64_t>(static_cast<int64_t>(d.in) + it->second.second);
  }
  return d;
}

Result<GraphCounts> TransactionImpl::Counts() const {
  SV_ASSIGN_OR_RETURN(GraphCounts c, core_.Counts());
  c.nodes = static_cast<uint64_t>(static_cast<int64_t>(c.nodes) + node_delta_);
  c.edges = static_cast<uint64_t>(static_cast<int64_t>(c.edges) + edge_delta_);
  return c;
}

Result<std::vector<Degree>> TransactionImpl::CommittedDegrees(std::vector<NodeId>* nodes) const {
  std::sort(nodes->begin(), nodes->end());
  std::vector<Degree> degrees(nodes->size());
  // Nodes this transaction made have none; the others' are read in sorted
  // batches, which RocksDB answers block by block rather than key by key.
  const size_t old_nodes = static_cast<size_t>(
      std::lower_bound(nodes->begin(), nodes->end(), first_new_node_) - nodes->begin());
  constexpr size_t kChunk = 4096;
  std::vector<std::string> keys;
  std::vector<rocksdb::Slice> slices;
  // As many as the first chunk needs: a commit of a few edges reads two
  // or three degrees, and making 4,096 empty values took longer than that.
  std::vector<rocksdb::PinnableSlice> values(std::min(kChunk, old_nodes));
  std::vector<rocksdb::Status> statuses(std::min(kChunk, old_nodes));
  for (size_t begin = 0; begin < old_nodes; begin += kChunk) {
    const size_t n = std::min(kChunk, old_nodes - begin);
    keys.clear();
    slices.clear();
    for (size_t i = 0; i < n; ++i) keys.push_back(NodeKey((*nodes)[begin + i]));
    for (const auto& k : keys) slices.emplace_back(k);
    store().db()->MultiGet(rocksdb::ReadOptions(), store().cf(kDegree), n, slices.data(),
                           values.data(), statuses.data(), /*sorted_input=*/true);
    for (size_t i = 0; i < n; ++i) {
      const NodeId node = (*nodes)[begin + i];
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        return FromRocks(statuses[i], fmt::format("cannot read degree of node {}", node));
      }
      if (values[i].size() != 16) {
        return Status::Corruption(fmt::format("malformed degree of node {}", node));
      }
      degrees[begin + i] = {DecodeFixed64BE(values[i].data()),
                            DecodeFixed64BE(values[i].data() + 8)};
    }
    for (auto& v : values) v.Reset();  // unpins the blocks before the next chunk
  }
  return degrees;
}

Result<Counters> TransactionImpl::Seal() {
  auto put64 = [&](Cf c, std::string_view key, uint64_t v) {
    std::string enc;
    PutFixed64BE(&enc, v);
    buffer_.Put(c, key, enc);
  };

  // Degree counters: committed value plus this transaction's delta.
  std::vector<NodeId> changed;
  for (const auto& [node, delta] : degree_delta_) {
    if (delta.first != 0 || delta.second != 0) changed.push_back(node);
  }
  auto committed = CommittedDegrees(&changed);
  if (!committed.ok()) {
    Rollback();
    return committed.status();
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    const NodeId node = changed[i];
    const auto& delta = degree_delta_[node];
    const Degree& base = (*committed)[i];
    int64_t out = static_cast<int64_t>(base.out) + delta.first;
    int64_t in = static_cast<int64_t>(base.in) + delta.second;
    if (out < 0 || in < 0) {
      Rollback();
      return Status::Internal(fmt::format("degree of node {} would become negative", node));
    }
    if (out == 0 && in == 0) {
      buffer_.Delete(kDegree, NodeKey(node));
    } else {
      std::string v;
      PutFixed64BE(&v, static_cast<uint64_t>(out));
      PutFixed64BE(&v, static_cast<uint64_t>(in));
      buffer_.Put(kDegree, NodeKey(node), v);
    }
  }
  auto counts = Counts();
  if (!counts.ok()) {
    Rollback();
    return counts.status();
  }
  put64(kMeta, meta::kNodeCount, counts->nodes);
  put64(kMeta, meta::kEdgeCount, counts->edges);

  Counters next = counters_;
  const BatchId batch_id = next.next_batch_id++;
  put64(kMeta, meta::kNextNodeId, next.next_node_id);
  put64(kMeta, meta::kNextEdgeId, next.next_edge_id);
  put64(kMeta, meta::kNextBatchId, next.next_batch_id);
  buffer_.Put(kMeta, meta::Batch(batch_id), EncodeBatchRecord(label_, /*bulk=*/false));
  for (const auto& [key, value] : symbols_.Entries()) buffer_.Put(kMeta, key, value);
  // What changed, read off the buffer before the record joins it, so that
  // a process that did not commit it can patch its snapshot too.
  sealed_changes_ = CollectCsrChanges(buffer_, first_new_node_, DbImpl::kMaxCsrChanges);
  PutChangeRecord(&buffer_, batch_id, sealed_changes_.get());
  sealed_batch_ = buffer_.ToBatch(store());
  return next;
}

Status TransactionImpl::WriteSealed(rocksdb::WriteBatch* batch, bool sync,
                                    std::shared_ptr<const CsrChanges> changes) {
  symbols_.Publish();
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  // This process's writes go one at a time (the writer slot), so the
  // sequence numbers between these two are this batch's.
  const uint64_t before = db_->LatestSequence();
  rocksdb::Status s = store().Write(wo, batch);
  if (!s.ok()) {
    symbols_.Unpublish();
    prepared_xid_.clear();  // a prepared record stays (see Commit)
    Rollback();
    return FromRocks(s, fmt::format("cannot commit to graph '{}'", store().path()));
  }
  db_->RecordCommit(before, db_->LatestSequence(), std::move(changes));
  Finish(&sealed_);
  return Status::OK();
}

Status TransactionImpl::Commit() {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (prepared()) {
    // The prepared writes, the end of their record and the coordinator's
    // latest commit (Snapshot::CommitsOf), in one batch.
    rocksdb::Status s = sealed_batch_.Delete(store().cf(kMeta), meta::Prepared(prepared_xid_));
    if (s.ok() && !coordinator_.empty()) {
      s = sealed_batch_.Put(store().cf(kMeta), meta::CommittedBy(coordinator_), prepared_xid_);
    }
    // Not synced: the prepared record is. A crash that loses this write
    // leaves the record, to be settled as committed by its coordinator; and
    // no later write can outlive it, as syncing a later write syncs the log
    // up to it.
    Status written = s.ok() ? WriteSealed(&sealed_batch_, /*sync=*/false, sealed_changes_)
                            : FromRocks(s, "cannot commit a prepared transaction");
    if (!written.ok()) {
      // The decision is "commit" and stands: the record stays, to be
      // settled (Db::SettlePrepared), and the graph takes no writer before.
      db_->ReloadPrepared();
    }
    return written;
  }
  if (empty()) {
    Finish(nullptr);
    return Status::OK();
  }
  SV_ASSIGN_OR_RETURN(sealed_, Seal());
  return WriteSealed(&sealed_batch_, store().sync_commits(), sealed_changes_);
}

Status TransactionImpl::Prepare(std::string_view xid, std::string_view coordinator) {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (prepared()) return Status::InvalidArgument("the transaction is prepared already");
  if (xid.empty() || !IsValidText(xid)) {
    Rollback();
    return Status::InvalidArgument("a prepared transaction needs an id of UTF-8 text");
  }
  const BatchId base_batch = counters_.next_batch_id;
  SV_ASSIGN_OR_RETURN(sealed_, Seal());
  // The record is EncodePrepared's, put together from its header and the
  // sealed batch without copying the batch into it first.
  PreparedRecord record{{std::string(xid), std::string(coordinator), label_}, base_batch, {}};
  const std::string key = meta::Prepared(xid);
  const std::string header = EncodePreparedHeader(record);
  const rocksdb::Slice key_part(key);
  const rocksdb::Slice value_parts[2] = {header, sealed_batch_.Data()};
  rocksdb::WriteBatch batch(key.size() + header.size() + sealed_batch_.GetDataSize() + 64);
  rocksdb::Status s = batch.Put(store().cf(kMeta), rocksdb::SliceParts(&key_part, 1),
                                rocksdb::SliceParts(value_parts, 2));
  if (s.ok()) {
    // Synced whatever sync_commits says: the coordinator is about to
    // record its decision, and a decision about lost writes is no decision.
    rocksdb::WriteOptions wo;
    wo.sync = true;
    const uint64_t before = db_->LatestSequence();
    s = store().Write(wo, &batch);
    // The record changes nothing a snapshot holds.
    if (s.ok()) db_->RecordCommit(before, db_->LatestSequence(), std::make_shared<CsrChanges>());
  }
  if (!s.ok()) {
    Rollback();
    return FromRocks(s, fmt::format("cannot prepare a commit to graph '{}'", store().path()));
  }
  prepared_xid_ = std::string(xid);
  coordinator_ = std::string(coordinator);
  return Status::OK();
}

void TransactionImpl::Rollback() {
  if (finished_) return;
  if (prepared()) {
    // Unsynced: a crash that loses this leaves the record to be settled,
    // and the coordinator, which rolled back, says "roll back".
    rocksdb::WriteBatch batch;
    if (batch.Delete(store().cf(kMeta), meta::Prepared(prepared_xid_)).ok()) {
      const uint64_t before = db_->LatestSequence();
      if (store().Write(rocksdb::WriteOptions(), &batch).ok()) {
        db_->RecordCommit(before, db_->LatestSequence(), std::make_shared<CsrChanges>());
      }
    }
  }
  symbols_.Clear();
  Finish(nullptr);
}

void TransactionImpl::Finish(const Counters* committed) {
  finished_ = true;
  buffer_.Clear();
  sealed_batch_.Clear();
  sealed_changes_.reset();
  degree_delta_.clear();
  undo_.clear();
  savepoints_.clear();
  db_->EndTransaction(committed);
}

}  // namespace samverkan::storage
