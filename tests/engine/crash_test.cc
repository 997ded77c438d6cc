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
// edges from it, and deletes the previous hub's first edge (to leaf-0). So
// in a graph of whole transactions the newest hub has kEdgesPerTxn edges and
// every other one kEdgesPerTxn - 1.
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
    if (i > 0) {
      auto prev = (*txn)->FindKey("hub-" + std::to_string(i - 1));
      auto leaf = (*txn)->FindKey("leaf-0");
      auto type = (*txn)->schema().EdgeType("participates_in");
      if (!prev.ok() || !leaf.ok() || !type) _exit(8);
      auto edge = (*txn)->FindEdge(*prev, *type, *leaf, 0);
      if (!edge.ok() || !*edge || !(*txn)->DeleteEdge(**edge).ok()) _exit(9);
    }
    if (!(*txn)->Commit().ok()) _exit(7);
  }
}

TEST(CrashTest, KilledWriterLeavesWholeTransactionsOnly) {
  std::mt19937 rng(12345);
  int total_hubs = 0;
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
    // The hubs are hub-0 .. hub-<seen-1>, the newest with all its edges,
    // every other one without its first (deleted by the next transaction).
    auto hubs = db->Nodes(KindFilter("actor"));
    int seen = 0;
    for (; hubs->Valid(); hubs->Next()) ++seen;
    ASSERT_OK(hubs->status());
    for (int i = 0; i < seen; ++i) {
      const std::string hub = "hub-" + std::to_string(i);
      auto id = db->FindKey(hub);
      ASSERT_OK(id.status());
      auto degree = db->GetDegree(*id);
      ASSERT_OK(degree.status());
      EXPECT_EQ(degree->out, static_cast<uint64_t>(i == seen - 1 ? kEdgesPerTxn
                                                                  : kEdgesPerTxn - 1))
          << hub;
    }
    auto counts = db->Counts();
    ASSERT_OK(counts.status());
    EXPECT_EQ(counts->edges,
              seen == 0 ? 0u : static_cast<uint64_t>(seen) * (kEdgesPerTxn - 1) + 1);
    RecordProperty("hubs_round_" + std::to_string(round), seen);
    total_hubs += seen;
  }
  // Otherwise the checks above were of empty graphs.
  EXPECT_GT(total_hubs, 0) << "the writer never committed before it was killed";
}

// Killed while it creates a graph, a process leaves no graph, or a whole
// one: opening the path afterwards never finds half a graph.
TEST(CrashTest, KilledCreationLeavesNoGraphOrAWholeOne) {
  std::mt19937 rng(99);
  int whole = 0;
  for (int round = 0; round < 12; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto db = Db::Open(path, Options{});
      _exit(db.ok() ? 0 : 2);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60000));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0);
    }
    Options existing;
    existing.create_if_missing = false;
    auto opened = Db::Open(path, existing);
    if (opened.ok()) {
      ++whole;
      auto report = (*opened)->CheckIntegrity();
      ASSERT_OK(report.status());
      EXPECT_TRUE(report->ok());
    } else {
      EXPECT_TRUE(opened.status().IsNotFound()) << opened.status().ToString();
    }
    opened = Result<std::unique_ptr<Db>>(Status::NotFound("closed"));
    // Creating again works either way.
    auto again = Db::Open(path, Options{});
    ASSERT_OK(again.status());
  }
  RecordProperty("whole_graphs", whole);
}

}  // namespace
}  // namespace samverkan::test
