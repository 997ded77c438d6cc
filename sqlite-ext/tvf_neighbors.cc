// tvf_neighbors.cc: kg_neighbors, the k-hop neighbourhood of a node.
//
// USAGE
//
//   SELECT * FROM kg_neighbors('kg', 'org:msi');           -- depth 1
//   SELECT * FROM kg_neighbors('kg', 'org:msi', 2, 'out', 'funds,part_of');
//   SELECT key, hops FROM kg_neighbors
//    WHERE graph = 'kg' AND start = 'org:msi' AND depth = 2 AND kinds = 'actor';
//
// Breadth-first from `start`: every node reachable within `depth` edges,
// once, at its smallest distance, in BFS order.
//
// SCHEMA
//
//   CREATE TABLE x(key, kind, name, hops, parent, edge_type, edge_id,
//                  graph HIDDEN, start HIDDEN, depth HIDDEN, direction HIDDEN,
//                  types HIDDEN, kinds HIDDEN, valid_on HIDDEN,
//                  include_start HIDDEN)
//
//   key, kind, name  the node reached
//   hops             its distance from start (0 for start itself)
//   parent           the key of the node it was reached from
//   edge_type        the type of the edge it was reached by
//   edge_id          that edge's rowid in kg_edges
//
// ARGUMENTS (the HIDDEN columns, in this order)
//
//   graph          required  the name of a samverkan table of this connection
//   start          required  the key of the start node
//   depth          1         how many edges out to go (0: start only)
//   direction      'both'    'out', 'in' or 'both'
//   types          NULL      edge types to follow: 'funds,part_of' or a JSON
//                            array; NULL follows every type
//   kinds          NULL      only return nodes of these kinds (the walk still
//                            passes through other kinds)
//   valid_on       NULL      an ISO date: only follow edges valid on it
//   include_start  0         1 returns the start node too, at hops 0
#include "modules.h"
#include "samverkan/options.h"
#include "sql_interrupt.h"
#include "tvf_base.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kStart, kDepth, kDirection, kTypes, kKinds, kValidOn, kIncludeStart };
enum Column : int { kKey, kKind, kName, kHops, kParent, kEdgeType, kEdgeId };

// The reached nodes; their keys, names and edges are read only for the
// columns a query asks for.
class NeighborRows final : public TvfRows {
 public:
  NeighborRows(ReadView read, std::vector<Reached> reached)
      : read_(std::move(read)), reached_(std::move(reached)) {}

  size_t size() const override { return reached_.size(); }

  Result<SqlValue> Column(size_t row, int col) const override {
    const Reached& r = reached_[row];
    switch (col) {
      case kKey:
      case kKind:
      case kName: {
        SV_ASSIGN_OR_RETURN(const Node* node, NodeAt(r.node));
        return SqlValue(col == kKey ? node->key : col == kKind ? node->kind : node->name);
      }
      case kHops:
        return SqlValue(int64_t{r.depth});
      case kParent: {
        if (r.parent == kNoNode) return SqlValue();
        SV_ASSIGN_OR_RETURN(Node parent, view().GetNode(r.parent));
        return SqlValue(std::move(parent.key));
      }
      case kEdgeType:
        if (r.parent == kNoNode) return SqlValue();
        return SqlValue(std::string(view().schema().EdgeTypeName(r.via.type)));
      case kEdgeId: {
        if (r.parent == kNoNode) return SqlValue();
        if (r.via.id != 0) return SqlValue(static_cast<int64_t>(r.via.id));
        // Reached through a CSR, which keeps no edge ids: look it up.
        Direction dir = r.via.src == r.parent ? Direction::kOut : Direction::kIn;
        SV_ASSIGN_OR_RETURN(EdgeRef e, FindEdgeBetween(view(), r.parent, r.node, r.via.type, dir));
        return SqlValue(static_cast<int64_t>(e.id));
      }
    }
    return SqlValue();
  }

 private:
  const GraphView& view() const { return *read_.view; }
  // SQLite reads a row's columns one after another: keep the last node.
  Result<const Node*> NodeAt(NodeId id) const {
    if (last_.id != id) {
      SV_ASSIGN_OR_RETURN(last_, view().GetNode(id));
    }
    return &last_;
  }

  ReadView read_;
  std::vector<Reached> reached_;
  mutable Node last_;
};

Result<std::unique_ptr<TvfRows>> RunNeighbors(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(auto graph, GraphArgument(conn, args, kGraph));
  ReadView read = graph->View();
  const GraphView& view = *read.view;

  TraversalSpec spec;
  SV_ASSIGN_OR_RETURN(spec.edges, EdgeFilterArguments(args, kDirection, kTypes, kValidOn));
  SV_ASSIGN_OR_RETURN(spec.max_depth, CountArgument(args, kDepth, "depth", 1));
  if (args.Has(kKinds)) {
    SV_ASSIGN_OR_RETURN(spec.node_kinds, ArgumentReader().NameList(args.Text(kKinds), "kinds"));
  }
  SV_ASSIGN_OR_RETURN(spec.include_start,
                      BoolArgument(args, kIncludeStart, "include_start", false));
  SV_RETURN_IF_ERROR(CheckEdgeTypes(view.schema(), spec.edges.types, "types"));
  SV_RETURN_IF_ERROR(CheckKinds(view.schema(), spec.node_kinds, "kinds"));
  SV_ASSIGN_OR_RETURN(NodeId start, NodeArgument(view, args, kStart));
  SV_ASSIGN_OR_RETURN(std::shared_ptr<const CsrGraph> csr, CsrFor(read, spec.edges, /*shallow=*/spec.max_depth <= 1));
  Interrupt interrupt(InterruptPredicate(conn->db()));
  std::vector<Reached> reached;
  if (csr) {
    SV_ASSIGN_OR_RETURN(reached, Neighborhood(*csr, view.schema(), start, spec, interrupt));
  } else {
    SV_ASSIGN_OR_RETURN(reached, Neighborhood(view, start, spec, interrupt));
  }
  return std::unique_ptr<TvfRows>(std::make_unique<NeighborRows>(std::move(read), std::move(reached)));
}

const TvfSpec kSpec = {
    "kg_neighbors",
    "CREATE TABLE x(key, kind, name, hops, parent, edge_type, edge_id, graph HIDDEN, "
    "start HIDDEN, depth HIDDEN, direction HIDDEN, types HIDDEN, kinds HIDDEN, "
    "valid_on HIDDEN, include_start HIDDEN)",
    7,
    {{"graph", true},
     {"start", true},
     {"depth", false},
     {"direction", false},
     {"types", false},
     {"kinds", false},
     {"valid_on", false},
     {"include_start", false}},
    RunNeighbors,
};

int NeighborsConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out,
                     char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kNeighborsModule = SAMVERKAN_TVF_MODULE(NeighborsConnect);

}  // namespace samverkan::sql
