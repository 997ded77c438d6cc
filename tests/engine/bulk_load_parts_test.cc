// The bulk loader's building blocks (engine/storage): BucketSort reading
// its input block by block and letting the caller free each block, the
// chunked array the edges are added to, and the arena their properties are
// copied into. A bulk load of ten million edges is too big for a unit test
// to run on several threads block by block; these run the same code small.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "storage/bucket_sort.h"
#include "storage/byte_arena.h"
#include "storage/chunked_array.h"

namespace samverkan::storage {
namespace {

struct Item {
  uint32_t bucket, key, index;
  bool operator==(const Item&) const = default;
};

// Every (block size, thread count) the loader could meet, against a stable
// sort of the same items: blocks that do not divide the input, more threads
// than blocks, one item per block.
TEST(BucketSortTest, ReadsBlockByBlockAndFreesEachBlockOnceRead) {
  std::mt19937 rng(3);
  const uint32_t n = 1000, buckets = 37;
  std::vector<Item> input(n);
  for (uint32_t i = 0; i < n; ++i) {
    input[i] = {static_cast<uint32_t>(rng() % buckets), static_cast<uint32_t>(rng() % 5), i};
  }
  std::vector<Item> want = input;
  std::stable_sort(want.begin(), want.end(), [](const Item& a, const Item& b) {
    return std::tie(a.bucket, a.key) < std::tie(b.bucket, b.key);
  });
  for (uint32_t block : {1u, 7u, 64u, 999u, 1000u, 4096u}) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", threads " + std::to_string(threads));
      const uint32_t blocks = (n + block - 1) / block;
      std::vector<int> freed(blocks, 0);
      std::vector<Item> out;
      auto start = BucketSort(
          n, buckets, threads, [&](uint32_t i) { return input[i].bucket; },
          [&](uint32_t i) {
            // Never an item of a block already handed back.
            EXPECT_EQ(freed[i / block], 0) << "item " << i;
            return input[i];
          },
          [](const Item& a, const Item& b) {
            return std::tie(a.key, a.index) < std::tie(b.key, b.index);
          },
          &out, BucketSortInput{block, [&](uint32_t b) { ++freed[b]; }});
      EXPECT_EQ(out, want);
      EXPECT_EQ(freed, std::vector<int>(blocks, 1));
      ASSERT_EQ(start.size(), buckets + 1);
      for (uint32_t v = 0; v < buckets; ++v) {
        for (uint32_t i = start[v]; i < start[v + 1]; ++i) EXPECT_EQ(out[i].bucket, v);
      }
      EXPECT_EQ(start[buckets], n);
    }
  }
}

TEST(ChunkedArrayTest, AppendsByChunksOrByItemsAndReleasesChunks) {
  using Array = ChunkedArray<uint64_t, 3>;  // chunks of 8
  for (size_t first : {0u, 8u, 5u}) {
    for (size_t second : {0u, 3u, 8u, 21u}) {
      Array a, b;
      for (size_t i = 0; i < first; ++i) a.push_back(i);
      for (size_t i = 0; i < second; ++i) b.push_back(100 + i);
      a.Append(std::move(b));
      ASSERT_EQ(a.size(), first + second);
      EXPECT_TRUE(b.empty());
      for (size_t i = 0; i < first; ++i) EXPECT_EQ(a[i], i);
      for (size_t i = 0; i < second; ++i) EXPECT_EQ(a[first + i], 100 + i);
      EXPECT_EQ(a.chunk_count(), (a.size() + Array::kChunkSize - 1) / Array::kChunkSize);
    }
  }
  Array c;
  for (uint64_t i = 0; i < 20; ++i) c.push_back(i);
  c.ReleaseChunk(0);
  EXPECT_EQ(c[8], 8u);  // the other chunks stay
  EXPECT_EQ(c[19], 19u);
}

TEST(ByteArenaTest, CopiesStayPutAndArraysAreAligned) {
  ByteArena arena(64);
  std::vector<std::pair<std::string_view, std::string>> strings;
  std::vector<std::pair<std::span<const uint64_t>, std::vector<uint64_t>>> arrays;
  for (int i = 0; i < 200; ++i) {
    std::string s(static_cast<size_t>(i % 23), static_cast<char>('a' + i % 26));
    strings.emplace_back(arena.Copy(s), s);
    std::vector<uint64_t> v(static_cast<size_t>(i % 5), static_cast<uint64_t>(i));
    auto copy = arena.CopyArray(std::span<const uint64_t>(v));
    EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.data()) % alignof(uint64_t), 0u) << i;
    arrays.emplace_back(copy, v);
  }
  ByteArena other(64);
  std::string_view moved = other.Copy("kept across Append");
  arena.Append(std::move(other));
  for (const auto& [copy, want] : strings) EXPECT_EQ(copy, want);
  for (const auto& [copy, want] : arrays) {
    EXPECT_EQ(std::vector<uint64_t>(copy.begin(), copy.end()), want);
  }
  EXPECT_EQ(moved, "kept across Append");
}

}  // namespace
}  // namespace samverkan::storage
