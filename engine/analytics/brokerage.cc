// Gould-Fernandez brokerage roles: for each node b, the open two-paths
// a -> b -> c it sits in the middle of, classified by the groups of a, b, c.
// Boost.Graph has nothing like it.
#include <algorithm>

#include "samverkan/analytics.h"

namespace samverkan {

std::string_view BrokerRoleName(BrokerRole role) {
  switch (role) {
    case BrokerRole::kCoordinator: return "coordinator";
    case BrokerRole::kItinerant: return "itinerant";
    case BrokerRole::kRepresentative: return "representative";
    case BrokerRole::kGatekeeper: return "gatekeeper";
    case BrokerRole::kLiaison: return "liaison";
  }
  return "";
}

Result<Brokerage> BrokerageOf(const SimpleGraph& g, const NodeGroups& groups,
                              const Interrupt& interrupt) {
  const uint32_t n = g.num_nodes;
  // In-arcs of a directed graph; an undirected graph's ties go both ways.
  SimpleGraph reversed;
  if (g.directed) reversed = Transpose(g);
  const SimpleGraph& in = g.directed ? reversed : g;

  Brokerage result;
  result.counts.assign(static_cast<size_t>(n) * kBrokerRoles, 0);
  std::vector<uint32_t> mark(n, UINT32_MAX);  // mark[c] == a: arc a -> c exists
  for (uint32_t b = 0; b < n; ++b) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    const int32_t gb = groups.group[b];
    if (gb < 0) continue;
    uint64_t* counts = &result.counts[static_cast<size_t>(b) * kBrokerRoles];
    for (uint32_t a : in.neighbors(b)) {
      if (interrupt.Requested()) return Interrupt::Stopped();
      const int32_t ga = groups.group[a];
      if (ga < 0) continue;
      for (uint32_t c : g.neighbors(a)) mark[c] = a;
      for (uint32_t c : g.neighbors(b)) {
        const int32_t gc = groups.group[c];
        if (c == a || gc < 0 || mark[c] == a) continue;  // closed, or no path
        BrokerRole role;
        if (ga == gb && gb == gc) {
          role = BrokerRole::kCoordinator;
        } else if (ga == gc) {
          role = BrokerRole::kItinerant;
        } else if (ga == gb) {
          role = BrokerRole::kRepresentative;
        } else if (gb == gc) {
          role = BrokerRole::kGatekeeper;
        } else {
          role = BrokerRole::kLiaison;
        }
        ++counts[static_cast<int>(role)];
      }
    }
  }
  return result;
}

}  // namespace samverkan
