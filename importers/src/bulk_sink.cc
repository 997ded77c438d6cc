// The bulk sink: records go to the engine's BulkLoader (sorted SST files,
// ingested atomically at Commit). Only for an empty graph.
//
// The loader replaces a node given twice where a transaction would merge,
// so a repeated key makes this sink give up (needs_fallback) and the import
// runs again through a transaction: the result is the same graph either way.
#include "sink.h"

#include "samverkan/bulk_load.h"

namespace samverkan::importers {

namespace {

class BulkSink : public RecordSink {
 public:
  BulkSink(std::unique_ptr<BulkLoader> loader, std::string default_kind,
           const Interrupt& interrupt)
      : loader_(std::move(loader)), default_kind_(std::move(default_kind)), interrupt_(interrupt) {}

  Status AddNode(NodeInput& node) override {
    if (fallback_) return Status::OK();
    if (node.kind.empty()) node.kind = default_kind_;
    const uint64_t before = loader_->nodes_added();
    SV_RETURN_IF_ERROR(loader_->AddNode(node).status());
    // The loader replaced a node added before where a transaction would
    // merge: leave the whole import to a transaction (this load is dropped).
    if (loader_->nodes_added() == before) fallback_ = true;
    return Status::OK();
  }

  // The loader resolves endpoint keys itself, and names the edge in errors
  // as a transaction does.
  Status AddEdge(EdgeInput& edge) override {
    if (fallback_) return Status::OK();
    return loader_->AddEdge(edge);
  }

  bool HasNode(std::string_view key) override { return loader_->FindKey(key).ok(); }

  std::vector<std::unique_ptr<EdgeLane>> OpenEdgeLanes(size_t n) override {
    std::vector<std::unique_ptr<EdgeLane>> lanes;
    if (fallback_) return lanes;
    for (auto& lane : loader_->OpenEdgeLanes(n)) {
      lanes.push_back(std::make_unique<Lane>(std::move(lane)));
    }
    return lanes;
  }
  Status CloseEdgeLanes(std::vector<std::unique_ptr<EdgeLane>> lanes) override {
    std::vector<std::unique_ptr<BulkEdgeLane>> inner;
    for (auto& lane : lanes) inner.push_back(std::move(static_cast<Lane&>(*lane).inner));
    return loader_->CloseEdgeLanes(std::move(inner));
  }

  Status Commit() override { return loader_->Finish(interrupt_); }
  bool needs_fallback() const override { return fallback_; }
  uint64_t nodes() const override { return loader_->nodes_added(); }
  uint64_t edges() const override { return loader_->edges_added(); }

 private:
  struct Lane : EdgeLane {
    explicit Lane(std::unique_ptr<BulkEdgeLane> l) : inner(std::move(l)) {}
    Status AddEdge(EdgeInput& edge) override { return inner->AddEdge(edge); }
    std::unique_ptr<BulkEdgeLane> inner;
  };

  std::unique_ptr<BulkLoader> loader_;
  std::string default_kind_;
  const Interrupt& interrupt_;
  bool fallback_ = false;
};

}  // namespace

Result<std::unique_ptr<RecordSink>> NewBulkSink(Db& db, const std::string& label,
                                                const std::string& default_kind,
                                                const Interrupt& interrupt) {
  SV_ASSIGN_OR_RETURN(auto loader, db.BeginBulkLoad(label));
  return std::unique_ptr<RecordSink>(new BulkSink(std::move(loader), default_kind, interrupt));
}

}  // namespace samverkan::importers
