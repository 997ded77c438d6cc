#include "samverkan/interrupt.h"

namespace samverkan {

Interrupt::Interrupt(Predicate requested, std::chrono::milliseconds poll)
    : requested_(std::move(requested)),
      poll_(poll),
      owner_(std::this_thread::get_id()),
      last_poll_(std::chrono::steady_clock::now()) {}

const Interrupt& Interrupt::Never() {
  static const Interrupt never;
  return never;
}

bool Interrupt::Requested() const {
  if (fired_.load(std::memory_order_relaxed)) return true;
  if (!requested_ || std::this_thread::get_id() != owner_) return false;
  return Poll();
}

bool Interrupt::Poll() const {
  // Reading the clock costs tens of nanoseconds; read it every few calls so
  // that polling per step of a tight outer loop stays free.
  if ((++calls_ & 15) != 0) return false;
  auto now = std::chrono::steady_clock::now();
  if (now - last_poll_ < poll_) return false;
  last_poll_ = now;
  if (!requested_()) return false;
  fired_.store(true, std::memory_order_relaxed);
  return true;
}

}  // namespace samverkan
