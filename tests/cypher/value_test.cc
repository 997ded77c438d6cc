// Values a query builds at run time can nest as deep as it likes, beyond
// what the parser's nesting limit sees in the text: freeing them must not
// recurse once per level (cypher/src/value.cc).
#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

#include "../engine/test_util.h"
#include "samverkan/cypher.h"

namespace samverkan {
namespace {

using cypher::PreparedQuery;
using cypher::Target;

class ValueTest : public test::DbTest {
 protected:
  // Runs `query` to its first row on a thread with a small stack (as a
  // host's worker thread may have), dropping the row there; the status.
  Status OnSmallStack(const std::string& query) {
    struct Job {
      ValueTest* self;
      std::string query;
      Status status;
    } job{this, query, Status::OK()};
    auto body = [](void* arg) -> void* {
      auto* j = static_cast<Job*>(arg);
      j->status = [&]() -> Status {
        SV_ASSIGN_OR_RETURN(auto q, PreparedQuery::Prepare(j->query));
        SV_ASSIGN_OR_RETURN(auto cursor,
                            cypher::Execute(q, Target{.view = j->self->db_.get()}, {}));
        SV_ASSIGN_OR_RETURN(bool more, cursor->Next());
        if (!more) return Status::Internal("no row");
        return Status::OK();
      }();
      return nullptr;
    };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 512 * 1024);
    pthread_t thread;
    EXPECT_EQ(pthread_create(&thread, &attr, body, &job), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    return job.status;
  }
};

TEST_F(ValueTest, ADeeplyNestedListIsFreedWithoutRecursion) {
  EXPECT_OK(OnSmallStack("RETURN size(reduce(acc = [], x IN range(1, 50000) | [acc])) AS n"));
  EXPECT_OK(OnSmallStack("RETURN size(keys(reduce(acc = {}, x IN range(1, 50000) | {a: acc, "
                         "b: [acc]}))) AS n"));
}

}  // namespace
}  // namespace samverkan
