// LayOut(): checks the options and runs the chosen algorithm.
#include <algorithm>
#include <cmath>

#include "layout/layout_impl.h"

namespace samverkan {
namespace {

// The undirected graph of a directed one: each arc a tie, listed at both
// ends, parallel ones merged (weights summed).
SimpleGraph Undirected(const SimpleGraph& g) {
  std::vector<std::vector<std::pair<uint32_t, double>>> adj(g.num_nodes);
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      adj[v].push_back({g.targets[i], g.weight(i)});
      adj[g.targets[i]].push_back({v, g.weight(i)});
    }
  }
  SimpleGraph u;
  u.num_nodes = g.num_nodes;
  u.offsets.push_back(0);
  for (auto& list : adj) {
    std::sort(list.begin(), list.end());
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0 && list[i].first == list[i - 1].first) {
        if (g.weighted()) u.weights.back() += list[i].second;
        continue;
      }
      u.targets.push_back(list[i].first);
      if (g.weighted()) u.weights.push_back(list[i].second);
    }
    u.offsets.push_back(u.targets.size());
  }
  return u;
}

}  // namespace

Result<LayoutAlgorithm> ParseLayoutAlgorithm(std::string_view name) {
  if (name == "auto") return LayoutAlgorithm::kAuto;
  if (name == "stress") return LayoutAlgorithm::kStress;
  if (name == "forceatlas2" || name == "fa2") return LayoutAlgorithm::kForceAtlas2;
  if (name == "fruchterman-reingold" || name == "fr") return LayoutAlgorithm::kFruchtermanReingold;
  return Status::InvalidArgument(
      "layout must be 'auto', 'stress', 'forceatlas2' or 'fruchterman-reingold', not '" +
      std::string(name) + "'");
}

std::string_view LayoutAlgorithmName(LayoutAlgorithm algorithm) {
  switch (algorithm) {
    case LayoutAlgorithm::kAuto: return "auto";
    case LayoutAlgorithm::kStress: return "stress";
    case LayoutAlgorithm::kForceAtlas2: return "forceatlas2";
    case LayoutAlgorithm::kFruchtermanReingold: return "fruchterman-reingold";
  }
  return "forceatlas2";
}

LayoutAlgorithm ResolveLayoutAlgorithm(const SimpleGraph& g, LayoutAlgorithm algorithm) {
  if (algorithm != LayoutAlgorithm::kAuto) return algorithm;
  if (g.num_nodes <= kAutoStressLimit) return LayoutAlgorithm::kStress;
  // The size of the largest component (a directed graph's arcs join their
  // ends as ties do).
  const std::vector<uint32_t> sizes = WeakComponents(g).size;
  const uint32_t largest = *std::max_element(sizes.begin(), sizes.end());
  return largest <= kAutoStressLimit ? LayoutAlgorithm::kStress : LayoutAlgorithm::kForceAtlas2;
}

uint32_t LayoutIterations(LayoutAlgorithm algorithm, uint64_t nodes, uint64_t ties) {
  if (algorithm == LayoutAlgorithm::kAuto) {
    algorithm = nodes <= kAutoStressLimit ? LayoutAlgorithm::kStress : LayoutAlgorithm::kForceAtlas2;
  }
  if (algorithm == LayoutAlgorithm::kStress) return 30;
  const double work = static_cast<double>(nodes) * 8 + static_cast<double>(ties);
  const double budget = 1e8;
  return static_cast<uint32_t>(std::clamp(budget / std::max(work, 1.0), 50.0, 1000.0));
}

Result<Layout> LayOut(const SimpleGraph& g, const LayoutOptions& o, const Interrupt& interrupt) {
  auto bad = [](double v) { return !(v >= 0) || std::isinf(v); };
  if (bad(o.gravity)) return Status::InvalidArgument("gravity must be a number >= 0");
  if (bad(o.scaling)) return Status::InvalidArgument("scaling must be a number >= 0");
  if (bad(o.jitter_tolerance)) {
    return Status::InvalidArgument("jitter tolerance must be a number >= 0");
  }
  if (bad(o.theta)) return Status::InvalidArgument("theta must be a number >= 0");
  if (g.directed) return LayOut(Undirected(g), o, interrupt);
  const LayoutAlgorithm algorithm = ResolveLayoutAlgorithm(g, o.algorithm);
  const uint32_t iterations =
      o.iterations > 0 ? o.iterations : LayoutIterations(algorithm, g.num_nodes, g.num_ties());
  Result<Layout> out = Status::InvalidArgument("unknown layout algorithm");
  switch (algorithm) {
    case LayoutAlgorithm::kAuto: break;
    case LayoutAlgorithm::kStress: out = layout::StressLayout(g, o, iterations, interrupt); break;
    case LayoutAlgorithm::kForceAtlas2: out = layout::ForceAtlas2(g, o, iterations, interrupt); break;
    case LayoutAlgorithm::kFruchtermanReingold:
      out = layout::FruchtermanReingold(g, o, iterations, interrupt);
      break;
  }
  if (out.ok()) out->algorithm = algorithm;
  return out;
}

}  // namespace samverkan
