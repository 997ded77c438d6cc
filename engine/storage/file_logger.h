// FileLogger: where RocksDB writes its own log (warnings and errors) for a
// graph: <dir>/LOG, the previous open's kept as LOG.old.
//
// RocksDB's own log file aborts the process (a RocksDB assertion kept in
// Debian's build) on the first message after a write to it failed, as it
// does on a full disk. This one writes with write(2) and drops what it
// cannot write.
#pragma once

#include <memory>
#include <string>

#include <rocksdb/env.h>

namespace samverkan::storage {

// A logger for the RocksDB instance whose log goes in `dir`; one that
// writes nothing when the file cannot be made.
std::shared_ptr<rocksdb::Logger> OpenFileLogger(const std::string& dir);

}  // namespace samverkan::storage
