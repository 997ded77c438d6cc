// The transaction sink: every record is an upsert in one Transaction.
#include "samverkan/transaction.h"
#include "sink.h"

namespace samverkan::importers {
namespace {

class TransactionSink : public RecordSink {
 public:
  TransactionSink(std::unique_ptr<Transaction> txn, std::string default_kind)
      : txn_(std::move(txn)), default_kind_(std::move(default_kind)) {}

  Status AddNode(NodeInput& node) override {
    if (node.kind.empty() && txn_->FindKey(node.key).status().IsNotFound()) {
      node.kind = default_kind_;
    }
    auto id = txn_->MergeNode(node);
    if (!id.ok()) return id.status();
    ++nodes_;
    return Status::OK();
  }

  Status AddEdge(EdgeInput& edge) override {
    auto id = txn_->PutEdge(edge);
    if (!id.ok()) return id.status();
    ++edges_;
    return Status::OK();
  }

  bool HasNode(std::string_view key) override { return txn_->FindKey(key).ok(); }

  Status Commit() override { return txn_->Commit(); }

  uint64_t nodes() const override { return nodes_; }
  uint64_t edges() const override { return edges_; }

 private:
  std::unique_ptr<Transaction> txn_;
  std::string default_kind_;
  uint64_t nodes_ = 0, edges_ = 0;
};

class CitingSink : public RecordSink {
 public:
  CitingSink(RecordSink& inner, std::string source) : inner_(inner), source_(std::move(source)) {}

  Status AddNode(NodeInput& node) override {
    if (node.key != source_) node.sources.emplace_back(source_);
    return inner_.AddNode(node);
  }
  Status AddEdge(EdgeInput& edge) override {
    edge.sources.emplace_back(source_);
    return inner_.AddEdge(edge);
  }
  bool HasNode(std::string_view key) override { return inner_.HasNode(key); }
  std::vector<std::unique_ptr<EdgeLane>> OpenEdgeLanes(size_t n) override {
    std::vector<std::unique_ptr<EdgeLane>> lanes;
    for (auto& lane : inner_.OpenEdgeLanes(n)) {
      lanes.push_back(std::make_unique<Lane>(std::move(lane), source_));
    }
    return lanes;
  }
  Status CloseEdgeLanes(std::vector<std::unique_ptr<EdgeLane>> lanes) override {
    std::vector<std::unique_ptr<EdgeLane>> inner;
    for (auto& lane : lanes) inner.push_back(std::move(static_cast<Lane&>(*lane).inner));
    return inner_.CloseEdgeLanes(std::move(inner));
  }
  Status Commit() override { return inner_.Commit(); }
  bool needs_fallback() const override { return inner_.needs_fallback(); }
  uint64_t nodes() const override { return inner_.nodes(); }
  uint64_t edges() const override { return inner_.edges(); }

 private:
  struct Lane : EdgeLane {
    Lane(std::unique_ptr<EdgeLane> l, const std::string& s) : inner(std::move(l)), source(s) {}
    Status AddEdge(EdgeInput& edge) override {
      edge.sources.emplace_back(source);
      return inner->AddEdge(edge);
    }
    std::unique_ptr<EdgeLane> inner;
    const std::string& source;
  };

  RecordSink& inner_;
  std::string source_;
};

}  // namespace

Result<std::unique_ptr<RecordSink>> NewTransactionSink(Db& db, const std::string& label,
                                                       const std::string& default_kind,
                                                       const std::vector<std::string>& sectors) {
  SV_ASSIGN_OR_RETURN(auto txn, db.BeginTransaction(label));
  for (const auto& s : sectors) SV_RETURN_IF_ERROR(txn->AddSector(s));
  return std::unique_ptr<RecordSink>(new TransactionSink(std::move(txn), default_kind));
}

std::unique_ptr<RecordSink> NewCitingSink(RecordSink& inner, std::string source_key) {
  return std::make_unique<CitingSink>(inner, std::move(source_key));
}

}  // namespace samverkan::importers
