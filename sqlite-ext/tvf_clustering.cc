// tvf_clustering.cc: kg_clustering, local clustering coefficients.
//
// USAGE
//
//   SELECT * FROM kg_clustering('kg') WHERE triangles > 0;
//   SELECT avg(clustering) FROM kg_clustering('kg');  -- nx.average_clustering
//
// nx.clustering and nx.triangles of the simple undirected graph: the share
// of a node's neighbour pairs that are themselves tied (0 below two
// neighbours).
//
// SCHEMA
//
//   CREATE TABLE x(key, clustering, triangles, graph HIDDEN, kinds HIDDEN,
//                  types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, clustering, triangles FROM kg_clustering('kg') LIMIT 1;
//   org:msi|0.0|0
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kKinds, kTypes, kValidOn, kYear };
enum Column : int { kKey, kClustering, kTriangles };

Result<std::unique_ptr<TvfRows>> RunClustering(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.kinds = kKinds, .types = kTypes, .valid_on = kValidOn,
                                     .year = kYear}));
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(*ctx.csr, Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(Clustering c, ClusteringOf(g));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  auto values = std::make_shared<Clustering>(std::move(c));
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1, [values](size_t row, int col) {
        if (col == kClustering) return SqlValue(values->coefficient[row]);
        return SqlValue(static_cast<int64_t>(values->triangles[row]));
      }));
}

const TvfSpec kSpec = {
    "kg_clustering",
    "CREATE TABLE x(key, clustering, triangles, graph HIDDEN, kinds HIDDEN, types HIDDEN, "
    "valid_on HIDDEN, year HIDDEN)",
    3,
    {{"graph", true}, {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunClustering,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kClusteringModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
