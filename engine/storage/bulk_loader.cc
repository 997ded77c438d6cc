#include "storage/bulk_loader.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <set>
#include <numeric>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <rocksdb/sst_file_writer.h>

#include "storage/coding.h"
#include "storage/inputs.h"
#include "storage/keys.h"

namespace samverkan::storage {
// The order of (a, type, b, rank) as three words, plus the entry it sorts:
// sorting these flat structs is several times faster than sorting indexes
// with a comparator that chases them into the edge array.
struct SortKey {
  uint64_t w0, w1, w2;
  uint32_t index;

  static SortKey Of(NodeId a, SymbolId type, NodeId b, uint32_t rank, uint32_t index) {
    return {a, (uint64_t{type} << 32) | (b >> 32), (b << 32) | rank, index};
  }
  bool SameEdge(const SortKey& o) const { return w0 == o.w0 && w1 == o.w1 && w2 == o.w2; }
  bool operator<(const SortKey& o) const {
    return std::tie(w0, w1, w2, index) < std::tie(o.w0, o.w1, o.w2, o.index);
  }
};

namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

void SortEntries(Entries* e) {
  std::sort(e->begin(), e->end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::string Fixed64(uint64_t v) {
  std::string s;
  PutFixed64BE(&s, v);
  return s;
}

}  // namespace

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
  return Status::OK();
}

std::optional<NodeId> BulkLoaderImpl::FindKey(std::string_view key) const {
  // Debian's Abseil has its own string_view type.
  auto it = ids_by_key_.find(absl::string_view(key.data(), key.size()));
  if (it == ids_by_key_.end()) return std::nullopt;
  return it->second;
}

Result<NodeId> BulkLoaderImpl::ResolveNode(const NodeRef& ref) const {
  if (!ref.key.empty()) {
    auto it = ids_by_key_.find(ref.key);
    if (it == ids_by_key_.end()) return Status::NotFound(fmt::format("unknown node '{}'", ref.key));
    return it->second;
  }
  if (ref.id < first_node_id_ || ref.id - first_node_id_ >= nodes_.size()) {
    return Status::NotFound(fmt::format("unknown node id {}", ref.id));
  }
  return ref.id;
}

Result<NodeId> BulkLoaderImpl::AddNode(const NodeInput& input) {
  SV_RETURN_IF_ERROR(CheckOpen());
  auto known = ids_by_key_.find(input.key);
  std::optional<NodeRecord> old;
  if (known != ids_by_key_.end()) old = nodes_[known->second - first_node_id_];
  const auto mark = symbols_.mark();
  auto rec = MakeNodeRecord(input, old, /*merge=*/false, symbols_,
                            [this](const NodeRef& ref) { return ResolveNode(ref); });
  if (!rec.ok()) {
    symbols_.RollbackTo(mark);
    return rec.status();
  }
  rec->batch = counters_.next_batch_id;
  if (known != ids_by_key_.end()) {
    nodes_[known->second - first_node_id_] = std::move(*rec);
    return known->second;
  }
  const NodeId id = first_node_id_ + nodes_.size();
  ids_by_key_.emplace(input.key, id);
  nodes_.push_back(std::move(*rec));
  return id;
}

Status BulkLoaderImpl::AddEdge(const EdgeInput& in) {
  SV_RETURN_IF_ERROR(CheckOpen());
  SV_ASSIGN_OR_RETURN(std::string props, CheckEdgeInput(in));
  SV_ASSIGN_OR_RETURN(EdgeEnds ends, ResolveEdgeEnds(in, [this](const NodeRef& ref) {
                        return ResolveNode(ref);
                      }));
  const std::vector<NodeId>& sources = ends.sources;
  PendingEdge e{};
  e.src = ends.src;
  e.dst = ends.dst;
  e.type = symbols_.Intern(SymbolSpace::kEdgeType, in.type);
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
  e.props_off = props_arena_.size();
  e.props_len = static_cast<uint32_t>(props.size());
  props_arena_ += props;
  e.sources_off = sources_arena_.size();
  e.sources_len = static_cast<uint32_t>(sources.size());
  sources_arena_.insert(sources_arena_.end(), sources.begin(), sources.end());
  edges_.push_back(e);
  return Status::OK();
}

// One SST file being written, for one column family.
class SstSink {
 public:
  SstSink(const RocksStore& store, Cf cf, std::string file)
      : cf_(cf),
        file_(std::move(file)),
        writer_(rocksdb::EnvOptions(), store.db()->GetOptions(store.cf(cf)), store.cf(cf)) {}

  // REQUIRES: keys in strictly increasing order.
  Status Put(std::string_view key, std::string_view value) {
    if (count_++ == 0) {
      SV_RETURN_IF_ERROR(FromRocks(writer_.Open(file_), "cannot create bulk-load file"));
    }
    return FromRocks(writer_.Put(key, value), "cannot write bulk-load file");
  }
  Status PutAll(const Entries& entries) {
    for (const auto& [k, v] : entries) SV_RETURN_IF_ERROR(Put(k, v));
    return Status::OK();
  }
  // Finishes the file; an empty family has none, and nothing to ingest.
  Status Finish() {
    if (count_ == 0) return Status::OK();
    return FromRocks(writer_.Finish(), "cannot finish bulk-load file");
  }
  bool empty() const { return count_ == 0; }
  Cf cf() const { return cf_; }
  const std::string& file() const { return file_; }

 private:
  Cf cf_;
  std::string file_;
  rocksdb::SstFileWriter writer_;
  uint64_t count_ = 0;
};

// Counting sort by a dense node index, then a comparison sort of each
// node's (small) bucket: several times faster than one big sort. `node_of`
// gives an entry's node index in [0, nodes).
template <typename T, typename NodeOf, typename Less = std::less<T>>
void SortByNodeThenKey(std::vector<T>* entries, size_t nodes, NodeOf node_of, Less less = {}) {
  std::vector<uint32_t> start(nodes + 1, 0);
  for (const T& e : *entries) ++start[node_of(e) + 1];
  for (size_t v = 0; v < nodes; ++v) start[v + 1] += start[v];
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  std::vector<T> sorted(entries->size());
  for (T& e : *entries) sorted[next[node_of(e)]++] = std::move(e);
  for (size_t v = 0; v < nodes; ++v) {
    if (start[v + 1] - start[v] > 1) {
      std::sort(sorted.begin() + start[v], sorted.begin() + start[v + 1], less);
    }
  }
  entries->swap(sorted);
}

// The edges as given, in out-key order (src, type, dst, rank); equal keys
// stay in the order they were given.
std::vector<SortKey> BulkLoaderImpl::SortEdges() const {
  const uint32_t m = static_cast<uint32_t>(edges_.size());
  std::vector<SortKey> order(m);
  for (uint32_t i = 0; i < m; ++i) {
    const PendingEdge& e = edges_[i];
    order[i] = SortKey::Of(e.src, e.type, e.dst, e.rank, i);
  }
  SortByNodeThenKey(&order, nodes_.size(),
                    [&](const SortKey& k) { return k.w0 - first_node_id_; });
  return order;
}

void BulkLoaderImpl::DedupeEdges() {
  const uint32_t m = static_cast<uint32_t>(edges_.size());
  std::vector<SortKey> order = SortEdges();
  // Equal keys are one edge (an upsert): it keeps the id of its first
  // AddEdge and the fields of its last, as a transaction would.
  finals_.clear();
  std::vector<uint8_t> is_first(m, 0);
  std::vector<uint32_t> final_of_first(m);
  out_degree_.assign(nodes_.size(), 0);
  in_degree_.assign(nodes_.size(), 0);
  for (uint32_t i = 0; i < m;) {
    uint32_t j = i + 1;
    while (j < m && order[j].SameEdge(order[i])) ++j;
    const PendingEdge& e = edges_[order[j - 1].index];
    is_first[order[i].index] = 1;
    final_of_first[order[i].index] = static_cast<uint32_t>(finals_.size());
    finals_.push_back({e.src, e.dst, e.type, e.rank, 0, e.weight, e.valid_from, e.valid_to,
                       e.flags, order[j - 1].index});
    ++out_degree_[e.src - first_node_id_];
    ++in_degree_[e.dst - first_node_id_];
    i = j;
  }
  // Ids follow first appearance: number the first AddEdges in input order.
  by_id_.clear();
  by_id_.reserve(finals_.size());
  for (uint32_t i = 0; i < m; ++i) {
    if (!is_first[i]) continue;
    finals_[final_of_first[i]].id = counters_.next_edge_id + by_id_.size();
    by_id_.push_back(final_of_first[i]);
  }
}

EdgeHeader BulkLoaderImpl::HeaderOf(const FinalEdge& f) {
  EdgeHeader h;
  h.id = f.id;
  if (f.flags & kHasWeight) h.weight = f.weight;
  if (f.flags & kHasFrom) h.validity.from = Date{f.valid_from};
  if (f.flags & kHasTo) h.validity.to = Date{f.valid_to};
  return h;
}

Status BulkLoaderImpl::WriteOut(SstSink& out) const {
  std::string key, value;
  for (const FinalEdge& f : finals_) {
    const PendingEdge& e = edges_[f.last];
    std::span<const NodeId> sources(sources_arena_.data() + e.sources_off, e.sources_len);
    std::string_view props(props_arena_.data() + e.props_off, e.props_len);
    EncodeAdjKeyTo({f.src, f.type, f.dst, f.rank}, &key);
    EncodeOutValueTo(HeaderOf(f), counters_.next_batch_id, sources, props, &value);
    SV_RETURN_IF_ERROR(out.Put(key, value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteIn(SstSink& in) const {
  // Reordered copies of the distinct edges, so that writing reads memory in
  // order (reading them through indexes missed the cache on every edge).
  std::vector<FinalEdge> by_dst(finals_);
  SortByNodeThenKey(
      &by_dst, nodes_.size(), [&](const FinalEdge& f) { return f.dst - first_node_id_; },
      [](const FinalEdge& a, const FinalEdge& b) {
        return std::tie(a.type, a.src, a.rank) < std::tie(b.type, b.src, b.rank);
      });
  std::string key, value;
  for (const FinalEdge& f : by_dst) {
    EncodeAdjKeyTo({f.dst, f.type, f.src, f.rank}, &key);
    EncodeInValueTo(HeaderOf(f), &value);
    SV_RETURN_IF_ERROR(in.Put(key, value));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteEdgeIds(SstSink& ids) const {
  std::string key, value;
  for (uint32_t i : by_id_) {
    const FinalEdge& f = finals_[i];
    key.clear();
    PutFixed64BE(&key, f.id);
    EncodeAdjKeyTo({f.src, f.type, f.dst, f.rank}, &value);
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

Status BulkLoaderImpl::WriteNodes(SstSink& nodes, SstSink& dict, SstSink& names,
                                  SstSink& node_index) const {
  // Index entries are sorted as views and numbers, not as owned strings:
  // moving strings about dominated this step.
  std::vector<std::pair<std::string_view, NodeId>> by_key;
  std::vector<std::pair<std::string, NodeId>> by_name;
  std::vector<std::tuple<uint8_t, SymbolId, NodeId>> by_symbol;
  by_key.reserve(nodes_.size());
  by_symbol.reserve(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const NodeId id = first_node_id_ + i;
    const NodeRecord& rec = nodes_[i];
    SV_RETURN_IF_ERROR(nodes.Put(NodeKey(id), EncodeNode(rec)));
    by_key.emplace_back(rec.key, id);
    SV_ASSIGN_OR_RETURN(std::set<std::string> folded, FoldedNames(rec));
    for (auto& f : folded) by_name.emplace_back(std::move(const_cast<std::string&>(f)), id);
    by_symbol.emplace_back(static_cast<uint8_t>(SymbolSpace::kKind), rec.kind, id);
    if (rec.sector != 0) by_symbol.emplace_back(static_cast<uint8_t>(SymbolSpace::kSector), rec.sector, id);
  }
  std::sort(by_key.begin(), by_key.end());
  std::sort(by_name.begin(), by_name.end());
  std::sort(by_symbol.begin(), by_symbol.end());
  for (const auto& [key, id] : by_key) SV_RETURN_IF_ERROR(dict.Put(key, NodeKey(id)));
  for (const auto& [folded, id] : by_name) SV_RETURN_IF_ERROR(names.Put(NameKey(folded, id), ""));
  for (const auto& [space, sym, id] : by_symbol) {
    SV_RETURN_IF_ERROR(
        node_index.Put(NodeIndexKey(static_cast<SymbolSpace>(space), sym, id), ""));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteMeta(SstSink& meta_sink, const Counters& next) const {
  Entries entries = {
      {std::string(meta::kNextNodeId), Fixed64(next.next_node_id)},
      {std::string(meta::kNextEdgeId), Fixed64(next.next_edge_id)},
      {std::string(meta::kNextBatchId), Fixed64(next.next_batch_id)},
      {std::string(meta::kNodeCount), Fixed64(nodes_.size())},
      {std::string(meta::kEdgeCount), Fixed64(finals_.size())},
  };
  nlohmann::json record = {
      {"label", label_},
      {"bulk", true},
      {"committed_at", std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count()}};
  entries.emplace_back(meta::Batch(counters_.next_batch_id),
                       record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  for (auto& kv : symbols_.Entries()) entries.push_back(std::move(kv));
  SortEntries(&entries);
  return meta_sink.PutAll(entries);
}

Status BulkLoaderImpl::Finish() {
  SV_RETURN_IF_ERROR(CheckOpen());
  if (edges_.size() >= UINT32_MAX) {
    End();
    return Status::NotSupported("a bulk load takes at most 2^32-1 edges; split the file");
  }
  const RocksStore& store = db_->store();
  const std::string dir = fmt::format("{}/bulk-load-{}", store.path(), getpid());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    End();
    return Status::IOError(fmt::format("cannot create '{}': {}", dir, ec.message()));
  }
  Status result = WriteAndIngest(dir);
  std::filesystem::remove_all(dir, ec);
  return result;
}

Status BulkLoaderImpl::WriteAndIngest(const std::string& dir) {
  const RocksStore& store = db_->store();
  std::vector<std::unique_ptr<SstSink>> sinks;
  for (int cf = 0; cf < kCfCount; ++cf) {
    sinks.push_back(std::make_unique<SstSink>(
        store, static_cast<Cf>(cf), fmt::format("{}/{}.sst", dir, kCfNames[cf])));
  }
  auto sink = [&](Cf cf) -> SstSink& { return *sinks[cf]; };

  // Three threads for two cores, so that neither core waits: the nodes with
  // their indexes, the in-family, and (on this thread) the out-family, edge
  // ids and degrees; the last two once duplicates are folded.
  Counters next = counters_;
  next.next_node_id = first_node_id_ + nodes_.size();
  next.next_batch_id = counters_.next_batch_id + 1;
  auto nodes_done = std::async(std::launch::async, [&]() -> Status {
    return WriteNodes(sink(kNodes), sink(kDict), sink(kNames), sink(kNodeIndex));
  });
  DedupeEdges();
  next.next_edge_id = counters_.next_edge_id + finals_.size();
  auto in_done = std::async(std::launch::async, [&] {
    return WriteIn(sink(kIn));
  });
  Status result = WriteOut(sink(kOut));
  if (result.ok()) result = WriteEdgeIds(sink(kEdges));
  if (result.ok()) result = WriteDegrees(sink(kDegree));
  if (result.ok()) result = WriteMeta(sink(kMeta), next);
  for (auto* task : {&in_done, &nodes_done}) {
    Status s = task->get();
    if (result.ok()) result = s;
  }
  for (auto& s : sinks) {
    if (result.ok()) result = s->Finish();
  }
  if (!result.ok()) {
    End();
    return result;
  }

  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& s : sinks) {
    if (s->empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store.cf(s->cf());
    arg.external_files = {s->file()};
    arg.options.move_files = true;
    args.push_back(std::move(arg));
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
