// A graph whose MANIFEST lost its tail is refused as damaged, and nothing in
// its directory is deleted; what a killed process normally leaves behind
// (files of an unfinished compaction, reader directories) still opens.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace samverkan::test {
namespace {
namespace fs = std::filesystem;

std::set<std::string> TableFiles(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".sst") out.insert(e.path().filename().string());
  }
  return out;
}

std::string CurrentManifest(const std::string& dir) {
  std::ifstream in(dir + "/CURRENT");
  std::string name;
  std::getline(in, name);
  return dir + "/" + name;
}

// Adds `n` nodes named <prefix>-<i>, each with an edge to the one before.
void AddChain(Db& db, const std::string& prefix, int n) {
  auto txn = db.BeginTransaction("chain");
  ASSERT_OK(txn.status());
  for (int i = 0; i < n; ++i) {
    const std::string key = prefix + "-" + std::to_string(i);
    ASSERT_OK((*txn)->PutNode(N(key, "actor")).status());
    if (i > 0) {
      ASSERT_OK((*txn)->PutEdge(E(prefix + "-" + std::to_string(i - 1), "knows", key)).status());
    }
  }
  ASSERT_OK((*txn)->Commit());
}

// A graph written by several processes in turn: each close flushes, so the
// graph has many table files, as in the issue (14).
void MakeGraphWithManyTables(const std::string& path) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    AddChain(*db, "r" + std::to_string(round), 100);
  }
}

// A MANIFEST cut short still decodes, as an older state: RocksDB would open
// it (losing the newer writes) and delete the table files it no longer
// lists. Cut by one byte, the graph lost its last flush; cut to 30% (as in
// the issue), most of its history.
TEST(StateRecordTest, TruncatedManifestIsDamagedAndNothingIsDeleted) {
  TempDir dir;
  const std::string original = dir.Sub("original");
  MakeGraphWithManyTables(original);
  const auto tables = TableFiles(original);
  ASSERT_GE(tables.size(), 10u);
  for (int percent_kept : {-1, 30}) {
    SCOPED_TRACE(percent_kept < 0 ? "cut by one byte" : "cut to 30%");
    const std::string path = dir.Sub("copy" + std::to_string(percent_kept));
    fs::copy(original, path);
    const std::string manifest = CurrentManifest(path);
    const auto size = fs::file_size(manifest);
    fs::resize_file(manifest, percent_kept < 0 ? size - 1 : size * percent_kept / 100);

    for (bool read_only : {true, false}) {
      Options o;
      o.read_only = read_only;
      o.create_if_missing = false;
      auto db = Db::Open(path, o);
      ASSERT_FALSE(db.ok()) << "read_only " << read_only << ": opened a damaged graph with "
                            << CountsString(**db);
      EXPECT_EQ(db.status().code(), Status::Code::kCorruption) << db.status().ToString();
      EXPECT_NE(db.status().message().find("graph '" + path + "' is damaged"),
                std::string::npos)
          << db.status().ToString();
      EXPECT_NE(db.status().message().find("MANIFEST"), std::string::npos)
          << db.status().ToString();
      EXPECT_EQ(TableFiles(path), tables) << "read_only " << read_only;
    }
  }
}

// The record catches a MANIFEST that lost its tail even where RocksDB
// rolled to a new MANIFEST, whose size the record does not know yet: the
// table files it records must still be listed.
TEST(StateRecordTest, RecordedTablesMissingFromManifestAreDamaged) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  const std::string record = path + "/SAMVERKAN-STATE";
  ASSERT_TRUE(fs::exists(record));
  // A record that names a newer table file than the MANIFEST lists, which
  // is still in the directory: what a lost MANIFEST tail looks like.
  const auto tables = TableFiles(path);
  const std::string extra = path + "/999999.sst";
  fs::copy_file(path + "/" + *tables.rbegin(), extra);
  std::ifstream in(record);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const size_t at = s.find("\ntables");
  ASSERT_NE(at, std::string::npos);
  s.insert(s.find('\n', at + 1), " 999999");
  WriteFile(record, s);

  auto db = Db::Open(path, {});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kCorruption);
  EXPECT_NE(db.status().message().find("999999.sst"), std::string::npos) << db.status().ToString();
  EXPECT_TRUE(fs::exists(extra));
}

// A table file the MANIFEST lists and the directory lacks: a read-write
// open names it and deletes nothing. (A read-only open, a RocksDB
// secondary, leaves such files out of its state: that is item 13's.)
TEST(StateRecordTest, MissingTableFileIsDamaged) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  // A live one: the first the state record lists.
  std::ifstream record(path + "/SAMVERKAN-STATE");
  std::string line, gone;
  while (std::getline(record, line)) {
    if (line.starts_with("tables ")) {
      std::istringstream words(line.substr(7));
      uint64_t first = 0;
      words >> first;
      gone = fmt::format("{:06}.sst", first);
    }
  }
  ASSERT_FALSE(gone.empty());
  ASSERT_TRUE(fs::remove(path + "/" + gone));
  const auto tables = TableFiles(path);
  for (bool with_record : {true, false}) {
    SCOPED_TRACE(with_record ? "with a record" : "without");
    if (!with_record) fs::remove(path + "/SAMVERKAN-STATE");
    auto db = Db::Open(path, {});
    ASSERT_FALSE(db.ok()) << CountsString(**db);
    EXPECT_EQ(db.status().code(), Status::Code::kCorruption) << db.status().ToString();
    EXPECT_NE(db.status().message().find("is damaged"), std::string::npos)
        << db.status().ToString();
    EXPECT_NE(db.status().message().find(gone.substr(0, gone.size() - 4)), std::string::npos)
        << db.status().ToString();
    EXPECT_EQ(TableFiles(path), tables);
  }
}

// The first table file the state record lists.
std::string FirstRecordedTable(const std::string& path) {
  std::ifstream record(path + "/SAMVERKAN-STATE");
  std::string line;
  while (std::getline(record, line)) {
    if (line.starts_with("tables ")) {
      std::istringstream words(line.substr(7));
      uint64_t first = 0;
      words >> first;
      return fmt::format("{:06}.sst", first);
    }
  }
  return {};
}

std::map<std::string, uintmax_t> TableSizes(const std::string& dir) {
  std::map<std::string, uintmax_t> out;
  for (const auto& t : TableFiles(dir)) out[t] = fs::file_size(dir + "/" + t);
  return out;
}

// A live table file that is missing, cut short or grown: every kind of open
// refuses the graph, the read-only one (a RocksDB secondary, which would
// otherwise answer point lookups from the older state it can assemble) as
// well as the read-write one, and nothing in the directory changes.
TEST(StateRecordTest, MissingOrResizedTableIsDamagedForEveryOpen) {
  TempDir dir;
  const std::string original = dir.Sub("original");
  MakeGraphWithManyTables(original);
  const std::string table = FirstRecordedTable(original);
  ASSERT_FALSE(table.empty());
  for (std::string damage : {"missing", "cut short", "grown"}) {
    for (bool read_only : {true, false}) {
      SCOPED_TRACE(damage + (read_only ? ", read-only" : ", read-write"));
      const std::string path = dir.Sub(fmt::format("{}-{}", damage.substr(0, 3), read_only));
      fs::copy(original, path);
      const std::string file = path + "/" + table;
      if (damage == "missing") {
        ASSERT_TRUE(fs::remove(file));
      } else {
        const auto size = fs::file_size(file);
        fs::resize_file(file, damage == "grown" ? size + 100 : size - 100);
      }
      const auto before = TableSizes(path);
      Options o;
      o.read_only = read_only;
      o.create_if_missing = false;
      auto db = Db::Open(path, o);
      ASSERT_FALSE(db.ok()) << "opened; node r0-5: "
                            << (*db)->GetNodeByKey("r0-5").status().ToString();
      EXPECT_EQ(db.status().code(), Status::Code::kCorruption) << db.status().ToString();
      EXPECT_NE(db.status().message().find("graph '" + path + "' is damaged"), std::string::npos)
          << db.status().ToString();
      EXPECT_NE(db.status().message().find(table.substr(0, table.size() - 4)), std::string::npos)
          << db.status().ToString();
      EXPECT_EQ(TableSizes(path), before);
    }
  }
}

// A reader that catches up with a writer whose new table file is gone does
// not stay at the older state it can still assemble: its refresh fails.
TEST(StateRecordTest, ReaderCatchingUpWithMissingTableIsDamaged) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  Options ro;
  ro.read_only = true;
  auto reader = MustOpen(path, ro);
  ASSERT_NE(reader, nullptr);
  const auto old_tables = TableFiles(path);
  {
    auto writer = MustOpen(path);
    ASSERT_NE(writer, nullptr);
    AddChain(*writer, "late", 20);
  }  // closing flushes: a new table file, recorded
  std::vector<std::string> added;
  for (const auto& t : TableFiles(path)) {
    if (!old_tables.count(t)) added.push_back(t);
  }
  ASSERT_FALSE(added.empty());
  for (const auto& t : added) ASSERT_TRUE(fs::remove(path + "/" + t));

  Status refreshed = reader->Refresh();
  ASSERT_FALSE(refreshed.ok()) << "caught up with " << CountsString(*reader);
  EXPECT_EQ(refreshed.code(), Status::Code::kCorruption) << refreshed.ToString();
  EXPECT_NE(refreshed.message().find("is damaged"), std::string::npos) << refreshed.ToString();
  EXPECT_NE(refreshed.message().find(added[0].substr(0, added[0].size() - 4)), std::string::npos)
      << refreshed.ToString();
  // Asked again, it still refuses rather than answer from the older state.
  EXPECT_FALSE(reader->Refresh().ok());
}

TEST(StateRecordTest, UnreferencedTableFileStillOpens) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  // What a process killed during a compaction leaves: a table file that no
  // MANIFEST (and no record) lists.
  const auto tables = TableFiles(path);
  fs::copy_file(path + "/" + *tables.begin(), path + "/999999.sst");
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(CountsString(*db), "nodes=300 edges=297");
  auto report = db->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << Join(report->problems);
}

TEST(StateRecordTest, GraphWithoutRecordOpensAndGetsOne) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  const std::string record = path + "/SAMVERKAN-STATE";
  ASSERT_TRUE(fs::remove(record));  // as a graph made by an older build
  {
    Options o;
    o.read_only = true;
    auto db = MustOpen(path, o);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(CountsString(*db), "nodes=300 edges=297");
  }
  EXPECT_FALSE(fs::exists(record));  // a reader writes nothing
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(CountsString(*db), "nodes=300 edges=297");
  }
  EXPECT_TRUE(fs::exists(record));
}

TEST(StateRecordTest, UnreadableRecordIsDamaged) {
  TempDir dir;
  const std::string path = dir.Sub("graph");
  MakeGraphWithManyTables(path);
  WriteFile(path + "/SAMVERKAN-STATE", "garbage\n");
  auto db = Db::Open(path, {});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kCorruption);
  EXPECT_NE(db.status().message().find("SAMVERKAN-STATE"), std::string::npos)
      << db.status().ToString();
}

// The child below runs as a fresh process (see crash_test.cc for why).
pid_t SpawnCompactor(const std::string& graph, int fd) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int null = open("/dev/null", O_WRONLY);
  dup2(null, STDOUT_FILENO);
  dup2(null, STDERR_FILENO);
  setenv("SV_COMPACT_GRAPH", graph.c_str(), 1);
  setenv("SV_COMPACT_FD", std::to_string(fd).c_str(), 1);
  execl("/proc/self/exe", "engine_tests", "--gtest_filter=StateRecordChild.Compactor",
        static_cast<char*>(nullptr));
  _exit(127);
}

// Killed at any point of a compaction, a process leaves a graph that opens
// with everything it committed.
TEST(StateRecordTest, KilledDuringCompactionReopens) {
  std::mt19937 rng(4242);
  for (int round = 0; round < 3; ++round) {
    TempDir dir;
    const std::string path = dir.Sub("graph");
    int started[2];
    ASSERT_EQ(pipe(started), 0);
    pid_t child = SpawnCompactor(path, started[1]);
    ASSERT_GE(child, 0);
    close(started[1]);
    char c = 0;
    if (read(started[0], &c, 1) != 1) {
      int status = 0;
      waitpid(child, &status, 0);
      FAIL() << "the compactor died before it compacted, status " << status;
    }
    close(started[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 200));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the compactor stopped by itself, status " << status;

    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    auto report = db->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Join(report->problems);
    auto counts = db->Counts();
    ASSERT_OK(counts.status());
    // Whole chains of 50 only, and at least the one committed before the
    // first compaction.
    EXPECT_GE(counts->nodes, 50u);
    EXPECT_EQ(counts->nodes % 50, 0u);
  }
}

TEST(StateRecordChild, Compactor) {
  const char* graph = std::getenv("SV_COMPACT_GRAPH");
  if (graph == nullptr) GTEST_SKIP() << "started by StateRecordTest.KilledDuringCompactionReopens";
  alarm(60);
  const int fd = std::atoi(std::getenv("SV_COMPACT_FD"));
  Options o;
  o.sync_commits = false;
  auto db = Db::Open(graph, o);
  if (!db.ok()) _exit(2);
  for (int i = 0;; ++i) {
    auto txn = (*db)->BeginTransaction("chain");
    if (!txn.ok()) _exit(3);
    for (int j = 0; j < 50; ++j) {
      if (!(*txn)->PutNode(N("c" + std::to_string(i) + "-" + std::to_string(j), "actor")).ok()) {
        _exit(4);
      }
    }
    if (!(*txn)->Commit().ok()) _exit(5);
    if (i == 0 && (write(fd, "c", 1) != 1 || close(fd) != 0)) _exit(6);
    if (!(*db)->Compact().ok()) _exit(7);
  }
}

// Sets $TMPDIR for as long as it lives, then restores it.
class ScopedTmpdir {
 public:
  explicit ScopedTmpdir(const std::string& dir) {
    if (const char* saved = std::getenv("TMPDIR")) saved_ = saved;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (saved_) {
      setenv("TMPDIR", saved_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }
  ScopedTmpdir(const ScopedTmpdir&) = delete;
  ScopedTmpdir& operator=(const ScopedTmpdir&) = delete;

 private:
  std::optional<std::string> saved_;
};

// Reader directories go under $TMPDIR; those of dead processes are removed
// at the next read-only open, those of live ones are kept.
TEST(ReaderDirectoryTest, UnderTmpdirAndStaleOnesRemoved) {
  TempDir graph_dir;
  const std::string path = graph_dir.Sub("graph");
  MakeGraphWithManyTables(path);
  TempDir temp;
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
  const std::string stale = temp.Sub("samverkan-reader-" + std::to_string(dead) + "-abcdef");
  const std::string live = temp.Sub("samverkan-reader-" + std::to_string(getppid()) + "-abcdef");
  const std::string old_style = temp.Sub("samverkan-reader-abcdef");
  for (const auto& d : {stale, live, old_style}) fs::create_directory(d);

  {
    Options o;
    o.read_only = true;
    auto db = [&] {
      ScopedTmpdir tmpdir(temp.path());
      return Db::Open(path, o);
    }();
    ASSERT_OK(db.status());
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(live));
    EXPECT_TRUE(fs::exists(old_style));
    int ours = 0;
    const std::string prefix = "samverkan-reader-" + std::to_string(getpid()) + "-";
    for (const auto& e : fs::directory_iterator(temp.path())) {
      if (e.path().filename().string().starts_with(prefix)) ++ours;
    }
    EXPECT_EQ(ours, 1);
  }
  int left = 0;
  for (const auto& e : fs::directory_iterator(temp.path())) {
    (void)e;
    ++left;
  }
  EXPECT_EQ(left, 2);  // the live process's and the old-style one
}

// Without a usable temporary directory (a full disk, a TMPDIR that does not
// exist), a read-only open still reads the graph.
TEST(ReaderDirectoryTest, ReadOnlyOpenWithoutTemporaryDirectory) {
  TempDir graph_dir;
  const std::string path = graph_dir.Sub("graph");
  MakeGraphWithManyTables(path);
  Options o;
  o.read_only = true;
  auto db = [&] {
    ScopedTmpdir tmpdir(graph_dir.Sub("no-such-directory"));
    return Db::Open(path, o);
  }();
  ASSERT_OK(db.status());
  EXPECT_EQ(CountsString(**db), "nodes=300 edges=297");
}

}  // namespace
}  // namespace samverkan::test
