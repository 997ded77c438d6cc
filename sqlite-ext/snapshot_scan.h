// snapshot_scan.h: what kg_nodes and kg_edges read when a statement reads
// the committed graph and its CSR snapshot is at hand.
//
// A scan of every edge (or of one type) then walks the snapshot's edge
// positions, which come in the row path's (src, type, dst, rank) order, and
// a scan of every node (or of a kind or sector) its dense indexes, in id
// order, reading keys, names, kinds, sectors, ranks, weights and dates from
// the arrays and property columns (samverkan/property_column.h) instead of
// decoding a record per row. What only a record holds (props, aliases,
// sources, batch) is read from a record cursor that follows the scan in
// step, so a statement that reads props still reads each record once, in
// order. A `key =` lookup repeated by a join finds the node through the key
// column's dictionary instead of the key index.
//
// The values are the row path's, value for value (the columns are built
// from the same records), and the rows come in the same order. A statement
// inside a transaction with its own writes, or one that reads a pinned
// state older than the latest commit, has no snapshot (ReadView::latest is
// null) and reads records; after a commit the snapshot of the new state is
// not cached yet, so the scan reads records and the snapshot is built in
// the background (Db::WarmCsr) for the next one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "samverkan/hash_table.h"
#include "graph_registry.h"
#include "samverkan/csr.h"

namespace samverkan::sql {

// A cached CSR snapshot of everything `read` shows, and (`with_state`)
// that graph state itself, fixed: columns are built, and records read, from
// `state`, so that a commit another connection of the process makes while
// a scan runs is not half seen (a column built from a newer state would not
// match the snapshot).
struct SnapshotRead {
  std::shared_ptr<const CsrGraph> csr;     // null: read the records
  std::shared_ptr<const GraphView> state;  // with_state only
  uint64_t sequence = 0;                   // state's sequence number, with_state only
};

// The snapshot to read `read` through, if one is cached and shows the same
// state; else csr is null (and a build is started in the background when
// `read` is the latest committed state, as after a commit).
SnapshotRead ScanSnapshot(const ReadView& read, bool with_state);

// The `key` column of a snapshot's nodes as a lookup: key -> dense index,
// hashed (a join makes one lookup per outer row; the dictionary's binary
// search was a third of such a join's time).
class NodeKeyIndex {
 public:
  // Null when the column is not a string column (no nodes).
  static std::optional<NodeKeyIndex> Of(std::shared_ptr<const PropertyColumn> keys);

  std::optional<uint32_t> Find(std::string_view key) const;
  const PropertyColumn& keys() const { return *keys_; }

 private:
  std::shared_ptr<const PropertyColumn> keys_;  // owns the strings node_of_ views
  HashMap<std::string_view, uint32_t> node_of_;
};

// Dates as 'YYYY-MM-DD', each formatted once per scan: a scan meets few
// distinct days, and formatting one took most of a date column's read.
class DateTexts {
 public:
  std::string_view Text(Date date);

 private:
  HashMap<int32_t, std::string> texts_;
};

// A column read as the row path shows the field: kString as text, kInt,
// kDouble as numbers, kDate as 'YYYY-MM-DD', nulls as NULL. False (nothing
// set) for a type the field never has (kBool, kJson).
bool ResultColumnValue(sqlite3_context* ctx, const PropertyColumn& column, uint32_t row,
                       DateTexts& dates);

// Whether a column of a fixed field has a type the row path's values can
// have: `want`, or kNull (no row has a value).
inline bool ColumnIs(const PropertyColumn& column, ColumnType want) {
  return column.type() == want || column.type() == ColumnType::kNull;
}

}  // namespace samverkan::sql
