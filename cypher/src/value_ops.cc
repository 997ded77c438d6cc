// value_ops.cc: equality, comparison, orderability and equivalence.
#include "value_ops.h"

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <utility>

#include "samverkan/hash_table.h"

#include "stack_guard.h"

namespace samverkan::cypher {
namespace {

using Type = Value::Type;

int Sign(auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); }

// Numbers by value, NaN excluded by the callers.
int CompareNumbers(const Value& a, const Value& b) {
  if (a.type() == Type::kInt && b.type() == Type::kInt) return Sign(a.integer(), b.integer());
  if (a.type() == Type::kFloat && b.type() == Type::kFloat) {
    return Sign(a.floating(), b.floating());
  }
  if (a.type() == Type::kInt) return CompareIntFloat(a.integer(), b.floating());
  return -CompareIntFloat(b.integer(), a.floating());
}

bool IsNaN(const Value& v) { return v.type() == Type::kFloat && std::isnan(v.floating()); }

int CompareRels(const Relationship& a, const Relationship& b) {
  if (a.src != b.src) return Sign(a.src, b.src);
  if (a.dst != b.dst) return Sign(a.dst, b.dst);
  if (a.type != b.type) return Sign(a.type, b.type);
  return Sign(a.slot, b.slot);
}

// Orderability's ranking of the types (ascending); the temporal types come
// between paths and strings, dates before durations, as in openCypher.
int TypeRank(Type t) {
  switch (t) {
    case Type::kMap: return 0;
    case Type::kNode: return 1;
    case Type::kRelationship: return 2;
    case Type::kList: return 3;
    case Type::kPath: return 4;
    case Type::kDate: return 5;
    case Type::kDuration: return 6;
    case Type::kString: return 7;
    case Type::kBool: return 8;
    case Type::kInt:
    case Type::kFloat: return 9;
    case Type::kNull: return 10;
  }
  return 11;
}

// Durations have no order for `<` (is P1M more than P30D?), but ORDER BY
// needs one: by their length with a month of 30.436875 days (the Gregorian
// average, 2,629,746 s) and a day of 86,400 s, then by their parts.
int CompareDurations(const Duration& a, const Duration& b) {
  auto length = [](const Duration& d) {
    return static_cast<__int128>(d.months) * 2629746 + static_cast<__int128>(d.days) * 86400 +
           d.seconds;
  };
  if (int c = Sign(length(a), length(b))) return c;
  if (int c = Sign(a.nanos, b.nanos)) return c;
  if (int c = Sign(a.months, b.months)) return c;
  return Sign(a.days, b.days);
}

// A 64-bit finalizer (MurmurHash3's): open-addressing tables such as
// absl's take bits from the whole hash, and node ids are consecutive.
size_t Scramble(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<size_t>(h);
}

size_t Mix(size_t seed, size_t h) { return Scramble(seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2))); }

// Lists and maps share their parts: WITH [v, v] AS v, repeated, holds one
// list per line of the query but one value doubled at each line. Walked
// naively, comparing or hashing it takes time exponential in the query's
// text. So each call of the functions below remembers, per pair of
// containers (or per container, for a hash), what it found: every pair is
// walked once, and the work is bounded by the containers the values hold
// (which the memory budget bounds), not by how often they are shared.
// Values are immutable while they are compared, so identity is enough.
template <typename Result>
class PairMemo {
 public:
  using Key = std::pair<const void*, uintptr_t>;
  // The remembered result for `key`, if any.
  const Result* Find(Key key) const {
    if (map_ == nullptr) return nullptr;
    auto it = map_->find(key);
    return it == map_->end() ? nullptr : &it->second;
  }
  Result Remember(Key key, Result r) {
    if (map_ == nullptr) map_ = std::make_unique<Map>();  // only for nested containers
    map_->emplace(key, r);
    return r;
  }
  // True for the first (outermost) container of a call, which is visited
  // once anyway: flat lists cost no memo.
  bool Outermost() { return std::exchange(outermost_, false); }

 private:
  bool outermost_ = true;
  using Map = HashMap<Key, Result>;
  std::unique_ptr<Map> map_;
};

// The identity of a list or map.
const void* ContainerId(const Value& v) {
  return v.type() == Type::kList ? static_cast<const void*>(&v.list())
                                 : static_cast<const void*>(&v.map());
}

// A pair of containers, compared.
template <typename Result>
typename PairMemo<Result>::Key PairKey(const Value& a, const Value& b) {
  return {ContainerId(a), reinterpret_cast<uintptr_t>(ContainerId(b))};
}

Tri EqualIn(const Value& a, const Value& b, PairMemo<Tri>& memo);
Order CompareIn(const Value& a, const Value& b, PairMemo<Order>& memo);
int OrderCompareIn(const Value& a, const Value& b, PairMemo<int>& memo);
bool EquivalentIn(const Value& a, const Value& b, PairMemo<bool>& memo);

// The element-wise comparison of two containers through `memo`: `walk`
// runs once per pair of containers.
template <typename Result, typename Walk>
Result Memoized(const Value& a, const Value& b, PairMemo<Result>& memo, Walk walk) {
  if (memo.Outermost()) return walk();
  const auto key = PairKey<Result>(a, b);
  if (const Result* known = memo.Find(key)) return *known;
  return memo.Remember(key, walk());
}

}  // namespace

int CompareIntFloat(int64_t i, double d) {
  // Doubles at or beyond +-2^63 are outside int64's range.
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double t = std::trunc(d);
  int64_t ti = static_cast<int64_t>(t);
  if (i != ti) return i < ti ? -1 : 1;
  if (d > t) return -1;
  if (d < t) return 1;
  return 0;
}

Tri Equal(const Value& a, const Value& b) {
  PairMemo<Tri> memo;
  return EqualIn(a, b, memo);
}

namespace {

Tri EqualIn(const Value& a, const Value& b, PairMemo<Tri>& memo) {
  CheckStack(kNoPosition);  // values a query built may nest deeply
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.is_number() && b.is_number()) {
    if (IsNaN(a) || IsNaN(b)) return false;
    return CompareNumbers(a, b) == 0;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kBool: return a.boolean() == b.boolean();
    case Type::kString: return a.string() == b.string();
    case Type::kNode: return a.node() == b.node();
    case Type::kRelationship: return a.rel().SameAs(b.rel());
    case Type::kDate: return a.date() == b.date();
    case Type::kDuration: return a.duration() == b.duration();
    case Type::kList: return Memoized(a, b, memo, [&]() -> Tri {
      const List& x = a.list();
      const List& y = b.list();
      if (x.size() != y.size()) return false;
      bool unknown = false;
      for (size_t i = 0; i < x.size(); ++i) {
        Tri e = EqualIn(x[i], y[i], memo);
        if (!e) {
          unknown = true;
        } else if (!*e) {
          return false;
        }
      }
      if (unknown) return std::nullopt;
      return true;
    });
    case Type::kMap: return Memoized(a, b, memo, [&]() -> Tri {
      const Map& x = a.map();
      const Map& y = b.map();
      if (x.size() != y.size()) return false;
      bool unknown = false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].first != y[i].first) return false;
      }
      for (size_t i = 0; i < x.size(); ++i) {
        Tri e = EqualIn(x[i].second, y[i].second, memo);
        if (!e) {
          unknown = true;
        } else if (!*e) {
          return false;
        }
      }
      if (unknown) return std::nullopt;
      return true;
    });
    case Type::kPath: {
      const Path& x = a.path();
      const Path& y = b.path();
      if (x.nodes != y.nodes || x.relationships.size() != y.relationships.size()) return false;
      for (size_t i = 0; i < x.relationships.size(); ++i) {
        if (!x.relationships[i].SameAs(y.relationships[i])) return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace

Order Compare(const Value& a, const Value& b) {
  PairMemo<Order> memo;
  return CompareIn(a, b, memo);
}

namespace {

Order CompareIn(const Value& a, const Value& b, PairMemo<Order>& memo) {
  CheckStack(kNoPosition);  // values a query built may nest deeply
  if (a.is_null() || b.is_null()) return Order::kNone;
  auto from = [](int c) { return c < 0 ? Order::kLess : c > 0 ? Order::kGreater : Order::kEqual; };
  if (a.is_number() && b.is_number()) {
    if (IsNaN(a) || IsNaN(b)) return Order::kUnordered;
    return from(CompareNumbers(a, b));
  }
  if (a.type() != b.type()) return Order::kNone;
  switch (a.type()) {
    case Type::kBool: return from(Sign(a.boolean(), b.boolean()));
    case Type::kString: return from(a.string().compare(b.string()));
    case Type::kDate: return from(Sign(a.date().days, b.date().days));
    case Type::kList: return Memoized(a, b, memo, [&] {
      const List& x = a.list();
      const List& y = b.list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        Order o = CompareIn(x[i], y[i], memo);
        if (o != Order::kEqual) return o;
      }
      return from(Sign(x.size(), y.size()));
    });
    default: return Order::kNone;
  }
}

}  // namespace

int OrderCompare(const Value& a, const Value& b) {
  PairMemo<int> memo;
  return OrderCompareIn(a, b, memo);
}

namespace {

int OrderCompareIn(const Value& a, const Value& b, PairMemo<int>& memo) {
  CheckStack(kNoPosition);  // values a query built may nest deeply
  int ra = TypeRank(a.type());
  int rb = TypeRank(b.type());
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.type()) {
    case Type::kNull: return 0;
    case Type::kInt:
    case Type::kFloat: {
      bool na = IsNaN(a), nb = IsNaN(b);
      if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
      int c = CompareNumbers(a, b);
      if (c != 0) return c;
      // 1 and 1.0 are equal but not the same value: keep a stable order.
      return Sign(a.type() == Type::kFloat, b.type() == Type::kFloat);
    }
    case Type::kBool: return Sign(a.boolean(), b.boolean());
    case Type::kString: {
      int c = a.string().compare(b.string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Type::kNode: return Sign(a.node(), b.node());
    case Type::kRelationship: return CompareRels(a.rel(), b.rel());
    case Type::kDate: return Sign(a.date().days, b.date().days);
    case Type::kDuration: return CompareDurations(a.duration(), b.duration());
    case Type::kList: return Memoized(a, b, memo, [&] {
      const List& x = a.list();
      const List& y = b.list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = OrderCompareIn(x[i], y[i], memo);
        if (c != 0) return c;
      }
      return Sign(x.size(), y.size());
    });
    case Type::kMap: return Memoized(a, b, memo, [&] {
      const Map& x = a.map();
      const Map& y = b.map();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = x[i].first.compare(y[i].first);
        if (c != 0) return c < 0 ? -1 : 1;
        c = OrderCompareIn(x[i].second, y[i].second, memo);
        if (c != 0) return c;
      }
      return Sign(x.size(), y.size());
    });
    case Type::kPath: {
      const Path& x = a.path();
      const Path& y = b.path();
      for (size_t i = 0; i < x.nodes.size() && i < y.nodes.size(); ++i) {
        if (x.nodes[i] != y.nodes[i]) return Sign(x.nodes[i], y.nodes[i]);
        if (i < x.relationships.size() && i < y.relationships.size()) {
          int c = CompareRels(x.relationships[i], y.relationships[i]);
          if (c != 0) return c;
        }
      }
      return Sign(x.nodes.size(), y.nodes.size());
    }
  }
  return 0;
}

}  // namespace

bool Equivalent(const Value& a, const Value& b) {
  PairMemo<bool> memo;
  return EquivalentIn(a, b, memo);
}

namespace {

bool EquivalentIn(const Value& a, const Value& b, PairMemo<bool>& memo) {
  CheckStack(kNoPosition);
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_number() && b.is_number()) {
    bool na = IsNaN(a), nb = IsNaN(b);
    if (na || nb) return na && nb;
    return CompareNumbers(a, b) == 0;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kList: return Memoized(a, b, memo, [&] {
      const List& x = a.list();
      const List& y = b.list();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!EquivalentIn(x[i], y[i], memo)) return false;
      }
      return true;
    });
    case Type::kMap: return Memoized(a, b, memo, [&] {
      const Map& x = a.map();
      const Map& y = b.map();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].first != y[i].first || !EquivalentIn(x[i].second, y[i].second, memo)) {
          return false;
        }
      }
      return true;
    });
    default: return Equal(a, b).value_or(false);
  }
}

// Lists and maps are hashed this many levels down, no deeper: values equal
// in those levels share a hash (Equivalent tells them apart), and hashing a
// value a query built a million levels deep takes no more stack than this.
constexpr int kHashDepth = 32;

// Hashes per container and depth, each once per call (see PairMemo).
using HashMemo = PairMemo<size_t>;
size_t HashTo(const Value& v, int levels, HashMemo& memo) {
  switch (v.type()) {
    case Type::kNull: return 0x51ed27;
    case Type::kBool: return v.boolean() ? 0x7a1 : 0x7a0;
    case Type::kInt:
    case Type::kFloat: {
      // Equal numbers hash alike whatever their type: hash integral values
      // as integers when they fit, others by their bits.
      if (v.type() == Type::kInt) return Scramble(static_cast<uint64_t>(v.integer()));
      double d = v.floating();
      if (std::isnan(d)) return 0x7ff8;
      if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        return Scramble(static_cast<uint64_t>(static_cast<int64_t>(d)));
      }
      return std::hash<double>()(d);
    }
    case Type::kString: return std::hash<std::string>()(v.string());
    case Type::kNode: return Mix(0x40de, std::hash<uint64_t>()(v.node()));
    case Type::kRelationship: {
      const Relationship& r = v.rel();
      size_t h = Mix(std::hash<uint64_t>()(r.src), std::hash<uint64_t>()(r.dst));
      return Mix(h, (static_cast<size_t>(r.type) << 32) | r.slot);
    }
    case Type::kList: {
      size_t h = 0x1157;
      if (levels == 0) return h;
      if (memo.Outermost()) {
        for (const Value& x : v.list()) h = Mix(h, HashTo(x, levels - 1, memo));
        return h;
      }
      const HashMemo::Key key{ContainerId(v), static_cast<uintptr_t>(levels)};
      if (const size_t* known = memo.Find(key)) return *known;
      for (const Value& x : v.list()) h = Mix(h, HashTo(x, levels - 1, memo));
      return memo.Remember(key, h);
    }
    case Type::kMap: {
      size_t h = 0x3a9;
      if (levels == 0) return h;
      const bool outermost = memo.Outermost();
      const HashMemo::Key key{ContainerId(v), static_cast<uintptr_t>(levels)};
      if (!outermost) {
        if (const size_t* known = memo.Find(key)) return *known;
      }
      for (const auto& [k, x] : v.map()) {
        h = Mix(Mix(h, std::hash<std::string>()(k)), HashTo(x, levels - 1, memo));
      }
      return outermost ? h : memo.Remember(key, h);
    }
    case Type::kDate: return Mix(0xda7e, static_cast<size_t>(v.date().days));
    case Type::kDuration: {
      const Duration& d = v.duration();
      size_t h = Mix(Mix(0xd0, static_cast<size_t>(d.months)), static_cast<size_t>(d.days));
      return Mix(Mix(h, static_cast<size_t>(d.seconds)), static_cast<size_t>(d.nanos));
    }
    case Type::kPath: {
      size_t h = 0x9a7;
      for (NodeId n : v.path().nodes) h = Mix(h, std::hash<uint64_t>()(n));
      return h;
    }
  }
  return 0;
}

}  // namespace

size_t Hash(const Value& v) {
  HashMemo memo;
  return HashTo(v, kHashDepth, memo);
}

size_t HashAll(const Value* values, size_t n) {
  size_t h = 0x5eed;
  for (size_t i = 0; i < n; ++i) h = Mix(h, Hash(values[i]));
  return h;
}

}  // namespace samverkan::cypher
