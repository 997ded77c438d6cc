// CALL through the Cypher library's public API, without SQLite: the
// analytics procedures over the committed graph (cached snapshot) and over a
// transaction (a snapshot of what it sees), table procedures given to
// Prepare, and the engine's procedure table read directly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../engine/test_util.h"
#include "cursor_rows.h"
#include "samverkan/cypher.h"
#include "samverkan/procedures.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::Target;
using test::E;
using test::N;

class CallTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    for (const char* key : {"a", "b", "c", "d"}) ASSERT_OK(txn->PutNode(N(key, "actor")).status());
    ASSERT_OK(txn->PutEdge(E("a", "knows", "b")).status());
    ASSERT_OK(txn->PutEdge(E("b", "knows", "c")).status());
    ASSERT_OK(txn->Commit());
  }

  std::vector<std::string> Rows(const std::string& query, const Target& target,
                                const cypher::TableProcedures& procedures = {}) {
    auto q = PreparedQuery::Prepare(query, Interrupt::Never(), procedures);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto cursor = cypher::Execute(*q, target, {});
    EXPECT_TRUE(cursor.ok()) << cursor.status().ToString();
    if (!cursor.ok()) return {};
    return test::CursorRows(**cursor);
  }
};

const char* const kSizes =
    "CALL samverkan.components() YIELD node, size RETURN node.key AS k, size ORDER BY k";

TEST_F(CallTest, AnalyticsOverTheSnapshotOrTheView) {
  const std::vector<std::string> want = {R"({"k":"a","size":3})", R"({"k":"b","size":3})",
                                         R"({"k":"c","size":3})", R"({"k":"d","size":1})"};
  // With Target::db the Db's cached snapshot; without, one built from the view.
  EXPECT_EQ(Rows(kSizes, Target{.view = db_.get(), .db = db_.get()}), want);
  EXPECT_EQ(Rows(kSizes, Target{.view = db_.get()}), want);
  // A transaction's own writes are seen.
  auto txn = Begin();
  ASSERT_OK(txn->PutEdge(E("c", "knows", "d")).status());
  EXPECT_EQ(Rows(kSizes, Target{.view = txn.get()}),
            (std::vector<std::string>{R"({"k":"a","size":4})", R"({"k":"b","size":4})",
                                      R"({"k":"c","size":4})", R"({"k":"d","size":4})"}));
  // And a query's own, after WITH.
  EXPECT_EQ(Rows("CREATE (:actor {key: 'e'}) WITH count(*) AS n "
                 "CALL samverkan.components() YIELD node, size WHERE node.key = 'e' "
                 "RETURN size",
                 Target{.txn = txn.get()}),
            std::vector<std::string>{R"({"size":1})"});
}

TEST_F(CallTest, TableProceduresGivenToPrepare) {
  ASSERT_OK_AND_ASSIGN(auto proc, cypher::MakeTableProcedure(
                                      "my.double(x :: INTEGER?) :: (y :: INTEGER?)",
                                      "[[1, 2], [2, 4]]"));
  EXPECT_EQ(Rows("UNWIND [2, 1, 3] AS x CALL my.double(x) YIELD y RETURN x, y",
                 Target{.view = db_.get()}, {proc}),
            (std::vector<std::string>{R"({"x":2,"y":4})", R"({"x":1,"y":2})"}));
  // Without it, no such procedure.
  auto q = PreparedQuery::Prepare("CALL my.double(1)");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("ProcedureError (ProcedureNotFound)"), std::string::npos);
  EXPECT_CODE(kInvalidArgument, cypher::MakeTableProcedure("my.x(a INTEGER) :: ()", "[]").status());
  EXPECT_CODE(kInvalidArgument,
              cypher::MakeTableProcedure("my.x(a :: INTEGER) :: ()", "[[1, 2]]").status());
}

TEST_F(CallTest, TheEngineTableChecksArguments) {
  const Procedure* pr = FindProcedure("pagerank");
  ASSERT_NE(pr, nullptr);
  std::vector<ProcValue> args(pr->args.size());
  args[*pr->ArgIndex("damping")] = std::string("high");
  Status s = RunProcedure(*pr, args, *db_, db_.get(), Interrupt::Never()).status();
  EXPECT_EQ(s.message(), "damping must be a number between 0 and 1, not 'high'");
  args[*pr->ArgIndex("damping")] = 0.5;
  args[*pr->ArgIndex("kinds")] = ProcNames{"nobody"};
  s = RunProcedure(*pr, args, *db_, db_.get(), Interrupt::Never()).status();
  EXPECT_NE(s.message().find("kinds: unknown kind 'nobody'"), std::string::npos) << s.message();
  args[*pr->ArgIndex("kinds")] = ProcValue();
  ASSERT_OK_AND_ASSIGN(ProcResult r, RunProcedure(*pr, args, *db_, db_.get(), Interrupt::Never()));
  EXPECT_EQ(r.rows, 4u);
  double sum = 0;
  for (double x : std::get<std::vector<double>>(r.columns[1])) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

}  // namespace
}  // namespace samverkan
