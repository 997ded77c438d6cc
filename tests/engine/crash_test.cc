// A process killed with SIGKILL in the middle of writing leaves a graph that
// reopens whole: every transaction is there entirely or not at all.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace samverkan::test {
namespace {

constexpr int kEdgesPerTxn = 20;

// The writers run as fresh processes: this test binary executed again with
// one CrashChild test selected. A plain fork() of a process that has opened
// RocksDB copies its thread pool's bookkeeping but not its threads, and the
// child then waits for ever for a flush nobody runs.
pid_t SpawnChild(const char* test, const std::string& graph, int fd = -1) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int null = open("/dev/null", O_WRONLY);
  dup2(null, STDOUT_FILENO);
  dup2(null, STDERR_FILENO);
  setenv("SV_CRASH_GRAPH", graph.c_str(), 1);
  setenv("SV_CRASH_FD", std::to_string(fd).c_str(), 1);
  std::string filter = std::string("--gtest_filter=CrashChild.") + test;
  execl("/proc/self/exe", "engine_tests", filter.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

// Commits transactions until killed: each adds hub-<i> and kEdgesPerTxn
// edges from it, and deletes the previous hub's first edge (to leaf-0). So
// in a graph of whole transactions the newest hub has kEdgesPerTxn edges and
// every other one kEdgesPerTxn - 1.
// After its first commit it writes a byte to `committed_fd`, so that the
// parent kills it mid-stream however slow the machine is.
[[noreturn]] void WriteForever(const std::string& path, int committed_fd) {
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
    if (i == 0) {
      if (write(committed_fd, "c", 1) != 1) _exit(10);
      close(committed_fd);
    }
  }
}

TEST(CrashTest, KilledWriterLeavesWholeTransactionsOnly) {
  std::mt19937 rng(12345);
  int total_hubs = 0;
  for (int round = 0; round < 4; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    int committed[2];
    ASSERT_EQ(pipe(committed), 0);
    pid_t child = SpawnChild("Writer", path, committed[1]);
    ASSERT_GE(child, 0);
    close(committed[1]);
    char c = 0;
    if (read(committed[0], &c, 1) != 1) {
      int status = 0;
      waitpid(child, &status, 0);
      FAIL() << "the writer died before its first commit, status " << status;
    }
    close(committed[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 300));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;

    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    auto report = db->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Join(report->problems);
    // Each commit's change set was written with it: the latest commit has
    // its record, and it says what the graph holds; no record is of a batch
    // the store lacks (a problem above).
    EXPECT_GE(report->change_records_checked, 2u);
    EXPECT_TRUE(report->latest_change_record_agrees);
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
  // Each writer committed before it was killed, so no round checked an empty
  // graph.
  EXPECT_GE(total_hubs, 4);
}

// Killed while it creates a graph, a process leaves no graph, or a whole
// one: opening the path afterwards never finds half a graph.
TEST(CrashTest, KilledCreationLeavesNoGraphOrAWholeOne) {
  std::mt19937 rng(99);
  int whole = 0;
  for (int round = 0; round < 12; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    pid_t child = SpawnChild("Create", path);
    ASSERT_GE(child, 0);
    // Starting the process takes a few milliseconds of the window.
    std::this_thread::sleep_for(std::chrono::microseconds(5000 + rng() % 80000));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the creating process failed";
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

// A writer killed while it saves its snapshot file never leaves a file that
// is read half-written: the file in place stays the previous, whole one (a
// new one is written beside it and renamed), and the next open rebuilds.
TEST(CrashTest, KilledSnapshotWriterLeavesNoHalfFile) {
  for (int round = 0; round < 2; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    const std::string file = path + "/snapshot/csr.svcsr";
    int writing[2];
    ASSERT_EQ(pipe(writing), 0);
    pid_t child = SpawnChild("SnapshotWriter", path, writing[1]);
    ASSERT_GE(child, 0);
    close(writing[1]);
    char c = 0;
    if (read(writing[0], &c, 1) != 1) {
      int status = 0;
      waitpid(child, &status, 0);
      FAIL() << "the writer died before it began its second file, status " << status;
    }
    close(writing[0]);
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;

    // Killed inside the write: its temporary file is there, and the file in
    // place is the first one, whole.
    int temporary = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path + "/snapshot")) {
      if (entry.path().filename().string().find(".tmp-") != std::string::npos) ++temporary;
    }
    EXPECT_EQ(temporary, 1);
    auto mapped = CsrGraph::Map(file);
    ASSERT_OK(mapped.status());
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    EXPECT_LT(mapped->first.sequence, db->LatestSequence());
    auto csr = db->Csr({});
    ASSERT_OK(csr.status());
    auto built = CsrGraph::Build(*db->GetSnapshot(), {});
    ASSERT_OK(built.status());
    ASSERT_EQ((*csr)->num_edges(), (*built)->num_edges());
    for (uint32_t v = 0; v < (*built)->num_nodes(); ++v) {
      auto a = (*csr)->out_neighbors(v);
      auto b = (*built)->out_neighbors(v);
      ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << v;
    }
    auto report = db->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Join(report->problems);
    EXPECT_TRUE(report->notes.empty()) << Join(report->notes);
  }
}

// The same for the columns file: killed while it saves the columns of a
// later state, the writer leaves the previous file whole (and stale), and
// the next open builds the columns again rather than read either.
TEST(CrashTest, KilledColumnsWriterLeavesNoHalfFile) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  const std::string file = path + "/snapshot/columns.svcol";
  int writing[2];
  ASSERT_EQ(pipe(writing), 0);
  pid_t child = SpawnChild("ColumnsWriter", path, writing[1]);
  ASSERT_GE(child, 0);
  close(writing[1]);
  char c = 0;
  if (read(writing[0], &c, 1) != 1) {
    int status = 0;
    waitpid(child, &status, 0);
    FAIL() << "the writer died before it began its second file, status " << status;
  }
  close(writing[0]);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;

  int temporary = 0;
  for (const auto& entry : std::filesystem::directory_iterator(path + "/snapshot")) {
    if (entry.path().filename().string().find("columns.svcol.tmp-") != std::string::npos) {
      ++temporary;
    }
  }
  EXPECT_EQ(temporary, 1);
  auto whole = CsrGraph::VerifyColumnsFile(file);
  ASSERT_OK(whole.status());
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  EXPECT_LT(whole->sequence, db->LatestSequence());
  auto csr = db->Csr({});
  ASSERT_OK(csr.status());
  EXPECT_EQ((*csr)->column_count(), 0u);  // the stale file is not mapped
  auto snap = db->GetSnapshot();
  auto built = CsrGraph::Build(*snap, {});
  ASSERT_OK(built.status());
  for (const auto* g : {csr->get(), built->get()}) {
    auto role = g->EdgeColumn(*snap, EdgeField::kProps, "role");
    ASSERT_OK(role.status());
    EXPECT_EQ((*role)->text(static_cast<uint32_t>(g->num_edges() - 1)).substr(0, 1), "r");
  }
  auto report = db->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << Join(report->problems);
  EXPECT_TRUE(report->notes.empty()) << Join(report->notes);
}

// A process that dies between Prepare and Commit leaves its transaction
// undecided: invisible, blocking writers, until settled either way.
class UndecidedTest : public ::testing::TestWithParam<bool> {};

TEST_P(UndecidedTest, ADeadPreparersTransactionWaitsForItsDecision) {
  const bool commit = GetParam();
  TempDir dir;
  const std::string graph = dir.Sub("graph");
  pid_t child = SpawnChild("Preparer", graph);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  auto db = Db::Open(graph, Options{});
  ASSERT_OK(db.status());
  auto undecided = (*db)->PreparedTransactions();
  ASSERT_EQ(undecided.size(), 1u);
  EXPECT_EQ(undecided[0].xid, "xid-1");
  EXPECT_EQ(undecided[0].coordinator, "the test");
  EXPECT_EQ(undecided[0].label, "prepared");
  EXPECT_EQ(NodeKeys(**db), (std::vector<std::string>{"base"}));
  auto refused = (*db)->BeginTransaction();
  EXPECT_CODE(kLocked, refused.status());
  EXPECT_NE(refused.status().message().find("the test"), std::string::npos)
      << refused.status().message();
  EXPECT_CODE(kLocked, (*db)->BeginBulkLoad().status());

  EXPECT_EQ((*db)->GetSnapshot()->CommitsOf("the test")->undecided,
            std::vector<std::string>{"xid-1"});
  ASSERT_OK((*db)->SettlePrepared("xid-1", commit));
  EXPECT_TRUE((*db)->PreparedTransactions().empty());
  auto settled = (*db)->GetSnapshot()->CommitsOf("the test");
  ASSERT_OK(settled.status());
  EXPECT_EQ(settled->last_committed, commit ? "xid-1" : "");
  EXPECT_TRUE(settled->undecided.empty());
  const std::vector<std::string> expected =
      commit ? std::vector<std::string>{"base", "new"} : std::vector<std::string>{"base"};
  EXPECT_EQ(NodeKeys(**db), expected);
  EXPECT_EQ(CountsString(**db), commit ? "nodes=2 edges=1" : "nodes=1 edges=0");
  EXPECT_EQ(static_cast<bool>((*db)->schema().EdgeType("prepared_type")), commit);
  auto report = (*db)->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  // Writable again, with the counters the settled transaction left.
  auto txn = (*db)->BeginTransaction();
  ASSERT_OK(txn.status());
  ASSERT_TRUE((*txn)->PutNode(N("after", "actor")).ok());
  ASSERT_OK((*txn)->Commit());
  db->reset();
  auto again = Db::Open(graph, Options{});
  ASSERT_OK(again.status());
  EXPECT_TRUE((*again)->PreparedTransactions().empty());
  EXPECT_TRUE((*again)->CheckIntegrity()->ok());
}

INSTANTIATE_TEST_SUITE_P(CommitOrRollBack, UndecidedTest, ::testing::Bool());

// The processes the tests above kill; skipped when run on their own.
TEST(CrashChild, Writer) {
  const char* graph = std::getenv("SV_CRASH_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by CrashTest.KilledWriterLeavesWholeTransactionsOnly";
  alarm(60);  // never outlive a stuck parent
  WriteForever(graph, std::atoi(std::getenv("SV_CRASH_FD")));
}

// Commits "base", prepares a transaction adding "new" and an edge to it of
// a new type, and exits without deciding (no destructor runs).
TEST(CrashChild, Preparer) {
  const char* graph = std::getenv("SV_CRASH_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by UndecidedTest";
  alarm(60);
  auto db = Db::Open(graph, Options{});
  if (!db.ok()) _exit(2);
  auto base = (*db)->BeginTransaction("base");
  if (!base.ok() || !(*base)->PutNode(N("base", "actor")).ok() || !(*base)->Commit().ok()) _exit(3);
  auto txn = (*db)->BeginTransaction("prepared");
  if (!txn.ok() || !(*txn)->PutNode(N("new", "project")).ok() ||
      !(*txn)->PutEdge(E("base", "prepared_type", "new")).ok()) {
    _exit(4);
  }
  if (!(*txn)->Prepare("xid-1", "the test").ok()) _exit(5);
  _exit(0);
}

// Commits a graph, waits for the background thread to save its snapshot
// file, commits one more edge and saves the new snapshot over the file
// itself, as the background thread does; halfway through the write (its
// interrupt is asked before each block) writes a byte to `writing_fd` and
// waits to be killed.
TEST(CrashChild, SnapshotWriter) {
  const char* graph = std::getenv("SV_CRASH_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by CrashTest.KilledSnapshotWriterLeavesNoHalfFile";
  alarm(60);
  const int writing_fd = std::atoi(std::getenv("SV_CRASH_FD"));
  Options o;
  o.sync_commits = false;
  auto db = Db::Open(graph, o);
  if (!db.ok()) _exit(2);
  auto commit = [&](int from, int to) {
    auto txn = (*db)->BeginTransaction("edges");
    if (!txn.ok()) _exit(3);
    std::mt19937 rng(from);
    for (int i = 0; from == 0 && i < 2000; ++i) {
      if (!(*txn)->PutNode(N("n" + std::to_string(i), "actor")).ok()) _exit(4);
    }
    for (int i = from; i < to; ++i) {
      if (!(*txn)->PutEdge(E("n" + std::to_string(i % 2000), "knows",
                             "n" + std::to_string(rng() % 2000), i))
               .ok()) {
        _exit(4);
      }
    }
    if (!(*txn)->Commit().ok()) _exit(5);
  };
  commit(0, 20000);
  const std::string file = std::string(graph) + "/snapshot/csr.svcsr";
  if (!(*db)->Csr({}).ok()) _exit(6);
  for (;;) {
    auto header = CsrGraph::ReadFileHeader(file);
    if (header.ok() && header->first.sequence == (*db)->LatestSequence()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto first = CsrGraph::ReadFileHeader(file);
  commit(20000, 20001);
  auto csr = (*db)->Csr({});
  if (!csr.ok() || !first.ok()) _exit(7);
  int asked = 0;
  Interrupt halfway(
      [&] {
        if (++asked == 7) {
          if (write(writing_fd, "w", 1) != 1) _exit(8);
          for (;;) pause();
        }
        return false;
      },
      std::chrono::milliseconds(0));
  CsrGraph::FileStamp next{(*db)->LatestSequence(), first->first.batch + 1};
  (void)(*csr)->Save(file, next, halfway);
  _exit(9);  // the write ended without reaching its seventh block
}

// As SnapshotWriter, for the columns file: commits a graph, builds some
// columns, waits for the background save of its columns file, commits one
// more edge and saves the columns of the new snapshot over the file itself;
// in the middle of that write, signals `writing_fd` and waits to be killed.
TEST(CrashChild, ColumnsWriter) {
  const char* graph = std::getenv("SV_CRASH_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by CrashTest.KilledColumnsWriterLeavesNoHalfFile";
  alarm(60);
  const int writing_fd = std::atoi(std::getenv("SV_CRASH_FD"));
  Options o;
  o.sync_commits = false;
  auto db = Db::Open(graph, o);
  if (!db.ok()) _exit(2);
  auto commit = [&](int from, int to) {
    auto txn = (*db)->BeginTransaction("edges");
    if (!txn.ok()) _exit(3);
    for (int i = 0; from == 0 && i < 2000; ++i) {
      NodeInput n = N("n" + std::to_string(i), "actor", "name " + std::to_string(i));
      if (!(*txn)->PutNode(n).ok()) _exit(4);
    }
    for (int i = from; i < to; ++i) {
      EdgeInput e = E("n" + std::to_string(i % 2000), "knows", "n" + std::to_string(i * 7 % 2000), i);
      e.props = "{\"role\":\"r" + std::to_string(i % 50) + "\"}";
      if (!(*txn)->PutEdge(e).ok()) _exit(4);
    }
    if (!(*txn)->Commit().ok()) _exit(5);
  };
  auto columns = [&](const CsrGraph& g) {
    auto snap = (*db)->GetSnapshot();
    for (NodeField f : {NodeField::kKey, NodeField::kName}) {
      if (!g.NodeColumn(*snap, f).ok()) _exit(6);
    }
    for (EdgeField f : {EdgeField::kRank, EdgeField::kValidFrom}) {
      if (!g.EdgeColumn(*snap, f).ok()) _exit(6);
    }
    if (!g.EdgeColumn(*snap, EdgeField::kProps, "role").ok()) _exit(6);
  };
  commit(0, 20000);
  const std::string file = std::string(graph) + "/snapshot/columns.svcol";
  {
    auto first_csr = (*db)->Csr({});
    if (!first_csr.ok()) _exit(6);
    columns(**first_csr);
  }
  for (;;) {
    auto header = CsrGraph::ReadColumnsHeader(file);
    if (header.ok() && header->sequence == (*db)->LatestSequence()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto first = CsrGraph::ReadColumnsHeader(file);
  // Reopened, the Db keeps no snapshot up to date in the background: only
  // this thread writes the file from here on.
  db->reset();
  db = Db::Open(graph, o);
  if (!db.ok()) _exit(2);
  commit(20000, 20001);
  auto csr = CsrGraph::Build(*(*db)->GetSnapshot(), {});
  if (!csr.ok() || !first.ok()) _exit(7);
  columns(**csr);
  int asked = 0;
  Interrupt halfway(
      [&] {
        if (++asked == 3) {
          if (write(writing_fd, "w", 1) != 1) _exit(8);
          for (;;) pause();
        }
        return false;
      },
      std::chrono::milliseconds(0));
  CsrGraph::FileStamp next{(*db)->LatestSequence(), first->batch + 1};
  (void)(*csr)->SaveColumns(file, next, halfway);
  _exit(9);  // the write ended without asking a third time
}

TEST(CrashChild, Create) {
  const char* graph = std::getenv("SV_CRASH_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by CrashTest.KilledCreationLeavesNoGraphOrAWholeOne";
  alarm(60);
  auto db = Db::Open(graph, Options{});
  _exit(db.ok() ? 0 : 2);
}

}  // namespace
}  // namespace samverkan::test
