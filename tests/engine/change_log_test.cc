// Commits as deltas across processes: each commit leaves its change set in
// the store (the change log, storage/change_log.h), so that a read-only open
// following a writer (Refresh) patches its CSR snapshot instead of building
// it again, and a graph opened a few commits after its snapshot file was
// saved patches the file's snapshot. The patched snapshot must equal a fresh
// build; a missing, trimmed or unknown change set must mean a build.
//
// A read-only open of the writer's graph in the same process stands for the
// other process: it is a RocksDB secondary with no memory of the writer's
// commits either (crash_test.cc covers the kill -9 of a real writer).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "csr_compare.h"
#include "samverkan/samverkan.h"
#include "storage/change_log.h"
#include "storage/test_hooks.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::D;
using test::E;
using test::N;

class ChangeLogTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (int i = 0; i < 30; ++i) {
      keys_.push_back("n" + std::to_string(i));
      NodeInput n = N(keys_.back(), i % 3 == 0 ? "project" : "actor", "name " + std::to_string(i),
                      i % 2 ? "academia" : "");
      n.props = "{\"role\":\"r" + std::to_string(i % 4) + "\"}";
      ASSERT_OK(txn->PutNode(n).status());
    }
    for (int i = 0; i < 80; ++i) ASSERT_OK(txn->PutEdge(RandomEdge()).status());
    ASSERT_OK(txn->Commit());
  }

  EdgeInput RandomEdge() {
    EdgeInput e = E(keys_[rng_() % keys_.size()], rng_() % 2 ? "participates_in" : "funds",
                    keys_[rng_() % keys_.size()], rng_() % 2);
    if (rng_() % 2) e.weight = 1 + rng_() % 3;
    if (rng_() % 3 == 0) e.validity = {D(2014, 1, 1), D(2019, 12, 31)};
    e.props = "{\"share\":" + std::to_string(rng_() % 100) + "}";
    return e;
  }

  // A small commit: a node and an edge to it, an edge removed, a node's
  // sector and props changed, sometimes a node removed.
  void SmallCommit() {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    keys_.push_back("new" + std::to_string(keys_.size()));
    ASSERT_OK(txn->PutNode(N(keys_.back(), "actor", "", "business")).status());
    EdgeInput e = RandomEdge();
    e.dst = NodeRef(keys_.back());
    ASSERT_OK(txn->PutEdge(e).status());
    auto edges = txn->AllEdges();
    for (int skip = static_cast<int>(rng_() % 5); edges->Valid() && skip > 0; --skip) edges->Next();
    if (edges->Valid()) ASSERT_OK(txn->DeleteEdge(edges->edge().id));
    edges.reset();
    const std::string& changed = keys_[rng_() % keys_.size()];
    auto old = txn->GetNodeByKey(changed);
    if (old.ok()) {
      NodeInput n = N(changed, old->kind, "renamed",
                      rng_() % 2 ? "public" : "");
      n.props = "{\"role\":\"x" + std::to_string(rng_() % 9) + "\"}";
      ASSERT_OK(txn->PutNode(n).status());
    }
    if (rng_() % 4 == 0 && keys_.size() > 20) {
      const size_t at = 5 + rng_() % 10;
      auto id = txn->FindKey(keys_[at]);
      if (id.ok()) ASSERT_OK(txn->DeleteNode(*id));
      keys_.erase(keys_.begin() + static_cast<ptrdiff_t>(at));
    }
    ASSERT_OK(txn->Commit());
  }

  std::unique_ptr<Db> OpenReader() {
    Options ro;
    ro.read_only = true;
    return test::MustOpen(path(), ro);
  }

  // `reader`'s snapshot of `spec` equals a fresh build of what it reads.
  void ExpectExact(Db& reader, const CsrSpec& spec, const std::string& what) {
    ASSERT_OK_AND_ASSIGN(auto got, reader.Csr(spec));
    auto snapshot = reader.GetSnapshot();
    ASSERT_OK_AND_ASSIGN(auto want, CsrGraph::Build(*snapshot, spec));
    test::ExpectSameSnapshot(*got, *want, *snapshot, what);
  }

  std::mt19937 rng_{19};
  std::vector<std::string> keys_;
};

CsrSpec Actors() {
  CsrSpec spec;
  spec.node_kinds = {"actor"};
  spec.with_weights = true;
  return spec;
}

TEST_F(ChangeLogTest, ReaderPatchesTheWritersCommits) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  ExpectExact(*reader, {}, "before");
  ExpectExact(*reader, Actors(), "actors before");
  for (int step = 0; step < 12; ++step) {
    // One commit between catching up, or three.
    for (int i = 0; i < (step % 3 == 2 ? 3 : 1); ++i) SmallCommit();
    if (HasFailure()) return;
    ASSERT_OK(reader->Refresh());
    const uint64_t log_patches = storage::CsrLogPatchCount();
    ExpectExact(*reader, {}, "after step " + std::to_string(step));
    ExpectExact(*reader, Actors(), "actors after step " + std::to_string(step));
    EXPECT_EQ(storage::CsrLogPatchCount(), log_patches + 2) << "step " << step;
    if (HasFailure()) return;
  }
}

TEST_F(ChangeLogTest, ReaderPatchesPreparedCommits) {
  // SQL commits in two phases: the change set is sealed with the prepared
  // writes and lands with the commit.
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  ExpectExact(*reader, {}, "before");
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("prepared", "actor")).status());
    ASSERT_OK(txn->PutEdge(E("prepared", "participates_in", keys_[3])).status());
    ASSERT_OK(txn->Prepare("x1", "coordinator"));
    ASSERT_OK(reader->Refresh());
    ExpectExact(*reader, {}, "prepared, not committed");
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(reader->Refresh());
  const uint64_t log_patches = storage::CsrLogPatchCount();
  ExpectExact(*reader, {}, "after the prepared commit");
  EXPECT_EQ(storage::CsrLogPatchCount(), log_patches + 1);
  ASSERT_OK_AND_ASSIGN(auto csr, reader->Csr({}));
  ASSERT_OK_AND_ASSIGN(NodeId id, reader->FindKey("prepared"));
  EXPECT_TRUE(csr->index_of(id).has_value());
}

TEST_F(ChangeLogTest, TrimmedChangeSetsMeanABuild) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  ExpectExact(*reader, {}, "before");
  // More commits than the log keeps: the first the reader lacks is gone.
  for (uint64_t i = 0; i <= storage::kChangeLogCommits; ++i) {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("t" + std::to_string(i), "actor")).status());
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(reader->Refresh());
  const uint64_t patches = storage::CsrPatchCount();
  ExpectExact(*reader, {}, "after the log moved past the reader");
  EXPECT_EQ(storage::CsrPatchCount(), patches);
  // And from there on it patches again.
  SmallCommit();
  ASSERT_OK(reader->Refresh());
  ExpectExact(*reader, {}, "one commit later");
  EXPECT_EQ(storage::CsrPatchCount(), patches + 1);
}

TEST_F(ChangeLogTest, BulkLoadIsUnknownAndMeansABuild) {
  // The writer's own snapshot across a bulk load: the load records
  // "unknown", and the graph is read again. (A read-only open following a
  // bulk load is not used here: a RocksDB secondary that has replayed the
  // log before the load reads the counters of its memtable over the
  // ingested files, a limit of secondaries of its own.)
  test::TempDir dir;
  auto writer = test::MustOpen(dir.Sub("bulk"));
  ASSERT_NE(writer, nullptr);
  ASSERT_OK_AND_ASSIGN(auto empty, writer->Csr({}));
  EXPECT_EQ(empty->num_nodes(), 0u);
  {
    ASSERT_OK_AND_ASSIGN(auto bulk, writer->BeginBulkLoad("load"));
    ASSERT_OK(bulk->AddNode(N("a", "actor")).status());
    ASSERT_OK(bulk->AddNode(N("b", "project")).status());
    ASSERT_OK(bulk->AddEdge(E("a", "participates_in", "b")));
    ASSERT_OK(bulk->Finish());
  }
  auto report = writer->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_EQ(report->change_records_checked, 2u);  // the graph's creation, the load
  const uint64_t patches = storage::CsrPatchCount();
  ExpectExact(*writer, {}, "after the load");
  EXPECT_EQ(storage::CsrPatchCount(), patches);
  {
    auto txn = writer->BeginTransaction("after");
    ASSERT_OK(txn.status());
    ASSERT_OK((*txn)->PutEdge(E("b", "funds", "a")).status());
    ASSERT_OK((*txn)->Commit());
  }
  ExpectExact(*writer, {}, "a commit after the load");
  EXPECT_GT(storage::CsrPatchCount(), patches);
}

TEST_F(ChangeLogTest, StaleSnapshotFileIsPatchedAtOpen) {
  ASSERT_OK(db_->SaveSnapshotFile());
  for (int i = 0; i < 3; ++i) SmallCommit();
  db_.reset();
  // The next process to open the graph, reading or writing: the file is
  // three commits behind.
  for (bool read_only : {true, false}) {
    Options o = FastOptions();
    o.read_only = read_only;
    auto db = test::MustOpen(path(), o);
    ASSERT_NE(db, nullptr);
    const uint64_t log_patches = storage::CsrLogPatchCount();
    ExpectExact(*db, {}, read_only ? "read-only open" : "writable open");
    EXPECT_EQ(storage::CsrLogPatchCount(), log_patches + 1) << "read_only " << read_only;
  }
}

// The record encoding itself: what goes in comes out, and a change set too
// big to record is "unknown".
TEST(ChangeRecordTest, RoundTripsAndCapsItsSize) {
  CsrChanges c;
  c.nodes.push_back({3, false, true, 2, 0});
  c.nodes.push_back({70000, true, false, 0, 0});
  CsrChanges::EdgeChange added;
  added.edge = {12, 3, 4, 70000, 2, 1.5, {D(2001, 2, 3), std::nullopt}};
  c.edges.push_back(added);
  CsrChanges::EdgeChange removed;
  removed.edge.src = 9;
  removed.edge.type = 1;
  removed.edge.dst = 3;
  removed.removed = true;
  c.edges.push_back(removed);
  c.removed_edge_ids = {5, 11};
  auto back = storage::DecodeChangeRecord(storage::EncodeChangeRecord(&c));
  ASSERT_TRUE(back && back->known);
  ASSERT_EQ(back->changes.nodes.size(), 2u);
  EXPECT_EQ(back->changes.nodes[0].id, 3u);
  EXPECT_TRUE(back->changes.nodes[0].created);
  EXPECT_EQ(back->changes.nodes[0].kind, 2u);
  EXPECT_TRUE(back->changes.nodes[1].removed);
  EXPECT_EQ(back->changes.nodes[1].id, 70000u);
  ASSERT_EQ(back->changes.edges.size(), 2u);
  const EdgeRef& e = back->changes.edges[0].edge;
  EXPECT_EQ(e.id, 12u);
  EXPECT_EQ(e.src, 3u);
  EXPECT_EQ(e.type, 4u);
  EXPECT_EQ(e.dst, 70000u);
  EXPECT_EQ(e.rank, 2u);
  EXPECT_EQ(e.weight, 1.5);
  EXPECT_EQ(e.validity, (Validity{D(2001, 2, 3), std::nullopt}));
  EXPECT_TRUE(back->changes.edges[1].removed);
  EXPECT_EQ(back->changes.edges[1].edge.src, 9u);
  EXPECT_EQ(back->changes.removed_edge_ids, (std::vector<EdgeId>{5, 11}));

  auto unknown = storage::DecodeChangeRecord(storage::EncodeChangeRecord(nullptr));
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->known);
  CsrChanges big;
  for (NodeId id = 1; id <= 20000; ++id) big.nodes.push_back({id * 1000, false, true, 1, 1});
  auto capped = storage::DecodeChangeRecord(storage::EncodeChangeRecord(&big));
  ASSERT_TRUE(capped);
  EXPECT_FALSE(capped->known);
  // Cut short, or of another version: not a record.
  std::string cut = storage::EncodeChangeRecord(&c);
  cut.pop_back();
  EXPECT_FALSE(storage::DecodeChangeRecord(cut));
  EXPECT_FALSE(storage::DecodeChangeRecord(std::string("\x02\x01", 2)));
}

}  // namespace
}  // namespace samverkan
