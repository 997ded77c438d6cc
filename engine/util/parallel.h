// Work split between a few threads. The machines we run on have two cores,
// so this stays simple: plain std::threads, joined before returning.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "samverkan/status.h"

namespace samverkan {

// The number of threads to use for `work_items` items: `requested` (0: the
// hardware's), but 1 when the work is too small to pay for a thread.
inline unsigned ThreadCount(unsigned requested, uint64_t work_items) {
  unsigned n = requested == 0 ? std::max(1u, std::thread::hardware_concurrency()) : requested;
  if (work_items < 4096) n = 1;
  return std::max(1u, n);
}

// Calls fn(begin, end, slice) for `threads` contiguous slices of [0, n); the
// calling thread runs slice 0.
template <typename Fn>
void ParallelFor(uint32_t n, unsigned threads, Fn&& fn) {
  if (threads <= 1 || n < threads) {
    fn(uint32_t{0}, n, 0u);
    return;
  }
  std::vector<std::thread> workers;
  const uint64_t step = (static_cast<uint64_t>(n) + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t) {
    auto b = static_cast<uint32_t>(std::min<uint64_t>(n, step * t));
    auto e = static_cast<uint32_t>(std::min<uint64_t>(n, step * (t + 1)));
    workers.emplace_back([&fn, b, e, t] { fn(b, e, t); });
  }
  fn(uint32_t{0}, static_cast<uint32_t>(std::min<uint64_t>(n, step)), 0u);
  for (auto& w : workers) w.join();
}

// A queue of tasks run by a fixed set of threads, for work made of unequal
// steps, some of which may start only when others are done: a task may
// Run() further tasks. Tasks run in the order they were queued.
//
//   TaskGroup group(2);
//   group.Run([&] { SV_RETURN_IF_ERROR(StepA()); group.Run(StepAfterA); return Status::OK(); });
//   group.Run(StepB);
//   SV_RETURN_IF_ERROR(group.Wait());
class TaskGroup {
 public:
  explicit TaskGroup(unsigned threads);
  ~TaskGroup();  // waits, as Wait() does
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  void Run(std::function<Status()> task);
  // Blocks until every task queued so far, and every task they queued, has
  // finished; returns the first error. After an error the tasks still
  // queued are dropped, not run.
  Status Wait();

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable wake_;  // a task was queued, or the group ends
  std::condition_variable idle_;  // the last unfinished task finished
  std::deque<std::function<Status()>> queue_;
  size_t unfinished_ = 0;  // queued or running
  Status error_;
  bool ending_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace samverkan
