// Interrupt: how a caller stops a long computation.
//
// Analytics, traversals, path enumeration, layouts, imports and exports take
// a `const Interrupt&` and poll it in their loops; when it fires they stop and
// return Interrupt::Stopped() (code kInterrupted, "interrupted"):
//
//   for (uint32_t v = 0; v < n; ++v) {
//     if (interrupt.Requested()) return Interrupt::Stopped();
//     ...
//   }
//
// Requested() is cheap enough for every step of an outer loop (per node, per
// source, per iteration; not per edge): it reads an atomic flag, and on the
// thread that made the Interrupt it asks the caller's predicate at most every
// `poll` interval. The predicate runs only on that thread because what it
// reads may not be thread-safe (the SQL extension's asks its connection);
// worker threads learn the answer through the flag. A computation split
// between threads keeps its loop on the calling thread polling too, so that
// it stops within a few polls of being asked.
//
// The default-constructed Interrupt (Interrupt::Never()) has no predicate:
// only a spent memory reserve stops it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

#include "samverkan/status.h"

namespace samverkan {

class Interrupt {
 public:
  using Predicate = std::function<bool()>;

  Interrupt() = default;
  explicit Interrupt(Predicate requested,
                     std::chrono::milliseconds poll = std::chrono::milliseconds(5));
  Interrupt(const Interrupt&) = delete;
  Interrupt& operator=(const Interrupt&) = delete;

  // An Interrupt that nothing but a spent memory reserve fires, for
  // callers with nothing to stop them.
  static const Interrupt& Never();

  // True once the predicate has said stop (and for ever after), and while
  // the memory reserve is spent (samverkan/memory_reserve.h): memory ran
  // out, and a computation that goes on would run into it again. Costs a
  // read of the coarse clock (a few nanoseconds) on the owner thread, so it
  // can be asked at every step of a loop whose steps take a microsecond or
  // more; a tighter loop asks every so many steps.
  bool Requested() const;
  // The status a stopped computation returns: kInterrupted, "interrupted";
  // kOutOfMemory, "out of memory", when the memory reserve is spent.
  static Status Stopped();
  // Stopped() when Requested(), else OK: SV_RETURN_IF_ERROR(interrupt.Check()).
  Status Check() const { return Requested() ? Stopped() : Status::OK(); }

 private:
  bool Poll() const;

  Predicate requested_;
  int64_t poll_ns_ = 0;
  std::thread::id owner_;
  mutable std::atomic<bool> fired_{false};
  // Owner thread only: when the predicate was last asked, in coarse-clock
  // nanoseconds.
  mutable int64_t last_poll_ns_ = 0;
};

}  // namespace samverkan
