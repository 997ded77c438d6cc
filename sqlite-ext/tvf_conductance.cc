// tvf_conductance.cc: kg_conductance, how much of each sector's (kind's,
// region's, property value's) tie weight leaves it.
//
// USAGE
//
//   SELECT * FROM kg_conductance('kg', 'sector', 'project');
//   SELECT * FROM kg_conductance('kg', 'region') ORDER BY conductance;
//
// For each group S: cut(S) / min(vol(S), vol(rest)), vol the sum of degrees
// and `rest` every other node (grouped or not): nx.conductance(G, S). 0 for
// a group closed on itself, near 1 for one that mostly works outside. NULL
// when a volume is 0. Ties as for kg_sector_mixing.
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> ComputeConductance(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(call));
  SV_ASSIGN_OR_RETURN(Conductance c, ConductanceOf(t.ties, t.groups));
  std::vector<SqlRow> rows;
  for (size_t a = 0; a < t.groups.names.size(); ++a) {
    rows.push_back({t.groups.names[a], static_cast<int64_t>(c.nodes[a]), c.volume[a], c.cut[a],
                    NumberValue(c.conductance[a])});
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const AnalyticsSpec kSpec = {
    "kg_conductance", {"group_name", "nodes", "volume", "cut", "conductance"},
    GroupArgs(), kGroupShared, ComputeConductance,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kConductanceModule, kSpec)

}  // namespace samverkan::sql
