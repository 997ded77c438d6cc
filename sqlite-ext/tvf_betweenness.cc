// tvf_betweenness.cc: kg_betweenness, betweenness centrality of every node.
//
// USAGE
//
//   SELECT * FROM kg_betweenness('kg') ORDER BY betweenness DESC LIMIT 10;
//   SELECT * FROM kg_betweenness('kg', 1, 500);   -- estimate from 500 sources
//
// nx.betweenness_centrality (Brandes): the share of shortest paths between
// other pairs that pass through the node. Normalised by (n-1)(n-2) unless
// normalized = 0 (then an undirected graph counts each pair once). With
// samples = k, k random sources stand for all (scaled by n/k): an estimate
// for graphs too large for the exact O(nm).
//
// SCHEMA
//
//   CREATE TABLE x(key, betweenness, graph HIDDEN, normalized HIDDEN,
//                  samples HIDDEN, seed HIDDEN, direction HIDDEN, weight HIDDEN,
//                  kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph       required  a samverkan table of this connection
//   normalized  1         0: raw pair counts
//   samples     0         0: exact; k: estimate from k random sources
//   seed        42        the sources' random seed
//   direction   'both'    'out'/'in': directed paths along/against edges
//   weight      NULL      'weight': edge weights are lengths (Dijkstra)
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
//
// EXAMPLE
//
//   sqlite> SELECT key, betweenness FROM kg_betweenness('kg') WHERE betweenness > 0;
//   org:msi|0.5
//   proj:mora|0.8333333333333333
#include "modules.h"
#include "sql_interrupt.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t {
  kGraph, kNormalized, kSamples, kSeed, kDirection, kWeight, kKinds, kTypes, kValidOn, kYear
};

Result<std::unique_ptr<TvfRows>> RunBetweenness(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.direction = kDirection, .weight = kWeight, .kinds = kKinds,
                                     .types = kTypes, .valid_on = kValidOn, .year = kYear}));
  BetweennessOptions o;
  if (args.Has(kNormalized)) o.normalized = sqlite3_value_int(args.Value(kNormalized)) != 0;
  SV_ASSIGN_OR_RETURN(o.samples, CountArgument(args, kSamples, "samples", 0));
  SV_ASSIGN_OR_RETURN(uint32_t seed, CountArgument(args, kSeed, "seed", 42));
  o.seed = seed;
  o.weighted = ctx.input.weighted;
  SV_ASSIGN_OR_RETURN(SimpleGraph g,
                      MakeSimpleGraph(*ctx.csr, ctx.input.direction, ctx.input.weighted));
  Interrupt interrupt(InterruptPredicate(conn->db()));
  SV_ASSIGN_OR_RETURN(std::vector<double> bc, Betweenness(g, o, interrupt));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  auto values = std::make_shared<std::vector<double>>(std::move(bc));
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1,
      [values](size_t row, int) { return SqlValue((*values)[row]); }));
}

const TvfSpec kSpec = {
    "kg_betweenness",
    "CREATE TABLE x(key, betweenness, graph HIDDEN, normalized HIDDEN, samples HIDDEN, "
    "seed HIDDEN, direction HIDDEN, weight HIDDEN, kinds HIDDEN, types HIDDEN, "
    "valid_on HIDDEN, year HIDDEN)",
    2,
    {{"graph", true}, {"normalized", false}, {"samples", false}, {"seed", false},
     {"direction", false}, {"weight", false}, {"kinds", false}, {"types", false},
     {"valid_on", false}, {"year", false}},
    RunBetweenness,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kBetweennessModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
