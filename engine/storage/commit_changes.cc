#include "storage/commit_changes.h"

#include <algorithm>
#include <tuple>

#include "storage/keys.h"
#include "storage/records.h"

namespace samverkan::storage {

std::shared_ptr<const CsrChanges> CollectCsrChanges(const WriteBuffer& buffer,
                                                    NodeId first_new_node, size_t max_changes) {
  if (buffer.written_keys(kNodes) + buffer.written_keys(kOut) > max_changes) return nullptr;
  auto changes = std::make_shared<CsrChanges>();
  bool malformed = false;
  buffer.ForEachLatest(kNodes, [&](std::string_view key, const std::string_view* value) {
    CsrChanges::NodeChange c;
    c.id = DecodeNodeKey(key);
    c.created = c.id >= first_new_node;
    c.removed = value == nullptr;
    if (value != nullptr) {
      NodeRecord rec;
      if (!DecodeNode(*value, &rec)) {
        malformed = true;
        return;
      }
      c.kind = rec.kind;
      c.sector = rec.sector;
    }
    changes->nodes.push_back(c);
  });
  buffer.ForEachLatest(kOut, [&](std::string_view key, const std::string_view* value) {
    const AdjKey a = DecodeAdjKey(key);
    CsrChanges::EdgeChange c;
    c.edge.src = a.node;
    c.edge.type = a.type;
    c.edge.dst = a.other;
    c.edge.rank = a.rank;
    c.removed = value == nullptr;
    if (value != nullptr) {
      EdgeHeader h;
      if (!DecodeEdgeHeader(*value, &h)) {
        malformed = true;
        return;
      }
      c.edge.id = h.id;
      c.edge.weight = h.weight;
      c.edge.validity = h.validity;
    }
    changes->edges.push_back(c);
  });
  // An edge id key deleted: that edge is gone (its out key was deleted, or
  // rewritten with a new edge of a new id).
  buffer.ForEachLatest(kEdges, [&](std::string_view key, const std::string_view* value) {
    if (value == nullptr) changes->removed_edge_ids.push_back(DecodeNodeKey(key));
  });
  if (malformed) return nullptr;
  std::sort(changes->nodes.begin(), changes->nodes.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(changes->edges.begin(), changes->edges.end(), [](const auto& a, const auto& b) {
    return std::tie(a.edge.src, a.edge.type, a.edge.dst, a.edge.rank) <
           std::tie(b.edge.src, b.edge.type, b.edge.dst, b.edge.rank);
  });
  std::sort(changes->removed_edge_ids.begin(), changes->removed_edge_ids.end());
  return changes;
}

}  // namespace samverkan::storage
