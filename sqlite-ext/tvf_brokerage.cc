// tvf_brokerage.cc: kg_brokerage, Gould-Fernandez brokerage roles between
// sectors (or kinds, regions, property values).
//
// USAGE
//
//   SELECT * FROM kg_brokerage('kg', 'sector', 'project');
//   SELECT key, sum(count) FROM kg_brokerage('kg', 'sector', 'project')
//    WHERE role IN ('liaison', 'itinerant') GROUP BY key ORDER BY 2 DESC;
//
// For each node b, the open two-paths a -> b -> c (a and c not tied) it is
// the middle of, by role: coordinator (a, b, c in one group), itinerant (a
// and c in one group, b in another), representative (b in a's group, c
// not), gatekeeper (b in c's group, a not), liaison (three groups). With
// direction 'both' (the default) a tie is two arcs, so each open path counts
// once each way and representative = gatekeeper. One row per node and role
// with a non-zero count. Ties as for kg_sector_mixing.
//
// SCHEMA
//
//   CREATE TABLE x(key, role, count, graph HIDDEN, attribute HIDDEN,
//                  via HIDDEN, direction HIDDEN, kinds HIDDEN, types HIDDEN,
//                  valid_on HIDDEN, year HIDDEN)
//
// ARGUMENTS
//
//   graph, attribute, via, kinds, types, valid_on, year
//       as for kg_sector_mixing
//   direction  'both'   'out': follow edges as stored ('in': reversed);
//                       ignored with `via` (projected ties are undirected)
//
// EXAMPLE
//
//   sqlite> SELECT * FROM kg_brokerage('kg', 'kind');   -- actor, project, region
//   org:msi|liaison|2
//   proj:mora|itinerant|6
#include "modules.h"
#include "sql_interrupt.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kAttribute, kVia, kDirection, kKinds, kTypes, kValidOn, kYear };
enum Column : int { kKey, kRole, kCount };

Result<std::unique_ptr<TvfRows>> RunBrokerage(Connection* conn, const TvfArgs& args) {
  SV_ASSIGN_OR_RETURN(AnalyticsContext ctx,
                      OpenAnalytics(conn, args, kGraph,
                                    {.direction = kDirection, .kinds = kKinds, .types = kTypes,
                                     .valid_on = kValidOn, .year = kYear}));
  SV_ASSIGN_OR_RETURN(NodeGroups groups,
                      GroupNodes(*ctx.read.view, *ctx.csr, args.Text(kAttribute, "sector")));
  SV_ASSIGN_OR_RETURN(SimpleGraph g, TieGraph(ctx, args, kVia, ctx.input.direction));
  Interrupt interrupt(InterruptPredicate(conn->db()));
  SV_ASSIGN_OR_RETURN(Brokerage b, BrokerageOf(g, groups, interrupt));
  std::vector<uint32_t> nodes;
  auto payload = std::make_shared<std::vector<std::pair<BrokerRole, uint64_t>>>();
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    for (int r = 0; r < kBrokerRoles; ++r) {
      auto role = static_cast<BrokerRole>(r);
      if (uint64_t n = b.count(v, role)) {
        nodes.push_back(v);
        payload->emplace_back(role, n);
      }
    }
  }
  return std::unique_ptr<TvfRows>(std::make_unique<NodeRows>(
      ctx.read, ctx.csr, std::move(nodes), 1, [payload](size_t row, int col) {
        const auto& [role, n] = (*payload)[row];
        if (col == kRole) return SqlValue(std::string(BrokerRoleName(role)));
        return SqlValue(static_cast<int64_t>(n));
      }));
}

const TvfSpec kSpec = {
    "kg_brokerage",
    "CREATE TABLE x(key, role, count, graph HIDDEN, attribute HIDDEN, via HIDDEN, "
    "direction HIDDEN, kinds HIDDEN, types HIDDEN, valid_on HIDDEN, year HIDDEN)",
    3,
    {{"graph", true}, {"attribute", false}, {"via", false}, {"direction", false},
     {"kinds", false}, {"types", false}, {"valid_on", false}, {"year", false}},
    RunBrokerage,
};

int Connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
  return TvfConnect(&kSpec, db, aux, out, err);
}

}  // namespace

const sqlite3_module kBrokerageModule = SAMVERKAN_TVF_MODULE(Connect);

}  // namespace samverkan::sql
