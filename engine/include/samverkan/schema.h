// Schema: the names a graph has interned — node kinds, sectors, edge types.
//
// Names are stored once and referred to by a small SymbolId in keys and
// records. The sector list is a controlled vocabulary: a new graph starts
// with academia, business, public and nonprofit, and a node may only name a
// sector that is in the list (Transaction::AddSector extends it). Kinds and
// edge types are open: the first use of a name interns it.
//
// Safe to read from several threads; ids and the string_views returned stay
// valid for the lifetime of the Db.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/status.h"
#include "samverkan/types.h"

namespace samverkan {

enum class SymbolSpace : uint8_t {
  // DO NOT RENUMBER: these bytes are part of the on-disk format.
  kKind = 'k',
  kSector = 's',
  kEdgeType = 't',
};

class Schema {
 public:
  virtual ~Schema() = default;

  virtual std::optional<SymbolId> Find(SymbolSpace space, std::string_view name) const = 0;
  // REQUIRES: id was returned by Find() or appears in a record of this graph.
  virtual std::string_view Name(SymbolSpace space, SymbolId id) const = 0;
  // All names of a space, in the order they were added.
  virtual std::vector<std::string> Names(SymbolSpace space) const = 0;

  std::optional<SymbolId> EdgeType(std::string_view name) const {
    return Find(SymbolSpace::kEdgeType, name);
  }
  std::string_view EdgeTypeName(SymbolId id) const { return Name(SymbolSpace::kEdgeType, id); }
};

// Filters naming edge types or kinds: OK when `names` is empty or at least
// one of them is in the graph, else InvalidArgument naming `what` (the
// argument) and the graph's names: "types: unknown edge type 'fund' (the
// graph has: funds, located_in)". A filter that can only match nothing is
// nearly always a typo; names the graph lacks beside ones it has are
// allowed, so that a ready-made query's list of the data model's types works
// on a graph without some of them.
Status CheckEdgeTypes(const Schema& schema, const std::vector<std::string>& names,
                      std::string_view what);
Status CheckKinds(const Schema& schema, const std::vector<std::string>& names,
                  std::string_view what);

// The sectors every new graph starts with.
inline const std::vector<std::string>& DefaultSectors() {
  static const std::vector<std::string> kSectors = {"academia", "business", "public",
                                                    "nonprofit"};
  return kSectors;
}

}  // namespace samverkan
