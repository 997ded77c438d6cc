// tvf_shortest_path.cc: kg_shortest_path and kg_all_shortest_paths.
//
// USAGE
//
//   SELECT * FROM kg_shortest_path('kg', 'org:vinnova', 'org:msi');
//   SELECT * FROM kg_shortest_path('kg', 'a', 'd', 'out', NULL, NULL, 'weight');
//   SELECT * FROM kg_all_shortest_paths('kg', 'a', 'd') ORDER BY path, step;
//
// One shortest path (kg_shortest_path) or every shortest path, up to
// max_paths (kg_all_shortest_paths), one row per node on the path. No rows
// when the target cannot be reached.
//
// SCHEMA
//
//   kg_shortest_path:
//   CREATE TABLE x(step, key, name, edge_type, edge_id, distance,
//                  graph HIDDEN, source HIDDEN, target HIDDEN,
//                  direction HIDDEN, types HIDDEN, valid_on HIDDEN,
//                  cost HIDDEN, max_depth HIDDEN)
//   kg_all_shortest_paths: the same with a first column `path` (0, 1, ...)
//   and a last argument max_paths.
//
//   step       0 for the source, then 1, 2, ...
//   key, name  the node at this step
//   edge_type  the edge that led here (NULL at step 0)
//   edge_id    its rowid in kg_edges (NULL at step 0)
//   distance   the cost from the source to here: the number of edges, or
//              with `cost` the sum of the edge costs
//
// ARGUMENTS (the HIDDEN columns, in this order)
//
//   graph      required  the name of a samverkan table of this connection
//   source     required  the key of the first node
//   target     required  the key of the last node
//   direction  'both'    'out', 'in' or 'both'
//   types      NULL      edge types to follow ('a,b' or a JSON array)
//   valid_on   NULL      an ISO date: only edges valid on it
//   cost       NULL      NULL counts edges; 'weight' uses the edge weight,
//                        'props.<name>' a numeric property. An edge without
//                        one costs 1.
//   max_depth  64        no path longer than this many edges
//   max_paths  1000      (kg_all_shortest_paths) at most this many paths
#include "modules.h"
#include "sql_interrupt.h"
#include "tvf_base.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t {
  kGraph, kSource, kTarget, kDirection, kTypes, kValidOn, kCost, kMaxDepth, kMaxPaths
};

Result<PathSpec> PathArguments(const TvfArgs& args, bool all) {
  PathSpec spec;
  SV_ASSIGN_OR_RETURN(spec.edges, EdgeFilterArguments(args, kDirection, kTypes, kValidOn));
  if (args.Has(kCost)) {
    std::string cost = args.Text(kCost);
    if (cost != "weight" && (cost.rfind("props.", 0) != 0 || cost.size() <= 6)) {
      return Status::InvalidArgument("cost must be 'weight' or 'props.<name>', not '" + cost +
                                     "'");
    }
    spec.cost = cost;
  }
  SV_ASSIGN_OR_RETURN(spec.max_depth, CountArgument(args, kMaxDepth, "max_depth", 64));
  if (all) {
    SV_ASSIGN_OR_RETURN(spec.max_paths, CountArgument(args, kMaxPaths, "max_paths", 1000));
  }
  return spec;
}

// Appends one row per node of `path`; `path_no` >= 0 adds the path column.
Status AppendPath(const GraphView& view, const PathSpec& spec, const Path& path, int64_t path_no,
                  std::vector<SqlRow>* rows) {
  double distance = 0;
  for (size_t step = 0; step < path.nodes.size(); ++step) {
    SV_ASSIGN_OR_RETURN(Node node, view.GetNode(path.nodes[step]));
    SqlRow row{int64_t(step), node.key, node.name, {}, {}, distance};
    if (step > 0) {
      EdgeRef edge = path.edges[step - 1];
      if (edge.id == 0) {
        // Found through a CSR, which keeps no edge ids: look the edge up.
        NodeId prev = path.nodes[step - 1];
        Direction dir = edge.src == prev ? Direction::kOut : Direction::kIn;
        SV_ASSIGN_OR_RETURN(edge, FindEdgeBetween(view, prev, path.nodes[step], edge.type, dir));
      }
      SV_ASSIGN_OR_RETURN(double cost, EdgeCost(view, edge, spec.cost));
      distance += cost;
      row[3] = std::string(view.schema().EdgeTypeName(edge.type));
      row[4] = static_cast<int64_t>(edge.id);
      row[5] = distance;
    }
    if (path_no >= 0) row.insert(row.begin(), SqlValue(path_no));
    rows->push_back(std::move(row));
  }
  return Status::OK();
}

Result<std::unique_ptr<TvfRows>> RunPaths(Connection* conn, const TvfArgs& args, bool all) {
  SV_ASSIGN_OR_RETURN(auto graph, GraphArgument(conn, args, kGraph));
  ReadView read = graph->View();
  const GraphView& view = *read.view;
  SV_ASSIGN_OR_RETURN(PathSpec spec, PathArguments(args, all));
  SV_RETURN_IF_ERROR(CheckEdgeTypes(view.schema(), spec.edges.types, "types"));
  SV_ASSIGN_OR_RETURN(NodeId source, NodeArgument(view, args, kSource));
  SV_ASSIGN_OR_RETURN(NodeId target, NodeArgument(view, args, kTarget));
  Interrupt interrupt(InterruptPredicate(conn->db()));
  // Unweighted searches run on the CSR snapshot when they can.
  std::shared_ptr<const CsrGraph> csr;
  if (!spec.cost) {
    SV_ASSIGN_OR_RETURN(csr, CsrFor(read, spec.edges, /*shallow=*/false));
  }
  std::vector<Path> paths;
  if (!all) {
    std::optional<Path> path;
    if (csr) {
      SV_ASSIGN_OR_RETURN(path, ShortestPath(*csr, view.schema(), source, target, spec, interrupt));
    } else {
      SV_ASSIGN_OR_RETURN(path, ShortestPath(view, source, target, spec, interrupt));
    }
    if (path) paths.push_back(std::move(*path));
  } else if (csr) {
    SV_ASSIGN_OR_RETURN(paths, AllShortestPaths(*csr, view.schema(), source, target, spec, interrupt));
  } else {
    SV_ASSIGN_OR_RETURN(paths, AllShortestPaths(view, source, target, spec, interrupt));
  }
  std::vector<SqlRow> rows;
  for (size_t i = 0; i < paths.size(); ++i) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    SV_RETURN_IF_ERROR(AppendPath(view, spec, paths[i], all ? static_cast<int64_t>(i) : -1, &rows));
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

Result<std::unique_ptr<TvfRows>> RunShortest(Connection* conn, const TvfArgs& args) {
  return RunPaths(conn, args, /*all=*/false);
}
Result<std::unique_ptr<TvfRows>> RunAllShortest(Connection* conn, const TvfArgs& args) {
  return RunPaths(conn, args, /*all=*/true);
}

// The arguments of both path functions, in this order, then `more`.
std::vector<TvfArg> PathArgs(std::initializer_list<TvfArg> more = {}) {
  std::vector<TvfArg> args = {{"graph", true},     {"source", true}, {"target", true},
                              {"direction", false}, {"types", false}, {"valid_on", false},
                              {"cost", false},      {"max_depth", false}};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

const TvfSpec kShortestSpec = {
    "kg_shortest_path",
    "CREATE TABLE x(step, key, name, edge_type, edge_id, distance, graph HIDDEN, "
    "source HIDDEN, target HIDDEN, direction HIDDEN, types HIDDEN, valid_on HIDDEN, "
    "cost HIDDEN, max_depth HIDDEN)",
    6,
    PathArgs(),
    RunShortest,
};

const TvfSpec kAllShortestSpec = {
    "kg_all_shortest_paths",
    "CREATE TABLE x(path, step, key, name, edge_type, edge_id, distance, graph HIDDEN, "
    "source HIDDEN, target HIDDEN, direction HIDDEN, types HIDDEN, valid_on HIDDEN, "
    "cost HIDDEN, max_depth HIDDEN, max_paths HIDDEN)",
    7,
    PathArgs({{"max_paths", false}}),
    RunAllShortest,
};

int ShortestConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out,
                    char** err) {
  return TvfConnect(&kShortestSpec, db, aux, out, err);
}
int AllShortestConnect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out,
                       char** err) {
  return TvfConnect(&kAllShortestSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kShortestPathModule = SAMVERKAN_TVF_MODULE(ShortestConnect);
const sqlite3_module kAllShortestPathsModule = SAMVERKAN_TVF_MODULE(AllShortestConnect);

}  // namespace samverkan::sql
