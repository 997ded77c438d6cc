// Aggregations, node checks and relationship checks over a CSR snapshot's
// property columns (cypher/src/column_aggregate.h, NodeCheck::props,
// RelCheck): every query's answer
// over the snapshot equals its answer over the stored adjacency, which reads
// the records row by row; string filters and groups inside a transaction
// with its own writes see those writes; a commit gives the next query a
// snapshot with the new values.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../engine/test_util.h"
#include "cursor_rows.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::RunOptions;
using cypher::Target;
using test::D;
using test::E;
using test::N;

class ColumnAggregateTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    // Actors with a country (one without, one whose country is a number:
    // a column of mixed types), a flag and a size; projects.
    const char* countries[] = {"MT", "CY", "MT", "SE", "DE", "", "CY", "7"};
    for (int i = 0; i < 8; ++i) {
      NodeInput a = N("a" + std::to_string(i), "actor", "actor_" + std::to_string(i),
                      i % 2 ? "academia" : "business");
      std::string c = countries[i];
      std::string country = c.empty() ? "" : c == "7" ? R"("country": 7, )" : R"("country": ")" + c + R"(", )";
      a.props = "{" + country + R"("small": )" + (i % 3 ? "true" : "false") + R"(, "size": )" +
                std::to_string(i * 10) + "}";
      ASSERT_OK(txn->PutNode(a).status());
    }
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK(txn->PutNode(N("p" + std::to_string(i), "project", "project_" + std::to_string(i)))
                    .status());
    }
    // Participations: role (one missing), contribution (doubles), dates.
    const char* roles[] = {"coordinator", "partner", "partner", "participant", ""};
    for (int i = 0; i < 8; ++i) {
      for (int j = 0; j < 3; ++j) {
        if ((i + j) % 3 == 0) continue;
        EdgeInput e = E("a" + std::to_string(i), "participates_in", "p" + std::to_string(j));
        std::string role = roles[(i + j) % 5];
        e.props = "{" + (role.empty() ? std::string() : R"("role": ")" + role + R"(", )") +
                  R"("contribution": )" + std::to_string(1000.25 * (i + 1) * (j + 2)) + "}";
        e.validity = {D(2014 + (i + j) % 4, 1 + i, 1), D(2020 + j, 6, 30)};
        e.weight = 0.5 * j;
        ASSERT_OK(txn->PutEdge(e).status());
      }
    }
    ASSERT_OK(txn->PutEdge(E("a0", "knows", "a1")).status());
    ASSERT_OK(txn->Commit());
  }

  std::vector<std::string> Run(const std::string& query, RunOptions::Adjacency adjacency,
                               const GraphView* view = nullptr) {
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    RunOptions options;
    options.adjacency = adjacency;
    Target target = view ? Target{.view = view} : Target{.view = db_.get(), .db = db_.get()};
    auto cursor = cypher::Execute(*q, target, {}, options);
    EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
    if (!cursor.ok()) return {};
    return test::CursorRows(**cursor);
  }

  // The rows over the snapshot, checked against the stored adjacency's
  // (sorted, unless the query orders them).
  std::vector<std::string> BothWays(const std::string& query) {
    auto csr = Run(query, RunOptions::Adjacency::kCsr);
    auto stored = Run(query, RunOptions::Adjacency::kStored);
    if (query.find("ORDER BY") == std::string::npos) {
      std::sort(csr.begin(), csr.end());
      std::sort(stored.begin(), stored.end());
    }
    EXPECT_EQ(csr, stored) << query;
    return csr;
  }

  // 1,000 items, each with its own number and tag (and one of 7 days),
  // tied to one hub by a `has` (the last 100 by two, of ranks 0 and 1).
  void AddItems() {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->PutNode(N("hub", "thing")).status());
    for (int i = 0; i < 1000; ++i) {
      NodeInput item = N("i" + std::to_string(i), "item");
      item.props = R"({"n": )" + std::to_string(i) + R"(, "tag": "tag)" + std::to_string(i) +
                   R"(", "day": )" + std::to_string(i % 7) + "}";
      ASSERT_OK(txn->PutNode(item).status());
      ASSERT_OK(txn->PutEdge(E("hub", "has", "i" + std::to_string(i))).status());
      if (i >= 900) ASSERT_OK(txn->PutEdge(E("hub", "has", "i" + std::to_string(i), 1)).status());
    }
    ASSERT_OK(txn->Commit());
  }

  // 12 members, each in each of 4 clubs twice (ranks 0 and 1), with a fee
  // that does not add up alike in every order, a seat number and (but for
  // every fifth member) dates; half the members have a country. More members than clubs, fewer than the clubs times the edges
  // a node has.
  void AddMembers() {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (int c = 0; c < 4; ++c) {
      ASSERT_OK(txn->PutNode(N("c" + std::to_string(c), "club", "club_" + std::to_string(c)))
                    .status());
    }
    for (int m = 0; m < 12; ++m) {
      NodeInput member = N("m" + std::to_string(m), "member", "member_" + std::to_string(m));
      if (m % 2) member.props = R"({"country": ")" + std::string(m % 4 == 1 ? "MT" : "CY") + R"("})";
      ASSERT_OK(txn->PutNode(member).status());
      for (int c = 0; c < 4; ++c) {
        for (uint32_t rank = 0; rank < 2; ++rank) {
          EdgeInput e = E("m" + std::to_string(m), "joined", "c" + std::to_string(c), rank);
          e.props = R"({"fee": )" + std::to_string(0.1 * (m + 1) + 1e6 * c + 1e-3 * rank) +
                    R"(, "seat": )" + std::to_string((m * c + rank) % 7) + "}";
          // Every fifth member's memberships have no dates.
          if (m % 5) e.validity = {D(2010 + (m + c + rank) % 5, 1 + m % 12, 1), D(2030, 1, 1)};
          ASSERT_OK(txn->PutEdge(e).status());
        }
      }
    }
    ASSERT_OK(txn->Commit());
  }

  // The rows of `query` run to the end under a memory limit, or its error.
  Result<std::vector<std::string>> RunUnder(const std::string& query,
                                            RunOptions::Adjacency adjacency, uint64_t limit) {
    SV_ASSIGN_OR_RETURN(auto q, PreparedQuery::Prepare(query));
    RunOptions options;
    options.adjacency = adjacency;
    options.memory_limit = limit;
    options.memory_limit_hint = "raise it (test)";
    SV_ASSIGN_OR_RETURN(auto cursor,
                        cypher::Execute(q, Target{.view = db_.get(), .db = db_.get()}, {}, options));
    std::vector<std::string> rows;
    for (;;) {
      SV_ASSIGN_OR_RETURN(bool more, cursor->Next());
      if (!more) return rows;
      SV_ASSIGN_OR_RETURN(std::string json, cursor->RowJson());
      rows.push_back(std::move(json));
    }
  }

  std::string Plan(const std::string& query) {
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto lines = cypher::Explain(*q, Target{.view = db_.get(), .db = db_.get()}, {});
    EXPECT_TRUE(lines.ok()) << lines.status().ToString();
    std::string plan;
    if (lines.ok()) {
      for (const auto& l : *lines) plan += l + "\n";
    }
    return plan;
  }
};

TEST_F(ColumnAggregateTest, AggregatesOverColumnsAgreeWithTheRecords) {
  const std::string part = "MATCH (a:actor)-[e:participates_in]->(p:project) ";
  for (const std::string& q : std::vector<std::string>{
           // Edge properties, grouped by a string, with nulls.
           "MATCH ()-[e:participates_in]->() RETURN e.role AS role, count(*) AS n, "
           "count(e.role) AS roles, sum(e.contribution) AS total, avg(e.contribution) AS mean, "
           "min(e.contribution) AS low, max(e.contribution) AS high ORDER BY role",
           "MATCH ()-[e:participates_in]->() RETURN count(DISTINCT e.role) AS n, "
           "min(e.valid_from) AS first, max(e.valid_to) AS last, min(e.role) AS r, sum(e.weight) AS w",
           // Filters: strings by code, numbers and dates on the arrays, IN, prefixes, nulls.
           "MATCH ()-[e:participates_in]->() WHERE e.role = 'partner' AND e.contribution >= 5000 "
           "RETURN count(*) AS n, sum(e.contribution) AS total",
           "MATCH ()-[e:participates_in]->() WHERE e.role IN ['partner', 'coordinator'] "
           "AND e.valid_from < date('2016-01-01') RETURN count(*) AS n",
           "MATCH ()-[e:participates_in]->() WHERE e.role STARTS WITH 'p' AND 4000 < e.contribution "
           "RETURN e.role AS role, count(*) AS n",
           "MATCH ()-[e:participates_in {role: 'partner'}]->() WHERE e.role <> 'x' "
           "RETURN avg(e.weight) AS w",
           "MATCH ()-[e:participates_in]->() WHERE e.role IS NULL RETURN count(*) AS n",
           "MATCH ()-[e:participates_in]->() WHERE e.nothing = 1 RETURN count(*) AS n, "
           "sum(e.nothing) AS s, avg(e.nothing) AS a, max(e.nothing) AS m",
           // A key computed from a property (once per value).
           "MATCH ()-[e:participates_in]->() RETURN toString(e.valid_from.year) AS year, "
           "count(*) AS n ORDER BY year",
           // Node properties: a string, a boolean, a mixed-type column (JSON), an integer.
           "MATCH (a:actor) RETURN a.country AS c, count(*) AS n, sum(a.size) AS s",
           "MATCH (a:actor) WHERE a.small RETURN count(*) AS n",
           "MATCH (a:actor) WHERE a.small = true AND a.size > 15 RETURN a.sector AS s, count(*) AS n",
           "MATCH (a:actor) WHERE a.country = 7 RETURN count(*) AS n",
           "MATCH (a:actor) RETURN count(DISTINCT a.country) AS n, count(DISTINCT a.size) AS z",
           "MATCH (a:actor) WHERE a.name STARTS WITH 'actor_' AND a.sector = 'academia' "
           "RETURN a.small AS small, count(a) AS n",
           // Joins through one expansion, either way round.
           part + "RETURN a.sector AS sector, count(e) AS n, avg(e.contribution) AS mean",
           part + "WHERE e.role = 'partner' RETURN a.country AS c, p.name AS project, count(*) AS n",
           part + "RETURN p.name AS project, sum(e.contribution) AS total "
                  "ORDER BY total DESC, project LIMIT 2",
           part + "WHERE a.country = 'MT' RETURN count(DISTINCT p) AS n, count(DISTINCT a) AS m",
           "MATCH (p:project)<-[e:participates_in]-(a:actor {country: 'CY'}) "
           "RETURN p.name AS p, a.small AS s, count(*) AS n",
           part + "WHERE e.valid_from >= date('2015-01-01') RETURN a.name AS actor, "
                  "sum(e.contribution) AS total ORDER BY total DESC, actor LIMIT 3",
           // Two hops, filtered on a property at both ends.
           "MATCH (a:actor {country: 'MT'})-[:participates_in]->(p:project)"
           "<-[:participates_in]-(b:actor) WHERE b.country = 'CY' RETURN count(*) AS n",
       }) {
    auto rows = BothWays(q);
    EXPECT_FALSE(rows.empty()) << q;
  }
  // A few answers worked out by hand, so that both ways cannot be wrong alike.
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE a.country IN ['MT', 'CY'] RETURN count(*) AS n"),
            std::vector<std::string>{R"({"n":4})"});
  EXPECT_EQ(BothWays("MATCH (a:actor) RETURN a.country AS c, count(*) AS n ORDER BY n DESC, c "
                     "LIMIT 2"),
            (std::vector<std::string>{R"({"c":"CY","n":2})", R"({"c":"MT","n":2})"}));
}

TEST_F(ColumnAggregateTest, PropertyEqualitiesAreTestedWhileExpanding) {
  const std::string q =
      "MATCH (a:actor {country: 'MT'})-[:participates_in]->(p:project)"
      "<-[:participates_in]-(b:actor) WHERE b.country = 'CY' RETURN count(*) AS n";
  const std::string plan = Plan(q);
  // No Filter: both ends are tested as they are reached, and the last
  // relationship is counted, not enumerated.
  EXPECT_EQ(plan.find("Filter"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ExpandCount"), std::string::npos) << plan;
  // The same pairs as filtering the rows afterwards (on values the planner
  // cannot test while expanding).
  auto rows = BothWays(q);
  auto brute = BothWays(
      "MATCH (a:actor)-[:participates_in]->(p:project)<-[:participates_in]-(b:actor) "
      "WITH a, b WHERE a.country + '' = 'MT' AND b.country + '' = 'CY' RETURN count(*) AS n");
  EXPECT_EQ(rows, brute);
  // Relationship properties too: [e {role: 'partner'}] is tested as the
  // relationship is reached, also when the last hop is counted.
  const std::string roles =
      "MATCH (a:actor)-[e1:participates_in {role: 'partner'}]->(p:project)"
      "<-[e2:participates_in]-(b:actor) WHERE e2.role = 'coordinator' RETURN count(*) AS n";
  const std::string role_plan = Plan(roles);
  EXPECT_EQ(role_plan.find("Filter"), std::string::npos) << role_plan;
  EXPECT_NE(role_plan.find("{role: 'partner'}"), std::string::npos) << role_plan;
  EXPECT_EQ(BothWays(roles),
            BothWays("MATCH (a:actor)-[e1:participates_in]->(p:project)<-[e2:participates_in]-"
                     "(b:actor) WITH e1, e2 WHERE e1.role + '' = 'partner' AND "
                     "e2.role + '' = 'coordinator' RETURN count(*) AS n"));
  for (const std::string& q : std::vector<std::string>{
           "MATCH (a:actor)-[e:participates_in {role: 'partner'}]-(p) RETURN a.name AS a, "
           "p.name AS p, e.contribution AS c",
           "MATCH (p:project)<-[e:participates_in {role: 'partner'}]-(a) "
           "WHERE e.valid_from >= date('2015-01-01') RETURN p.name AS p, count(*) AS n",
           "MATCH (a)-[e {role: 'nobody'}]->(b) RETURN count(*) AS n"}) {
    BothWays(q);
  }
  // A string never equals the number 7; a country no actor has matches nothing.
  EXPECT_EQ(BothWays("MATCH (a:actor {country: '7'}) RETURN count(*) AS n"),
            std::vector<std::string>{R"({"n":0})"});
  EXPECT_EQ(BothWays("MATCH (a:actor)-->(b:actor {country: 'XX'}) RETURN count(*) AS n"),
            std::vector<std::string>{R"({"n":0})"});
}

TEST_F(ColumnAggregateTest, ATransactionWithItsOwnWritesFiltersAndGroupsOnThem) {
  const std::string by_role =
      "MATCH (a:actor)-[e:participates_in]->() WHERE e.role STARTS WITH 'p' "
      "RETURN e.role AS role, count(*) AS n ORDER BY role";
  const std::string in_mt = "MATCH (a:actor {country: 'MT'}) RETURN count(*) AS n";
  // The committed graph, over its snapshot's columns (built here).
  auto before = Run(by_role, RunOptions::Adjacency::kCsr);
  ASSERT_EQ(Run(in_mt, RunOptions::Adjacency::kCsr), std::vector<std::string>{R"({"n":2})"});

  // Uncommitted: every partner becomes a "principal", a1 moves to MT.
  auto writer = Begin();
  ASSERT_OK_AND_ASSIGN(auto set, PreparedQuery::Prepare(
      "MATCH ()-[e:participates_in {role: 'partner'}]->() SET e.role = 'principal' "
      "WITH count(*) AS changed MATCH (a:actor {key: 'a1'}) SET a.country = 'MT'"));
  ASSERT_OK_AND_ASSIGN(auto run, cypher::Execute(set, Target{.view = writer.get(),
                                                             .txn = writer.get()}, {}));
  ASSERT_OK(run->Next().status());
  auto in_txn = Run(by_role, RunOptions::Adjacency::kAuto, writer.get());
  ASSERT_EQ(in_txn.size(), 2u);
  EXPECT_NE(in_txn[0].find(R"("role":"participant")"), std::string::npos) << in_txn[0];
  EXPECT_NE(in_txn[1].find(R"("role":"principal")"), std::string::npos) << in_txn[1];
  EXPECT_EQ(Run(in_mt, RunOptions::Adjacency::kAuto, writer.get()),
            std::vector<std::string>{R"({"n":3})"});
  // The committed graph does not see them yet.
  EXPECT_EQ(Run(by_role, RunOptions::Adjacency::kCsr), before);

  // Committed: the next snapshot's columns hold the new values.
  ASSERT_OK(writer->Commit());
  EXPECT_EQ(BothWays(by_role), in_txn);
  EXPECT_EQ(BothWays(in_mt), std::vector<std::string>{R"({"n":3})"});
}

TEST_F(ColumnAggregateTest, DistinctSetsAndGroupsCountAgainstTheMemoryLimit) {
  // Each DISTINCT below keeps 1,000 values, over 8 KiB on either path.
  AddItems();
  constexpr uint64_t kSmall = 8 << 10;
  for (const std::string& q : std::vector<std::string>{
           "MATCH (x:item) RETURN count(DISTINCT x.n) AS n",
           "MATCH (x:item) RETURN count(DISTINCT x.tag) AS n",
           "MATCH (x:item) RETURN x.day AS day, count(DISTINCT x.n) AS n",
           "MATCH (h:thing)-[:has]->(x) RETURN count(DISTINCT x) AS n",
       }) {
    // Under the default limit both paths agree; under 8 KiB both stop
    // with the limit's error.
    auto rows = BothWays(q);
    EXPECT_FALSE(rows.empty()) << q;
    for (auto adjacency : {RunOptions::Adjacency::kCsr, RunOptions::Adjacency::kStored}) {
      auto r = RunUnder(q, adjacency, kSmall);
      ASSERT_FALSE(r.ok()) << q << (adjacency == RunOptions::Adjacency::kCsr ? " (csr)" : "");
      EXPECT_EQ(r.status().message(),
                "the Cypher statement used more than 8 KiB of working memory (memory_limit: "
                "sorting, grouping, collect(), DISTINCT and the lists it builds); raise it (test)")
          << q;
    }
  }
}

TEST_F(ColumnAggregateTest, OrderByLimitOverColumnsAgreesWithTheRows) {
  const std::string part = "MATCH (a:actor)-[e:participates_in]->(p:project) ";
  for (const std::string& q : std::vector<std::string>{
           // Numbers with ties ((i + 1)(j + 2) repeats), both ways round, SKIP, LIMIT 0.
           "MATCH ()-[e:participates_in]->() RETURN e.contribution ORDER BY e.contribution DESC "
           "LIMIT 10",
           "MATCH ()-[e:participates_in]->() RETURN e.contribution AS c ORDER BY c LIMIT 5",
           part + "RETURN a.name AS actor, p.name AS project, e.contribution AS c "
                  "ORDER BY c DESC, actor, project SKIP 2 LIMIT 5",
           part + "RETURN a.name AS actor, e.contribution AS c ORDER BY c LIMIT 0",
           // Ties left to the input order: weights and dates repeat.
           part + "RETURN a.key AS a, p.key AS p, e.weight AS w ORDER BY w DESC LIMIT 7",
           part + "RETURN a.key AS a, e.valid_from AS d, e.weight AS w ORDER BY d, w DESC LIMIT 6",
           // Nulls (a participation without a role): last ascending, first descending.
           part + "RETURN a.key AS a, p.key AS p, e.role AS r ORDER BY r LIMIT 14",
           part + "RETURN a.key AS a, p.key AS p, e.role AS r ORDER BY r DESC LIMIT 4",
           // A node property of mixed types (strings, the number 7, a null), booleans, sectors.
           "MATCH (a:actor) RETURN a.name AS n, a.country AS c ORDER BY c DESC, n LIMIT 5",
           "MATCH (a:actor) RETURN a.key AS k, a.country AS c ORDER BY a.country LIMIT 7",
           "MATCH (a:actor) RETURN a.key AS k ORDER BY a.small DESC LIMIT 3",
           "MATCH (a:actor) RETURN a.key AS k ORDER BY a.sector, k DESC LIMIT 4",
           // The other way round, filtered, returning the entities themselves.
           "MATCH (p:project)<-[e:participates_in]-(a) WHERE e.role = 'partner' "
           "RETURN p.name AS p, a.name AS a, e.contribution AS c ORDER BY c LIMIT 4",
           part + "RETURN e, a, p ORDER BY e.contribution DESC LIMIT 3",
           // A group-by key, and an aggregation's value.
           part + "RETURN a.country AS country, sum(e.contribution) AS s ORDER BY s DESC LIMIT 5",
           part + "RETURN a.country AS country, count(*) AS n ORDER BY n DESC, country LIMIT 3",
       }) {
    BothWays(q);
  }
  // Worked out by hand: the three largest contributions, 1000.25 times
  // 7 × 4, then 8 × 3 and 6 × 4, a tie (a7 with p2, 8 × 4, is left out by
  // (i + j) % 3).
  EXPECT_EQ(BothWays("MATCH ()-[e:participates_in]->() RETURN e.contribution AS c "
                     "ORDER BY c DESC LIMIT 3"),
            (std::vector<std::string>{R"({"c":28007.0})", R"({"c":24006.0})",
                                      R"({"c":24006.0})"}));
  // Parallel relationships (ranks 0 and 1) and ties in the order chosen.
  AddItems();
  for (const std::string& q : std::vector<std::string>{
           "MATCH (h:thing)-[e:has]->(x) RETURN x.n AS n, e ORDER BY x.day DESC, n DESC LIMIT 9",
           "MATCH (x:item)<-[e:has]-(h) RETURN x.tag AS t, e ORDER BY x.n DESC LIMIT 5",
       }) {
    BothWays(q);
  }
}

TEST_F(ColumnAggregateTest, OrderByLimitOverColumnsKeepsOnlyTheRowsItReturns) {
  // Over the stored adjacency the top three of 1,100 rows are chosen from
  // rows projected and held in batches (a thousand at a time); over the
  // snapshot, from the columns, holding three.
  AddItems();
  const std::string q =
      "MATCH (h:thing)-[e:has]->(x) RETURN x.tag AS t, x.n AS n, e ORDER BY x.n DESC, t LIMIT 3";
  auto expected = BothWays(q);
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_NE(expected[0].find(R"("n":999)"), std::string::npos) << expected[0];
  constexpr uint64_t kLimit = 64 << 10;
  ASSERT_FALSE(RunUnder(q, RunOptions::Adjacency::kStored, kLimit).ok());
  auto csr = RunUnder(q, RunOptions::Adjacency::kCsr, kLimit);
  ASSERT_OK(csr.status());
  EXPECT_EQ(*csr, expected);
}

TEST_F(ColumnAggregateTest, OrderByLimitOverColumnGroupsAgreesWithTheRows) {
  const std::string part = "MATCH (a:actor)-[e:participates_in]->(p:project) ";
  for (const std::string& q : std::vector<std::string>{
           // Ties in the aggregation (left in the groups' order), keys of mixed types and null.
           part + "RETURN a.country AS country, count(*) AS n ORDER BY n DESC LIMIT 3",
           part + "RETURN a.country AS country, count(*) AS n ORDER BY n, country DESC LIMIT 4",
           part + "RETURN a.country AS country, sum(e.contribution) AS s ORDER BY s DESC LIMIT 5",
           part + "RETURN a.country AS country, sum(e.contribution) AS s ORDER BY country LIMIT 4",
           part + "RETURN a.country AS country, sum(e.contribution) AS s ORDER BY country DESC "
                  "SKIP 1 LIMIT 2",
           part + "RETURN e.role AS role, avg(e.contribution) AS m, min(a.name) AS first "
                  "ORDER BY first DESC, m LIMIT 2",
           part + "RETURN e.role AS role, max(e.valid_from) AS last ORDER BY last, role LIMIT 3",
           part + "RETURN p.name AS project, count(DISTINCT a) AS n ORDER BY n DESC, project LIMIT 2",
           part + "RETURN a.name AS actor, count(*) AS n ORDER BY n DESC LIMIT 0",
       }) {
    BothWays(q);
  }
}

TEST_F(ColumnAggregateTest, OrderByLimitOverColumnGroupsKeepsOnlyTheGroupsItReturns) {
  // 1,000 groups of four aggregations: over the stored adjacency all are
  // kept (over 320 KiB); over the snapshot the loop's groups are smaller
  // and only the three the LIMIT returns are kept after it.
  AddItems();
  const std::string q =
      "MATCH (h:thing)-[e:has]->(x) RETURN x.n AS n, count(*) AS c, sum(x.n) AS s, "
      "min(x.tag) AS lo, max(x.tag) AS hi ORDER BY c DESC, s LIMIT 3";
  auto expected = BothWays(q);
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[0], R"({"n":900,"c":2,"s":1800,"lo":"tag900","hi":"tag900"})");
  constexpr uint64_t kLimit = 320 << 10;
  ASSERT_FALSE(RunUnder(q, RunOptions::Adjacency::kStored, kLimit).ok());
  auto csr = RunUnder(q, RunOptions::Adjacency::kCsr, kLimit);
  ASSERT_OK(csr.status());
  EXPECT_EQ(*csr, expected);
}

TEST_F(ColumnAggregateTest, TwoExpansionsOverColumnsAgreeWithTheRows) {
  const std::string pair =
      "MATCH (a:actor)-[e1:participates_in]->(p:project)<-[e2:participates_in]-(b:actor) ";
  for (const std::string& q : std::vector<std::string>{
           // Co-participations: e2 is never e1 (one MATCH), DISTINCT of repeating variables.
           pair + "RETURN a.country AS c, count(*) AS n, sum(e2.contribution) AS s, "
                  "count(DISTINCT b) AS nb, count(DISTINCT e1) AS ne, count(e2) AS n2 ORDER BY c",
           pair + "WHERE e1.role = 'partner' AND b.small RETURN p.name AS p, e2.role AS r, "
                  "count(*) AS n, min(e2.valid_from) AS first, max(b.size) AS most",
           pair + "WHERE a.country = 'MT' AND b.country = 'CY' RETURN sum(e1.weight) AS w, "
                  "avg(e2.contribution) AS m",
           "MATCH (p:project)<-[e1:participates_in]-(a:actor)-[e2:participates_in]->(q:project) "
           "RETURN p.name AS p, q.name AS q, count(*) AS n, count(DISTINCT a) AS actors",
           "MATCH (a:actor)-[:knows]->(b:actor)-[e:participates_in]->(p) "
           "RETURN b.name AS b, sum(e.contribution) AS s, toString(e.valid_from.year) AS y",
           // Two MATCH clauses: the same relationship may come back.
           "MATCH (a:actor)-[e1:participates_in]->(p:project) MATCH (p)<-[e2:participates_in]-(b) "
           "RETURN count(DISTINCT e2) AS n, sum(e1.contribution) AS s, count(*) AS rows",
           // ORDER BY … LIMIT, of rows and of groups; relationships returned.
           pair + "RETURN a.key AS a, b.key AS b, e2.contribution AS c ORDER BY c DESC, a LIMIT 5",
           pair + "RETURN e1, e2 ORDER BY e2.contribution, e1.contribution DESC LIMIT 3",
           pair + "RETURN b.name AS b, sum(e1.contribution) AS s ORDER BY s DESC LIMIT 3",
       }) {
    auto rows = BothWays(q);
    EXPECT_FALSE(rows.empty()) << q;
  }
}

TEST_F(ColumnAggregateTest, TwoExpansionsOverColumnsKeepOnlyTheGroupsTheyReturn) {
  // As OrderByLimitOverColumnGroupsKeepsOnlyTheGroupsItReturns, through two
  // expansions: over the snapshot the groups come from the columns, and only
  // the three the LIMIT returns are kept.
  AddItems();
  const std::string q =
      "MATCH (h:thing)-[e1:has]->(x:item) MATCH (x)<-[e2:has]-(g) RETURN x.n AS n, "
      "count(*) AS c, sum(x.n) AS s, min(x.tag) AS lo, max(x.tag) AS hi ORDER BY c DESC, s LIMIT 3";
  auto expected = BothWays(q);
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[0], R"({"n":900,"c":4,"s":3600,"lo":"tag900","hi":"tag900"})");
  constexpr uint64_t kLimit = 320 << 10;
  ASSERT_FALSE(RunUnder(q, RunOptions::Adjacency::kStored, kLimit).ok());
  auto csr = RunUnder(q, RunOptions::Adjacency::kCsr, kLimit);
  ASSERT_OK(csr.status());
  EXPECT_EQ(*csr, expected);
}

TEST_F(ColumnAggregateTest, AScanStartsFromTheSourceOfADirectedRelationship) {
  // The clubs are fewer, but the rows through `joined` are the same from
  // either end, and from the members the relationships come in position
  // order, which the edge columns are read in. Both ways of reading agree.
  AddMembers();
  for (const std::string& q : std::vector<std::string>{
           "MATCH (m:member)-[e:joined]->(c:club) RETURN m.country AS country, "
           "sum(e.fee) AS total, count(*) AS n ORDER BY country",
           "MATCH (c:club)<-[e:joined]-(m:member) RETURN c.name AS club, avg(e.fee) AS mean "
           "ORDER BY club",
           "MATCH (m:member)-[e:joined]->(c:club) RETURN m.name AS m, c.name AS c, e.fee AS fee "
           "ORDER BY fee DESC, m, c LIMIT 3",
       }) {
    const std::string plan = Plan(q);
    EXPECT_NE(plan.find("NodeByKindScan (m:member)"), std::string::npos) << q << "\n" << plan;
    EXPECT_EQ(plan.find("Scan (c:club)"), std::string::npos) << q << "\n" << plan;
    EXPECT_FALSE(BothWays(q).empty()) << q;
  }
  // 6 members without a country, 3 in CY, 3 in MT, each in 8 memberships.
  EXPECT_EQ(BothWays("MATCH (m:member)-[e:joined]->(c:club) RETURN m.country AS country, "
                     "count(*) AS n ORDER BY country"),
            (std::vector<std::string>{R"({"country":"CY","n":24})", R"({"country":"MT","n":24})",
                                      R"({"country":null,"n":48})"}));
  // A filter of the clubs' own, a lookup, an undirected relationship or a
  // club in the middle of the pattern (each side expanded once per club):
  // the clubs are scanned first, as before.
  for (const std::string& q : std::vector<std::string>{
           "MATCH (m:member)-[e:joined]->(c:club) WHERE c.name STARTS WITH 'club_1' "
           "RETURN sum(e.fee) AS s",
           "MATCH (m:member)-[e:joined]-(c:club) RETURN sum(e.fee) AS s",
           "MATCH (m:member {country: 'MT'})-[:joined]->(c:club)<-[:joined]-(o:member) "
           "WHERE o.country = 'CY' RETURN count(*) AS n",
           "MATCH (m:member)-[e1:joined]->(c:club)<-[e2:joined]-(o:member) "
           "WHERE e2.valid_from >= e1.valid_from RETURN count(*) AS n",
       }) {
    const std::string plan = Plan(q);
    EXPECT_NE(plan.find("NodeByKindScan (c:club)"), std::string::npos) << q << "\n" << plan;
    EXPECT_FALSE(BothWays(q).empty()) << q;
  }
  const std::string lookup = Plan("MATCH (m:member)-[e:joined]->(c:club {key: 'c1'}) RETURN count(*)");
  EXPECT_NE(lookup.find("NodeByKey (c:club)"), std::string::npos) << lookup;
}

TEST_F(ColumnAggregateTest, ComparisonsOfTwoPropertiesOverColumnsAgreeWithTheRows) {
  // e2.valid_from >= e1.valid_from and the like, tested on the columns'
  // arrays: nulls (members without dates) pass no comparison.
  AddMembers();
  const std::string pair =
      "MATCH (m:member)-[e1:joined]->(c:club)<-[e2:joined]-(o:member) ";
  for (const std::string& where : std::vector<std::string>{
           "e2.valid_from >= e1.valid_from", "e1.valid_from < e2.valid_from",
           "e1.valid_from = e2.valid_from", "e1.valid_from <> e2.valid_from",
           "e2.fee > e1.fee", "e1.fee <= e2.fee", "e1.seat = e2.seat", "e2.seat <> e1.seat",
           "m.country = 'MT' AND e2.valid_from <= e1.valid_from",
           // Mixed types: an integer against a double, a date against a double
           // or a string, strings: the row path runs.
           "e1.seat < e2.fee", "e1.valid_from < e2.fee", "e1.valid_from = e2.fee",
           "m.country < o.country",
       }) {
    const std::string q = pair + "WHERE " + where +
                          " RETURN c.name AS club, count(*) AS n, sum(e2.fee) AS s ORDER BY club";
    const auto rows = BothWays(q);
    // The same pairs filtered above a projection, which reads rows.
    EXPECT_EQ(rows, BothWays(pair + "WITH m, c, o, e1, e2 WHERE " + where +
                             " RETURN c.name AS club, count(*) AS n, sum(e2.fee) AS s "
                             "ORDER BY club"))
        << where;
  }
  // Worked out by hand: member 0's and 5's memberships have no dates, the
  // rest start on the first of month (1 + m) in 2010 + (m + c + rank) % 5;
  // of the pairs through club 0 (both ranks), those with e2 starting on or
  // after e1 and the two memberships different.
  int expected = 0;
  for (int m = 0; m < 12; ++m) {
    for (int mr = 0; mr < 2; ++mr) {
      for (int o = 0; o < 12; ++o) {
        for (int orank = 0; orank < 2; ++orank) {
          if ((m == o && mr == orank) || m % 5 == 0 || o % 5 == 0) continue;
          const int e1 = (2010 + (m + mr) % 5) * 100 + 1 + m % 12;
          const int e2 = (2010 + (o + orank) % 5) * 100 + 1 + o % 12;
          expected += e2 >= e1;
        }
      }
    }
  }
  const auto clubs = BothWays(pair + "WHERE e2.valid_from >= e1.valid_from "
                                    "RETURN c.name AS club, count(*) AS n ORDER BY club");
  ASSERT_EQ(clubs.size(), 4u);
  EXPECT_EQ(clubs[0], R"({"club":"club_0","n":)" + std::to_string(expected) + "}");
}

TEST_F(ColumnAggregateTest, CountedSecondExpansionsOverColumnsAgreeWithTheRows) {
  // count(*) over two expansions, grouped by nothing of the second: the
  // second is counted, not walked (ColumnSource::CountSecond), by a binary
  // search in each club's sorted values when one comparison joins the two
  // hops. A membership is never its own pair (the same member, club and
  // rank: the memo counts it, then takes it out), nulls pass nothing, and
  // each comparison is tested in both orientations.
  AddMembers();
  const std::string through_club =
      "MATCH (m:member)-[e1:joined]->(c:club)<-[e2:joined]-(o:member) ";
  const std::string from_member =
      "MATCH (m:member)-[e1:joined]->(c:club), (m)-[e2:joined]->(d:club) ";
  for (const std::string& match : {through_club, from_member}) {
    for (const std::string& where : std::vector<std::string>{
             "true", "e2.valid_from >= e1.valid_from", "e1.valid_from >= e2.valid_from",
             "e2.valid_from > e1.valid_from", "e1.valid_from > e2.valid_from",
             "e2.valid_from < e1.valid_from", "e1.valid_from <= e2.valid_from",
             "e1.valid_from = e2.valid_from", "e2.fee > e1.fee", "e1.fee >= e2.fee",
             "e2.seat = e1.seat", "e2.seat <= e1.seat AND e2.seat > 2",
             "e2.valid_to > e1.valid_from AND e2.valid_from <= e1.valid_from",
             "e1.valid_from <> e2.valid_from", "e2.fee < 2000000.5",
             "m.country = 'MT' AND e2.valid_from <= e1.valid_from",
         }) {
      for (const std::string& ret : std::vector<std::string>{
               "count(*) AS n", "m.country AS k, count(*) AS n", "e1.seat AS k, count(e2) AS n",
               "c.name AS k, count(*) AS n, count(*) AS twice"}) {
        BothWays(match + "WHERE " + where + " RETURN " + ret + " ORDER BY n, " +
                 (ret.find(" AS k") != std::string::npos ? "k" : "n"));
      }
    }
  }
  // Worked out by hand (as above): the pairs through club 0 with e2
  // starting on or after e1, the two memberships different.
  int expected = 0;
  for (int m = 0; m < 12; ++m) {
    for (int mr = 0; mr < 2; ++mr) {
      for (int o = 0; o < 12; ++o) {
        for (int orank = 0; orank < 2; ++orank) {
          if ((m == o && mr == orank) || m % 5 == 0 || o % 5 == 0) continue;
          expected += (2010 + (o + orank) % 5) * 100 + 1 + o % 12 >=
                      (2010 + (m + mr) % 5) * 100 + 1 + m % 12;
        }
      }
    }
  }
  EXPECT_EQ(BothWays(through_club + "WHERE c.name = 'club_0' AND e2.valid_from >= e1.valid_from "
                                    "RETURN count(*) AS n"),
            std::vector<std::string>{R"({"n":)" + std::to_string(expected) + "}"});
}

TEST_F(ColumnAggregateTest, CountedExpansionsOverColumnsAgreeWithTheRows) {
  // The last relationship only counted (ExpandCount), over the snapshot:
  // each scanned node's relationships counted on the arrays, its role
  // tested by code, and groups by the scanned node's properties.
  for (const std::string& q : std::vector<std::string>{
           "MATCH (p:project)<-[e:participates_in]-(a:actor) WHERE e.role = 'coordinator' "
           "RETURN count(*) AS n",
           "MATCH (p:project)<-[e:participates_in]-(:actor {country: 'MT'}) "
           "RETURN p.name AS p, count(*) AS n",
           "MATCH (a:actor)-[:participates_in]->(p) RETURN a.country AS c, count(p) AS n",
           "MATCH (a:actor)-[:participates_in]->(:nothing) RETURN a.country AS c, count(*) AS n",
       }) {
    BothWays(q);
  }
  // Worked out by hand: edge (actor i, project j) for (i + j) % 3 != 0,
  // a partner when (i + j) % 5 is 1 or 2.
  std::vector<std::string> expected;
  for (int j = 0; j < 3; ++j) {
    int n = 0;
    for (int i = 0; i < 8; ++i) n += (i + j) % 3 != 0 && ((i + j) % 5 == 1 || (i + j) % 5 == 2);
    expected.push_back(R"({"p":"project_)" + std::to_string(j) + R"(","n":)" + std::to_string(n) +
                       R"(,"m":)" + std::to_string(n) + "}");
  }
  const std::string partners =
      "MATCH (p:project)<-[e:participates_in {role: 'partner'}]-(a:actor) "
      "RETURN p.name AS p, count(*) AS n, count(e) AS m ORDER BY p";
  EXPECT_NE(Plan(partners).find("ExpandCount"), std::string::npos) << Plan(partners);
  EXPECT_EQ(BothWays(partners), expected);
}

}  // namespace
}  // namespace samverkan
