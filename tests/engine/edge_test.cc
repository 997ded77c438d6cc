// PutEdge, DeleteEdge, edge cursors, degrees and counts.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <bit>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "storage/test_hooks.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::AllEdgeList;
using test::CountsString;
using test::D;
using test::DegreeString;
using test::E;
using test::EdgeList;
using test::IdOf;
using test::N;
using V = std::vector<std::string>;

class EdgeTest : public test::DbTest {
 protected:
  // a, b, c (ids 1, 2, 3); types interned in alphabetical order.
  void BuildSmallGraph() {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (const char* k : {"a", "b", "c"}) ASSERT_TRUE(txn->PutNode(N(k, "actor")).ok());
    for (EdgeInput e : {E("a", "funds", "b"), E("a", "knows", "c"), E("a", "knows", "b", 1),
                        E("a", "knows", "b", 0), E("b", "knows", "a"), E("c", "funds", "a"),
                        E("a", "partners_with", "a")}) {
      auto id = txn->PutEdge(e);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ids_.push_back(*id);
    }
    ASSERT_OK(txn->Commit());
  }
  std::vector<EdgeId> ids_;

  // A star: node "a" and nodes "n0".."n<count-1>", and an edge a -funds->
  // n<i> for each, which `set(edge, i)` fills in; so that each is found.
  static std::vector<NodeInput> StarNodes(size_t count) {
    std::vector<NodeInput> nodes{N("a", "actor")};
    for (size_t i = 0; i < count; ++i) nodes.push_back(N("n" + std::to_string(i), "actor"));
    return nodes;
  }
  // Loads `nodes` and `edges` into the (empty) graph with the bulk loader.
  void BulkLoad(const std::vector<NodeInput>& nodes, const std::vector<EdgeInput>& edges) {
    auto load = db_->BeginBulkLoad("bulk");
    ASSERT_TRUE(load.ok()) << load.status().ToString();
    for (const auto& n : nodes) ASSERT_TRUE((*load)->AddNode(n).ok());
    for (const auto& e : edges) ASSERT_OK((*load)->AddEdge(e));
    ASSERT_OK((*load)->Finish());
  }
  template <typename Set>
  static std::vector<EdgeInput> StarEdges(size_t count, Set set) {
    std::vector<EdgeInput> edges;
    for (size_t i = 0; i < count; ++i) {
      edges.push_back(E("a", "funds", "n" + std::to_string(i)));
      set(edges.back(), i);
    }
    return edges;
  }
};

TEST_F(EdgeTest, IdsAreUniqueFromOne) {
  BuildSmallGraph();
  ASSERT_EQ(ids_.size(), 7u);
  EXPECT_EQ(ids_[0], 1u);
  std::vector<EdgeId> sorted = ids_;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kEdgeType),
            (V{"funds", "knows", "partners_with"}));
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kKind), V{"actor"});
}

TEST_F(EdgeTest, OutEdgesOrderedByTypeDstRank) {
  BuildSmallGraph();
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kOut),
            (V{"funds->b#0", "knows->b#0", "knows->b#1", "knows->c#0", "partners_with->a#0"}));
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kOut), (V{"knows->a#0"}));
  EXPECT_EQ(EdgeList(*db_, "c", Direction::kOut), (V{"funds->a#0"}));
}

TEST_F(EdgeTest, InEdgesOrderedByTypeSrcRank) {
  BuildSmallGraph();
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kIn),
            (V{"funds<-c#0", "knows<-b#0", "partners_with<-a#0"}));
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kIn), (V{"funds<-a#0", "knows<-a#0", "knows<-a#1"}));
  EXPECT_EQ(EdgeList(*db_, "c", Direction::kIn), (V{"knows<-a#0"}));
}

TEST_F(EdgeTest, BothIsOutThenInWithSelfLoopOnce) {
  BuildSmallGraph();
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kBoth),
            (V{"funds->b#0", "knows->b#0", "knows->b#1", "knows->c#0", "partners_with->a#0",
               "funds<-c#0", "knows<-b#0"}));
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kBoth),
            (V{"knows->a#0", "funds<-a#0", "knows<-a#0", "knows<-a#1"}));
}

TEST_F(EdgeTest, TypeFilter) {
  BuildSmallGraph();
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kOut, "knows"),
            (V{"knows->b#0", "knows->b#1", "knows->c#0"}));
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kIn, "knows"), (V{"knows<-b#0"}));
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kBoth, "funds"), (V{"funds->b#0", "funds<-c#0"}));
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kBoth, "partners_with"), (V{"partners_with->a#0"}));
  EXPECT_EQ(EdgeList(*db_, "c", Direction::kOut, "knows"), V{});
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kIn, "partners_with"), V{});
}

TEST_F(EdgeTest, AllEdgesOrderedBySrcTypeDstRank) {
  BuildSmallGraph();
  EXPECT_EQ(AllEdgeList(*db_),
            (V{"a-funds->b#0", "a-knows->b#0", "a-knows->b#1", "a-knows->c#0",
               "a-partners_with->a#0", "b-knows->a#0", "c-funds->a#0"}));
}

TEST_F(EdgeTest, DegreesAndCounts) {
  BuildSmallGraph();
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=7");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=5 in=3");
  EXPECT_EQ(DegreeString(*db_, "b"), "out=1 in=3");
  EXPECT_EQ(DegreeString(*db_, "c"), "out=1 in=1");
  auto d = db_->GetDegree(IdOf(*db_, "a"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->total(), 8u);
  // Unknown node: NotFound or zero (the spec does not say which).
  auto none = db_->GetDegree(99);
  if (none.ok()) {
    EXPECT_EQ(none->total(), 0u);
  } else {
    EXPECT_CODE(kNotFound, none.status());
  }
}

TEST_F(EdgeTest, UpsertKeepsIdAndReplacesFields) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("p", "project")).ok());
  EdgeInput first = E("a", "participates_in", "p");
  first.weight = 3.0;
  first.props = R"({"role":"lead"})";
  first.validity = {D(2010, 1, 1), D(2011, 1, 1)};
  auto id1 = txn->PutEdge(first);
  ASSERT_TRUE(id1.ok()) << id1.status().ToString();
  ASSERT_OK(txn->Commit());

  txn = Begin();
  ASSERT_TRUE(txn);
  EdgeInput second = E("a", "participates_in", "p");
  second.props = R"({"role":"partner"})";
  auto id2 = txn->PutEdge(second);
  ASSERT_TRUE(id2.ok()) << id2.status().ToString();
  EXPECT_EQ(*id2, *id1);
  ASSERT_OK(txn->Commit());

  auto e = db_->GetEdge(*id1);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->props, R"({"role":"partner"})");
  EXPECT_FALSE(e->weight.has_value());
  EXPECT_EQ(e->validity, Validity{});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=1 in=0");
  EXPECT_EQ(DegreeString(*db_, "p"), "out=0 in=1");
  EXPECT_EQ(EdgeList(*db_, "p", Direction::kIn), V{"participates_in<-a#0"});
  // The traversal fields follow the upsert too.
  auto cur = db_->Edges(IdOf(*db_, "a"), Direction::kOut);
  ASSERT_TRUE(cur->Valid());
  EXPECT_FALSE(cur->edge().weight.has_value());
  EXPECT_EQ(cur->edge().validity, Validity{});
  cur = db_->Edges(IdOf(*db_, "p"), Direction::kIn);
  ASSERT_TRUE(cur->Valid());
  EXPECT_FALSE(cur->edge().weight.has_value());
}

TEST_F(EdgeTest, RankLetsTwoEdgesOfOneTypeCoexist) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("p", "project")).ok());
  EdgeInput r0 = E("a", "participates_in", "p", 0);
  r0.props = R"({"year":2019})";
  EdgeInput r1 = E("a", "participates_in", "p", 1);
  r1.props = R"({"year":2020})";
  auto id0 = txn->PutEdge(r0);
  auto id1 = txn->PutEdge(r1);
  ASSERT_TRUE(id0.ok() && id1.ok());
  EXPECT_NE(*id0, *id1);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=2");
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kOut),
            (V{"participates_in->p#0", "participates_in->p#1"}));
  auto e1 = db_->GetEdge(*id1);
  ASSERT_TRUE(e1.ok());
  EXPECT_EQ(e1->rank, 1u);
  EXPECT_EQ(e1->props, R"({"year":2020})");

  const NodeId a = IdOf(*db_, "a"), p = IdOf(*db_, "p");
  const SymbolId t = *db_->schema().EdgeType("participates_in");
  auto f0 = db_->FindEdge(a, t, p, 0);
  auto f1 = db_->FindEdge(a, t, p, 1);
  auto f2 = db_->FindEdge(a, t, p, 2);
  auto rev = db_->FindEdge(p, t, a, 0);
  ASSERT_TRUE(f0.ok() && f1.ok() && f2.ok() && rev.ok());
  EXPECT_EQ(*f0, std::optional<EdgeId>(*id0));
  EXPECT_EQ(*f1, std::optional<EdgeId>(*id1));
  EXPECT_EQ(*f2, std::nullopt);
  EXPECT_EQ(*rev, std::nullopt);
}

TEST_F(EdgeTest, AllFieldsRoundTrip) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("src:page", "source")).ok());
  ASSERT_TRUE(txn->PutNode(N("org:laxhjalpen", "actor", "Stiftelsen Läxhjälpen")).ok());
  ASSERT_TRUE(txn->PutNode(N("proj:mora", "project", "Digital läxhjälp i Mora")).ok());
  EdgeInput in = E("org:laxhjalpen", "participates_in", "proj:mora", 2);
  in.weight = 0.75;
  in.validity = {D(2010, 1, 1), D(2012, 12, 31)};
  in.props = R"({"role": "lead", "year": 2011})";
  in.sources = {NodeRef("src:page")};
  auto id = txn->PutEdge(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // Read-your-writes.
  auto in_txn = txn->GetEdge(*id);
  ASSERT_TRUE(in_txn.ok()) << in_txn.status().ToString();
  EXPECT_EQ(in_txn->weight, std::optional<double>(0.75));
  ASSERT_OK(txn->Commit());

  auto e = db_->GetEdge(*id);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->id, *id);
  EXPECT_EQ(e->src, 2u);
  EXPECT_EQ(e->type, "participates_in");
  EXPECT_EQ(e->dst, 3u);
  EXPECT_EQ(e->rank, 2u);
  EXPECT_EQ(e->weight, std::optional<double>(0.75));
  EXPECT_EQ(e->validity.from, std::optional<Date>(D(2010, 1, 1)));
  EXPECT_EQ(e->validity.to, std::optional<Date>(D(2012, 12, 31)));
  EXPECT_EQ(e->props, R"({"role":"lead","year":2011})");
  EXPECT_EQ(e->sources, std::vector<NodeId>{1});
  EXPECT_NE(e->batch, 0u);

  // The cursor's EdgeRef carries the traversal fields, in both directions,
  // and Load() returns the whole edge.
  for (auto [node, dir] : {std::pair{NodeId{2}, Direction::kOut}, std::pair{NodeId{3}, Direction::kIn}}) {
    auto cur = db_->Edges(node, dir);
    ASSERT_TRUE(cur->Valid());
    const EdgeRef& ref = cur->edge();
    EXPECT_EQ(ref.id, *id);
    EXPECT_EQ(ref.src, 2u);
    EXPECT_EQ(ref.dst, 3u);
    EXPECT_EQ(ref.rank, 2u);
    EXPECT_EQ(db_->schema().EdgeTypeName(ref.type), "participates_in");
    EXPECT_EQ(ref.weight, std::optional<double>(0.75));
    EXPECT_EQ(ref.validity, (Validity{D(2010, 1, 1), D(2012, 12, 31)}));
    EXPECT_EQ(ref.Other(2), 3u);
    EXPECT_EQ(ref.Other(3), 2u);
    auto loaded = cur->Load();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->id, *id);
    EXPECT_EQ(loaded->props, R"({"role":"lead","year":2011})");
    EXPECT_EQ(loaded->sources, std::vector<NodeId>{1});
    EXPECT_EQ(loaded->type, "participates_in");
    cur->Next();
    EXPECT_FALSE(cur->Valid());
    EXPECT_OK(cur->status());
  }
}

TEST_F(EdgeTest, OpenEndedValidityAndNoWeight) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  EdgeInput in = E("a", "partners_with", "b");
  in.validity.from = D(2018, 5, 1);
  auto id = txn->PutEdge(in);
  ASSERT_TRUE(id.ok());
  EdgeInput same_day = E("b", "partners_with", "a");
  same_day.validity = {D(2018, 5, 1), D(2018, 5, 1)};
  ASSERT_TRUE(txn->PutEdge(same_day).ok());
  ASSERT_OK(txn->Commit());
  auto e = db_->GetEdge(*id);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->validity.from, std::optional<Date>(D(2018, 5, 1)));
  EXPECT_EQ(e->validity.to, std::nullopt);
  EXPECT_EQ(e->weight, std::nullopt);
  EXPECT_EQ(e->props, "{}");
  EXPECT_TRUE(e->sources.empty());
}

// Every date a user can give, year 1 to 9999, before and after 1970,
// round-trips through a transaction and a bulk load, is read back by every
// read path (cursors both ways, GetEdge, the CSR's valid_on filter) and
// survives a reopen; deleting such an edge works.
class EdgeDateTest : public EdgeTest {
 protected:
  static std::vector<Validity> Intervals() {
    return {{D(1, 1, 1), D(1, 1, 1)},       {D(1, 1, 1), D(9999, 12, 31)},
            {D(1862, 5, 1), std::nullopt},   {D(1969, 12, 31), D(1970, 1, 1)},
            {std::nullopt, D(1969, 12, 31)}, {D(1900, 2, 28), D(1968, 2, 29)},
            {D(9999, 12, 31), D(9999, 12, 31)}};
  }
  static std::string Show(const Validity& v) {
    return (v.from ? v.from->ToString() : "-") + ".." + (v.to ? v.to->ToString() : "-");
  }
  // The i-th edge goes from "a" to node "n<i>", so that each can be found.
  void CheckGraph(const GraphView& view) {
    auto a = view.FindKey("a");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    std::vector<std::string> out, in;
    for (auto cur = view.Edges(*a, Direction::kOut); cur->Valid(); cur->Next()) {
      out.push_back(Show(cur->edge().validity));
      auto whole = cur->Load();
      ASSERT_TRUE(whole.ok()) << whole.status().ToString();
      EXPECT_EQ(Show(whole->validity), out.back());
      auto by_id = view.GetEdge(cur->edge().id);
      ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
      EXPECT_EQ(Show(by_id->validity), out.back());
    }
    for (size_t i = 0; i < Intervals().size(); ++i) {
      auto n = view.FindKey("n" + std::to_string(i));
      ASSERT_TRUE(n.ok());
      auto cur = view.Edges(*n, Direction::kIn);
      ASSERT_TRUE(cur->Valid()) << cur->status().ToString();
      in.push_back(Show(cur->edge().validity));
      EXPECT_EQ(in.back(), Show(Intervals()[i]));
    }
    std::vector<std::string> expected;
    for (const auto& v : Intervals()) expected.push_back(Show(v));
    EXPECT_EQ(test::Sorted(out), test::Sorted(expected));
  }
  static std::vector<EdgeInput> Edges() {
    return StarEdges(Intervals().size(),
                     [](EdgeInput& e, size_t i) { e.validity = Intervals()[i]; });
  }
  static std::vector<NodeInput> Nodes() { return StarNodes(Intervals().size()); }
  // The edges valid on `day`, by CSR, as "a->n<i>".
  std::vector<std::string> ValidOn(Date day) {
    auto csr = db_->Csr({.valid_on = day});
    EXPECT_TRUE(csr.ok()) << csr.status().ToString();
    std::vector<std::string> keys;
    if (!csr.ok()) return keys;
    for (uint32_t v = 0; v < (*csr)->num_nodes(); ++v) {
      for (uint32_t w : (*csr)->out_neighbors(v)) {
        keys.push_back(test::KeyOf(*db_, (*csr)->node_id(v)) + "->" +
                       test::KeyOf(*db_, (*csr)->node_id(w)));
      }
    }
    return test::Sorted(keys);
  }
  void CheckValidOn() {
    EXPECT_EQ(ValidOn(D(1, 1, 1)), (V{"a->n0", "a->n1", "a->n4"}));
    EXPECT_EQ(ValidOn(D(1862, 4, 30)), (V{"a->n1", "a->n4"}));
    EXPECT_EQ(ValidOn(D(1969, 12, 31)), (V{"a->n1", "a->n2", "a->n3", "a->n4"}));
    EXPECT_EQ(ValidOn(D(1970, 1, 2)), (V{"a->n1", "a->n2"}));
    EXPECT_EQ(ValidOn(D(9999, 12, 31)), (V{"a->n1", "a->n2", "a->n6"}));
  }
};

TEST_F(EdgeDateTest, EveryYearRoundTripsThroughATransaction) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (const auto& n : Nodes()) ASSERT_TRUE(txn->PutNode(n).ok());
  for (const auto& e : Edges()) {
    auto id = txn->PutEdge(e);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  CheckGraph(*txn);  // read-your-writes
  ASSERT_OK(txn->Commit());
  CheckGraph(*db_);
  CheckValidOn();
  Reopen();
  CheckGraph(*db_);
  CheckValidOn();
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);

  // Such edges, and their nodes, can be deleted.
  txn = Begin();
  ASSERT_TRUE(txn);
  auto first = db_->Edges(IdOf(*db_, "a"), Direction::kOut);
  ASSERT_TRUE(first->Valid());
  ASSERT_OK(txn->DeleteEdge(first->edge().id));
  ASSERT_OK(txn->DeleteNode(IdOf(*db_, "a")));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=7 edges=0");
}

TEST_F(EdgeDateTest, EveryYearRoundTripsThroughABulkLoad) {
  BulkLoad(Nodes(), Edges());
  CheckGraph(*db_);
  CheckValidOn();
  Reopen();
  CheckGraph(*db_);
}

// Weights, bit for bit: short decimals are stored as digits and a scale
// (format 3), every other double as its 8 bytes; both must read back as
// exactly the double written, on both sides of the edge and in snapshots.
class EdgeWeightTest : public EdgeTest {
 protected:
  static std::vector<double> Weights() {
    return {0.75,
            0.604,
            1.0,
            0.0,
            -0.0,
            0.1 + 0.2,  // 0.30000000000000004: no short decimal
            -12345.67,
            0.000000001,
            1e-10,
            1e15,
            9007199254740992.0,  // 2^53
            123456789.123456789,
            1e300,
            -1e-300,
            std::numeric_limits<double>::denorm_min(),
            std::numeric_limits<double>::max(),
            std::numeric_limits<double>::lowest()};
  }
  static std::string Bits(std::optional<double> w) {
    return w ? fmt::format("{:016x} ({})", std::bit_cast<uint64_t>(*w), *w) : "none";
  }
  static std::vector<std::string> Expected() {
    std::vector<std::string> bits;
    for (double w : Weights()) bits.push_back(Bits(w));
    return bits;
  }
  static std::vector<NodeInput> Nodes() { return StarNodes(Weights().size()); }
  static std::vector<EdgeInput> Edges() {
    return StarEdges(Weights().size(), [](EdgeInput& e, size_t i) { e.weight = Weights()[i]; });
  }
  // The weight of a->n<i>, read every way there is, must be Weights()[i].
  void CheckGraph(const GraphView& view) {
    auto a = view.FindKey("a");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    const size_t n = Weights().size();
    std::vector<std::string> out(n), loaded(n), by_id(n), in(n);
    for (auto cur = view.Edges(*a, Direction::kOut); cur->Valid(); cur->Next()) {
      auto dst = view.GetNode(cur->edge().dst);
      ASSERT_TRUE(dst.ok()) << dst.status().ToString();
      const size_t i = std::stoul(dst->key.substr(1));
      ASSERT_LT(i, n);
      out[i] = Bits(cur->edge().weight);
      auto whole = cur->Load();
      ASSERT_TRUE(whole.ok()) << whole.status().ToString();
      loaded[i] = Bits(whole->weight);
      auto edge = view.GetEdge(cur->edge().id);
      ASSERT_TRUE(edge.ok()) << edge.status().ToString();
      by_id[i] = Bits(edge->weight);
    }
    for (size_t i = 0; i < n; ++i) {
      auto node = view.FindKey("n" + std::to_string(i));
      ASSERT_TRUE(node.ok());
      auto cur = view.Edges(*node, Direction::kIn);
      ASSERT_TRUE(cur->Valid()) << cur->status().ToString();
      in[i] = Bits(cur->edge().weight);
    }
    EXPECT_EQ(in, Expected());
    EXPECT_EQ(out, Expected());
    EXPECT_EQ(loaded, Expected());
    EXPECT_EQ(by_id, Expected());
  }
  // The same through a weighted snapshot of `db`.
  static void CheckSnapshot(Db& db) {
    auto csr = db.Csr({.with_weights = true});
    ASSERT_TRUE(csr.ok()) << csr.status().ToString();
    std::vector<std::string> out(Weights().size()), in(Weights().size());
    for (uint32_t v = 0; v < (*csr)->num_nodes(); ++v) {
      const std::string key = test::KeyOf(db, (*csr)->node_id(v));
      if (key == "a") {
        auto targets = (*csr)->out_neighbors(v);
        auto weights = (*csr)->out_weights(v);
        ASSERT_EQ(targets.size(), Weights().size());
        for (size_t j = 0; j < targets.size(); ++j) {
          const std::string dst = test::KeyOf(db, (*csr)->node_id(targets[j]));
          out[std::stoul(dst.substr(1))] = Bits(weights[j]);
        }
      } else {
        ASSERT_EQ((*csr)->in_weights(v).size(), 1u) << key;
        in[std::stoul(key.substr(1))] = Bits((*csr)->in_weights(v)[0]);
      }
    }
    EXPECT_EQ(out, Expected());
    EXPECT_EQ(in, Expected());
  }
};

TEST_F(EdgeWeightTest, EveryWeightRoundTripsThroughATransaction) {
  Options ro = FastOptions();
  ro.read_only = true;
  auto reader = test::MustOpen(dir_.Sub("graph"), ro);
  ASSERT_NE(reader, nullptr);
  ASSERT_OK_AND_ASSIGN(auto empty, reader->Csr({.with_weights = true}));
  EXPECT_EQ(empty->num_edges(), 0u);

  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (const auto& n : Nodes()) ASSERT_TRUE(txn->PutNode(n).ok());
  for (const auto& e : Edges()) ASSERT_OK(txn->PutEdge(e).status());
  CheckGraph(*txn);  // read-your-writes
  ASSERT_OK(txn->Commit());
  CheckGraph(*db_);
  CheckSnapshot(*db_);
  // A reader patches its snapshot from the commit's change record, which
  // carries each edge's header.
  ASSERT_OK(reader->Refresh());
  const uint64_t log_patches = storage::CsrLogPatchCount();
  CheckSnapshot(*reader);
  EXPECT_EQ(storage::CsrLogPatchCount(), log_patches + 1);
  reader.reset();
  Reopen();
  CheckGraph(*db_);
  CheckSnapshot(*db_);
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
}

TEST_F(EdgeWeightTest, EveryWeightRoundTripsThroughABulkLoad) {
  BulkLoad(Nodes(), Edges());
  CheckGraph(*db_);
  CheckSnapshot(*db_);
  Reopen();
  CheckGraph(*db_);
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
}

TEST_F(EdgeTest, InvalidEdgesAreRejectedAndWriteNothing) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  ASSERT_OK(txn->Commit());

  txn = Begin();
  ASSERT_TRUE(txn);
  for (EdgeInput bad : {E("a", "knows", "org:nope"), E("org:nope", "knows", "b")}) {
    Status s = txn->PutEdge(bad).status();
    EXPECT_TRUE(s.code() == Status::Code::kNotFound ||
                s.code() == Status::Code::kInvalidArgument)
        << s.ToString();
    EXPECT_NE(s.message().find("org:nope"), std::string::npos) << s.ToString();
  }
  EdgeInput by_id;
  by_id.src = NodeRef(NodeId{1});
  by_id.type = "knows";
  by_id.dst = NodeRef(NodeId{42});
  Status s = txn->PutEdge(by_id).status();
  EXPECT_TRUE(s.code() == Status::Code::kNotFound ||
              s.code() == Status::Code::kInvalidArgument)
      << s.ToString();

  EXPECT_CODE(kInvalidArgument, txn->PutEdge(E("a", "", "b")).status());
  EdgeInput backwards = E("a", "knows", "b");
  backwards.validity = {D(2012, 1, 1), D(2010, 1, 1)};
  EXPECT_CODE(kInvalidArgument, txn->PutEdge(backwards).status());
  for (const char* bad_props : {"{", "[]", "42", "null", "\"s\""}) {
    EdgeInput e = E("a", "knows", "b");
    e.props = bad_props;
    EXPECT_CODE(kInvalidArgument, txn->PutEdge(e).status());
  }
  EdgeInput bad_source = E("a", "knows", "b");
  bad_source.sources = {NodeRef("src:missing")};
  EXPECT_FALSE(txn->PutEdge(bad_source).ok());

  EXPECT_TRUE(txn->empty());
  EXPECT_EQ(CountsString(*txn), "nodes=2 edges=0");
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=0");
  EXPECT_EQ(AllEdgeList(*db_), V{});
  EXPECT_EQ(DegreeString(*db_, "a"), "out=0 in=0");
}

TEST_F(EdgeTest, DeleteEdge) {
  BuildSmallGraph();
  const EdgeId knows_b1 = ids_[2];  // a-knows->b#1
  auto e = db_->GetEdge(knows_b1);
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->rank, 1u);

  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->DeleteEdge(knows_b1));
  EXPECT_CODE(kNotFound, txn->GetEdge(knows_b1).status());
  EXPECT_CODE(kNotFound, txn->DeleteEdge(knows_b1));
  ASSERT_OK(txn->Commit());

  auto gone = db_->GetEdge(knows_b1);
  EXPECT_CODE(kNotFound, gone.status());
  EXPECT_EQ(gone.status().message(), "unknown edge id " + std::to_string(knows_b1));
  EXPECT_EQ(EdgeList(*db_, "a", Direction::kOut),
            (V{"funds->b#0", "knows->b#0", "knows->c#0", "partners_with->a#0"}));
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kIn), (V{"funds<-a#0", "knows<-a#0"}));
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=6");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=4 in=3");
  EXPECT_EQ(DegreeString(*db_, "b"), "out=1 in=2");
  const SymbolId knows = *db_->schema().EdgeType("knows");
  auto f = db_->FindEdge(IdOf(*db_, "a"), knows, IdOf(*db_, "b"), 1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, std::nullopt);

  // Deleting the self-loop fixes both of a's counters.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->DeleteEdge(ids_[6]));
  EXPECT_CODE(kNotFound, txn->DeleteEdge(12345));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(DegreeString(*db_, "a"), "out=3 in=2");
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=5");

  // The same identity can be written again.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutEdge(E("a", "knows", "b", 1)).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(DegreeString(*db_, "b"), "out=1 in=3");
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=6");

  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_EQ(report->nodes_checked, 3u);
  EXPECT_EQ(report->edges_checked, 6u);
}

TEST_F(EdgeTest, EdgesOfNodeWithoutEdgesIsEmpty) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("lonely", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("z", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("z", "knows", "z")).ok());
  ASSERT_OK(txn->Commit());
  for (Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    EXPECT_EQ(EdgeList(*db_, "lonely", d), V{});
  }
  EXPECT_EQ(EdgeList(*db_, "z", Direction::kBoth), V{"knows->z#0"});
  EXPECT_EQ(EdgeList(*db_, "z", Direction::kIn), V{"knows<-z#0"});
  EXPECT_EQ(DegreeString(*db_, "z"), "out=1 in=1");
}

}  // namespace
}  // namespace samverkan
