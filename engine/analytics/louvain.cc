// Louvain community detection (Blondel, Guillaume, Lambiotte & Lefebvre
// 2008) and Newman's modularity. Boost.Graph has neither.
//
// Each level works on a weighted undirected graph whose ties are listed at
// both ends ("arcs") and whose nodes may carry a self-loop: the weight of the
// ties inside the community the node stands for, counted as arcs (twice).
// With k_i a node's total arc weight (self-loop included), tot_C the sum of
// k over community C and 2m the sum of all k, moving node i into C changes
// modularity by (k_i,C - gamma * tot_C * k_i / 2m) / m, up to terms that do
// not depend on C: the gain compared below.
#include <algorithm>
#include <numeric>
#include <random>

#include "analytics/renumber.h"
#include "samverkan/analytics.h"

namespace samverkan {
namespace {

struct Level {
  uint32_t n = 0;
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> targets;
  std::vector<double> weights;
  std::vector<double> loop;  // self-loop arc weight per node
};

Level FromSimple(const SimpleGraph& g) {
  Level l;
  l.n = g.num_nodes;
  l.offsets = g.offsets;
  l.targets = g.targets;
  l.weights = g.weighted() ? g.weights : std::vector<double>(g.targets.size(), 1.0);
  l.loop.assign(l.n, 0.0);
  return l;
}

double LevelModularity(const Level& l, std::span<const uint32_t> comm, double gamma) {
  size_t groups = 0;
  for (uint32_t v = 0; v < l.n; ++v) groups = std::max<size_t>(groups, comm[v] + size_t{1});
  std::vector<double> in(groups, 0.0), tot(groups, 0.0);
  double two_m = 0;
  for (uint32_t v = 0; v < l.n; ++v) {
    double k = l.loop[v];
    in[comm[v]] += l.loop[v];
    for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1]; ++i) {
      k += l.weights[i];
      if (comm[l.targets[i]] == comm[v]) in[comm[v]] += l.weights[i];
    }
    tot[comm[v]] += k;
    two_m += k;
  }
  if (two_m == 0) return 0;
  double q = 0;
  for (size_t c = 0; c < groups; ++c) {
    if (tot[c] == 0 && in[c] == 0) continue;
    q += in[c] / two_m - gamma * (tot[c] / two_m) * (tot[c] / two_m);
  }
  return q;
}

// Moves nodes between communities until no move increases modularity.
// comm[v] starts as v. Returns whether any node moved.
bool MoveNodes(const Level& l, double gamma, std::mt19937_64* rng, bool shuffle,
               const Interrupt& interrupt, std::vector<uint32_t>* comm_out) {
  const uint32_t n = l.n;
  std::vector<uint32_t>& comm = *comm_out;
  comm.resize(n);
  std::iota(comm.begin(), comm.end(), 0u);
  std::vector<double> k(n), tot(n);
  double two_m = 0;
  for (uint32_t v = 0; v < n; ++v) {
    k[v] = l.loop[v];
    for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1]; ++i) k[v] += l.weights[i];
    tot[v] = k[v];
    two_m += k[v];
  }
  if (two_m == 0) return false;
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  if (shuffle) std::shuffle(order.begin(), order.end(), *rng);

  // Fast local moving (Traag 2015): a queue of nodes to visit, first all of
  // them in `order`, then only the neighbours of nodes that moved (outside
  // their new community), until the queue is empty. The same fixed point as
  // sweeping over every node until none moves, with far fewer visits.
  std::vector<double> link(n, 0.0);  // link[C]: weight from the current node into C
  std::vector<uint32_t> touched;
  std::vector<uint32_t> queue(order.begin(), order.end());
  std::vector<uint8_t> queued(n, 1);
  bool any_moved = false;
  for (size_t head = 0; head < queue.size(); ++head) {
    if (interrupt.Requested()) return false;
    const uint32_t v = queue[head];
    queued[v] = 0;
    const uint32_t own = comm[v];
    touched.clear();
    for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1]; ++i) {
      uint32_t c = comm[l.targets[i]];
      if (link[c] == 0) touched.push_back(c);
      link[c] += l.weights[i];
    }
    tot[own] -= k[v];  // take v out of its community
    const double scale = gamma * k[v] / two_m;
    uint32_t best = own;
    double best_gain = link[own] - tot[own] * scale;
    for (uint32_t c : touched) {
      double gain = link[c] - tot[c] * scale;
      if (gain > best_gain) {
        best_gain = gain;
        best = c;
      }
    }
    tot[best] += k[v];
    for (uint32_t c : touched) link[c] = 0;
    if (best == own) continue;
    comm[v] = best;
    any_moved = true;
    for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1]; ++i) {
      const uint32_t w = l.targets[i];
      if (!queued[w] && comm[w] != best) {
        queued[w] = 1;
        queue.push_back(w);
      }
    }
    // Keep the queue's memory bounded: drop the visited prefix now and then.
    if (head > (1u << 20) && head * 2 > queue.size()) {
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(head) + 1);
      head = static_cast<size_t>(-1);
    }
  }
  return any_moved;
}

// The graph of communities: one node per community, arcs summed, arcs
// inside a community become its self-loop.
Level Aggregate(const Level& l, const std::vector<uint32_t>& comm, uint32_t count) {
  Level a;
  a.n = count;
  a.loop.assign(count, 0.0);
  a.offsets.assign(static_cast<size_t>(count) + 1, 0);
  std::vector<std::vector<uint32_t>> members(count);
  for (uint32_t v = 0; v < l.n; ++v) members[comm[v]].push_back(v);
  std::vector<double> link(count, 0.0);
  std::vector<uint32_t> touched;
  for (uint32_t c = 0; c < count; ++c) {
    touched.clear();
    for (uint32_t v : members[c]) {
      a.loop[c] += l.loop[v];
      for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1]; ++i) {
        uint32_t d = comm[l.targets[i]];
        if (d == c) {
          a.loop[c] += l.weights[i];
          continue;
        }
        if (link[d] == 0) touched.push_back(d);
        link[d] += l.weights[i];
      }
    }
    std::sort(touched.begin(), touched.end());
    for (uint32_t d : touched) {
      a.targets.push_back(d);
      a.weights.push_back(link[d]);
      link[d] = 0;
    }
    a.offsets[c + 1] = a.targets.size();
  }
  return a;
}

}  // namespace

double Modularity(const SimpleGraph& g, std::span<const uint32_t> community, double resolution) {
  return LevelModularity(FromSimple(g), community, resolution);
}

Result<Communities> Louvain(const SimpleGraph& g, const LouvainOptions& o,
                            const Interrupt& interrupt) {
  if (g.directed) return Status::InvalidArgument("louvain needs an undirected graph");
  const uint32_t n = g.num_nodes;
  Communities result;
  result.community.resize(n);
  std::iota(result.community.begin(), result.community.end(), 0u);
  std::mt19937_64 rng(o.seed);
  Level level = FromSimple(g);
  std::vector<uint32_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0u);
  double q = LevelModularity(level, identity, o.resolution);
  std::vector<uint32_t> comm;
  while (true) {
    const bool moved = MoveNodes(level, o.resolution, &rng, o.seed != 0, interrupt, &comm);
    SV_RETURN_IF_ERROR(interrupt.Check());
    if (!moved) break;
    std::vector<uint32_t> sizes = analytics::Renumber(&comm);
    const auto count = static_cast<uint32_t>(sizes.size());
    double new_q = LevelModularity(level, comm, o.resolution);
    if (new_q - q <= o.threshold) break;
    q = new_q;
    ++result.levels;
    for (uint32_t& c : result.community) c = comm[c];
    if (count == level.n) break;
    level = Aggregate(level, comm, count);
  }
  std::vector<uint32_t> sizes = analytics::Renumber(&result.community);
  result.count = static_cast<uint32_t>(sizes.size());
  result.modularity = Modularity(g, result.community, o.resolution);
  return result;
}

}  // namespace samverkan
