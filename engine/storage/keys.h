// Column families and key layouts. docs/on-disk-format.md is the reference;
// keep the two in step. DO NOT CHANGE existing names or layouts: they are the
// on-disk format. A change needs a new kFormatVersion.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "samverkan/schema.h"
#include "samverkan/types.h"

namespace samverkan::storage {

// Column family indexes into RocksStore::cf(). kMeta is RocksDB's "default".
enum Cf : int {
  kMeta = 0,       // format version, id counters, counts, symbols, batches
  kDict = 1,       // external key -> node id
  kNodes = 2,      // node id -> node record
  kNames = 3,      // folded name '\0' node id -> ""
  kNodeIndex = 4,  // space byte, symbol id, node id -> ""   (kind and sector)
  kOut = 5,        // src, type, dst, rank -> edge record (with properties)
  kIn = 6,         // dst, type, src, rank -> edge header
  kEdges = 7,      // edge id -> out key
  kDegree = 8,     // node id -> out count, in count
  kCfCount = 9,
};

inline constexpr std::array<std::string_view, kCfCount> kCfNames = {
    "default", "dict", "nodes", "names", "node_index", "out", "in", "edges", "degree"};

inline constexpr size_t kNodeIdSize = 8;
inline constexpr size_t kEdgeKeySize = 8 + 4 + 8 + 4;
inline constexpr size_t kNodeIndexPrefixSize = 1 + 4;

// --- meta (default CF) ------------------------------------------------------
namespace meta {
inline constexpr std::string_view kFormatVersion = "format_version";  // fixed32
inline constexpr std::string_view kNextNodeId = "next_node_id";      // fixed64
inline constexpr std::string_view kNextEdgeId = "next_edge_id";      // fixed64
inline constexpr std::string_view kNextBatchId = "next_batch_id";    // fixed64
inline constexpr std::string_view kNodeCount = "node_count";         // fixed64
inline constexpr std::string_view kEdgeCount = "edge_count";         // fixed64
inline constexpr std::string_view kSymbolByNamePrefix = "symbol/";   // + space + name
inline constexpr std::string_view kSymbolByIdPrefix = "symbol_id/";  // + space + id32
inline constexpr std::string_view kBatchPrefix = "batch/";           // + id64
// A transaction prepared for two-phase commit and not yet decided (see
// transaction.h); the value is EncodePrepared's.
inline constexpr std::string_view kPreparedPrefix = "prepared/";     // + xid
// The xid of the latest prepared transaction of a coordinator that
// committed, written in the batch that commits it.
inline constexpr std::string_view kCommittedByPrefix = "committed_by/";  // + coordinator
// What a commit changed, for patching snapshots (storage/change_log.h);
// format version 2 on.
inline constexpr std::string_view kChangesPrefix = "changes/";  // + id64 (batch)

std::string SymbolByName(SymbolSpace space, std::string_view name);
std::string SymbolById(SymbolSpace space, SymbolId id);
std::string Batch(BatchId id);
std::string Prepared(std::string_view xid);
std::string CommittedBy(std::string_view coordinator);
std::string Changes(BatchId batch);
}  // namespace meta

// --- node keys ---------------------------------------------------------------
std::string NodeKey(NodeId id);  // also the key of kDegree
NodeId DecodeNodeKey(std::string_view key);  // REQUIRES: key.size() == 8

std::string NameKey(std::string_view folded, NodeId id);
std::string NamePrefix(std::string_view folded);
// The node id at the end of a names key; nullopt if malformed.
std::optional<NodeId> NameKeyNode(std::string_view key, std::string_view* folded);

std::string NodeIndexKey(SymbolSpace space, SymbolId sym, NodeId id);
std::string NodeIndexPrefix(SymbolSpace space, SymbolId sym);

// --- edge keys ---------------------------------------------------------------
// An edge as stored from one side: `node` is the side the key starts with
// (src in kOut, dst in kIn), `other` the far end.
struct AdjKey {
  NodeId node = 0;
  SymbolId type = 0;
  NodeId other = 0;
  uint32_t rank = 0;
};

std::string EncodeAdjKey(const AdjKey& k);
// Replaces *dst with the encoded key (reusing its buffer: for bulk loads).
void EncodeAdjKeyTo(const AdjKey& k, std::string* dst);
// REQUIRES: key.size() == kEdgeKeySize
AdjKey DecodeAdjKey(std::string_view key);
std::string AdjPrefix(NodeId node);
std::string AdjPrefix(NodeId node, SymbolId type);

std::string EdgeIdKey(EdgeId id);

// The smallest key greater than every key that starts with `prefix`
// (an exclusive iterate_upper_bound); empty if there is none.
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace samverkan::storage
