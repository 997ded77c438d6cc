// CsrArray and StringList: the read-only arrays of a CSR snapshot and its
// property columns, each either its own memory (built in this process) or a
// view into a snapshot file that its owner keeps mapped (CsrGraph::Map).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace samverkan {

// One array: its own vector or a view. Read-only once made; not copied (a
// copy of a view would outlive nothing, but a copy of a big array is a
// mistake). Moving keeps the values where they are (a vector's buffer moves
// with it), so a moved array stays valid.
template <typename T>
class CsrArray {
 public:
  CsrArray() = default;
  CsrArray(const CsrArray&) = delete;
  CsrArray& operator=(const CsrArray&) = delete;
  CsrArray(CsrArray&& other) noexcept { *this = std::move(other); }
  CsrArray& operator=(CsrArray&& other) noexcept {
    const bool own = other.data_ == other.owned_.data() && !other.owned_.empty();
    owned_ = std::move(other.owned_);
    data_ = own ? owned_.data() : other.data_;
    size_ = other.size_;
    other.owned_ = {};
    other.data_ = nullptr;
    other.size_ = 0;
    return *this;
  }

  // Takes `values` over.
  CsrArray& operator=(std::vector<T>&& values) {
    owned_ = std::move(values);
    data_ = owned_.data();
    size_ = owned_.size();
    return *this;
  }
  // Points at `size` values kept alive by the owner of this array.
  void View(const T* data, size_t size) {
    owned_ = {};
    data_ = data;
    size_ = size;
  }

  // True when the values are this array's own vector, not a view.
  bool owned() const { return data_ == owned_.data(); }
  // Gives up the own vector, leaving the array empty; a patch edits it in
  // place (CsrGraph::Patched) and hands it back with operator=.
  // REQUIRES: owned().
  std::vector<T> Take() {
    std::vector<T> values = std::move(owned_);
    owned_ = {};
    data_ = nullptr;
    size_ = 0;
    return values;
  }

  const T& operator[](size_t i) const { return data_[i]; }
  const T* data() const { return data_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& back() const { return data_[size_ - 1]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Bytes of memory it takes (mapped ones: the pages they may occupy).
  uint64_t bytes() const { return (owned_.empty() ? size_ : owned_.capacity()) * sizeof(T); }

 private:
  std::vector<T> owned_;
  const T* data_ = nullptr;
  size_t size_ = 0;
};

// A list of strings packed into one buffer: string i is the bytes from
// offsets()[i] to offsets()[i + 1]. Random access, as string_views.
class StringList {
 public:
  StringList() = default;
  explicit StringList(const std::vector<std::string>& strings) {
    std::vector<uint64_t> offsets;
    offsets.reserve(strings.size() + 1);
    std::vector<char> bytes;
    uint64_t total = 0;
    for (const auto& s : strings) total += s.size();
    bytes.reserve(total);
    offsets.push_back(0);
    for (const auto& s : strings) {
      bytes.insert(bytes.end(), s.begin(), s.end());
      offsets.push_back(bytes.size());
    }
    offsets_ = std::move(offsets);
    bytes_ = std::move(bytes);
  }
  // A view of `count` strings whose `count + 1` offsets point into `bytes`.
  void View(const uint64_t* offsets, size_t count, const char* bytes, size_t bytes_size) {
    offsets_.View(offsets, count + 1);
    bytes_.View(bytes, bytes_size);
  }

  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  bool empty() const { return size() == 0; }
  std::string_view operator[](size_t i) const {
    return {bytes_.data() + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }

  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using reference = std::string_view;
    struct pointer {
      std::string_view s;
      const std::string_view* operator->() const { return &s; }
    };
    iterator() = default;
    iterator(const StringList* list, size_t i) : list_(list), i_(i) {}
    std::string_view operator*() const { return (*list_)[i_]; }
    pointer operator->() const { return {**this}; }
    std::string_view operator[](difference_type n) const { return (*list_)[i_ + n]; }
    iterator& operator++() { ++i_; return *this; }
    iterator operator++(int) { iterator t = *this; ++i_; return t; }
    iterator& operator--() { --i_; return *this; }
    iterator operator--(int) { iterator t = *this; --i_; return t; }
    iterator& operator+=(difference_type n) { i_ += n; return *this; }
    iterator& operator-=(difference_type n) { i_ -= n; return *this; }
    friend iterator operator+(iterator it, difference_type n) { return it += n; }
    friend iterator operator+(difference_type n, iterator it) { return it += n; }
    friend iterator operator-(iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const iterator& a, const iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const iterator& a, const iterator& b) { return a.i_ <=> b.i_; }

   private:
    const StringList* list_ = nullptr;
    size_t i_ = 0;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  // The arrays, as a snapshot file holds them.
  const CsrArray<uint64_t>& offsets() const { return offsets_; }
  const CsrArray<char>& bytes() const { return bytes_; }
  uint64_t memory_bytes() const { return offsets_.bytes() + bytes_.bytes(); }

  friend bool operator==(const StringList& a, const StringList& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  friend bool operator==(const StringList& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

 private:
  CsrArray<uint64_t> offsets_;  // size() + 1, or empty for no strings
  CsrArray<char> bytes_;
};

}  // namespace samverkan
