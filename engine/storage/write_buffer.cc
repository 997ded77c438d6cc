#include "storage/write_buffer.h"

#include <algorithm>
#include <cstring>

#include "storage/rocks_store.h"

namespace samverkan::storage {

// --- writes and point reads ------------------------------------------------

void WriteBuffer::Put(Cf cf, std::string_view key, std::string_view value) {
  Add(cf, key, value, /*deleted=*/false);
}

void WriteBuffer::Delete(Cf cf, std::string_view key) { Add(cf, key, {}, /*deleted=*/true); }

void WriteBuffer::Add(Cf cf, std::string_view key, std::string_view value, bool deleted) {
  Family& family = families_[cf];
  const auto index = static_cast<uint32_t>(log_.size());
  uint32_t previous = kNone;
  if (auto it = family.latest.find(key); it != family.latest.end()) {
    previous = it->second;
    key = it->first;  // already in the arena
    it->second = index;
  } else {
    // The index's key must outlive the caller's bytes: it points at the arena.
    key = arena_.Copy(key);
    family.latest.emplace(key, index);
    family.unsorted.push_back(key);
  }
  log_.push_back({key, arena_.Copy(value), previous, cf, deleted});
}

WriteBuffer::Found WriteBuffer::Get(Cf cf, std::string_view key, std::string_view* value) const {
  const Family& family = families_[cf];
  auto it = family.latest.find(key);
  if (it == family.latest.end()) return Found::kNothing;
  const Write& w = log_[it->second];
  if (w.deleted) return Found::kDeleted;
  *value = w.value;
  return Found::kValue;
}

void WriteBuffer::RollbackTo(Mark mark) {
  while (log_.size() > mark) {
    const Write& w = log_.back();
    auto& latest = families_[w.cf].latest;
    if (w.previous == kNone) {
      // The key leaves the buffer; a sorted run may still list it, and a
      // scan that meets it there finds it gone from `latest` and skips it.
      latest.erase(w.key);
    } else {
      latest[w.key] = w.previous;
    }
    log_.pop_back();
  }
}

void WriteBuffer::Clear() {
  log_ = {};
  for (Family& f : families_) f = Family();
  arena_.Clear();
}

rocksdb::WriteBatch WriteBuffer::ToBatch(const RocksStore& store) const {
  // Sorted by the first eight bytes as a number first (keys mostly begin
  // with a big-endian id), then by the rest: a memcmp call only for ties.
  struct Item {
    uint64_t head;
    std::string_view key;
    uint32_t index;
    bool operator<(const Item& o) const { return head != o.head ? head < o.head : key < o.key; }
  };
  size_t bytes = 0, count = 0;
  for (const Family& family : families_) count += family.latest.size();
  std::vector<Item> items;
  items.reserve(count);
  for (const Family& family : families_) {
    for (const auto& [key, index] : family.latest) bytes += key.size() + log_[index].value.size();
  }
  // Each record: a tag, a family id and two lengths besides the bytes.
  rocksdb::WriteBatch batch(bytes + 12 * count + 64);
  for (int cf = 0; cf < kCfCount; ++cf) {
    const Family& family = families_[cf];
    items.clear();
    for (const auto& [key, index] : family.latest) {
      uint64_t head = 0;
      for (size_t i = 0; i < 8; ++i) {
        head = (head << 8) | (i < key.size() ? static_cast<uint8_t>(key[i]) : 0);
      }
      items.push_back({head, key, index});
    }
    std::sort(items.begin(), items.end());
    rocksdb::ColumnFamilyHandle* handle = store.cf(static_cast<Cf>(cf));
    for (const Item& item : items) {
      const Write& w = log_[item.index];
      // Only fails on a batch over 4 GB, which WriteBatch reports at Write.
      if (w.deleted) {
        batch.Delete(handle, item.key).PermitUncheckedError();
      } else {
        batch.Put(handle, item.key, w.value).PermitUncheckedError();
      }
    }
  }
  return batch;
}

// --- scans -----------------------------------------------------------------

void WriteBuffer::SortNewKeys(Family& family) {
  if (family.unsorted.empty()) return;
  auto run = std::make_shared<Run>(std::move(family.unsorted));
  family.unsorted = {};
  std::sort(run->begin(), run->end());
  run->erase(std::unique(run->begin(), run->end()), run->end());
  family.runs.push_back(std::move(run));
  // Merge the newest run into the one before while it is at least half its
  // size: sizes then halve from run to run, so there are O(log n) runs and
  // each key is merged O(log n) times. The old runs stay alive in the scans
  // that hold them.
  auto& runs = family.runs;
  while (runs.size() >= 2 && 2 * runs.back()->size() >= runs[runs.size() - 2]->size()) {
    auto merged = std::make_shared<Run>();
    const Run& a = *runs[runs.size() - 2];
    const Run& b = *runs.back();
    merged->reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(*merged));
    runs.pop_back();
    runs.back() = std::move(merged);
  }
}

// The buffer's keys of one family merged with the graph's: at each step the
// smaller of the two current keys, the buffer's write winning a tie.
class WriteBuffer::Merged final : public rocksdb::Iterator {
 public:
  Merged(const WriteBuffer* buffer, Cf cf, std::unique_ptr<rocksdb::Iterator> base,
         const std::vector<std::shared_ptr<const Run>>& runs, const rocksdb::Slice* lower,
         const rocksdb::Slice* upper)
      : buffer_(buffer), cf_(cf), base_(std::move(base)), lower_(lower), upper_(upper) {
    for (const auto& run : runs) runs_.push_back({run, 0});
  }

  bool Valid() const override { return at_ != At::kEnd; }
  void SeekToFirst() override {
    Seek(lower_ != nullptr ? *lower_ : rocksdb::Slice());
  }
  void Seek(const rocksdb::Slice& target) override {
    base_->Seek(target);
    const std::string_view t(target.data(), target.size());
    for (RunCursor& r : runs_) {
      r.pos = static_cast<size_t>(std::lower_bound(r.run->begin(), r.run->end(), t) -
                                  r.run->begin());
    }
    Settle();
  }
  void Next() override {
    if (at_ == At::kBuffer) {
      const std::string_view k = key_;
      StepRuns(k);
      if (BaseValid() && ToView(base_->key()) == k) base_->Next();
    } else if (at_ == At::kBase) {
      base_->Next();
    }
    Settle();
  }
  rocksdb::Slice key() const override {
    return at_ == At::kBuffer ? rocksdb::Slice(key_.data(), key_.size()) : base_->key();
  }
  rocksdb::Slice value() const override {
    return at_ == At::kBuffer ? rocksdb::Slice(value_.data(), value_.size()) : base_->value();
  }
  rocksdb::Status status() const override {
    return unsupported_ ? rocksdb::Status::NotSupported("a transaction scans forward only")
                        : base_->status();
  }
  void SeekToLast() override { Unsupported(); }
  void SeekForPrev(const rocksdb::Slice&) override { Unsupported(); }
  void Prev() override { Unsupported(); }

 private:
  enum class At { kEnd, kBase, kBuffer };
  struct RunCursor {
    std::shared_ptr<const Run> run;
    size_t pos;
  };
  static std::string_view ToView(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

  bool BaseValid() const { return base_->Valid(); }
  // The smallest current key of the runs below the upper bound, if any.
  bool BufferKey(std::string_view* key) const {
    bool found = false;
    for (const RunCursor& r : runs_) {
      if (r.pos == r.run->size()) continue;
      const std::string_view k = (*r.run)[r.pos];
      if (!found || k < *key) {
        *key = k;
        found = true;
      }
    }
    if (found && upper_ != nullptr && *key >= ToView(*upper_)) return false;
    return found;
  }
  // Moves every run past `key`.
  void StepRuns(std::string_view key) {
    for (RunCursor& r : runs_) {
      if (r.pos < r.run->size() && (*r.run)[r.pos] == key) ++r.pos;
    }
  }
  // Positions on the next key that exists: the graph's, unless the buffer
  // has a write of it or of a smaller key.
  void Settle() {
    while (true) {
      std::string_view bk;
      const bool has_buffer = BufferKey(&bk);
      const bool has_base = BaseValid();
      if (!has_buffer) {
        at_ = has_base ? At::kBase : At::kEnd;
        return;
      }
      if (has_base && ToView(base_->key()) < bk) {
        at_ = At::kBase;
        return;
      }
      std::string_view value;
      switch (buffer_->Get(cf_, bk, &value)) {
        case Found::kValue:
          at_ = At::kBuffer;
          key_ = bk;
          value_ = value;
          return;
        case Found::kDeleted:
          StepRuns(bk);
          if (has_base && ToView(base_->key()) == bk) base_->Next();
          break;
        case Found::kNothing:  // rolled back: the graph's key, if any, stands
          StepRuns(bk);
          break;
      }
    }
  }
  void Unsupported() {
    unsupported_ = true;
    at_ = At::kEnd;
  }

  const WriteBuffer* buffer_;
  Cf cf_;
  std::unique_ptr<rocksdb::Iterator> base_;
  const rocksdb::Slice* lower_;
  const rocksdb::Slice* upper_;
  std::vector<RunCursor> runs_;
  At at_ = At::kEnd;
  std::string_view key_, value_;  // the buffer's current key and value
  bool unsupported_ = false;
};

std::unique_ptr<rocksdb::Iterator> WriteBuffer::NewIterator(
    Cf cf, std::unique_ptr<rocksdb::Iterator> base, const rocksdb::Slice* lower,
    const rocksdb::Slice* upper) {
  Family& family = families_[cf];
  if (family.latest.empty()) return base;  // nothing written: the graph's own scan
  SortNewKeys(family);
  return std::make_unique<Merged>(this, cf, std::move(base), family.runs, lower, upper);
}

}  // namespace samverkan::storage
