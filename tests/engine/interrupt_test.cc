#include "samverkan/interrupt.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace samverkan {
namespace {

using namespace std::chrono_literals;

// Polls like a long computation would, until it fires or `limit` passes.
bool PollUntilFired(const Interrupt& interrupt, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (interrupt.Requested()) return true;
  }
  return false;
}

TEST(InterruptTest, NeverFires) {
  EXPECT_FALSE(PollUntilFired(Interrupt::Never(), 20ms));
  EXPECT_TRUE(Interrupt::Never().Check().ok());
}

TEST(InterruptTest, FiresSoonAfterThePredicateSaysStopAndStays) {
  std::atomic<bool> stop{false};
  Interrupt interrupt([&] { return stop.load(); }, 1ms);
  EXPECT_FALSE(PollUntilFired(interrupt, 10ms));
  stop = true;
  EXPECT_TRUE(PollUntilFired(interrupt, 1000ms));
  stop = false;  // once fired, it stays fired
  EXPECT_TRUE(interrupt.Requested());
  Status s = interrupt.Check();
  EXPECT_TRUE(s.IsInterrupted());
  EXPECT_EQ(s.message(), "interrupted");
}

// A coarse loop (each step a whole search, tens of milliseconds) must see
// the request at its next step, not after a fixed number of steps, also
// after a phase of quick steps.
TEST(InterruptTest, ACoarseLoopStopsAtItsNextStep) {
  std::atomic<bool> stop{false};
  Interrupt interrupt([&] { return stop.load(); }, 5ms);
  EXPECT_FALSE(PollUntilFired(interrupt, 20ms));  // quick steps first
  int steps_after = 0;
  for (int step = 0; step < 40; ++step) {
    std::this_thread::sleep_for(10ms);  // one coarse step
    if (step == 5) stop = true;
    if (interrupt.Requested()) break;
    if (stop) ++steps_after;
  }
  EXPECT_TRUE(interrupt.Requested());
  EXPECT_LE(steps_after, 1);
}

TEST(InterruptTest, ThePredicateRunsOnlyOnTheOwnerThreadAndOthersSeeTheFlag) {
  std::atomic<int> calls_elsewhere{0};
  std::atomic<bool> stop{false};
  const auto owner = std::this_thread::get_id();
  Interrupt interrupt(
      [&] {
        if (std::this_thread::get_id() != owner) ++calls_elsewhere;
        return stop.load();
      },
      1ms);
  std::atomic<bool> worker_saw_it{false};
  std::thread worker([&] { worker_saw_it = PollUntilFired(interrupt, 2000ms); });
  std::this_thread::sleep_for(5ms);
  stop = true;
  EXPECT_TRUE(PollUntilFired(interrupt, 1000ms));
  worker.join();
  EXPECT_TRUE(worker_saw_it);
  EXPECT_EQ(calls_elsewhere, 0);
}

}  // namespace
}  // namespace samverkan
