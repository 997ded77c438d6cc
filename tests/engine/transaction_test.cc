// Transactions: read-your-writes, rollback, savepoints, Busy, snapshots.
#include <gtest/gtest.h>

#include <algorithm>
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
using test::EdgeList;
using test::IdOf;
using test::N;
using test::NodeKeys;
using test::NodeStringByKey;
using V = std::vector<std::string>;

class TransactionTest : public test::DbTest {
 protected:
  void CommitBase() {
    auto txn = Begin("base");
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("a", "actor", "Alfa", "public")).ok());
    ASSERT_TRUE(txn->PutNode(N("b", "project", "Beta")).ok());
    ASSERT_TRUE(txn->PutEdge(E("a", "participates_in", "b")).ok());
    ASSERT_OK(txn->Commit());
  }
};

TEST_F(TransactionTest, ReadYourWrites) {
  CommitBase();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_TRUE(txn->empty());
  ASSERT_TRUE(txn->PutNode(N("c", "actor", "Gamma", "public")).ok());
  EXPECT_FALSE(txn->empty());
  ASSERT_TRUE(txn->PutEdge(E("c", "participates_in", "b")).ok());
  ASSERT_TRUE(txn->PutEdge(E("a", "supports", "c")).ok());

  EXPECT_EQ(NodeStringByKey(*txn, "c"),
            "id=3 key=c kind=actor name=Gamma sector=public aliases=[] props={} sources=[]");
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b", "c"}));
  EXPECT_EQ(NodeKeys(*txn, test::KindFilter("actor")), (V{"a", "c"}));
  EXPECT_EQ(NodeKeys(*txn, test::SectorFilter("public")), (V{"a", "c"}));
  EXPECT_EQ(EdgeList(*txn, "b", Direction::kIn),
            (V{"participates_in<-a#0", "participates_in<-c#0"}));
  EXPECT_EQ(EdgeList(*txn, "c", Direction::kBoth), (V{"participates_in->b#0", "supports<-a#0"}));
  EXPECT_EQ(AllEdgeList(*txn),
            (V{"a-participates_in->b#0", "a-supports->c#0", "c-participates_in->b#0"}));
  auto found = txn->FindByName("GAMMA");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<NodeId>{3});
  EXPECT_EQ(CountsString(*txn), "nodes=3 edges=3");
  EXPECT_EQ(DegreeString(*txn, "b"), "out=0 in=2");
  EXPECT_EQ(DegreeString(*txn, "a"), "out=2 in=0");
  EXPECT_TRUE(txn->schema().EdgeType("supports").has_value());
  {
    // Whole uncommitted edges load through the cursor and by id.
    auto cur = txn->Edges(3, Direction::kOut);
    ASSERT_TRUE(cur->Valid());
    auto e = cur->Load();
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->type, "participates_in");
    EXPECT_EQ(e->src, 3u);
    EXPECT_EQ(e->dst, 2u);
    auto by_id = txn->GetEdge(cur->edge().id);
    ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
    EXPECT_EQ(by_id->dst, 2u);
    auto found = txn->FindEdge(3, *txn->schema().EdgeType("participates_in"), 2, 0);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, std::optional<EdgeId>(cur->edge().id));
    EXPECT_CODE(kNotFound, db_->GetEdge(cur->edge().id).status());
  }

  // The Db does not see uncommitted writes.
  EXPECT_CODE(kNotFound, db_->FindKey("c").status());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b"}));
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
  EXPECT_EQ(EdgeList(*db_, "b", Direction::kIn), V{"participates_in<-a#0"});
  auto not_yet = db_->FindByName("gamma");
  ASSERT_TRUE(not_yet.ok());
  EXPECT_TRUE(not_yet->empty());

  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b", "c"}));
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=3");
  EXPECT_EQ(DegreeString(*db_, "b"), "out=0 in=2");
}

TEST_F(TransactionTest, ReadYourWritesOfUpdatesAndDeletes) {
  CommitBase();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "Alfa 2", "business")).ok());
  EXPECT_EQ(NodeKeys(*txn, test::SectorFilter("public")), V{});
  EXPECT_EQ(NodeKeys(*txn, test::SectorFilter("business")), V{"a"});
  ASSERT_OK(txn->DeleteNode(IdOf(*txn, "b")));
  EXPECT_EQ(NodeKeys(*txn), V{"a"});
  EXPECT_EQ(EdgeList(*txn, "a", Direction::kBoth), V{});
  EXPECT_EQ(CountsString(*txn), "nodes=1 edges=0");
  // Committed state unchanged until Commit.
  EXPECT_EQ(NodeKeys(*db_, test::SectorFilter("public")), V{"a"});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
}

TEST_F(TransactionTest, RollbackLeavesNothing) {
  CommitBase();
  const uint64_t seq = db_->LatestSequence();
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
    ASSERT_TRUE(txn->PutEdge(E("c", "funds", "a")).ok());
    ASSERT_OK(txn->DeleteNode(IdOf(*txn, "b")));
    txn->Rollback();
  }
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b"}));
  EXPECT_EQ(AllEdgeList(*db_), V{"a-participates_in->b#0"});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
  EXPECT_EQ(db_->LatestSequence(), seq);
  // A new transaction can start at once.
  auto txn = Begin();
  ASSERT_TRUE(txn);
}

// transaction.h: a rolled-back transaction "leaves no trace". Kinds and edge
// types first used by it should not appear in the schema afterwards.
TEST_F(TransactionTest, RollbackLeavesNoNewSchemaNames) {
  CommitBase();
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("c", "person")).ok());
    ASSERT_TRUE(txn->PutEdge(E("c", "funds", "a")).ok());
    txn->Rollback();
  }
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kEdgeType), V{"participates_in"});
  EXPECT_EQ(db_->schema().Names(SymbolSpace::kKind), (V{"actor", "project"}));
  EXPECT_FALSE(db_->schema().EdgeType("funds").has_value());
}

TEST_F(TransactionTest, DestroyWithoutCommitLeavesNothing) {
  CommitBase();
  {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
    ASSERT_TRUE(txn->PutEdge(E("c", "funds", "a")).ok());
  }
  EXPECT_CODE(kNotFound, db_->FindKey("c").status());
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
  EXPECT_EQ(DegreeString(*db_, "a"), "out=1 in=0");
  Reopen();
  EXPECT_CODE(kNotFound, db_->FindKey("c").status());
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
}

TEST_F(TransactionTest, FailedWriteKeepsEarlierWrites) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("a", "knows", "b")).ok());
  NodeInput bad = N("c", "actor");
  bad.props = "not json";
  EXPECT_CODE(kInvalidArgument, txn->PutNode(bad).status());
  EXPECT_FALSE(txn->PutEdge(E("a", "knows", "zzz")).ok());
  EXPECT_CODE(kNotFound, txn->DeleteNode(77));
  EXPECT_FALSE(txn->empty());
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b"}));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b"}));
  EXPECT_EQ(AllEdgeList(*db_), V{"a-knows->b#0"});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
}

TEST_F(TransactionTest, SavepointsNest) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  txn->SetSavepoint();  // outer
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  txn->SetSavepoint();  // inner
  ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("b", "knows", "c")).ok());
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b", "c"}));

  ASSERT_OK(txn->RollbackToSavepoint());  // back to inner; inner is kept
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b"}));
  EXPECT_EQ(AllEdgeList(*txn), V{});
  EXPECT_EQ(CountsString(*txn), "nodes=2 edges=0");
  EXPECT_EQ(DegreeString(*txn, "b"), "out=0 in=0");

  ASSERT_TRUE(txn->PutNode(N("d", "actor")).ok());
  ASSERT_OK(txn->RollbackToSavepoint());  // inner again
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b"}));

  ASSERT_TRUE(txn->PutNode(N("e", "actor")).ok());
  ASSERT_OK(txn->ReleaseSavepoint());  // forget inner, keep e
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b", "e"}));

  ASSERT_OK(txn->RollbackToSavepoint());  // outer: b and e go
  EXPECT_EQ(NodeKeys(*txn), V{"a"});
  ASSERT_OK(txn->ReleaseSavepoint());  // outer forgotten
  EXPECT_CODE(kNotFound, txn->RollbackToSavepoint());
  EXPECT_CODE(kNotFound, txn->ReleaseSavepoint());
  EXPECT_EQ(NodeKeys(*txn), V{"a"});

  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_), V{"a"});
  EXPECT_EQ(CountsString(*db_), "nodes=1 edges=0");
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
}

TEST_F(TransactionTest, SavepointRestoresUpdatedAndDeletedRecords) {
  CommitBase();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  const std::string a_before = NodeStringByKey(*txn, "a");
  txn->SetSavepoint();
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "Renamed", "business")).ok());
  ASSERT_OK(txn->DeleteNode(IdOf(*txn, "b")));
  EXPECT_EQ(CountsString(*txn), "nodes=1 edges=0");
  ASSERT_OK(txn->RollbackToSavepoint());
  EXPECT_EQ(NodeStringByKey(*txn, "a"), a_before);
  EXPECT_EQ(NodeKeys(*txn), (V{"a", "b"}));
  EXPECT_EQ(AllEdgeList(*txn), V{"a-participates_in->b#0"});
  EXPECT_EQ(CountsString(*txn), "nodes=2 edges=1");
  auto renamed = txn->FindByName("renamed");
  ASSERT_TRUE(renamed.ok());
  EXPECT_TRUE(renamed->empty());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeStringByKey(*db_, "a"), a_before);
}

// A transaction of thousands of writes reads them back through every kind
// of read while it goes on: scans after writes sort the pending keys in runs
// that are merged as they grow, and a key updated or deleted after it was
// sorted must read as it is now.
TEST_F(TransactionTest, BigTransactionReadsItsOwnWritesThroughout) {
  CommitBase();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  constexpr int kNodes = 3000;
  V keys = {"a", "b"};
  for (int i = 0; i < kNodes; ++i) {
    const std::string key = "n" + std::to_string(100000 + i);
    ASSERT_TRUE(txn->PutNode(N(key, i % 2 ? "actor" : "project")).ok());
    keys.push_back(key);
    // Each to the committed node b, and to the node made before.
    ASSERT_TRUE(txn->PutEdge(E(key, "knows", "b")).ok());
    if (i > 0) {
      ASSERT_TRUE(txn->PutEdge(E(key, "follows", keys[keys.size() - 2])).ok());
    }
    if (i % 97 == 0) {
      ASSERT_EQ(NodeKeys(*txn).size(), keys.size()) << i;
      ASSERT_EQ(EdgeList(*txn, "b", Direction::kIn).size(), static_cast<size_t>(i + 2)) << i;
    }
  }
  // Updates and deletions of keys the scans above have sorted.
  ASSERT_TRUE(txn->PutNode(N("n100010", "actor", "Renamed")).ok());
  ASSERT_OK(txn->DeleteNode(IdOf(*txn, "n100020")));
  keys.erase(std::find(keys.begin(), keys.end(), "n100020"));

  EXPECT_EQ(NodeKeys(*txn), keys);
  // The odd ones, a, and n100010 now.
  EXPECT_EQ(NodeKeys(*txn, test::KindFilter("actor")).size(), kNodes / 2 + 2u);
  EXPECT_EQ(NodeStringByKey(*txn, "n100010").find("name=Renamed") != std::string::npos, true);
  EXPECT_CODE(kNotFound, txn->FindKey("n100020").status());
  // b: the base edge from a, and one from each new node but the deleted one.
  EXPECT_EQ(DegreeString(*txn, "b"), "out=0 in=" + std::to_string(kNodes));
  EXPECT_EQ(EdgeList(*txn, "n100021", Direction::kBoth), (V{"knows->b#0", "follows<-n100022#0"}));
  const std::string counts = "nodes=" + std::to_string(kNodes + 1) +
                             " edges=" + std::to_string(1 + kNodes - 1 + kNodes - 1 - 2);
  EXPECT_EQ(CountsString(*txn), counts);
  const size_t edges_seen = AllEdgeList(*txn).size();
  EXPECT_EQ(edges_seen, static_cast<size_t>(1 + kNodes - 1 + kNodes - 1 - 2));

  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_), keys);
  EXPECT_EQ(CountsString(*db_), counts);
  EXPECT_EQ(AllEdgeList(*db_).size(), edges_seen);
  EXPECT_EQ(DegreeString(*db_, "b"), "out=0 in=" + std::to_string(kNodes));
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
}

// A savepoint in the middle of a bulk insert: rolling back to it restores
// exactly what was there, whether the reads in between had sorted the keys
// or not, and the transaction goes on from there.
TEST_F(TransactionTest, RollbackToASavepointInTheMiddleOfABulkInsert) {
  CommitBase();
  auto txn = Begin();
  ASSERT_TRUE(txn);
  auto add = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string key = "n" + std::to_string(100000 + i);
      ASSERT_TRUE(txn->PutNode(N(key, "actor")).ok());
      ASSERT_TRUE(txn->PutEdge(E(key, "knows", "a")).ok());
    }
  };
  add(0, 1000);
  const V keys_before = NodeKeys(*txn);  // sorts the first thousand
  const V edges_before = AllEdgeList(*txn);
  const std::string counts_before = CountsString(*txn);
  const std::string a_before = NodeStringByKey(*txn, "a");
  txn->SetSavepoint();
  add(1000, 2000);
  EXPECT_EQ(NodeKeys(*txn).size(), 2002u);  // sorts the second
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "Changed")).ok());
  ASSERT_OK(txn->DeleteNode(IdOf(*txn, "n100005")));
  ASSERT_OK(txn->DeleteNode(IdOf(*txn, "b")));
  add(2000, 2500);  // never read before the rollback

  ASSERT_OK(txn->RollbackToSavepoint());
  EXPECT_EQ(NodeKeys(*txn), keys_before);
  EXPECT_EQ(AllEdgeList(*txn), edges_before);
  EXPECT_EQ(CountsString(*txn), counts_before);
  EXPECT_EQ(NodeStringByKey(*txn, "a"), a_before);
  EXPECT_CODE(kNotFound, txn->FindKey("n101000").status());
  EXPECT_EQ(DegreeString(*txn, "a"), "out=1 in=1000");

  add(3000, 3100);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_).size(), keys_before.size() + 100);
  EXPECT_EQ(NodeStringByKey(*db_, "a"), a_before);
  EXPECT_EQ(DegreeString(*db_, "a"), "out=1 in=1100");
  EXPECT_CODE(kNotFound, db_->FindKey("n101500").status());
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
}

TEST_F(TransactionTest, NoSavepointIsNotFound) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_CODE(kNotFound, txn->RollbackToSavepoint());
  EXPECT_CODE(kNotFound, txn->ReleaseSavepoint());
}

TEST_F(TransactionTest, SecondTransactionIsBusy) {
  auto first = Begin();
  ASSERT_TRUE(first);
  auto second = db_->BeginTransaction("second");
  EXPECT_CODE(kBusy, second.status());
  ASSERT_TRUE(first->PutNode(N("a", "actor")).ok());
  ASSERT_OK(first->Commit());
  first.reset();
  auto third = db_->BeginTransaction("third");
  ASSERT_TRUE(third.ok()) << third.status().ToString();
}

TEST_F(TransactionTest, BusyUntilCommittedTransactionIsGone) {
  // After Commit the transaction is finished; a new one may begin once it is
  // destroyed at the latest.
  {
    auto first = Begin();
    ASSERT_TRUE(first);
    ASSERT_OK(first->Commit());
  }
  auto next = db_->BeginTransaction();
  EXPECT_TRUE(next.ok()) << next.status().ToString();
}

TEST_F(TransactionTest, EmptyCommitIsOk) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  EXPECT_TRUE(txn->empty());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(CountsString(*db_), "nodes=0 edges=0");
}

TEST_F(TransactionTest, SnapshotDoesNotSeeLaterCommits) {
  CommitBase();
  auto snap = db_->GetSnapshot();
  ASSERT_NE(snap, nullptr);
  const uint64_t seq_before = db_->LatestSequence();
  EXPECT_EQ(snap->sequence(), seq_before);

  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("c", "actor", "Gamma")).ok());
  ASSERT_TRUE(txn->PutEdge(E("c", "funds", "a")).ok());
  ASSERT_TRUE(txn->PutNode(N("a", "actor", "Alfa changed")).ok());
  ASSERT_OK(txn->Commit());
  txn.reset();

  const uint64_t seq_after = db_->LatestSequence();
  EXPECT_NE(seq_after, seq_before);

  EXPECT_CODE(kNotFound, snap->FindKey("c").status());
  EXPECT_EQ(NodeKeys(*snap), (V{"a", "b"}));
  EXPECT_EQ(CountsString(*snap), "nodes=2 edges=1");
  EXPECT_EQ(EdgeList(*snap, "a", Direction::kBoth), V{"participates_in->b#0"});
  EXPECT_EQ(DegreeString(*snap, "a"), "out=1 in=0");
  auto a = snap->GetNodeByKey("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->name, "Alfa");
  auto gamma = snap->FindByName("gamma");
  ASSERT_TRUE(gamma.ok());
  EXPECT_TRUE(gamma->empty());
  EXPECT_EQ(snap->sequence(), seq_before);

  // The Db and a new snapshot see the commit.
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=2");
  auto snap2 = db_->GetSnapshot();
  EXPECT_EQ(snap2->sequence(), seq_after);
  EXPECT_EQ(NodeKeys(*snap2), (V{"a", "b", "c"}));
  EXPECT_EQ(EdgeList(*snap2, "a", Direction::kBoth), (V{"participates_in->b#0", "funds<-c#0"}));
}

TEST_F(TransactionTest, LatestSequenceChangesOnEveryCommit) {
  uint64_t last = db_->LatestSequence();
  for (int i = 0; i < 3; ++i) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N("n" + std::to_string(i), "actor")).ok());
    EXPECT_EQ(db_->LatestSequence(), last);  // not before commit
    ASSERT_OK(txn->Commit());
    const uint64_t now = db_->LatestSequence();
    EXPECT_NE(now, last);
    last = now;
  }
  // Equal sequence numbers mean equal graphs: two snapshots without a commit
  // in between agree.
  auto s1 = db_->GetSnapshot();
  auto s2 = db_->GetSnapshot();
  EXPECT_EQ(s1->sequence(), s2->sequence());
}

TEST_F(TransactionTest, CommittedDataIsDurableAcrossReopen) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("a", "actor")).ok());
  ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("a", "knows", "b")).ok());
  ASSERT_OK(txn->Commit());
  txn.reset();
  Reopen();
  EXPECT_EQ(AllEdgeList(*db_), V{"a-knows->b#0"});
  EXPECT_EQ(CountsString(*db_), "nodes=2 edges=1");
}

// --- two-phase commit -------------------------------------------------------

TEST_F(TransactionTest, PreparedWritesAreInvisibleUntilCommitted) {
  CommitBase();
  auto txn = Begin("two-phase");
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("c", "participates_in", "b")).ok());
  ASSERT_OK(txn->Prepare("x1", "test coordinator"));
  EXPECT_TRUE(txn->prepared());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b"}));
  // Prepared: it takes no more writes, and it still holds the writer slot.
  EXPECT_CODE(kInvalidArgument, txn->PutNode(N("d", "actor")).status());
  EXPECT_CODE(kBusy, db_->BeginTransaction().status());
  // Its own record is not an undecided transaction: its owner is alive.
  EXPECT_TRUE(db_->PreparedTransactions().empty());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b", "c"}));
  EXPECT_EQ(CountsString(*db_), "nodes=3 edges=2");
  Reopen();
  EXPECT_TRUE(db_->PreparedTransactions().empty());
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b", "c"}));
  EXPECT_TRUE(db_->CheckIntegrity()->ok());
}

TEST_F(TransactionTest, APreparedTransactionRolledBackLeavesNothing) {
  CommitBase();
  const auto before = AllEdgeList(*db_);
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
  ASSERT_TRUE(txn->PutEdge(E("c", "funds", "b")).ok());
  ASSERT_OK(txn->Prepare("x2", ""));
  txn->Rollback();
  EXPECT_EQ(NodeKeys(*db_), (V{"a", "b"}));
  EXPECT_EQ(AllEdgeList(*db_), before);
  EXPECT_FALSE(db_->schema().EdgeType("funds"));
  Reopen();
  EXPECT_TRUE(db_->PreparedTransactions().empty());
  EXPECT_TRUE(Begin());
}

TEST_F(TransactionTest, PrepareNeedsAnId) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("c", "actor")).ok());
  EXPECT_CODE(kInvalidArgument, txn->Prepare("", "x"));
  EXPECT_TRUE(NodeKeys(*db_).empty());
  EXPECT_TRUE(Begin());  // the failed prepare rolled back and let go
}

TEST_F(TransactionTest, ASnapshotTellsACoordinatorsLatestCommitAndItsUndecided) {
  auto commits = db_->GetSnapshot()->CommitsOf("sql");
  ASSERT_OK(commits.status());
  EXPECT_EQ(commits->last_committed, "");
  for (const char* xid : {"x1", "x2"}) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->PutNode(N(xid, "actor")).ok());
    ASSERT_OK(txn->Prepare(xid, "sql"));
    auto during = db_->GetSnapshot()->CommitsOf("sql");
    ASSERT_OK(during.status());
    EXPECT_EQ(during->undecided, V{xid});
    ASSERT_OK(txn->Commit());
  }
  auto before = db_->GetSnapshot();
  // Another coordinator's commit, a rolled-back one and a plain commit
  // leave this coordinator's record as it is.
  auto other = Begin();
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->PutNode(N("o", "actor")).ok());
  ASSERT_OK(other->Prepare("o1", "other"));
  ASSERT_OK(other->Commit());
  auto undone = Begin();
  ASSERT_TRUE(undone);
  ASSERT_TRUE(undone->PutNode(N("u", "actor")).ok());
  ASSERT_OK(undone->Prepare("x3", "sql"));
  undone->Rollback();
  auto plain = Begin();
  ASSERT_TRUE(plain);
  ASSERT_TRUE(plain->PutNode(N("p", "actor")).ok());
  ASSERT_OK(plain->Commit());
  for (const auto& [coordinator, latest] : {std::pair{"sql", "x2"}, std::pair{"other", "o1"}}) {
    auto now = db_->GetSnapshot()->CommitsOf(coordinator);
    ASSERT_OK(now.status());
    EXPECT_EQ(now->last_committed, latest);
    EXPECT_TRUE(now->undecided.empty());
  }
  // A snapshot keeps what it saw.
  EXPECT_EQ(before->CommitsOf("other")->last_committed, "");
  before.reset();
  other.reset();
  undone.reset();
  plain.reset();
  Reopen();
  EXPECT_EQ(db_->GetSnapshot()->CommitsOf("sql")->last_committed, "x2");
}

TEST_F(TransactionTest, SettlingAnUnknownTransactionIsNotFound) {
  EXPECT_CODE(kNotFound, db_->SettlePrepared("nope", true));
}

}  // namespace
}  // namespace samverkan
