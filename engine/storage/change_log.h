// The change log: what each recent commit changed, in the store beside the
// commit itself, so that a process reading a graph another process writes
// (a read-only open catching up with Refresh) or the next writer after a
// hand-over patches its CSR snapshot (CsrGraph::Patched) instead of
// rebuilding it. docs/on-disk-format.md, "The change log", is the format.
//
// One record per commit, under meta key "changes/<batch id>", written in the
// commit's own write batch (a crash keeps both or neither). A commit too big
// to record, and a bulk load, write "unknown": a reader then rebuilds. Each
// commit deletes the record kChangeLogCommits batches before its own, so the
// log holds the last kChangeLogCommits commits, each at most
// kMaxChangeRecordBytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "samverkan/csr.h"
#include "samverkan/types.h"

namespace samverkan::storage {

class WriteBuffer;

inline constexpr uint64_t kChangeLogCommits = 64;
inline constexpr size_t kMaxChangeRecordBytes = size_t{64} << 10;
// The record encoding's version (its first byte).
inline constexpr uint8_t kChangeRecordVersion = 1;

// The record of `changes`; "unknown" when null or when it would take more
// than kMaxChangeRecordBytes.
std::string EncodeChangeRecord(const CsrChanges* changes);

struct ChangeRecord {
  bool known = false;  // false: "unknown, rebuild"
  CsrChanges changes;  // when known
};
// nullopt when malformed or of another encoding version.
std::optional<ChangeRecord> DecodeChangeRecord(std::string_view value);

// Adds batch `batch`'s record to a commit's writes, and the deletion of the
// record that falls out of the log.
void PutChangeRecord(WriteBuffer* buffer, BatchId batch, const CsrChanges* changes);

}  // namespace samverkan::storage
