#include "samverkan/interrupt.h"

#include <time.h>

#include "samverkan/memory_reserve.h"

namespace samverkan {

namespace {

// CLOCK_MONOTONIC_COARSE is read from the vDSO in about 8 ns here (the
// precise clock takes 23); its resolution of a few milliseconds is all a
// poll period needs.
int64_t CoarseNowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

Interrupt::Interrupt(Predicate requested, std::chrono::milliseconds poll)
    : requested_(std::move(requested)),
      poll_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(poll).count()),
      owner_(std::this_thread::get_id()),
      last_poll_ns_(CoarseNowNs()) {}

Status Interrupt::Stopped() {
  return MemoryReserveSpent() ? Status::OutOfMemory("out of memory")
                              : Status::Interrupted("interrupted");
}

const Interrupt& Interrupt::Never() {
  static const Interrupt never;
  return never;
}

bool Interrupt::Requested() const {
  if (fired_.load(std::memory_order_relaxed) || MemoryReserveSpent()) return true;
  if (!requested_ || std::this_thread::get_id() != owner_) return false;
  return Poll();
}

bool Interrupt::Poll() const {
  // The clock is read at every call, not every so many calls: a loop whose
  // steps are whole searches (betweenness) must see a request at its next
  // step.
  const int64_t now = CoarseNowNs();
  if (now - last_poll_ns_ < poll_ns_) return false;
  last_poll_ns_ = now;
  if (!requested_()) return false;
  fired_.store(true, std::memory_order_relaxed);
  return true;
}

}  // namespace samverkan
