// tvf_degree.cc: kg_degree, the degrees of every node.
//
// USAGE
//
//   SELECT * FROM kg_degree('kg') ORDER BY degree DESC LIMIT 10;
//   SELECT key, degree FROM kg_degree('kg', NULL, 'participates_in');
//
// out_degree and in_degree count edges as stored (parallel edges each);
// degree is their sum; neighbors counts distinct neighbours either way, and
// centrality is neighbors / (n-1), nx.degree_centrality of the simple
// undirected graph.
//
// SCHEMA
//
//   CREATE TABLE x(key, out_degree, in_degree, degree, neighbors, centrality,
//                  graph HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN,
//                  year HIDDEN)
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, out_degree, in_degree, degree FROM kg_degree('kg') WHERE key = 'org:msi';
//   org:msi|2|0|2
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kKinds, kTypes, kValidOn, kYear };
enum Column : int { kKey, kOut, kIn, kDegree, kNeighbors, kCentrality };

Result<std::unique_ptr<TvfRows>> RunDegree(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.kinds = kKinds, .types = kTypes, .valid_on = kValidOn,
                                     .year = kYear}));
  auto d = std::make_shared<Degrees>(DegreesOf(*ctx.csr));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1, [d](size_t row, int col) {
        switch (col) {
          case kOut: return SqlValue(static_cast<int64_t>(d->out[row]));
          case kIn: return SqlValue(static_cast<int64_t>(d->in[row]));
          case kDegree: return SqlValue(static_cast<int64_t>(d->out[row] + d->in[row]));
          case kNeighbors: return SqlValue(static_cast<int64_t>(d->neighbors[row]));
          default: return SqlValue(d->centrality[row]);
        }
      }));
}

const TvfSpec kSpec = {
    "kg_degree",
    "CREATE TABLE x(key, out_degree, in_degree, degree, neighbors, centrality, graph HIDDEN, "
    "kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    6,
    {{"graph", true}, {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunDegree,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kDegreeModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
