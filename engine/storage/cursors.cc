#include "storage/cursors.h"

#include <fmt/format.h>

#include "storage/keys.h"

namespace samverkan::storage {
namespace {

// Checks that a scan of the whole graph read as many records as the graph
// counts. The counters are written in the same batch (or ingestion) as the
// records, so every committed state agrees with them; a scan that reads a
// different number read a damaged graph. This is what catches a missing
// data file on a read-only open: RocksDB's secondary instance then serves
// the newest state whose files all exist, silently older for that family,
// and no read reports an error.
class FullScanCount {
 public:
  // Reads the counter around the creation of the scan by `make_iterator`.
  // Without a snapshot the state may change meanwhile (a commit, a refresh of
  // a read-only open); when the two readings differ the count is not checked.
  template <typename MakeIterator>
  std::unique_ptr<rocksdb::Iterator> Start(const ViewCore& view, std::string_view counter,
                                           std::string_view what,
                                           MakeIterator make_iterator) {
    const Reader& reader = view.reader();
    // A transaction's pending writes change the counters only at commit.
    if (!reader.commits_only()) return make_iterator();
    what_ = what;
    path_ = reader.store().path();
    uint64_t before = 0, after = 0;
    Status s = ReadMetaCounter(reader, counter, &before);
    auto it = make_iterator();
    if (s.ok() && reader.reads_snapshot()) {
      after = before;
    } else if (s.ok()) {
      s = ReadMetaCounter(reader, counter, &after);
    }
    check_ = s.ok() && before == after;
    expected_ = before;
    return it;
  }
  void Count() { ++seen_; }
  // At the end of the scan: OK, or Corruption naming what is missing.
  Status Finish() const {
    if (!check_ || seen_ == expected_) return Status::OK();
    return Status::Corruption(fmt::format(
        "graph '{}' is damaged: it counts {} {} but {} could be read (a data file may be "
        "missing or damaged); run `samverkan check`",
        path_, expected_, what_, seen_));
  }

 private:
  std::string_view what_;
  std::string path_;
  bool check_ = false;
  uint64_t expected_ = 0, seen_ = 0;
};

class EmptyNodeCursor final : public NodeCursor {
 public:
  bool Valid() const override { return false; }
  void Next() override {}
  const Node& node() const override { return node_; }
  Status status() const override { return Status::OK(); }

 private:
  Node node_;
};

// Shared by both node cursors: holds the current node and the error state.
class NodeCursorBase : public NodeCursor {
 public:
  bool Valid() const override { return valid_; }
  const Node& node() const override { return node_; }
  Status status() const override { return status_; }

 protected:
  void Fail(Status s) {
    status_ = std::move(s);
    valid_ = false;
  }
  Node node_;
  bool valid_ = false;
  Status status_;
};

class NodeScan final : public NodeCursorBase {
 public:
  explicit NodeScan(const ViewCore& view)
      : view_(view), it_(count_.Start(view, meta::kNodeCount, "nodes", [&] {
          return view.reader().Scan(kNodes, {}, {});
        })) {
    Load();
  }
  void Next() override {
    it_->Next();
    Load();
  }

 private:
  void Load() {
    valid_ = it_->Valid();
    if (!valid_) {
      if (!it_->status().ok()) return Fail(FromRocks(it_->status(), "cannot scan nodes"));
      if (Status s = count_.Finish(); !s.ok()) Fail(std::move(s));
      return;
    }
    count_.Count();
    NodeRecord rec;
    if (it_->key().size() != kNodeIdSize || !DecodeNode(it_->value().ToStringView(), &rec)) {
      return Fail(Status::Corruption("malformed node record"));
    }
    NodeId id = DecodeNodeKey(it_->key().ToStringView());
    node_ = view_.ToNode(id, std::move(rec));
  }

  const ViewCore& view_;
  FullScanCount count_;  // before it_, which its Start() makes
  std::unique_ptr<rocksdb::Iterator> it_;
};

class NodeIndexScan final : public NodeCursorBase {
 public:
  NodeIndexScan(const ViewCore& view, SymbolSpace space, SymbolId sym, SymbolSpace also_space,
                SymbolId also)
      : view_(view),
        it_(view.reader().ScanPrefix(kNodeIndex, NodeIndexPrefix(space, sym))),
        also_space_(also_space),
        also_(also) {
    Load();
  }
  void Next() override {
    it_->Next();
    Load();
  }

 private:
  void Load() {
    for (; it_->Valid(); it_->Next()) {
      rocksdb::Slice k = it_->key();
      if (k.size() != kNodeIndexPrefixSize + kNodeIdSize) {
        return Fail(Status::Corruption("malformed node index key"));
      }
      NodeId id = DecodeNodeKey(std::string_view(k.data() + kNodeIndexPrefixSize, 8));
      auto rec = view_.ReadNodeRecord(id);
      if (!rec.ok()) return Fail(rec.status());
      if (!rec->has_value()) {
        return Fail(Status::Corruption(fmt::format("node index names missing node {}", id)));
      }
      if (also_ != 0) {
        SymbolId have = also_space_ == SymbolSpace::kKind ? (*rec)->kind : (*rec)->sector;
        if (have != also_) continue;
      }
      node_ = view_.ToNode(id, std::move(**rec));
      valid_ = true;
      return;
    }
    valid_ = false;
    if (!it_->status().ok()) Fail(FromRocks(it_->status(), "cannot scan node index"));
  }

  const ViewCore& view_;
  std::unique_ptr<rocksdb::Iterator> it_;
  SymbolSpace also_space_;
  SymbolId also_;
};

// Walks the out-entries, then the in-entries, of one node (or of all nodes
// for AllEdges, which reads only the out family).
class AdjacencyCursor final : public EdgeCursor {
 public:
  AdjacencyCursor(const ViewCore& view, std::optional<NodeId> node, Direction dir,
                  std::optional<SymbolId> type)
      : view_(view), node_(node), dir_(dir), type_(type) {
    phase_ = dir == Direction::kIn ? kIn : kOut;
    StartPhase();
  }

  bool Valid() const override { return valid_; }
  void Next() override {
    it_->Next();
    Settle();
  }
  const EdgeRef& edge() const override { return edge_; }
  Result<Edge> Load() const override {
    if (phase_ == kOut) {
      EdgeHeader h;
      EdgeTail t;
      if (!DecodeOutValue(it_->value().ToStringView(), &h, &t)) {
        return Status::Corruption(fmt::format("malformed edge record {}", edge_.id));
      }
      return Edge{h.id,
                  edge_.src,
                  std::string(view_.schema().EdgeTypeName(edge_.type)),
                  edge_.dst,
                  edge_.rank,
                  h.weight,
                  h.validity,
                  PropsOrEmptyObject(std::move(t.props)),
                  std::move(t.sources),
                  t.batch};
    }
    return view_.LoadEdge(EncodeAdjKey({edge_.src, edge_.type, edge_.dst, edge_.rank}));
  }
  Result<RecordFields> Record() const override {
    // Only the out-value holds the tail; the in phase reads it by key.
    if (phase_ != kOut) return EdgeCursor::Record();
    RecordFields fields;
    if (!DecodeOutTail(it_->value().ToStringView(), &fields.batch, &sources_, &fields.props)) {
      return Status::Corruption(fmt::format("malformed edge record {}", edge_.id));
    }
    if (fields.props.empty()) fields.props = "{}";
    fields.sources = sources_;
    return fields;
  }
  Status status() const override { return status_; }

 private:
  enum Phase { kOut, kIn, kDone };

  void StartPhase() {
    Cf cf = phase_ == kOut ? storage::kOut : storage::kIn;
    if (!node_) {
      // Every edge: the out family holds one entry per edge.
      it_ = count_.Start(view_, meta::kEdgeCount, "edges",
                         [&] { return view_.reader().Scan(cf, {}, {}); });
    } else if (type_) {
      it_ = view_.reader().ScanPrefix(cf, AdjPrefix(*node_, *type_));
    } else {
      it_ = view_.reader().ScanPrefix(cf, AdjPrefix(*node_));
    }
    Settle();
  }

  // Positions on the next entry to yield, moving to the next phase as needed.
  void Settle() {
    for (;;) {
      for (; it_->Valid(); it_->Next()) {
        rocksdb::Slice k = it_->key();
        if (k.size() != kEdgeKeySize) return Fail(Status::Corruption("malformed edge key"));
        AdjKey a = DecodeAdjKey(k.ToStringView());
        // In kBoth, a self-loop was already yielded by the out phase.
        if (phase_ == kIn && dir_ == Direction::kBoth && a.node == a.other) continue;
        EdgeHeader h;
        if (!DecodeEdgeHeader(it_->value().ToStringView(), &h)) {
          return Fail(Status::Corruption("malformed edge header"));
        }
        edge_.id = h.id;
        edge_.type = a.type;
        edge_.rank = a.rank;
        edge_.src = phase_ == kOut ? a.node : a.other;
        edge_.dst = phase_ == kOut ? a.other : a.node;
        edge_.weight = h.weight;
        edge_.validity = h.validity;
        valid_ = true;
        if (!node_) count_.Count();
        return;
      }
      if (!it_->status().ok()) return Fail(FromRocks(it_->status(), "cannot scan edges"));
      if (!node_) {
        if (Status s = count_.Finish(); !s.ok()) return Fail(std::move(s));
      }
      if (phase_ == kOut && dir_ == Direction::kBoth) {
        phase_ = kIn;
        Cf cf = storage::kIn;
        it_ = type_ ? view_.reader().ScanPrefix(cf, AdjPrefix(*node_, *type_))
                    : view_.reader().ScanPrefix(cf, AdjPrefix(*node_));
        continue;
      }
      phase_ = kDone;
      valid_ = false;
      return;
    }
  }

  void Fail(Status s) {
    status_ = std::move(s);
    valid_ = false;
  }

  const ViewCore& view_;
  std::optional<NodeId> node_;
  Direction dir_;
  std::optional<SymbolId> type_;
  Phase phase_;
  FullScanCount count_;  // for every edge (no node_)
  std::unique_ptr<rocksdb::Iterator> it_;
  EdgeRef edge_;
  mutable std::vector<NodeId> sources_;  // Record()'s, reused
  bool valid_ = false;
  Status status_;
};

}  // namespace

std::unique_ptr<NodeCursor> NewNodeScan(const ViewCore& view) {
  return std::make_unique<NodeScan>(view);
}

std::unique_ptr<NodeCursor> NewNodeIndexScan(const ViewCore& view, SymbolSpace space,
                                             SymbolId sym, SymbolSpace also_space,
                                             SymbolId also) {
  return std::make_unique<NodeIndexScan>(view, space, sym, also_space, also);
}

std::unique_ptr<NodeCursor> NewEmptyNodeCursor() { return std::make_unique<EmptyNodeCursor>(); }

std::unique_ptr<EdgeCursor> NewAdjacencyCursor(const ViewCore& view, NodeId node,
                                               Direction dir, std::optional<SymbolId> type) {
  return std::make_unique<AdjacencyCursor>(view, node, dir, type);
}

std::unique_ptr<EdgeCursor> NewAllEdgesCursor(const ViewCore& view) {
  return std::make_unique<AdjacencyCursor>(view, std::nullopt, Direction::kOut, std::nullopt);
}

}  // namespace samverkan::storage
