// The data model: nodes, edges, dates and the inputs that write them.
//
// A node has a stable external key ("org:malmo-universitet"), a kind ("actor",
// "project", "region", "person", "event", "source", or any other label), a
// display name, aliases, an optional sector (for actors) and JSON properties.
// Inside the graph it also has a dense internal id, assigned when it is first
// written and never reused while the node exists.
//
// An edge is typed and directed. Between the same pair of nodes there may be
// several edges of one type that differ by `rank` (two roles, two years); the
// tuple (src, type, dst, rank) identifies an edge, and so does its EdgeId.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/result.h"

namespace samverkan {

using NodeId = uint64_t;    // dense, starts at 1; 0 is never a node
using EdgeId = uint64_t;    // unique per edge, starts at 1
using SymbolId = uint32_t;  // interned kind, sector or edge-type name
using BatchId = uint64_t;   // the committed transaction that last wrote a record

inline constexpr NodeId kNoNode = 0;

enum class Direction : uint8_t { kOut, kIn, kBoth };

// "out", "in", "both" <-> Direction.
std::string_view DirectionName(Direction d);
Result<Direction> ParseDirection(std::string_view text);

// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian);
// every date from 0001-01-01 to 9999-12-31 can be written and read back.
struct Date {
  int32_t days = 0;

  // The day a partial date ("2019", "2019-12") stands for: the first day of
  // its period (a valid_from, a query date) or the last (a valid_to, so
  // that "2019-12" up to and including the whole of December).
  enum class Partial { kFirstDay, kLastDay };

  // Parses "YYYY-MM-DD", and the partial forms "YYYY" and "YYYY-MM" as the
  // first or last day of their period. Rejects impossible dates: "invalid
  // date '2021-02-30': no such day".
  static Result<Date> Parse(std::string_view iso, Partial partial = Partial::kFirstDay);
  static Date FromYmd(int year, unsigned month, unsigned day);
  // "YYYY-MM-DD".
  std::string ToString() const;
  int Year() const;

  auto operator<=>(const Date&) const = default;
};

// An optional [valid_from, valid_to] interval; an open end is unbounded.
// Both ends are inclusive.
struct Validity {
  std::optional<Date> from;
  std::optional<Date> to;

  bool Contains(Date d) const {
    return (!from || *from <= d) && (!to || d <= *to);
  }
  bool operator==(const Validity&) const = default;
};

// Names a node either by its external key or by its internal id.
struct NodeRef {
  NodeId id = kNoNode;
  std::string key;

  NodeRef() = default;
  NodeRef(NodeId node_id) : id(node_id) {}                 // NOLINT
  NodeRef(std::string node_key) : key(std::move(node_key)) {}  // NOLINT
  NodeRef(std::string_view node_key) : key(node_key) {}    // NOLINT
  NodeRef(const char* node_key) : key(node_key) {}         // NOLINT
};

// A stored node.
struct Node {
  NodeId id = kNoNode;
  std::string key;
  std::string kind;
  std::string name;
  std::string sector;  // empty when the node has none
  std::vector<std::string> aliases;
  std::string props = "{}";     // a JSON object, compact
  std::vector<NodeId> sources;  // nodes (usually of kind "source") it cites
  BatchId batch = 0;            // the transaction that last wrote it
};

// What a caller writes. See Transaction::PutNode and MergeNode.
struct NodeInput {
  std::string key;   // required, non-empty
  std::string kind;  // required for a new node
  std::string name;  // defaults to the key for a new node
  std::string sector;  // must be in the graph's sector list; empty for none
  std::vector<std::string> aliases;
  std::string props;  // a JSON object; empty means {}
  std::vector<NodeRef> sources;
};

// The part of an edge that traversals read: stored with both directions, so
// following an edge backwards never needs a second lookup.
struct EdgeRef {
  EdgeId id = 0;
  NodeId src = kNoNode;
  SymbolId type = 0;
  NodeId dst = kNoNode;
  uint32_t rank = 0;
  std::optional<double> weight;
  Validity validity;

  // The endpoint that is not `from` (either one for a self-loop).
  NodeId Other(NodeId from) const { return from == src ? dst : src; }
};

// A stored edge with everything it carries.
struct Edge {
  EdgeId id = 0;
  NodeId src = kNoNode;
  std::string type;
  NodeId dst = kNoNode;
  uint32_t rank = 0;
  std::optional<double> weight;
  Validity validity;
  std::string props = "{}";
  std::vector<NodeId> sources;
  BatchId batch = 0;
};

struct EdgeInput {
  NodeRef src;
  std::string type;  // required, non-empty
  NodeRef dst;
  uint32_t rank = 0;  // tells apart edges of one type between one pair
  std::optional<double> weight;
  Validity validity;  // from <= to when both are set
  std::string props;  // a JSON object; empty means {}
  std::vector<NodeRef> sources;
};

struct Degree {
  uint64_t out = 0;
  uint64_t in = 0;
  uint64_t total() const { return out + in; }
};

struct GraphCounts {
  uint64_t nodes = 0;
  uint64_t edges = 0;
};

}  // namespace samverkan
