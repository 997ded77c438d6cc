// ViewCore: the read logic of every GraphView, over any Reader.
//
// Db, Snapshot and Transaction all read the same way and differ only in
// where bytes come from, so they share this class (through ViewOn<>, which
// forwards the GraphView interface to it).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "samverkan/db.h"
#include "samverkan/graph_view.h"
#include "storage/reader.h"
#include "storage/records.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

class ViewCore {
 public:
  ViewCore(const Reader* reader, const Schema* symbols)
      : reader_(reader), symbols_(symbols) {}

  Result<Node> GetNode(NodeId id) const;
  Result<NodeId> FindKey(std::string_view key) const;
  Result<std::vector<NodeId>> FindByName(std::string_view name) const;
  std::unique_ptr<NodeCursor> Nodes(const NodeFilter& filter) const;
  std::unique_ptr<EdgeCursor> Edges(NodeId node, Direction dir,
                                    std::optional<SymbolId> type) const;
  std::unique_ptr<EdgeCursor> AllEdges() const;
  Result<Edge> GetEdge(EdgeId id) const;
  Result<std::optional<EdgeId>> FindEdge(NodeId src, SymbolId type, NodeId dst,
                                         uint32_t rank) const;
  Result<Degree> GetDegree(NodeId id) const;
  Result<GraphCounts> Counts() const;
  Result<uint64_t> CountNodes(SymbolSpace space, SymbolId symbol, uint64_t limit) const;
  Result<uint64_t> CountKeys(std::string_view prefix, uint64_t limit) const;
  const Schema& schema() const { return *symbols_; }

  // --- for the storage layer ---
  // The stored record, or nullopt when there is no such node.
  Result<std::optional<NodeRecord>> ReadNodeRecord(NodeId id) const;
  Result<std::optional<NodeId>> LookupKey(std::string_view key) const;
  // The whole edge whose out-key is `out_key`.
  Result<Edge> LoadEdge(std::string_view out_key) const;
  // The out-key of an edge id, or nullopt.
  Result<std::optional<std::string>> OutKeyOf(EdgeId id) const;
  Node ToNode(NodeId id, NodeRecord rec) const;
  const Reader& reader() const { return *reader_; }

 private:
  const Reader* reader_;
  const Schema* symbols_;
};

// Implements `Interface`'s GraphView methods by forwarding to core().
template <typename Interface>
class ViewOn : public Interface {
 public:
  Result<Node> GetNode(NodeId id) const override { return core().GetNode(id); }
  Result<NodeId> FindKey(std::string_view key) const override { return core().FindKey(key); }
  Result<std::vector<NodeId>> FindByName(std::string_view name) const override {
    return core().FindByName(name);
  }
  std::unique_ptr<NodeCursor> Nodes(const NodeFilter& filter = {}) const override {
    return core().Nodes(filter);
  }
  std::unique_ptr<EdgeCursor> Edges(NodeId node, Direction dir,
                                    std::optional<SymbolId> type = {}) const override {
    return core().Edges(node, dir, type);
  }
  std::unique_ptr<EdgeCursor> AllEdges() const override { return core().AllEdges(); }
  Result<Edge> GetEdge(EdgeId id) const override { return core().GetEdge(id); }
  Result<std::optional<EdgeId>> FindEdge(NodeId src, SymbolId type, NodeId dst,
                                         uint32_t rank) const override {
    return core().FindEdge(src, type, dst, rank);
  }
  Result<Degree> GetDegree(NodeId id) const override { return core().GetDegree(id); }
  Result<GraphCounts> Counts() const override { return core().Counts(); }
  Result<uint64_t> CountNodes(SymbolSpace space, SymbolId symbol, uint64_t limit) const override {
    return core().CountNodes(space, symbol, limit);
  }
  Result<uint64_t> CountKeys(std::string_view prefix, uint64_t limit) const override {
    return core().CountKeys(prefix, limit);
  }
  const Schema& schema() const override { return core().schema(); }

 protected:
  virtual const ViewCore& core() const = 0;
};

}  // namespace samverkan::storage
