// A process killed with SIGKILL in the middle of writing leaves a graph that
// reopens whole: every transaction is there entirely or not at all.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace samverkan::test {
namespace {

constexpr int kEdgesPerTxn = 20;

// Commits transactions until killed: each adds hub-<i> and kEdgesPerTxn
// edges from it, and deletes the previous transaction's first edge.
[[noreturn]] void WriteForever(const std::string& path) {
  Options o;
  auto db = Db::Open(path, o);
  if (!db.ok()) _exit(2);
  for (int i = 0;; ++i) {
    auto txn = (*db)->BeginTransaction("crash");
    if (!txn.ok()) _exit(3);
    const std::string hub = "hub-" + std::to_string(i);
    if (!(*txn)->PutNode(N(hub, "actor")).ok()) _exit(4);
    for (int j = 0; j < kEdgesPerTxn; ++j) {
      const std::string leaf = "leaf-" + std::to_string(j);
      if (!(*txn)->MergeNode(N(leaf, "project")).ok()) _exit(5);
      if (!(*txn)->PutEdge(E(hub, "participates_in", leaf)).ok()) _exit(6);
    }
    if (!(*txn)->Commit().ok()) _exit(7);
  }
}

TEST(CrashTest, KilledWriterLeavesWholeTransactionsOnly) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 4; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) WriteForever(path);
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 400));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;

    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    auto report = db->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Join(report->problems);
    // Every hub that exists has all of its edges.
    auto hubs = db->Nodes(KindFilter("actor"));
    int seen = 0;
    for (; hubs->Valid(); hubs->Next(), ++seen) {
      auto degree = db->GetDegree(hubs->node().id);
      ASSERT_OK(degree.status());
      EXPECT_EQ(degree->out, static_cast<uint64_t>(kEdgesPerTxn)) << hubs->node().key;
    }
    ASSERT_OK(hubs->status());
    auto counts = db->Counts();
    ASSERT_OK(counts.status());
    EXPECT_EQ(counts->edges, static_cast<uint64_t>(seen) * kEdgesPerTxn);
    RecordProperty("hubs_round_" + std::to_string(round), seen);
  }
}

}  // namespace
}  // namespace samverkan::test
