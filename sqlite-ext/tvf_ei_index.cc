// tvf_ei_index.cc: kg_ei_index, Krackhardt and Stern's E-I index by sector
// (or kind, region, property).
//
// USAGE
//
//   SELECT * FROM kg_ei_index('kg', 'sector', 'project');
//   SELECT ei_index FROM kg_ei_index('kg') WHERE group_name IS NULL;  -- whole graph
//
// For each group, (E - I) / (E + I) with I its ties inside the group and E
// its ties to other groups: -1 when a group only works within itself, +1
// when it only works across. The row with group_name NULL is the whole
// graph's index (each tie counted once). Ties as for kg_sector_mixing.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeEiIndex(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call));
  SV_ASSIGN_OR_RETURN(Mixing m, MixingOf(t.ties, t.groups));
  EiIndex ei = EiIndexOf(m);
  std::vector<SqlRow> rows;
  rows.push_back({SqlValue(), ei.internal_total, ei.external_total, NumberValue(ei.index_total)});
  for (uint32_t a = 0; a < m.num_groups; ++a) {
    rows.push_back({t.groups.names[a], ei.internal[a], ei.external[a], NumberValue(ei.index[a])});
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const AnalyticsSpec kSpec = {
    "kg_ei_index", {"group_name", "internal", "external", "ei_index"},
    GroupArgs(), kGroupShared, ComputeEiIndex,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kEiIndexModule, kSpec)

}  // namespace samverkan::sql
