#include "storage/view_core.h"

#include <fmt/format.h>

#include "samverkan/text.h"
#include "storage/coding.h"
#include "storage/cursors.h"
#include "storage/keys.h"

namespace samverkan::storage {

Node ViewCore::ToNode(NodeId id, NodeRecord rec) const {
  Node n;
  n.id = id;
  n.key = std::move(rec.key);
  n.kind = std::string(symbols_->Name(SymbolSpace::kKind, rec.kind));
  n.name = std::move(rec.name);
  if (rec.sector != 0) n.sector = std::string(symbols_->Name(SymbolSpace::kSector, rec.sector));
  n.aliases = std::move(rec.aliases);
  n.props = PropsOrEmptyObject(std::move(rec.props));
  n.sources = std::move(rec.sources);
  n.batch = rec.batch;
  return n;
}

Result<std::optional<NodeRecord>> ViewCore::ReadNodeRecord(NodeId id) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kNodes, NodeKey(id), &v);
  if (s.IsNotFound()) return std::optional<NodeRecord>();
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read node {}", id));
  NodeRecord rec;
  if (!DecodeNode(v, &rec)) return Status::Corruption(fmt::format("malformed node record {}", id));
  return std::optional<NodeRecord>(std::move(rec));
}

Result<Node> ViewCore::GetNode(NodeId id) const {
  SV_ASSIGN_OR_RETURN(std::optional<NodeRecord> rec, ReadNodeRecord(id));
  if (!rec) return Status::NotFound(fmt::format("unknown node id {}", id));
  return ToNode(id, std::move(*rec));
}

Result<std::optional<NodeId>> ViewCore::LookupKey(std::string_view key) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kDict, key, &v);
  if (s.IsNotFound()) return std::optional<NodeId>();
  if (!s.ok()) return FromRocks(s, fmt::format("cannot look up node '{}'", key));
  if (v.size() != kNodeIdSize) {
    return Status::Corruption(fmt::format("malformed dictionary entry for '{}'", key));
  }
  return std::optional<NodeId>(DecodeNodeKey(v));
}

Result<NodeId> ViewCore::FindKey(std::string_view key) const {
  SV_ASSIGN_OR_RETURN(std::optional<NodeId> id, LookupKey(key));
  if (!id) return Status::NotFound(fmt::format("unknown node '{}'", key));
  return *id;
}

Result<std::vector<NodeId>> ViewCore::FindByName(std::string_view name) const {
  SV_ASSIGN_OR_RETURN(std::string folded, FoldName(name));
  std::vector<NodeId> ids;
  if (folded.empty()) return ids;
  auto it = reader_->ScanPrefix(kNames, NamePrefix(folded));
  for (; it->Valid(); it->Next()) {
    auto id = NameKeyNode(it->key().ToStringView(), nullptr);
    if (!id) return Status::Corruption("malformed name index key");
    // A node indexed under both its name and an alias that fold alike has
    // one key per distinct folded text, so no duplicates arise here.
    ids.push_back(*id);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "cannot scan names");
  return ids;
}

std::unique_ptr<NodeCursor> ViewCore::Nodes(const NodeFilter& filter) const {
  std::optional<SymbolId> kind, sector;
  if (filter.kind) {
    kind = symbols_->Find(SymbolSpace::kKind, *filter.kind);
    if (!kind) return NewEmptyNodeCursor();
  }
  if (filter.sector) {
    sector = symbols_->Find(SymbolSpace::kSector, *filter.sector);
    if (!sector) return NewEmptyNodeCursor();
  }
  if (sector) {
    return NewNodeIndexScan(*this, SymbolSpace::kSector, *sector, SymbolSpace::kKind,
                            kind.value_or(0));
  }
  if (kind) return NewNodeIndexScan(*this, SymbolSpace::kKind, *kind, SymbolSpace::kKind, 0);
  return NewNodeScan(*this);
}

std::unique_ptr<EdgeCursor> ViewCore::Edges(NodeId node, Direction dir,
                                            std::optional<SymbolId> type) const {
  return NewAdjacencyCursor(*this, node, dir, type);
}

std::unique_ptr<EdgeCursor> ViewCore::AllEdges() const { return NewAllEdgesCursor(*this); }

Result<Edge> ViewCore::LoadEdge(std::string_view out_key) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kOut, out_key, &v);
  AdjKey a = DecodeAdjKey(out_key);
  if (s.IsNotFound()) {
    return Status::NotFound(fmt::format("no edge {} -{}-> {}", a.node, a.type, a.other));
  }
  if (!s.ok()) return FromRocks(s, "cannot read edge");
  EdgeHeader h;
  EdgeTail t;
  if (!DecodeOutValue(v, &h, &t)) return Status::Corruption("malformed edge record");
  return Edge{h.id,
              a.node,
              std::string(symbols_->EdgeTypeName(a.type)),
              a.other,
              a.rank,
              h.weight,
              h.validity,
              PropsOrEmptyObject(std::move(t.props)),
              std::move(t.sources),
              t.batch};
}

Result<std::optional<std::string>> ViewCore::OutKeyOf(EdgeId id) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kEdges, EdgeIdKey(id), &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read edge {}", id));
  if (v.size() != kEdgeKeySize) {
    return Status::Corruption(fmt::format("malformed edge index entry {}", id));
  }
  return std::optional<std::string>(std::move(v));
}

Result<Edge> ViewCore::GetEdge(EdgeId id) const {
  SV_ASSIGN_OR_RETURN(std::optional<std::string> key, OutKeyOf(id));
  if (!key) return Status::NotFound(fmt::format("unknown edge id {}", id));
  return LoadEdge(*key);
}

Result<std::optional<EdgeId>> ViewCore::FindEdge(NodeId src, SymbolId type, NodeId dst,
                                                 uint32_t rank) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kOut, EncodeAdjKey({src, type, dst, rank}), &v);
  if (s.IsNotFound()) return std::optional<EdgeId>();
  if (!s.ok()) return FromRocks(s, "cannot read edge");
  EdgeHeader h;
  if (!DecodeEdgeHeader(v, &h)) return Status::Corruption("malformed edge record");
  return std::optional<EdgeId>(h.id);
}

Result<Degree> ViewCore::GetDegree(NodeId id) const {
  std::string v;
  rocksdb::Status s = reader_->Get(kDegree, NodeKey(id), &v);
  if (s.IsNotFound()) return Degree{};
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read degree of node {}", id));
  if (v.size() != 16) return Status::Corruption(fmt::format("malformed degree of node {}", id));
  return Degree{DecodeFixed64BE(v.data()), DecodeFixed64BE(v.data() + 8)};
}

Result<uint64_t> ViewCore::CountNodes(SymbolSpace space, SymbolId symbol, uint64_t limit) const {
  if (space == SymbolSpace::kEdgeType) {
    return Status::InvalidArgument("nodes are counted by kind or sector, not by edge type");
  }
  uint64_t n = 0;
  auto it = reader_->ScanPrefix(kNodeIndex, NodeIndexPrefix(space, symbol));
  for (; it->Valid() && n < limit; it->Next()) ++n;
  if (!it->status().ok()) return FromRocks(it->status(), "cannot scan node index");
  return n;
}

Result<uint64_t> ViewCore::CountKeys(std::string_view prefix, uint64_t limit) const {
  uint64_t n = 0;
  auto it = reader_->ScanPrefix(kDict, prefix);
  for (; it->Valid() && n < limit; it->Next()) ++n;
  if (!it->status().ok()) return FromRocks(it->status(), "cannot scan the key dictionary");
  return n;
}

Result<GraphCounts> ViewCore::Counts() const {
  GraphCounts c;
  SV_RETURN_IF_ERROR(ReadMetaCounter(*reader_, meta::kNodeCount, &c.nodes));
  SV_RETURN_IF_ERROR(ReadMetaCounter(*reader_, meta::kEdgeCount, &c.edges));
  return c;
}

}  // namespace samverkan::storage
