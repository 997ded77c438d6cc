#include "storage/byte_arena.h"

#include <cstdint>
#include <cstring>

namespace samverkan::storage {

const char* ByteArena::Place(const void* bytes, size_t size, size_t align) {
  if (size == 0) return nullptr;
  // Blocks come from operator new[], aligned for any fundamental type.
  const size_t pad = (align - reinterpret_cast<uintptr_t>(next_) % align) % align;
  if (size + pad > left_) {
    // A value larger than a quarter block gets a block of its own; the
    // current block stays in use for the small ones that follow.
    if (size > block_size_ / 4) {
      blocks_.emplace_back(new char[size]);
      std::memcpy(blocks_.back().get(), bytes, size);
      return blocks_.back().get();
    }
    blocks_.emplace_back(new char[block_size_]);
    next_ = blocks_.back().get();
    left_ = block_size_;
  } else {
    next_ += pad;
    left_ -= pad;
  }
  char* at = next_;
  std::memcpy(at, bytes, size);
  next_ += size;
  left_ -= size;
  return at;
}

void ByteArena::Append(ByteArena&& other) {
  for (auto& block : other.blocks_) blocks_.push_back(std::move(block));
  other.Clear();
}

void ByteArena::Clear() {
  blocks_.clear();
  next_ = nullptr;
  left_ = 0;
}

}  // namespace samverkan::storage
