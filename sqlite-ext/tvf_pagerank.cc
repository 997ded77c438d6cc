// tvf_pagerank.cc: kg_pagerank, PageRank of every node (also personalised).
//
// USAGE
//
//   SELECT * FROM kg_pagerank('kg') ORDER BY rank DESC LIMIT 10;
//   SELECT key, rank FROM kg_pagerank('kg', 0.85, 100)
//     JOIN kg_nodes USING (key) WHERE kind = 'actor';
//   SELECT * FROM kg_pagerank WHERE graph = 'kg' AND personalization = 'org:msi';
//
// nx.pagerank on the subgraph: power iteration from 1/N until the ranks
// change by less than N * tolerance in sum, at most `iterations` rounds;
// dangling nodes spread their rank like the teleport. Parallel edges each
// count (as on a MultiDiGraph); see samverkan/analytics.h.
//
// SCHEMA
//
//   CREATE TABLE x(key, rank, graph HIDDEN, damping HIDDEN, iterations HIDDEN,
//                  tolerance HIDDEN, personalization HIDDEN, direction HIDDEN,
//                  weight HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN,
//                  year HIDDEN)
//
// ARGUMENTS
//
//   graph            required  a samverkan table of this connection
//   damping          0.85      the probability of following an edge
//   iterations       100       at most this many rounds
//   tolerance        1e-6      per node (NetworkX's tol)
//   personalization  NULL      teleport to these nodes only: 'a,b' (equal
//                              shares) or a JSON object {"a": 2, "b": 1}
//   direction        'both'    'out' follows edges as stored, 'in' reversed,
//                              'both' reads them as undirected ties
//   weight           NULL      'weight': an edge passes rank in proportion to
//                              its weight (1 when it has none)
//   kinds, types     NULL      only nodes of these kinds / edges of these types
//   valid_on         NULL      only edges valid on this ISO date
//   year             NULL      only edges valid at some time in this year
//
// EXAMPLE
//
//   sqlite> SELECT key, round(rank, 4) FROM kg_pagerank('kg') ORDER BY rank DESC LIMIT 1;
//   proj:mora|0.3576
#include <nlohmann/json.hpp>

#include "modules.h"
#include "samverkan/text.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t {
  kGraph, kDamping, kIterations, kTolerance, kPersonalization, kDirection, kWeight, kKinds,
  kTypes, kValidOn, kYear
};

// Teleport weights per dense index from 'a,b' or {"a": 2, "b": 1}.
Result<std::vector<double>> Personalization(const AnalyticsContext& ctx, const std::string& text) {
  std::vector<std::pair<std::string, double>> shares;
  if (!text.empty() && text.front() == '{') {
    auto json = JsonNestingExceeds(text, 1)
                    ? nlohmann::json()
                    : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return Status::InvalidArgument("personalization is not a JSON object");
    for (const auto& [key, value] : json.items()) {
      if (!value.is_number() || value.get<double>() < 0) {
        return Status::InvalidArgument("personalization: the share of '" + key +
                                       "' must be a non-negative number");
      }
      shares.emplace_back(key, value.get<double>());
    }
  } else {
    SV_ASSIGN_OR_RETURN(auto keys, ParseNameList(text, "personalization"));
    for (auto& k : keys) shares.emplace_back(std::move(k), 1.0);
  }
  std::vector<double> p(ctx.csr->num_nodes(), 0.0);
  for (const auto& [key, share] : shares) {
    auto id = ctx.read.view->FindKey(key);
    if (!id.ok()) return id.status().WithContext("personalization");
    auto v = ctx.csr->index_of(*id);
    if (!v) {
      return Status::InvalidArgument("personalization: node '" + key + "' is not in the subgraph");
    }
    p[*v] += share;
  }
  return p;
}

Result<std::unique_ptr<TvfRows>> RunPageRank(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.direction = kDirection, .weight = kWeight, .kinds = kKinds,
                                     .types = kTypes, .valid_on = kValidOn, .year = kYear}));
  PageRankOptions o;
  SV_ASSIGN_OR_RETURN(o.damping, NumberArgument(args, kDamping, "damping", 0.85, 0, 1));
  SV_ASSIGN_OR_RETURN(o.max_iterations, CountArgument(args, kIterations, "iterations", 100));
  SV_ASSIGN_OR_RETURN(o.tolerance, NumberArgument(args, kTolerance, "tolerance", 1e-6, 0, 1));
  o.direction = ctx.input.direction;
  o.weighted = ctx.input.weighted;
  if (args.Has(kPersonalization)) {
    SV_ASSIGN_OR_RETURN(o.personalization, Personalization(ctx, args.Text(kPersonalization)));
  }
  SV_ASSIGN_OR_RETURN(PageRankResult pr, PageRank(*ctx.csr, o));
  std::vector<uint32_t> nodes(ctx.csr->num_nodes());
  for (uint32_t v = 0; v < nodes.size(); ++v) nodes[v] = v;
  auto rank = std::make_shared<std::vector<double>>(std::move(pr.rank));
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1,
      [rank](size_t row, int) { return SqlValue((*rank)[row]); }));
}

const TvfSpec kSpec = {
    "kg_pagerank",
    "CREATE TABLE x(key, rank, graph HIDDEN, damping HIDDEN, iterations HIDDEN, "
    "tolerance HIDDEN, personalization HIDDEN, direction HIDDEN, weight HIDDEN, kinds HIDDEN, "
    "types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    2,
    {{"graph", true}, {"damping", false}, {"iterations", false}, {"tolerance", false},
     {"personalization", false}, {"direction", false}, {"weight", false}, {"kinds", false},
     {"types", false}, {"valid_on", false}, {"year", false}},
    RunPageRank,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kPageRankModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
