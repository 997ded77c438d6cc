// WriteBuffer: a transaction's writes, held in memory until it commits.
//
// RocksDB's WriteBatchWithIndex keeps a skip list of every key written and
// searches it at every write (to overwrite) and every read; in a transaction
// of 100k edges that search was two thirds of the time. This buffer is an
// append-only log of writes with a hash index from (family, key) to the
// latest write of that key:
//
//   * a write appends to the log and updates the index;
//   * a point read is one hash lookup, and falls through to the graph;
//   * undoing to a mark (a savepoint, or a write that failed) pops the log
//     back, restoring each key's earlier write from the log;
//   * a scan needs the keys in order: they are sorted only when a scan asks,
//     into sorted runs merged as they grow (as an LSM tree merges its files),
//     so that scanning after every write costs O(log n) per key in all, not
//     a sort per scan;
//   * at prepare or commit the latest write of each key becomes one RocksDB
//     WriteBatch, in key order (which the memtable inserts fastest).
//
// Scans that are open while the buffer takes more writes stay valid: they
// see the keys written before they began (with the latest values) and may or
// may not see later ones. Keys and values live in an arena that is freed
// only by Clear(), so what a scan points at never moves.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "samverkan/hash_table.h"
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include "storage/byte_arena.h"
#include "storage/chunked_array.h"
#include "storage/keys.h"

namespace samverkan::storage {

class RocksStore;

class WriteBuffer {
 public:
  WriteBuffer() = default;
  WriteBuffer(const WriteBuffer&) = delete;
  WriteBuffer& operator=(const WriteBuffer&) = delete;

  void Put(Cf cf, std::string_view key, std::string_view value);
  void Delete(Cf cf, std::string_view key);

  // What the buffer holds for a key: nothing (read the graph), a value (in
  // *value, valid until Clear), or a deletion.
  enum class Found { kNothing, kValue, kDeleted };
  Found Get(Cf cf, std::string_view key, std::string_view* value) const;

  // The number of writes so far; RollbackTo(mark) undoes those after it.
  using Mark = size_t;
  Mark mark() const { return log_.size(); }
  void RollbackTo(Mark mark);
  // Forgets every write and frees the memory (no scan may be open).
  void Clear();
  bool empty() const { return log_.empty(); }

  // The latest write of every key, ordered by family and key.
  rocksdb::WriteBatch ToBatch(const RocksStore& store) const;

  // How many keys of `cf` the buffer writes, and each one's latest write,
  // in no order: fn(key, value) with value null for a deletion.
  size_t written_keys(Cf cf) const { return families_[cf].latest.size(); }
  template <typename Fn>
  void ForEachLatest(Cf cf, Fn fn) const {
    for (const auto& [key, index] : families_[cf].latest) {
      const Write& w = log_[index];
      fn(key, w.deleted ? nullptr : &w.value);
    }
  }

  // An iterator over `base` (the graph's committed keys of `cf`, already
  // confined to [lower, upper)) with this buffer's writes laid over it:
  // written keys with their latest values, deleted keys gone. Forward only
  // (Seek, SeekToFirst, Next); `lower` and `upper` (null: unbounded) must
  // outlive it.
  std::unique_ptr<rocksdb::Iterator> NewIterator(Cf cf, std::unique_ptr<rocksdb::Iterator> base,
                                                 const rocksdb::Slice* lower,
                                                 const rocksdb::Slice* upper);

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Write {
    std::string_view key;    // in the arena
    std::string_view value;  // in the arena; empty for a deletion
    uint32_t previous;       // the earlier write of this key in log_, or kNone
    Cf cf;
    bool deleted;
  };
  // Sorted, distinct keys; shared with the scans that read them.
  using Run = std::vector<std::string_view>;
  struct Family {
    HashMap<std::string_view, uint32_t> latest;  // key -> log_ index
    std::vector<std::string_view> unsorted;  // keys new to `latest` since the last scan
    std::vector<std::shared_ptr<const Run>> runs;  // sizes decreasing geometrically
  };
  class Merged;

  void Add(Cf cf, std::string_view key, std::string_view value, bool deleted);
  // Sorts the family's new keys into a run, merging runs that grew alike.
  void SortNewKeys(Family& family);

  ByteArena arena_;
  ChunkedArray<Write, 14> log_;  // appending never moves what is there
  std::array<Family, kCfCount> families_;
};

}  // namespace samverkan::storage
