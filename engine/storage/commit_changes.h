// What a commit changes, in the form CsrGraph::Patched takes (CsrChanges),
// read off the transaction's buffer: the latest write of each node record
// and each out-edge key, and the edge ids removed. Nothing is read from
// the graph.
#pragma once

#include <memory>

#include "samverkan/csr.h"
#include "storage/write_buffer.h"

namespace samverkan::storage {

// Null when the buffer writes more than `max_changes` nodes and edges (a
// snapshot after such a commit is built again) or holds a record it cannot
// decode. `first_new_node`: the nodes from this id on are the
// transaction's own.
std::shared_ptr<const CsrChanges> CollectCsrChanges(const WriteBuffer& buffer,
                                                    NodeId first_new_node, size_t max_changes);

}  // namespace samverkan::storage
