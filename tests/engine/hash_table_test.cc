// HashMap and HashSet when memory runs out: the table that threw is left
// for an empty one, which works, and nothing frees what it should not.
// (Abseil's own tables, in the same spots, read past their arrays and free
// garbage: AddressSanitizer reports it, and a normal build may crash.)
#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "samverkan/hash_table.h"

namespace samverkan {
namespace {

// Allocations left before the next throws std::bad_alloc; < 0: no limit.
long allocations_left = -1;

// std::allocator, failing on command.
template <typename T>
struct FailingAllocator {
  using value_type = T;
  FailingAllocator() = default;
  template <typename U>
  FailingAllocator(const FailingAllocator<U>&) {}  // NOLINT: rebinding
  T* allocate(size_t n) {
    if (allocations_left == 0) throw std::bad_alloc();
    if (allocations_left > 0) --allocations_left;
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) { std::allocator<T>().deallocate(p, n); }
  friend bool operator==(const FailingAllocator&, const FailingAllocator&) { return true; }
};

using Hash = absl::Hash<int>;
using Eq = std::equal_to<int>;
using Map = HashMap<int, std::string, Hash, Eq,
                    FailingAllocator<std::pair<const int, std::string>>>;
using Set = HashSet<int, Hash, Eq, FailingAllocator<int>>;

class HashTableTest : public ::testing::Test {
 protected:
  void TearDown() override { allocations_left = -1; }
};

TEST_F(HashTableTest, AMapThatCannotGrowIsLeftEmptyAndWorks) {
  Map map;
  for (int i = 0; i < 100; ++i) map[i] = "v" + std::to_string(i);
  allocations_left = 0;
  // Keys up to the next growth fit; the growth throws.
  EXPECT_THROW(
      for (int i = 100; i < 100000; ++i) map.try_emplace(i, "w"), std::bad_alloc);
  EXPECT_TRUE(map.empty());
  allocations_left = -1;
  map.try_emplace(7, "seven");
  map[8] = "eight";
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.find(7)->second, "seven");
  EXPECT_TRUE(map.contains(8));
  EXPECT_FALSE(map.contains(9));
}

TEST_F(HashTableTest, ReserveThatThrowsLeavesAnEmptyTable) {
  Set set;
  allocations_left = 0;
  EXPECT_THROW(set.reserve(1000), std::bad_alloc);
  EXPECT_TRUE(set.empty());
  allocations_left = -1;
  for (int i = 0; i < 1000; ++i) set.insert(i);
  EXPECT_EQ(set.size(), 1000u);
}

// A value whose making throws: Abseil has marked its slot full by then.
struct Fussy {
  explicit Fussy(int v) : value(v) {
    if (v < 0) throw std::invalid_argument("negative");
  }
  int value;
  std::unique_ptr<int> owned = std::make_unique<int>(1);  // freed by the destructor
};

TEST_F(HashTableTest, AValueThatThrowsWhileMadeLeavesAnEmptyTable) {
  HashMap<int, Fussy> map;
  for (int i = 0; i < 10; ++i) map.try_emplace(i, i);
  EXPECT_THROW(map.try_emplace(10, -1), std::invalid_argument);
  EXPECT_TRUE(map.empty());
  map.try_emplace(3, 3);
  EXPECT_EQ(map.find(3)->second.value, 3);
}

TEST_F(HashTableTest, LookupsTakeAStringView) {
  HashMap<std::string, int> map;
  map.try_emplace("ett", 1);
  map["två"] = 2;
  EXPECT_EQ(map.find(absl::string_view("ett"))->second, 1);
  EXPECT_TRUE(map.contains(absl::string_view("två")));
  EXPECT_EQ(map.erase(std::string("ett")), 1u);
  EXPECT_EQ(map.size(), 1u);
}

TEST_F(HashTableTest, CopiesAndMovesKeepTheEntries) {
  HashSet<int> a;
  for (int i = 0; i < 50; ++i) a.insert(i);
  HashSet<int> b = a;
  HashSet<int> c = std::move(a);
  EXPECT_EQ(b.size(), 50u);
  EXPECT_EQ(c.size(), 50u);
  a = b;  // a moved-from table takes a copy
  EXPECT_EQ(a.size(), 50u);
  int sum = 0;
  for (int v : c) sum += v;
  EXPECT_EQ(sum, 49 * 50 / 2);
}

}  // namespace
}  // namespace samverkan
