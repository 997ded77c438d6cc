// Neighborhood, ShortestPath and AllShortestPaths on small hand-built graphs.
#include <gtest/gtest.h>

#include <cstdio>
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
using test::Sorted;
using V = std::vector<std::string>;

// "KEY@depth<PARENT" (PARENT "-" for the start).
std::string ReachedString(const GraphView& view, const Reached& r) {
  return KeyOf(view, r.node) + "@" + std::to_string(r.depth) + "<" +
         (r.parent == kNoNode ? std::string("-") : KeyOf(view, r.parent));
}

// Runs a traversal and returns its rows sorted (BFS order within a depth is
// not specified), after checking the BFS properties of the unsorted result.
V Hood(const GraphView& view, std::string_view start, const TraversalSpec& spec) {
  auto rows = Neighborhood(view, IdOf(view, start), spec);
  if (!rows.ok()) return {"ERROR " + rows.status().ToString()};
  V out;
  uint32_t last_depth = 0;
  std::vector<NodeId> seen;
  for (const Reached& r : *rows) {
    EXPECT_GE(r.depth, last_depth) << "not in BFS order";
    last_depth = r.depth;
    EXPECT_EQ(std::count(seen.begin(), seen.end(), r.node), 0) << "node twice";
    seen.push_back(r.node);
    if (r.depth == 0) {
      EXPECT_EQ(r.parent, kNoNode);
      EXPECT_EQ(r.via.id, 0u);
    } else {
      // `via` joins the parent and the node.
      EXPECT_NE(r.via.id, 0u);
      EXPECT_TRUE((r.via.src == r.parent && r.via.dst == r.node) ||
                  (r.via.dst == r.parent && r.via.src == r.node))
          << ReachedString(view, r);
    }
    out.push_back(ReachedString(view, r));
  }
  return Sorted(out);
}

std::string PathString(const GraphView& view, const Path& p) {
  std::string s;
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    if (i) s += ">";
    s += KeyOf(view, p.nodes[i]);
  }
  char cost[32];
  std::snprintf(cost, sizeof cost, "%g", p.cost);
  s += " cost=";
  s += cost;
  // edges[i] joins nodes[i] and nodes[i+1].
  EXPECT_EQ(p.edges.size() + 1, p.nodes.size()) << s;
  for (size_t i = 0; i < p.edges.size() && i + 1 < p.nodes.size(); ++i) {
    const EdgeRef& e = p.edges[i];
    EXPECT_TRUE((e.src == p.nodes[i] && e.dst == p.nodes[i + 1]) ||
                (e.dst == p.nodes[i] && e.src == p.nodes[i + 1]))
        << s << " edge " << i;
  }
  return s;
}

std::string Shortest(const GraphView& view, std::string_view from, std::string_view to,
                     const PathSpec& spec = {}) {
  auto p = ShortestPath(view, IdOf(view, from), IdOf(view, to), spec);
  if (!p.ok()) return "ERROR " + p.status().ToString();
  if (!p->has_value()) return "none";
  return PathString(view, **p);
}

V AllShortest(const GraphView& view, std::string_view from, std::string_view to,
              const PathSpec& spec = {}) {
  auto ps = AllShortestPaths(view, IdOf(view, from), IdOf(view, to), spec);
  if (!ps.ok()) return {"ERROR " + ps.status().ToString()};
  V out;
  for (const Path& p : *ps) out.push_back(PathString(view, p));
  return out;
}

class TraversalTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("A", "actor")).ok());    // 1
    ASSERT_TRUE(txn->PutNode(N("B", "actor")).ok());    // 2
    ASSERT_TRUE(txn->PutNode(N("P", "project")).ok());  // 3
    ASSERT_TRUE(txn->PutNode(N("C", "actor")).ok());    // 4
    ASSERT_TRUE(txn->PutNode(N("R", "region")).ok());   // 5
    ASSERT_TRUE(txn->PutNode(N("D", "actor")).ok());    // 6
    ASSERT_TRUE(txn->PutNode(N("Q", "project")).ok());  // 7
    ASSERT_TRUE(txn->PutNode(N("Z", "actor")).ok());    // 8, isolated
    EdgeInput c_p = E("C", "participates_in", "P");
    c_p.validity = {D(2010, 1, 1), D(2012, 12, 31)};
    for (const EdgeInput& e : {E("A", "participates_in", "P"), E("B", "participates_in", "P"), c_p,
                               E("B", "located_in", "R"), E("D", "located_in", "R"),
                               E("A", "funds", "C"), E("D", "participates_in", "Q")}) {
      auto id = txn->PutEdge(e);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
    }
    ASSERT_OK(txn->Commit());
  }

  static TraversalSpec Spec(uint32_t depth, Direction dir = Direction::kBoth) {
    TraversalSpec s;
    s.max_depth = depth;
    s.edges.direction = dir;
    return s;
  }
};

TEST_F(TraversalTest, DepthOneBoth) {
  EXPECT_EQ(Hood(*db_, "A", Spec(1)), (V{"C@1<A", "P@1<A"}));
  EXPECT_EQ(Hood(*db_, "P", Spec(1)), (V{"A@1<P", "B@1<P", "C@1<P"}));
  EXPECT_EQ(Hood(*db_, "Z", Spec(3)), V{});
}

TEST_F(TraversalTest, DeeperBoth) {
  EXPECT_EQ(Hood(*db_, "A", Spec(2)), (V{"B@2<P", "C@1<A", "P@1<A"}));
  EXPECT_EQ(Hood(*db_, "A", Spec(3)), (V{"B@2<P", "C@1<A", "P@1<A", "R@3<B"}));
  EXPECT_EQ(Hood(*db_, "A", Spec(4)), (V{"B@2<P", "C@1<A", "D@4<R", "P@1<A", "R@3<B"}));
  EXPECT_EQ(Hood(*db_, "A", Spec(5)),
            (V{"B@2<P", "C@1<A", "D@4<R", "P@1<A", "Q@5<D", "R@3<B"}));
  EXPECT_EQ(Hood(*db_, "A", Spec(50)), Hood(*db_, "A", Spec(5)));
}

TEST_F(TraversalTest, Directions) {
  EXPECT_EQ(Hood(*db_, "A", Spec(3, Direction::kOut)), (V{"C@1<A", "P@1<A"}));
  EXPECT_EQ(Hood(*db_, "P", Spec(1, Direction::kOut)), V{});
  EXPECT_EQ(Hood(*db_, "P", Spec(2, Direction::kIn)), (V{"A@1<P", "B@1<P", "C@1<P"}));
  EXPECT_EQ(Hood(*db_, "R", Spec(3, Direction::kIn)), (V{"B@1<R", "D@1<R"}));
  EXPECT_EQ(Hood(*db_, "B", Spec(3, Direction::kOut)), (V{"P@1<B", "R@1<B"}));
  EXPECT_EQ(Hood(*db_, "C", Spec(2, Direction::kIn)), (V{"A@1<C"}));
}

TEST_F(TraversalTest, EdgeTypes) {
  TraversalSpec s = Spec(5);
  s.edges.types = {"located_in"};
  EXPECT_EQ(Hood(*db_, "B", s), (V{"D@2<R", "R@1<B"}));
  s.edges.types = {"located_in", "funds"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"C@1<A"}));
  s.edges.types = {"no_such_type"};
  EXPECT_EQ(Hood(*db_, "A", s), V{});
  s.edges.types = {"participates_in"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"B@2<P", "C@2<P", "P@1<A"}));
}

TEST_F(TraversalTest, ValidOn) {
  TraversalSpec s = Spec(1);
  s.edges.valid_on = D(2011, 6, 1);
  EXPECT_EQ(Hood(*db_, "P", s), (V{"A@1<P", "B@1<P", "C@1<P"}));
  s.edges.valid_on = D(2012, 12, 31);  // inclusive end
  EXPECT_EQ(Hood(*db_, "P", s), (V{"A@1<P", "B@1<P", "C@1<P"}));
  s.edges.valid_on = D(2015, 1, 1);
  EXPECT_EQ(Hood(*db_, "P", s), (V{"A@1<P", "B@1<P"}));
  s.edges.valid_on = D(2009, 12, 31);
  EXPECT_EQ(Hood(*db_, "C", s), (V{"A@1<C"}));
  s = Spec(2);
  s.edges.valid_on = D(2015, 1, 1);
  EXPECT_EQ(Hood(*db_, "A", s), (V{"B@2<P", "C@1<A", "P@1<A"}));
}

TEST_F(TraversalTest, NodeKindsFilterResultsButNotTheWalk) {
  TraversalSpec s = Spec(2);
  s.node_kinds = {"actor"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"B@2<P", "C@1<A"}));
  s = Spec(5);
  s.node_kinds = {"region"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"R@3<B"}));
  s.node_kinds = {"project", "region"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"P@1<A", "Q@5<D", "R@3<B"}));
}

TEST_F(TraversalTest, IncludeStart) {
  TraversalSpec s = Spec(1);
  s.include_start = true;
  auto rows = Neighborhood(*db_, IdOf(*db_, "A"), s);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(ReachedString(*db_, (*rows)[0]), "A@0<-");
  EXPECT_EQ((*rows)[0].via.id, 0u);
  EXPECT_EQ(Hood(*db_, "A", s), (V{"A@0<-", "C@1<A", "P@1<A"}));
  s.max_depth = 0;
  EXPECT_EQ(Hood(*db_, "A", s), (V{"A@0<-"}));
  s.max_depth = 2;
  s.include_start = false;
  V without = Hood(*db_, "A", s);
  EXPECT_EQ(std::count(without.begin(), without.end(), "A@0<-"), 0);
}

// The start row obeys the kinds filter like every other row, on the stored
// adjacency and on a CSR snapshot alike.
TEST_F(TraversalTest, IncludeStartObeysKinds) {
  TraversalSpec s = Spec(2);
  s.include_start = true;
  s.node_kinds = {"actor"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"A@0<-", "B@2<P", "C@1<A"}));
  s.node_kinds = {"project"};
  EXPECT_EQ(Hood(*db_, "A", s), (V{"P@1<A"}));
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  for (const auto& kinds : {std::vector<std::string>{"actor"}, std::vector<std::string>{"project"},
                            std::vector<std::string>{}}) {
    s.node_kinds = kinds;
    ASSERT_OK_AND_ASSIGN(auto stored, Neighborhood(*db_, IdOf(*db_, "A"), s));
    ASSERT_OK_AND_ASSIGN(auto fast, Neighborhood(*csr, db_->schema(), IdOf(*db_, "A"), s));
    V a, b;
    for (const Reached& r : stored) a.push_back(ReachedString(*db_, r));
    for (const Reached& r : fast) b.push_back(ReachedString(*db_, r));
    EXPECT_EQ(Sorted(a), Sorted(b));
    // A (an actor) is kept, and comes first, unless only projects are.
    const bool start_kept = kinds != std::vector<std::string>{"project"};
    ASSERT_FALSE(fast.empty());
    EXPECT_EQ(fast.front().depth == 0, start_kept);
  }
}

TEST_F(TraversalTest, ViaEdgeIsTheEdgeFollowed) {
  auto rows = Neighborhood(*db_, IdOf(*db_, "R"), Spec(1));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const Reached& r : *rows) {
    EXPECT_EQ(r.via.dst, IdOf(*db_, "R"));
    EXPECT_EQ(r.via.src, r.node);
    EXPECT_EQ(db_->schema().EdgeTypeName(r.via.type), "located_in");
  }
}

TEST_F(TraversalTest, UnknownStartIsNotFound) {
  EXPECT_CODE(kNotFound, Neighborhood(*db_, 999, Spec(1)).status());
  EXPECT_CODE(kNotFound, ShortestPath(*db_, 999, 1, {}).status());
  EXPECT_CODE(kNotFound, ShortestPath(*db_, 1, 999, {}).status());
  EXPECT_CODE(kNotFound, AllShortestPaths(*db_, 1, 999, {}).status());
}

TEST_F(TraversalTest, SeesUncommittedWritesOfATransaction) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutEdge(E("Z", "partners_with", "A")).ok());
  EXPECT_EQ(Hood(*txn, "Z", Spec(1)), (V{"A@1<Z"}));
  EXPECT_EQ(Shortest(*txn, "Z", "Q"), "Z>A>P>B>R>D>Q cost=6");
  EXPECT_EQ(Hood(*db_, "Z", Spec(1)), V{});
}

TEST_F(TraversalTest, ShortestPathUnweighted) {
  EXPECT_EQ(Shortest(*db_, "A", "D"), "A>P>B>R>D cost=4");
  EXPECT_EQ(Shortest(*db_, "D", "A"), "D>R>B>P>A cost=4");
  EXPECT_EQ(Shortest(*db_, "A", "C"), "A>C cost=1");
  PathSpec out;
  out.edges.direction = Direction::kOut;
  EXPECT_EQ(Shortest(*db_, "A", "D", out), "none");
  EXPECT_EQ(Shortest(*db_, "A", "P", out), "A>P cost=1");
  EXPECT_EQ(Shortest(*db_, "A", "Z"), "none");
  PathSpec in;
  in.edges.direction = Direction::kIn;
  EXPECT_EQ(Shortest(*db_, "P", "A", in), "P>A cost=1");
  EXPECT_EQ(Shortest(*db_, "A", "P", in), "none");
}

TEST_F(TraversalTest, ShortestPathFilters) {
  PathSpec s;
  s.max_depth = 3;
  EXPECT_EQ(Shortest(*db_, "A", "D", s), "none");
  s.max_depth = 4;
  EXPECT_EQ(Shortest(*db_, "A", "D", s), "A>P>B>R>D cost=4");
  PathSpec types;
  types.edges.types = {"participates_in"};
  EXPECT_EQ(Shortest(*db_, "A", "C", types), "A>P>C cost=2");
  types.edges.valid_on = D(2015, 1, 1);
  EXPECT_EQ(Shortest(*db_, "A", "C", types), "none");
}

class WeightedPathTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (const char* k : {"S", "X", "T", "L", "R", "U"}) {
      ASSERT_TRUE(txn->PutNode(N(k, "actor")).ok());
    }
    auto edge = [&](const char* s, const char* d, std::optional<double> w, const char* props) {
      EdgeInput e = E(s, "link", d);
      e.weight = w;
      e.props = props;
      auto id = txn->PutEdge(e);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
    };
    // A triangle: the direct edge is one hop but heavy in weight, light in km.
    edge("S", "X", 1.0, R"({"km":10})");
    edge("X", "T", 1.0, R"({"km":10})");
    edge("S", "T", 5.0, R"({"km":3})");
    // A diamond L <- U -> R, both reaching S... built from U to T:
    edge("U", "L", 1.0, "{}");
    edge("U", "R", 1.0, "{}");
    edge("L", "T", std::nullopt, "{}");
    edge("R", "T", 2.5, "{}");
    ASSERT_OK(txn->Commit());
  }
  static PathSpec Out(std::optional<std::string> cost = std::nullopt) {
    PathSpec s;
    s.edges.direction = Direction::kOut;
    s.cost = std::move(cost);
    return s;
  }
};

TEST_F(WeightedPathTest, UnweightedTakesFewestEdges) {
  EXPECT_EQ(Shortest(*db_, "S", "T", Out()), "S>T cost=1");
}

TEST_F(WeightedPathTest, WeightedByWeight) {
  EXPECT_EQ(Shortest(*db_, "S", "T", Out("weight")), "S>X>T cost=2");
  // L->T has no weight and costs 1: U>L>T costs 2, U>R>T costs 3.5.
  EXPECT_EQ(Shortest(*db_, "U", "T", Out("weight")), "U>L>T cost=2");
}

TEST_F(WeightedPathTest, WeightedByProperty) {
  EXPECT_EQ(Shortest(*db_, "S", "T", Out("props.km")), "S>T cost=3");
  // Edges without the property cost 1 each.
  EXPECT_EQ(Shortest(*db_, "S", "T", Out("props.nothing")), "S>T cost=1");
  EXPECT_EQ(Shortest(*db_, "S", "X", Out("props.km")), "S>X cost=10");
}

TEST_F(WeightedPathTest, NegativeCostIsAnError) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EdgeInput neg = E("S", "link", "U");
  neg.weight = -1.0;
  ASSERT_TRUE(txn->PutEdge(neg).ok());
  auto p = ShortestPath(*txn, IdOf(*txn, "S"), IdOf(*txn, "T"), Out("weight"));
  EXPECT_FALSE(p.ok()) << (p.ok() && p->has_value() ? PathString(*txn, **p) : "");
}

TEST_F(WeightedPathTest, AllShortestPathsOnDiamond) {
  V both = AllShortest(*db_, "U", "T", Out());
  EXPECT_EQ(Sorted(both), (V{"U>L>T cost=2", "U>R>T cost=2"}));
  // Deterministic order.
  EXPECT_EQ(AllShortest(*db_, "U", "T", Out()), both);
  // Undirected: still exactly those two (S>T>... would be longer).
  EXPECT_EQ(Sorted(AllShortest(*db_, "U", "T")), (V{"U>L>T cost=2", "U>R>T cost=2"}));
  // Capped.
  PathSpec one = Out();
  one.max_paths = 1;
  V capped = AllShortest(*db_, "U", "T", one);
  ASSERT_EQ(capped.size(), 1u);
  EXPECT_TRUE(capped[0] == "U>L>T cost=2" || capped[0] == "U>R>T cost=2") << capped[0];
  // Weighted: only one is cheapest.
  EXPECT_EQ(AllShortest(*db_, "U", "T", Out("weight")), (V{"U>L>T cost=2"}));
  // A single shortest path is one of the two.
  std::string single = Shortest(*db_, "U", "T", Out());
  EXPECT_TRUE(single == "U>L>T cost=2" || single == "U>R>T cost=2") << single;
}

TEST_F(WeightedPathTest, AllShortestPathsUnreachableIsEmpty) {
  EXPECT_EQ(AllShortest(*db_, "T", "U", Out()), V{});
  EXPECT_EQ(Shortest(*db_, "T", "U", Out()), "none");
  EXPECT_EQ(AllShortest(*db_, "S", "T", Out()), (V{"S>T cost=1"}));
}

}  // namespace
}  // namespace samverkan
