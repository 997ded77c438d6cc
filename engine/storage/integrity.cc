// The integrity check: every derived structure must agree with the records
// it is derived from. It reads one snapshot, so it may run beside writers.
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "samverkan/text.h"
#include "samverkan/write_handoff.h"
#include "storage/change_log.h"
#include "storage/coding.h"
#include "storage/inputs.h"
#include "storage/db_impl.h"
#include "storage/keys.h"
#include "storage/records.h"

namespace samverkan::storage {
namespace {

class Checker {
 public:
  Checker(const RocksStore& store, const SymbolTable& symbols, size_t max_problems)
      : store_(store),
        symbols_(symbols),
        snapshot_(store.read_only() ? nullptr : store.db()->GetSnapshot()),
        reader_(&store, snapshot_),
        max_(max_problems) {}
  ~Checker() {
    if (snapshot_) store_.db()->ReleaseSnapshot(snapshot_);
  }

  Result<IntegrityReport> Run() {
    SV_RETURN_IF_ERROR(ReadCounters());
    SV_RETURN_IF_ERROR(CheckNodes());
    SV_RETURN_IF_ERROR(CheckDict());
    SV_RETURN_IF_ERROR(CheckNames());
    SV_RETURN_IF_ERROR(CheckNodeIndex());
    SV_RETURN_IF_ERROR(CheckOut());
    SV_RETURN_IF_ERROR(CheckIn());
    SV_RETURN_IF_ERROR(CheckEdgeIds());
    SV_RETURN_IF_ERROR(CheckChangeLog());
    SV_RETURN_IF_ERROR(CheckDegrees());
    CheckCounts();
    return std::move(report_);
  }

 private:
  template <typename... Args>
  void Problem(fmt::format_string<Args...> f, Args&&... args) {
    if (report_.problems.size() >= max_) {
      report_.truncated = true;
      return;
    }
    report_.problems.push_back(fmt::format(f, std::forward<Args>(args)...));
  }

  Status Scanned(const rocksdb::Iterator& it, std::string_view family) {
    return it.status().ok() ? Status::OK()
                            : FromRocks(it.status(), fmt::format("cannot scan {}", family));
  }

  Status ReadCounters() {
    SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextNodeId, &next_node_));
    SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextEdgeId, &next_edge_));
    SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNodeCount, &node_count_));
    SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kEdgeCount, &edge_count_));
    SV_RETURN_IF_ERROR(ReadMetaCounter(reader_, meta::kNextBatchId, &next_batch_));
    edge_seen_.assign(next_edge_, false);
    return Status::OK();
  }

  bool KnownSymbol(SymbolSpace space, SymbolId id) {
    return !symbols_.Name(space, id).empty();
  }

  Status CheckNodes() {
    auto it = reader_.Scan(kNodes, {}, {});
    for (; it->Valid(); it->Next()) {
      if (it->key().size() != kNodeIdSize) {
        Problem("nodes: key of {} bytes", it->key().size());
        continue;
      }
      NodeId id = DecodeNodeKey(it->key().ToStringView());
      NodeRecord rec;
      if (!DecodeNode(it->value().ToStringView(), &rec)) {
        Problem("node {}: record does not decode", id);
        continue;
      }
      ++report_.nodes_checked;
      if (id >= next_node_) Problem("node {}: id not below next_node_id {}", id, next_node_);
      if (!KnownSymbol(SymbolSpace::kKind, rec.kind)) Problem("node {}: unknown kind {}", id, rec.kind);
      if (rec.sector != 0 && !KnownSymbol(SymbolSpace::kSector, rec.sector)) {
        Problem("node {}: unknown sector {}", id, rec.sector);
      }
      std::string v;
      rocksdb::Status s = reader_.Get(kDict, rec.key, &v);
      if (!s.ok() || v.size() != kNodeIdSize || DecodeNodeKey(v) != id) {
        Problem("node {}: dictionary does not map '{}' to it", id, rec.key);
      }
      auto names = FoldedNames(rec);
      if (!names.ok()) {
        Problem("node {}: {}", id, names.status().message());
        continue;
      }
      std::set<std::string> folded = std::move(*names);
      for (const auto& f : folded) {
        if (!reader_.Get(kNames, NameKey(f, id), &v).ok()) {
          Problem("node {}: name index lacks '{}'", id, f);
        }
      }
      if (!reader_.Get(kNodeIndex, NodeIndexKey(SymbolSpace::kKind, rec.kind, id), &v).ok()) {
        Problem("node {}: kind index lacks it", id);
      }
      if (rec.sector != 0 &&
          !reader_.Get(kNodeIndex, NodeIndexKey(SymbolSpace::kSector, rec.sector, id), &v).ok()) {
        Problem("node {}: sector index lacks it", id);
      }
      nodes_.emplace(id, NodeFacts{rec.kind, rec.sector, std::move(folded)});
    }
    return Scanned(*it, "nodes");
  }

  Status CheckDict() {
    auto it = reader_.Scan(kDict, {}, {});
    for (; it->Valid(); it->Next()) {
      if (it->value().size() != kNodeIdSize) {
        Problem("dictionary: '{}' maps to a value of {} bytes", it->key().ToStringView(),
                it->value().size());
        continue;
      }
      NodeId id = DecodeNodeKey(it->value().ToStringView());
      if (!nodes_.count(id)) {
        Problem("dictionary: '{}' maps to missing node {}", it->key().ToStringView(), id);
      }
    }
    return Scanned(*it, "dictionary");
  }

  Status CheckNames() {
    auto it = reader_.Scan(kNames, {}, {});
    for (; it->Valid(); it->Next()) {
      std::string_view folded;
      auto id = NameKeyNode(it->key().ToStringView(), &folded);
      if (!id) {
        Problem("name index: malformed key");
        continue;
      }
      auto node = nodes_.find(*id);
      if (node == nodes_.end()) {
        Problem("name index: '{}' names missing node {}", folded, *id);
      } else if (!node->second.folded.count(std::string(folded))) {
        Problem("name index: '{}' is not a name of node {}", folded, *id);
      }
    }
    return Scanned(*it, "name index");
  }

  Status CheckNodeIndex() {
    auto it = reader_.Scan(kNodeIndex, {}, {});
    for (; it->Valid(); it->Next()) {
      rocksdb::Slice k = it->key();
      if (k.size() != kNodeIndexPrefixSize + kNodeIdSize) {
        Problem("node index: key of {} bytes", k.size());
        continue;
      }
      auto space = static_cast<SymbolSpace>(k[0]);
      SymbolId sym = DecodeFixed32BE(k.data() + 1);
      NodeId id = DecodeNodeKey(std::string_view(k.data() + kNodeIndexPrefixSize, 8));
      auto node = nodes_.find(id);
      SymbolId have = 0;
      if (node != nodes_.end()) {
        have = space == SymbolSpace::kKind ? node->second.kind
               : space == SymbolSpace::kSector ? node->second.sector
                                               : 0;
      }
      if (have != sym) {
        Problem("node index: node {} listed under {} {} it does not have", id,
                static_cast<char>(space), sym);
      }
    }
    return Scanned(*it, "node index");
  }

  Status CheckOut() {
    auto it = reader_.Scan(kOut, {}, {});
    for (; it->Valid(); it->Next()) {
      if (it->key().size() != kEdgeKeySize) {
        Problem("out: key of {} bytes", it->key().size());
        continue;
      }
      AdjKey a = DecodeAdjKey(it->key().ToStringView());
      EdgeHeader h;
      EdgeTail t;
      if (!DecodeOutValue(it->value().ToStringView(), &h, &t)) {
        Problem("edge {} -{}-> {}: out record does not decode", a.node, a.type, a.other);
        continue;
      }
      ++report_.edges_checked;
      ++out_entries_;
      if (h.id >= next_edge_) Problem("edge {}: id not below next_edge_id {}", h.id, next_edge_);
      if (!nodes_.count(a.node)) Problem("edge {}: source node {} is missing", h.id, a.node);
      if (!nodes_.count(a.other)) Problem("edge {}: target node {} is missing", h.id, a.other);
      if (!KnownSymbol(SymbolSpace::kEdgeType, a.type)) {
        Problem("edge {}: unknown type {}", h.id, a.type);
      }
      std::string v;
      EdgeHeader in_header;
      if (!reader_.Get(kIn, EncodeAdjKey({a.other, a.type, a.node, a.rank}), &v).ok()) {
        Problem("edge {}: no in-entry", h.id);
      } else if (!DecodeEdgeHeader(v, &in_header) || !(in_header == h)) {
        Problem("edge {}: in-entry disagrees with out-entry", h.id);
      }
      if (!reader_.Get(kEdges, EdgeIdKey(h.id), &v).ok() ||
          v != it->key().ToStringView()) {
        Problem("edge {}: edge-id index does not point at it", h.id);
      }
      if (h.id < next_edge_) {
        if (edge_seen_[h.id]) Problem("edge {}: id used twice", h.id);
        edge_seen_[h.id] = true;
      }
      degrees_[a.node].out++;
      degrees_[a.other].in++;
    }
    return Scanned(*it, "out-adjacency");
  }

  Status CheckIn() {
    auto it = reader_.Scan(kIn, {}, {});
    for (; it->Valid(); it->Next()) {
      if (it->key().size() != kEdgeKeySize) {
        Problem("in: key of {} bytes", it->key().size());
        continue;
      }
      AdjKey a = DecodeAdjKey(it->key().ToStringView());
      std::string v;
      if (!reader_.Get(kOut, EncodeAdjKey({a.other, a.type, a.node, a.rank}), &v).ok()) {
        Problem("edge {} -{}-> {}: in-entry without out-entry", a.other, a.type, a.node);
      }
    }
    return Scanned(*it, "in-adjacency");
  }

  Status CheckEdgeIds() {
    auto it = reader_.Scan(kEdges, {}, {});
    for (; it->Valid(); it->Next()) {
      if (it->key().size() != 8) {
        Problem("edge-id index: key of {} bytes", it->key().size());
        continue;
      }
      EdgeId id = DecodeNodeKey(it->key().ToStringView());
      if (id >= edge_seen_.size() || !edge_seen_[id]) Problem("edge-id index: edge {} has no out-entry", id);
    }
    return Scanned(*it, "edge-id index");
  }

  Status CheckDegrees() {
    auto it = reader_.Scan(kDegree, {}, {});
    std::set<NodeId> seen;
    for (; it->Valid(); it->Next()) {
      if (it->key().size() != 8 || it->value().size() != 16) {
        Problem("degree: malformed entry");
        continue;
      }
      NodeId id = DecodeNodeKey(it->key().ToStringView());
      Degree stored{DecodeFixed64BE(it->value().data()), DecodeFixed64BE(it->value().data() + 8)};
      Degree counted = degrees_.count(id) ? degrees_[id] : Degree{};
      if (stored.out != counted.out || stored.in != counted.in) {
        Problem("node {}: degree counter says {} out / {} in, adjacency has {} / {}", id,
                stored.out, stored.in, counted.out, counted.in);
      }
      if (!nodes_.count(id)) Problem("degree: counter for missing node {}", id);
      seen.insert(id);
    }
    for (const auto& [id, counted] : degrees_) {
      if (!seen.count(id) && counted.total() != 0) {
        Problem("node {}: no degree counter, adjacency has {} out / {} in", id, counted.out,
                counted.in);
      }
    }
    return Scanned(*it, "degree counters");
  }

  // The change log (storage/change_log.h): every record decodes, belongs to
  // a committed batch, names ids the graph has given out, and the newest
  // one, which no later commit can have overwritten, agrees with the graph.
  Status CheckChangeLog() {
    const std::string prefix(meta::kChangesPrefix);
    auto it = reader_.ScanPrefix(kMeta, prefix);
    uint64_t newest = 0;
    std::optional<ChangeRecord> newest_record;
    for (; it->Valid(); it->Next()) {
      std::string_view key = it->key().ToStringView();
      if (key.size() != prefix.size() + 8) {
        Problem("change log: key of {} bytes", key.size());
        continue;
      }
      const uint64_t batch = DecodeFixed64BE(key.data() + prefix.size());
      auto record = DecodeChangeRecord(it->value().ToStringView());
      if (!record) {
        Problem("change log: the record of batch {} does not decode", batch);
        continue;
      }
      std::string v;
      if (batch == 0 || batch >= next_batch_) {
        Problem("change log: a record of batch {}, which is not committed (next batch {})", batch,
                next_batch_);
        continue;
      }
      if (!reader_.Get(kMeta, meta::Batch(batch), &v).ok()) {
        Problem("change log: a record of batch {}, which has no batch record", batch);
      }
      for (const auto& n : record->changes.nodes) {
        if (n.id == 0 || n.id >= next_node_) {
          Problem("change log: batch {} names node {}, not below next_node_id {}", batch, n.id,
                  next_node_);
        }
      }
      for (const auto& e : record->changes.edges) {
        if (!e.removed && (e.edge.id == 0 || e.edge.id >= next_edge_)) {
          Problem("change log: batch {} names edge {}, not below next_edge_id {}", batch,
                  e.edge.id, next_edge_);
        }
      }
      ++report_.change_records_checked;
      if (batch > newest) {
        newest = batch;
        newest_record = std::move(record);
      }
    }
    SV_RETURN_IF_ERROR(Scanned(*it, "the change log"));
    if (newest_record && newest_record->known && newest == next_batch_ - 1) {
      const size_t before = report_.problems.size();
      CheckNewestChanges(newest, *newest_record);
      report_.latest_change_record_agrees = report_.problems.size() == before;
    }
    return Status::OK();
  }

  void CheckNewestChanges(uint64_t batch, const ChangeRecord& record) {
    std::string v;
    for (const auto& n : record.changes.nodes) {
      NodeRecord rec;
      const bool found = reader_.Get(kNodes, NodeKey(n.id), &v).ok() && DecodeNode(v, &rec);
      if (n.removed ? found : (!found || rec.kind != n.kind || rec.sector != n.sector)) {
        Problem("change log: batch {} (the latest) says node {} was {}, the graph disagrees",
                batch, n.id, n.removed ? "removed" : "written");
      }
    }
    for (const auto& e : record.changes.edges) {
      const AdjKey key{e.edge.src, e.edge.type, e.edge.dst, e.edge.rank};
      EdgeHeader h;
      const bool found = reader_.Get(kOut, EncodeAdjKey(key), &v).ok() && DecodeEdgeHeader(v, &h);
      const EdgeHeader want{e.edge.id, e.edge.weight, e.edge.validity};
      if (e.removed ? found : (!found || !(h == want))) {
        Problem("change log: batch {} (the latest) says edge {} -> {} was {}, the graph disagrees",
                batch, e.edge.src, e.edge.dst, e.removed ? "removed" : "written");
      }
    }
  }

  void CheckCounts() {
    if (node_count_ != nodes_.size()) {
      Problem("graph counts {} nodes, records hold {}", node_count_, nodes_.size());
    }
    if (edge_count_ != out_entries_) {
      Problem("graph counts {} edges, adjacency holds {}", edge_count_, out_entries_);
    }
  }

  struct NodeFacts {
    SymbolId kind;
    SymbolId sector;
    std::set<std::string> folded;
  };

  const RocksStore& store_;
  const SymbolTable& symbols_;
  const rocksdb::Snapshot* snapshot_;
  DbReader reader_;
  size_t max_;
  IntegrityReport report_;
  uint64_t next_node_ = 0, next_edge_ = 0, next_batch_ = 0, node_count_ = 0, edge_count_ = 0,
           out_entries_ = 0;
  std::unordered_map<NodeId, NodeFacts> nodes_;
  std::unordered_map<NodeId, Degree> degrees_;
  std::vector<bool> edge_seen_;  // by edge id, below next_edge_id
};

}  // namespace

Result<IntegrityReport> DbImpl::CheckIntegrity(size_t max_problems) const {
  Checker checker(*store_, symbols_, max_problems);
  SV_ASSIGN_OR_RETURN(IntegrityReport report, checker.Run());
  // The snapshot files, every block of each. A read-only open is current
  // unless another process holds write access (and may have committed).
  if (auto now = StampOf(LatestSequence())) {
    const bool current = !read_only() || !WriteAccessHolder(path());
    snapshot_files_.Check(*now, current, &report.problems, &report.notes);
  }
  return report;
}

}  // namespace samverkan::storage
