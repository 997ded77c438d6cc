// ParallelFor and TaskGroup carry a worker thread's exception to the caller.
#include "samverkan/parallel.h"

#include <atomic>
#include <new>
#include <stdexcept>

#include <gtest/gtest.h>

#include "samverkan/ignore_error.h"

namespace samverkan {
namespace {

TEST(ParallelForTest, CoversEverySliceOnce) {
  std::vector<std::atomic<int>> hits(10000);
  ParallelFor(10000, 3, [&](uint32_t b, uint32_t e, unsigned) {
    for (uint32_t i = b; i < e; ++i) ++hits[i];
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ParallelForTest, AWorkersExceptionReachesTheCallerAfterAllFinish) {
  std::atomic<int> finished{0};
  EXPECT_THROW(ParallelFor(100, 4,
                           [&](uint32_t, uint32_t, unsigned t) {
                             if (t == 2) throw std::bad_alloc();
                             ++finished;
                           }),
               std::bad_alloc);
  EXPECT_EQ(finished.load(), 3);  // the other slices ran to the end
}

TEST(ParallelForTest, TheCallersOwnSliceMayThrowToo) {
  std::atomic<int> finished{0};
  EXPECT_THROW(ParallelFor(100, 2,
                           [&](uint32_t, uint32_t, unsigned t) {
                             if (t == 0) throw std::runtime_error("slice 0");
                             ++finished;
                           }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 1);
}

TEST(TaskGroupTest, AnExceptionIsRethrownByWaitAndLaterTasksAreDropped) {
  TaskGroup group(2);
  std::atomic<int> ran{0};
  group.Run([&]() -> Status { throw std::bad_alloc(); });
  EXPECT_THROW(IgnoreError(group.Wait()), std::bad_alloc);
  // Once rethrown, the group is usable again... but a failed group drops
  // what was queued while it failed: here nothing was.
  group.Run([&] {
    ++ran;
    return Status::OK();
  });
  Status s = group.Wait();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ran.load(), 1);
}

TEST(TaskGroupTest, AnErrorStatusStopsTheQueue) {
  TaskGroup group(1);
  std::atomic<int> ran{0};
  group.Run([&] { return Status::IOError("disk full"); });
  for (int i = 0; i < 10; ++i) {
    group.Run([&] {
      ++ran;
      return Status::OK();
    });
  }
  Status s = group.Wait();
  EXPECT_EQ(s.message(), "disk full");
  EXPECT_EQ(ran.load(), 0);
}

TEST(TaskGroupTest, DestroyingAGroupWhoseTaskThrewDoesNotTerminate) {
  {
    TaskGroup group(2);
    group.Run([]() -> Status { throw std::runtime_error("lost"); });
  }  // the destructor waits and swallows
  SUCCEED();
}

}  // namespace
}  // namespace samverkan
