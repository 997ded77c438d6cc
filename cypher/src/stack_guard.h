// CheckStack: a clean error, not a crash, when a query's nesting would take
// more stack than the thread running it has.
//
// The parser keeps queries within kMaxNesting levels, which a release build
// runs in about 2 MiB of stack. A host may run queries on a thread with less
// (or a sanitizer may make each frame several times larger), so the deepest
// recursions (parsing, checking and evaluating expressions) also ask, at
// each level, whether the stack still has a reserve left for what runs
// below them (reading the graph, printing, freeing), and stop the query
// with NestingTooDeep when it does not.
#pragma once

#include <pthread.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.h"

namespace samverkan::cypher {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr size_t kStackReserve = 512 * 1024;  // ASan's frames are several times larger
#else
inline constexpr size_t kStackReserve = 256 * 1024;
#endif

// The address below which this thread's stack has less than its reserve
// left (half the stack, for a small one); 0 when the stack is unknown.
inline uintptr_t StackFloor() {
  thread_local const uintptr_t floor = [] {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return uintptr_t{0};
    void* low = nullptr;
    size_t size = 0;
    const bool known = pthread_attr_getstack(&attr, &low, &size) == 0;
    pthread_attr_destroy(&attr);
    if (!known || low == nullptr) return uintptr_t{0};
    return reinterpret_cast<uintptr_t>(low) + std::min(kStackReserve, size / 2);
  }();
  return floor;
}

// Throws NestingTooDeep, at byte `pos` of the query, when the stack is down
// to its reserve.
inline void CheckStack(size_t pos) {
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < StackFloor()) {
    throw CypherError("SyntaxError", "NestingTooDeep",
                      "the query nests too deeply for the stack of the thread that runs it", pos);
  }
}

}  // namespace samverkan::cypher
