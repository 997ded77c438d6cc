// An array that grows in fixed chunks, for the bulk loader's edges as they
// are added and a transaction's log of writes: appending never moves what
// is already there (a vector's doubling copied hundreds of megabytes), and
// appending one whole array to another that ends on a chunk boundary moves
// chunks, not items.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace samverkan::storage {

template <typename T, unsigned kChunkBits = 16>
class ChunkedArray {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & kMask]; }
  const T& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & kMask]; }

  void push_back(const T& item) {
    // Items are written before they are read: no need to zero a chunk.
    if ((size_ >> kChunkBits) == chunks_.size()) chunks_.emplace_back(new T[kChunk]);
    (*this)[size_++] = item;
  }

  T& back() { return (*this)[size_ - 1]; }
  // Drops the last item (its chunk stays allocated for the next push_back).
  void pop_back() { --size_; }

  // For a reader that goes through the array once, in order: the chunks,
  // each of kChunkSize items (the last may be shorter), and freeing one
  // once read. Items of a released chunk must not be touched again.
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  size_t chunk_count() const { return chunks_.size(); }
  void ReleaseChunk(size_t c) { chunks_[c].reset(); }

  // Moves all of `other` onto the end of this one.
  void Append(ChunkedArray&& other) {
    if ((size_ & kMask) == 0) {
      for (auto& chunk : other.chunks_) chunks_.push_back(std::move(chunk));
      size_ += other.size_;
    } else {
      // Item by item, freeing each of other's chunks once copied.
      for (size_t c = 0; c < other.chunks_.size(); ++c) {
        const size_t end = std::min(other.size_, (c + 1) * kChunk);
        for (size_t i = c * kChunk; i < end; ++i) push_back(other[i]);
        other.chunks_[c].reset();
      }
    }
    other = ChunkedArray();
  }

 private:
  static constexpr size_t kChunk = size_t{1} << kChunkBits, kMask = kChunk - 1;
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace samverkan::storage
