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

// NarrowableArray: values of type Wide, held in Wide when built in this
// process, or viewed in the narrower type Narrow where a file could keep
// them so because every one fits (docs/on-disk-format.md, "Snapshot
// files"). Reading tests which width it holds: the same answer for every
// element, so a loop predicts it.
template <typename Wide, typename Narrow>
class NarrowableArray {
 public:
  NarrowableArray() = default;
  NarrowableArray(NarrowableArray&&) noexcept = default;
  NarrowableArray& operator=(NarrowableArray&&) noexcept = default;

  // Takes `values` over (in Wide).
  NarrowableArray& operator=(std::vector<Wide>&& values) {
    wide_ = std::move(values);
    narrow_ = CsrArray<Narrow>();
    return *this;
  }
  void View(const Wide* values, size_t size) {
    wide_.View(values, size);
    narrow_ = CsrArray<Narrow>();
  }
  void View(const Narrow* values, size_t size) {
    narrow_.View(values, size);
    wide_ = CsrArray<Wide>();
  }

  Wide operator[](size_t i) const { return is_narrow() ? narrow_[i] : wide_[i]; }
  Wide back() const { return (*this)[size() - 1]; }
  size_t size() const { return is_narrow() ? narrow_.size() : wide_.size(); }
  bool empty() const { return size() == 0; }
  // Bytes an element takes: sizeof(Wide), or sizeof(Narrow) for a view of
  // narrow values.
  unsigned width() const { return is_narrow() ? sizeof(Narrow) : sizeof(Wide); }
  // The elements, of their width: wide() when width() is sizeof(Wide),
  // else narrow().
  const CsrArray<Wide>& wide() const { return wide_; }
  const CsrArray<Narrow>& narrow() const { return narrow_; }
  // Appends elements [begin, end) to *out.
  void AppendTo(std::vector<Wide>* out, size_t begin, size_t end) const {
    if (is_narrow()) {
      out->insert(out->end(), narrow_.begin() + begin, narrow_.begin() + end);
    } else {
      out->insert(out->end(), wide_.begin() + begin, wide_.begin() + end);
    }
  }

  // As CsrArray's: an own vector of wide values, given up for a patch in
  // place.
  bool owned() const { return !is_narrow() && wide_.owned(); }
  std::vector<Wide> Take() { return wide_.Take(); }  // REQUIRES: owned()
  uint64_t bytes() const { return wide_.bytes() + narrow_.bytes(); }

 private:
  bool is_narrow() const { return narrow_.data() != nullptr; }

  CsrArray<Wide> wide_;
  CsrArray<Narrow> narrow_;
};

// A snapshot's node and edge ids, and strings' offsets: 4 bytes each in a
// file when every one fits.
using IdArray = NarrowableArray<uint64_t, uint32_t>;
// A snapshot's node kinds and sectors: 2 bytes each in a file when the
// graph has fewer than 65,536 of them.
using SymbolArray = NarrowableArray<uint32_t, uint16_t>;

// A list of strings packed into one buffer: string i is the bytes from
// offsets()[i] to offsets()[i + 1]. Random access, as string_views.
class StringList {
 public:
  StringList() = default;
  // Copies `strings` (std::string or std::string_view) into one block.
  template <typename Strings>
  explicit StringList(const Strings& strings) {
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
  // A view of `count` strings whose `count + 1` offsets (8 or 4 bytes
  // each) point into `bytes`.
  template <typename Offset>
  void View(const Offset* offsets, size_t count, const char* bytes, size_t bytes_size) {
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
  const IdArray& offsets() const { return offsets_; }
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
  IdArray offsets_;  // size() + 1, or empty for no strings
  CsrArray<char> bytes_;
};

}  // namespace samverkan
