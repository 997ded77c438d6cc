// The nesting limit (cypher::kMaxNesting, and kMaxJsonDepth for parameters)
// through the public API: at the limit a query of each kind of nesting
// prepares, runs, prints its row and is freed, on a thread with the stack
// docs/cypher.md promises it (kAmpleStack); past the limit, and far past it,
// Prepare fails with a clear error that says where. On a thread with a
// small stack (kSmallStack), every query either runs or fails with that
// error: none may crash, in any stage (parser, analyzer, planner, evaluator,
// printer, destructors), under ASan too.
#include <gtest/gtest.h>
#include <pthread.h>

#include <functional>
#include <string>
#include <vector>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"
#include "samverkan/text.h"

namespace samverkan {
namespace {

using cypher::kMaxNesting;
using cypher::PreparedQuery;
using cypher::Target;

// A query at the limit needs about 2 MiB of stack in a release build; ASan
// makes frames several times larger.
constexpr size_t kAmpleStack = 32 * 1024 * 1024;
constexpr size_t kSmallStack = 256 * 1024;

// Runs `body` on a new thread with `stack` bytes of stack, and waits for it.
void OnStack(size_t stack, const std::function<void()>& body) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, stack), 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&body)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

void OnSmallStack(const std::function<void()>& body) { OnStack(kSmallStack, body); }

// The error a query nested too deeply gets, at the limit or for the stack.
void ExpectTooDeep(const Status& s, const std::string& what) {
  EXPECT_FALSE(s.ok()) << what;
  EXPECT_NE(s.message().find("SyntaxError (NestingTooDeep)"), std::string::npos)
      << what << ": " << s.message().substr(0, 300);
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A query whose expression nests `levels` deep, one for each way to nest.
struct Shape {
  const char* name;
  std::function<std::string(int levels)> query;
};

const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      {"list", [](int n) { return "RETURN " + Repeat("[", n - 1) + "1" + Repeat("]", n - 1); }},
      {"map", [](int n) { return "RETURN " + Repeat("{a: ", n - 1) + "1" + Repeat("}", n - 1); }},
      {"parentheses",
       [](int n) { return "RETURN " + Repeat("(", n - 1) + "1" + Repeat(")", n - 1) + " AS x"; }},
      {"sum", [](int n) { return "RETURN 1" + Repeat(" + 1", n - 1) + " AS x"; }},
      {"and", [](int n) { return "RETURN true" + Repeat(" AND true", n - 1) + " AS x"; }},
      {"or", [](int n) { return "RETURN false" + Repeat(" OR false", n - 1) + " AS x"; }},
      {"where",  // planned, not evaluated: the graph is empty
       [](int n) { return "MATCH (a) WHERE a.x = 1" + Repeat(" AND a.x = 1", n - 3) + " RETURN a"; }},
      {"not", [](int n) { return "RETURN " + Repeat("NOT ", n - 1) + "true AS x"; }},
      {"minus", [](int n) { return "WITH 1 AS y RETURN " + Repeat("- ", n - 1) + "y AS x"; }},
      {"function", [](int n) { return "RETURN " + Repeat("abs(", n - 1) + "1" + Repeat(")", n - 1) + " AS x"; }},
      {"case",
       [](int n) {
         return "RETURN " + Repeat("CASE WHEN true THEN ", n - 1) + "1" + Repeat(" END", n - 1) + " AS x";
       }},
      {"slice", [](int n) { return "WITH [1] AS l RETURN l" + Repeat("[0..1]", n - 1) + " AS x"; }},
      {"comparison", [](int n) { return "RETURN 1" + Repeat(" < 2", n - 1) + " AS x"; }},
      {"compared sum",  // the middle operand is copied: 0 < s AND s < 2
       [](int n) { return "RETURN 0 < 1" + Repeat(" + 1", n - 3) + " < 2 AS x"; }},
  };
  return shapes;
}

class CypherLimitsTest : public test::DbTest {
 protected:
  // Prepares, runs and prints `query`; the error, or OK.
  Status Run(const std::string& query, const std::string& params = "") {
    auto q = PreparedQuery::Prepare(query);
    if (!q.ok()) return q.status();
    auto p = cypher::ParseParameters(params);
    if (!p.ok()) return p.status();
    auto cursor = cypher::Execute(*q, Target{.view = db_.get(), .db = db_.get()}, *p);
    if (!cursor.ok()) return cursor.status();
    for (;;) {
      auto more = (*cursor)->Next();
      if (!more.ok()) return more.status();
      if (!*more) return Status::OK();
      auto json = (*cursor)->RowJson();
      if (!json.ok()) return json.status();
    }
  }
};

TEST_F(CypherLimitsTest, QueriesAtTheLimitRun) {
  for (const Shape& shape : Shapes()) {
    OnStack(kAmpleStack, [&] {
      Status s = Run(shape.query(kMaxNesting));
      EXPECT_TRUE(s.ok()) << shape.name << ": " << s.message().substr(0, 300);
    });
  }
}

TEST_F(CypherLimitsTest, QueriesPastTheLimitFailClearly) {
  for (const Shape& shape : Shapes()) {
    for (int levels : {kMaxNesting + 1, 10 * kMaxNesting}) {
      OnStack(kAmpleStack, [&] {
        Status s = Run(shape.query(levels));
        ExpectTooDeep(s, shape.name);
        EXPECT_NE(s.message().find("NestingTooDeep) at line 1, column "), std::string::npos)
            << shape.name;
        EXPECT_NE(s.message().find("deeper than 1000 levels"), std::string::npos) << shape.name;
      });
    }
  }
}

TEST_F(CypherLimitsTest, NoQueryCrashesASmallStack) {
  for (const Shape& shape : Shapes()) {
    for (int levels : {kMaxNesting / 10, kMaxNesting, kMaxNesting + 1, 10 * kMaxNesting}) {
      OnSmallStack([&] {
        Status s = Run(shape.query(levels));
        if (!s.ok() || levels > kMaxNesting) ExpectTooDeep(s, shape.name);
      });
    }
  }
}

TEST_F(CypherLimitsTest, ErrorPointsAtTheLevelPastTheLimit) {
  OnStack(kAmpleStack, [&] {
    // The 1,001st '[' is at column 8 + 1000.
    Status s = Run("RETURN " + Repeat("[", kMaxNesting + 5) + Repeat("]", kMaxNesting + 5));
    EXPECT_NE(s.message().find("at line 1, column 1008:"), std::string::npos)
        << s.message().substr(0, 200);
    // A long sum: at the term that makes it too deep, on its line.
    s = Run("RETURN 1\n" + Repeat("+ 1 ", 2 * kMaxNesting));
    EXPECT_NE(s.message().find("at line 2, column " + std::to_string(4 * (kMaxNesting - 1) + 3) + ":"),
              std::string::npos)
        << s.message().substr(0, 200);
  });
}

TEST_F(CypherLimitsTest, PatternsNestedInExpressions) {
  // Pattern comprehensions within the properties of patterns: where '(' and
  // '[' open a pattern is decided without parsing anything twice.
  auto nested = [](int n) {
    std::string inner = "1";
    for (int i = 0; i < n; ++i) inner = "size([(a)-->({x: " + inner + "}) | 1])";
    return "MATCH (a) RETURN " + inner + " AS x";
  };
  OnStack(kAmpleStack, [&] {
    Status s = Run(nested(100));
    EXPECT_TRUE(s.ok()) << s.message().substr(0, 300);
    s = Run(nested(kMaxNesting));
    EXPECT_NE(s.message().find("NestingTooDeep"), std::string::npos) << s.message().substr(0, 200);
  });
}

TEST_F(CypherLimitsTest, ParametersNestedAtAndPastTheLimit) {
  // The object itself is level 1.
  auto nested = [](int levels) {
    return "{\"p\": " + Repeat("[", levels - 1) + Repeat("]", levels - 1) + "}";
  };
  OnStack(kAmpleStack, [&] { EXPECT_OK(Run("RETURN $p AS p", nested(kMaxJsonDepth))); });
  OnSmallStack([&] {
    for (int levels : {kMaxJsonDepth + 1, 100 * kMaxJsonDepth}) {
      auto p = cypher::ParseParameters(nested(levels));
      ASSERT_FALSE(p.ok());
      EXPECT_NE(p.status().message().find("parameters nest deeper than 1000 levels (at byte 1005)"),
                std::string::npos)
          << p.status().message();
    }
  });
}

TEST_F(CypherLimitsTest, ValuesBuiltDeeperThanTheTextAreFreedAndRefusedClearly) {
  // reduce() is the one way a query builds values deeper than its text: it
  // stops past the nesting limit, and what it had built is freed without
  // recursion. At the limit, every use of the value either works or, on a
  // stack too small for it, stops with the same error.
  auto built = [](int levels) {
    return "reduce(acc = [], x IN range(1, " + std::to_string(levels) + ") | [acc])";
  };
  auto uses = [](const std::string& v) {
    return std::vector<std::string>{
        "RETURN size(" + v + ") AS n", "RETURN " + v + " AS l", "RETURN " + v + " = " + v + " AS same",
        "UNWIND [" + v + ", " + v + "] AS l RETURN l ORDER BY l",
        "UNWIND [1, 2] AS y WITH DISTINCT " + v + " AS l RETURN size(l)",
        "UNWIND [1, 2] AS y WITH " + v + " AS l, count(*) AS c RETURN c"};
  };
  OnSmallStack([&] {
    for (const std::string& use : uses(built(20000))) {
      Status s = Run(use);
      EXPECT_FALSE(s.ok()) << use;
      EXPECT_NE(s.message().find("(NestingTooDeep)"), std::string::npos)
          << use << ": " << s.message().substr(0, 300);
    }
    for (const std::string& use : uses(built(cypher::kMaxNesting - 1))) {
      Status s = Run(use);
      if (!s.ok()) ExpectTooDeep(s, use);
    }
  });
}

TEST_F(CypherLimitsTest, InterruptStopsParsing) {
  Interrupt stop([] { return true; }, std::chrono::milliseconds(0));
  std::string query = "RETURN [" + Repeat("1, ", 10000) + "1]";
  auto q = PreparedQuery::Prepare(query, stop);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Status::Code::kInterrupted) << q.status().ToString();
  EXPECT_OK(PreparedQuery::Prepare(query).status());
}

}  // namespace
}  // namespace samverkan
