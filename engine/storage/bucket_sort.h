// Sorting many items whose first sort key is a dense small number (a node
// index): a counting sort by that number, then a comparison sort of each
// bucket. For the bulk loader's ten million edges over a million nodes this
// is several times faster than one std::sort, and it splits between threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "samverkan/parallel.h"

namespace samverkan::storage {

// How BucketSort reads its input: in blocks of `size` items, calling
// `done(b)` once it has read items [b * size, (b + 1) * size) for the last
// time, so that a caller whose input lives in chunks can free each chunk as
// soon as its items are in the output. The default reads item by item and
// frees nothing.
template <typename Done>
struct BucketSortInput {
  uint32_t size;
  Done done;
};
inline constexpr auto kKeepInput = BucketSortInput{1, [](uint32_t) {}};

// Puts make(i) for every i in [0, n) into *out, ordered by bucket_of(i) (in
// [0, buckets)) and within a bucket by `less`, which should order the items
// of a bucket totally (ties end up in no particular order). Returns where
// each bucket starts in *out (buckets + 1 entries). Uses `threads` threads.
template <typename Vector, typename BucketOf, typename Make, typename Less,
          typename Done = decltype(kKeepInput.done)>
std::vector<uint32_t> BucketSort(uint32_t n, size_t buckets, unsigned threads, BucketOf bucket_of,
                                 Make make, Less less, Vector* out,
                                 BucketSortInput<Done> input = kKeepInput) {
  const uint32_t block = std::max<uint32_t>(input.size, 1);
  const auto blocks = static_cast<uint32_t>((uint64_t{n} + block - 1) / block);
  // The counting and the scatter split whole blocks between threads (each
  // thread takes the same blocks in both passes); the sorts of the buckets
  // split the buckets.
  const unsigned sort_threads = std::max(1u, threads);
  threads = std::max(1u, std::min<unsigned>(threads, blocks == 0 ? 1 : blocks));
  auto for_slice = [&](uint32_t b, uint32_t e, auto&& each) {
    for (uint32_t x = b; x < e; ++x) {
      const auto end = static_cast<uint32_t>(std::min<uint64_t>(n, uint64_t{x + 1} * block));
      for (uint32_t i = x * block; i < end; ++i) each(i);
    }
  };
  // Each thread counts its slice of [0, n); turning the counts into cursors
  // gives every thread its own places in each bucket, so the scatter needs
  // no locks and stays in order of i.
  std::vector<std::vector<uint32_t>> cursor(threads, std::vector<uint32_t>(buckets, 0));
  ParallelFor(blocks, threads, [&](uint32_t b, uint32_t e, unsigned t) {
    for_slice(b, e, [&](uint32_t i) { ++cursor[t][bucket_of(i)]; });
  });
  std::vector<uint32_t> start(buckets + 1, 0);
  uint32_t at = 0;
  for (size_t v = 0; v < buckets; ++v) {
    start[v] = at;
    for (unsigned t = 0; t < threads; ++t) {
      uint32_t count = cursor[t][v];
      cursor[t][v] = at;
      at += count;
    }
  }
  start[buckets] = at;
  out->resize(n);
  ParallelFor(blocks, threads, [&](uint32_t b, uint32_t e, unsigned t) {
    std::vector<uint32_t>& next = cursor[t];
    for (uint32_t x = b; x < e; ++x) {
      for_slice(x, x + 1, [&](uint32_t i) { (*out)[next[bucket_of(i)]++] = make(i); });
      input.done(x);
    }
  });
  cursor = std::vector<std::vector<uint32_t>>();
  ParallelFor(static_cast<uint32_t>(buckets), sort_threads,
              [&](uint32_t b, uint32_t e, unsigned) {
                for (uint32_t v = b; v < e; ++v) {
                  if (start[v + 1] - start[v] > 1) {
                    std::sort(out->begin() + start[v], out->begin() + start[v + 1], less);
                  }
                }
              });
  return start;
}

}  // namespace samverkan::storage
