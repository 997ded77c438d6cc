// Reader: where a view's bytes come from.
//
// A DbReader reads committed data, either the latest or as of a RocksDB
// snapshot. A BatchReader reads a transaction's uncommitted writes (its
// WriteBuffer) over the committed data (read-your-writes). Everything above this layer reads
// through one of them and does not care which.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "samverkan/status.h"
#include "storage/keys.h"
#include "storage/rocks_store.h"
#include "storage/write_buffer.h"

namespace samverkan::storage {

class Reader {
 public:
  explicit Reader(const RocksStore* store) : store_(store) {}
  virtual ~Reader() = default;

  // OK and the value; NotFound when absent; another error otherwise.
  virtual rocksdb::Status Get(Cf cf, std::string_view key, std::string* value) const = 0;
  // An iterator confined to [lower, upper); `upper` empty means unbounded.
  // The bounds are copied.
  std::unique_ptr<rocksdb::Iterator> Scan(Cf cf, std::string_view lower,
                                          std::string_view upper) const;
  // Scan(cf, prefix, PrefixSuccessor(prefix)).
  std::unique_ptr<rocksdb::Iterator> ScanPrefix(Cf cf, std::string_view prefix) const;

  const RocksStore& store() const { return *store_; }
  // True when every read sees one fixed state (a RocksDB snapshot).
  bool reads_snapshot() const { return snapshot() != nullptr; }
  // True when it reads committed data only, not a transaction's pending
  // writes: the graph's counters then describe what it reads.
  virtual bool commits_only() const = 0;

 protected:
  // `options` carries the bounds; it outlives the returned iterator.
  virtual std::unique_ptr<rocksdb::Iterator> NewIterator(Cf cf,
                                                         rocksdb::ReadOptions* options) const = 0;
  virtual const rocksdb::Snapshot* snapshot() const { return nullptr; }

  const RocksStore* store_;
};

class DbReader final : public Reader {
 public:
  // `snapshot` may be null for the latest state; it is not owned.
  DbReader(const RocksStore* store, const rocksdb::Snapshot* snapshot)
      : Reader(store), snapshot_(snapshot) {}
  rocksdb::Status Get(Cf cf, std::string_view key, std::string* value) const override;
  bool commits_only() const override { return true; }

 protected:
  std::unique_ptr<rocksdb::Iterator> NewIterator(Cf cf,
                                                 rocksdb::ReadOptions* options) const override;
  const rocksdb::Snapshot* snapshot() const override { return snapshot_; }

 private:
  const rocksdb::Snapshot* snapshot_;
};

class BatchReader final : public Reader {
 public:
  // `first_new_node`: the graph's next node id when the transaction began.
  // Nodes from there on are the transaction's own, and the graph holds no
  // key that starts with their ids (their records, degrees, adjacency):
  // such keys are read from the buffer alone, which spares a bulk insert a
  // read of the graph per row.
  BatchReader(const RocksStore* store, WriteBuffer* buffer, NodeId first_new_node)
      : Reader(store), buffer_(buffer), first_new_node_(first_new_node) {}
  rocksdb::Status Get(Cf cf, std::string_view key, std::string* value) const override;
  bool commits_only() const override { return false; }

 protected:
  std::unique_ptr<rocksdb::Iterator> NewIterator(Cf cf,
                                                 rocksdb::ReadOptions* options) const override;

 private:
  WriteBuffer* buffer_;  // a scan sorts the keys it holds: not const
  NodeId first_new_node_;
};

// Reads a fixed64 meta value; 0 when absent.
Status ReadMetaCounter(const Reader& r, std::string_view key, uint64_t* value);

}  // namespace samverkan::storage
