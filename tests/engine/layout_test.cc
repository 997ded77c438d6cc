// The layouts (samverkan/layout.h) on graphs built by hand. Their quality
// is compared with igraph's in tests/sqlite/test_layout_igraph.py.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "samverkan/layout.h"

namespace samverkan {
namespace {

constexpr LayoutAlgorithm kAll[] = {LayoutAlgorithm::kStress, LayoutAlgorithm::kForceAtlas2,
                                    LayoutAlgorithm::kFruchtermanReingold};

// An undirected SimpleGraph from a list of ties.
SimpleGraph Graph(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& ties) {
  std::vector<std::vector<uint32_t>> adj(n);
  for (auto [a, b] : ties) {
    adj[a].push_back(b);
    adj[b].push_back(a);
  }
  SimpleGraph g;
  g.num_nodes = n;
  g.offsets.push_back(0);
  for (auto& list : adj) {
    std::sort(list.begin(), list.end());
    g.targets.insert(g.targets.end(), list.begin(), list.end());
    g.offsets.push_back(g.targets.size());
  }
  return g;
}

SimpleGraph Path(uint32_t n) {
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t i = 0; i + 1 < n; ++i) ties.push_back({i, i + 1});
  return Graph(n, ties);
}

// A random graph with n nodes and about m ties (seeded).
SimpleGraph Random(uint32_t n, uint32_t m, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t i = 0; i < m; ++i) {
    uint32_t a = static_cast<uint32_t>(rng() % n), b = static_cast<uint32_t>(rng() % n);
    if (a != b) ties.push_back({std::min(a, b), std::max(a, b)});
  }
  std::sort(ties.begin(), ties.end());
  ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
  return Graph(n, ties);
}

double Distance(const Layout& l, uint32_t a, uint32_t b) {
  return std::hypot(l.x[a] - l.x[b], l.y[a] - l.y[b]);
}

TEST(LayoutTest, ParsesAndNamesAlgorithms) {
  EXPECT_EQ(*ParseLayoutAlgorithm("stress"), LayoutAlgorithm::kStress);
  EXPECT_EQ(*ParseLayoutAlgorithm("fa2"), LayoutAlgorithm::kForceAtlas2);
  EXPECT_EQ(*ParseLayoutAlgorithm("fruchterman-reingold"), LayoutAlgorithm::kFruchtermanReingold);
  EXPECT_EQ(LayoutAlgorithmName(LayoutAlgorithm::kForceAtlas2), "forceatlas2");
  auto bad = ParseLayoutAlgorithm("spring");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "layout must be 'auto', 'stress', 'forceatlas2' or 'fruchterman-reingold', not "
            "'spring'");
  EXPECT_EQ(*ParseLayoutAlgorithm("auto"), LayoutAlgorithm::kAuto);
  EXPECT_EQ(LayoutAlgorithmName(LayoutAlgorithm::kAuto), "auto");
}

TEST(LayoutTest, AutoIsStressUpToTheLimitInTheLargestComponent) {
  EXPECT_EQ(ResolveLayoutAlgorithm(Path(10), LayoutAlgorithm::kAuto), LayoutAlgorithm::kStress);
  EXPECT_EQ(ResolveLayoutAlgorithm(Path(10), LayoutAlgorithm::kFruchtermanReingold),
            LayoutAlgorithm::kFruchtermanReingold);
  // Many nodes, but small components: stress.
  SimpleGraph scattered = Graph(kAutoStressLimit + 100, {{0, 1}, {5, 6}});
  EXPECT_EQ(ResolveLayoutAlgorithm(scattered, LayoutAlgorithm::kAuto), LayoutAlgorithm::kStress);
  EXPECT_EQ(ResolveLayoutAlgorithm(Path(kAutoStressLimit), LayoutAlgorithm::kAuto),
            LayoutAlgorithm::kStress);
  EXPECT_EQ(ResolveLayoutAlgorithm(Path(kAutoStressLimit + 1), LayoutAlgorithm::kAuto),
            LayoutAlgorithm::kForceAtlas2);
  // LayOut says which ran.
  auto l = LayOut(Path(5), {});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->algorithm, LayoutAlgorithm::kStress);
  l = LayOut(Path(5), {.algorithm = LayoutAlgorithm::kForceAtlas2});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->algorithm, LayoutAlgorithm::kForceAtlas2);
}

TEST(LayoutTest, EmptyAndSingleNodeGraphs) {
  for (LayoutAlgorithm a : kAll) {
    auto empty = LayOut(Graph(0, {}), {.algorithm = a});
    ASSERT_TRUE(empty.ok()) << empty.status().ToString();
    EXPECT_TRUE(empty->x.empty());
    auto one = LayOut(Graph(1, {}), {.algorithm = a});
    ASSERT_TRUE(one.ok());
    ASSERT_EQ(one->x.size(), 1u);
    EXPECT_TRUE(std::isfinite(one->x[0]) && std::isfinite(one->y[0]));
  }
}

TEST(LayoutTest, SameSeedSamePositionsOtherSeedOthers) {
  SimpleGraph g = Random(300, 900, 1);
  for (LayoutAlgorithm a : kAll) {
    auto first = LayOut(g, {.algorithm = a, .seed = 7, .iterations = 50});
    auto again = LayOut(g, {.algorithm = a, .seed = 7, .iterations = 50});
    auto other = LayOut(g, {.algorithm = a, .seed = 8, .iterations = 50});
    ASSERT_TRUE(first.ok() && again.ok() && other.ok());
    EXPECT_EQ(first->x, again->x) << LayoutAlgorithmName(a);
    EXPECT_EQ(first->y, again->y) << LayoutAlgorithmName(a);
    EXPECT_NE(first->x, other->x) << LayoutAlgorithmName(a);
  }
}

TEST(LayoutTest, ThreadsDoNotChangeTheResult) {
  // Large enough for two threads to be used (and for the sparse stress model).
  SimpleGraph g = Random(6000, 15000, 2);
  for (LayoutAlgorithm a : {LayoutAlgorithm::kStress, LayoutAlgorithm::kForceAtlas2}) {
    auto one = LayOut(g, {.algorithm = a, .iterations = 5, .threads = 1});
    auto two = LayOut(g, {.algorithm = a, .iterations = 5, .threads = 2});
    ASSERT_TRUE(one.ok() && two.ok());
    EXPECT_EQ(one->x, two->x) << LayoutAlgorithmName(a);
    EXPECT_EQ(one->y, two->y) << LayoutAlgorithmName(a);
  }
}

TEST(LayoutTest, StressLaysAPathOutStraight) {
  // The stress optimum of a path is a straight line with unit steps.
  auto l = LayOut(Path(10), {});
  ASSERT_TRUE(l.ok());
  EXPECT_NEAR(Distance(*l, 0, 9), 9.0, 0.2);
  for (uint32_t i = 0; i + 1 < 10; ++i) EXPECT_NEAR(Distance(*l, i, i + 1), 1.0, 0.1);
}

TEST(LayoutTest, TiedNodesEndUpCloserThanOthers) {
  // Two dense groups joined by one tie: members of a group are closer to
  // each other than to members of the other group, in every algorithm.
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t a = 0; a < 10; ++a) {
    for (uint32_t b = a + 1; b < 10; ++b) {
      ties.push_back({a, b});
      ties.push_back({a + 10, b + 10});
    }
  }
  ties.push_back({0, 10});
  SimpleGraph g = Graph(20, ties);
  for (LayoutAlgorithm a : kAll) {
    auto l = LayOut(g, {.algorithm = a});
    ASSERT_TRUE(l.ok());
    double inside = 0, across = 0;
    for (uint32_t i = 1; i < 10; ++i) {
      for (uint32_t j = 1; j < 10; ++j) {
        inside += Distance(*l, i, j) + Distance(*l, i + 10, j + 10);
        across += 2 * Distance(*l, i, j + 10);
      }
    }
    EXPECT_LT(inside * 2, across) << LayoutAlgorithmName(a);
  }
}

TEST(LayoutTest, StressPacksComponentsApart) {
  // Three triangles: no node of one lies inside another's bounding box.
  SimpleGraph g = Graph(9, {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {6, 7}, {7, 8}, {6, 8}});
  auto l = LayOut(g, {});
  ASSERT_TRUE(l.ok());
  for (uint32_t c = 0; c < 3; ++c) {
    double lo_x = 1e9, hi_x = -1e9, lo_y = 1e9, hi_y = -1e9;
    for (uint32_t i = 3 * c; i < 3 * c + 3; ++i) {
      lo_x = std::min(lo_x, l->x[i]);
      hi_x = std::max(hi_x, l->x[i]);
      lo_y = std::min(lo_y, l->y[i]);
      hi_y = std::max(hi_y, l->y[i]);
    }
    for (uint32_t i = 0; i < 9; ++i) {
      if (i / 3 == c) continue;
      const bool inside = l->x[i] >= lo_x && l->x[i] <= hi_x && l->y[i] >= lo_y && l->y[i] <= hi_y;
      EXPECT_FALSE(inside) << "node " << i << " inside component " << c;
    }
  }
}

TEST(LayoutTest, EveryLayoutPacksSmallComponentsBesideTheMainOne) {
  // A random component of 300 nodes (a path through them keeps it whole),
  // 40 pairs and 20 lone nodes: none of the others lies inside the main
  // component's box, and the main component spans at least a third of the
  // whole layout (a force model on the whole graph flings the lone nodes
  // far out, and the main component shrinks to a speck between them).
  constexpr uint32_t kMain = 300, kPairs = 40, kLone = 20;
  std::mt19937_64 rng(5);
  std::vector<std::pair<uint32_t, uint32_t>> ties;
  for (uint32_t i = 0; i + 1 < kMain; ++i) ties.push_back({i, i + 1});
  for (uint32_t i = 0; i < 600; ++i) {
    const auto a = static_cast<uint32_t>(rng() % kMain), b = static_cast<uint32_t>(rng() % kMain);
    if (a != b) ties.push_back({std::min(a, b), std::max(a, b)});
  }
  std::sort(ties.begin(), ties.end());
  ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
  for (uint32_t p = 0; p < kPairs; ++p) ties.push_back({kMain + 2 * p, kMain + 2 * p + 1});
  const SimpleGraph g = Graph(kMain + 2 * kPairs + kLone, ties);
  for (LayoutAlgorithm a : kAll) {
    auto l = LayOut(g, {.algorithm = a, .iterations = a == LayoutAlgorithm::kStress ? 0u : 200u});
    ASSERT_TRUE(l.ok()) << LayoutAlgorithmName(a);
    auto box = [&](uint32_t from, uint32_t to) {
      std::array<double, 4> b{1e300, 1e300, -1e300, -1e300};
      for (uint32_t i = from; i < to; ++i) {
        b = {std::min(b[0], l->x[i]), std::min(b[1], l->y[i]), std::max(b[2], l->x[i]),
             std::max(b[3], l->y[i])};
      }
      return b;
    };
    const auto main = box(0, kMain), all = box(0, g.num_nodes);
    const double main_span = std::max(main[2] - main[0], main[3] - main[1]);
    const double all_span = std::max(all[2] - all[0], all[3] - all[1]);
    EXPECT_GE(main_span, all_span / 3) << LayoutAlgorithmName(a);
    for (uint32_t i = kMain; i < g.num_nodes; ++i) {
      const bool inside = l->x[i] > main[0] && l->x[i] < main[2] && l->y[i] > main[1] &&
                          l->y[i] < main[3];
      EXPECT_FALSE(inside) << LayoutAlgorithmName(a) << ": node " << i;
    }
  }
}

TEST(LayoutTest, DirectedGraphsAreReadAsUndirected) {
  SimpleGraph directed = Path(6);
  // Keep only the arcs i -> i+1.
  SimpleGraph arcs;
  arcs.num_nodes = 6;
  arcs.directed = true;
  arcs.offsets.push_back(0);
  for (uint32_t v = 0; v < 6; ++v) {
    if (v + 1 < 6) arcs.targets.push_back(v + 1);
    arcs.offsets.push_back(arcs.targets.size());
  }
  auto a = LayOut(arcs, {});
  auto b = LayOut(directed, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->x, b->x);
  EXPECT_EQ(a->y, b->y);
}

TEST(LayoutTest, StopsWhenInterrupted) {
  SimpleGraph g = Random(3000, 9000, 3);
  Interrupt stop([] { return true; }, std::chrono::milliseconds(0));
  for (LayoutAlgorithm a : kAll) {
    auto l = LayOut(g, {.algorithm = a, .iterations = 100000}, stop);
    ASSERT_FALSE(l.ok()) << LayoutAlgorithmName(a);
    EXPECT_TRUE(l.status().IsInterrupted());
  }
}

TEST(LayoutTest, RejectsBadSettings) {
  auto l = LayOut(Path(3), {.algorithm = LayoutAlgorithm::kForceAtlas2, .gravity = -1});
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message(), "gravity must be a number >= 0");
  l = LayOut(Path(3), {.theta = NAN});
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message(), "theta must be a number >= 0");
}

TEST(LayoutTest, DefaultIterationsShrinkWithTheGraph) {
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kStress, 1000000, 1000000), 30u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kForceAtlas2, 10, 10), 1000u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kForceAtlas2, 1000000, 10000000), 50u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kForceAtlas2, 100000, 1000000), 50u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kAuto, 100000, 1000000), 50u);
  // Half the budget above 50,000 nodes (H2020's size).
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kForceAtlas2, 50000, 181000), 172u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kForceAtlas2, 66720, 181000), 69u);
  EXPECT_EQ(LayoutIterations(LayoutAlgorithm::kAuto, 10000, 50000), 30u);
}

}  // namespace
}  // namespace samverkan
