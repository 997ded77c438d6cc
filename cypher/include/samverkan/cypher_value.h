// cypher::Value: one Cypher value, as queries compute and return them.
//
// Cypher's types map onto the graph as follows: a node is its NodeId, a
// relationship is the identity of a stored edge (src, type, dst and rank),
// a path alternates the two; a date is a samverkan::Date (days since
// 1970-01-01) and a duration is months, days, seconds and nanoseconds, as
// openCypher's temporal values. Properties are read when a query asks for
// them, so a Value never holds a copy of a node's record.
//
//   Value v = Value::List({Value::Int(1), Value::String("a")});
//   if (v.type() == Value::Type::kList) use(v.list()[0].integer());
//
// Lists and maps are immutable and shared: copying a Value is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "samverkan/types.h"

namespace samverkan::cypher {

class Value;
using List = std::vector<Value>;
// A map's entries, sorted by key, keys unique.
using Map = std::vector<std::pair<std::string, Value>>;

// A stored edge as a Cypher relationship. Two relationships are the same
// when src, dst, type and slot agree. Within one query all relationships
// come from one adjacency: over the stored adjacency `slot` is the edge's
// rank; over a CSR snapshot it is the edge's position among the parallel
// edges of its type between src and dst. `id` is the stored edge's id, or 0
// when not read yet. `position` is the edge's position in the query's CSR
// snapshot (CsrGraph::out_edge), when it came from one: the snapshot then
// gives its id with one lookup, and its properties from its columns.
inline constexpr uint32_t kNoEdgePosition = UINT32_MAX;
struct Relationship {
  NodeId src = kNoNode;
  NodeId dst = kNoNode;
  SymbolId type = 0;
  uint32_t slot = 0;
  bool slot_is_ordinal = false;
  EdgeId id = 0;
  uint32_t position = kNoEdgePosition;

  bool SameAs(const Relationship& o) const {
    return src == o.src && dst == o.dst && type == o.type && slot == o.slot;
  }
};

// nodes.size() == relationships.size() + 1; relationships[i] joins nodes[i]
// and nodes[i + 1] (in either direction).
struct Path {
  std::vector<NodeId> nodes;
  std::vector<Relationship> relationships;
};

// openCypher's DURATION: months, days and seconds are kept apart (a month
// has no fixed number of days, nor a day of seconds), so P1M and P30D are
// different durations. nanos is in [0, 1e9); the sign is in seconds.
struct Duration {
  int64_t months = 0;
  int64_t days = 0;
  int64_t seconds = 0;
  int32_t nanos = 0;

  bool operator==(const Duration&) const = default;
};

class Value {
 public:
  enum class Type : uint8_t {
    kNull,
    kBool,
    kInt,
    kFloat,
    kString,
    kList,
    kMap,
    kNode,
    kRelationship,
    kPath,
    kDate,
    kDuration,
  };

  Value() = default;  // null
  static Value Bool(bool b) { return Value(b); }
  static Value Int(int64_t i) { return Value(i); }
  static Value Float(double d) { return Value(d); }
  static Value String(std::string s) { return Value(std::move(s)); }
  static Value MakeList(List items);
  // Sorts the entries by key; a later duplicate key replaces an earlier one.
  static Value MakeMap(Map entries);
  static Value Node(NodeId id) { return Value(NodeRef{id}); }
  static Value Rel(const Relationship& r) { return Value(r); }
  static Value MakePath(Path p);
  static Value MakeDate(Date d) { return Value(d); }
  static Value MakeDuration(const Duration& d) { return Value(d); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return v_.index() == 0; }
  bool is_number() const { return type() == Type::kInt || type() == Type::kFloat; }

  // REQUIRES: the matching type().
  bool boolean() const { return std::get<bool>(v_); }
  int64_t integer() const { return std::get<int64_t>(v_); }
  double floating() const { return std::get<double>(v_); }
  // An integer or a float as a double. REQUIRES: is_number().
  double number() const { return type() == Type::kInt ? static_cast<double>(integer()) : floating(); }
  const std::string& string() const { return std::get<std::string>(v_); }
  const List& list() const { return *std::get<ListPtr>(v_); }
  const Map& map() const { return *std::get<MapPtr>(v_); }
  NodeId node() const { return std::get<NodeRef>(v_).id; }
  const Relationship& rel() const { return std::get<Relationship>(v_); }
  const Path& path() const { return *std::get<PathPtr>(v_); }
  Date date() const { return std::get<Date>(v_); }
  const Duration& duration() const { return std::get<Duration>(v_); }

  // The entry of a map with this key, or null when absent. REQUIRES: kMap.
  const Value* Find(std::string_view key) const;

 private:
  struct NodeRef {
    NodeId id;
  };
  using ListPtr = std::shared_ptr<const List>;
  using MapPtr = std::shared_ptr<const Map>;
  using PathPtr = std::shared_ptr<const Path>;

  explicit Value(bool b) : v_(b) {}
  explicit Value(int64_t i) : v_(i) {}
  explicit Value(double d) : v_(d) {}
  explicit Value(std::string s) : v_(std::move(s)) {}
  explicit Value(NodeRef n) : v_(n) {}
  explicit Value(const Relationship& r) : v_(r) {}
  explicit Value(Date d) : v_(d) {}
  explicit Value(const Duration& d) : v_(d) {}

  // The order of the alternatives is the order of Type.
  std::variant<std::monostate, bool, int64_t, double, std::string, ListPtr, MapPtr, NodeRef,
               Relationship, PathPtr, Date, Duration>
      v_;
};

// "NULL", "BOOLEAN", "INTEGER", "FLOAT", "STRING", "LIST", "MAP", "NODE",
// "RELATIONSHIP", "PATH", "DATE", "DURATION": as Cypher's type errors name
// them.
std::string_view TypeName(Value::Type type);

// ISO 8601 text, as toString() and JSON rows show them: "2021-01-01",
// "P1Y2M3DT4H5M6.5S" (a zero duration is "PT0S").
std::string DateText(Date d);
std::string DurationText(const Duration& d);

}  // namespace samverkan::cypher
