// Bipartite projection: actors tied by the projects they share
// (nx.bipartite.weighted_projected_graph). Boost.Graph has no projection.
#include <algorithm>

#include "samverkan/analytics.h"

namespace samverkan {

Result<SimpleGraph> Project(const CsrGraph& csr, const Schema& schema,
                            std::string_view keep_kind, std::string_view through_kind,
                            const Interrupt& interrupt) {
  const uint32_t n = csr.num_nodes();
  SimpleGraph g;
  g.num_nodes = n;
  g.directed = false;
  g.offsets.assign(static_cast<size_t>(n) + 1, 0);
  auto through = schema.Find(SymbolSpace::kKind, through_kind);
  std::optional<SymbolId> keep_id;
  if (!keep_kind.empty()) keep_id = schema.Find(SymbolSpace::kKind, keep_kind);
  if (!through || (!keep_kind.empty() && !keep_id)) return g;
  auto kept = [&](uint32_t v) {
    return keep_kind.empty() ? csr.kind(v) != *through : csr.kind(v) == *keep_id;
  };

  // For each kept node a: every kept node two steps away through a
  // `through` node, counted once per shared `through` node. A marker array
  // makes a project linked to a by two edges count once.
  std::vector<double> shared(n, 0.0);
  std::vector<uint32_t> touched, via_seen(n, UINT32_MAX);
  std::vector<uint32_t> members;
  auto each_neighbor = [&](uint32_t v, auto&& fn) {
    for (uint32_t w : csr.out_neighbors(v)) fn(w);
    for (uint32_t w : csr.in_neighbors(v)) fn(w);
  };
  for (uint32_t a = 0; a < n; ++a) {
    SV_RETURN_IF_ERROR(interrupt.Check());
    if (kept(a)) {
      touched.clear();
      each_neighbor(a, [&](uint32_t p) {
        if (csr.kind(p) != *through || via_seen[p] == a) return;
        via_seen[p] = a;
        // b's count rises once per p, even if b and p are joined twice.
        members.clear();
        each_neighbor(p, [&](uint32_t b) {
          if (b != a && kept(b)) members.push_back(b);
        });
        std::sort(members.begin(), members.end());
        members.erase(std::unique(members.begin(), members.end()), members.end());
        for (uint32_t b : members) {
          if (shared[b] == 0) touched.push_back(b);
          shared[b] += 1;
        }
      });
      std::sort(touched.begin(), touched.end());
      for (uint32_t b : touched) {
        g.targets.push_back(b);
        g.weights.push_back(shared[b]);
        shared[b] = 0;
      }
    }
    g.offsets[a + 1] = g.targets.size();
  }
  return g;
}

}  // namespace samverkan
