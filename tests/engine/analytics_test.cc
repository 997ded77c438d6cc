// The analytics functions (samverkan/analytics.h) on small hand-built graphs
// whose answers are known; the differential tests against NetworkX and
// igraph are in tests/sqlite/test_analytics_networkx.py.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "samverkan/analytics.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::E;
using test::IdOf;
using test::KeyOf;
using test::N;

class AnalyticsTest : public test::DbTest {
 protected:
  // Nodes "key:kind:sector" and edges "src>dst" (type "tie"; "src>dst*w"
  // with a weight).
  void Build(const std::vector<std::string>& nodes, const std::vector<std::string>& edges) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (const auto& spec : nodes) {
      auto a = spec.find(':'), b = spec.find(':', a + 1);
      ASSERT_OK(txn->PutNode(N(spec.substr(0, a), spec.substr(a + 1, b - a - 1), {},
                               b == std::string::npos ? "" : spec.substr(b + 1)))
                    .status());
    }
    std::map<std::string, uint32_t> rank;
    for (const auto& spec : edges) {
      auto gt = spec.find('>'), star = spec.find('*');
      std::string src = spec.substr(0, gt);
      std::string dst = spec.substr(gt + 1, star == std::string::npos ? std::string::npos : star - gt - 1);
      EdgeInput e = E(src, "tie", dst, rank[src + ">" + dst]++);
      if (star != std::string::npos) e.weight = std::stod(spec.substr(star + 1));
      ASSERT_OK(txn->PutEdge(e).status());
    }
    ASSERT_OK(txn->Commit());
  }

  std::shared_ptr<const CsrGraph> Csr(bool weights = false) {
    auto csr = db_->Csr(CsrSpec{.with_weights = weights});
    EXPECT_TRUE(csr.ok()) << csr.status().ToString();
    return *csr;
  }

  // "key=value" for each node, in index order.
  template <typename T>
  std::string PerNode(const CsrGraph& csr, const std::vector<T>& values) {
    std::string s;
    for (uint32_t v = 0; v < csr.num_nodes(); ++v) {
      if (!s.empty()) s += " ";
      std::ostringstream x;
      x << values[v];
      s += KeyOf(*db_, csr.node_id(v)) + "=" + x.str();
    }
    return s;
  }

  SimpleGraph Simple(const CsrGraph& csr, Direction dir = Direction::kBoth, bool weighted = false) {
    auto g = MakeSimpleGraph(csr, dir, weighted);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return *g;
  }
};

TEST_F(AnalyticsTest, SimpleGraphMergesParallelEdgesAndDropsSelfLoops) {
  Build({"a:x", "b:x", "c:x"}, {"a>b*2", "a>b*3", "b>a*1", "c>c", "b>c"});
  auto csr = Csr(true);
  SimpleGraph und = Simple(*csr, Direction::kBoth, true);
  EXPECT_FALSE(und.directed);
  EXPECT_EQ(und.num_ties(), 2u);
  EXPECT_EQ(und.weights[0], 6.0);  // a-b: 2 + 3 + 1
  SimpleGraph out = Simple(*csr, Direction::kOut, true);
  EXPECT_EQ(out.num_ties(), 3u);   // a>b, b>a, b>c
  SimpleGraph in = Transpose(out);
  EXPECT_EQ(in.neighbors(2).size(), 1u);  // c <- b
  EXPECT_CODE(kInvalidArgument, MakeSimpleGraph(*Csr(false), Direction::kBoth, true).status());
}

TEST_F(AnalyticsTest, Components) {
  // a <-> b -> c, and d -> e: weak {a,b,c} {d,e}; strong {a,b} {c} {d} {e}.
  Build({"a:x", "b:x", "c:x", "d:x", "e:x"}, {"a>b", "b>a", "b>c", "d>e"});
  auto csr = Csr();
  Components weak = WeakComponents(*csr);
  EXPECT_EQ(PerNode(*csr, weak.component), "a=0 b=0 c=0 d=1 e=1");
  EXPECT_EQ(weak.size, (std::vector<uint32_t>{3, 2}));
  // Over the simple graph, read either way: the same components.
  for (Direction d : {Direction::kBoth, Direction::kOut, Direction::kIn}) {
    Components simple = WeakComponents(Simple(*csr, d, false));
    EXPECT_EQ(simple.component, weak.component);
    EXPECT_EQ(simple.size, weak.size);
  }
  Components strong = StrongComponents(*csr);
  EXPECT_EQ(PerNode(*csr, strong.component), "a=0 b=0 c=1 d=2 e=3");
}

TEST_F(AnalyticsTest, PageRank) {
  Build({"a:x", "b:x", "c:x", "d:x"}, {"a>b", "b>c", "c>a"});  // a cycle and a lone d
  auto csr = Csr();
  ASSERT_OK_AND_ASSIGN(PageRankResult pr,
                       PageRank(*csr, {.tolerance = 1e-12, .direction = Direction::kOut}));
  EXPECT_TRUE(pr.converged);
  // d is dangling: it keeps (1-0.85)/4 + 0.85 * x_d / 4 and passes the rest
  // on evenly; the cycle shares what is left.
  const double d = (0.15 / 4) / (1 - 0.85 / 4);
  EXPECT_EQ(PerNode(*csr, pr.rank), "a=0.31746 b=0.31746 c=0.31746 d=0.047619");
  EXPECT_NEAR(pr.rank[3], d, 1e-9);
  EXPECT_NEAR(pr.rank[0], (1 - d) / 3, 1e-9);
  ASSERT_OK_AND_ASSIGN(pr, PageRank(*csr, {.max_iterations = 1000, .tolerance = 1e-12,
                                           .personalization = {0, 0, 0, 1}}));
  double sum = 0;
  for (double r : pr.rank) sum += r;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(pr.rank[3], 1.0, 1e-9);  // all teleports to d, which links nowhere
  EXPECT_CODE(kInvalidArgument, PageRank(*csr, {.personalization = {0, 0, 0, 0}}).status());
  EXPECT_CODE(kInvalidArgument, PageRank(*csr, {.damping = 1.5}).status());
}

TEST_F(AnalyticsTest, PageRankOfASimpleGraphIsTheCsrsReadUndirected) {
  // A triangle with a tail and a lone node: no parallel edges, so the CSR
  // read both ways is the simple graph.
  Build({"a:x", "b:x", "c:x", "d:x", "e:x"}, {"a>b", "b>c", "c>a", "c>d"});
  auto csr = Csr();
  ASSERT_OK_AND_ASSIGN(PageRankResult want, PageRank(*csr, {.tolerance = 1e-12}));
  ASSERT_OK_AND_ASSIGN(PageRankResult got, PageRank(Simple(*csr), {.tolerance = 1e-12}));
  EXPECT_TRUE(got.converged);
  ASSERT_EQ(got.rank.size(), want.rank.size());
  for (size_t v = 0; v < got.rank.size(); ++v) EXPECT_NEAR(got.rank[v], want.rank[v], 1e-10);
  EXPECT_CODE(kInvalidArgument, PageRank(Simple(*csr, Direction::kOut), {}).status());
  EXPECT_CODE(kInvalidArgument, PageRank(Simple(*csr), {.weighted = true}).status());
}

TEST_F(AnalyticsTest, BetweennessAndClosenessOnAPath) {
  Build({"a:x", "b:x", "c:x", "d:x"}, {"a>b", "b>c", "c>d"});
  auto csr = Csr();
  SimpleGraph g = Simple(*csr);
  ASSERT_OK_AND_ASSIGN(auto bc, Betweenness(g, {}));
  // b lies on a-c, a-d: 2 of the 3 pairs without it.
  EXPECT_EQ(PerNode(*csr, bc), "a=0 b=0.666667 c=0.666667 d=0");
  ASSERT_OK_AND_ASSIGN(bc, Betweenness(g, {.normalized = false}));
  EXPECT_EQ(PerNode(*csr, bc), "a=0 b=2 c=2 d=0");
  ASSERT_OK_AND_ASSIGN(auto cc, Closeness(g, {}));
  EXPECT_EQ(PerNode(*csr, cc), "a=0.5 b=0.75 c=0.75 d=0.5");
  // Directed: a reaches b, c, d at 1, 2, 3.
  ASSERT_OK_AND_ASSIGN(cc, Closeness(Simple(*csr, Direction::kOut), {}));
  EXPECT_EQ(PerNode(*csr, cc), "a=0.5 b=0.444444 c=0.333333 d=0");
}

TEST_F(AnalyticsTest, WeightedBetweennessUsesLengths) {
  // a-b-c costs 2, a-c costs 5: the path through b is shorter.
  Build({"a:x", "b:x", "c:x"}, {"a>b*1", "b>c*1", "a>c*5"});
  auto csr = Csr(true);
  ASSERT_OK_AND_ASSIGN(auto bc, Betweenness(Simple(*csr, Direction::kBoth, true),
                                            {.normalized = false, .weighted = true}));
  EXPECT_EQ(PerNode(*csr, bc), "a=0 b=1 c=0");
  ASSERT_OK_AND_ASSIGN(bc, Betweenness(Simple(*csr), {.normalized = false}));
  EXPECT_EQ(PerNode(*csr, bc), "a=0 b=0 c=0");
}

TEST_F(AnalyticsTest, CoresClusteringDegrees) {
  // A triangle a-b-c with a pendant d on c.
  Build({"a:x", "b:x", "c:x", "d:x"}, {"a>b", "b>c", "c>a", "c>d", "c>d"});
  auto csr = Csr();
  SimpleGraph g = Simple(*csr);
  ASSERT_OK_AND_ASSIGN(auto core, CoreNumbers(g));
  EXPECT_EQ(PerNode(*csr, core), "a=2 b=2 c=2 d=1");
  ASSERT_OK_AND_ASSIGN(Clustering cl, ClusteringOf(g));
  EXPECT_EQ(PerNode(*csr, cl.coefficient), "a=1 b=1 c=0.333333 d=0");
  EXPECT_EQ(PerNode(*csr, cl.triangles), "a=1 b=1 c=1 d=0");
  Degrees d = DegreesOf(*csr);
  EXPECT_EQ(PerNode(*csr, d.out), "a=1 b=1 c=3 d=0");
  EXPECT_EQ(PerNode(*csr, d.neighbors), "a=2 b=2 c=3 d=1");
  EXPECT_CODE(kInvalidArgument, CoreNumbers(Simple(*csr, Direction::kOut)).status());
  EXPECT_CODE(kInvalidArgument, ClusteringOf(Simple(*csr, Direction::kOut)).status());
}

TEST_F(AnalyticsTest, LouvainFindsTwoCliques) {
  // Two 4-cliques joined by one edge.
  std::vector<std::string> nodes, edges;
  for (int i = 0; i < 8; ++i) nodes.push_back("n" + std::to_string(i) + ":x");
  for (int c : {0, 4}) {
    for (int i = c; i < c + 4; ++i) {
      for (int j = i + 1; j < c + 4; ++j) edges.push_back("n" + std::to_string(i) + ">n" + std::to_string(j));
    }
  }
  edges.push_back("n3>n4");
  Build(nodes, edges);
  auto csr = Csr();
  SimpleGraph g = Simple(*csr);
  ASSERT_OK_AND_ASSIGN(Communities c, Louvain(g, {}));
  EXPECT_EQ(PerNode(*csr, c.community), "n0=0 n1=0 n2=0 n3=0 n4=1 n5=1 n6=1 n7=1");
  // Q = 2 * (6/13 - (13/26)^2).
  EXPECT_NEAR(c.modularity, 2 * (6.0 / 13 - 0.25), 1e-12);
  EXPECT_NEAR(Modularity(g, c.community), c.modularity, 1e-12);
  std::vector<uint32_t> one(8, 0);
  EXPECT_NEAR(Modularity(g, one), 0.0, 1e-12);
  EXPECT_CODE(kInvalidArgument, Louvain(Simple(*csr, Direction::kOut), {}).status());
}

TEST_F(AnalyticsTest, ProjectionCountsSharedProjects) {
  Build({"a:actor", "b:actor", "c:actor", "p:project", "q:project", "r:region"},
        {"a>p", "b>p", "a>q", "b>q", "b>q", "c>q", "a>r", "c>r"});
  auto csr = Csr();
  ASSERT_OK_AND_ASSIGN(SimpleGraph g, Project(*csr, db_->schema(), "actor", "project"));
  std::vector<std::string> ties;
  for (uint32_t v = 0; v < g.num_nodes; ++v) {
    for (uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i) {
      if (g.targets[i] > v) {
        ties.push_back(KeyOf(*db_, csr->node_id(v)) + "-" + KeyOf(*db_, csr->node_id(g.targets[i])) +
                       "=" + std::to_string(static_cast<int>(g.weight(i))));
      }
    }
  }
  // a and b share p and q (b's two edges to q count once); the region is no project.
  EXPECT_EQ(test::Join(ties), "a-b=2,a-c=1,b-c=1");
  ASSERT_OK_AND_ASSIGN(SimpleGraph none, Project(*csr, db_->schema(), "actor", "event"));
  EXPECT_EQ(none.num_ties(), 0u);
}

TEST_F(AnalyticsTest, CrossSectorMeasures) {
  // Ties: u1-u2 (academia), u1-m (academia-public), m-n (public-nonprofit),
  // u2-x (x has no sector).
  Build({"u1:actor:academia", "u2:actor:academia", "m:actor:public", "n:actor:nonprofit",
         "x:actor"},
        {"u1>u2", "u1>m", "m>n", "u2>x"});
  auto csr = Csr();
  SimpleGraph g = Simple(*csr);
  ASSERT_OK_AND_ASSIGN(NodeGroups groups, GroupNodes(*db_, *csr, "sector"));
  EXPECT_EQ(test::Join(groups.names), "academia,nonprofit,public");
  ASSERT_OK_AND_ASSIGN(Mixing m, MixingOf(g, groups));
  EXPECT_EQ(m.total_weight, 3.0);  // the tie to x does not count
  EXPECT_EQ(m.ties[0 * 3 + 0], 1u);
  EXPECT_EQ(m.ties[0 * 3 + 2], 1u);
  EXPECT_EQ(m.ties[2 * 3 + 0], 1u);
  EXPECT_NEAR(m.fraction(0, 0), 1.0 / 3, 1e-12);
  EXPECT_NEAR(m.fraction(0, 2), 1.0 / 6, 1e-12);
  EiIndex ei = EiIndexOf(m);
  EXPECT_NEAR(ei.index_total, (2.0 - 1) / 3, 1e-12);
  EXPECT_NEAR(ei.index[0], 0.0, 1e-12);  // academia: 1 inside, 1 outside
  EXPECT_NEAR(ei.index[1], 1.0, 1e-12);  // nonprofit: only outside
  // e = [[1/3,0,1/6],[0,0,1/6],[1/6,1/6,0]], a = (1/2, 1/6, 1/3).
  const double aa = 0.25 + 1.0 / 36 + 1.0 / 9;
  EXPECT_NEAR(Assortativity(m), (1.0 / 3 - aa) / (1 - aa), 1e-12);

  ASSERT_OK_AND_ASSIGN(Conductance c, ConductanceOf(g, groups));
  // academia: volume 2 + 2, cut 1 (u1-m) + 1 (u2-x); rest volume 4.
  EXPECT_EQ(c.volume[0], 4.0);
  EXPECT_EQ(c.cut[0], 2.0);
  EXPECT_NEAR(c.conductance[0], 0.5, 1e-12);

  ASSERT_OK_AND_ASSIGN(Brokerage b, BrokerageOf(g, groups));
  // u1 brokers u2 -> u1 -> m (representative) and m -> u1 -> u2 (gatekeeper);
  // m brokers u1 -> m -> n and back (liaison, twice).
  uint32_t u1 = *csr->index_of(IdOf(*db_, "u1")), mm = *csr->index_of(IdOf(*db_, "m"));
  EXPECT_EQ(b.count(u1, BrokerRole::kRepresentative), 1u);
  EXPECT_EQ(b.count(u1, BrokerRole::kGatekeeper), 1u);
  EXPECT_EQ(b.count(mm, BrokerRole::kLiaison), 2u);
  uint64_t total = 0;
  for (uint64_t x : b.counts) total += x;
  EXPECT_EQ(total, 4u);  // u2 brokers u1 -> u2 -> x, but x has no group
  Interrupt stop([] { return true; }, std::chrono::milliseconds(0));
  while (!stop.Requested()) {
  }
  EXPECT_CODE(kInterrupted, BrokerageOf(g, groups, stop).status());

  ASSERT_OK_AND_ASSIGN(NodeGroups kinds, GroupNodes(*db_, *csr, "kind"));
  EXPECT_EQ(test::Join(kinds.names), "actor");
  EXPECT_CODE(kInvalidArgument, GroupNodes(*db_, *csr, "colour").status());
}

TEST_F(AnalyticsTest, GroupsByRegionAndProperty) {
  auto txn = Begin();
  ASSERT_OK(txn->PutNode(N("r:skane", "region")).status());
  NodeInput a = N("a", "actor");
  a.props = R"({"form":"foundation","size":3})";
  ASSERT_OK(txn->PutNode(a).status());
  ASSERT_OK(txn->PutNode(N("b", "actor")).status());
  ASSERT_OK(txn->PutEdge(E("a", "located_in", "r:skane")).status());
  ASSERT_OK(txn->Commit());
  auto csr = Csr();
  ASSERT_OK_AND_ASSIGN(NodeGroups region, GroupNodes(*db_, *csr, "region"));
  EXPECT_EQ(test::Join(region.names), "r:skane");
  EXPECT_EQ(PerNode(*csr, region.group), "r:skane=-1 a=0 b=-1");
  ASSERT_OK_AND_ASSIGN(NodeGroups form, GroupNodes(*db_, *csr, "props.form"));
  EXPECT_EQ(test::Join(form.names), "foundation");
  ASSERT_OK_AND_ASSIGN(NodeGroups size, GroupNodes(*db_, *csr, "props.size"));
  EXPECT_EQ(test::Join(size.names), "3");
}

}  // namespace
}  // namespace samverkan
