// crash_writer: the process that crash_test.cc kills.
//
//   crash_writer write <graph> <edges> <fd>   commits transactions until
//                                             killed, writing a byte to <fd>
//                                             after the first
//   crash_writer create <graph>               creates the graph; exit 0
//
// A process of its own, started afresh: a fork of the test would inherit
// RocksDB's bookkeeping of background threads that the test process had
// started but not the threads themselves, and wait for its first flush for
// ever.
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "test_util.h"

namespace samverkan::test {
namespace {

// Each transaction adds hub-<i> and `edges` edges from it, and deletes the
// previous hub's first edge (to leaf-0). So in a graph of whole
// transactions the newest hub has `edges` edges and every other one
// `edges` - 1.
[[noreturn]] void WriteForever(const std::string& path, int edges, int committed) {
  auto db = Db::Open(path, Options{});
  if (!db.ok()) _exit(2);
  for (int i = 0;; ++i) {
    auto txn = (*db)->BeginTransaction("crash");
    if (!txn.ok()) _exit(3);
    const std::string hub = "hub-" + std::to_string(i);
    if (!(*txn)->PutNode(N(hub, "actor")).ok()) _exit(4);
    for (int j = 0; j < edges; ++j) {
      const std::string leaf = "leaf-" + std::to_string(j);
      if (!(*txn)->MergeNode(N(leaf, "project")).ok()) _exit(5);
      if (!(*txn)->PutEdge(E(hub, "participates_in", leaf)).ok()) _exit(6);
    }
    if (i > 0) {
      auto prev = (*txn)->FindKey("hub-" + std::to_string(i - 1));
      auto leaf = (*txn)->FindKey("leaf-0");
      auto type = (*txn)->schema().EdgeType("participates_in");
      if (!prev.ok() || !leaf.ok() || !type) _exit(8);
      auto edge = (*txn)->FindEdge(*prev, *type, *leaf, 0);
      if (!edge.ok() || !*edge || !(*txn)->DeleteEdge(**edge).ok()) _exit(9);
    }
    if (!(*txn)->Commit().ok()) _exit(7);
    if (i == 0 && write(committed, "c", 1) != 1) _exit(10);
  }
}

}  // namespace
}  // namespace samverkan::test

int main(int argc, char** argv) {
  const std::string command = argc > 2 ? argv[1] : "";
  if (command == "write" && argc == 5) {
    samverkan::test::WriteForever(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  }
  if (command == "create" && argc == 3) {
    return samverkan::Db::Open(argv[2], samverkan::Options{}).ok() ? 0 : 2;
  }
  return 64;
}
