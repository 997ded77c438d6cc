// PutNode, MergeNode, DeleteNode and node lookups.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::AllEdgeList;
using test::CountsString;
using test::DegreeString;
using test::E;
using test::IdOf;
using test::N;
using test::NodeKeys;
using test::NodeString;
using test::NodeStringByKey;
using test::Sorted;

class NodeTest : public test::DbTest {};

nlohmann::json J(const std::string& s) { return nlohmann::json::parse(s); }

TEST_F(NodeTest, IdsAreDenseFromOne) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (int i = 1; i <= 3; ++i) {
    auto id = txn->PutNode(N("n" + std::to_string(i), "actor"));
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, static_cast<NodeId>(i));
  }
  ASSERT_OK(txn->Commit());
  auto n = db_->GetNode(2);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->key, "n2");
  EXPECT_EQ(n->id, 2u);
  // A later transaction continues the sequence.
  txn = Begin();
  ASSERT_TRUE(txn);
  auto id = txn->PutNode(N("n4", "actor"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 4u);
  ASSERT_OK(txn->Commit());
}

TEST_F(NodeTest, PutNodeStoresEveryField) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("src:msi-page", "source", "MSI web page")).ok());
  NodeInput in = N("org:msi", "actor", "Mötesplats Social Innovation", "nonprofit");
  in.aliases = {"MSI", "Mötesplats"};
  in.props = R"({"founded": 2010, "web": "x"})";
  in.sources = {NodeRef("src:msi-page")};
  auto id = txn->PutNode(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 2u);
  ASSERT_OK(txn->Commit());

  auto n = db_->GetNodeByKey("org:msi");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->id, 2u);
  EXPECT_EQ(n->key, "org:msi");
  EXPECT_EQ(n->kind, "actor");
  EXPECT_EQ(n->name, "Mötesplats Social Innovation");
  EXPECT_EQ(n->sector, "nonprofit");
  EXPECT_EQ(n->aliases, (std::vector<std::string>{"MSI", "Mötesplats"}));
  EXPECT_EQ(n->props, R"({"founded":2010,"web":"x"})");  // compact
  EXPECT_EQ(n->sources, std::vector<NodeId>{1});
  EXPECT_NE(n->batch, 0u);
  // Sources may also be named by id.
  txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput p = N("proj:x", "project");
  p.sources = {NodeRef(NodeId{1})};
  ASSERT_TRUE(txn->PutNode(p).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "proj:x"),
            "id=3 key=proj:x kind=project name=proj:x sector= aliases=[] props={} "
            "sources=[src:msi-page]");
}

TEST_F(NodeTest, NameDefaultsToKeyAndPropsToEmptyObject) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("org:a", "actor")).ok());
  ASSERT_TRUE(txn->MergeNode(N("org:b", "actor")).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:a"),
            "id=1 key=org:a kind=actor name=org:a sector= aliases=[] props={} sources=[]");
  EXPECT_EQ(NodeStringByKey(*db_, "org:b"),
            "id=2 key=org:b kind=actor name=org:b sector= aliases=[] props={} sources=[]");
}

TEST_F(NodeTest, PutNodeReplacesAllFieldsAndKeepsId) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("s1", "source")).ok());
  NodeInput in = N("org:x", "actor", "X", "public");
  in.aliases = {"A", "B"};
  in.props = R"({"a":1})";
  in.sources = {NodeRef("s1")};
  ASSERT_TRUE(txn->PutNode(in).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"),
            "id=2 key=org:x kind=actor name=X sector=public aliases=[A,B] props={\"a\":1} "
            "sources=[s1]");

  txn = Begin();
  ASSERT_TRUE(txn);
  auto id = txn->PutNode(N("org:x", "project"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 2u);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"),
            "id=2 key=org:x kind=project name=org:x sector= aliases=[] props={} sources=[]");
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=0");
}

TEST_F(NodeTest, MergeNodePatchesPropsAndUnitesAliasesAndSources) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("s1", "source")).ok());
  ASSERT_TRUE(txn->PutNode(N("s2", "source")).ok());
  NodeInput in = N("org:x", "actor", "X", "public");
  in.aliases = {"A", "B"};
  in.props = R"({"a":1,"b":{"c":2,"d":3},"z":[1,2]})";
  in.sources = {NodeRef("s1")};
  ASSERT_TRUE(txn->PutNode(in).ok());
  ASSERT_OK(txn->Commit());

  txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput patch;
  patch.key = "org:x";
  patch.aliases = {"B", "C"};
  patch.props = R"({"b":{"c":null,"e":4},"f":5,"z":[3]})";
  patch.sources = {NodeRef("s2"), NodeRef("s1")};
  auto id = txn->MergeNode(patch);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 3u);
  ASSERT_OK(txn->Commit());

  auto n = db_->GetNodeByKey("org:x");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->kind, "actor");
  EXPECT_EQ(n->name, "X");
  EXPECT_EQ(n->sector, "public");
  EXPECT_EQ(Sorted(n->aliases), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(J(n->props), J(R"({"a":1,"b":{"d":3,"e":4},"f":5,"z":[3]})")) << n->props;
  std::vector<NodeId> sources = n->sources;
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (std::vector<NodeId>{1, 2}));
}

TEST_F(NodeTest, MergeNodeChangesKindNameSectorOnlyWhenGiven) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("org:x", "actor", "X", "public")).ok());
  NodeInput only_name;
  only_name.key = "org:x";
  only_name.name = "Y";
  ASSERT_TRUE(txn->MergeNode(only_name).ok());
  EXPECT_EQ(NodeStringByKey(*txn, "org:x"),
            "id=1 key=org:x kind=actor name=Y sector=public aliases=[] props={} sources=[]");
  NodeInput kind_sector;
  kind_sector.key = "org:x";
  kind_sector.kind = "organisation";
  kind_sector.sector = "business";
  ASSERT_TRUE(txn->MergeNode(kind_sector).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"),
            "id=1 key=org:x kind=organisation name=Y sector=business aliases=[] props={} "
            "sources=[]");
}

TEST_F(NodeTest, MergeNodeTwiceChangesNothingTheSecondTime) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("s1", "source")).ok());
  NodeInput in = N("org:x", "actor", "X", "academia");
  in.aliases = {"Ex", "Ix"};
  in.props = R"({"k":{"v":1}})";
  in.sources = {NodeRef("s1")};
  ASSERT_TRUE(txn->MergeNode(in).ok());
  ASSERT_OK(txn->Commit());
  const std::string first = NodeStringByKey(*db_, "org:x");
  EXPECT_EQ(first,
            "id=2 key=org:x kind=actor name=X sector=academia aliases=[Ex,Ix] "
            "props={\"k\":{\"v\":1}} sources=[s1]");

  txn = Begin();
  ASSERT_TRUE(txn);
  auto id = txn->MergeNode(in);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 2u);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"), first);
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=0");
}

TEST_F(NodeTest, MergeNodeWithEmptyPropsKeepsProps) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput in = N("org:x", "actor");
  in.props = R"({"a":1})";
  ASSERT_TRUE(txn->PutNode(in).ok());
  NodeInput m;
  m.key = "org:x";
  ASSERT_TRUE(txn->MergeNode(m).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"),
            "id=1 key=org:x kind=actor name=org:x sector= aliases=[] props={\"a\":1} "
            "sources=[]");
}

TEST_F(NodeTest, InvalidInputsAreRejectedAndWriteNothing) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_CODE(kInvalidArgument, txn->PutNode(N("", "actor")).status());
  EXPECT_CODE(kInvalidArgument, txn->MergeNode(N("", "actor")).status());
  // A new node needs a kind.
  EXPECT_CODE(kInvalidArgument, txn->PutNode(N("org:nokind", "")).status());
  EXPECT_CODE(kInvalidArgument, txn->MergeNode(N("org:nokind", "")).status());
  for (const char* bad : {"{", "[1,2]", "3", "\"text\"", "null", "{\"a\":}", "{} x"}) {
    NodeInput in = N("org:bad", "actor");
    in.props = bad;
    EXPECT_CODE(kInvalidArgument, txn->PutNode(in).status());
    EXPECT_CODE(kInvalidArgument, txn->MergeNode(in).status());
  }
  EXPECT_CODE(kInvalidArgument, txn->PutNode(N("org:bad", "actor", "", "space")).status());
  EXPECT_CODE(kInvalidArgument, txn->MergeNode(N("org:bad", "actor", "", "space")).status());
  // Unknown source.
  NodeInput with_src = N("org:bad", "actor");
  with_src.sources = {NodeRef("src:missing")};
  EXPECT_FALSE(txn->PutNode(with_src).ok());
  with_src.sources = {NodeRef(NodeId{77})};
  EXPECT_FALSE(txn->PutNode(with_src).ok());

  EXPECT_TRUE(txn->empty());
  EXPECT_CODE(kNotFound, txn->FindKey("org:bad").status());
  EXPECT_CODE(kNotFound, txn->FindKey("org:nokind").status());
  EXPECT_EQ(CountsString(*txn), "nodes=0 edges=0");
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=0 edges=0");
  EXPECT_TRUE(NodeKeys(*db_).empty());
  EXPECT_TRUE(db_->schema().Names(SymbolSpace::kSector) == DefaultSectors());
}

TEST_F(NodeTest, FailedWriteLeavesExistingNodeUnchanged) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput good = N("org:x", "actor", "X", "public");
  good.props = R"({"a":1})";
  ASSERT_TRUE(txn->PutNode(good).ok());
  ASSERT_OK(txn->Commit());
  const std::string before = NodeStringByKey(*db_, "org:x");

  txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput bad = good;
  bad.props = "[1]";
  bad.name = "Changed";
  EXPECT_CODE(kInvalidArgument, txn->PutNode(bad).status());
  EXPECT_CODE(kInvalidArgument, txn->MergeNode(bad).status());
  bad.props = "";
  bad.sector = "no-such-sector";
  EXPECT_CODE(kInvalidArgument, txn->PutNode(bad).status());
  EXPECT_CODE(kInvalidArgument, txn->MergeNode(bad).status());
  EXPECT_EQ(NodeStringByKey(*txn, "org:x"), before);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "org:x"), before);
}

TEST_F(NodeTest, AddSectorExtendsVocabulary) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput ri = N("org:rise", "actor", "RISE", "research_institute");
  EXPECT_CODE(kInvalidArgument, txn->PutNode(ri).status());
  ASSERT_OK(txn->AddSector("research_institute"));
  auto id = txn->PutNode(ri);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_OK(txn->Commit());

  std::vector<std::string> expected = DefaultSectors();
  expected.push_back("research_institute");
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kSector), expected);
  EXPECT_TRUE(db_->schema().Find(SymbolSpace::kSector, "research_institute").has_value());
  EXPECT_EQ(NodeStringByKey(*db_, "org:rise"),
            "id=1 key=org:rise kind=actor name=RISE sector=research_institute aliases=[] "
            "props={} sources=[]");

  // Adding an existing sector is a no-op.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->AddSector("public"));
  ASSERT_OK(txn->AddSector("research_institute"));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kSector), expected);
}

TEST_F(NodeTest, AddSectorRolledBackIsForgotten) {
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->AddSector("research_institute"));
    txn->Rollback();
  }
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kSector), DefaultSectors());
  EXPECT_FALSE(db_->schema().Find(SymbolSpace::kSector, "research_institute").has_value());
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_CODE(kInvalidArgument,
              txn->PutNode(N("org:rise", "actor", "", "research_institute")).status());
}

TEST_F(NodeTest, LookupsAndTheirErrors) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("org:a", "actor", "A")).ok());
  ASSERT_OK(txn->Commit());

  auto missing = db_->GetNode(42);
  EXPECT_CODE(kNotFound, missing.status());
  EXPECT_EQ(missing.status().message(), "unknown node id 42");
  EXPECT_CODE(kNotFound, db_->GetNode(kNoNode).status());
  auto nokey = db_->FindKey("k");
  EXPECT_CODE(kNotFound, nokey.status());
  EXPECT_EQ(nokey.status().message(), "unknown node 'k'");
  auto bykey = db_->GetNodeByKey("k");
  EXPECT_CODE(kNotFound, bykey.status());
  EXPECT_EQ(bykey.status().message(), "unknown node 'k'");

  auto a = db_->GetNodeByKey("org:a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->name, "A");
  auto r1 = db_->Resolve(NodeRef("org:a"));
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(*r1, 1u);
  auto r2 = db_->Resolve(NodeRef(NodeId{1}));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(*r2, 1u);
  EXPECT_CODE(kNotFound, db_->Resolve(NodeRef(NodeId{9})).status());
  EXPECT_CODE(kNotFound, db_->Resolve(NodeRef("org:zz")).status());
  // Keys are exact: no folding.
  EXPECT_CODE(kNotFound, db_->FindKey("ORG:A").status());
}

TEST_F(NodeTest, NodesByKindAndSector) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "", "academia")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "project")).ok());
  ASSERT_TRUE(txn->PutNode(N("c", "actor", "", "public")).ok());
  ASSERT_TRUE(txn->PutNode(N("d", "actor", "", "academia")).ok());
  ASSERT_TRUE(txn->PutNode(N("e", "region")).ok());
  ASSERT_TRUE(txn->PutNode(N("f", "actor")).ok());
  ASSERT_OK(txn->Commit());

  using V = std::vector<std::string>;
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(NodeKeys(*db_, test::KindFilter("actor")), (V{"a", "c", "d", "f"}));
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("academia")), (V{"a", "d"}));
  EXPECT_EQ(NodeKeys(*db_, test::KindSectorFilter("actor", "public")), (V{"c"}));
  EXPECT_EQ(NodeKeys(*db_, test::KindSectorFilter("project", "academia")), V{});
  EXPECT_EQ(NodeKeys(*db_, test::KindFilter("nope")), V{});
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("business")), V{});
  EXPECT_EQ(NodeKeys(*db_, test::KindFilter("region")), (V{"e"}));

  // The cursor yields whole nodes.
  auto cur = db_->Nodes(test::KindSectorFilter("actor", "public"));
  ASSERT_TRUE(cur->Valid());
  EXPECT_EQ(NodeString(*db_, cur->node()),
            "id=3 key=c kind=actor name=c sector=public aliases=[] props={} sources=[]");

  // Changing kind/sector moves a node between index entries.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "", "business")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor", "", "academia")).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("academia")), (V{"b", "d"}));
  EXPECT_EQ(NodeKeys(*db_, test::KindFilter("project")), V{});
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("business")), (V{"a"}));
}

TEST_F(NodeTest, CountNodesByKindAndSectorSeesTransactionsAndStopsAtTheLimit) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (const char* k : {"a", "b", "c"}) ASSERT_OK(txn->PutNode(N(k, "actor", "", "academia")).status());
  ASSERT_OK(txn->PutNode(N("p", "project")).status());
  ASSERT_OK(txn->Commit());
  const Schema& schema = db_->schema();
  SymbolId actor = *schema.Find(SymbolSpace::kKind, "actor");
  SymbolId academia = *schema.Find(SymbolSpace::kSector, "academia");
  SymbolId business = *schema.Find(SymbolSpace::kSector, "business");
  auto count = [&](const GraphView& v, SymbolSpace space, SymbolId sym, uint64_t limit) {
    auto n = v.CountNodes(space, sym, limit);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  };
  EXPECT_EQ(count(*db_, SymbolSpace::kKind, actor, 100), 3u);
  EXPECT_EQ(count(*db_, SymbolSpace::kKind, actor, 2), 2u);
  EXPECT_EQ(count(*db_, SymbolSpace::kSector, academia, 100), 3u);
  EXPECT_EQ(count(*db_, SymbolSpace::kSector, business, 100), 0u);
  EXPECT_CODE(kInvalidArgument, db_->CountNodes(SymbolSpace::kEdgeType, 1, 10).status());

  // A transaction counts its own writes.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->PutNode(N("d", "actor", "", "business")).status());
  ASSERT_OK(txn->DeleteNode(IdOf(*db_, "a")));
  EXPECT_EQ(count(*txn, SymbolSpace::kKind, actor, 100), 3u);
  EXPECT_EQ(count(*txn, SymbolSpace::kSector, academia, 100), 2u);
  EXPECT_EQ(count(*txn, SymbolSpace::kSector, business, 100), 1u);
  EXPECT_EQ(count(*db_, SymbolSpace::kSector, business, 100), 0u);
}

TEST_F(NodeTest, CountKeysByPrefixSeesTransactionsAndStopsAtTheLimit) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (const char* k : {"_:1", "_:2", "_:3", "_x", "a"}) ASSERT_OK(txn->PutNode(N(k, "actor")).status());
  ASSERT_OK(txn->Commit());
  auto count = [&](const GraphView& v, std::string_view prefix, uint64_t limit) {
    auto n = v.CountKeys(prefix, limit);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : 0;
  };
  EXPECT_EQ(count(*db_, "_:", 100), 3u);
  EXPECT_EQ(count(*db_, "_:", 2), 2u);
  EXPECT_EQ(count(*db_, "_", 100), 4u);
  EXPECT_EQ(count(*db_, "", 100), 5u);
  EXPECT_EQ(count(*db_, "b", 100), 0u);

  // A transaction counts its own writes.
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->PutNode(N("_:4", "actor")).status());
  ASSERT_OK(txn->DeleteNode(IdOf(*db_, "_:1")));
  ASSERT_OK(txn->DeleteNode(IdOf(*db_, "_:2")));
  EXPECT_EQ(count(*txn, "_:", 100), 2u);
  EXPECT_EQ(count(*db_, "_:", 100), 3u);
}

TEST_F(NodeTest, DeleteNodeRemovesItsEdgesAndFixesDegrees) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  for (const char* k : {"a", "b", "c"}) ASSERT_TRUE(txn->PutNode(N(k, "actor")).ok());
  std::vector<EdgeId> ids;
  for (EdgeInput e : {E("a", "knows", "b"), E("b", "knows", "c"), E("c", "knows", "a"),
                      E("b", "knows", "b"), E("a", "funds", "b")}) {
    auto id = txn->PutEdge(e);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=5");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=2 in=1");
  EXPECT_EQ(DegreeString(*db_, "b"), "out=2 in=3");
  EXPECT_EQ(DegreeString(*db_, "c"), "out=1 in=1");

  const NodeId b = IdOf(*db_, "b");
  txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->DeleteNode(b));
  // Read-your-writes on the delete.
  EXPECT_CODE(kNotFound, txn->FindKey("b").status());
  EXPECT_EQ(AllEdgeList(*txn), std::vector<std::string>{"c-knows->a#0"});
  EXPECT_CODE(kNotFound, txn->DeleteNode(b));
  ASSERT_OK(txn->Commit());

  EXPECT_CODE(kNotFound, db_->FindKey("b").status());
  EXPECT_CODE(kNotFound, db_->GetNode(b).status());
  EXPECT_EQ(NodeKeys(*db_), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(AllEdgeList(*db_), std::vector<std::string>{"c-knows->a#0"});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=0 in=1");
  EXPECT_EQ(DegreeString(*db_, "c"), "out=1 in=0");
  EXPECT_EQ(test::EdgeList(*db_, "a", Direction::kBoth), std::vector<std::string>{"knows<-c#0"});
  EXPECT_EQ(test::EdgeList(*db_, "c", Direction::kBoth), std::vector<std::string>{"knows->a#0"});
  for (size_t i : {0, 1, 3, 4}) EXPECT_CODE(kNotFound, db_->GetEdge(ids[i]).status());
  EXPECT_TRUE(db_->GetEdge(ids[2]).ok());
  // The spec does not say whether a deleted node's degree is NotFound or zero;
  // it must not be the stale counters.
  {
    auto deg = db_->GetDegree(b);
    if (deg.ok()) {
      EXPECT_EQ(deg->out, 0u);
      EXPECT_EQ(deg->in, 0u);
    } else {
      EXPECT_CODE(kNotFound, deg.status());
    }
  }
  auto by_name = db_->FindByName("b");
  ASSERT_TRUE(by_name.ok());
  EXPECT_TRUE(by_name->empty());

  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);

  // The key can be used again; the new node starts with no edges.
  txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_CODE(kNotFound, txn->DeleteNode(999));
  ASSERT_TRUE(txn->PutNode(N("b", "project")).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(DegreeString(*db_, "b"), "out=0 in=0");
  EXPECT_TRUE(test::EdgeList(*db_, "b", Direction::kBoth).empty());
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=1");
}

TEST_F(NodeTest, BatchRecordsTheLastWritingCommit) {
  auto txn = Begin("first");
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  ASSERT_OK(txn->Commit());
  auto a1 = db_->GetNodeByKey("a");
  auto b1 = db_->GetNodeByKey("b");
  ASSERT_TRUE(a1.ok() && b1.ok());
  EXPECT_NE(a1->batch, 0u);
  EXPECT_EQ(a1->batch, b1->batch);

  txn = Begin("second");
  ASSERT_TRUE(txn);
  NodeInput m;
  m.key = "b";
  m.props = R"({"x":1})";
  ASSERT_TRUE(txn->MergeNode(m).ok());
  ASSERT_OK(txn->Commit());
  auto a2 = db_->GetNodeByKey("a");
  auto b2 = db_->GetNodeByKey("b");
  ASSERT_TRUE(a2.ok() && b2.ok());
  EXPECT_EQ(a2->batch, a1->batch);
  EXPECT_NE(b2->batch, b1->batch);
  EXPECT_NE(b2->batch, 0u);
}

}  // namespace
}  // namespace samverkan
