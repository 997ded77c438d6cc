#include "storage/test_hooks.h"

#include <mutex>

namespace samverkan::storage {
namespace {

std::mutex mu;
std::shared_ptr<rocksdb::Env> current;  // guarded by mu

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

}  // namespace samverkan::storage
