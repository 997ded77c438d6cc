// GraphView: everything that reads a graph.
//
// Three things are views: the Db itself (the latest committed state), a
// Snapshot (a state pinned in time) and a Transaction (the committed state
// plus the transaction's own uncommitted writes: read-your-writes).
//
// Cursors follow the RocksDB iterator discipline: loop while Valid(), then
// check status(), since Valid() is false both at the end and on an error.
//
//   auto edges = view.Edges(node, Direction::kOut);
//   for (; edges->Valid(); edges->Next()) use(edges->edge());
//   if (!edges->status().ok()) ...
//
// A view and its cursors are not thread-safe; use one per thread. A cursor
// must not outlive the view that made it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/result.h"
#include "samverkan/schema.h"
#include "samverkan/types.h"

namespace samverkan {

class NodeCursor {
 public:
  virtual ~NodeCursor() = default;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // REQUIRES: Valid()
  virtual const Node& node() const = 0;
  virtual Status status() const = 0;
};

class EdgeCursor {
 public:
  virtual ~EdgeCursor() = default;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // The traversal fields of the current edge; cheap. REQUIRES: Valid()
  virtual const EdgeRef& edge() const = 0;
  // The whole current edge, with properties and sources. REQUIRES: Valid()
  virtual Result<Edge> Load() const = 0;
  virtual Status status() const = 0;

  // The fields of the current edge that only its stored record holds, the
  // same values as Load()'s, as views that stay valid until the cursor
  // moves or is destroyed. A scan that reads only these (a SQL scan's
  // `props`) skips building an Edge: no copies, no type name. Cursors over
  // the stored out-edges read them in place; the default goes through
  // Load(). REQUIRES: Valid()
  struct RecordFields {
    std::string_view props;  // compact JSON object, "{}" when it has none
    BatchId batch = 0;
    std::span<const NodeId> sources;
  };
  virtual Result<RecordFields> Record() const;

 private:
  mutable std::optional<Edge> record_;  // the default Record()'s edge
};

// Which nodes Nodes() returns. Unset fields do not filter.
struct NodeFilter {
  std::optional<std::string> kind;
  std::optional<std::string> sector;
};

class GraphView {
 public:
  virtual ~GraphView() = default;

  // The node with this internal id; NotFound ("unknown node id 42") if none.
  virtual Result<Node> GetNode(NodeId id) const = 0;
  // The internal id for an external key; NotFound ("unknown node 'k'") if none.
  virtual Result<NodeId> FindKey(std::string_view key) const = 0;
  // GetNode(FindKey(key)).
  Result<Node> GetNodeByKey(std::string_view key) const;
  // The id of a NodeRef: its id if set (checked to exist), else FindKey(key).
  Result<NodeId> Resolve(const NodeRef& ref) const;

  // Nodes whose name or one of whose aliases equals `name` once both are
  // folded (case, diacritics and spacing ignored: "orebro  UNIVERSITET" finds
  // "Örebro universitet"), in id order. Empty when none match.
  virtual Result<std::vector<NodeId>> FindByName(std::string_view name) const = 0;

  // All nodes, or those of one kind and/or sector, in id order.
  virtual std::unique_ptr<NodeCursor> Nodes(const NodeFilter& filter = {}) const = 0;

  // The edges at `node` in direction `dir`, all or of one type. kBoth yields
  // the out-edges, then the in-edges; a self-loop appears once.
  // Out-edges come ordered by (type, dst, rank), in-edges by (type, src, rank).
  virtual std::unique_ptr<EdgeCursor> Edges(NodeId node, Direction dir,
                                            std::optional<SymbolId> type = {}) const = 0;
  // Every edge, ordered by (src, type, dst, rank).
  virtual std::unique_ptr<EdgeCursor> AllEdges() const = 0;

  // NotFound ("unknown edge id 7") if none.
  virtual Result<Edge> GetEdge(EdgeId id) const = 0;
  // The edge with this exact identity, if any.
  virtual Result<std::optional<EdgeId>> FindEdge(NodeId src, SymbolId type, NodeId dst,
                                                 uint32_t rank) const = 0;

  // A node without edges, or with no such id, has degree 0 (one read).
  virtual Result<Degree> GetDegree(NodeId id) const = 0;
  virtual Result<GraphCounts> Counts() const = 0;
  // How many nodes have this kind (space kKind) or sector (kSector),
  // counting no further than `limit`: a cheap estimate for query planners,
  // which reads index keys only. InvalidArgument for kEdgeType.
  virtual Result<uint64_t> CountNodes(SymbolSpace space, SymbolId symbol,
                                      uint64_t limit) const = 0;
  // How many nodes have an external key starting with `prefix`, counting no
  // further than `limit` (from the key dictionary only).
  virtual Result<uint64_t> CountKeys(std::string_view prefix, uint64_t limit) const = 0;

  // Names of kinds, sectors and edge types.
  virtual const Schema& schema() const = 0;
};

}  // namespace samverkan
