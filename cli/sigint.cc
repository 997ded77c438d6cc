#include "sigint.h"

#include <atomic>
#include <csignal>
#include <cstdlib>

namespace samverkan::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void OnSigint(int) {
  if (interrupted.exchange(true)) std::_Exit(130);
}

}  // namespace

const Interrupt& SigintInterrupt() {
  [[maybe_unused]] static const bool installed = (std::signal(SIGINT, OnSigint), true);
  static const Interrupt interrupt([] { return interrupted.load(); });
  return interrupt;
}

}  // namespace samverkan::cli
