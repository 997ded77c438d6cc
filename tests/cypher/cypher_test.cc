// The Cypher library through its public API (samverkan/cypher.h): preparing
// and its errors, running over both adjacencies (which must agree), writes
// through a transaction, EXPLAIN, interrupts, and the planner's short cuts
// (breadth-first reach, counting the last relationship) checked against the
// plans that enumerate.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "../engine/test_util.h"
#include "cursor_rows.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::Parameters;
using cypher::PreparedQuery;
using cypher::RunOptions;
using cypher::Target;
using test::E;
using test::N;

class CypherTest : public test::DbTest {
 protected:
  // The rows of `query`, each as its JSON object, in order.
  std::vector<std::string> Rows(const std::string& query, const std::string& params = "",
                                RunOptions::Adjacency adjacency = RunOptions::Adjacency::kAuto) {
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto p = cypher::ParseParameters(params);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    RunOptions options;
    options.adjacency = adjacency;
    auto cursor = cypher::Execute(*q, Target{.view = db_.get(), .db = db_.get()}, *p, options);
    EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
    if (!cursor.ok()) return {};
    return test::CursorRows(**cursor);
  }

  // Rows over the CSR snapshot and over the stored adjacency, which must be
  // the same; returned sorted.
  std::vector<std::string> BothWays(const std::string& query, const std::string& params = "") {
    auto csr = Rows(query, params, RunOptions::Adjacency::kCsr);
    auto stored = Rows(query, params, RunOptions::Adjacency::kStored);
    std::sort(csr.begin(), csr.end());
    std::sort(stored.begin(), stored.end());
    EXPECT_EQ(csr, stored) << query;
    return csr;
  }

  Status Error(const std::string& query) {
    auto q = PreparedQuery::Prepare(query);
    if (!q.ok()) return q.status();
    auto cursor = cypher::Execute(*q, Target{.view = db_.get(), .db = db_.get()}, {});
    if (!cursor.ok()) return cursor.status();
    for (;;) {
      auto more = (*cursor)->Next();
      if (!more.ok()) return more.status();
      if (!*more) return Status::OK();
    }
  }

  // a -[participates_in]-> p1 <- b (public) ; c (academia) -> p1, p2 ; a -[funds]-> p2;
  // a and b located_in r.
  void BuildSmall() {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("a", "actor", "Alpha", "nonprofit")).status());
    ASSERT_OK(txn->PutNode(N("b", "actor", "Beta", "public")).status());
    ASSERT_OK(txn->PutNode(N("c", "actor", "Gamma", "academia")).status());
    ASSERT_OK(txn->PutNode(N("p1", "project", "One")).status());
    ASSERT_OK(txn->PutNode(N("p2", "project", "Two")).status());
    ASSERT_OK(txn->PutNode(N("r", "region", "Mora")).status());
    for (auto [s, t, d] : std::vector<std::tuple<const char*, const char*, const char*>>{
             {"a", "participates_in", "p1"}, {"b", "participates_in", "p1"},
             {"c", "participates_in", "p1"}, {"c", "participates_in", "p2"},
             {"a", "funds", "p2"}, {"a", "located_in", "r"}, {"b", "located_in", "r"}}) {
      ASSERT_OK(txn->PutEdge(E(s, t, d)).status());
    }
    ASSERT_OK(txn->Commit());
  }

  // A random graph with three kinds, two sectors, three types, parallel
  // edges and self-loops.
  void BuildRandom(uint32_t seed, int n, int m) {
    std::mt19937 rng(seed);
    auto txn = Begin();
    const char* kinds[] = {"actor", "project", "region"};
    for (int i = 0; i < n; ++i) {
      NodeInput in = N("n" + std::to_string(i), kinds[rng() % 3]);
      if (in.kind == "actor") in.sector = rng() % 2 ? "academia" : "public";
      ASSERT_OK(txn->PutNode(in).status());
    }
    const char* types[] = {"participates_in", "funds", "located_in"};
    for (int i = 0; i < m; ++i) {
      ASSERT_OK(txn->PutEdge(E("n" + std::to_string(rng() % n), types[rng() % 3],
                               "n" + std::to_string(rng() % n), rng() % 2))
                    .status());
    }
    ASSERT_OK(txn->Commit());
  }
};

TEST_F(CypherTest, PreparingTellsColumnsParametersAndWrites) {
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "MATCH (a:actor {sector: $s})-[r]->(b) WHERE b.name = $n RETURN a.name AS name, count(r)"));
  EXPECT_EQ(q->columns(), (std::vector<std::string>{"name", "count(r)"}));
  EXPECT_EQ(q->parameters(), (std::vector<std::string>{"n", "s"}));
  EXPECT_FALSE(q->writes());
  ASSERT_OK_AND_ASSIGN(auto w, PreparedQuery::Prepare("MATCH (n) SET n.x = 1"));
  EXPECT_TRUE(w->writes());
  EXPECT_TRUE(w->columns().empty());
  ASSERT_OK_AND_ASSIGN(auto e, PreparedQuery::Prepare("EXPLAIN MATCH (n) DELETE n"));
  EXPECT_TRUE(e->explain());
  EXPECT_FALSE(e->writes());
  EXPECT_EQ(e->columns(), std::vector<std::string>{"plan"});
}

TEST_F(CypherTest, SyntaxErrorsShowTheLineAndACaret) {
  auto q = PreparedQuery::Prepare("MATCH (a)\nWHERE a.x > 1\nRETRUN a");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().message(),
            "SyntaxError (UnexpectedSyntax) at line 3, column 1: expected a clause, found "
            "'RETRUN'\n  RETRUN a\n  ^");
  q = PreparedQuery::Prepare("MATCH (ö:actor) RETURN ö, x");
  ASSERT_FALSE(q.ok());
  // Columns count characters, not bytes.
  EXPECT_EQ(q.status().message(),
            "SyntaxError (UndefinedVariable) at line 1, column 27: variable `x` is not "
            "defined\n  MATCH (ö:actor) RETURN ö, x\n                            ^");
  EXPECT_FALSE(PreparedQuery::Prepare("RETURN 9223372036854775808").ok());
  EXPECT_TRUE(PreparedQuery::Prepare("RETURN -9223372036854775808").ok());
  EXPECT_TRUE(PreparedQuery::Prepare("RETURN 'ok' // a comment\n/* and another */").ok());
  EXPECT_FALSE(PreparedQuery::Prepare("RETURN 'unterminated").ok());
  EXPECT_CODE(kInvalidArgument, cypher::ParseParameters("[1, 2]").status());
  EXPECT_CODE(kInvalidArgument, cypher::ParseParameters("{oops").status());
}

// What fails whatever the values is refused before running: arithmetic on
// literals, or on a quantifier's variable over a literal list of one type,
// and a property of a value that is not a map, node or relationship.
TEST_F(CypherTest, WrongTypesAreRefusedBeforeRunning) {
  for (auto [text, error] : std::vector<std::pair<const char*, const char*>>{
           {"RETURN none(x IN ['Clara'] WHERE x % 2 = 0) AS r", "SyntaxError (InvalidArgumentType)"},
           {"RETURN any(x IN [false, true] WHERE x * 2 = 0) AS r", "SyntaxError (InvalidArgumentType)"},
           {"RETURN [x IN ['a', 'b'] | x - 1] AS r", "SyntaxError (InvalidArgumentType)"},
           {"RETURN true + 1 AS r", "SyntaxError (InvalidArgumentType)"},
           {"WITH 'x' AS s RETURN s.num", "TypeError (InvalidArgumentType)"},
           {"WITH [1, true] AS l WITH l AS m RETURN m.num", "TypeError (InvalidArgumentType)"},
           {"MATCH (r) RETURN type(r)", "SyntaxError (InvalidArgumentType)"},
           {"MATCH ()-[r]->() RETURN length(r)", "SyntaxError (InvalidArgumentType)"},
           {"RETURN properties('Cypher')", "SyntaxError (InvalidArgumentType)"},
           {"MATCH () DELETE 1 + 1", "SyntaxError (InvalidArgumentType)"},
           {"RETURN 42 — 41", "SyntaxError (InvalidUnicodeCharacter)"}}) {
    auto q = PreparedQuery::Prepare(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_NE(q.status().message().find(error), std::string::npos) << q.status().message();
  }
  // What may succeed prepares: + joins strings; mixed lists are checked per value.
  for (const char* text : {"RETURN 'a' + true AS r", "RETURN none(x IN [1, 'a'] WHERE x % 2 = 0) AS r",
                           "RETURN all(x IN [1, 2] WHERE x % 2 = 0) AS r",
                           "WITH {num: 1} AS m RETURN m.num", "RETURN properties({a: 1}) AS p",
                           "RETURN 'Ölänning' AS år", "RETURN 1 AS l·l"}) {
    EXPECT_TRUE(PreparedQuery::Prepare(text).ok()) << text;
  }
}

// EXISTS { MATCH ... RETURN ... }: the RETURN is checked but does not change
// whether a row exists; one that aggregates (always a row) and writes inside
// are refused.
TEST_F(CypherTest, AnExistsSubqueryMayEndWithReturn) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE EXISTS { MATCH (a)-[:funds]->(p) RETURN p.name AS n } "
                     "RETURN a.name AS name"),
            std::vector<std::string>{R"({"name":"Alpha"})"});
  for (auto [text, error] : std::vector<std::pair<const char*, const char*>>{
           {"MATCH (a) WHERE EXISTS { MATCH (a)-->() RETURN count(*) } RETURN a",
            "(InvalidAggregation)"},
           {"MATCH (a) WHERE EXISTS { MATCH (a)-->() RETURN nope } RETURN a", "(UndefinedVariable)"},
           {"MATCH (a) WHERE EXISTS { MATCH (a)-->(b) SET b.x = 1 } RETURN a",
            "(InvalidClauseComposition)"}}) {
    auto q = PreparedQuery::Prepare(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_NE(q.status().message().find(error), std::string::npos) << q.status().message();
  }
}

// COUNT { } counts a pattern's matches, or a subquery's rows, per row; it
// stands wherever an integer may (WHERE, RETURN, WITH, ORDER BY, inside an
// aggregation).
TEST_F(CypherTest, CountSubqueriesCountRowsPerRow) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH (a:actor) RETURN a.name AS name, COUNT { (a)-->() } AS n"),
            (std::vector<std::string>{R"({"name":"Alpha","n":3})", R"({"name":"Beta","n":2})",
                                      R"({"name":"Gamma","n":2})"}));
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE COUNT { (a)-[:participates_in]->(p) "
                     "WHERE p.name = 'Two' } = 1 RETURN a.name AS name"),
            std::vector<std::string>{R"({"name":"Gamma"})"});
  EXPECT_EQ(Rows("MATCH (p:project) RETURN p.name AS name ORDER BY COUNT { (p)<--() } DESC"),
            (std::vector<std::string>{R"({"name":"One"})", R"({"name":"Two"})"}));
  EXPECT_EQ(BothWays("MATCH (a:actor) WITH a, COUNT { MATCH (a)-->(x) RETURN x } AS n "
                     "WHERE n > 2 RETURN a.name AS name"),
            std::vector<std::string>{R"({"name":"Alpha"})"});
  // RETURN DISTINCT inside counts distinct rows.
  EXPECT_EQ(BothWays("MATCH (p:project) RETURN p.name AS name, "
                     "COUNT { MATCH (p)<--(a)-[:located_in]->(r) RETURN DISTINCT r } AS d, "
                     "COUNT { MATCH (p)<--(a)-[:located_in]->(r) RETURN r } AS n"),
            (std::vector<std::string>{R"({"name":"One","d":1,"n":2})",
                                      R"({"name":"Two","d":1,"n":1})"}));
  // Nested, and inside an outer aggregation.
  EXPECT_EQ(BothWays("MATCH (p:project) RETURN p.name AS name, "
                     "COUNT { MATCH (p)<--(a) WHERE EXISTS { (a)-[:funds]->() } } AS n"),
            (std::vector<std::string>{R"({"name":"One","n":1})", R"({"name":"Two","n":1})"}));
  EXPECT_EQ(BothWays("MATCH (a:actor) RETURN sum(COUNT { (a)-->() }) AS total, count(*) AS n"),
            std::vector<std::string>{R"({"total":7,"n":3})"});
  for (auto [text, error] : std::vector<std::pair<const char*, const char*>>{
           {"MATCH (a) RETURN COUNT { MATCH (a)-->(b) CREATE (b)-[:x]->() } AS n",
            "(InvalidClauseComposition)"},
           {"MATCH (a) RETURN COUNT { MATCH (a)-->() RETURN nope } AS n", "(UndefinedVariable)"},
           {"MATCH (a) RETURN COUNT { MATCH (a)-->() WITH 1 AS one RETURN a } AS n",
            "(UndefinedVariable)"}}) {
    auto q = PreparedQuery::Prepare(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_NE(q.status().message().find(error), std::string::npos) << q.status().message();
  }
}

// EXISTS { } over a whole subquery: a WITH inside may aggregate, and only
// what it passes on is in scope after it. Pattern predicates stand in WHERE.
TEST_F(CypherTest, ExistsSubqueriesAndPatternPredicates) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE EXISTS { MATCH (a)-->(x) WITH a, count(*) AS k "
                     "WHERE k = 2 RETURN true } RETURN a.name AS name"),
            (std::vector<std::string>{R"({"name":"Beta"})", R"({"name":"Gamma"})"}));
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE EXISTS { MATCH (a)-->(p:project) "
                     "OPTIONAL MATCH (p)<-[:funds]-(f) WITH p, f WHERE f IS NULL } "
                     "RETURN a.name AS name"),
            (std::vector<std::string>{R"({"name":"Alpha"})", R"({"name":"Beta"})",
                                      R"({"name":"Gamma"})"}));
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE (a)-[:funds]->() RETURN a.name AS name"),
            std::vector<std::string>{R"({"name":"Alpha"})"});
  EXPECT_EQ(BothWays("MATCH (a:actor) WHERE NOT (a)-[:located_in]->(:region) RETURN a.name AS name"),
            std::vector<std::string>{R"({"name":"Gamma"})"});
  EXPECT_EQ(BothWays("MATCH (a:actor), (p:project) WHERE (a)-->(p) AND NOT (a)-[:funds]->(p) "
                     "RETURN a.name AS a, p.name AS p"),
            (std::vector<std::string>{R"({"a":"Alpha","p":"One"})", R"({"a":"Beta","p":"One"})",
                                      R"({"a":"Gamma","p":"One"})", R"({"a":"Gamma","p":"Two"})"}));
}

// CALL { } runs its body once per row: a leading WITH imports outer
// variables (nothing else of the outer row is visible), its RETURN columns
// extend the row, one row out per row it returns; without RETURN (a unit
// subquery that writes) rows pass on unchanged.
TEST_F(CypherTest, CallSubqueriesRunOncePerRow) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH (p:project) CALL { WITH p MATCH (p)<--(a:actor) RETURN count(a) AS n } "
                     "RETURN p.name AS name, n"),
            (std::vector<std::string>{R"({"name":"One","n":3})", R"({"name":"Two","n":2})"}));
  EXPECT_EQ(BothWays("MATCH (p:project) WHERE p.name = 'Two' "
                     "CALL { WITH p MATCH (p)<--(a) RETURN a.name AS who } RETURN p.name AS p, who"),
            (std::vector<std::string>{R"({"p":"Two","who":"Alpha"})", R"({"p":"Two","who":"Gamma"})"}));
  // Not imported, `p` inside is a variable of its own: every relationship.
  EXPECT_EQ(BothWays("MATCH (p:project) CALL { MATCH (p)<--(a) RETURN count(*) AS n } "
                     "RETURN p.name AS name, n"),
            (std::vector<std::string>{R"({"name":"One","n":7})", R"({"name":"Two","n":7})"}));
  EXPECT_EQ(Rows("UNWIND [2, 1] AS i CALL { WITH i UNWIND range(1, i) AS j RETURN j } RETURN i, j"),
            (std::vector<std::string>{R"({"i":2,"j":1})", R"({"i":2,"j":2})", R"({"i":1,"j":1})"}));
  for (auto [text, error] : std::vector<std::pair<const char*, const char*>>{
           {"MATCH (p) CALL { WITH p RETURN p } RETURN p", "(VariableAlreadyBound)"},
           {"MATCH (p) CALL { WITH p MATCH (p)-->(q) } RETURN p", "(InvalidClauseComposition)"},
           {"MATCH (p) CALL { RETURN p.name AS n } RETURN n", "(UndefinedVariable)"}}) {
    auto q = PreparedQuery::Prepare(text);
    ASSERT_FALSE(q.ok()) << text;
    EXPECT_NE(q.status().message().find(error), std::string::npos) << q.status().message();
  }
  // A unit subquery writes once per row and leaves the rows as they were.
  auto txn = Begin();
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "MATCH (a:actor) CALL { WITH a CREATE (a)-[:tagged]->(:tag {name: a.name}) } "
      "RETURN count(a) AS n"));
  ASSERT_OK_AND_ASSIGN(auto cursor, cypher::Execute(q, Target{.txn = txn.get()}, {}));
  ASSERT_OK_AND_ASSIGN(bool more, cursor->Next());
  ASSERT_TRUE(more);
  EXPECT_EQ(cursor->row()[0].integer(), 3);
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(BothWays("MATCH (a:actor)-[:tagged]->(t:tag) RETURN a.name AS a, t.name AS t"),
            (std::vector<std::string>{R"({"a":"Alpha","t":"Alpha"})", R"({"a":"Beta","t":"Beta"})",
                                      R"({"a":"Gamma","t":"Gamma"})"}));
}

// A label test on a relationship tests its type (its one label).
TEST_F(CypherTest, ALabelTestOnARelationshipTestsItsType) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH ()-[r]->() RETURN r:funds AS f, count(*) AS n"),
            (std::vector<std::string>{R"({"f":false,"n":6})", R"({"f":true,"n":1})"}));
}

TEST_F(CypherTest, ReadsAgreeOverTheSnapshotAndTheStore) {
  BuildSmall();
  EXPECT_EQ(BothWays("MATCH (a:actor)-[:participates_in]->(p)<-[:participates_in]-(b:actor) "
                     "WHERE a.key < b.key RETURN a.key AS a, b.key AS b"),
            (std::vector<std::string>{R"({"a":"a","b":"b"})", R"({"a":"a","b":"c"})",
                                      R"({"a":"b","b":"c"})"}));
  EXPECT_EQ(BothWays("MATCH (x {key: 'a'})-[*1..2]-(y) RETURN count(DISTINCT y) AS n"),
            std::vector<std::string>{R"({"n":5})"});
  EXPECT_EQ(BothWays("MATCH (x:actor {sector: $s}) RETURN x.name AS name", R"({"s":"public"})"),
            std::vector<std::string>{R"({"name":"Beta"})"});
  EXPECT_EQ(BothWays("MATCH p = shortestPath((x {key: 'b'})-[*]-(y {key: 'p2'})) "
                     "RETURN length(p) AS n"),
            std::vector<std::string>{R"({"n":3})"});
  EXPECT_EQ(BothWays("MATCH (r:region)<-[:located_in]-(a) OPTIONAL MATCH (a)-[:funds]->(f) "
                     "RETURN a.key AS a, f.key AS f"),
            (std::vector<std::string>{R"({"a":"a","f":"p2"})", R"({"a":"b","f":null})"}));
}

// Over the snapshot, properties come from its columns (typed, dictionary
// strings, dates as days, JSON for mixed types); over the store, from the
// records. Both must give the same values, nulls included; a transaction
// with uncommitted writes reads its own writes, not the snapshot's columns.
TEST_F(CypherTest, PropertiesFromColumnsAgreeWithTheRecords) {
  auto txn = Begin();
  NodeInput a = N("a", "actor", "Alpha", "academia");
  a.props = R"({"country": "MT", "n": 3, "mixed": 1, "tags": ["x", "y"], "ok": true})";
  NodeInput b = N("b", "actor");
  b.props = R"({"country": "CY", "n": 4, "mixed": "one", "score": 2.5})";
  NodeInput p = N("p", "project", "Proj");
  p.props = R"({"mixed": 1.5})";
  for (const NodeInput& n : {a, b, p}) ASSERT_OK(txn->PutNode(n).status());
  EdgeInput ap = E("a", "participates_in", "p");
  ap.weight = 0.5;
  ap.validity = {test::D(2015, 3, 1), test::D(2017, 2, 28)};
  ap.props = R"({"role": "coordinator", "contribution": 1200.5, "weight": "shadowed"})";
  EdgeInput ap1 = E("a", "participates_in", "p", 1);  // parallel, rank 1
  ap1.props = R"({"role": "partner", "contribution": 7})";
  EdgeInput bp = E("b", "participates_in", "p");
  bp.validity = {std::nullopt, test::D(2020, 1, 1)};
  bp.props = R"({"role": "partner"})";
  for (const EdgeInput& e : {ap, ap1, bp, E("b", "knows", "a")}) {
    ASSERT_OK(txn->PutEdge(e).status());
  }
  ASSERT_OK(txn->Commit());

  auto rows = BothWays(
      "MATCH (x)-[r]->(y) RETURN x.key AS x, x.name AS name, x.sector AS sector, "
      "x.country AS c, x.n AS n, x.mixed AS m, x.tags AS tags, x.ok AS ok, x.score AS score, "
      "y.mixed AS ym, y.name AS yn, type(r) AS t, r.rank AS rank, r.weight AS w, "
      "r.valid_from AS f, r.valid_to AS until, r.role AS role, r.contribution AS money, "
      "r.absent AS none, properties(r) AS props");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find(R"("rank":1,"w":null,"f":null,"until":null,"role":"partner","money":7,)"),
            std::string::npos) << rows[0];
  EXPECT_EQ(rows[1], R"({"x":"a","name":"Alpha","sector":"academia","c":"MT","n":3,"m":1,)"
                     R"("tags":["x","y"],"ok":true,"score":null,"ym":1.5,"yn":"Proj",)"
                     R"("t":"participates_in","rank":null,"w":0.5,"f":"2015-03-01",)"
                     R"("until":"2017-02-28","role":"coordinator","money":1200.5,"none":null,)"
                     R"("props":{"contribution":1200.5,"role":"coordinator",)"
                     R"("valid_from":"2015-03-01","valid_to":"2017-02-28","weight":0.5}})");
  EXPECT_NE(rows[3].find(R"("x":"b","name":"b","sector":null,"c":"CY","n":4,"m":"one",)"),
            std::string::npos) << rows[3];
  EXPECT_EQ(BothWays("MATCH (x:actor {country: 'MT'})-[r:participates_in]->() "
                     "WHERE r.valid_from >= date('2015-01-01') RETURN count(*) AS n, "
                     "sum(r.contribution) AS total"),
            std::vector<std::string>{R"({"n":1,"total":1200.5})"});

  // Uncommitted writes: the transaction reads them; the committed graph
  // (over its snapshot's columns) does not.
  auto writer = Begin();
  ASSERT_OK_AND_ASSIGN(auto set, PreparedQuery::Prepare(
      "MATCH (x {key: 'a'})-[r:participates_in]->() SET r.role = 'lead', x.country = 'SE'"));
  ASSERT_OK_AND_ASSIGN(auto run, cypher::Execute(set, Target{.view = writer.get(),
                                                            .txn = writer.get()}, {}));
  ASSERT_OK(run->Next().status());
  ASSERT_OK_AND_ASSIGN(auto read, PreparedQuery::Prepare(
      "MATCH (x:actor)-[r:participates_in]->() RETURN x.country AS c, r.role AS role"));
  ASSERT_OK_AND_ASSIGN(auto in_txn, cypher::Execute(read, Target{.view = writer.get()}, {}));
  std::vector<std::string> seen;
  for (;;) {
    ASSERT_OK_AND_ASSIGN(bool more, in_txn->Next());
    if (!more) break;
    ASSERT_OK_AND_ASSIGN(std::string json, in_txn->RowJson());
    seen.push_back(json);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"c":"CY","role":"partner"})",
                                            R"({"c":"SE","role":"lead"})",
                                            R"({"c":"SE","role":"lead"})"}));
  EXPECT_EQ(BothWays("MATCH (x:actor)-[r:participates_in]->() RETURN x.country AS c, "
                     "r.role AS role"),
            (std::vector<std::string>{R"({"c":"CY","role":"partner"})",
                                      R"({"c":"MT","role":"coordinator"})",
                                      R"({"c":"MT","role":"partner"})"}));
}

TEST_F(CypherTest, ValuesAsJson) {
  BuildSmall();
  auto rows = Rows("MATCH (a {key: 'a'})-[r:funds]->(p) RETURN a, r, 1.0 AS f, 1 AS i");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].find(R"("a":{"id":1,"key":"a","labels":["actor"],"properties":{"key":"a","name":"Alpha","sector":"nonprofit"}})"),
            std::string::npos) << rows[0];
  EXPECT_NE(rows[0].find(R"("r":{"id":)"), std::string::npos);
  EXPECT_NE(rows[0].find(R"("type":"funds","start":"a","end":"p2","properties":{}})"), std::string::npos);
  EXPECT_NE(rows[0].find(R"("f":1.0,"i":1)"), std::string::npos);
}

TEST_F(CypherTest, WritesGoThroughTheTransaction) {
  BuildSmall();
  auto txn = Begin();
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "MATCH (a {key: 'a'}) CREATE (a)-[:works_with {since: 2020}]->(n:person {name: 'Ny'}) "
      "SET a.city = 'Mora' RETURN elementId(n) AS key"));
  ASSERT_OK_AND_ASSIGN(auto cursor, cypher::Execute(q, Target{.txn = txn.get()}, {}));
  ASSERT_OK_AND_ASSIGN(bool more, cursor->Next());
  ASSERT_TRUE(more);
  EXPECT_EQ(cursor->row()[0].string(), "_:7");
  // Not committed yet: the Db does not see it; the transaction does.
  EXPECT_CODE(kNotFound, db_->FindKey("_:7").status());
  ASSERT_OK_AND_ASSIGN(Node n, txn->GetNodeByKey("_:7"));
  EXPECT_EQ(n.kind, "person");
  EXPECT_EQ(n.name, "Ny");
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(Node a, db_->GetNodeByKey("a"));
  EXPECT_EQ(a.props, R"({"city":"Mora"})");
  EXPECT_EQ(Rows("MATCH (:actor)-[w:works_with]->(p:person) RETURN w.since AS s, p.name AS n"),
            std::vector<std::string>{R"({"s":2020,"n":"Ny"})"});
  // Without a transaction a query that writes is refused.
  ASSERT_OK_AND_ASSIGN(auto w, PreparedQuery::Prepare("CREATE (:x)"));
  EXPECT_CODE(kReadOnly, cypher::Execute(w, Target{.view = db_.get()}, {}).status());
}

// CREATE writes every field it names, and SET, which writes the whole
// record again, keeps those it does not: a node's sector, aliases and
// sources; a relationship's rank, weight, dates and sources.
TEST_F(CypherTest, WritesKeepTheFieldsTheyDoNotName) {
  BuildSmall();
  EdgeInput funds = E("a", "funds", "p1", 2);
  funds.weight = 0.5;
  funds.validity.from = test::D(2020, 1, 1);
  funds.sources = {NodeRef("r")};
  EdgeId funds_id = 0;
  {
    auto txn = Begin();
    ASSERT_OK_AND_ASSIGN(funds_id, txn->PutEdge(funds));
    ASSERT_OK(txn->Commit());
  }
  auto txn = Begin();
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "CREATE (n:actor {key: 'x', sector: 'public', aliases: ['X'], sources: ['r']}) "
      "WITH n MATCH (:actor {key: 'a'})-[f:funds]->(:project {key: 'p1'}) "
      "SET n.city = 'Mora', f.note = 'kept'"));
  ASSERT_OK_AND_ASSIGN(auto cursor, cypher::Execute(q, Target{.txn = txn.get()}, {}));
  test::CursorRows(*cursor);
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(NodeId r, db_->FindKey("r"));
  ASSERT_OK_AND_ASSIGN(Node x, db_->GetNodeByKey("x"));
  EXPECT_EQ(x.sector, "public");
  EXPECT_EQ(x.aliases, std::vector<std::string>{"X"});
  EXPECT_EQ(x.sources, std::vector<NodeId>{r});
  EXPECT_EQ(x.props, R"({"city":"Mora"})");
  ASSERT_OK_AND_ASSIGN(Edge f, db_->GetEdge(funds_id));
  EXPECT_EQ(f.rank, 2u);
  EXPECT_EQ(f.weight, 0.5);
  EXPECT_EQ(f.validity.from, funds.validity.from);
  EXPECT_EQ(f.sources, std::vector<NodeId>{r});
  EXPECT_EQ(f.props, R"({"note":"kept"})");
}

// MERGE, and any clause after a write, sees what the query created before
// it: a label or relationship type the graph did not have when the query
// was planned, and nodes created by the same MERGE for an earlier row.
TEST_F(CypherTest, MergeSeesTheQuerysOwnWrites) {
  BuildSmall();
  auto write = [&](const std::string& query) {
    auto txn = Begin();
    auto q = PreparedQuery::Prepare(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto cursor = cypher::Execute(*q, Target{.txn = txn.get()}, {});
    EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
    for (;;) {
      auto more = (*cursor)->Next();
      EXPECT_TRUE(more.ok()) << query << ": " << more.status().ToString();
      if (!more.ok() || !*more) break;
    }
    EXPECT_OK(txn->Commit());
  };
  auto count = [&](const std::string& pattern) {
    return Rows("MATCH " + pattern + " RETURN count(*) AS n");
  };
  using Rows_ = std::vector<std::string>;
  // A label new to the graph, merged once per row: created once.
  write("UNWIND [1, 1, 1] AS i MERGE (t:tag {name: 'same'})");
  EXPECT_EQ(count("(t:tag)"), Rows_{R"({"n":1})"});
  // Created by earlier clauses of the query: matched, nothing created.
  write("CREATE (:mark) CREATE (:mark) MERGE (m:mark)");
  EXPECT_EQ(count("(m:mark)"), Rows_{R"({"n":2})"});
  // A kind the graph has (a scan by kind, and one by name).
  write("UNWIND ['x', 'x', 'y'] AS c MERGE (p:project {code: c})");
  EXPECT_EQ(count("(p:project) WHERE p.code IS NOT NULL"), Rows_{R"({"n":2})"});
  write("UNWIND [1, 2] AS i MERGE (a:actor {name: 'Delta'})");
  EXPECT_EQ(count("(a:actor {name: 'Delta'})"), Rows_{R"({"n":1})"});
  // A relationship type new to the graph, merged twice between one pair.
  write("MATCH (a {key: 'a'}), (b {key: 'b'}) UNWIND [1, 2] AS i "
                  "MERGE (a)-[:knows]->(b)");
  EXPECT_EQ(count("()-[:knows]->()"), Rows_{R"({"n":1})"});
  // MATCH after CREATE sees a label and a type created in the query.
  auto txn = Begin();
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "CREATE (:fresh)-[:newly]->(:fresh) WITH 1 AS one "
      "MATCH (a:fresh)-[r:newly]->(b) RETURN count(r) AS n"));
  ASSERT_OK_AND_ASSIGN(auto cursor, cypher::Execute(q, Target{.txn = txn.get()}, {}));
  ASSERT_OK_AND_ASSIGN(bool more, cursor->Next());
  ASSERT_TRUE(more);
  EXPECT_EQ(cursor->row()[0].integer(), 1);
}

TEST_F(CypherTest, ExplainShowsThePlanAndWarns) {
  BuildSmall();
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
      "MATCH (a:actor {sector: 'academia'})-[:participates_in]->(p:project)"
      "<-[:participates_in]-(b:actor) RETURN count(*)"));
  ASSERT_OK_AND_ASSIGN(auto lines, cypher::Explain(q, Target{.view = db_.get(), .db = db_.get()}, {}));
  std::string plan;
  for (const auto& l : lines) plan += l + "\n";
  EXPECT_NE(plan.find("NodeBySectorScan (a:actor) {sector: 'academia'}"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ExpandCount"), std::string::npos) << plan;
  // A label the graph does not hold is a likely typo: the plan starts there (it finds nothing)
  // and says so.
  ASSERT_OK_AND_ASSIGN(auto typo, PreparedQuery::Prepare("MATCH (a:actor)--(b:nosuch) RETURN b"));
  ASSERT_OK_AND_ASSIGN(lines, cypher::Explain(typo, Target{.view = db_.get(), .db = db_.get()}, {}));
  plan.clear();
  for (const auto& l : lines) plan += l + "\n";
  EXPECT_NE(plan.find("warning: label `nosuch` does not occur in the graph"), std::string::npos)
      << plan;
}

// A relationship bound before, matched again as a self-loop: its one end
// is bound once, so its labels are tested once, and only loops match.
TEST_F(CypherTest, ABoundSelfLoopTestsItsNodeOnce) {
  BuildSmall();
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutEdge(E("b", "funds", "b")).status());
    ASSERT_OK(txn->PutEdge(E("p2", "funds", "p2")).status());
    ASSERT_OK(txn->Commit());
  }
  const std::string query = "MATCH ()-[r:funds]->() WITH r MATCH (a:actor)-[r]->(a) RETURN a.key AS k";
  EXPECT_EQ(BothWays(query), std::vector<std::string>{R"({"k":"b"})"});
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(query));
  ASSERT_OK_AND_ASSIGN(auto lines, cypher::Explain(q, Target{.view = db_.get(), .db = db_.get()}, {}));
  std::string plan;
  for (const auto& l : lines) plan += l + "\n";
  EXPECT_NE(plan.find("BindRelationship (a:actor)-[r]->(a:actor)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter (a:actor)  ("), std::string::npos) << plan;
}

TEST_F(CypherTest, AnInterruptStopsALongQuery) {
  BuildRandom(3, 60, 200);
  int calls = 0;
  Interrupt stop([&] { return ++calls > 3; }, std::chrono::milliseconds(0));
  ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare("MATCH (a), (b), (c), (d) RETURN count(*)"));
  RunOptions options;
  options.interrupt = &stop;
  ASSERT_OK_AND_ASSIGN(auto cursor,
                       cypher::Execute(q, Target{.view = db_.get(), .db = db_.get()}, {}, options));
  auto more = cursor->Next();
  ASSERT_FALSE(more.ok());
  EXPECT_TRUE(more.status().IsInterrupted());
}

// The breadth-first reach (for DISTINCT ends) against enumerating trails,
// which a named relationship list forces; both directions and undirected,
// from every node, with the start itself among the ends when a cycle
// returns to it.
TEST_F(CypherTest, ReachAgreesWithTrailEnumeration) {
  BuildRandom(7, 30, 70);
  for (const char* arrow : {"-[*1..3]-", "-[*1..3]->", "<-[*1..2]-", "-[*0..2]-", "-[:funds*1..3]-"}) {
    std::string pattern = arrow;
    std::string named = pattern;
    named.insert(named.find('[') + 1, "r");
    for (int i = 0; i < 30; i += 3) {
      std::string params = R"({"k":"n)" + std::to_string(i) + R"("})";
      auto fast = BothWays("MATCH (a {key: $k})" + pattern + "(b) RETURN DISTINCT b.key AS k", params);
      auto slow = BothWays("MATCH (a {key: $k})" + named + "(b) RETURN DISTINCT b.key AS k", params);
      EXPECT_EQ(fast, slow) << pattern << " from n" << i;
      auto count = BothWays("MATCH (a {key: $k})" + pattern + "(b) RETURN count(DISTINCT b) AS n", params);
      EXPECT_EQ(count, std::vector<std::string>{R"({"n":)" + std::to_string(slow.size()) + "}"});
    }
  }
}

// Counting the last relationship against making its rows (sum() does not
// take the short cut), with relationship uniqueness taking some off.
TEST_F(CypherTest, ExpandCountAgreesWithRows) {
  BuildRandom(11, 40, 160);
  const char* patterns[] = {
      "(a:actor)-[:participates_in]->(p)<-[:participates_in]-(b:actor)",
      "(a)-[]-(p)-[]-(b)",
      "(a:actor {sector: 'public'})-->(p)<--(b:actor)",
      "(a)-[:funds]->(p)-[:located_in]->(r)",
  };
  for (const char* p : patterns) {
    std::string pattern = p;
    auto counted = BothWays("MATCH " + pattern + " RETURN count(*) AS n");
    auto summed = BothWays("MATCH " + pattern + " RETURN sum(1) AS n");
    EXPECT_EQ(counted, summed) << pattern;
    auto grouped = BothWays("MATCH " + pattern + " RETURN a.key AS a, count(*) AS n");
    auto grouped_sum = BothWays("MATCH " + pattern + " RETURN a.key AS a, sum(1) AS n");
    EXPECT_EQ(grouped, grouped_sum) << pattern;
  }
}

// ORDER BY an aggregation ... LIMIT, grouped by n.key: only the groups that
// can make the cut read their keys. Checked against grouping by n.key + ''
// (which takes no short cut), with ties at the cut, SKIP, and blank nodes
// (whose null keys make one group of many nodes).
TEST_F(CypherTest, TopGroupsAgreeWithSortingThemAll) {
  BuildRandom(5, 200, 900);
  const char* tails[] = {
      "count(*) AS c ORDER BY c DESC, k LIMIT 5",
      "count(*) AS c ORDER BY c, k SKIP 3 LIMIT 4",
      "count(p) AS c, min(p.key) AS m ORDER BY c DESC, m, k LIMIT 7",
      "max(p.key) AS m ORDER BY m DESC, k LIMIT 3",
      "avg(size(p.key)) AS m ORDER BY m DESC, k LIMIT 3",
      "count(*) AS c ORDER BY c DESC, k LIMIT 0",
  };
  auto check = [&](bool expect_short_cut) {
    for (const char* tail : tails) {
      const std::string match = "MATCH (a)-[]-(p) RETURN a.key";
      auto fast = Rows(match + " AS k, " + tail);
      auto slow = Rows(match + " + '' AS k, " + tail);
      EXPECT_EQ(fast, slow) << tail;
      for (auto adjacency : {RunOptions::Adjacency::kCsr, RunOptions::Adjacency::kStored}) {
        EXPECT_EQ(Rows(match + " AS k, " + tail, "", adjacency), slow) << tail;
      }
    }
    ASSERT_OK_AND_ASSIGN(auto q, PreparedQuery::Prepare(
        "MATCH (a)-[]-(p) RETURN a.key AS k, count(*) AS c ORDER BY c DESC, k LIMIT 5"));
    ASSERT_OK_AND_ASSIGN(auto lines, cypher::Explain(q, Target{.view = db_.get(), .db = db_.get()}, {}));
    std::string plan;
    for (const auto& l : lines) plan += l + "\n";
    EXPECT_EQ(plan.find("keys only for the groups that can make the top") != std::string::npos,
              expect_short_cut)
        << plan;
  };
  check(true);
  // Forty blank nodes in pairs, one relationship each: as one group (key
  // null) they come first.
  auto txn = Begin();
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK(txn->PutNode(N("_:" + std::to_string(1000 + i), "node")).status());
    if (i % 2 == 1) {
      ASSERT_OK(txn->PutEdge(E("_:" + std::to_string(999 + i), "funds",
                               "_:" + std::to_string(1000 + i)))
                    .status());
    }
  }
  ASSERT_OK(txn->Commit());
  check(true);
  EXPECT_EQ(Rows("MATCH (a)-[]-(p) RETURN a.key AS k, count(*) AS c ORDER BY c DESC, k LIMIT 1"),
            std::vector<std::string>{R"({"k":null,"c":40})"});
}

}  // namespace
}  // namespace samverkan
