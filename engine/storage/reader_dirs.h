// Reader directories: where a read-only open's RocksDB secondary instance
// keeps its own log, one per open, under the temporary directory ($TMPDIR,
// else /tmp).
//
// Each is named "samverkan-reader-<pid>-XXXXXX" for the process that made
// it. A process killed while it had a graph open cannot remove its own, so
// every new one first removes those whose process is gone.
#pragma once

#include <string>

#include "samverkan/result.h"

namespace samverkan::storage {

inline constexpr std::string_view kReaderDirPrefix = "samverkan-reader-";

// Makes a fresh reader directory, after removing stale ones.
Result<std::string> MakeReaderDirectory();

}  // namespace samverkan::storage
