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
// SCHEMA
//
//   CREATE TABLE x(group_name, nodes, volume, cut, conductance, graph HIDDEN,
//                  attribute HIDDEN, via HIDDEN, weight HIDDEN, kinds HIDDEN,
//                  types HIDDEN, valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph, attribute, via, weight, kinds, types, valid_on, year
//       as for kg_sector_mixing
//
// EXAMPLE
//
//   sqlite> SELECT * FROM kg_conductance('kg', 'sector', 'project') LIMIT 1;
//   academia|1|2.0|2.0|1.0
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

Result<std::unique_ptr<TvfRows>> RunConductance(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(GroupedTies t, OpenGroupedTies(conn, args));
  const NodeGroups& groups = t.groups;
  const SimpleGraph& g = t.ties;
  SV_ASSIGN_OR_RETURN(Conductance c, ConductanceOf(g, groups));
  std::vector<SqlRow> rows;
  for (size_t a = 0; a < groups.names.size(); ++a) {
    rows.push_back({groups.names[a], static_cast<int64_t>(c.nodes[a]), c.volume[a], c.cut[a],
                    NumberValue(c.conductance[a])});
  }
  return std::unique_ptr<TvfRows>(std::make_unique<MaterializedRows>(std::move(rows)));
}

const TvfSpec kSpec = {
    "kg_conductance",
    "CREATE TABLE x(group_name, nodes, volume, cut, conductance, " SAMVERKAN_GROUP_ARG_COLUMNS ")",
    5,
    GroupArgs(),
    RunConductance,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kConductanceModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
