// Everything written survives closing and reopening the graph.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "samverkan/samverkan.h"
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
using test::NodeKeys;
using test::NodeStringByKey;
using V = std::vector<std::string>;

class PersistenceTest : public test::DbTest {
 protected:
  void Build() {
    auto txn = Begin("build");
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->AddSector("research_institute"));
    ASSERT_TRUE(txn->PutNode(N("src:page", "source", "MSI page")).ok());                // 1
    NodeInput msi = N("org:msi", "actor", "Mötesplats Social Innovation", "nonprofit");  // 2
    msi.aliases = {"MSI"};
    msi.props = R"({"founded":2010})";
    msi.sources = {NodeRef("src:page")};
    ASSERT_TRUE(txn->PutNode(msi).ok());
    ASSERT_TRUE(txn->PutNode(N("org:rise", "actor", "RISE", "research_institute")).ok());  // 3
    ASSERT_TRUE(txn->PutNode(N("proj:summit", "event", "Social Innovation Summit")).ok());  // 4
    ASSERT_TRUE(txn->PutNode(N("tmp", "actor")).ok());  // 5, deleted below
    EdgeInput hosts = E("org:msi", "hosts", "proj:summit");
    hosts.weight = 2.0;
    hosts.validity = {D(2020, 11, 1), D(2020, 11, 30)};
    hosts.props = R"({"role":"organiser"})";
    hosts.sources = {NodeRef("src:page")};
    auto id = txn->PutEdge(hosts);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    hosts_id_ = *id;
    ASSERT_TRUE(txn->PutEdge(E("org:rise", "partners_with", "org:msi")).ok());
    ASSERT_TRUE(txn->PutEdge(E("org:rise", "partners_with", "org:msi", 1)).ok());
    ASSERT_TRUE(txn->PutEdge(E("tmp", "partners_with", "org:msi")).ok());
    ASSERT_OK(txn->Commit());

    txn = Begin("delete");
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->DeleteNode(5));
    ASSERT_OK(txn->Commit());
  }

  // The whole visible state as strings.
  V State() {
    V s;
    s.push_back(CountsString(*db_));
    for (const std::string& k : NodeKeys(*db_)) {
      s.push_back(NodeStringByKey(*db_, k));
      s.push_back(k + " " + DegreeString(*db_, k));
      for (const std::string& e : EdgeList(*db_, k, Direction::kBoth)) s.push_back(k + " " + e);
    }
    for (const std::string& e : AllEdgeList(*db_)) s.push_back(e);
    for (SymbolSpace space : {SymbolSpace::kKind, SymbolSpace::kSector, SymbolSpace::kEdgeType}) {
      s.push_back(test::Join(db_->schema().Names(space)));
    }
    return s;
  }

  EdgeId hosts_id_ = 0;
};

TEST_F(PersistenceTest, StateSurvivesReopen) {
  Build();
  const V before = State();
  Reopen();
  EXPECT_EQ(State(), before);
  // And once more, read-only.
  Options ro = FastOptions();
  ro.read_only = true;
  Reopen(ro);
  EXPECT_EQ(State(), before);
}

TEST_F(PersistenceTest, ExactValuesAfterReopen) {
  Build();
  Reopen();
  EXPECT_EQ(CountsString(*db_), "nodes=4 edges=3");
  EXPECT_EQ(NodeStringByKey(*db_, "org:msi"),
            "id=2 key=org:msi kind=actor name=Mötesplats Social Innovation sector=nonprofit "
            "aliases=[MSI] props={\"founded\":2010} sources=[src:page]");
  EXPECT_EQ(DegreeString(*db_, "org:msi"), "out=1 in=2");
  EXPECT_EQ(DegreeString(*db_, "org:rise"), "out=2 in=0");
  EXPECT_CODE(kNotFound, db_->FindKey("tmp").status());
  EXPECT_EQ(AllEdgeList(*db_),
            (V{"org:msi-hosts->proj:summit#0", "org:rise-partners_with->org:msi#0",
               "org:rise-partners_with->org:msi#1"}));

  auto e = db_->GetEdge(hosts_id_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->type, "hosts");
  EXPECT_EQ(e->weight, std::optional<double>(2.0));
  EXPECT_EQ(e->validity, (Validity{D(2020, 11, 1), D(2020, 11, 30)}));
  EXPECT_EQ(e->props, R"({"role":"organiser"})");
  EXPECT_EQ(e->sources, std::vector<NodeId>{1});

  std::vector<std::string> sectors = DefaultSectors();
  sectors.push_back("research_institute");
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kSector), sectors);
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kKind), (V{"source", "actor", "event"}));
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kEdgeType), (V{"hosts", "partners_with"}));
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("research_institute")), V{"org:rise"});

  auto found = db_->FindByName("motesplats social innovation");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<NodeId>{2});
  found = db_->FindByName("msi");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<NodeId>{2});

  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_EQ(report->nodes_checked, 4u);
  EXPECT_EQ(report->edges_checked, 3u);
}

TEST_F(PersistenceTest, SymbolIdsAreStableAcrossReopen) {
  Build();
  const auto hosts = db_->schema().EdgeType("hosts");
  const auto actor = db_->schema().Find(SymbolSpace::kKind, "actor");
  const auto ri = db_->schema().Find(SymbolSpace::kSector, "research_institute");
  ASSERT_TRUE(hosts && actor && ri);
  Reopen();
  EXPECT_EQ(db_->schema().EdgeType("hosts"), hosts);
  EXPECT_EQ(db_->schema().Find(SymbolSpace::kKind, "actor"), actor);
  EXPECT_EQ(db_->schema().Find(SymbolSpace::kSector, "research_institute"), ri);
  EXPECT_EQ(db_->schema().EdgeTypeName(*hosts), "hosts");
}

TEST_F(PersistenceTest, NewIdsAfterReopenDoNotCollide) {
  Build();
  Reopen();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  auto n = txn->PutNode(N("org:new", "actor"));
  ASSERT_TRUE(n.ok());
  // Ids 1-4 are live; 5 was deleted. A new id must not be a live one.
  EXPECT_GE(*n, 5u);
  auto e = txn->PutEdge(E("org:new", "hosts", "proj:summit"));
  ASSERT_TRUE(e.ok());
  EXPECT_NE(*e, hosts_id_);
  ASSERT_OK(txn->Commit());
  txn.reset();
  EXPECT_EQ(CountsString(*db_), "nodes=5 edges=4");
  EXPECT_EQ(NodeStringByKey(*db_, "org:msi"),
            "id=2 key=org:msi kind=actor name=Mötesplats Social Innovation sector=nonprofit "
            "aliases=[MSI] props={\"founded\":2010} sources=[src:page]");
  auto hosts = db_->GetEdge(hosts_id_);
  ASSERT_TRUE(hosts.ok());
  EXPECT_EQ(hosts->dst, IdOf(*db_, "proj:summit"));
  EXPECT_EQ(hosts->src, 2u);
  EXPECT_EQ(EdgeList(*db_, "proj:summit", Direction::kIn), (V{"hosts<-org:msi#0", "hosts<-org:new#0"}));
}

TEST_F(PersistenceTest, UncommittedWritesAreGoneAfterReopen) {
  Build();
  const V before = State();
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("org:ghost", "actor")).ok());
    ASSERT_OK(txn->AddSector("ghost_sector"));
  }
  Reopen();
  EXPECT_EQ(State(), before);
}

// A sector added by a rolled-back transaction must not become part of the
// vocabulary, neither in memory nor on disk after a later commit.
TEST_F(PersistenceTest, RolledBackSectorIsNotPersistedByALaterCommit) {
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->AddSector("ghost_sector"));
    txn->Rollback();
  }
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("org:a", "actor")).ok());
  ASSERT_OK(txn->Commit());
  txn.reset();
  Reopen();
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kSector), DefaultSectors());
}

}  // namespace
}  // namespace samverkan
