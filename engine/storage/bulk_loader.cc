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
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

void SortEntries(Entries* e) {
  std::sort(e->begin(), e->end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

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

void BulkLoaderImpl::DedupeEdges() {
  const uint32_t m = static_cast<uint32_t>(edges_.size());
  std::vector<SortKey> order(m);
  for (uint32_t i = 0; i < m; ++i) {
    const PendingEdge& e = edges_[i];
    order[i] = SortKey::Of(e.src, e.type, e.dst, e.rank, i);
  }
  std::sort(order.begin(), order.end());
  // Equal keys are one edge (an upsert): it keeps the id of its first
  // AddEdge and the fields of its last, as a transaction would.
  uniques_.clear();
  for (uint32_t i = 0; i < m;) {
    uint32_t j = i + 1;
    while (j < m && order[j].SameEdge(order[i])) ++j;
    uniques_.push_back({order[i].index, order[j - 1].index});
    i = j;
  }
  // Ids follow first appearance.
  by_first_.resize(uniques_.size());
  std::iota(by_first_.begin(), by_first_.end(), 0u);
  std::sort(by_first_.begin(), by_first_.end(),
            [&](uint32_t a, uint32_t b) { return uniques_[a].first < uniques_[b].first; });
  edge_id_.resize(uniques_.size());
  for (size_t r = 0; r < by_first_.size(); ++r) edge_id_[by_first_[r]] = counters_.next_edge_id + r;
}

EdgeHeader BulkLoaderImpl::HeaderOf(uint32_t u) const {
  const PendingEdge& e = edges_[uniques_[u].last];
  EdgeHeader h;
  h.id = edge_id_[u];
  if (e.flags & kHasWeight) h.weight = e.weight;
  if (e.flags & kHasFrom) h.validity.from = Date{e.valid_from};
  if (e.flags & kHasTo) h.validity.to = Date{e.valid_to};
  return h;
}

std::string BulkLoaderImpl::OutKeyOf(uint32_t u) const {
  const PendingEdge& e = edges_[uniques_[u].last];
  return EncodeAdjKey({e.src, e.type, e.dst, e.rank});
}

Status BulkLoaderImpl::WriteOut(SstSink& out, std::vector<uint64_t>* out_degree,
                                std::vector<uint64_t>* in_degree) const {
  EdgeTail tail;
  tail.batch = counters_.next_batch_id;
  for (uint32_t u = 0; u < uniques_.size(); ++u) {
    const PendingEdge& e = edges_[uniques_[u].last];
    tail.sources.assign(sources_arena_.begin() + static_cast<ptrdiff_t>(e.sources_off),
                        sources_arena_.begin() + static_cast<ptrdiff_t>(e.sources_off + e.sources_len));
    tail.props.assign(props_arena_, e.props_off, e.props_len);
    SV_RETURN_IF_ERROR(out.Put(OutKeyOf(u), EncodeOutValue(HeaderOf(u), tail)));
    ++(*out_degree)[e.src - first_node_id_];
    ++(*in_degree)[e.dst - first_node_id_];
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteIn(SstSink& in) const {
  std::vector<SortKey> order(uniques_.size());
  for (uint32_t u = 0; u < uniques_.size(); ++u) {
    const PendingEdge& e = edges_[uniques_[u].last];
    order[u] = SortKey::Of(e.dst, e.type, e.src, e.rank, u);
  }
  std::sort(order.begin(), order.end());
  for (const SortKey& k : order) {
    const PendingEdge& e = edges_[uniques_[k.index].last];
    SV_RETURN_IF_ERROR(
        in.Put(EncodeAdjKey({e.dst, e.type, e.src, e.rank}), EncodeInValue(HeaderOf(k.index))));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteEdgeIds(SstSink& ids) const {
  for (uint32_t u : by_first_) SV_RETURN_IF_ERROR(ids.Put(EdgeIdKey(edge_id_[u]), OutKeyOf(u)));
  return Status::OK();
}

Status BulkLoaderImpl::WriteNodes(SstSink& nodes, SstSink& dict, SstSink& names,
                                  SstSink& node_index, SstSink& degree,
                                  const std::vector<uint64_t>& out_degree,
                                  const std::vector<uint64_t>& in_degree) const {
  Entries dict_entries, name_entries, index_entries;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const NodeId id = first_node_id_ + i;
    const NodeRecord& rec = nodes_[i];
    const std::string key = NodeKey(id);
    SV_RETURN_IF_ERROR(nodes.Put(key, EncodeNode(rec)));
    if (out_degree[i] != 0 || in_degree[i] != 0) {
      SV_RETURN_IF_ERROR(degree.Put(key, Fixed64(out_degree[i]) + Fixed64(in_degree[i])));
    }
    dict_entries.emplace_back(rec.key, key);
    SV_ASSIGN_OR_RETURN(std::set<std::string> folded, FoldedNames(rec));
    for (const auto& f : folded) name_entries.emplace_back(NameKey(f, id), "");
    index_entries.emplace_back(NodeIndexKey(SymbolSpace::kKind, rec.kind, id), "");
    if (rec.sector != 0) {
      index_entries.emplace_back(NodeIndexKey(SymbolSpace::kSector, rec.sector, id), "");
    }
  }
  for (auto [entries, sink] : {std::pair{&dict_entries, &dict}, std::pair{&name_entries, &names},
                               std::pair{&index_entries, &node_index}}) {
    SortEntries(entries);
    SV_RETURN_IF_ERROR(sink->PutAll(*entries));
  }
  return Status::OK();
}

Status BulkLoaderImpl::WriteMeta(SstSink& meta_sink, const Counters& next) const {
  Entries entries = {
      {std::string(meta::kNextNodeId), Fixed64(next.next_node_id)},
      {std::string(meta::kNextEdgeId), Fixed64(next.next_edge_id)},
      {std::string(meta::kNextBatchId), Fixed64(next.next_batch_id)},
      {std::string(meta::kNodeCount), Fixed64(nodes_.size())},
      {std::string(meta::kEdgeCount), Fixed64(uniques_.size())},
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

  DedupeEdges();
  Counters next = counters_;
  next.next_node_id = first_node_id_ + nodes_.size();
  next.next_edge_id = counters_.next_edge_id + uniques_.size();
  next.next_batch_id = counters_.next_batch_id + 1;

  // Two threads, for the two cores this is sized for: the in-family's sort
  // and file on one, everything else on the other.
  auto in_done = std::async(std::launch::async, [&] { return WriteIn(sink(kIn)); });
  std::vector<uint64_t> out_degree(nodes_.size()), in_degree(nodes_.size());
  Status result = WriteOut(sink(kOut), &out_degree, &in_degree);
  if (result.ok()) result = WriteEdgeIds(sink(kEdges));
  if (result.ok()) {
    result = WriteNodes(sink(kNodes), sink(kDict), sink(kNames), sink(kNodeIndex), sink(kDegree),
                        out_degree, in_degree);
  }
  if (result.ok()) result = WriteMeta(sink(kMeta), next);
  Status in_result = in_done.get();
  if (result.ok()) result = in_result;
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
