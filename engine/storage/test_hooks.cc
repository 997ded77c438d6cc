#include "storage/test_hooks.h"

#include <atomic>
#include <mutex>

namespace samverkan::storage {
namespace {

std::mutex mu;
std::shared_ptr<rocksdb::Env> current;  // guarded by mu
std::atomic<uint64_t> csr_patches{0};
std::atomic<uint64_t> csr_log_patches{0};

}  // namespace

TestEnvScope::TestEnvScope(std::shared_ptr<rocksdb::Env> env) {
  std::lock_guard lock(mu);
  current = std::move(env);
}

TestEnvScope::~TestEnvScope() {
  std::lock_guard lock(mu);
  current.reset();
}

std::shared_ptr<rocksdb::Env> TestEnv() {
  std::lock_guard lock(mu);
  return current;
}

uint64_t CsrPatchCount() { return csr_patches.load(); }
uint64_t CsrLogPatchCount() { return csr_log_patches.load(); }
void NoteCsrPatch(bool from_log) {
  csr_patches.fetch_add(1);
  if (from_log) csr_log_patches.fetch_add(1);
}

}  // namespace samverkan::storage
