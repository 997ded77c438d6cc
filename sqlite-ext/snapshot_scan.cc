// snapshot_scan.cc: see snapshot_scan.h.
#include "snapshot_scan.h"

namespace samverkan::sql {

SnapshotRead ScanSnapshot(const ReadView& read, bool with_state) {
  if (read.latest == nullptr) return {};
  std::shared_ptr<const GraphView> state;
  uint64_t sequence = 0;
  if (with_state) {
    if (const auto* pinned = dynamic_cast<const Snapshot*>(read.view)) {
      sequence = pinned->sequence();
      state = std::shared_ptr<const GraphView>(read.keepalive, read.view);
    } else {
      std::shared_ptr<const Snapshot> now = read.latest->GetSnapshot();
      sequence = now->sequence();
      state = std::move(now);
    }
  }
  auto csr = read.latest->CsrIfCached({});
  if (!csr) {
    // Building it now would make this scan slower than the records; the
    // next scan finds it.
    read.latest->WarmCsr({});
    return {};
  }
  // The cached snapshot is of the state that was latest when it was asked
  // for; if no commit came since `state` was taken, it is that state.
  if (with_state && read.latest->LatestSequence() != sequence) return {};
  return {std::move(csr), std::move(state), sequence};
}

std::optional<NodeKeyIndex> NodeKeyIndex::Of(std::shared_ptr<const PropertyColumn> keys) {
  if (keys->type() != ColumnType::kString) return std::nullopt;
  NodeKeyIndex index;
  index.node_of_.reserve(keys->size());
  for (uint32_t v = 0; v < keys->size(); ++v) {
    if (!keys->is_null(v)) index.node_of_.emplace(keys->text(v), v);
  }
  index.keys_ = std::move(keys);
  return index;
}

std::optional<uint32_t> NodeKeyIndex::Find(std::string_view key) const {
  auto it = node_of_.find(key);
  if (it == node_of_.end()) return std::nullopt;
  return it->second;
}

std::string_view DateTexts::Text(Date date) {
  if (texts_.size() > 65536) texts_.clear();  // bounded: dates of a scan are few
  auto [it, added] = texts_.try_emplace(date.days);
  if (added) it->second = date.ToString();
  return it->second;
}

bool ResultColumnValue(sqlite3_context* ctx, const PropertyColumn& column, uint32_t row,
                       DateTexts& dates) {
  if (column.type() == ColumnType::kNull || column.is_null(row)) {
    sqlite3_result_null(ctx);
    return true;
  }
  switch (column.type()) {
    case ColumnType::kString: ResultText(ctx, column.text(row)); return true;
    case ColumnType::kInt: sqlite3_result_int64(ctx, column.integer(row)); return true;
    case ColumnType::kDouble: sqlite3_result_double(ctx, column.number(row)); return true;
    case ColumnType::kDate: ResultText(ctx, dates.Text(column.date(row))); return true;
    default: return false;
  }
}

}  // namespace samverkan::sql
