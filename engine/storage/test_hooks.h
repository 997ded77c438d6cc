// Test hooks of the storage layer: not part of the engine's public API.
//
// Tests (tests/engine) reach this header through the engine's source
// directory, which their build adds to the include path; nothing else
// includes it.
#pragma once

#include <cstdint>
#include <memory>

#include <rocksdb/env.h>

namespace samverkan::storage {

// While one lives, every graph this process opens (creates, checks,
// salvages) does all its file operations through `env`: one that fails on
// purpose (tests/engine/fault_fs.h), say. A graph keeps the environment it
// was opened with until it is closed. Scopes do not nest.
class TestEnvScope {
 public:
  explicit TestEnvScope(std::shared_ptr<rocksdb::Env> env);
  ~TestEnvScope();
  TestEnvScope(const TestEnvScope&) = delete;
  TestEnvScope& operator=(const TestEnvScope&) = delete;
};

// The environment of a TestEnvScope alive now; null: the real file system.
std::shared_ptr<rocksdb::Env> TestEnv();

// How many CSR snapshots this process has derived from the one before a
// commit (Db::Csr patching it) rather than built from the graph: tests
// check with it that the patch path is taken. NoteCsrPatch counts one.
// Only patches that apply changes count: a snapshot reused because nothing
// it holds changed (a prepared record, or the moment inside a commit's write
// when the background warm thread may look) is no patch, and counting it
// made tests that expect one patch per commit race with that thread.
uint64_t CsrPatchCount();
// Of those, how many patched with the change log the store keeps (the
// commits of another process, or of this one before it opened the graph).
uint64_t CsrLogPatchCount();
void NoteCsrPatch(bool from_log);

}  // namespace samverkan::storage
