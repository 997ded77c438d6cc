// tvf_communities.cc: kg_communities, Louvain communities and their
// modularity.
//
// USAGE
//
//   SELECT * FROM kg_communities('kg');
//   SELECT community, count(*) FROM kg_communities('kg') GROUP BY community;
//   SELECT c.community, n.sector, count(*) FROM kg_communities('kg') c
//     JOIN kg_nodes n USING (key) GROUP BY 1, 2;      -- sector make-up
//
// Louvain (Blondel et al. 2008) on the undirected graph, as
// nx.community.louvain_communities: modularity is maximised greedily, level
// by level. `modularity` (the same on every row) is Newman's modularity of
// the partition found, nx.community.modularity. The result is deterministic
// for a given seed.
//
// SCHEMA
//
//   CREATE TABLE x(key, community, size, modularity, graph HIDDEN,
//                  resolution HIDDEN, seed HIDDEN, weight HIDDEN, kinds HIDDEN,
//                  types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   resolution  1         > 1 favours smaller communities, < 1 larger ones
//   seed        42        the random visiting order; 0 visits in id order
//   weight      NULL      'weight': ties count by their edges' weights
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, community, size FROM kg_communities('kg') LIMIT 2;
//   org:msi|0|2
//   org:oru|1|3
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kResolution, kSeed, kWeight, kKinds, kTypes, kValidOn, kYear };
enum Column : int { kKey, kCommunity, kSize, kModularity };

Result<std::unique_ptr<TvfRows>> RunCommunities(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.weight = kWeight, .kinds = kKinds, .types = kTypes,
                                     .valid_on = kValidOn, .year = kYear}));
  LouvainOptions o;
  SV_ASSIGN_OR_RETURN(o.resolution, NumberArgument(args, kResolution, "resolution", 1, 0, 1e9));
  SV_ASSIGN_OR_RETURN(uint32_t seed, CountArgument(args, kSeed, "seed", 42));
  o.seed = seed;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(*ctx.csr, Direction::kBoth, ctx.input.weighted));
  SV_ASSIGN_OR_RETURN(Communities c, Louvain(g, o));
  auto result = std::make_shared<Communities>(std::move(c));
  auto sizes = std::make_shared<std::vector<int64_t>>(result->count, 0);
  for (uint32_t comm : result->community) ++(*sizes)[comm];
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1, [result, sizes](size_t row, int col) {
        const uint32_t comm = result->community[row];
        if (col == kCommunity) return SqlValue(static_cast<int64_t>(comm));
        if (col == kSize) return SqlValue((*sizes)[comm]);
        return SqlValue(result->modularity);
      }));
}

const TvfSpec kSpec = {
    "kg_communities",
    "CREATE TABLE x(key, community, size, modularity, graph HIDDEN, resolution HIDDEN, "
    "seed HIDDEN, weight HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    4,
    {{"graph", true}, {"resolution", false}, {"seed", false}, {"weight", false},
     {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunCommunities,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kCommunitiesModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
