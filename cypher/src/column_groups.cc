// column_groups.cc: see column_groups.h.
#include "column_groups.h"

#include "eval.h"

namespace samverkan::cypher {

uint32_t DerivedKey::Number(ColumnSource& source, const ColumnRef& c, const At& at) {
  const Reader& reader = source.reader();
  const uint32_t r = at.of(c.where);
  const bool null = reader.IsNull(c, r);
  const int64_t raw = null ? 0 : reader.Token(c, r);
  if (null && of_null) return *of_null;
  if (!null) {
    if (auto it = by_raw.find(raw); it != by_raw.end()) return it->second;
  }
  // The variable as the row path binds it, to evaluate the key.
  Row row(static_cast<size_t>(slot) + 1);
  row[static_cast<size_t>(slot)] = source.Variable(c.where, at);
  Value v = Eval(*expr, row, source.ctx());
  auto [it, added] = numbers.try_emplace(v, static_cast<uint32_t>(values.size()));
  if (added) {
    // The value twice (in `numbers` and `values`) and the entry for its token.
    source.Charge(2 * (source.ctx().memory.SizeOf(v) + MemoryBudget::kSetEntryBytes) +
                  sizeof(int64_t) + sizeof(uint32_t));
    values.push_back(std::move(v));
  }
  if (null) {
    of_null = it->second;
  } else {
    by_raw.emplace(raw, it->second);
  }
  return it->second;
}

ColumnGroupTable::ColumnGroupTable(ColumnSource& source, std::vector<GroupKey> keys)
    : source_(source), keys_(std::move(keys)) {
  by_code_ = keys_.size() == 1 && keys_[0].col->coded && !keys_[0].derived.expr;
  if (by_code_) {
    source_.Charge((keys_[0].col->n_codes + 1) * sizeof(int32_t));
    code_groups_.assign(keys_[0].col->n_codes + 1, -1);
  }
  if (keys_.empty()) firsts_.push_back(At{});
}

uint32_t ColumnGroupTable::Find(const At& at, bool* added) {
  *added = false;
  if (keys_.empty()) return 0;  // the single group
  const Reader& reader = source_.reader();
  if (by_code_) {
    const ColumnRef& k = *keys_[0].col;
    const uint32_t r = at.of(k.where);
    int32_t& slot = code_groups_[reader.IsNull(k, r) ? 0 : reader.Code(k, r) + 1];
    if (slot < 0) {
      source_.Charge(sizeof(At));
      slot = static_cast<int32_t>(firsts_.size());
      firsts_.push_back(at);
      *added = true;
    }
    return static_cast<uint32_t>(slot);
  }
  std::array<int64_t, 2 * kMaxGroupKeys> key{};
  for (size_t i = 0; i < keys_.size(); ++i) {
    GroupKey& k = keys_[i];
    if (k.derived.expr) {
      key[2 * i] = 1;
      key[2 * i + 1] = k.derived.Number(source_, *k.col, at);
      continue;
    }
    const uint32_t r = at.of(k.col->where);
    if (reader.IsNull(*k.col, r)) continue;  // (0, 0)
    key[2 * i] = 1;
    key[2 * i + 1] = reader.Token(*k.col, r);  // codes; kInt, kDate
  }
  auto [it, made] = hashed_.try_emplace(key, static_cast<uint32_t>(firsts_.size()));
  if (made) {
    source_.Charge(kHashedGroupBytes);
    firsts_.push_back(at);
    *added = true;
  }
  return it->second;
}

Value ColumnGroupTable::KeyValue(size_t g, size_t i) {
  GroupKey& k = keys_[i];
  if (k.derived.expr) return k.derived.values[k.derived.Number(source_, *k.col, firsts_[g])];
  return source_.reader().ValueAt(*k.col, firsts_[g].of(k.col->where));
}

}  // namespace samverkan::cypher
