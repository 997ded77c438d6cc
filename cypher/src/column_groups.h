// The groups of an aggregation over columns: which group a scanned row
// belongs to, found by the keys' column codes and numbers, not by Values.
//
// A key is a groupable column of a pattern variable's property (a coded
// column — strings, booleans, sectors —, integers, dates, or a column of
// nulls), or an expression of one such property (toString(e.valid_from
// .year)), which is evaluated once per distinct value of its column and
// numbered. One coded key finds its group in an array by code; more keys
// (up to kMaxGroupKeys) in a hash table of their (null, token) pairs.
// Groups are numbered in the order their first row was met, as the row
// path's AggregateOp numbers them. What the table keeps (its arrays, each
// group's entry, each derived key's values) is charged to the query's
// working memory as it grows, through the ColumnSource.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "samverkan/hash_table.h"

#include "column_source.h"
#include "value_ops.h"

namespace samverkan::cypher {

// Group keys beyond this many take the row path.
constexpr size_t kMaxGroupKeys = 4;

// A key computed from one column: its value for each of the column's
// values, computed once (Eval over the row path's reads) and numbered.
struct DerivedKey {
  const Expr* expr = nullptr;
  int slot = -1;  // the pattern variable it reads
  HashMap<int64_t, uint32_t> by_raw;  // the column's token → number
  std::optional<uint32_t> of_null;
  HashMap<Value, uint32_t, ValueHash, ValueEquivalent> numbers;
  std::vector<Value> values;  // by number

  // The number of the key's value at `at`, computed when first met.
  uint32_t Number(ColumnSource& source, const ColumnRef& c, const At& at);
};

struct GroupKey {
  ColumnRef* col = nullptr;
  DerivedKey derived;  // expr null: the column's value itself
};

class ColumnGroupTable {
 public:
  // What a group costs the table: the row that made it and, when hashed,
  // its entry.
  static constexpr uint64_t kHashedGroupBytes =
      sizeof(At) + 2 * kMaxGroupKeys * sizeof(int64_t) + sizeof(uint32_t) +
      MemoryBudget::kSetEntryBytes;

  // Without keys, the one group exists before any row (as the row path's).
  ColumnGroupTable(ColumnSource& source, std::vector<GroupKey> keys);

  // The group of the row `at`; *added says whether it was made for it.
  uint32_t Find(const At& at, bool* added);

  size_t size() const { return firsts_.size(); }
  size_t n_keys() const { return keys_.size(); }
  // Group g's value of key i (from the row that made the group).
  Value KeyValue(size_t g, size_t i);

 private:
  ColumnSource& source_;
  std::vector<GroupKey> keys_;
  std::vector<At> firsts_;  // by group: the row that made it (its keys)
  bool by_code_ = false;    // one coded key: groups in code_groups_, by code + 1 (0: null)
  std::vector<int32_t> code_groups_;
  HashMap<std::array<int64_t, 2 * kMaxGroupKeys>, uint32_t> hashed_;
};

}  // namespace samverkan::cypher
