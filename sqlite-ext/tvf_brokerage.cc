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
// ARGUMENTS
//
//   graph, attribute, via, kinds, types, valid_on, year
//       as for kg_sector_mixing
//   direction  'both'   'out': follow edges as stored ('in': reversed);
//                       ignored with `via` (projected ties are undirected)
#include "modules.h"
#include "tvf_analytics.h"

namespace samverkan::sql {
namespace {

enum Arg : size_t { kGraph, kAttribute, kVia };

Result<std::unique_ptr<TvfRows>> ComputeBrokerage(const AnalyticsCall& call) {
  SV_ASSIGN_OR_RETURN(NodeGroups groups, GroupNodes(call.view(), call.csr(),
                                                    call.args.Text(kAttribute, "sector")));
  SV_ASSIGN_OR_RETURN(SimpleGraph g, TieGraph(call, kVia, call.ctx.input.direction));
  SV_ASSIGN_OR_RETURN(Brokerage b, BrokerageOf(g, groups, call.interrupt));
  std::vector<uint32_t> nodes;
  std::vector<std::string> roles;
  std::vector<int64_t> counts;
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    for (int r = 0; r < kBrokerRoles; ++r) {
      auto role = static_cast<BrokerRole>(r);
      if (uint64_t n = b.count(v, role)) {
        nodes.push_back(v);
        roles.emplace_back(BrokerRoleName(role));
        counts.push_back(static_cast<int64_t>(n));
      }
    }
  }
  return KeyedRows(call, std::move(nodes), {std::move(roles), std::move(counts)});
}

const AnalyticsSpec kSpec = {
    "kg_brokerage", {"key", "role", "count"}, {{"attribute", false}, {"via", false}},
    {.direction = true}, ComputeBrokerage,
};

}  // namespace

SAMVERKAN_ANALYTICS_MODULE(kBrokerageModule, kSpec)

}  // namespace samverkan::sql
