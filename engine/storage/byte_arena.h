// Bytes copied into large blocks that never move: many small strings (a
// transaction's keys and values, a bulk load's properties) cost a few big
// allocations, not one each, and grow without a vector's doubling, which at
// its peak holds the old buffer and one twice its size.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace samverkan::storage {

class ByteArena {
 public:
  // Blocks of `block_size` bytes; a copy larger than a quarter of that gets
  // a block of its own.
  explicit ByteArena(size_t block_size = size_t{1} << 18) : block_size_(block_size) {}

  // A copy of `bytes` that lives as long as the arena (or until Clear()).
  std::string_view Copy(std::string_view bytes) {
    return {Place(bytes.data(), bytes.size(), 1), bytes.size()};
  }

  // The same for an array of trivially copyable items, aligned for them.
  template <typename T>
  std::span<const T> CopyArray(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    const char* at = Place(items.data(), items.size_bytes(), alignof(T));
    return {reinterpret_cast<const T*>(at), items.size()};
  }

  // Moves `other`'s blocks into this arena: what it copied stays where it is.
  void Append(ByteArena&& other);
  void Clear();

 private:
  const char* Place(const void* bytes, size_t size, size_t align);

  size_t block_size_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace samverkan::storage
