// tvf_kcore.cc: kg_kcore, the core number of every node.
//
// USAGE
//
//   SELECT * FROM kg_kcore('kg') ORDER BY core DESC;
//   SELECT key FROM kg_kcore('kg') WHERE core >= 3;   -- the 3-core
//
// nx.core_number of the simple undirected graph: the largest k such that
// the node is in a subgraph where every node has at least k neighbours.
//
// SCHEMA
//
//   CREATE TABLE x(key, core, graph HIDDEN, kinds HIDDEN, types HIDDEN,
//                  valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph         required  a samverkan table of this connection
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, core FROM kg_kcore('kg') LIMIT 2;
//   org:msi|1
//   org:oru|1
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kKinds, kTypes, kValidOn, kYear };

Result<std::unique_ptr<TvfRows>> RunKCore(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.kinds = kKinds, .types = kTypes, .valid_on = kValidOn,
                                     .year = kYear}));
  SV_ASSIGN_OR_RETURN(SimpleGraph g, MakeSimpleGraph(*ctx.csr, Direction::kBoth, false));
  SV_ASSIGN_OR_RETURN(std::vector<uint32_t> core, CoreNumbers(g));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  auto values = std::make_shared<std::vector<uint32_t>>(std::move(core));
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1,
      [values](size_t row, int) { return SqlValue(static_cast<int64_t>((*values)[row])); }));
}

const TvfSpec kSpec = {
    "kg_kcore",
    "CREATE TABLE x(key, core, graph HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN, "
    "year HIDDEN)",
    2,
    {{"graph", true}, {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunKCore,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kKCoreModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
