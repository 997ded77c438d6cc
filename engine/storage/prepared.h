// The record a prepared transaction leaves in the graph (two-phase commit,
// see Transaction::Prepare): under meta key "prepared/<xid>", what the
// transaction will write, and what is needed to decide and check it later.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "samverkan/db.h"
#include "samverkan/types.h"

namespace samverkan::storage {

struct PreparedRecord {
  PreparedTransaction about;
  // The batch id the transaction was built on (the graph's next batch id at
  // Prepare): a graph that has committed anything since has another, and
  // the prepared writes, computed against the older state, no longer apply.
  BatchId batch = 0;
  std::string writes;  // the RocksDB write batch, serialised
};

std::string EncodePrepared(const PreparedRecord& record);
// What EncodePrepared puts before the writes: a record is this header
// followed by `record.writes` (which is not read here), so that a caller
// holding the writes elsewhere need not copy them into the record.
std::string EncodePreparedHeader(const PreparedRecord& record);
// nullopt when malformed.
std::optional<PreparedRecord> DecodePrepared(std::string_view xid, std::string_view value);

}  // namespace samverkan::storage
