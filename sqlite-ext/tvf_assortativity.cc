// tvf_assortativity.cc: kg_assortativity, Newman's attribute assortativity
// by sector (or kind, region, property).
//
// USAGE
//
//   SELECT * FROM kg_assortativity('kg', 'sector', 'project');
//   WITH RECURSIVE y(year) AS (SELECT 2018 UNION ALL SELECT year + 1 FROM y WHERE year < 2022)
//   SELECT y.year, a.assortativity FROM y,
//     kg_assortativity('kg', 'sector', 'project', NULL, NULL, NULL, NULL, y.year) a;
//
// r = (sum_i e_ii - sum_i a_i^2) / (1 - sum_i a_i^2) over the normalised
// mixing matrix e (a_i its row sums): 1 when ties stay within groups, 0 as
// for random mixing, negative when they prefer other groups.
// nx.attribute_assortativity_coefficient. NULL when undefined (e.g. one
// group). Ties as for kg_sector_mixing. One row.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeAssortativity(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  int64_t ties = 0;
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    for (uint32_t b = a; b < m.num_groups; ++b) {
      ties += static_cast<int64_t>(m.ties[static_cast<size_t>(a) * m.num_groups + b]);
    }
  }
  std::vector<SqlRow> rows;
  rows.push_back({NumberValue(Assortativity(m)), static_cast<int64_t>(m.num_groups), ties});
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const AnalyticsSpec kSpec = {
    "kg_assortativity", {"assortativity", "groups", "ties"},
    GroupArgs(), kGroupShared, ComputeAssortativity,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kAssortativityModule, kSpec)

}  // namespace samverkan::sql
