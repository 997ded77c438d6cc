// Splitting a loop over nodes between a few threads. The machines we run on
// have two cores, so this stays simple: one std::thread per slice, joined
// before returning.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace samverkan::analytics {

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

// Numbers labels 0.. in the order of their first appearance in `label`
// (so by smallest member index); returns the count of each.
inline std::vector<uint32_t> Renumber(std::vector<uint32_t>* label) {
  std::vector<uint32_t> map(label->size(), UINT32_MAX);
  std::vector<uint32_t> size;
  for (uint32_t& l : *label) {
    if (map[l] == UINT32_MAX) {
      map[l] = static_cast<uint32_t>(size.size());
      size.push_back(0);
    }
    l = map[l];
    ++size[l];
  }
  return size;
}

}  // namespace samverkan::analytics
