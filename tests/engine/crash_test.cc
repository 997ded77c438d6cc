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

// Edges per transaction of the writer (crash_writer.cc).
constexpr int kEdgesPerTxn = 20;

// Starts crash_writer (crash_writer.cc) with `args`; its pid.
pid_t StartWriter(std::vector<std::string> args) {
  args.insert(args.begin(), SAMVERKAN_CRASH_WRITER);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = fork();
  if (child == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  return child;
}

TEST(CrashTest, KilledWriterLeavesWholeTransactionsOnly) {
  std::mt19937 rng(12345);
  int total_hubs = 0;
  for (int round = 0; round < 4; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    int committed[2];
    ASSERT_EQ(pipe(committed), 0);
    pid_t child = StartWriter({"write", path, std::to_string(kEdgesPerTxn),
                               std::to_string(committed[1])});
    close(committed[1]);
    ASSERT_GE(child, 0);
    // Killed at a random moment after its first commit: before it the graph
    // would be empty and prove nothing, and a loaded machine can take longer
    // than any fixed wait to get there. A writer that fails first closes the
    // pipe, and the wait status below says so.
    char byte;
    (void)!read(committed[0], &byte, 1);
    close(committed[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
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
    pid_t child = StartWriter({"create", path});
    ASSERT_GE(child, 0);
    // Creating a graph takes about 0.3 s (the process start included).
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 500000));
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
