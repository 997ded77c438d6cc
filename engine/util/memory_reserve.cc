#include "samverkan/memory_reserve.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

namespace samverkan {
namespace {

// The reserve, from malloc, not operator new: it must not go through the
// handler it feeds. Blocks this large are mmapped by glibc, so free() gives
// the address space back at once (what a `ulimit -v` counts), and an
// untouched reserve takes no physical memory. Spent: installed, and null.
std::atomic<void*> g_reserve{nullptr};
std::atomic<bool> g_installed{false};
size_t g_bytes = 0;                    // set once, before the handler is installed
std::new_handler g_previous = nullptr;  // the host's, if it had one

void SpendReserve() {
  if (void* block = g_reserve.exchange(nullptr, std::memory_order_acq_rel)) {
    std::free(block);
    return;  // operator new retries
  }
  if (g_previous != nullptr) return g_previous();
  throw std::bad_alloc();
}

}  // namespace

void InstallMemoryReserve(size_t bytes) {
  static std::once_flag once;
  std::call_once(once, [bytes] {
    g_bytes = bytes;
    g_reserve.store(std::malloc(bytes), std::memory_order_release);
    g_previous = std::set_new_handler(&SpendReserve);
    g_installed.store(true, std::memory_order_release);
  });
}

bool MemoryReserveSpent() {
  return g_reserve.load(std::memory_order_relaxed) == nullptr &&
         g_installed.load(std::memory_order_relaxed);
}

bool MemoryIsShort(uint32_t* calls) {
  if (!g_installed.load(std::memory_order_relaxed)) return false;
  if (MemoryReserveSpent()) return true;
  if ((++*calls & 255) != 0) return false;
  try {
    ::operator delete(::operator new(kMemoryHeadroomBytes));
  } catch (const std::bad_alloc&) {
    return true;  // the reserve was spent, and the host's handler gave up
  }
  return MemoryReserveSpent();
}

bool MemoryIsShort() {
  // Not thread_local: in a library loaded at run time that is allocated at a
  // thread's first use, which may be when memory is short. Point reads share
  // this count; a lost increment between threads only delays a probe.
  static std::atomic<uint32_t> shared{0};
  uint32_t calls = shared.load(std::memory_order_relaxed);
  const bool is_short = MemoryIsShort(&calls);
  shared.store(calls, std::memory_order_relaxed);
  return is_short;
}

bool RefillMemoryReserve() {
  if (!MemoryReserveSpent()) return true;
  void* block = std::malloc(g_bytes);
  if (block == nullptr) return false;
  void* expected = nullptr;
  if (!g_reserve.compare_exchange_strong(expected, block, std::memory_order_acq_rel)) {
    std::free(block);  // another thread refilled it first
  }
  return true;
}

}  // namespace samverkan
