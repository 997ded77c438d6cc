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
// change by less than `tolerance` in sum (by default 1e-10, which leaves
// them within about 1e-9 of the exact solution igraph's PRPACK finds), at
// most `iterations` rounds, else an error; dangling nodes spread their rank
// like the teleport. Parallel edges each count (as on a MultiDiGraph); see
// samverkan/analytics.h. convergence = 'networkx' stops as nx.pagerank does
// instead: when the change is less than N * tolerance (default 1e-6), which
// on large graphs stops far from the answer.
//
// ARGUMENTS
//
//   graph            required  a samverkan table of this connection
//   damping          0.85      the probability of following an edge
//   iterations       1000      at most this many rounds
//   tolerance        1e-10     the summed change at which to stop; 0 runs
//                              exactly `iterations` rounds
//   personalization  NULL      teleport to these nodes only: 'a,b' (equal
//                              shares) or a JSON object {"a": 2, "b": 1}
//   direction        'both'    'out' follows edges as stored, 'in' reversed,
//                              'both' reads them as undirected ties
//   weight           NULL      'weight': an edge passes rank in proportion to
//                              its weight (1 when it has none)
//   kinds, types     NULL      only nodes of these kinds / edges of these types
//   valid_on         NULL      only edges valid on this ISO date
//   year             NULL      only edges valid at some time in this year
//   convergence      'sum'     'networkx': tolerance is per node (nx's tol,
//                              default 1e-6)
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "modules.h"
#include "samverkan/text.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kDamping, kIterations, kTolerance, kPersonalization };
enum LateArg : size_t { kConvergence };

// Teleport weights per dense index from 'a,b' or {"a": 2, "b": 1}.
Result<std::vector<double>> Personalization(const AnalyticsCall& call, const std::string& text) {
  std::vector<std::pair<std::string, double>> shares;
  if (!text.empty() && text.front() == '{') {
    auto json = JsonNestingExceeds(text, 1)
                    ? nlohmann::json()
                    : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return Status::InvalidArgument("personalization is not a JSON object");
    if (auto duplicate = FindDuplicateJsonKey(text)) {
      return Status::InvalidArgument("personalization: " + DuplicateJsonKeyMessage(*duplicate));
    }
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
  std::vector<double> p(call.csr().num_nodes(), 0.0);
  for (const auto& [key, share] : shares) {
    auto id = call.view().FindKey(key);
    if (!id.ok()) return id.status().WithContext("personalization");
    auto v = call.csr().index_of(*id);
    if (!v) {
      return Status::InvalidArgument("personalization: node '" + key + "' is not in the subgraph");
    }
    p[*v] += share;
  }
  return p;
}

Result<std::unique_ptr<TvfRows>> ComputePageRank(const AnalyticsCall& call) {
  const TvfArgs& args = call.args;
  PageRankOptions o;
  SV_ASSIGN_OR_RETURN(o.damping, NumberArgument(args, kDamping, "damping", 0.85, 0, 1));
  SV_ASSIGN_OR_RETURN(o.max_iterations,
                      CountArgument(args, kIterations, "iterations", o.max_iterations));
  std::string convergence = args.Text(call.late_begin + kConvergence, "sum");
  if (convergence != "sum" && convergence != "networkx") {
    return Status::InvalidArgument("convergence must be 'sum' or 'networkx', not '" +
                                   convergence + "'");
  }
  o.tolerance_per_node = convergence == "networkx";
  SV_ASSIGN_OR_RETURN(o.tolerance, NumberArgument(args, kTolerance, "tolerance",
                                                  o.tolerance_per_node ? 1e-6 : o.tolerance, 0, 1));
  o.direction = call.ctx.input.direction;
  o.weighted = call.ctx.input.weighted;
  if (args.Has(kPersonalization)) {
    SV_ASSIGN_OR_RETURN(o.personalization, Personalization(call, args.Text(kPersonalization)));
  }
  SV_ASSIGN_OR_RETURN(PageRankResult pr, PageRank(call.csr(), o, call.interrupt));
  if (!pr.converged) {
    return Status::InvalidArgument(fmt::format(
        "did not converge in {} iterations (the ranks still changed by {:.3g} in the last one, "
        "more than the tolerance {:.3g}); give more iterations or a larger tolerance",
        pr.iterations, pr.last_change,
        o.tolerance_per_node ? o.tolerance * call.csr().num_nodes() : o.tolerance));
  }
  return PerNodeRows(call, {std::move(pr.rank)});
}

const AnalyticsSpec kSpec = {
    "kg_pagerank",
    {"key", "rank"},
    {{"damping", false}, {"iterations", false}, {"tolerance", false}, {"personalization", false}},
    {.direction = true, .weight = true},
    ComputePageRank,
    {{"convergence", false}},
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kPageRankModule, kSpec)

}  // namespace samverkan::sql
