#include "storage/reader.h"

#include <new>
#include <utility>

#include <fmt/format.h>

#include "samverkan/memory_reserve.h"
#include "storage/coding.h"

namespace samverkan::storage {
namespace {

// RocksDB is not exception-safe, and some of its mallocs are not checked: an
// allocation that fails inside it can end the process. While memory is short
// (the reserve is spent, or a periodic probe finds no headroom beyond it), a
// read fails here instead, before it enters RocksDB, as an allocation of ours
// would (samverkan/memory_reserve.h, MemoryIsShort).
void RefuseWhileMemoryIsShort() {
  if (MemoryIsShort()) throw std::bad_alloc();
}
// The same, counting the calls between probes in `*calls`: an iterator's
// own count, so that threads stepping their own iterators share no counter.
void RefuseWhileMemoryIsShort(uint32_t* calls) {
  if (MemoryIsShort(calls)) throw std::bad_alloc();
}

// Passes every call on to the iterator it wraps.
class ForwardingIterator : public rocksdb::Iterator {
 public:
  bool Valid() const override { return inner_->Valid(); }
  void SeekToFirst() override { inner_->SeekToFirst(); }
  void SeekToLast() override { inner_->SeekToLast(); }
  void Seek(const rocksdb::Slice& target) override { inner_->Seek(target); }
  void SeekForPrev(const rocksdb::Slice& target) override { inner_->SeekForPrev(target); }
  void Next() override { inner_->Next(); }
  void Prev() override { inner_->Prev(); }
  rocksdb::Slice key() const override { return inner_->key(); }
  rocksdb::Slice value() const override { return inner_->value(); }
  rocksdb::Status status() const override { return inner_->status(); }

 protected:
  std::unique_ptr<rocksdb::Iterator> inner_;
};

// Owns the bounds and options that a RocksDB iterator points into.
class BoundedIterator final : public ForwardingIterator {
 public:
  BoundedIterator(std::string lower, std::string upper)
      : lower_(std::move(lower)), upper_(std::move(upper)), lower_slice_(lower_),
        upper_slice_(upper_) {}
  ~BoundedIterator() override { inner_.reset(); }  // before the bounds it points into

  rocksdb::ReadOptions* options() {
    options_.iterate_lower_bound = &lower_slice_;
    if (!upper_.empty()) options_.iterate_upper_bound = &upper_slice_;
    return &options_;
  }
  void Wrap(std::unique_ptr<rocksdb::Iterator> inner) { inner_ = std::move(inner); }

  bool Valid() const override {
    // A batch iterator may not honour the bounds; enforce them here.
    return inner_->Valid() && (upper_.empty() || inner_->key().compare(upper_slice_) < 0);
  }
  void SeekToFirst() override {
    RefuseWhileMemoryIsShort(&memory_checks_);
    inner_->Seek(lower_slice_);
  }
  void Seek(const rocksdb::Slice& target) override {
    RefuseWhileMemoryIsShort(&memory_checks_);
    inner_->Seek(target.compare(lower_slice_) < 0 ? lower_slice_ : target);
  }
  void Next() override {
    RefuseWhileMemoryIsShort(&memory_checks_);
    inner_->Next();
  }

 private:
  std::string lower_;
  std::string upper_;
  rocksdb::Slice lower_slice_;
  rocksdb::Slice upper_slice_;
  rocksdb::ReadOptions options_;
  uint32_t memory_checks_ = 0;  // calls since MemoryIsShort last probed
};

// An iterator of a read-only open, keeping the RocksDB instance it reads
// open (RocksStore::CatchUp may replace the instance while a scan runs).
class PinnedIterator final : public ForwardingIterator {
 public:
  PinnedIterator(std::unique_ptr<rocksdb::Iterator> inner, std::shared_ptr<const void> instance)
      : instance_(std::move(instance)) {
    inner_ = std::move(inner);
  }
  ~PinnedIterator() override { inner_.reset(); }  // before the instance it reads

 private:
  std::shared_ptr<const void> instance_;
};

}  // namespace

std::unique_ptr<rocksdb::Iterator> Reader::Scan(Cf cf, std::string_view lower,
                                                std::string_view upper) const {
  auto it = std::make_unique<BoundedIterator>(std::string(lower), std::string(upper));
  rocksdb::ReadOptions* o = it->options();
  o->snapshot = snapshot();
  if (lower.empty() && upper.empty()) {
    // A scan of a whole family (every node, every edge: a CSR build, a
    // column build, a kg_edges scan) passes each block once. Put in the
    // block cache, its blocks would only evict the ones point reads and
    // adjacency scans come back to (the out family alone is larger than
    // the cache on `medium`), at the cost of an insert and an eviction,
    // each under a shard mutex, per block: 18% of such a scan's CPU time,
    // measured (docs/performance.md). Blocks already cached are still
    // used. Reading ahead turns its small preads into few large ones.
    o->fill_cache = false;
    o->readahead_size = 2 << 20;
  }
  it->Wrap(NewIterator(cf, o));
  it->SeekToFirst();
  return it;
}

std::unique_ptr<rocksdb::Iterator> Reader::ScanPrefix(Cf cf, std::string_view prefix) const {
  return Scan(cf, prefix, PrefixSuccessor(prefix));
}

rocksdb::Status DbReader::Get(Cf cf, std::string_view key, std::string* value) const {
  RefuseWhileMemoryIsShort();
  rocksdb::ReadOptions o;
  o.snapshot = snapshot_;
  return store_->db()->Get(o, store_->cf(cf), key, value);
}

// RocksDB's iterators are owned from the moment they are made: an iterator
// lost to a throw (out of memory while wrapping it) would keep its column
// family referenced, which fails an assertion when the graph closes.
std::unique_ptr<rocksdb::Iterator> DbReader::NewIterator(Cf cf,
                                                         rocksdb::ReadOptions* options) const {
  // With an upper bound set, RocksDB uses the prefix bloom filters when the
  // bounds lie within one prefix and a total-order scan otherwise.
  options->auto_prefix_mode = true;
  RefuseWhileMemoryIsShort();
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(*options, store_->cf(cf)));
  if (!store_->read_only()) return it;
  return std::make_unique<PinnedIterator>(std::move(it), store_->PinInstance());
}

rocksdb::Status BatchReader::Get(Cf cf, std::string_view key, std::string* value) const {
  std::string_view buffered;
  switch (buffer_->Get(cf, key, &buffered)) {
    case WriteBuffer::Found::kValue:
      value->assign(buffered);
      return rocksdb::Status::OK();
    case WriteBuffer::Found::kDeleted:
      return rocksdb::Status::NotFound();
    case WriteBuffer::Found::kNothing:
      break;
  }
  const bool keyed_by_node = cf == kNodes || cf == kDegree || cf == kOut || cf == kIn;
  if (keyed_by_node && key.size() >= kNodeIdSize &&
      DecodeNodeKey(key.substr(0, kNodeIdSize)) >= first_new_node_) {
    return rocksdb::Status::NotFound();
  }
  RefuseWhileMemoryIsShort();
  return store_->db()->Get(rocksdb::ReadOptions(), store_->cf(cf), key, value);
}

std::unique_ptr<rocksdb::Iterator> BatchReader::NewIterator(
    Cf cf, rocksdb::ReadOptions* options) const {
  options->auto_prefix_mode = true;
  RefuseWhileMemoryIsShort();
  std::unique_ptr<rocksdb::Iterator> base(store_->db()->NewIterator(*options, store_->cf(cf)));
  return buffer_->NewIterator(cf, std::move(base), options->iterate_lower_bound,
                              options->iterate_upper_bound);
}

Status ReadMetaCounter(const Reader& r, std::string_view key, uint64_t* value) {
  std::string v;
  rocksdb::Status s = r.Get(kMeta, key, &v);
  if (s.IsNotFound()) {
    *value = 0;
    return Status::OK();
  }
  if (!s.ok()) return FromRocks(s, fmt::format("cannot read '{}'", key));
  if (v.size() != 8) return Status::Corruption(fmt::format("meta '{}' is not 8 bytes", key));
  *value = DecodeFixed64BE(v.data());
  return Status::OK();
}

}  // namespace samverkan::storage
