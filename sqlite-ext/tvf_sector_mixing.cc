// tvf_sector_mixing.cc: kg_sector_mixing, the mixing matrix by sector (or
// by kind, region or any property).
//
// USAGE
//
//   SELECT * FROM kg_sector_mixing('kg', 'sector', 'project');
//   SELECT group_a, group_b, ties FROM kg_sector_mixing('kg', 'region', 'project')
//    WHERE group_a <= group_b;
//   WITH RECURSIVE y(year) AS (SELECT 2018 UNION ALL SELECT year + 1 FROM y WHERE year < 2022)
//   SELECT y.year, m.* FROM y,
//     kg_sector_mixing('kg', 'sector', 'project', NULL, NULL, NULL, NULL, y.year) m;
//
// Counts the ties between members of each pair of groups. Ties are the
// subgraph's edges read as undirected, or, with `via` = 'project', the
// projection through projects (two actors are tied when they share one).
// One row per ordered pair of groups that has ties, so the matrix is
// symmetric; `fraction` is nx.attribute_mixing_matrix(normalized=True)
// (an off-diagonal tie counts half in each of its two cells).
//
// ARGUMENTS
//
//   graph      required  a samverkan table of this connection
//   attribute  'sector'  'sector', 'kind', 'region' (the node located_in)
//                        or 'props.<name>'; nodes without it are left out
//   via        NULL      a node kind: tie nodes that share one (e.g. 'project')
//   weight     NULL      'weight': weigh ties by their edges' weights (with
//                        `via`: by the number of shared `via` nodes)
//
// COLUMNS
//
//   group_a, group_b  the two groups
//   ties              ties between them (inside the group when equal)
//   tie_weight        the sum of those ties' weights with weight = 'weight';
//                     without it every tie weighs 1 and tie_weight = ties
//   fraction          the normalised mixing-matrix entry, from tie_weight
//   kinds, types, valid_on, year   the subgraph, as for kg_pagerank
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeMixing(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  std::vector<SqlRow> rows;
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    for (uint32_t b = 0; b < m.num_groups; ++b) {
      const size_t at = static_cast<size_t>(a) * m.num_groups + b;
      if (m.ties[at] == 0) continue;
      rows.push_back({t.groups.names[a], t.groups.names[b], static_cast<int64_t>(m.ties[at]),
                      m.weight[at], NumberValue(m.fraction(a, b))});
    }
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const AnalyticsSpec kSpec = {
    "kg_sector_mixing", {"group_a", "group_b", "ties", "tie_weight", "fraction"},
    GroupArgs(), kGroupShared, ComputeMixing,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kSectorMixingModule, kSpec)

}  // namespace samverkan::sql
