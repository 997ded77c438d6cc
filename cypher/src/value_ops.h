// The three ways Cypher compares values.
//
//   Equal       `=` and `<>`: ternary; null when either side is null (or a
//               list holds a null that decides), false across types.
//   Compare     `<`, `<=`, ...: ternary; null across types and for maps,
//               nodes, relationships, paths and durations, which have no
//               order. Dates compare by day.
//   Orderable   ORDER BY: a total order over every value, by type first
//               (map, node, relationship, list, path, date, duration,
//               string, boolean, number, null), NaN after every other number.
//   Equivalent  DISTINCT, grouping and IN over sets: like Equal, but null is
//               equivalent to null and NaN to NaN. Hash agrees with it.
//
// Numbers compare by value across INTEGER and FLOAT (1 = 1.0).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "samverkan/cypher_value.h"

namespace samverkan::cypher {

// A ternary truth value: nullopt is Cypher's null.
using Tri = std::optional<bool>;

Tri Equal(const Value& a, const Value& b);
// The outcome of `<` and its kin: kNone is null (the values are not
// comparable), kUnordered makes every comparison false (NaN).
enum class Order { kLess, kEqual, kGreater, kNone, kUnordered };
Order Compare(const Value& a, const Value& b);
int OrderCompare(const Value& a, const Value& b);
bool Equivalent(const Value& a, const Value& b);
size_t Hash(const Value& v);

struct ValueHash {
  size_t operator()(const Value& v) const { return Hash(v); }
};
struct ValueEquivalent {
  bool operator()(const Value& a, const Value& b) const { return Equivalent(a, b); }
};

// Rows (several values) compared and hashed as wholes, for grouping keys.
size_t HashAll(const Value* values, size_t n);
// Hash and equality of keys of several values (of one length), for sets and
// maps of them: DISTINCT rows, grouping keys.
struct ValuesHash {
  size_t operator()(const std::vector<Value>& k) const { return HashAll(k.data(), k.size()); }
};
struct ValuesEquivalent {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!Equivalent(a[i], b[i])) return false;
    }
    return true;
  }
};

// Exact comparison of an integer with a float (no rounding of large ints).
int CompareIntFloat(int64_t i, double d);

}  // namespace samverkan::cypher
