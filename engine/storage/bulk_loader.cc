#include "storage/bulk_loader.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <rocksdb/sst_file_writer.h>

#include "storage/bucket_sort.h"
#include "storage/change_log.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "samverkan/parallel.h"

namespace samverkan::storage {
namespace {

Status OutOfMemory() {
  return Status::IOError("out of memory: the bulk load ran out of it and cannot go on");
}

// A string key and a number, ordered by (key, number), with the key's
// first eight bytes also held as a number: most comparisons are then of
// integers. Sorting a million short keys with string comparisons took most
// of the time of writing a load's dictionary and names.
struct KeyedEntry {
  uint64_t prefix;
  std::string_view key;
  uint64_t value;

  static KeyedEntry Of(std::string_view key, uint64_t value) {
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i) {
      prefix = (prefix << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
    }
    return {prefix, key, value};
  }
  bool operator<(const KeyedEntry& o) const {
    if (prefix != o.prefix) return prefix < o.prefix;
    if (int c = key.compare(o.key); c != 0) return c < 0;
    return value < o.value;
  }
};

// Edge families are written as several SST files each, so that both cores
// write: this many distinct edges per file (but two files from 64Ki edges).
constexpr uint64_t kEdgesPerFile = uint64_t{1} << 21;

size_t EdgeFileCount(uint64_t edges) {
  if (edges < (uint64_t{1} << 16)) return 1;
  return std::clamp<uint64_t>((edges + kEdgesPerFile - 1) / kEdgesPerFile, 2, 16);
}

std::string Fixed64(uint64_t v) {
  std::string s;
  PutFixed64BE(&s, v);
  return s;
}

}  // namespace

// One SST file being written, for one column family.
class SstSink {
 public:
  SstSink(const RocksStore& store, Cf cf, std::string file, const Interrupt& interrupt)
      : interrupt_(interrupt),
        cf_(cf),
        file_(std::move(file)),
        // The files are read back soon after (the first CSR build), so they
        // stay in the page cache.
        writer_(rocksdb::EnvOptions(), store.db()->GetOptions(store.cf(cf)), store.cf(cf),
                /*invalidate_page_cache=*/false) {}

  // REQUIRES: keys in strictly increasing order.
  Status Put(std::string_view key, std::string_view value) {
    if (count_++ == 0) {
      SV_RETURN_IF_ERROR(FromRocks(writer_.Open(file_), "cannot create bulk-load file"));
    }
    if ((count_ & 0xffff) == 0) SV_RETURN_IF_ERROR(interrupt_.Check());
    return FromRocks(writer_.Put(key, value), "cannot write bulk-load file");
  }
  // Finishes the file; an empty one is not made, and has nothing to ingest.
  Status Finish() {
    if (count_ == 0) return Status::OK();
    return FromRocks(writer_.Finish(), "cannot finish bulk-load file");
  }
  bool empty() const { return count_ == 0; }
  Cf cf() const { return cf_; }
  const std::string& file() const { return file_; }

 private:
  const Interrupt& interrupt_;
  Cf cf_;
  std::string file_;
  rocksdb::SstFileWriter writer_;
  uint64_t count_ = 0;
};

void PendingEdges::Add(const EdgeInput& in, const EdgeEnds& ends, NodeId first_node,
                       SymbolId type, std::string_view edge_props) {
  Edge e{};
  e.src = static_cast<uint32_t>(ends.src - first_node);
  e.dst = static_cast<uint32_t>(ends.dst - first_node);
  e.type = type;
  e.rank = in.rank;
  if (in.weight) {
    e.flags |= kHasWeight;
    e.weight = *in.weight;
  }
  if (in.validity.from) {
    e.flags |= kHasFrom;
    e.valid_from = in.validity.from->days;
  }
  if (in.validity.to) {
    e.flags |= kHasTo;
    e.valid_to = in.validity.to->days;
  }
  e.extra = kNoExtra;
  if (!edge_props.empty() || !ends.sources.empty()) {
    e.extra = static_cast<uint32_t>(extras.size());
    extras.push_back({bytes.Copy(edge_props).data(),
                      bytes.CopyArray(std::span<const NodeId>(ends.sources)).data(),
                      static_cast<uint32_t>(edge_props.size()),
                      static_cast<uint32_t>(ends.sources.size())});
  }
  edges.push_back(e);
}

void PendingEdges::Append(PendingEdges&& other) {
  if (edges.empty()) {
    *this = std::move(other);
    return;
  }
  if (!extras.empty() && !other.extras.empty()) {
    const auto base = static_cast<uint32_t>(extras.size());
    for (size_t i = 0; i < other.edges.size(); ++i) {
      if (other.edges[i].extra != kNoExtra) other.edges[i].extra += base;
    }
  }
  edges.Append(std::move(other.edges));
  extras.Append(std::move(other.extras));
  bytes.Append(std::move(other.bytes));
  other = PendingEdges();
}

// A lane adds to edges of its own; only CloseEdgeLanes() touches the loader.
class BulkLoaderImpl::Lane final : public BulkEdgeLane {
 public:
  Lane(BulkLoaderImpl* loader, uint64_t generation) : loader_(loader), generation_(generation) {}

  Status AddEdge(const EdgeInput& input) override {
    if (loader_->open_lanes_.load(std::memory_order_relaxed) != generation_) {
      return Status::InvalidArgument("this edge lane has been closed");
    }
    return loader_->PrepareEdge(input, &edges_, &types_);
  }
  uint64_t edges_added() const override { return edges_.edges.size(); }

 private:
  friend class BulkLoaderImpl;
  BulkLoaderImpl* loader_;
  uint64_t generation_;
  PendingEdges edges_;
  TypeCache types_;
};

BulkLoaderImpl::BulkLoaderImpl(DbImpl* db, std::string label)
    : db_(db),
      label_(std::move(label)),
      symbols_(&db->symbols()),
      counters_(db->counters()),
      first_node_id_(counters_.next_node_id) {}

BulkLoaderImpl::~BulkLoaderImpl() {
  if (!finished_) End();
}

void BulkLoaderImpl::End() {
  finished_ = true;
  db_->EndTransaction(nullptr);
}

Status BulkLoaderImpl::CheckOpen() const {
  if (finished_) return Status::InvalidArgument("the bulk load has already finished");
  if (out_of_memory_) return OutOfMemory();
  if (open_lanes_.load() != 0) {
    return Status::InvalidArgument("edge lanes are open: close them first (CloseEdgeLanes)");
  }
  return Status::OK();
}

Result<NodeId> BulkLoaderImpl::FindKey(std::string_view key) const {
  // Debian's Abseil has its own string_view type.
  if (out_of_memory_) return OutOfMemory();
  auto it = ids_by_key_.find(absl::string_view(key.data(), key.size()));
  if (it == ids_by_key_.end()) return Status::NotFound(fmt::format("unknown node '{}'", key));
  return it->second;
}

Result<NodeId> BulkLoaderImpl::ResolveNode(const NodeRef& ref) const {
  if (!ref.key.empty()) {
    if (out_of_memory_) return OutOfMemory();
    auto it = ids_by_key_.find(ref.key);
    // (A key claimed by the node being added is not a node yet.)
    if (it == ids_by_key_.end() || it->second - first_node_id_ >= nodes_.size()) {
      return Status::NotFound(fmt::format("unknown node '{}'", ref.key));
    }
    return it->second;
  }
  if (ref.id < first_node_id_ || ref.id - first_node_id_ >= nodes_.size()) {
    return Status::NotFound(fmt::format("unknown node id {}", ref.id));
  }
  return ref.id;
}

Result<NodeId> BulkLoaderImpl::AddNode(const NodeInput& input) {
  SV_RETURN_IF_ERROR(CheckOpen());
  // One lookup that also claims the key for a new node; a bad node gives it back.
  std::pair<HashMap<std::string, NodeId>::iterator, bool> claimed;
  try {
    claimed = ids_by_key_.try_emplace(input.key, first_node_id_ + nodes_.size());
  } catch (...) {
    out_of_memory_ = true;
    throw;
  }
  const auto [slot, is_new] = claimed;
  const NodeId id = slot->second;
  if (is_new && nodes_.size() >= UINT32_MAX - 1) {
    ids_by_key_.erase(slot);
    return Status::NotSupported("a bulk load takes at most 2^32-2 nodes; split the file");
  }
  std::optional<NodeRecord> old;
  if (!is_new) old = nodes_[id - first_node_id_];
  const auto mark = symbols_.mark();
  auto rec = MakeNodeRecord(input, old, /*merge=*/false, symbols_,
                            [this](const NodeRef& ref) { return ResolveNode(ref); });
  if (!rec.ok()) {
    symbols_.RollbackTo(mark);
    if (is_new) ids_by_key_.erase(slot);
    return rec.status();
  }
  rec->batch = counters_.next_batch_id;
  if (is_new) {
    nodes_.push_back(std::move(*rec));
  } else {
    nodes_[id - first_node_id_] = std::move(*rec);
  }
  return id;
}

Status BulkLoaderImpl::AddEdge(const EdgeInput& in) {
  SV_RETURN_IF_ERROR(CheckOpen());
  SV_RETURN_IF_ERROR(PrepareEdge(in, &pending_, &types_));
  ++edges_added_;
  return Status::OK();
}

SymbolId BulkLoaderImpl::EdgeType(std::string_view name, TypeCache* types) {
  auto it = types->find(absl::string_view(name.data(), name.size()));
  if (it != types->end()) return it->second;
  std::lock_guard lock(symbols_mu_);
  SymbolId id = symbols_.Intern(SymbolSpace::kEdgeType, name);
  types->emplace(std::string(name), id);
  return id;
}

Status BulkLoaderImpl::PrepareEdge(const EdgeInput& in, PendingEdges* to, TypeCache* types) {
  // Looking up a key misses the cache: start on the second end's memory
  // while the first is looked up, so that the two misses overlap.
  if (!in.dst.key.empty()) ids_by_key_.prefetch(in.dst.key);
  SV_ASSIGN_OR_RETURN(std::string props, CheckEdgeInput(in));
  SV_ASSIGN_OR_RETURN(EdgeEnds ends, ResolveEdgeEnds(in, [this](const NodeRef& ref) {
                        return ResolveNode(ref);
                      }));
  to->Add(in, ends, first_node_id_, EdgeType(in.type, types), props);
  return Status::OK();
}

std::vector<std::unique_ptr<BulkEdgeLane>> BulkLoaderImpl::OpenEdgeLanes(size_t n) {
  std::vector<std::unique_ptr<BulkEdgeLane>> lanes;
  if (!CheckOpen().ok()) return lanes;
  open_lanes_ = ++lane_generation_;
  for (size_t i = 0; i < n; ++i) lanes.push_back(std::make_unique<Lane>(this, lane_generation_));
  return lanes;
}

Status BulkLoaderImpl::CloseEdgeLanes(std::vector<std::unique_ptr<BulkEdgeLane>> lanes) {
  if (finished_) return Status::InvalidArgument("the bulk load has already finished");
  const uint64_t generation = open_lanes_.load();
  if (generation == 0) return Status::InvalidArgument("no edge lanes are open");
  for (const auto& lane : lanes) {
    auto* ours = dynamic_cast<Lane*>(lane.get());
    if (ours == nullptr || ours->loader_ != this || ours->generation_ != generation) {
      return Status::InvalidArgument("CloseEdgeLanes: a lane that this loader did not open");
    }
  }
  open_lanes_ = 0;
  for (auto& lane : lanes) {
    edges_added_ += lane->edges_added();
    pending_.Append(std::move(static_cast<Lane*>(lane.get())->edges_));
  }
  return Status::OK();
}

// Sorts the edges as given into out-key order (src, type, dst, rank) and
// folds equal keys into one edge (an upsert): it keeps the id of its first
// AddEdge and the fields of its last, as a transaction would.
void BulkLoaderImpl::DedupeEdges(unsigned threads) {
  auto& edges = pending_.edges;
  const auto m = static_cast<uint32_t>(edges.size());
  const size_t n = nodes_.size();
  // Equal edges sort by when they were added. The edges as given are
  // freed chunk by chunk as they are copied, not held whole beside the copy.
  std::vector<uint32_t> start = BucketSort(
      m, n, threads, [&](uint32_t i) { return edges[i].src; },
      [&](uint32_t i) {
        const auto& e = edges[i];
        return FinalEdge{e.weight, e.src, e.dst, e.type, e.rank, e.valid_from, e.valid_to,
                         /*id=*/i, e.extra, e.flags};
      },
      [](const FinalEdge& a, const FinalEdge& b) {
        return std::tie(a.type, a.dst, a.rank, a.id) < std::tie(b.type, b.dst, b.rank, b.id);
      },
      &finals_,
      BucketSortInput{static_cast<uint32_t>(edges.kChunkSize),
                      [&](uint32_t chunk) { edges.ReleaseChunk(chunk); }});
  edges = ChunkedArray<PendingEdges::Edge, 20>();

  // Threads take whole nodes (a run of equal keys never spans two): each
  // folds its runs to the front of its slice, then the slices are closed up.
  threads = std::max(1u, std::min<unsigned>(threads, m == 0 ? 1 : m));
  std::vector<uint32_t> cut(threads + 1, m);
  cut[0] = 0;
  for (unsigned t = 1; t < threads; ++t) {
    cut[t] = *std::lower_bound(start.begin(), start.end(), uint64_t{m} * t / threads);
  }
  auto same = [](const FinalEdge& a, const FinalEdge& b) {
    return a.src == b.src && a.type == b.type && a.dst == b.dst && a.rank == b.rank;
  };
  std::vector<uint32_t> kept(threads, 0);
  out_degree_.assign(n, 0);
  ParallelFor(threads, threads, [&](uint32_t t, uint32_t, unsigned) {
    uint32_t k = cut[t];
    for (uint32_t i = cut[t]; i < cut[t + 1];) {
      uint32_t j = i + 1;
      while (j < cut[t + 1] && same(finals_[j], finals_[i])) ++j;
      const uint32_t first = finals_[i].id;
      finals_[k] = finals_[j - 1];
      finals_[k].id = first;
      ++out_degree_[finals_[k++].src];
      i = j;
    }
    kept[t] = k - cut[t];
  });
  uint32_t distinct = kept[0];
  for (unsigned t = 1; t < threads; ++t) {
    if (kept[t] != 0 && distinct != cut[t]) {
      std::memmove(&finals_[distinct], &finals_[cut[t]], kept[t] * sizeof(FinalEdge));
    }
    distinct += kept[t];
  }
  finals_.resize(distinct);
  edge_count_ = distinct;
  NumberEdges(threads, m);
}

// Ids follow first appearance: the first AddEdges of distinct edges are
// numbered in the order they were given.
void BulkLoaderImpl::NumberEdges(unsigned threads, uint32_t added) {
  const auto distinct = static_cast<uint32_t>(finals_.size());
  std::vector<uint32_t> final_of_first(added, UINT32_MAX);
  ParallelFor(distinct, threads, [&](uint32_t b, uint32_t e, unsigned) {
    for (uint32_t f = b; f < e; ++f) final_of_first[finals_[f].id] = f;
  });
  threads = std::max(1u, std::min<unsigned>(threads, added == 0 ? 1 : added));
  std::vector<uint64_t> firsts(threads + 1, 0);
  ParallelFor(added, threads, [&](uint32_t b, uint32_t e, unsigned t) {
    for (uint32_t i = b; i < e; ++i) firsts[t + 1] += final_of_first[i] != UINT32_MAX;
  });
  for (unsigned t = 0; t < threads; ++t) firsts[t + 1] += firsts[t];
  by_id_.resize(distinct);
  ParallelFor(added, threads, [&](uint32_t b, uint32_t e, unsigned t) {
    uint64_t rank = firsts[t];
    for (uint32_t i = b; i < e; ++i) {
      const uint32_t f = final_of_first[i];
      if (f == UINT32_MAX) continue;
      finals_[f].id = static_cast<uint32_t>(rank);
      by_id_[rank++] = f;
    }
  });
}

// The distinct edges again, in in-key order (dst, type, src, rank): a copy,
// so that writing the in family reads memory in order (going through
// indexes missed the cache on every edge). Made once the out-key order is
// no longer needed, which is then freed.
void BulkLoaderImpl::SortIn(unsigned threads) {
  const size_t n = nodes_.size();
  std::vector<uint32_t> start = BucketSort(
      static_cast<uint32_t>(finals_.size()), n, threads,
      [&](uint32_t i) { return finals_[i].dst; },
      [&](uint32_t i) { return finals_[i]; },
      [](const FinalEdge& a, const FinalEdge& b) {
        return std::tie(a.type, a.src, a.rank) < std::tie(b.type, b.src, b.rank);
      },
      &by_dst_);
  finals_ = UninitializedVector<FinalEdge>();
  in_degree_.resize(n);
  for (size_t v = 0; v < n; ++v) in_degree_[v] = start[v + 1] - start[v];
}

EdgeHeader BulkLoaderImpl::HeaderOf(const FinalEdge& f) const {
  EdgeHeader h;
  h.id = counters_.next_edge_id + f.id;
  if (f.flags & PendingEdges::kHasWeight) h.weight = f.weight;
  if (f.flags & PendingEdges::kHasFrom) h.validity.from = Date{f.valid_from};
  if (f.flags & PendingEdges::kHasTo) h.validity.to = Date{f.valid_to};
  return h;
}

Status BulkLoaderImpl::WriteOut(size_t begin, size_t end, SstSink& out) const {
  std::string key, value;
  for (size_t i = begin; i < end; ++i) {
    const FinalEdge& f = finals_[i];
    EncodeAdjKeyTo({Node(f.src), f.type, Node(f.dst), f.rank}, &key);
    EncodeOutValueTo(HeaderOf(f), counters_.next_batch_id, pending_.SourcesOf(f.extra),
                     pending_.PropsOf(f.extra), &value);
    SV_RETURN_IF_ERROR(out.Put(key, value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteIn(size_t begin, size_t end, SstSink& in) const {
  std::string key, value;
  for (size_t i = begin; i < end; ++i) {
    const FinalEdge& f = by_dst_[i];
    EncodeAdjKeyTo({Node(f.dst), f.type, Node(f.src), f.rank}, &key);
    EncodeInValueTo(HeaderOf(f), &value);
    SV_RETURN_IF_ERROR(in.Put(key, value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteEdgeIds(size_t begin, size_t end, SstSink& ids) const {
  std::string key, value;
  for (size_t i = begin; i < end; ++i) {
    const FinalEdge& f = finals_[by_id_[i]];
    key.clear();
    PutFixed64BE(&key, counters_.next_edge_id + f.id);
    EncodeAdjKeyTo({Node(f.src), f.type, Node(f.dst), f.rank}, &value);
    SV_RETURN_IF_ERROR(ids.Put(key, value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteDegrees(SstSink& degree) const {
  std::string value;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (out_degree_[i] == 0 && in_degree_[i] == 0) continue;
    value.clear();
    PutFixed64BE(&value, out_degree_[i]);
    PutFixed64BE(&value, in_degree_[i]);
    SV_RETURN_IF_ERROR(degree.Put(NodeKey(first_node_id_ + i), value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteNodeRecords(SstSink& nodes) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    SV_RETURN_IF_ERROR(nodes.Put(NodeKey(first_node_id_ + i), EncodeNode(nodes_[i])));
  }
  return Status::OK();
}

// The index entries below are sorted as views and numbers, not as owned
// strings: moving strings about dominated these steps.
Status BulkLoaderImpl::WriteDict(SstSink& dict) const {
  std::vector<KeyedEntry> by_key;
  by_key.reserve(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) by_key.push_back(KeyedEntry::Of(nodes_[i].key, i));
  std::sort(by_key.begin(), by_key.end());
  for (const KeyedEntry& e : by_key) SV_RETURN_IF_ERROR(dict.Put(e.key, NodeKey(Node(e.value))));
  return Status::OK();
}

Status BulkLoaderImpl::WriteNames(SstSink& names) const {
  std::deque<std::string> folded_names;  // a deque: views into it stay valid
  std::vector<KeyedEntry> by_name;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    SV_ASSIGN_OR_RETURN(std::set<std::string> folded, FoldedNames(nodes_[i]));
    for (auto& f : folded) {
      folded_names.push_back(std::move(const_cast<std::string&>(f)));
      by_name.push_back(KeyedEntry::Of(folded_names.back(), i));
    }
  }
  std::sort(by_name.begin(), by_name.end());
  for (const KeyedEntry& e : by_name) {
    SV_RETURN_IF_ERROR(names.Put(NameKey(e.key, Node(e.value)), ""));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteNodeIndex(SstSink& node_index) const {
  // A graph has few kinds and sectors: bucket the nodes by symbol, in id
  // order, rather than sort them. Kinds ('k') come before sectors ('s').
  static_assert(SymbolSpace::kKind < SymbolSpace::kSector);
  for (SymbolSpace space : {SymbolSpace::kKind, SymbolSpace::kSector}) {
    std::vector<std::vector<uint32_t>> by_symbol;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const SymbolId sym = space == SymbolSpace::kKind ? nodes_[i].kind : nodes_[i].sector;
      if (sym == 0) continue;  // no sector
      if (sym >= by_symbol.size()) by_symbol.resize(sym + 1);
      by_symbol[sym].push_back(static_cast<uint32_t>(i));
    }
    for (SymbolId sym = 0; sym < by_symbol.size(); ++sym) {
      for (uint32_t i : by_symbol[sym]) {
        SV_RETURN_IF_ERROR(node_index.Put(NodeIndexKey(space, sym, Node(i)), ""));
      }
    }
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteMeta(SstSink& meta_sink, const Counters& next) const {
  std::vector<std::pair<std::string, std::string>> entries = {
      {std::string(meta::kNextNodeId), Fixed64(next.next_node_id)},
      {std::string(meta::kNextEdgeId), Fixed64(next.next_edge_id)},
      {std::string(meta::kNextBatchId), Fixed64(next.next_batch_id)},
      {std::string(meta::kNodeCount), Fixed64(nodes_.size())},
      {std::string(meta::kEdgeCount), Fixed64(edge_count_)},
  };
  entries.emplace_back(meta::Batch(counters_.next_batch_id),
                       EncodeBatchRecord(label_, /*bulk=*/true));
  // A load is no patch: a reader that sees it builds its snapshot again.
  entries.emplace_back(meta::Changes(counters_.next_batch_id), EncodeChangeRecord(nullptr));
  for (auto& kv : symbols_.Entries()) entries.push_back(std::move(kv));
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [k, v] : entries) SV_RETURN_IF_ERROR(meta_sink.Put(k, v));
  return Status::OK();
}

Status BulkLoaderImpl::Finish(const Interrupt& interrupt) {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (pending_.edges.size() >= UINT32_MAX || nodes_.size() >= UINT32_MAX) {
    End();
    return Status::NotSupported(
        "a bulk load takes at most 2^32-1 nodes and as many edges; split the file");
  }
  const RocksStore& store = db_->store();
  const std::string dir = fmt::format("{}/{}{}", store.path(), kBulkLoadDirPrefix, getpid());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    End();
    return Status::IOError(fmt::format("cannot create '{}': {}", dir, ec.message()));
  }
  Status result = WriteAndIngest(dir, interrupt);
  std::filesystem::remove_all(dir, ec);
  return result;
}

Status BulkLoaderImpl::WriteAndIngest(const std::string& dir, const Interrupt& interrupt) {
  const RocksStore& store = db_->store();
  std::vector<std::unique_ptr<SstSink>> sinks;
  auto sink = [&](Cf cf) -> SstSink& {
    sinks.push_back(std::make_unique<SstSink>(
        store, cf, fmt::format("{}/{}-{}.sst", dir, kCfNames[cf], sinks.size()), interrupt));
    return *sinks.back();
  };
  const size_t parts = EdgeFileCount(pending_.edges.size());
  // A family's files are made one after the other: Ingest below wants them together.
  std::vector<SstSink*> out, in, ids;
  for (auto [cf, files] : {std::pair{kOut, &out}, std::pair{kIn, &in}, std::pair{kEdges, &ids}}) {
    for (size_t p = 0; p < parts; ++p) files->push_back(&sink(cf));
  }
  SstSink& nodes = sink(kNodes);
  SstSink& dict = sink(kDict);
  SstSink& names = sink(kNames);
  SstSink& node_index = sink(kNodeIndex);
  SstSink& degree = sink(kDegree);
  SstSink& meta = sink(kMeta);

  Counters next = counters_;
  next.next_node_id = first_node_id_ + nodes_.size();
  next.next_batch_id = counters_.next_batch_id + 1;

  // Every file is a task; the edge families wait for the edges to be sorted
  // and folded. Folding runs first, as everything after it waits for it.
  const unsigned threads = ThreadCount(0, pending_.edges.size() + nodes_.size());
  TaskGroup group(threads);
  // Each task writes and finishes one file, so that one file's fsync
  // overlaps the others' work; `then` runs when it has.
  auto write_file = [&](SstSink& file, auto write, std::function<void()> then = {}) {
    group.Run([&file, write, then] {
      SV_RETURN_IF_ERROR(write(file));
      SV_RETURN_IF_ERROR(file.Finish());
      if (then) then();
      return Status::OK();
    });
  };
  auto write_parts = [&](const std::vector<SstSink*>& files, size_t count, auto write,
                         std::function<void()> then = {}) {
    for (size_t p = 0; p < files.size(); ++p) {
      const size_t begin = count * p / files.size(), end = count * (p + 1) / files.size();
      auto part = [this, begin, end, write](SstSink& f) { return (this->*write)(begin, end, f); };
      write_file(*files[p], part, then);
    }
  };
  group.Run([&] {
    DedupeEdges(threads);
    next.next_edge_id = counters_.next_edge_id + edge_count_;
    // The in family waits for the out and id files: its copy of the edges
    // is made once their properties and the out-key order can be freed.
    auto left = std::make_shared<std::atomic<size_t>>(out.size() + ids.size());
    auto then_in = [&, left] {
      if (left->fetch_sub(1) != 1) return;
      group.Run([&] {
        // (Assigning new containers frees them; `= {}` keeps a vector's memory.)
        pending_ = PendingEdges();
        by_id_ = std::vector<uint32_t>();
        SortIn(threads);
        write_parts(in, by_dst_.size(), &BulkLoaderImpl::WriteIn);
        write_file(degree, [this](SstSink& f) { return WriteDegrees(f); });
        return Status::OK();
      });
    };
    write_parts(out, finals_.size(), &BulkLoaderImpl::WriteOut, then_in);
    write_parts(ids, by_id_.size(), &BulkLoaderImpl::WriteEdgeIds, then_in);
    write_file(meta, [this, &next](SstSink& f) { return WriteMeta(f, next); });
    return Status::OK();
  });
  write_file(nodes, [this](SstSink& f) { return WriteNodeRecords(f); });
  write_file(names, [this](SstSink& f) { return WriteNames(f); });
  write_file(dict, [this](SstSink& f) { return WriteDict(f); });
  write_file(node_index, [this](SstSink& f) { return WriteNodeIndex(f); });
  Status result = group.Wait(interrupt);
  if (!result.ok()) {
    End();
    return result;
  }

  // One ingest of every family's files: all of the load or none of it.
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& s : sinks) {
    if (s->empty()) continue;
    if (args.empty() || args.back().column_family != store.cf(s->cf())) {
      args.emplace_back();
      args.back().column_family = store.cf(s->cf());
      args.back().options.move_files = true;
    }
    args.back().external_files.push_back(s->file());
  }
  // Publish names first, so that no reader meets a record it cannot name.
  symbols_.Publish();
  result = FromRocks(store.db()->IngestExternalFiles(args),
                     fmt::format("cannot ingest bulk load into '{}'", store.path()));
  if (!result.ok()) symbols_.Unpublish();
  finished_ = true;
  db_->EndTransaction(result.ok() ? &next : nullptr);
  return result;
}

}  // namespace samverkan::storage
