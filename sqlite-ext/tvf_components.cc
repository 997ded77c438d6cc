// tvf_components.cc: kg_components, the connected components.
//
// USAGE
//
//   SELECT * FROM kg_components('kg');                      -- weak
//   SELECT component, size FROM kg_components('kg', 'strong') GROUP BY component;
//   SELECT key FROM kg_components('kg') WHERE size = 1;     -- isolated nodes
//
// Weakly connected components ignore edge direction (nx.connected_components
// of the undirected graph); strongly connected ones follow edges as stored
// (nx.strongly_connected_components). Components are numbered 0, 1, ... in
// the order of their first node by internal id.
//
// SCHEMA
//
//   CREATE TABLE x(key, component, size, graph HIDDEN, mode HIDDEN,
//                  kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   mode          'weak'    'weak' or 'strong'
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, component, size FROM kg_components('kg') LIMIT 2;
//   org:msi|0|5
//   org:oru|0|5
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kMode, kKinds, kTypes, kValidOn, kYear };
enum Column : int { kKey, kComponent, kSize };

Result<std::unique_ptr<TvfRows>> RunComponents(Connection* conn, const TvfArgs& args) {
  std::string mode = args.Text(kMode, "weak");
  if (mode != "weak" && mode != "strong") {
    return Status::InvalidArgument("mode must be 'weak' or 'strong', not '" + mode + "'");
  }
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.kinds = kKinds, .types = kTypes, .valid_on = kValidOn,
                                     .year = kYear}));
  auto c = std::make_shared<Components>(mode == "weak" ? WeakComponents(*ctx.csr)
                                                        : StrongComponents(*ctx.csr));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1, [c](size_t row, int col) {
        const uint32_t comp = c->component[row];
        return SqlValue(static_cast<int64_t>(col == kComponent ? comp : c->size[comp]));
      }));
}

const TvfSpec kSpec = {
    "kg_components",
    "CREATE TABLE x(key, component, size, graph HIDDEN, mode HIDDEN, kinds HIDDEN, "
    "types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    3,
    {{"graph", true}, {"mode", false}, {"kinds", false}, {"types", false}, {"valid_on", false},
     {"year", false}},
    RunComponents,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kComponentsModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
