// The working memory of a run (RunOptions::memory_limit, cypher/src/
// memory.h): queries whose sorts, groups, collected lists or DISTINCT grow
// with the data stop at the limit with an error naming it, quickly, while
// queries under it answer as before.
#include <gtest/gtest.h>

#include <string>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::RunOptions;
using cypher::Target;

constexpr uint64_t kSmallLimit = 1 << 20;  // 1 MiB

class MemoryLimitTest : public test::DbTest {
 protected:
  // A ring of 60 actors, each tied to the next 5: degree 10, so that
  // trails of up to six relationships number in the millions.
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    constexpr int kNodes = 60;
    for (int i = 0; i < kNodes; ++i) {
      ASSERT_OK(txn->PutNode(test::N("n" + std::to_string(i), "actor")).status());
    }
    for (int i = 0; i < kNodes; ++i) {
      for (int d = 1; d <= 5; ++d) {
        ASSERT_OK(txn->PutEdge(test::E("n" + std::to_string(i), "knows",
                                       "n" + std::to_string((i + d) % kNodes)))
                      .status());
      }
    }
    ASSERT_OK(txn->Commit());
  }

  // Runs `query` to the end under `limit`: the number of rows, or the error.
  Result<size_t> Run(const std::string& query, uint64_t limit,
                     RunOptions::Adjacency adjacency = RunOptions::Adjacency::kAuto) {
    SV_ASSIGN_OR_RETURN(auto q, PreparedQuery::Prepare(query));
    RunOptions options;
    options.memory_limit = limit;
    options.memory_limit_hint = "raise it (test)";
    options.adjacency = adjacency;
    std::unique_ptr<Transaction> txn;
    Target target{.view = db_.get(), .db = db_.get()};
    if (q->writes()) {
      txn = Begin();
      target = Target{.view = txn.get(), .txn = txn.get()};
    }
    SV_ASSIGN_OR_RETURN(auto cursor, cypher::Execute(q, target, {}, options));
    size_t rows = 0;
    for (;;) {
      SV_ASSIGN_OR_RETURN(bool more, cursor->Next());
      if (!more) return rows;
      ++rows;
    }
  }

  void ExpectOverLimit(const std::string& query) {
    for (auto adjacency : {RunOptions::Adjacency::kCsr, RunOptions::Adjacency::kStored}) {
      auto r = Run(query, kSmallLimit, adjacency);
      ASSERT_FALSE(r.ok()) << query;
      EXPECT_EQ(r.status().message(),
                "the Cypher statement used more than 1 MiB of working memory (memory_limit: "
                "sorting, grouping, collect(), DISTINCT and the lists it builds); raise it (test)")
          << query;
    }
  }
};

TEST_F(MemoryLimitTest, CollectingEveryPathStopsAtTheLimit) {
  ExpectOverLimit("MATCH p = (a)-[*1..6]-(b) RETURN collect(p) AS paths");
}

TEST_F(MemoryLimitTest, SortingEveryTwoHopPathStopsAtTheLimit) {
  ExpectOverLimit("MATCH (a)--(b)--(c)--(d) RETURN a, b, c, d ORDER BY a.key, d.key");
}

TEST_F(MemoryLimitTest, DistinctAndGroupingStopAtTheLimit) {
  ExpectOverLimit("MATCH p = (a)-[*1..6]-(b) RETURN DISTINCT p");
  ExpectOverLimit("MATCH p = (a)-[*1..6]-(b) RETURN p, count(*) AS n");
  ExpectOverLimit("MATCH p = (a)-[*1..6]-(b) RETURN count(DISTINCT p) AS n");
}

TEST_F(MemoryLimitTest, ListsAndStringsExpressionsBuildStopAtTheLimit) {
  ExpectOverLimit("RETURN size(range(1, 1000000)) AS n");
  ExpectOverLimit("RETURN size([x IN range(1, 20000) | toString(x) + 'padding padding']) AS n");
  ExpectOverLimit("RETURN size(reduce(s = 'x', i IN range(1, 40) | s + s)) AS n");
  ExpectOverLimit("RETURN size(reduce(l = [1], i IN range(1, 40) | l + l)) AS n");
  ExpectOverLimit("RETURN size(replace(reduce(s = 'x', i IN range(1, 16) | s + s), '', "
                  "'0123456789abcdef')) AS n");
}

TEST_F(MemoryLimitTest, TheRowsOfAQueryThatWritesCount) {
  // They are kept until the writes are done (tests/sqlite/test_cypher_memory.py
  // checks that SQL then takes the writes back).
  auto r = Run("UNWIND range(1, 20000) AS i CREATE (n:tag {key: 't' + toString(i)}) RETURN n",
               kSmallLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than 1 MiB of working memory"), std::string::npos)
      << r.status().ToString();
}

TEST_F(MemoryLimitTest, TheMatchesMergeReadsBeforeWritingCount) {
  // MERGE reads every match of its pattern before it writes (ON MATCH SET):
  // here some 97,000 of them, for one input row. (The Eager behind it
  // charged them too, but only once MERGE had read them all.)
  ExpectOverLimit("MERGE (a)-[:knows]-(b)-[:knows]-(c)-[:knows]-(d) RETURN count(*) AS n");
}

TEST_F(MemoryLimitTest, AValueSharingItsPartsIsSizedByWhatItHolds) {
  // 2^60 lists as a tree, 60 in memory: keeping it must not walk the tree.
  std::string query = "WITH [] AS v ";
  for (int i = 0; i < 60; ++i) query += "WITH [v, v] AS v ";
  ASSERT_OK_AND_ASSIGN(size_t rows, Run(query + "MATCH (a) RETURN a, v ORDER BY a.key", kSmallLimit));
  EXPECT_EQ(rows, 60u);
}

// Comparing, hashing and ordering such values walks each pair of shared
// parts once: 2^40 leaves, 40 lists, answered at once (before, each of
// these ran for hours without polling the interrupt).
TEST_F(MemoryLimitTest, ValuesSharingTheirPartsCompareAndHashInTimeOfWhatTheyHold) {
  std::string built = "WITH [1] AS v, [1] AS w ";
  for (int i = 0; i < 40; ++i) built += "WITH [v, v] AS v, [w, w] AS w ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"RETURN v = w AS r", "true"},
      {"RETURN v = v AS r", "true"},
      {"RETURN v <> [v, w] AS r", "true"},
      {"RETURN v < w AS r", "false"},
      {"RETURN v IN [w] AS r", "true"},
      {"RETURN count(DISTINCT v) AS r", "1"},
      {"UNWIND [v, w] AS x RETURN count(DISTINCT x) AS r", "1"},
      {"UNWIND [v, w, [v]] AS x WITH x ORDER BY x RETURN count(*) AS r", "3"},
      {"UNWIND [v, w] AS x WITH x, count(*) AS n RETURN n AS r", "2"},
  };
  for (const auto& [tail, expected] : cases) {
    ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(built + tail));
    RunOptions options;
    options.memory_limit = kSmallLimit;
    ASSERT_OK_AND_ASSIGN(auto cursor, cypher::Execute(q, Target{.view = db_.get()}, {}, options));
    ASSERT_OK_AND_ASSIGN(bool more, cursor->Next());
    ASSERT_TRUE(more) << tail;
    const cypher::Value& r = cursor->row()[0];
    EXPECT_EQ(r.type() == cypher::Value::Type::kBool ? (r.boolean() ? "true" : "false")
                                                     : std::to_string(r.integer()),
              expected)
        << tail;
  }
}

TEST_F(MemoryLimitTest, QueriesUnderTheLimitAnswerAsBefore) {
  // From one node: 10 trails of one relationship, 10 * 9 of two.
  ASSERT_OK_AND_ASSIGN(size_t rows,
                       Run("MATCH p = ({key: 'n0'})-[*1..2]-(b) RETURN DISTINCT p ORDER BY length(p)",
                           kSmallLimit));
  EXPECT_EQ(rows, 100u);
  ASSERT_OK_AND_ASSIGN(rows, Run("MATCH (a)--(b) WITH a, collect(b) AS bs ORDER BY a.key "
                                 "RETURN a, size(bs) AS n", kSmallLimit));
  EXPECT_EQ(rows, 60u);
  // A list shared by every row counts once.
  ASSERT_OK_AND_ASSIGN(rows, Run("WITH range(1, 10000) AS big MATCH (a)--(b) "
                                 "RETURN a, b, big ORDER BY a.key", kSmallLimit));
  EXPECT_EQ(rows, 600u);
  // Under the default limit the sort that stopped above gives all its rows.
  ASSERT_OK_AND_ASSIGN(rows, Run("MATCH (a)--(b)--(c)--(d) RETURN a, b, c, d ORDER BY a.key, d.key",
                                 cypher::kDefaultMemoryLimit));
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare("MATCH (a)--(b)--(c)--(d) RETURN count(*)"));
  ASSERT_OK_AND_ASSIGN(auto count, cypher::Execute(q, Target{.view = db_.get()}, {}));
  ASSERT_OK_AND_ASSIGN(bool more, count->Next());
  ASSERT_TRUE(more);
  EXPECT_EQ(rows, static_cast<size_t>(count->row()[0].integer()));
  EXPECT_GT(rows, 40000u);
}

}  // namespace
}  // namespace samverkan
