// QueryGraph: the graph as a running query sees it.
//
// Reads come from one GraphView (the committed graph, or a transaction with
// its own writes) and, when the planner asked for one, from a CSR snapshot
// of the same state: adjacency, kinds and sectors are then read from memory
// and only properties from the store. Writes go through the transaction.
//
// It also holds the mapping between Samverkan's data model and Cypher's:
//
//   label        the node's kind; kind `node` (what a node gets when it is
//                created without one, as the importers do) reads as no label
//   node props   key (unless generated, see below), name, sector, aliases,
//                sources (as keys), and the fields of props
//   rel props    weight, valid_from, valid_to (ISO dates), rank (when not
//                0), and the fields of props
//   blank nodes  a node created without a key gets `_:<n>`; such a key is
//                the node's identity (elementId(n)), not a property, and a
//                blank node's name is a property only when it was given
//
// Not thread-safe; one per query.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "samverkan/hash_table.h"

#include "samverkan/csr.h"
#include "samverkan/cypher_value.h"
#include "samverkan/graph_view.h"
#include "samverkan/interrupt.h"
#include "samverkan/transaction.h"

namespace samverkan::cypher {

// The kind a node gets when it is created without a label.
inline constexpr std::string_view kUnlabelledKind = "node";
// Generated keys start with this.
inline constexpr std::string_view kBlankKeyPrefix = "_:";

// One step from a node: the relationship and the node at its other end.
struct Hop {
  Relationship rel;
  NodeId other = kNoNode;
};

// Which relationship types an expansion follows.
struct TypeFilter {
  bool all = true;               // no [:TYPE] given
  std::vector<SymbolId> types;   // when !all; empty (and no pending): nothing matches
  // Types that did not exist when the query was planned but that the query
  // itself creates (CREATE/MERGE): matched by name, through `schema`, so
  // that a clause sees the relationships an earlier one created.
  std::vector<std::string> pending;
  const Schema* schema = nullptr;  // set with `pending`

  bool Allows(SymbolId t) const {
    if (all) return true;
    for (SymbolId x : types) {
      if (x == t) return true;
    }
    if (pending.empty()) return false;
    const std::string_view name = schema->EdgeTypeName(t);
    for (const auto& p : pending) {
      if (p == name) return true;
    }
    return false;
  }
  bool MatchesNothing() const { return !all && types.empty() && pending.empty(); }
};

class QueryGraph;

// What a node must be to match, cheaply testable: its kind and sector.
struct NodeCheck {
  bool impossible = false;          // an unknown label or sector: nothing matches
  std::optional<SymbolId> kind;
  std::optional<SymbolId> sector;
  // A label that did not exist when the query was planned but that the
  // query itself creates: looked up when tested.
  std::string pending_kind;
  // Properties of props that must equal a string ({country: 'MT'}). On a
  // snapshot they are tested on its column, by dictionary code.
  struct PropertyEquals {
    std::string key;
    std::string value;
    const PropertyColumn* column = nullptr;  // set by Bind()
    std::optional<uint32_t> code;            // the value's code in a string column
  };
  std::vector<PropertyEquals> props;
  std::string text;                 // for EXPLAIN, e.g. ":actor {sector: academia}"

  bool Trivial() const {
    return !impossible && !kind && !sector && pending_kind.empty() && props.empty();
  }
  bool Passes(QueryGraph& g, NodeId id) const;
  // Finds the columns of `props` in g's snapshot: before PassesDense.
  void Bind(QueryGraph& g) const;
  // The same test on a CSR snapshot's dense index: no lookup of the id. A
  // snapshot is only read by queries that do not write, so a pending label
  // has no nodes in it. REQUIRES: Bind() with that snapshot.
  bool PassesDense(const CsrGraph& csr, uint32_t v) const {
    if (impossible || !pending_kind.empty()) return false;
    if (kind && csr.kind(v) != *kind) return false;
    if (sector && csr.sector(v) != *sector) return false;
    return props.empty() || PropsPassDense(v);
  }

 private:
  bool PropsPassDense(uint32_t v) const;
  mutable std::vector<PropertyEquals> bound_;  // props, with their columns
  mutable const QueryGraph* bound_graph_ = nullptr;
  mutable const CsrGraph* bound_to_ = nullptr;
};

// What a relationship must hold to match, tested as it is reached: props
// keys equal to strings ([e {role: 'partner'}]). On a snapshot, by the
// column's dictionary code at the relationship's position.
struct RelCheck {
  struct Equals {
    std::string key;
    std::string value;
  };
  std::vector<Equals> props;

  bool empty() const { return props.empty(); }
  bool Passes(QueryGraph& g, const Relationship& r) const;
  std::string Text() const;  // for EXPLAIN: " {role: 'partner'}"

 private:
  struct Bound {
    const PropertyColumn* column;
    std::optional<uint32_t> code;
  };
  mutable std::vector<Bound> bound_;
  mutable const QueryGraph* bound_graph_ = nullptr;
  mutable const CsrGraph* bound_to_ = nullptr;
};

class QueryGraph {
 public:
  QueryGraph(const GraphView& view, std::shared_ptr<const CsrGraph> csr, Transaction* txn,
             const Interrupt& interrupt);

  const GraphView& view() const { return view_; }
  const Schema& schema() const { return view_.schema(); }
  const CsrGraph* csr() const { return csr_.get(); }
  // Reads adjacency, kinds and sectors from `csr` from now on. REQUIRES: a
  // snapshot of the state view() sees, and no writes (txn() is null).
  void UseCsr(std::shared_ptr<const CsrGraph> csr) { csr_ = std::move(csr); }
  Transaction* txn() const { return txn_; }
  const Interrupt& interrupt() const { return interrupt_; }
  // Throws EngineError(interrupted) when the caller asked to stop.
  void CheckInterrupt() const;

  // --- nodes ------------------------------------------------------------------
  bool Exists(NodeId id);
  // Whether a node without a key of its own (CREATE (n)) may exist: their
  // n.key is null, so only then may two nodes have the same n.key.
  bool HasBlankNodes();
  // The stored node (cached). Throws EntityNotFound for a node deleted by
  // this query, EngineError for one that does not exist.
  const Node& GetNode(NodeId id);  // valid until the next call into this QueryGraph
  SymbolId KindOf(NodeId id);    // 0 when unknown
  SymbolId SectorOf(NodeId id);  // 0 when none
  SymbolId UnlabelledKind() const;  // the symbol of kind `node`, or 0
  Value NodeProperty(NodeId id, std::string_view key);
  Value NodeProperties(NodeId id);  // a map
  Value NodeLabels(NodeId id);      // a list of strings
  std::string NodeKey(NodeId id);
  uint64_t Degree(NodeId id, Direction dir, const TypeFilter& types);

  // Calls visit(id) for each of `ids` (ascending, no repeats) with the node
  // in the cache, so that property reads in `visit` cost no lookup. Many
  // ids are read in one scan of all nodes in id order, which costs less
  // than a lookup each; the cache does not grow for them.
  void VisitNodes(const std::vector<NodeId>& ids, const std::function<void(NodeId)>& visit);

  // Candidates for a scan. Each list is in id order.
  std::vector<NodeId> AllNodes();
  std::vector<NodeId> NodesOfKind(SymbolId kind);
  std::vector<NodeId> NodesOfSector(SymbolId sector, SymbolId kind);

  // --- relationships -------------------------------------------------------------
  // The relationships at `node` in direction `dir` (kBoth: out, then in; a
  // self-loop once) whose far node passes `check` (when given), appended to
  // *out. Over a CSR the check reads the snapshot's arrays.
  void Expand(NodeId node, Direction dir, const TypeFilter& types, std::vector<Hop>* out,
              const NodeCheck* check = nullptr);
  // The stored edge of a relationship (cached).
  const Edge& GetEdge(const Relationship& r);  // valid until the next call
  EdgeId EdgeIdOf(const Relationship& r);
  Value RelProperty(const Relationship& r, std::string_view key);
  Value RelProperties(const Relationship& r);
  std::string_view TypeName(SymbolId type) const { return schema().EdgeTypeName(type); }
  std::vector<Hop> AllRelationships();

  // REQUIRES: csr(). The snapshot's column of a node (NodeField `field`) or
  // relationship (EdgeField `field`) property, `key` naming a props key;
  // built on first use, kept per query.
  const PropertyColumn& Column(bool edge, int field, std::string_view key);

  // --- writes (REQUIRES: txn()) ----------------------------------------------------
  // `props` is a map of Cypher properties; `label` empty for none.
  NodeId CreateNode(const std::string& label, const Map& props);
  Relationship CreateRelationship(NodeId src, NodeId dst, const std::string& type,
                                  const Map& props);
  // value null removes the property.
  void SetNodeProperty(NodeId id, const std::string& key, const Value& value);
  void SetRelProperty(const Relationship& r, const std::string& key, const Value& value);
  // SET n = map (replace) / SET n += map (merge).
  void SetNodeProperties(NodeId id, const Map& props, bool merge);
  void SetRelProperties(const Relationship& r, const Map& props, bool merge);
  void SetLabel(NodeId id, const std::string& label);
  void RemoveLabel(NodeId id, const std::string& label);
  // Deletes a relationship; a second delete in the same query does nothing.
  void DeleteRelationship(const Relationship& r);
  // DETACH DELETE deletes at once. A plain DELETE of a node that still has
  // relationships waits until Finish(), which fails if it still has them.
  void DeleteNode(NodeId id, bool detach);
  bool IsDeleted(NodeId id) const { return deleted_nodes_.count(id) > 0; }
  bool IsDeleted(const Relationship& r) const;
  // Ends the writes of a query: the deferred node deletions.
  void Finish();
  // How many times this query has created or changed a node: a scan whose
  // candidates were listed before then lists them again (a MERGE's match,
  // run per row, must see what it created for the rows before).
  uint64_t node_writes() const { return node_writes_; }

 private:
  struct RelKey {
    NodeId src, dst;
    SymbolId type;
    uint32_t slot;
    bool operator==(const RelKey&) const = default;
  };
  struct RelKeyHash {
    size_t operator()(const RelKey& k) const {
      uint64_t h = (k.src * 0x9e3779b97f4a7c15ULL) ^ (k.dst + 0x632be59bd9b4e019ULL) ^
                   (static_cast<uint64_t>(k.type) << 40) ^ k.slot;
      h ^= h >> 31;
      h *= 0xbf58476d1ce4e5b9ULL;
      return static_cast<size_t>(h ^ (h >> 29));
    }
  };
  static RelKey KeyOf(const Relationship& r) { return {r.src, r.dst, r.type, r.slot}; }
  // A stored node and, once asked for, its props as a Cypher map.
  struct CachedNode {
    Node node;
    std::optional<Value> props;
  };
  struct CachedEdge {
    Edge edge;
    std::optional<Value> props;
  };

  // Over a CSR snapshot (and with nothing deleted by this query), a
  // property from the snapshot's columns; nullopt when they cannot answer.
  std::optional<Value> NodePropertyFromColumns(NodeId id, std::string_view key);
  std::optional<Value> RelPropertyFromColumns(const Relationship& r, std::string_view key);
  const PropertyColumn& CachedColumn(bool edge, int field, std::string_view key);
  // Whether a key of the snapshot's nodes is blank (REQUIRES: csr_).
  bool SnapshotHasBlankKeys();
  std::shared_ptr<CachedNode> LoadNode(NodeId id);
  std::shared_ptr<CachedEdge> LoadEdge(const Relationship& r);
  // The stored id of `r` when known without a search (0 otherwise).
  EdgeId KnownId(const Relationship& r) const;
  Value PropsMap(const std::string& json) const;
  void WriteNode(const Node& n);  // PutNode of a whole node, replacing it
  void WriteEdge(const Edge& e);  // PutEdge of a whole edge, replacing it
  void ApplyNodeProperty(Node* n, const std::string& key, const Value& value);
  void ApplyRelProperty(Edge* e, const std::string& key, const Value& value);
  std::string NextBlankKey();
  void Remember(NodeId id, std::shared_ptr<CachedNode> node);

  const GraphView& view_;
  std::shared_ptr<const CsrGraph> csr_;
  Transaction* txn_;
  const Interrupt& interrupt_;
  HashMap<NodeId, std::shared_ptr<CachedNode>> nodes_;
  HashMap<std::string, std::shared_ptr<const PropertyColumn>> node_columns_,
      edge_columns_;
  struct RecentColumn {
    bool edge = false;
    int field = 0;
    std::string key;
    const PropertyColumn* column = nullptr;  // owned by node_columns_ / edge_columns_
  };
  std::array<RecentColumn, 4> recent_columns_;
  std::optional<bool> snapshot_blank_keys_;
  size_t next_recent_ = 0;
  HashMap<RelKey, std::shared_ptr<CachedEdge>, RelKeyHash> edges_;
  std::unordered_set<NodeId> deleted_nodes_;
  std::unordered_set<RelKey, RelKeyHash> deleted_rels_;
  std::unordered_set<EdgeId> deleted_edge_ids_;  // by DELETE; a new edge may reuse the key
  std::vector<NodeId> deferred_deletes_;
  uint64_t next_blank_ = 0;
  uint64_t node_writes_ = 0;
  std::shared_ptr<CachedNode> last_node_;  // what GetNode() returned
  std::shared_ptr<CachedEdge> last_edge_;  // what GetEdge() returned
};

}  // namespace samverkan::cypher
