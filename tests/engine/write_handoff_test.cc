// WriteAccessWait: how a would-be writer waits for the process that holds a
// graph (write_handoff.h). The holder is another process, as it is in use:
// one that writes (holds the WritingMark and never lets go) or one that is
// idle (lets go when asked).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "samverkan/write_handoff.h"
#include "test_util.h"

namespace samverkan::test {
namespace {

using std::chrono::milliseconds;

// A holder of the graph at `path`, in a fresh process (see crash_test.cc
// for why not a plain fork): "writing" or "idle". Returns once it holds it.
class Holder {
 public:
  Holder(const std::string& path, const char* mode) {
    int ready[2];
    if (pipe(ready) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      setenv("SV_HOLDER_GRAPH", path.c_str(), 1);
      setenv("SV_HOLDER_MODE", mode, 1);
      setenv("SV_HOLDER_FD", std::to_string(ready[1]).c_str(), 1);
      execl("/proc/self/exe", "engine_tests", "--gtest_filter=WriteHandoffChild.Holder",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(ready[1]);
    char c = 0;
    holding_ = read(ready[0], &c, 1) == 1;
    close(ready[0]);
  }
  ~Holder() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  bool holding() const { return holding_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool holding_ = false;
};

// The child's side of Holder.
TEST(WriteHandoffChild, Holder) {
  const char* graph = std::getenv("SV_HOLDER_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by the WriteAccessWait tests";
  alarm(60);
  const bool writing = std::string(std::getenv("SV_HOLDER_MODE")) == "writing";
  const int ready = std::atoi(std::getenv("SV_HOLDER_FD"));
  auto db = Db::Open(graph, {});
  if (!db.ok()) _exit(2);
  std::unique_ptr<WritingMark> mark;
  if (writing) {
    auto taken = WritingMark::Take(graph);
    if (!taken.ok()) _exit(3);
    mark = std::move(*taken);
  }
  int asked[2];
  if (pipe(asked) != 0) _exit(4);
  auto watcher = WriteRequestWatcher::Start(graph, [&] {
    if (write(asked[1], "a", 1) != 1) _exit(5);
  });
  if (!watcher.ok()) _exit(6);
  if (write(ready, "r", 1) != 1) _exit(7);
  char c = 0;
  // A writing holder hears the asks, but keeps the graph until killed.
  while (read(asked[0], &c, 1) == 1) {
    if (!writing) db->reset();
  }
  _exit(8);
}

std::string MakeGraph(const TempDir& dir) {
  const std::string path = dir.Sub("graph");
  Options options;
  auto db = Db::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return path;
}

// The wait's step: opens the graph for writing, as the SQL extension and
// the command-line tool do.
struct Opener {
  std::string path;
  int calls = 0;
  std::unique_ptr<Db> db;
  Status operator()() {
    ++calls;
    auto opened = Db::Open(path, {});
    if (!opened.ok()) return opened.status();
    db = std::move(*opened);
    return Status::OK();
  }
};

TEST(WriteAccessWaitTest, FreeGraphIsTakenAtOnce) {
  TempDir dir;
  Opener open{MakeGraph(dir)};
  WriteAccessWait wait(open.path, milliseconds(0));
  ASSERT_OK(wait.Take([&] { return open(); }));
  EXPECT_EQ(open.calls, 1);
  EXPECT_NE(open.db, nullptr);
}

TEST(WriteAccessWaitTest, IdleHolderIsGivenItsGraceWhateverTheTimeout) {
  // A busy timeout of 0 (the sqlite3 shell's) does not refuse a writer the
  // graph of a process that is merely holding it: that one lets go.
  TempDir dir;
  Opener open{MakeGraph(dir)};
  Holder holder(open.path, "idle");
  ASSERT_TRUE(holder.holding());
  WriteAccessWait wait(open.path, milliseconds(0));
  ASSERT_OK(wait.Take([&] { return open(); }));
  EXPECT_NE(open.db, nullptr);
}

TEST(WriteAccessWaitTest, WritingHolderMeansBusyAtTheOneDeadline) {
  TempDir dir;
  Opener open{MakeGraph(dir)};
  Holder holder(open.path, "writing");
  ASSERT_TRUE(holder.holding());
  const auto start = std::chrono::steady_clock::now();
  WriteAccessWait wait(open.path, milliseconds(200));
  Status taken = wait.Take([&] { return open(); });
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(200));
  EXPECT_EQ(taken.code(), Status::Code::kBusy) << taken.ToString();
  EXPECT_EQ(taken.message(), "graph '" + open.path + "' is being written by another process (pid " +
                                 std::to_string(holder.pid()) + ")");
  EXPECT_EQ(open.calls, 0) << "the graph was opened while another process held it";
  // The deadline has passed for the whole wait: a next step tries once
  // and does not start a busy timeout of its own.
  int attempts = 0;
  Status busy = wait.WhileBusy([&] {
    ++attempts;
    return Status::Busy("another writer in this process");
  });
  EXPECT_EQ(busy.message(), "another writer in this process");
  EXPECT_EQ(attempts, 1);
}

TEST(WriteAccessWaitTest, InterruptStopsTheWait) {
  TempDir dir;
  Opener open{MakeGraph(dir)};
  Holder holder(open.path, "writing");
  ASSERT_TRUE(holder.holding());
  std::atomic<int> asked{0};
  Interrupt interrupt([&] { return ++asked > 3; }, milliseconds(1));
  WriteAccessWait wait(open.path, milliseconds(600000), interrupt);
  Status taken = wait.Take([&] { return open(); });
  EXPECT_TRUE(taken.IsInterrupted()) << taken.ToString();
  EXPECT_EQ(open.calls, 0);

  int attempts = 0;
  Status busy = wait.WhileBusy([&] {
    ++attempts;
    return Status::Busy("another writer in this process");
  });
  EXPECT_TRUE(busy.IsInterrupted()) << busy.ToString();
  EXPECT_EQ(attempts, 1);
}

TEST(WriteAccessWaitTest, WhileBusyRetriesUntilTheOtherWriterIsDone) {
  TempDir dir;
  WriteAccessWait wait(dir.Sub("graph"), milliseconds(600000));
  int attempts = 0;
  ASSERT_OK(wait.WhileBusy([&] {
    return ++attempts < 4 ? Status::Busy("another writer in this process") : Status::OK();
  }));
  EXPECT_EQ(attempts, 4);
  // Anything but Busy is the answer, not a reason to wait.
  attempts = 0;
  Status other = wait.WhileBusy([&] {
    ++attempts;
    return Status::Locked("undecided");
  });
  EXPECT_TRUE(other.IsLocked());
  EXPECT_EQ(attempts, 1);
}

}  // namespace
}  // namespace samverkan::test
