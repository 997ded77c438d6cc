// MemoryBudget: the working memory one run of a query may hold.
//
// What a query keeps grows with its data, not its text: the rows a sort
// or an Eager holds, the groups and collected lists of an aggregation,
// the keys DISTINCT remembers, the paths it enumerates. Each operator
// charges the budget (ExecContext::memory) when it keeps a value, and
// gives its charge back when it starts over; past the limit the run ends
// with an error naming the limit and how to raise it (RunOptions). A list
// or string an expression builds (range(), a comprehension, s + s) is
// checked against what is left before it is made, without being charged.
//
// The count is approximate and cheap: a value's size is its own plus what
// it points to, a large list or map shared by many rows is counted once,
// and nothing is charged per row for the pipelines that keep nothing.
// Memory-mapped snapshot files are not working memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>


#include "samverkan/cypher_value.h"
#include "samverkan/hash_table.h"

namespace samverkan::cypher {

class MemoryBudget {
 public:
  // A vector's header and its allocation's overhead, roughly.
  static constexpr uint64_t kVectorBytes = 40;
  // What a hash table spends on an entry besides its value, roughly.
  static constexpr uint64_t kSetEntryBytes = 16;

  MemoryBudget(uint64_t limit, std::string hint) : limit_(limit), hint_(std::move(hint)) {}

  // Adds to what the run holds; throws the limit's error when past it.
  void Charge(uint64_t bytes) {
    used_ += bytes;
    if (used_ > limit_) Exceeded();
  }
  void Release(uint64_t bytes) { used_ -= bytes < used_ ? bytes : used_; }
  // Throws the limit's error unless `bytes` more would fit (for a value
  // about to be made that no operator keeps).
  void Fits(uint64_t bytes) const {
    if (bytes > limit_ - (used_ < limit_ ? used_ : limit_)) Exceeded();
  }

  // About how many bytes keeping `v` costs: the Value itself and what it
  // points to. A list, map or path already counted (the same object,
  // shared) costs only the Value when it has many entries or holds lists
  // or maps itself; small flat ones are counted each time.
  uint64_t SizeOf(const Value& v);
  // A row, or a vector of values (a key), kept.
  uint64_t SizeOf(const std::vector<Value>& values) {
    uint64_t bytes = kVectorBytes;
    for (const Value& v : values) bytes += SizeOf(v);
    return bytes;
  }
  // The Value and, for a string, list, map or path, its own storage but
  // not what its entries point to: for the checks of Fits().
  static uint64_t ShallowSizeOf(const Value& v);

  uint64_t used() const { return used_; }
  uint64_t limit() const { return limit_; }

 private:
  [[noreturn]] void Exceeded() const;

  uint64_t limit_;
  std::string hint_;
  uint64_t used_ = 0;
  HashSet<const void*> counted_;  // large or nesting containers seen
  std::vector<const Value*> to_visit_;            // SizeOf's work list, kept for its capacity
};

// What one operator has charged, given back when it starts over (Reset)
// or drops what it held. Not on destruction: the run is over then.
class MemoryCharge {
 public:
  void Add(MemoryBudget& budget, uint64_t bytes) {
    budget_ = &budget;
    bytes_ += bytes;
    budget.Charge(bytes);
  }
  void AddValue(MemoryBudget& budget, const Value& v) { Add(budget, budget.SizeOf(v)); }
  void AddValues(MemoryBudget& budget, const std::vector<Value>& values) {
    Add(budget, budget.SizeOf(values));
  }
  // Gives back part of the charge (what was just dropped).
  void Remove(uint64_t bytes) {
    if (bytes > bytes_) bytes = bytes_;
    if (budget_ != nullptr) budget_->Release(bytes);
    bytes_ -= bytes;
  }
  void Clear() {
    if (budget_ != nullptr) budget_->Release(bytes_);
    bytes_ = 0;
  }
  uint64_t bytes() const { return bytes_; }

 private:
  MemoryBudget* budget_ = nullptr;
  uint64_t bytes_ = 0;
};

// The shape of a value: how many levels of lists and maps it nests (0 for
// a scalar, 1 for a flat list) and how many values it holds counting every
// level, and each shared part as often as it appears. That is what
// comparing, hashing or printing it walks: [acc, acc] in a reduce()
// doubles it at every step while memory grows by one list.
struct ValueShape {
  size_t levels = 0;
  uint64_t values = 1;
  // What walking it costs, as bytes of working memory (a Value each).
  uint64_t bytes() const {
    return values > UINT64_MAX / sizeof(Value) ? UINT64_MAX : values * sizeof(Value);
  }
};

// The identity of a list or map (null for anything else).
const void* ContainerOf(const Value& v);

// The shape of `v`, or one whose levels are past `limit` once that is
// known. The container `known` (reduce()'s previous accumulator), if
// given, counts as `known_shape` without a walk, so that each step of a
// reduce() pays for what it adds, not for all it has built. Iterative;
// each container is measured once however often it is shared.
ValueShape ShapeOf(const Value& v, size_t limit, const void* known = nullptr,
                   ValueShape known_shape = {});

// "2 GiB", "50 MiB", "1536 KiB" or "1000 bytes": a limit as people set it.
std::string FormatBytes(uint64_t bytes);

}  // namespace samverkan::cypher
