// The bulk sink: records go to the engine's BulkLoader (sorted SST files,
// ingested atomically at Commit). Only for an empty graph.
//
// The loader replaces a node given twice where a transaction would merge,
// so a repeated key makes this sink give up (needs_fallback) and the import
// runs again through a transaction: the result is the same graph either way.
#include "sink.h"

#ifdef SAMVERKAN_HAVE_BULK_LOAD
#include <unordered_map>

#include "samverkan/bulk_load.h"
#endif

namespace samverkan::importers {

#ifdef SAMVERKAN_HAVE_BULK_LOAD
namespace {

class BulkSink : public RecordSink {
 public:
  BulkSink(std::unique_ptr<BulkLoader> loader, std::string default_kind)
      : loader_(std::move(loader)), default_kind_(std::move(default_kind)) {}

  Status AddNode(NodeInput& node) override {
    if (fallback_) return Status::OK();
    if (ids_.contains(node.key)) {
      fallback_ = true;  // a merge: leave it to a transaction
      return Status::OK();
    }
    if (node.kind.empty()) node.kind = default_kind_;
    auto id = loader_->AddNode(node);
    if (!id.ok()) return id.status();
    ids_.emplace(node.key, *id);
    return Status::OK();
  }

  Status AddEdge(EdgeInput& edge) override {
    if (fallback_) return Status::OK();
    // Name the endpoints by key in errors, as a transaction does; the
    // description is built only when there is an error to report.
    auto what = [&] { return "edge " + edge.src.key + " -" + edge.type + "-> " + edge.dst.key; };
    auto src = Lookup(edge.src);
    if (!src.ok()) return src.status().WithContext(what());
    auto dst = Lookup(edge.dst);
    if (!dst.ok()) return dst.status().WithContext(what());
    std::string src_key = std::move(edge.src.key), dst_key = std::move(edge.dst.key);
    edge.src = NodeRef(*src);
    edge.dst = NodeRef(*dst);
    Status s = loader_->AddEdge(edge);
    if (s.ok() || s.message().find(": ") == std::string::npos) return s;
    // The loader names the endpoints by the ids given it.
    std::string msg = "edge " + src_key + " -" + edge.type + "-> " + dst_key + ": " +
                      s.message().substr(s.message().find(": ") + 2);
    if (s.IsNotFound()) return Status::NotFound(msg);
    if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
    return s;
  }

  bool HasNode(std::string_view key) override {
    return ids_.find(std::string(key)) != ids_.end();
  }

  Status Commit() override { return loader_->Finish(); }
  bool needs_fallback() const override { return fallback_; }
  uint64_t nodes() const override { return loader_->nodes_added(); }
  uint64_t edges() const override { return loader_->edges_added(); }

 private:
  // Endpoints by id: one hash lookup here instead of one in the loader, and
  // the same message a transaction gives for a key it does not know.
  Result<NodeId> Lookup(const NodeRef& ref) const {
    if (ref.key.empty()) return ref.id;
    auto it = ids_.find(ref.key);
    if (it == ids_.end()) return Status::NotFound("unknown node '" + ref.key + "'");
    return it->second;
  }

  std::unique_ptr<BulkLoader> loader_;
  std::string default_kind_;
  std::unordered_map<std::string, NodeId> ids_;
  bool fallback_ = false;
};

}  // namespace

bool BulkLoadAvailable() { return true; }

Result<std::unique_ptr<RecordSink>> NewBulkSink(Db& db, const std::string& label,
                                                const std::string& default_kind) {
  SV_ASSIGN_OR_RETURN(auto loader, db.BeginBulkLoad(label));
  return std::unique_ptr<RecordSink>(new BulkSink(std::move(loader), default_kind));
}

#else  // the engine of this build has no bulk loader yet

bool BulkLoadAvailable() { return false; }

Result<std::unique_ptr<RecordSink>> NewBulkSink(Db&, const std::string&, const std::string&) {
  return Status::NotSupported("this build has no bulk loader");
}

#endif

}  // namespace samverkan::importers
