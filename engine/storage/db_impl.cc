#include "storage/db_impl.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <rocksdb/convenience.h>

#include "storage/change_log.h"
#include "storage/keys.h"
#include "storage/prepared.h"
#include "storage/test_hooks.h"
#include "storage/bulk_loader.h"
#include "storage/transaction_impl.h"
#include "samverkan/ignore_error.h"
#include "samverkan/parallel.h"
#include "util/directory.h"

namespace samverkan::storage {
namespace {

// RocksDB secondary instances (read-only opens) have no snapshots; their
// state changes only in Refresh(), so reading the latest state is already
// consistent between refreshes, and a Snapshot of one reads that.
const rocksdb::Snapshot* TakeSnapshot(const RocksStore& store) {
  return store.read_only() ? nullptr : store.db()->GetSnapshot();
}

class SnapshotImpl final : public ViewOn<Snapshot> {
 public:
  SnapshotImpl(const RocksStore* store, const SymbolTable* symbols)
      : store_(store),
        snapshot_(TakeSnapshot(*store)),
        sequence_(snapshot_ ? snapshot_->GetSequenceNumber()
                            : store->db()->GetLatestSequenceNumber()),
        reader_(store, snapshot_),
        core_(&reader_, symbols) {}
  ~SnapshotImpl() override {
    if (snapshot_) store_->db()->ReleaseSnapshot(snapshot_);
  }

  uint64_t sequence() const override { return sequence_; }
  const DbReader& reader() const { return reader_; }

  Result<CoordinatedCommits> CommitsOf(std::string_view coordinator) const override {
    CoordinatedCommits commits;
    rocksdb::Status s =
        reader_.Get(kMeta, meta::CommittedBy(coordinator), &commits.last_committed);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, store_->path());
    const std::string prefix(meta::kPreparedPrefix);
    auto it = reader_.ScanPrefix(kMeta, prefix);
    for (; it->Valid(); it->Next()) {
      std::string_view xid = it->key().ToStringView().substr(prefix.size());
      auto record = DecodePrepared(xid, it->value().ToStringView());
      if (!record) {
        return Status::Corruption(fmt::format("graph '{}': malformed prepared transaction '{}'",
                                              store_->path(), xid));
      }
      if (record->about.coordinator == coordinator) commits.undecided.emplace_back(xid);
    }
    SV_RETURN_IF_ERROR(FromRocks(it->status(), store_->path()));
    return commits;
  }

 protected:
  const ViewCore& core() const override { return core_; }

 private:
  const RocksStore* store_;
  const rocksdb::Snapshot* snapshot_;  // null on a read-only open
  uint64_t sequence_;
  DbReader reader_;
  ViewCore core_;
};

}  // namespace

DbImpl::DbImpl(std::unique_ptr<RocksStore> store)
    : store_(std::move(store)),
      reader_(store_.get(), nullptr),
      core_(&reader_, &symbols_),
      snapshot_files_(store_->path(), symbols_) {}

DbImpl::~DbImpl() {
  {
    std::lock_guard lock(columns_saver_->mu);
    columns_saver_->db = nullptr;  // snapshots outliving this Db save nothing
  }
  {
    std::lock_guard lock(warm_mu_);
    closing_ = true;
    warm_wanted_.clear();
  }
  stop_building_ = true;  // a build in progress stops at its next poll
  if (warm_thread_.joinable()) warm_thread_.join();
}

Result<std::unique_ptr<DbImpl>> DbImpl::Open(const std::string& path, const Options& options) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<RocksStore> store, RocksStore::Open(path, options));
  std::unique_ptr<DbImpl> db(new DbImpl(std::move(store)));
  SV_RETURN_IF_ERROR(db->LoadState());
  if (!db->read_only()) {
    // A snapshot file of commits the store lacks: the store lost them.
    if (auto now = db->StampOf(db->LatestSequence())) {
      SV_RETURN_IF_ERROR(db->snapshot_files_.CheckNotAhead(*now));
    }
    // A graph created by this build starts with the default sectors.
    if (db->symbols_.Names(SymbolSpace::kSector).empty()) {
      SV_ASSIGN_OR_RETURN(auto txn, db->BeginTransaction("create graph"));
      for (const auto& s : DefaultSectors()) SV_RETURN_IF_ERROR(txn->AddSector(s));
      SV_RETURN_IF_ERROR(txn->Commit());
    }
  }
  return db;
}

Status DbImpl::LoadState() {
  SV_RETURN_IF_ERROR(symbols_.Load(store_->db(), store_->cf(kMeta)));
  Counters c;
  SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextNodeId, &c.next_node_id));
  SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextEdgeId, &c.next_edge_id));
  SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextBatchId, &c.next_batch_id));
  if (c.next_node_id == 0 || c.next_edge_id == 0 || c.next_batch_id == 0) {
    return Status::Corruption(fmt::format("graph '{}' lacks its id counters", path()));
  }
  {
    std::lock_guard lock(mu_);
    counters_ = c;
  }
  return LoadPrepared();
}

Counters DbImpl::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

Status DbImpl::ClaimWriterSlot() {
  if (read_only()) {
    return Status::ReadOnly(fmt::format("graph '{}' is open read-only", path()));
  }
  bool expected = false;
  if (!writing_.compare_exchange_strong(expected, true)) {
    return Status::Busy(fmt::format(
        "graph '{}' is being written by another transaction in this process", path()));
  }
  Status ready = store_->ReadyToWrite();
  if (!ready.ok()) writing_ = false;
  return ready;
}

Status DbImpl::BeginWriting() {
  SV_RETURN_IF_ERROR(ClaimWriterSlot());
  std::lock_guard lock(mu_);
  if (!undecided_.empty()) {
    const PreparedTransaction& p = undecided_.front();
    writing_ = false;
    return Status::Locked(fmt::format(
        "graph '{}' holds a transaction ('{}') prepared by {} and left undecided by a crash; "
        "it takes no writes until that transaction is settled: use the graph from there once",
        path(), p.label, p.coordinator.empty() ? "an unnamed coordinator" : p.coordinator));
  }
  return Status::OK();
}

Status DbImpl::LoadPrepared() {
  std::vector<PreparedTransaction> found;
  const std::string prefix(meta::kPreparedPrefix);
  auto it = reader_.ScanPrefix(kMeta, prefix);
  for (; it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    auto record = DecodePrepared(key.substr(prefix.size()), it->value().ToStringView());
    if (!record) {
      return Status::Corruption(fmt::format("graph '{}': malformed prepared transaction '{}'",
                                            path(), key.substr(prefix.size())));
    }
    found.push_back(std::move(record->about));
  }
  SV_RETURN_IF_ERROR(FromRocks(it->status(), path()));
  std::lock_guard lock(mu_);
  undecided_ = std::move(found);
  return Status::OK();
}

void DbImpl::ReloadPrepared() { IgnoreError(LoadPrepared()); }

std::vector<PreparedTransaction> DbImpl::PreparedTransactions() const {
  std::lock_guard lock(mu_);
  return undecided_;
}

Status DbImpl::SettlePrepared(std::string_view xid, bool commit) {
  SV_RETURN_IF_ERROR(ClaimWriterSlot());
  struct Release {
    DbImpl* db;
    ~Release() { db->writing_ = false; }
  } release{this};
  std::string value;
  rocksdb::Status s = reader_.Get(kMeta, meta::Prepared(xid), &value);
  if (s.IsNotFound()) {
    return Status::NotFound(fmt::format("graph '{}' has no prepared transaction '{}'", path(), xid));
  }
  SV_RETURN_IF_ERROR(FromRocks(s, path()));
  auto record = DecodePrepared(xid, value);
  if (!record) {
    return Status::Corruption(fmt::format("graph '{}': malformed prepared transaction '{}'",
                                          path(), xid));
  }
  rocksdb::WriteBatch batch;
  if (commit) {
    if (record->batch != counters().next_batch_id) {
      return Status::Corruption(fmt::format(
          "graph '{}': prepared transaction '{}' was built on batch {}, but the graph has "
          "committed up to batch {} since; its writes no longer apply",
          path(), xid, record->batch, counters().next_batch_id - 1));
    }
    batch = rocksdb::WriteBatch(std::move(record->writes));
  }
  s = batch.Delete(store_->cf(kMeta), meta::Prepared(xid));
  if (s.ok() && commit && !record->about.coordinator.empty()) {
    s = batch.Put(store_->cf(kMeta), meta::CommittedBy(record->about.coordinator), xid);
  }
  if (s.ok()) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = store_->Write(wo, &batch);
  }
  SV_RETURN_IF_ERROR(FromRocks(s, fmt::format("cannot settle a transaction of graph '{}'", path())));
  return LoadState();
}

Result<std::unique_ptr<Transaction>> DbImpl::BeginTransaction(std::string label) {
  SV_RETURN_IF_ERROR(BeginWriting());
  return std::unique_ptr<Transaction>(std::make_unique<TransactionImpl>(this, std::move(label)));
}

Result<std::unique_ptr<BulkLoader>> DbImpl::BeginBulkLoad(std::string label) {
  // The writer slot first, then the emptiness check: checked before taking
  // it, a transaction could commit nodes in between.
  SV_RETURN_IF_ERROR(BeginWriting());
  auto counts = Counts();
  if (!counts.ok() || counts->nodes != 0 || counts->edges != 0) {
    EndTransaction(nullptr);
    if (!counts.ok()) return counts.status();
    return Status::InvalidArgument(fmt::format(
        "a bulk load needs an empty graph; '{}' has {} nodes and {} edges", path(),
        counts->nodes, counts->edges));
  }
  return std::unique_ptr<BulkLoader>(std::make_unique<BulkLoaderImpl>(this, std::move(label)));
}

void DbImpl::EndTransaction(const Counters* committed) {
  if (committed) {
    std::lock_guard lock(mu_);
    counters_ = *committed;
  }
  writing_ = false;
  if (committed) {
    // The snapshots in use are stale now: rebuild them once commits pause,
    // so that the next traversal or analysis does not wait for a build.
    std::vector<CsrSpec> specs;
    {
      std::lock_guard lock(csr_mu_);
      specs = recent_specs_;
    }
    for (const auto& spec : specs) WarmCsr(spec);
  }
}

std::unique_ptr<Snapshot> DbImpl::GetSnapshot() const {
  return std::make_unique<SnapshotImpl>(store_.get(), &symbols_);
}

namespace {
constexpr size_t kMaxCached = 4;
// Commits remembered for patching snapshots: at most this many, and this
// many changed nodes and edges in all.
constexpr size_t kMaxCommitRecords = 64;
constexpr size_t kMaxRecordedChanges = 2 * DbImpl::kMaxCsrChanges;
}  // namespace

void DbImpl::RecordCommit(uint64_t before, uint64_t after,
                          std::shared_ptr<const CsrChanges> changes) {
  std::lock_guard lock(csr_mu_);
  commits_.push_back({before, after, std::move(changes)});
  size_t total = 0;
  for (const auto& c : commits_) total += c.changes ? c.changes->size() : 0;
  while (commits_.size() > kMaxCommitRecords || total > kMaxRecordedChanges) {
    total -= commits_.front().changes ? commits_.front().changes->size() : 0;
    commits_.pop_front();
  }
}

std::optional<CsrChanges> DbImpl::RecordedBetween(uint64_t from, uint64_t to) const {
  std::lock_guard lock(csr_mu_);
  CsrChanges changes;
  uint64_t at = from;
  // Each commit must start at the sequence the one before ended at: a write
  // of another process (or one that recorded nothing) breaks the chain.
  for (const auto& c : commits_) {
    if (c.after <= at) continue;
    if (c.before != at || !c.changes || c.after > to) return std::nullopt;
    changes.Append(*c.changes);
    at = c.after;
  }
  if (at != to) return std::nullopt;
  return changes;
}

namespace {

// The last batch of the state `reader` reads; 0 when it cannot be read.
uint64_t LastBatch(const Reader& reader) {
  uint64_t next_batch = 0;
  if (!ReadMetaCounter(reader, meta::kNextBatchId, &next_batch).ok() || next_batch == 0) return 0;
  return next_batch - 1;
}

// The change log's records of batches `from` + 1 .. `to`, appended; nullopt
// when one is missing (trimmed, or committed before the log existed),
// unknown, or when they hold more than `limit` changes.
std::optional<CsrChanges> LoggedBetween(const Reader& reader, uint64_t from, uint64_t to,
                                        size_t limit) {
  if (from == 0 || to < from || to - from > kChangeLogCommits) return std::nullopt;
  CsrChanges changes;
  std::string value;
  for (uint64_t b = from + 1; b <= to; ++b) {
    if (!reader.Get(kMeta, meta::Changes(b), &value).ok()) return std::nullopt;
    auto record = DecodeChangeRecord(value);
    if (!record || !record->known) return std::nullopt;
    changes.Append(record->changes);
    if (changes.size() > limit) return std::nullopt;
  }
  return changes;
}

// A snapshot is patched when the changes since are at most 1% of its
// edges (or this many, on small graphs).
constexpr size_t kMinPatchable = 1024;

size_t PatchLimit(const CsrGraph& base) {
  return std::max<size_t>(kMinPatchable, base.num_edges() / 100);
}

}  // namespace

std::shared_ptr<const CsrGraph> DbImpl::Patch(std::shared_ptr<const CsrGraph> base,
                                              const CsrChanges& changes,
                                              const Snapshot& snapshot, bool from_log) {
  if (changes.size() > PatchLimit(*base)) return nullptr;
  std::shared_ptr<const CsrGraph> patched = base;  // nothing the snapshot holds changed
  if (changes.size() != 0) {
    // In place when nobody else holds `base` (PatchCached took it out of
    // the cache), else a copy.
    patched.reset();
    auto made = CsrGraph::Patched(std::move(base), changes, snapshot);
    // On a failure the build that follows reports it (or succeeds).
    if (!made.ok() || !*made) return nullptr;
    patched = *std::move(made);
    NoteCsrPatch(from_log);
  }
  return patched;
}

std::shared_ptr<const CsrGraph> DbImpl::PatchCached(const CsrSpec& spec, const Snapshot& snapshot,
                                                    const Reader& reader, uint64_t batch) const {
  // A save of the snapshot file in the background holds the base, which
  // would make the patch copy it; the commit that brought us here makes the
  // save stop at its next poll (every 8 MB), so wait for that, briefly.
  for (int waited = 0; waited < 50 && saving_csr_.load(); ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  uint64_t at = 0, base_batch = 0;
  size_t limit = 0;
  bool cached = false;
  {
    std::lock_guard lock(csr_mu_);
    for (const auto& c : csr_cache_) {
      if (c.csr->spec() == spec) {
        at = c.sequence;
        base_batch = c.batch;
        limit = PatchLimit(*c.csr);
        cached = true;
      }
    }
  }
  if (!cached || at >= snapshot.sequence()) return nullptr;
  // This process's own commits first (nothing to read); else the store's
  // change log, which holds every process's.
  std::optional<CsrChanges> changes = RecordedBetween(at, snapshot.sequence());
  const bool from_log = !changes;
  if (!changes) changes = LoggedBetween(reader, base_batch, batch, limit);
  if (!changes || changes->size() > limit) return nullptr;
  // A base nobody holds but the cache is taken out of it, so that nobody
  // can take it while Patched edits it in place (Csr() caches the result).
  // One a caller still reads is copied instead.
  std::shared_ptr<const CsrGraph> base;
  {
    std::lock_guard lock(csr_mu_);
    auto entry = std::find_if(csr_cache_.begin(), csr_cache_.end(), [&](const CachedCsr& c) {
      return c.sequence == at && c.csr->spec() == spec;
    });
    if (entry == csr_cache_.end()) return nullptr;
    if (entry->csr.use_count() == 1) {
      base = std::move(entry->csr);
      csr_cache_.erase(entry);
    } else {
      base = entry->csr;
    }
  }
  return Patch(std::move(base), *changes, snapshot, from_log);
}

std::shared_ptr<const CsrGraph> DbImpl::PatchFile(const CsrSpec& spec, const Snapshot& snapshot,
                                                  const Reader& reader, uint64_t batch) const {
  if (batch == 0 || LatestSequence() != snapshot.sequence()) return nullptr;
  auto file = snapshot_files_.FindOlder(spec, {snapshot.sequence(), batch});
  if (!file) return nullptr;
  auto logged = LoggedBetween(reader, file->first.batch, batch, PatchLimit(*file->second));
  if (!logged) return nullptr;
  return Patch(file->second, *logged, snapshot, /*from_log=*/true);
}

Result<std::shared_ptr<const CsrGraph>> DbImpl::Csr(const CsrSpec& spec) const {
  SV_ASSIGN_OR_RETURN(auto csr, CsrOf(spec, /*use_files=*/true));
  if (csr->CheckEdgePositions().ok()) return csr;
  // Its file is damaged where walks do not read: built from the store
  // instead, and the writer replaces the file.
  {
    std::lock_guard lock(csr_mu_);
    std::erase_if(csr_cache_, [&](const CachedCsr& c) { return c.csr == csr; });
  }
  snapshot_files_.Forget(spec);
  SV_ASSIGN_OR_RETURN(csr, CsrOf(spec, /*use_files=*/false));
  SV_RETURN_IF_ERROR(csr->CheckEdgePositions());
  return csr;
}

Result<std::shared_ptr<const CsrGraph>> DbImpl::Adjacency(const CsrSpec& spec) const {
  return CsrOf(spec, /*use_files=*/true);
}

Result<std::shared_ptr<const CsrGraph>> DbImpl::CsrOf(const CsrSpec& spec, bool use_files) const {
  auto cached = [&]() -> std::shared_ptr<const CsrGraph> {
    std::lock_guard lock(csr_mu_);
    const uint64_t latest = LatestSequence();
    std::erase(recent_specs_, spec);
    recent_specs_.push_back(spec);
    if (recent_specs_.size() > kMaxCached) recent_specs_.erase(recent_specs_.begin());
    for (auto it = csr_cache_.begin(); it != csr_cache_.end(); ++it) {
      if (it->sequence == latest && it->csr->spec() == spec) {
        CachedCsr hit = *it;
        csr_cache_.erase(it);
        csr_cache_.push_back(hit);
        return hit.csr;
      }
    }
    return nullptr;
  };
  if (auto hit = cached()) return hit;
  std::lock_guard building(build_mu_);
  if (auto hit = cached()) return hit;  // built while we waited
  auto snapshot = std::make_unique<SnapshotImpl>(store_.get(), &symbols_);
  const uint64_t batch = LastBatch(snapshot->reader());
  // Cheapest first: patch the snapshot of an earlier commit, then map the
  // snapshot file (patched with the change log if a few commits behind),
  // and only then read the whole graph.
  std::shared_ptr<const CsrGraph> csr = PatchCached(spec, *snapshot, snapshot->reader(), batch);
  bool unsaved = false;
  if (!csr) {
    const auto stamp = StampOf(snapshot->sequence());
    if (stamp && use_files) {
      SV_ASSIGN_OR_RETURN(csr, snapshot_files_.Find(spec, *stamp, !read_only()));
    }
    if (!csr && use_files) {
      csr = PatchFile(spec, *snapshot, snapshot->reader(), batch);
      unsaved = csr != nullptr;
    }
    if (!csr) {
      Interrupt interrupt([this] { return stop_building_.load(); });
      SV_ASSIGN_OR_RETURN(csr, CsrGraph::Build(*snapshot, spec, interrupt));
      unsaved = true;
    }
    // Its property columns, mapped from their file if it holds this state.
    if (stamp) SV_RETURN_IF_ERROR(snapshot_files_.FindColumns(*csr, *stamp, !read_only()));
  }
  if (!read_only() && CsrGraph::Saveable(spec)) {
    // The writer saves the columns a query builds, in the background.
    std::weak_ptr<ColumnsSaver> saver = columns_saver_;
    csr->SetColumnsBuiltHook([saver, spec] {
      if (auto s = saver.lock()) {
        std::lock_guard lock(s->mu);
        if (s->db) s->db->WarmCsr(spec);
      }
    });
  }
  // The writer saves a snapshot its file lacks in the background (SaveCsrFile).
  if (unsaved && !read_only() && CsrGraph::Saveable(spec)) WarmCsr(spec);
  // The entry of an earlier sequence of this spec, if any, gives way. It
  // is freed (hundreds of megabytes on a big graph) after the lock is let go.
  std::vector<CachedCsr> dropped;
  std::lock_guard lock(csr_mu_);
  auto stale = std::find_if(csr_cache_.begin(), csr_cache_.end(),
                            [&](const CachedCsr& c) { return c.csr->spec() == spec; });
  if (stale == csr_cache_.end() && csr_cache_.size() >= kMaxCached) stale = csr_cache_.begin();
  if (stale != csr_cache_.end()) {
    dropped.push_back(std::move(*stale));
    csr_cache_.erase(stale);
  }
  csr_cache_.push_back({snapshot->sequence(), batch, csr});
  return csr;
}

std::optional<CsrGraph::FileStamp> DbImpl::StampOf(uint64_t sequence) const {
  uint64_t next_batch = 0;
  if (!ReadMetaCounter(reader_, meta::kNextBatchId, &next_batch).ok() || next_batch == 0 ||
      LatestSequence() != sequence) {
    return std::nullopt;
  }
  return CsrGraph::FileStamp{sequence, next_batch - 1};
}

void DbImpl::SaveCsrFile(const CsrSpec& spec) const {
  if (read_only() || !CsrGraph::Saveable(spec)) return;
  const uint64_t sequence = LatestSequence();
  // Whether the cached snapshot of `sequence` is one its files lack. The
  // stamp is read after the snapshot is taken: a commit in between makes
  // it null, so a snapshot is never saved under an older stamp.
  auto unsaved = [&](const std::shared_ptr<const CsrGraph>& csr,
                     const std::optional<CsrGraph::FileStamp>& stamp) {
    return csr && stamp &&
           !(snapshot_files_.Holds(spec, *stamp) && snapshot_files_.HoldsColumns(*csr, *stamp));
  };
  {
    auto csr = CsrIfCached(spec);
    if (!unsaved(csr, StampOf(sequence))) return;
  }
  // Saving takes longer than building (a second or more for 10M edges) and
  // a commit makes it stale: under a steady writer, save nothing. The next
  // build after a commit tries again. The wait holds nothing: a commit in
  // it patches the cached snapshot in place at once, instead of waiting
  // for this thread to let go of it (PatchCached).
  constexpr auto kStill = std::chrono::milliseconds(200);
  for (auto waited = std::chrono::milliseconds(0); waited < kStill;
       waited += std::chrono::milliseconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (stop_building_ || LatestSequence() != sequence) return;
  }
  // Declared before `csr`, so that it is cleared after `csr` lets go.
  struct Saving {
    std::atomic<bool>* flag;
    ~Saving() { *flag = false; }
  } saving{&saving_csr_};
  saving_csr_ = true;
  auto csr = CsrIfCached(spec);
  auto stamp = StampOf(sequence);
  if (!unsaved(csr, stamp)) return;
  // The commits the file reflects must be on disk before it is: a file
  // ahead of the store is taken for damage (SnapshotFiles).
  if (!store_->db()->FlushWAL(/*sync=*/true).ok()) return;
  Interrupt stale([this, sequence] { return stop_building_.load() || LatestSequence() != sequence; });
  // A failure (a full disk) leaves the previous file, which is stale and
  // ignored; the next build tries again.
  IgnoreError(snapshot_files_.Save(*csr, *stamp, stale));
}

namespace {

// The props keys of the nodes (or edges) worth a column at import: those
// held by at least a tenth of a sample of rows spread evenly over the whole
// snapshot, most common first (ties: first seen), at most four. Spread, not
// the first rows: a graph's first nodes are often of one kind (regions, the
// projects' locations) whose rows hold other keys than most, or none.
std::vector<std::string> CommonPropsKeys(const GraphView& view, const CsrGraph& csr, bool edges) {
  constexpr uint64_t kSampled = 4096;  // point reads: a few milliseconds
  constexpr size_t kKeys = 4;
  const uint64_t rows = edges ? csr.num_edges() : csr.num_nodes();
  const uint64_t sampled = std::min(rows, kSampled);
  std::vector<std::pair<std::string, uint64_t>> seen;  // key, rows holding it
  for (uint64_t i = 0; i < sampled; ++i) {
    const uint64_t row = i * rows / sampled;
    std::string props;
    if (edges) {
      auto edge = view.GetEdge(csr.edge_id(static_cast<uint32_t>(row)));
      if (!edge.ok()) continue;
      props = std::move(edge->props);
    } else {
      auto node = view.GetNode(csr.node_id(static_cast<uint32_t>(row)));
      if (!node.ok()) continue;
      props = std::move(node->props);
    }
    if (props.size() <= 2) continue;  // "{}"
    auto j = nlohmann::json::parse(props, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    for (const auto& item : j.items()) {
      auto it = std::find_if(seen.begin(), seen.end(),
                             [&](const auto& s) { return s.first == item.key(); });
      if (it == seen.end()) {
        seen.emplace_back(item.key(), 1);
      } else {
        ++it->second;
      }
    }
  }
  std::stable_sort(seen.begin(), seen.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> keys;
  for (auto& [key, count] : seen) {
    if (keys.size() == kKeys || count * 10 < sampled) break;
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

Status DbImpl::SaveSnapshotFile(const Interrupt& interrupt) {
  if (read_only()) return Status::ReadOnly(fmt::format("graph '{}' is open read-only", path()));
  const CsrSpec whole;
  const uint64_t sequence = LatestSequence();
  SV_RETURN_IF_ERROR(Csr(whole).status());
  auto csr = CsrIfCached(whole);
  auto stamp = StampOf(sequence);
  if (!csr || !stamp) return Status::OK();
  // Besides the columns built so far, the nodes' keys and names and the
  // props keys most nodes and edges hold: the process that imported a
  // graph is often the only one that ever writes it, and read-only opens
  // never save columns, so without these every reader's first property
  // query would read every record, on every open. The keys of each side
  // are built in one scan of its records.
  auto view = GetSnapshot();
  if (view->sequence() == sequence) {
    for (NodeField f : {NodeField::kKey, NodeField::kName}) {
      SV_RETURN_IF_ERROR(csr->NodeColumn(*view, f, {}, interrupt).status());
    }
    for (bool edges : {false, true}) {
      const std::vector<std::string> keys = CommonPropsKeys(*view, *csr, edges);
      SV_RETURN_IF_ERROR(csr->BuildPropsColumnsTogether(*view, edges, keys, interrupt));
    }
  }
  if (snapshot_files_.Holds(whole, *stamp) && snapshot_files_.HoldsColumns(*csr, *stamp)) {
    return Status::OK();
  }
  // As in SaveCsrFile: the commits the file reflects reach the disk first.
  SV_RETURN_IF_ERROR(FromRocks(store_->db()->FlushWAL(/*sync=*/true),
                               fmt::format("cannot sync graph '{}'", path())));
  Interrupt stop([&] {
    return interrupt.Requested() || stop_building_.load() || LatestSequence() != sequence;
  });
  Status saved = snapshot_files_.Save(*csr, *stamp, stop);
  // A commit made the snapshot stale: not a failure, the writer saves the
  // next one.
  if (!saved.ok() && !interrupt.Requested() && LatestSequence() != sequence) return Status::OK();
  return saved;
}

std::shared_ptr<const CsrGraph> DbImpl::CsrIfCached(const CsrSpec& spec) const {
  std::shared_ptr<const CsrGraph> csr;
  {
    std::lock_guard lock(csr_mu_);
    const uint64_t latest = LatestSequence();
    for (const auto& c : csr_cache_) {
      if (c.sequence == latest && c.csr->spec() == spec) {
        csr = c.csr;
        break;
      }
    }
  }
  // Checked outside the lock (a mapped snapshot's first check reads a third
  // of its file); one that fails is rebuilt by Csr().
  if (csr && !csr->CheckEdgePositions().ok()) return nullptr;
  return csr;
}

void DbImpl::WarmCsr(const CsrSpec& spec) const {
  std::lock_guard lock(warm_mu_);
  if (closing_) return;
  if (std::find(warm_wanted_.begin(), warm_wanted_.end(), spec) == warm_wanted_.end()) {
    warm_wanted_.push_back(spec);
  }
  if (warm_running_) return;
  if (warm_thread_.joinable()) warm_thread_.join();  // one that has finished
  warm_running_ = true;
  warm_thread_ = std::thread([this] { WarmLoop(); });
}

void DbImpl::WarmLoop() const {
  AllocateExceptionState();
  // Commits in quick succession would each make the build before stale:
  // wait until the graph has been still for a moment.
  constexpr auto kStill = std::chrono::milliseconds(20);
  for (;;) {
    uint64_t seen = LatestSequence();
    for (;;) {
      std::this_thread::sleep_for(kStill);
      if (stop_building_) break;
      const uint64_t now = LatestSequence();
      if (now == seen) break;
      seen = now;
    }
    CsrSpec spec;
    {
      std::lock_guard lock(warm_mu_);
      if (warm_wanted_.empty() || closing_) {
        warm_running_ = false;
        warm_idle_.notify_all();
        return;
      }
      spec = warm_wanted_.back();
      warm_wanted_.pop_back();
    }
    // Warming is work ahead of time, on a thread of its own, where nothing
    // may escape: a failure (memory that ran out, a thread that could not
    // start) shows when the snapshot is asked for.
    try {
      if (!CsrIfCached(spec)) IgnoreError(Csr(spec));
      SaveCsrFile(spec);
    } catch (...) {
    }
  }
}

uint64_t DbImpl::LatestSequence() const { return store_->db()->GetLatestSequenceNumber(); }

Status DbImpl::Compact() {
  if (read_only()) return Status::ReadOnly(fmt::format("graph '{}' is open read-only", path()));
  SV_RETURN_IF_ERROR(store_->ReadyToWrite());
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (int i = 0; i < kCfCount; ++i) {
    SV_RETURN_IF_ERROR(FromRocks(
        store_->db()->CompactRange(o, store_->cf(static_cast<Cf>(i)), nullptr, nullptr),
        fmt::format("cannot compact graph '{}'", path())));
  }
  return Status::OK();
}

Status DbImpl::Refresh() {
  if (!read_only()) return Status::OK();
  {
    // Catching up may replace the RocksDB instance: no build may be reading.
    std::unique_lock lock(warm_mu_);
    warm_wanted_.clear();
    warm_idle_.wait(lock, [this] { return !warm_running_; });
  }
  SV_RETURN_IF_ERROR(store_->CatchUp());
  return LoadState();
}

Result<uint64_t> DbImpl::DiskUsage() const { return BytesUnder(path()); }

}  // namespace samverkan::storage

namespace samverkan {

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const Options& options) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<storage::DbImpl> db, storage::DbImpl::Open(path, options));
  return std::unique_ptr<Db>(std::move(db));
}

std::optional<std::string> Db::GraphContaining(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) p = fs::absolute(path, ec).lexically_normal();
  for (; !p.empty(); p = p.parent_path()) {
    if (storage::IsDatabaseDirectory(p.string())) return p.string();
    if (p == p.root_path()) break;
  }
  return std::nullopt;
}

Status Db::Destroy(const std::string& path) {
  {
    // Opening for writing proves that it is a graph and that nobody uses it.
    Options o;
    o.create_if_missing = false;
    SV_ASSIGN_OR_RETURN(std::unique_ptr<storage::DbImpl> db, storage::DbImpl::Open(path, o));
  }
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) {
    return Status::IOError(fmt::format("cannot remove graph '{}': {}", path, ec.message()));
  }
  return Status::OK();
}

}  // namespace samverkan
