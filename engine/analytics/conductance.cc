// Conductance of each group: how much of a group's tie weight leaves it.
#include <algorithm>
#include <limits>

#include "samverkan/analytics.h"

namespace samverkan {

Result<Conductance> ConductanceOf(const SimpleGraph& g, const NodeGroups& groups) {
  if (g.directed) return Status::InvalidArgument("conductance needs an undirected graph");
  const size_t k = groups.names.size();
  Conductance c;
  c.nodes.assign(k, 0);
  c.volume.assign(k, 0.0);
  c.cut.assign(k, 0.0);
  c.conductance.assign(k, std::numeric_limits<double>::quiet_NaN());
  double total_volume = 0;
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    const int32_t a = groups.group[v];
    double degree = 0;
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      degree += g.weight(i);
      if (a >= 0 && groups.group[g.targets[i]] != a) c.cut[a] += g.weight(i);
    }
    total_volume += degree;
    if (a >= 0) {
      ++c.nodes[a];
      c.volume[a] += degree;
    }
  }
  for (size_t a = 0; a < k; ++a) {
    const double smaller = std::min(c.volume[a], total_volume - c.volume[a]);
    if (smaller > 0) c.conductance[a] = c.cut[a] / smaller;
  }
  return c;
}

}  // namespace samverkan
