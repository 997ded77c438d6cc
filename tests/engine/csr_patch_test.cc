// Commits as deltas (issue #19 item 5): after a small commit, Db::Csr
// derives the new snapshot from the cached one (CsrGraph::Patched) instead
// of building it; the result must equal a fresh CsrGraph::Build of the same
// spec in every array and every column value, which these tests check over
// random sequences of small commits.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "samverkan/samverkan.h"
#include "storage/test_hooks.h"
#include "csr_compare.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::ColumnOf;
using test::Columns;
using test::ColumnSpec;
using test::D;
using test::E;
using test::ExpectSameArrays;
using test::ExpectSameColumn;
using test::N;

std::vector<std::pair<std::string, CsrSpec>> Specs() {
  std::vector<std::pair<std::string, CsrSpec>> specs;
  specs.emplace_back("all", CsrSpec{});
  CsrSpec kinds;
  kinds.node_kinds = {"actor", "project"};
  specs.emplace_back("kinds", kinds);
  CsrSpec type;
  type.edge_types = {"participates_in"};
  specs.emplace_back("one type", type);
  CsrSpec valid_on;
  valid_on.valid_on = D(2016, 3, 1);
  specs.emplace_back("valid_on", valid_on);
  CsrSpec year;
  year.year = 2018;
  specs.emplace_back("year", year);
  CsrSpec weights;
  weights.with_weights = true;
  specs.emplace_back("weights", weights);
  CsrSpec mixed;
  mixed.node_kinds = {"actor"};
  mixed.edge_types = {"participates_in", "funds"};
  mixed.with_weights = true;
  mixed.year = 2016;
  specs.emplace_back("kind, types, year, weights", mixed);
  return specs;
}

class CsrPatchTest : public test::DbTest {
 protected:
  // Random small commits; after each, Db::Csr of specs[first, first + n)
  // must equal a fresh build.
  void RandomCommitsKeepSnapshotsExact(size_t first_spec, size_t specs_taken);

  std::string NewKey() { return "n" + std::to_string(next_key_++); }
  const std::string& AnyKey() { return keys_[rng_() % keys_.size()]; }

  NodeInput RandomNode(std::string key) {
    static const char* kinds[] = {"actor", "actor", "project", "region"};
    static const char* sectors[] = {"", "academia", "business"};
    NodeInput in = N(std::move(key), kinds[rng_() % 4], "name " + std::to_string(rng_() % 50),
                     sectors[rng_() % 3]);
    in.props = RandomProps();
    return in;
  }

  // Props whose keys take new strings (new dictionary entries), integers,
  // sometimes a value of another type (a column turning into JSON), and
  // one key that is rare.
  std::string RandomProps() {
    std::string p = "{";
    auto add = [&](const std::string& member) { p += (p.size() > 1 ? "," : "") + member; };
    if (rng_() % 4 != 0) add("\"role\":\"r" + std::to_string(rng_() % (8 + next_key_ / 4)) + "\"");
    if (rng_() % 2 == 0) add("\"n\":" + std::to_string(static_cast<int>(rng_() % 100) - 50));
    if (rng_() % 3 == 0) add("\"share\":" + std::to_string(rng_() % 1000) + ".5");
    if (rng_() % 5 == 0) {
      add(rng_() % 4 == 0 ? "\"mixed\":\"m\"" : "\"mixed\":" + std::to_string(rng_() % 9));
    }
    if (rng_() % 40 == 0) add("\"rare\":[1,2]");
    return p + "}";
  }

  EdgeInput RandomEdge(const std::string& src, const std::string& dst) {
    static const char* types[] = {"participates_in", "participates_in", "funds", "located_in"};
    EdgeInput e = E(src, types[rng_() % 4], dst, rng_() % 3);  // ranks: parallel edges
    if (rng_() % 3 == 0) e.validity = {D(2012 + rng_() % 5, 1, 1), D(2016 + rng_() % 5, 6, 30)};
    if (rng_() % 5 == 0) e.validity.to.reset();
    if (rng_() % 2 == 0) e.weight = 1 + rng_() % 4;
    e.props = RandomProps();
    return e;
  }

  void Populate(int nodes, int edges) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (int i = 0; i < nodes; ++i) {
      keys_.push_back(NewKey());
      ASSERT_OK(txn->PutNode(RandomNode(keys_.back())).status());
    }
    for (int i = 0; i < edges; ++i) {
      const std::string& src = AnyKey();
      ASSERT_OK(txn->PutEdge(RandomEdge(src, rng_() % 10 == 0 ? src : AnyKey())).status());
    }
    ASSERT_OK(txn->Commit());
  }

  std::vector<EdgeRef> AllEdges() {
    std::vector<EdgeRef> out;
    auto it = db_->AllEdges();
    for (; it->Valid(); it->Next()) out.push_back(it->edge());
    EXPECT_OK(it->status());
    return out;
  }

  // One to four random writes in one transaction.
  void RandomCommit() {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    const std::vector<EdgeRef> edges = AllEdges();
    const int ops = 1 + static_cast<int>(rng_() % 4);
    for (int i = 0; i < ops; ++i) {
      switch (rng_() % 9) {
        case 0: {  // a new node, with an edge to or from the graph
          keys_.push_back(NewKey());
          ASSERT_OK(txn->PutNode(RandomNode(keys_.back())).status());
          ASSERT_OK(txn->PutEdge(rng_() % 2 ? RandomEdge(keys_.back(), AnyKey())
                                            : RandomEdge(AnyKey(), keys_.back()))
                        .status());
          break;
        }
        case 1:  // a new node alone
          keys_.push_back(NewKey());
          ASSERT_OK(txn->PutNode(RandomNode(keys_.back())).status());
          break;
        case 2:
        case 3: {  // an edge between nodes of the graph, or a self-loop
          const std::string& src = AnyKey();
          ASSERT_OK(txn->PutEdge(RandomEdge(src, rng_() % 5 == 0 ? src : AnyKey())).status());
          break;
        }
        case 4:  // an edge goes
          if (!edges.empty()) {
            const Status s = txn->DeleteEdge(edges[rng_() % edges.size()].id);
            ASSERT_TRUE(s.ok() || s.IsNotFound()) << s.ToString();
          }
          break;
        case 5: {  // an edge's validity, weight and props change (same key and id)
          if (edges.empty()) break;
          const EdgeRef& e = edges[rng_() % edges.size()];
          EdgeInput in = RandomEdge("", "");
          in.src = NodeRef(e.src);
          in.dst = NodeRef(e.dst);
          in.type = std::string(db_->schema().EdgeTypeName(e.type));
          in.rank = e.rank;
          const auto s = txn->PutEdge(in);
          ASSERT_TRUE(s.ok() || s.status().IsNotFound()) << s.status().ToString();
          break;
        }
        case 6: {  // a node's props, name, sector (and sometimes kind) change
          NodeInput in = RandomNode(AnyKey());
          auto old = txn->GetNodeByKey(in.key);
          if (!old.ok()) break;  // removed in this transaction
          if (rng_() % 4 != 0) in.kind = old->kind;
          const auto s = txn->PutNode(in);
          ASSERT_TRUE(s.ok()) << s.status().ToString();
          break;
        }
        case 7: {  // a node goes, with its edges
          if (keys_.size() < 10) break;
          const size_t at = rng_() % keys_.size();
          auto id = txn->FindKey(keys_[at]);
          if (id.ok()) ASSERT_OK(txn->DeleteNode(*id));
          keys_.erase(keys_.begin() + static_cast<ptrdiff_t>(at));
          break;
        }
        case 8: {  // a parallel edge beside an existing one
          if (edges.empty()) break;
          const EdgeRef& e = edges[rng_() % edges.size()];
          EdgeInput in = RandomEdge("", "");
          in.src = NodeRef(e.src);
          in.dst = NodeRef(e.dst);
          in.type = std::string(db_->schema().EdgeTypeName(e.type));
          in.rank = e.rank + 1 + rng_() % 2;
          const auto s = txn->PutEdge(in);
          ASSERT_TRUE(s.ok() || s.status().IsNotFound()) << s.status().ToString();
          break;
        }
      }
    }
    ASSERT_OK(txn->Commit());
  }

  // db_->Csr(spec) equals a fresh build, arrays and columns; then every
  // column is built on it, for the next commit to carry over. *got_at: the
  // snapshot's address (a patch in place keeps it).
  void ExpectPatchedEqualsBuilt(const CsrSpec& spec, const std::string& what,
                                const CsrGraph** got_at = nullptr) {
    ASSERT_OK_AND_ASSIGN(auto got, db_->Csr(spec));
    if (got_at) *got_at = got.get();
    auto snapshot = db_->GetSnapshot();
    ASSERT_OK_AND_ASSIGN(auto want, CsrGraph::Build(*snapshot, spec));
    {
      SCOPED_TRACE(what);
      ExpectSameArrays(*got, *want);
    }
    for (const ColumnSpec& c : Columns()) {
      ASSERT_OK_AND_ASSIGN(auto g, ColumnOf(*got, *snapshot, c));
      ASSERT_OK_AND_ASSIGN(auto w, ColumnOf(*want, *snapshot, c));
      ExpectSameColumn(*g, *w,
                       what + (c.edges ? " edge" : " node") + " column " +
                           std::to_string(c.field) + " '" + c.key + "'");
    }
  }

  std::mt19937 rng_{7};
  std::vector<std::string> keys_;
  int next_key_ = 0;
};

// The Db caches four snapshots: four specs at a time, so that each finds
// its own snapshot of the commit before to patch.
void CsrPatchTest::RandomCommitsKeepSnapshotsExact(size_t first_spec, size_t specs_taken) {
  Populate(60, 200);
  auto all = Specs();
  const std::vector specs(all.begin() + static_cast<ptrdiff_t>(first_spec),
                          all.begin() + static_cast<ptrdiff_t>(first_spec + specs_taken));
  // The address of each spec's latest snapshot: a patch in place (nobody
  // holds the snapshot between commits here) gives the same one back.
  std::vector<const CsrGraph*> latest(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    ExpectPatchedEqualsBuilt(specs[i].second, specs[i].first + " before", &latest[i]);
  }
  const uint64_t patches_before = storage::CsrPatchCount();
  constexpr int kCommits = 30;
  size_t in_place = 0;
  for (int step = 0; step < kCommits; ++step) {
    RandomCommit();
    for (size_t i = 0; i < specs.size(); ++i) {
      const CsrGraph* before = latest[i];
      ExpectPatchedEqualsBuilt(specs[i].second,
                               specs[i].first + " after commit " + std::to_string(step),
                               &latest[i]);
      if (HasFailure()) return;
      in_place += latest[i] == before;
    }
  }
  // Most snapshots came from patches (a node of a kind left out that
  // changes to a kept one sends its spec to a build), and most of those
  // edited the snapshot in place (a node removed or a kind changed takes
  // a copy).
  EXPECT_GE(storage::CsrPatchCount() - patches_before, specs.size() * kCommits * 3 / 4);
  EXPECT_GE(in_place, specs.size() * kCommits / 3);
}

TEST_F(CsrPatchTest, RandomCommitsAllKindsTypeValidOn) { RandomCommitsKeepSnapshotsExact(0, 4); }

TEST_F(CsrPatchTest, RandomCommitsYearWeightsMixed) { RandomCommitsKeepSnapshotsExact(4, 3); }

TEST_F(CsrPatchTest, SmallCommitPatchesBigCommitBuilds) {
  Populate(40, 100);
  ASSERT_OK_AND_ASSIGN(auto before, db_->Csr({}));
  uint64_t patches = storage::CsrPatchCount();
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("new", "actor")).status());
    ASSERT_OK(txn->PutEdge(E("new", "participates_in", keys_[1])).status());
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto after, db_->Csr({}));
  EXPECT_EQ(storage::CsrPatchCount(), patches + 1);
  EXPECT_EQ(after->num_nodes(), before->num_nodes() + 1);
  EXPECT_EQ(after->num_edges(), before->num_edges() + 1);

  // More changes than the snapshot can take as a patch: built again.
  patches = storage::CsrPatchCount();
  {
    auto txn = Begin();
    for (int i = 0; i < 1100; ++i) {
      ASSERT_OK(txn->PutNode(N("bulk" + std::to_string(i), "actor")).status());
    }
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto big, db_->Csr({}));
  EXPECT_EQ(storage::CsrPatchCount(), patches);
  EXPECT_EQ(big->num_nodes(), after->num_nodes() + 1100);
}

// A snapshot nobody holds is edited in place; the result equals a build,
// whether the commit adds a node with its edges (appended at the end),
// edges between old nodes (the slots after them move right) or removes
// some (they move left).
TEST_F(CsrPatchTest, UnheldSnapshotIsPatchedInPlace) {
  Populate(40, 100);
  for (const CsrSpec& spec : {CsrSpec{}, CsrSpec{.with_weights = true}}) {
    const CsrGraph* at = nullptr;
    ExpectPatchedEqualsBuilt(spec, "before", &at);
    const CsrGraph* now = nullptr;
    {
      auto txn = Begin();
      keys_.push_back(NewKey());
      ASSERT_OK(txn->PutNode(RandomNode(keys_.back())).status());
      ASSERT_OK(txn->PutEdge(RandomEdge(keys_.back(), keys_[3])).status());
      ASSERT_OK(txn->PutEdge(RandomEdge(keys_[5], keys_.back())).status());
      ASSERT_OK(txn->Commit());
    }
    ExpectPatchedEqualsBuilt(spec, "after a new node and its edges", &now);
    EXPECT_EQ(now, at) << "not patched in place";
    {
      auto txn = Begin();
      ASSERT_OK(txn->PutEdge(RandomEdge(keys_[2], keys_[30])).status());
      ASSERT_OK(txn->PutEdge(RandomEdge(keys_[20], keys_[1])).status());
      ASSERT_OK(txn->Commit());
    }
    ExpectPatchedEqualsBuilt(spec, "after edges between old nodes", &now);
    EXPECT_EQ(now, at) << "not patched in place";
    {
      const std::vector<EdgeRef> edges = AllEdges();
      auto txn = Begin();
      for (size_t i = 0; i < edges.size(); i += std::max<size_t>(1, edges.size() / 5)) {
        ASSERT_OK(txn->DeleteEdge(edges[i].id));
      }
      ASSERT_OK(txn->Commit());
    }
    ExpectPatchedEqualsBuilt(spec, "after edges removed", &now);
    EXPECT_EQ(now, at) << "not patched in place";
  }
}

// A snapshot a caller still holds is never edited: the patch copies it,
// and what the caller reads stays the state it was made from.
TEST_F(CsrPatchTest, HeldSnapshotIsNotEditedByAPatch) {
  Populate(40, 100);
  ASSERT_OK_AND_ASSIGN(auto held, db_->Csr({}));
  auto then = db_->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto built_then, CsrGraph::Build(*then, {}));
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutEdge(RandomEdge(keys_[2], keys_[30])).status());
    keys_.push_back(NewKey());
    ASSERT_OK(txn->PutNode(RandomNode(keys_.back())).status());
    ASSERT_OK(txn->PutEdge(RandomEdge(keys_.back(), keys_[3])).status());
    ASSERT_OK(txn->Commit());
  }
  const uint64_t patches = storage::CsrPatchCount();
  const CsrGraph* now = nullptr;
  ExpectPatchedEqualsBuilt({}, "after a commit", &now);
  EXPECT_EQ(storage::CsrPatchCount(), patches + 1);
  EXPECT_NE(now, held.get());
  ExpectSameArrays(*held, *built_then);
}

TEST_F(CsrPatchTest, PreparedCommitPatches) {
  // SQL commits a graph's transaction in two phases: the prepared record's
  // write changes nothing a snapshot holds, and the commit is patched in.
  Populate(40, 100);
  ASSERT_OK_AND_ASSIGN(auto before, db_->Csr({}));
  const uint64_t patches = storage::CsrPatchCount();
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("new", "actor")).status());
    ASSERT_OK(txn->PutEdge(E("new", "participates_in", keys_[1])).status());
    ASSERT_OK(txn->Prepare("x1", "coordinator"));
    ASSERT_OK(txn->Commit());
  }
  {
    auto txn = Begin();  // a prepared transaction rolled back changes nothing
    ASSERT_OK(txn->PutNode(N("gone", "actor")).status());
    ASSERT_OK(txn->Prepare("x2", "coordinator"));
    txn->Rollback();
  }
  ASSERT_OK_AND_ASSIGN(auto after, db_->Csr({}));
  EXPECT_EQ(storage::CsrPatchCount(), patches + 1);
  ExpectPatchedEqualsBuilt({}, "after a prepared commit");
  EXPECT_EQ(after->num_edges(), before->num_edges() + 1);
}

}  // namespace
}  // namespace samverkan
