// Turning caller inputs into stored records: the checks and rules that a
// Transaction and a BulkLoader must apply identically.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "samverkan/result.h"
#include "samverkan/types.h"
#include "storage/records.h"
#include "storage/symbol_table.h"

namespace samverkan::storage {

using ResolveFn = std::function<Result<NodeId>(const NodeRef&)>;

// The record PutNode (merge = false) or MergeNode (merge = true) stores for
// `in`, given the node's current record `old` (nullopt for a new node).
// Interns the kind; the caller sets `batch`. Errors name the node.
Result<NodeRecord> MakeNodeRecord(const NodeInput& in, const std::optional<NodeRecord>& old,
                                  bool merge, PendingSymbols& symbols, const ResolveFn& resolve);

// "edge org:a -funds-> org:b": how errors name an edge input.
std::string DescribeEdge(const EdgeInput& in);

// Checks an edge input's own fields (type, weight, dates, properties) and
// returns its normalised properties. Errors name the edge (DescribeEdge).
Result<std::string> CheckEdgeInput(const EdgeInput& in);

// Resolves an edge's endpoints and sources; errors name the edge. Bulk loads
// call this per edge, so the edge's description is built only on error.
struct EdgeEnds {
  NodeId src;
  NodeId dst;
  std::vector<NodeId> sources;
};
Result<EdgeEnds> ResolveEdgeEnds(const EdgeInput& in, const ResolveFn& resolve);

// The folded forms (FoldName) of a node's name and aliases: the keys it has
// in the names index. Empty folds are left out.
Result<std::set<std::string>> FoldedNames(const NodeRecord& rec);

}  // namespace samverkan::storage
