// WriteBuffer (engine/storage/write_buffer.h), the store of a transaction's
// pending writes, against a model: random writes, deletions, undos to marks
// and bounded scans over a "graph" of committed keys, each scan compared with
// a std::map of what the transaction should see.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "storage/write_buffer.h"

namespace samverkan::storage {
namespace {

using Map = std::map<std::string, std::string>;

// A forward iterator over part of a std::map: the committed keys of one
// family as RocksDB would give them, confined to [lower, upper).
class MapIterator final : public rocksdb::Iterator {
 public:
  MapIterator(const Map& map, std::string lower, std::string upper)
      : map_(map), lower_(std::move(lower)), upper_(std::move(upper)) {}
  bool Valid() const override {
    return it_ != map_.end() && (upper_.empty() || it_->first < upper_);
  }
  void SeekToFirst() override { it_ = map_.lower_bound(lower_); }
  void Seek(const rocksdb::Slice& target) override {
    it_ = map_.lower_bound(std::max(lower_, target.ToString()));
  }
  void Next() override { ++it_; }
  rocksdb::Slice key() const override { return it_->first; }
  rocksdb::Slice value() const override { return it_->second; }
  rocksdb::Status status() const override { return rocksdb::Status::OK(); }
  void SeekToLast() override {}
  void SeekForPrev(const rocksdb::Slice&) override {}
  void Prev() override {}

 private:
  const Map& map_;
  std::string lower_, upper_;
  Map::const_iterator it_ = map_.end();
};

// What a scan of [lower, upper) should return: the committed keys with the
// pending writes over them (nullopt: deleted).
Map Expected(const Map& committed, const std::map<std::string, std::optional<std::string>>& pending,
             const std::string& lower, const std::string& upper) {
  Map all = committed;
  for (const auto& [k, v] : pending) {
    if (v) {
      all[k] = *v;
    } else {
      all.erase(k);
    }
  }
  Map out;
  for (const auto& [k, v] : all) {
    if (k >= lower && (upper.empty() || k < upper)) out[k] = v;
  }
  return out;
}

Map Scan(WriteBuffer& buffer, const Map& committed, const std::string& lower,
         const std::string& upper) {
  rocksdb::Slice lo(lower), up(upper);
  std::unique_ptr<rocksdb::Iterator> it =
      buffer.NewIterator(kOut, std::make_unique<MapIterator>(committed, lower, upper), &lo,
                         upper.empty() ? nullptr : &up);
  Map out;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    EXPECT_TRUE(out.empty() || out.rbegin()->first < it->key().ToString()) << "out of order";
    out[it->key().ToString()] = it->value().ToString();
  }
  EXPECT_TRUE(it->status().ok());
  return out;
}

std::string Key(int i) { return "k" + std::to_string(1000 + i); }

TEST(WriteBufferTest, MatchesAModelThroughWritesUndosAndScans) {
  std::mt19937 rng(7);
  Map committed;
  for (int i = 0; i < 400; i += 3) committed[Key(i)] = "c" + std::to_string(i);
  WriteBuffer buffer;
  std::map<std::string, std::optional<std::string>> pending;
  std::vector<std::pair<WriteBuffer::Mark, decltype(pending)>> marks;
  // A scan left open while the buffer takes writes must stay usable.
  std::unique_ptr<rocksdb::Iterator> open_scan;
  rocksdb::Slice no_lower("");

  for (int step = 0; step < 6000; ++step) {
    const int op = static_cast<int>(rng() % 100);
    const std::string key = Key(static_cast<int>(rng() % 400));
    if (op < 45) {
      const std::string value = "v" + std::to_string(step);
      buffer.Put(kOut, key, value);
      pending[key] = value;
    } else if (op < 60) {
      buffer.Delete(kOut, key);
      pending[key] = std::nullopt;
    } else if (op < 64) {
      marks.emplace_back(buffer.mark(), pending);
    } else if (op < 68 && !marks.empty()) {
      const size_t which = rng() % marks.size();
      buffer.RollbackTo(marks[which].first);
      pending = marks[which].second;
      marks.resize(which + 1);  // later marks are gone with their writes
    } else if (op < 85) {
      std::string lower = Key(static_cast<int>(rng() % 400));
      std::string upper = rng() % 4 == 0 ? "" : Key(static_cast<int>(rng() % 400));
      if (!upper.empty() && upper < lower) std::swap(lower, upper);
      ASSERT_EQ(Scan(buffer, committed, lower, upper), Expected(committed, pending, lower, upper))
          << "step " << step << " [" << lower << ", " << upper << ")";
    } else if (op < 95) {
      std::string_view value;
      const auto found = buffer.Get(kOut, key, &value);
      auto it = pending.find(key);
      if (it == pending.end()) {
        EXPECT_EQ(found, WriteBuffer::Found::kNothing) << key;
      } else if (!it->second) {
        EXPECT_EQ(found, WriteBuffer::Found::kDeleted) << key;
      } else {
        ASSERT_EQ(found, WriteBuffer::Found::kValue) << key;
        EXPECT_EQ(value, *it->second) << key;
      }
    } else if (!open_scan) {
      open_scan = buffer.NewIterator(kOut, std::make_unique<MapIterator>(committed, "", ""),
                                     &no_lower, nullptr);
      open_scan->SeekToFirst();
    } else {
      // Whatever it sees of later writes, it moves forward in order.
      std::string last;
      for (int i = 0; i < 20 && open_scan->Valid(); ++i, open_scan->Next()) {
        ASSERT_LT(last, open_scan->key().ToString());
        last = open_scan->key().ToString();
      }
      if (!open_scan->Valid()) open_scan.reset();
    }
  }
  open_scan.reset();
  EXPECT_EQ(Scan(buffer, committed, "", ""), Expected(committed, pending, "", ""));
  // Other families are untouched.
  std::string_view value;
  EXPECT_EQ(buffer.Get(kIn, Key(0), &value), WriteBuffer::Found::kNothing);
}

TEST(WriteBufferTest, UndoingEverythingLeavesItEmpty) {
  WriteBuffer buffer;
  const WriteBuffer::Mark start = buffer.mark();
  for (int i = 0; i < 100; ++i) buffer.Put(kNodes, Key(i), "x");
  buffer.Delete(kNodes, Key(5));
  EXPECT_FALSE(buffer.empty());
  buffer.RollbackTo(start);
  EXPECT_TRUE(buffer.empty());
  std::string_view value;
  EXPECT_EQ(buffer.Get(kNodes, Key(5), &value), WriteBuffer::Found::kNothing);
  Map committed{{Key(5), "c"}};
  EXPECT_EQ(Scan(buffer, committed, "", ""), committed);
}

}  // namespace
}  // namespace samverkan::storage
