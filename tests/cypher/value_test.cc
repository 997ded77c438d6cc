// Values nest: lists and maps of lists and maps. A query's text nests them
// only as deep as the parser allows, but reduce() feeds each result back
// in, so it is bounded on its own (eval.cc); and freeing a value never
// recurses once per level (value.cc), so a deep value built through the
// API cannot overflow the stack either.
#include <gtest/gtest.h>
#include <pthread.h>

#include <functional>
#include <string>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::Target;
using cypher::Value;

// Runs `body` on a thread with a stack of `bytes`.
void OnStack(size_t bytes, const std::function<void()>& body) {
  auto run = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&body)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// 512 KiB, as a host's worker thread may have.
void OnSmallStack(const std::function<void()>& body) { OnStack(512 * 1024, body); }
// Enough for a value at the nesting limit even under ASan (docs/cypher.md:
// a query at the limit needs a few MiB of stack, more in a sanitizer build).
constexpr size_t kAmpleStack = size_t{64} << 20;

class ValueTest : public test::DbTest {
 protected:
  // The first row of `query` as JSON, run on a stack of `stack` bytes (a
  // small one by default); or the error.
  Result<std::string> FirstRow(const std::string& query, size_t stack = 512 * 1024) {
    Result<std::string> out = Status::Internal("not run");
    OnStack(stack, [&] {
      out = [&]() -> Result<std::string> {
        SV_ASSIGN_OR_RETURN(auto q, PreparedQuery::Prepare(query));
        SV_ASSIGN_OR_RETURN(auto cursor, cypher::Execute(q, Target{.view = db_.get()}, {}));
        SV_ASSIGN_OR_RETURN(bool more, cursor->Next());
        if (!more) return Status::Internal("no row");
        return cursor->RowJson();
      }();
    });
    return out;
  }
};

TEST_F(ValueTest, AMillionLevelsDeepListIsFreedWithoutRecursion) {
  Value deep = Value::MakeList({});
  for (int i = 0; i < 1000000; ++i) {
    deep = i % 2 ? Value::MakeList({deep}) : Value::MakeMap({{"a", deep}});
  }
  OnSmallStack([&] { deep = Value(); });
  EXPECT_TRUE(deep.is_null());
}

TEST_F(ValueTest, ReduceStopsAtTheNestingLimit) {
  for (const char* query : {"RETURN size(reduce(acc = [], x IN range(1, 50000) | [acc])) AS n",
                            "RETURN reduce(acc = {}, x IN range(1, 50000) | {a: [acc]}) AS m"}) {
    auto row = FirstRow(query);
    ASSERT_FALSE(row.ok()) << query;
    const std::string message = row.status().message();
    EXPECT_EQ(message.rfind("ArgumentError (NestingTooDeep) at line 1", 0), 0u) << message;
    EXPECT_NE(message.find(": reduce() built a value nested deeper than 1000 levels of lists and "
                           "maps"),
              std::string::npos)
        << message;
  }
}

TEST_F(ValueTest, AValueAtTheLimitIsComparedAndPrinted) {
  ASSERT_OK_AND_ASSIGN(std::string row,
                       FirstRow("WITH reduce(acc = [], x IN range(1, 999) | [acc]) AS v "
                                "RETURN v = v AS same, v",
                                kAmpleStack));
  EXPECT_EQ(row, "{\"same\":true,\"v\":" + std::string(1000, '[') + std::string(1000, ']') + "}");
}

TEST_F(ValueTest, AValueThatPrintsAsFarMoreThanItHoldsStops) {
  // [acc, acc] doubles what comparing or printing the value walks at each
  // step, while memory grows by one list: reduce() stops when that no
  // longer fits in the working memory, after a few dozen steps.
  ASSERT_OK_AND_ASSIGN(std::string row, FirstRow("RETURN size(reduce(acc = [], x IN range(1, 10) "
                                                 "| [acc, acc])) AS n"));
  EXPECT_EQ(row, "{\"n\":2}");
  auto doubled = FirstRow("RETURN size(reduce(acc = [], x IN range(1, 60) | [acc, acc])) AS n");
  ASSERT_FALSE(doubled.ok());
  EXPECT_NE(doubled.status().message().find("of working memory"), std::string::npos)
      << doubled.status().ToString();
  // The same value built by the text itself is refused when it is printed.
  std::string query = "WITH [] AS v ";
  for (int i = 0; i < 60; ++i) query += "WITH [v, v] AS v ";
  auto printed = FirstRow(query + "RETURN v");
  ASSERT_FALSE(printed.ok());
  EXPECT_NE(printed.status().message().find("of working memory"), std::string::npos)
      << printed.status().ToString();
}

}  // namespace
}  // namespace samverkan
