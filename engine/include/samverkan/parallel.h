// Work split between a few threads. The machines we run on have two cores,
// so this stays simple: plain threads, joined before returning. These two
// helpers are the only way the engine and the importers start threads.
//
// An exception thrown on a worker thread (std::bad_alloc in a big load, say)
// is carried to the calling thread and rethrown there once every thread has
// stopped, exactly as if the work had run on the calling thread: nothing
// calls std::terminate, and the host process (sqlite3, Python) gets an
// error instead of dying.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "samverkan/interrupt.h"
#include "samverkan/status.h"

namespace samverkan {

// Allocates the calling thread's C++ exception state now. It lives in
// thread-local storage that, in a library loaded at run time (the SQLite
// extension), is allocated at the thread's first throw; when that throw is
// a std::bad_alloc, the allocation fails too and the C library ends the
// process ("cannot allocate memory for thread-local data"). Called first
// by every thread we start, while there is memory, so that running out of
// memory there is an error, not the end of the host.
void AllocateExceptionState();

// The number of threads to use for `work_items` items: `requested` (0: the
// hardware's), but 1 when the work is too small to pay for a thread.
inline unsigned ThreadCount(unsigned requested, uint64_t work_items) {
  unsigned n = requested == 0 ? std::max(1u, std::thread::hardware_concurrency()) : requested;
  if (work_items < 4096) n = 1;
  return std::max(1u, n);
}

// Calls fn(begin, end, slice) for `threads` contiguous slices of [0, n); the
// calling thread runs slice 0. If any call throws, the first exception (by
// slice) is rethrown after all have finished.
template <typename Fn>
void ParallelFor(uint32_t n, unsigned threads, Fn&& fn) {
  if (threads <= 1 || n < threads) {
    fn(uint32_t{0}, n, 0u);
    return;
  }
  const uint64_t step = (static_cast<uint64_t>(n) + threads - 1) / threads;
  auto slice = [&](unsigned t) {
    return std::pair{static_cast<uint32_t>(std::min<uint64_t>(n, step * t)),
                     static_cast<uint32_t>(std::min<uint64_t>(n, step * (t + 1)))};
  };
  std::vector<std::exception_ptr> errors(threads);
  {
    // jthreads join when the block ends, also when starting one fails.
    std::vector<std::jthread> workers;
    workers.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) {
      workers.emplace_back([&fn, &errors, t, range = slice(t)] {
        AllocateExceptionState();
        try {
          fn(range.first, range.second, t);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    try {
      auto [b, e] = slice(0);
      fn(b, e, 0u);
    } catch (...) {
      errors[0] = std::current_exception();
    }
  }
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// A queue of tasks run by a fixed set of threads, for work made of unequal
// steps, some of which may start only when others are done: a task may
// Run() further tasks. Tasks run in the order they were queued.
//
//   TaskGroup group(2);
//   group.Run([&] { SV_RETURN_IF_ERROR(StepA()); group.Run(StepAfterA); return Status::OK(); });
//   group.Run(StepB);
//   SV_RETURN_IF_ERROR(group.Wait());
//
// After a task fails (an error Status, or an exception) the tasks still
// queued are dropped, not run. Wait() returns the first error; an exception
// a task threw is rethrown by Wait() on the calling thread instead.
class TaskGroup {
 public:
  explicit TaskGroup(unsigned threads);
  ~TaskGroup();  // waits for the tasks, as Wait() does, but never throws
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  void Run(std::function<Status()> task);
  // Blocks until every task queued so far, and every task they queued, has
  // finished; returns the first error, or rethrows the first exception.
  // While it waits it polls `interrupt`; once that fires, the tasks still
  // queued are dropped, the running ones finish, and Wait() returns
  // Interrupt::Stopped().
  Status Wait(const Interrupt& interrupt = Interrupt::Never());

 private:
  void Work();
  void WaitIdle();

  std::mutex mu_;
  std::condition_variable wake_;  // a task was queued, or the group ends
  std::condition_variable idle_;  // the last unfinished task finished
  std::deque<std::function<Status()>> queue_;
  size_t unfinished_ = 0;  // queued or running
  Status error_;
  std::exception_ptr exception_;
  bool ending_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace samverkan
