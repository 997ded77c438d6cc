// Cursor implementations over the nodes, node_index, out and in families.
#pragma once

#include <memory>
#include <optional>

#include "samverkan/graph_view.h"
#include "storage/view_core.h"

namespace samverkan::storage {

// Every node, in id order.
std::unique_ptr<NodeCursor> NewNodeScan(const ViewCore& view);
// The nodes listed under one kind or sector, in id order; `also` is a second
// filter checked on each record (0 for none).
std::unique_ptr<NodeCursor> NewNodeIndexScan(const ViewCore& view, SymbolSpace space,
                                             SymbolId sym, SymbolSpace also_space,
                                             SymbolId also);
std::unique_ptr<NodeCursor> NewEmptyNodeCursor();

std::unique_ptr<EdgeCursor> NewAdjacencyCursor(const ViewCore& view, NodeId node,
                                               Direction dir, std::optional<SymbolId> type);
std::unique_ptr<EdgeCursor> NewAllEdgesCursor(const ViewCore& view);

}  // namespace samverkan::storage
