// CsrGraph: traversals over a CSR agree with the same traversals over the
// stored graph on random graphs; the Db's CSR cache is invalidated by a
// commit; the spec's filters (kinds, types, valid_on, year, weights) hold.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::D;
using test::E;
using test::IdOf;
using test::KeyOf;
using test::N;

class CsrTest : public test::DbTest {
 protected:
  // A random graph: `n` nodes of three kinds, edges of three types with
  // parallel edges (ranks), self-loops and validity intervals.
  // Keys are "<prefix>n<i>", so several graphs can live side by side.
  void BuildRandom(uint32_t seed, int n, int m, const std::string& prefix = "") {
    std::mt19937 rng(seed);
    auto txn = Begin();
    ASSERT_TRUE(txn);
    const char* kinds[] = {"actor", "project", "region"};
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(txn->PutNode(N(prefix + "n" + std::to_string(i), kinds[rng() % 3])).status());
    }
    const char* types[] = {"participates_in", "funds", "located_in"};
    for (int i = 0; i < m; ++i) {
      std::string src = prefix + "n" + std::to_string(rng() % n);
      std::string type = types[rng() % 3];
      std::string dst = prefix + "n" + std::to_string(rng() % n);
      EdgeInput e = E(src, type, dst, rng() % 2);
      if (rng() % 3 == 0) e.validity = {D(2010 + rng() % 5, 1, 1), D(2014 + rng() % 5, 6, 30)};
      e.weight = 1 + rng() % 4;
      ASSERT_OK(txn->PutEdge(e).status());
    }
    ASSERT_OK(txn->Commit());
  }

  // (key, depth) of each node reached: BFS parents may differ between two
  // correct searches, depths may not.
  static std::set<std::string> Depths(const GraphView& view, const std::vector<Reached>& rows) {
    std::set<std::string> out;
    for (const Reached& r : rows) out.insert(KeyOf(view, r.node) + "@" + std::to_string(r.depth));
    return out;
  }
};

TEST_F(CsrTest, TraversalsEqualGraphViewOnRandomGraphs) {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    const std::string prefix = "s" + std::to_string(seed);
    BuildRandom(seed, 40, 120, prefix);
    for (std::optional<Date> on : {std::optional<Date>(), std::optional<Date>(D(2014, 3, 1))}) {
      ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr(CsrSpec{.valid_on = on}));
      for (Direction dir : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
        for (std::vector<std::string> types :
             {std::vector<std::string>{}, std::vector<std::string>{"funds", "located_in"}}) {
          TraversalSpec spec;
          spec.max_depth = 3;
          spec.edges.direction = dir;
          spec.edges.types = types;
          spec.edges.valid_on = on;
          for (int start = 0; start < 40; start += 7) {
            NodeId id = IdOf(*db_, prefix + "n" + std::to_string(start));
            ASSERT_OK_AND_ASSIGN(auto stored, Neighborhood(*db_, id, spec));
            ASSERT_OK_AND_ASSIGN(auto fast, Neighborhood(*csr, db_->schema(), id, spec));
            EXPECT_EQ(Depths(*db_, stored), Depths(*db_, fast)) << "seed " << seed;
            PathSpec ps{.edges = spec.edges};
            NodeId to = IdOf(*db_, prefix + "n" + std::to_string((start * 13 + 5) % 40));
            ASSERT_OK_AND_ASSIGN(auto p1, ShortestPath(*db_, id, to, ps));
            ASSERT_OK_AND_ASSIGN(auto p2, ShortestPath(*csr, db_->schema(), id, to, ps));
            ASSERT_EQ(p1.has_value(), p2.has_value());
            if (p1) {
              EXPECT_EQ(p1->edges.size(), p2->edges.size());
            }
          }
        }
      }
    }
  }
}

TEST_F(CsrTest, CacheIsSharedUntilACommit) {
  BuildRandom(9, 10, 20);
  ASSERT_OK_AND_ASSIGN(auto a, db_->Csr({}));
  ASSERT_OK_AND_ASSIGN(auto b, db_->Csr({}));
  EXPECT_EQ(a.get(), b.get());
  ASSERT_OK_AND_ASSIGN(auto other, db_->Csr(CsrSpec{.edge_types = {"funds"}}));
  EXPECT_NE(a.get(), other.get());
  auto txn = Begin();
  ASSERT_OK(txn->PutEdge(E("n0", "partners_with", "n1")).status());
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(auto c, db_->Csr({}));
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(c->num_edges(), a->num_edges() + 1);
  EXPECT_EQ(a->num_edges(), 20u);  // the old snapshot is unchanged
}

TEST_F(CsrTest, CsrIfCachedNeverBuilds) {
  BuildRandom(11, 10, 20);
  EXPECT_EQ(db_->CsrIfCached({}), nullptr);
  ASSERT_OK_AND_ASSIGN(auto built, db_->Csr({}));
  EXPECT_EQ(db_->CsrIfCached({}).get(), built.get());
  EXPECT_EQ(db_->CsrIfCached(CsrSpec{.edge_types = {"funds"}}), nullptr);
  auto txn = Begin();
  ASSERT_OK(txn->PutEdge(E("n0", "partners_with", "n1")).status());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(db_->CsrIfCached({}), nullptr);  // a commit makes it stale
}

// Every slot, out and in, in the full snapshot and in filtered ones, names
// the stored edge it stands for: its id loads an edge with the slot's
// endpoints and type, parallel edges in rank order, each edge at one
// position seen once from each side.
TEST_F(CsrTest, SlotsCarryTheirEdgesPositionAndId) {
  BuildRandom(7, 40, 400);
  for (const CsrSpec& spec : {CsrSpec{}, CsrSpec{.edge_types = {"funds", "located_in"}},
                              CsrSpec{.node_kinds = {"actor", "project"}},
                              CsrSpec{.valid_on = D(2013, 1, 1)}}) {
    ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr(spec));
    auto snap = db_->GetSnapshot();
    std::vector<int> seen_out(csr->num_edges()), seen_in(csr->num_edges());
    for (uint32_t v = 0; v < csr->num_nodes(); ++v) {
      for (int side = 0; side < 2; ++side) {
        auto others = side == 0 ? csr->out_neighbors(v) : csr->in_neighbors(v);
        auto types = side == 0 ? csr->out_types(v) : csr->in_types(v);
        for (size_t i = 0; i < others.size(); ++i) {
          uint32_t pos = side == 0 ? csr->out_edge(v, i) : csr->in_edge(v, i);
          ASSERT_LT(pos, csr->num_edges());
          ++(side == 0 ? seen_out : seen_in)[pos];
          ASSERT_OK_AND_ASSIGN(Edge e, snap->GetEdge(csr->edge_id(pos)));
          NodeId here = csr->node_id(v), there = csr->node_id(others[i]);
          EXPECT_EQ(side == 0 ? e.src : e.dst, here);
          EXPECT_EQ(side == 0 ? e.dst : e.src, there);
          EXPECT_EQ(e.type, snap->schema().EdgeTypeName(types[i]));
          if (i > 0 && others[i - 1] == others[i] && types[i - 1] == types[i]) {
            uint32_t prev = side == 0 ? csr->out_edge(v, i - 1) : csr->in_edge(v, i - 1);
            ASSERT_OK_AND_ASSIGN(Edge p, snap->GetEdge(csr->edge_id(prev)));
            EXPECT_LT(p.rank, e.rank);
          }
        }
      }
    }
    EXPECT_EQ(seen_out, std::vector<int>(csr->num_edges(), 1));
    EXPECT_EQ(seen_in, std::vector<int>(csr->num_edges(), 1));
  }
}

TEST_F(CsrTest, SpecFilters) {
  auto txn = Begin();
  for (auto [k, kind] : {std::pair{"a", "actor"}, {"b", "actor"}, {"p", "project"}, {"r", "region"}}) {
    ASSERT_OK(txn->PutNode(N(k, kind)).status());
  }
  EdgeInput old = E("a", "participates_in", "p");
  old.validity = {D(2015, 1, 1), D(2016, 12, 31)};
  old.weight = 2.5;
  ASSERT_OK(txn->PutEdge(old).status());
  ASSERT_OK(txn->PutEdge(E("b", "participates_in", "p")).status());
  ASSERT_OK(txn->PutEdge(E("b", "participates_in", "p", 1)).status());  // parallel
  ASSERT_OK(txn->PutEdge(E("a", "located_in", "r")).status());
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto all, db_->Csr({}));
  EXPECT_EQ(all->num_nodes(), 4u);
  EXPECT_EQ(all->num_edges(), 4u);
  EXPECT_FALSE(all->has_weights());
  EXPECT_TRUE(all->out_weights(0).empty());
  // 12 bytes per edge for adjacency, 12 for positions and ids, 16 per node
  // for offsets, plus the per-node arrays.
  EXPECT_LE(all->memory_bytes(), 24 * all->num_edges() + 40 * all->num_nodes() + 64);

  ASSERT_OK_AND_ASSIGN(auto kinds, db_->Csr(CsrSpec{.node_kinds = {"actor", "project"}}));
  EXPECT_EQ(kinds->num_nodes(), 3u);
  EXPECT_EQ(kinds->num_edges(), 3u);  // located_in lost its region
  ASSERT_OK_AND_ASSIGN(auto types, db_->Csr(CsrSpec{.edge_types = {"located_in"}}));
  EXPECT_EQ(types->num_edges(), 1u);
  ASSERT_OK_AND_ASSIGN(auto on, db_->Csr(CsrSpec{.valid_on = D(2020, 1, 1)}));
  EXPECT_EQ(on->num_edges(), 3u);
  for (int year : {2014, 2015, 2016, 2017}) {
    ASSERT_OK_AND_ASSIGN(auto y, db_->Csr(CsrSpec{.year = year}));
    EXPECT_EQ(y->num_edges(), (year == 2015 || year == 2016) ? 4u : 3u) << year;
  }
  ASSERT_OK_AND_ASSIGN(auto w, db_->Csr(CsrSpec{.with_weights = true}));
  ASSERT_TRUE(w->has_weights());
  uint32_t a = *w->index_of(IdOf(*db_, "a"));
  uint32_t p = *w->index_of(IdOf(*db_, "p"));
  double to_p = 0;
  for (size_t i = 0; i < w->out_neighbors(a).size(); ++i) {
    if (w->out_neighbors(a)[i] == p) to_p = w->out_weights(a)[i];
  }
  EXPECT_EQ(to_p, 2.5);
  double into_p = 0;
  for (double x : w->in_weights(p)) into_p += x;
  EXPECT_EQ(into_p, 2.5 + 1 + 1);  // edges without a weight weigh 1
}

}  // namespace
}  // namespace samverkan
