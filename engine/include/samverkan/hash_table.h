// HashMap and HashSet: Abseil's flat hash tables, made safe for running out
// of memory.
//
// absl::flat_hash_map and flat_hash_set are fast but not exception-safe.
// When growing throws std::bad_alloc, the table is left with a capacity its
// arrays lack (it records the new capacity before allocating), and when
// making an element throws, its slot is already marked full. Either way the
// table's destructor then frees garbage: the host process crashes where one
// statement should have failed with "out of memory".
//
// These wrappers run every operation that may allocate or make an element
// under a guard. If it throws, the table is abandoned -- its memory is
// leaked, never touched again -- and an empty table takes its place before
// the exception goes on. What the table held is lost, so an owner whose
// state lives in a table must treat the exception as the end of that state
// (a transaction that ran out of memory can only be rolled back).
// Operations that only read, erase or clear forward as they are.
//
// The template arguments after the key (and value) are Abseil's: hash,
// equality, allocator.
#pragma once

#include <new>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

namespace samverkan {
namespace hash_table_internal {

template <typename Table>
class Guarded {
 public:
  using key_type = typename Table::key_type;
  using value_type = typename Table::value_type;
  using size_type = typename Table::size_type;
  using iterator = typename Table::iterator;
  using const_iterator = typename Table::const_iterator;

  Guarded() noexcept { new (&table_) Table(); }
  Guarded(const Guarded& other) { new (&table_) Table(other.table_); }
  Guarded(Guarded&& other) noexcept { new (&table_) Table(std::move(other.table_)); }
  Guarded& operator=(const Guarded& other) {
    if (this != &other) Growing([&](Table& t) { t = other.table_; });
    return *this;
  }
  Guarded& operator=(Guarded&& other) noexcept {
    table_ = std::move(other.table_);
    return *this;
  }
  ~Guarded() { table_.~Table(); }

  iterator begin() { return table_.begin(); }
  iterator end() { return table_.end(); }
  const_iterator begin() const { return table_.begin(); }
  const_iterator end() const { return table_.end(); }
  size_type size() const { return table_.size(); }
  bool empty() const { return table_.empty(); }

  // Lookups take what the table's own do (a string_view for string keys).
  template <typename K>
  iterator find(const K& key) {
    return table_.find(key);
  }
  template <typename K>
  const_iterator find(const K& key) const {
    return table_.find(key);
  }
  template <typename K>
  bool contains(const K& key) const {
    return table_.contains(key);
  }
  template <typename K>
  size_type count(const K& key) const {
    return table_.count(key);
  }
  template <typename K>
  void prefetch(const K& key) const {
    table_.prefetch(key);
  }

  template <typename K>
  size_type erase(const K& key) {
    return table_.erase(key);
  }
  void erase(const_iterator it) { table_.erase(it); }
  void erase(iterator it) { table_.erase(it); }
  void clear() { table_.clear(); }

  template <typename... Args>
  std::pair<iterator, bool> emplace(Args&&... args) {
    return Growing([&](Table& t) { return t.emplace(std::forward<Args>(args)...); });
  }
  template <typename V>
  std::pair<iterator, bool> insert(V&& value) {
    return Growing([&](Table& t) { return t.insert(std::forward<V>(value)); });
  }
  void reserve(size_type n) {
    Growing([&](Table& t) { t.reserve(n); });
  }

 protected:
  // Runs `op` on the table; if it throws, abandons the table (see above).
  template <typename Op>
  decltype(auto) Growing(Op&& op) {
    try {
      return op(table_);
    } catch (...) {
      new (&table_) Table();  // over the broken one, which is never destroyed
      throw;
    }
  }

 private:
  // A union, so that the table's lifetime is ours to end: an abandoned one
  // is overwritten without its destructor running.
  union {
    Table table_;
  };
};

}  // namespace hash_table_internal

template <typename K, typename V, typename... Options>
class HashMap : public hash_table_internal::Guarded<absl::flat_hash_map<K, V, Options...>> {
  using Table = absl::flat_hash_map<K, V, Options...>;

 public:
  using mapped_type = V;

  // (Key defaults to K so that a braced key, {a, b}, makes a K.)
  template <typename Key = K, typename... Args>
  std::pair<typename Table::iterator, bool> try_emplace(Key&& key, Args&&... args) {
    return this->Growing([&](Table& t) {
      return t.try_emplace(std::forward<Key>(key), std::forward<Args>(args)...);
    });
  }
  template <typename Key = K>
  V& operator[](Key&& key) {
    return this->Growing([&](Table& t) -> V& { return t[std::forward<Key>(key)]; });
  }
};

template <typename K, typename... Options>
class HashSet : public hash_table_internal::Guarded<absl::flat_hash_set<K, Options...>> {};

}  // namespace samverkan
