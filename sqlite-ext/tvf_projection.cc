// tvf_projection.cc: kg_projection, the bipartite projection of a two-mode
// graph (actors and projects) onto one mode (actor-actor ties).
//
// USAGE
//
//   SELECT * FROM kg_projection('kg') ORDER BY weight DESC;
//   SELECT * FROM kg_projection('kg', 'actor', 'project', 'participates_in', NULL, 2021);
//
// Two `keep` nodes are tied when they share at least one `via` neighbour
// (edges in either direction), weighted by how many they share:
// nx.bipartite.weighted_projected_graph. One row per tie, actor_a < actor_b
// by internal id. With `year`, only edges valid in that year take part: the
// collaboration network of that year.
//
// SCHEMA
//
//   CREATE TABLE x(actor_a, actor_b, weight, graph HIDDEN, keep HIDDEN,
//                  via HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph     required   a samverkan table of this connection
//   keep      'actor'    the kind of node kept
//   via       'project'  the kind of node that ties them
//   types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT * FROM kg_projection('kg');
//   org:msi|org:oru|1.0
//   org:msi|org:vinnova|1.0
//   org:oru|org:vinnova|1.0
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kKeep, kVia, kTypes, kValidOn, kYear };

Result<std::unique_ptr<TvfRows>> RunProjection(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.types = kTypes, .valid_on = kValidOn, .year = kYear}));
  SimpleGraph g = Project(*ctx.csr, ctx.read.view->schema(), args.Text(kKeep, "actor"),
                          args.Text(kVia, "project"));
  std::vector<uint32_t> nodes;
  auto weights = std::make_shared<std::vector<double>>();
  for (uint32_t a = 0; a < g.num_nodes; ++a) {
    for (uint64_t i = g.offsets[a]; i < g.offsets[a + 1]; ++i) {
      if (g.targets[i] < a) continue;  // each tie once
      nodes.push_back(a);
      nodes.push_back(g.targets[i]);
      weights->push_back(g.weight(i));
    }
  }
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 2,
      [weights](size_t row, int) { return SqlValue((*weights)[row]); }));
}

const TvfSpec kSpec = {
    "kg_projection",
    "CREATE TABLE x(actor_a, actor_b, weight, graph HIDDEN, keep HIDDEN, via HIDDEN, "
    "types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    3,
    {{"graph", true}, {"keep", false}, {"via", false}, {"types", false}, {"valid_on", false},
     {"year", false}},
    RunProjection,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kProjectionModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
