// Db::Open, locking, read-only opens and Db::Destroy.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::CountsString;
using test::MustOpen;
using test::N;
using test::NodeKeys;
using test::TempDir;

Status AddNode(Db& db, const std::string& key) {
  auto txn = db.BeginTransaction("add " + key);
  if (!txn.ok()) return txn.status();
  auto id = (*txn)->PutNode(N(key, "actor"));
  if (!id.ok()) return id.status();
  return (*txn)->Commit();
}

TEST(OpenTest, CreatesNewGraph) {
  TempDir dir;
  const std::string path = dir.Sub("g.kg");
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(std::filesystem::is_directory(path));
  EXPECT_FALSE(db->read_only());
  EXPECT_EQ(db->path(), path);
  EXPECT_EQ(CountsString(*db), "nodes=0 edges=0");
  EXPECT_EQ(db->schema().Names(SymbolSpace::kSector), DefaultSectors());
  EXPECT_TRUE(db->schema().Names(SymbolSpace::kKind).empty());
  EXPECT_TRUE(db->schema().Names(SymbolSpace::kEdgeType).empty());
  EXPECT_TRUE(NodeKeys(*db).empty());
  auto report = db->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
}

TEST(OpenTest, CreatesInEmptyExistingDirectory) {
  TempDir dir;
  const std::string path = dir.Sub("empty");
  std::filesystem::create_directory(path);
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(CountsString(*db), "nodes=0 edges=0");
}

TEST(OpenTest, ReopenKeepsData) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    ASSERT_OK(AddNode(*db, "org:msi"));
  }
  Options opts;
  opts.create_if_missing = false;
  auto db = MustOpen(path, opts);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(NodeKeys(*db), std::vector<std::string>{"org:msi"});
}

TEST(OpenTest, PathIsAFile) {
  TempDir dir;
  const std::string path = dir.Sub("file.txt");
  test::WriteFile(path, "hello\n");
  auto db = Db::Open(path, {});
  EXPECT_CODE(kInvalidArgument, db.status());
  // The file is left alone.
  EXPECT_TRUE(std::filesystem::is_regular_file(path));
}

TEST(OpenTest, DirectoryWithNonGraphFiles) {
  TempDir dir;
  const std::string path = dir.Sub("notes");
  std::filesystem::create_directory(path);
  test::WriteFile(path + "/readme.md", "# my notes\n");
  auto db = Db::Open(path, {});
  EXPECT_CODE(kInvalidArgument, db.status());
  // Nothing was added to the directory.
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(path)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(OpenTest, MissingWithoutCreateIsNotFound) {
  TempDir dir;
  Options opts;
  opts.create_if_missing = false;
  auto db = Db::Open(dir.Sub("nope"), opts);
  EXPECT_CODE(kNotFound, db.status());
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope")));
}

TEST(OpenTest, SecondWriterInSameProcessIsLocked) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto first = MustOpen(path);
  ASSERT_NE(first, nullptr);
  auto second = Db::Open(path, {});
  EXPECT_CODE(kLocked, second.status());
  EXPECT_TRUE(second.status().IsLocked());
  // The first one still works.
  EXPECT_OK(AddNode(*first, "org:a"));
  // Once closed, the graph can be opened again.
  first.reset();
  auto third = MustOpen(path);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(NodeKeys(*third), std::vector<std::string>{"org:a"});
}

TEST(OpenTest, ReadOnlyBesideWriterSeesDataAfterRefresh) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto writer = MustOpen(path);
  ASSERT_NE(writer, nullptr);
  ASSERT_OK(AddNode(*writer, "org:a"));

  Options ro_opts;
  ro_opts.read_only = true;
  auto reader = MustOpen(path, ro_opts);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->read_only());
  EXPECT_EQ(NodeKeys(*reader), std::vector<std::string>{"org:a"});

  ASSERT_OK(AddNode(*writer, "org:b"));
  ASSERT_OK(reader->Refresh());
  EXPECT_EQ(NodeKeys(*reader), (std::vector<std::string>{"org:a", "org:b"}));
  EXPECT_EQ(CountsString(*reader), "nodes=2 edges=0");
  auto id = reader->FindKey("org:b");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 2u);

  // Refresh on the writer is a no-op.
  EXPECT_OK(writer->Refresh());
}

// A reader that has caught up with some commits, then with a bulk load
// (files ingested under the state it had replayed from the log), reads the
// loaded graph whole: its counters and its scans agree.
TEST(OpenTest, ReadOnlyBesideWriterSeesABulkLoadWhole) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto writer = MustOpen(path);
  ASSERT_NE(writer, nullptr);
  Options ro_opts;
  ro_opts.read_only = true;
  auto reader = MustOpen(path, ro_opts);
  ASSERT_NE(reader, nullptr);
  ASSERT_OK(reader->Refresh());
  EXPECT_EQ(CountsString(*reader), "nodes=0 edges=0");
  {
    ASSERT_OK_AND_ASSIGN(auto bulk, writer->BeginBulkLoad("load"));
    for (int i = 0; i < 50; ++i) {
      ASSERT_OK(bulk->AddNode(N("bulk:" + std::to_string(i), "project")).status());
    }
    ASSERT_OK(bulk->Finish());
  }
  ASSERT_OK(reader->Refresh());
  EXPECT_EQ(CountsString(*reader), "nodes=50 edges=0");
  EXPECT_EQ(NodeKeys(*reader).size(), 50u);
  ASSERT_OK_AND_ASSIGN(auto csr, reader->Csr({}));
  EXPECT_EQ(csr->num_nodes(), 50u);
  // And a commit after the load.
  ASSERT_OK(AddNode(*writer, "org:c"));
  ASSERT_OK(reader->Refresh());
  EXPECT_EQ(CountsString(*reader), "nodes=51 edges=0");
  EXPECT_EQ(NodeKeys(*reader).size(), 51u);
  ASSERT_OK_AND_ASSIGN(csr, reader->Csr({}));
  EXPECT_EQ(csr->num_nodes(), 51u);
}

// A reader replays the writer's log into memtables of its own. When the
// writer then changes a record and flushes it to a table file (and drops the
// log), the reader must answer the table file's newer value, not its
// memtable's older one: a point lookup that stops at the first memtable
// holding the key would answer the old value until the reader reopens.
TEST(OpenTest, ReadOnlyBesideWriterSeesARecordChangedAndFlushed) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto writer = MustOpen(path);
  ASSERT_NE(writer, nullptr);
  auto put = [&](const std::string& props) {
    auto txn = writer->BeginTransaction("put");
    if (!txn.ok()) return txn.status();
    NodeInput n = N("org:a", "actor");
    n.props = props;
    auto id = (*txn)->PutNode(n);
    if (!id.ok()) return id.status();
    return (*txn)->Commit();
  };
  ASSERT_OK(put(R"({"v":1})"));
  ASSERT_OK(AddNode(*writer, "org:gone"));
  Options ro_opts;
  ro_opts.read_only = true;
  auto reader = MustOpen(path, ro_opts);
  ASSERT_NE(reader, nullptr);
  ASSERT_OK_AND_ASSIGN(Node before, reader->GetNodeByKey("org:a"));
  EXPECT_EQ(before.props, R"({"v":1})");
  EXPECT_EQ(NodeKeys(*reader).size(), 2u);
  ASSERT_OK(put(R"({"v":2})"));
  {
    ASSERT_OK_AND_ASSIGN(NodeId gone, writer->FindKey("org:gone"));
    ASSERT_OK_AND_ASSIGN(auto txn, writer->BeginTransaction("delete"));
    ASSERT_OK(txn->DeleteNode(gone));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK(writer->Compact());  // flushes the memtables, the log goes
  ASSERT_OK(put(R"({"v":3})"));
  ASSERT_OK(writer->Compact());
  ASSERT_OK(reader->Refresh());
  ASSERT_OK_AND_ASSIGN(Node after, reader->GetNodeByKey("org:a"));
  EXPECT_EQ(after.props, R"({"v":3})");
  // The deleted node: its tombstone compacted away with it, only the
  // reader's old memtable could still show it.
  EXPECT_EQ(NodeKeys(*reader), std::vector<std::string>{"org:a"});
  EXPECT_FALSE(reader->FindKey("org:gone").ok());
  EXPECT_EQ(CountsString(*reader), "nodes=1 edges=0");
}

// Catching up may open the reader's RocksDB instance afresh (above): a scan
// begun before goes on over the state it began on (under ASan, this is the
// test that the old instance stays open for it).
TEST(OpenTest, ScanOpenAcrossARefreshGoesOn) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto writer = MustOpen(path);
  ASSERT_NE(writer, nullptr);
  for (int i = 0; i < 20; ++i) ASSERT_OK(AddNode(*writer, "org:" + std::to_string(100 + i)));
  Options ro_opts;
  ro_opts.read_only = true;
  auto reader = MustOpen(path, ro_opts);
  ASSERT_NE(reader, nullptr);
  std::unique_ptr<NodeCursor> scan = reader->Nodes();
  ASSERT_TRUE(scan->Valid());
  scan->Next();
  ASSERT_OK(AddNode(*writer, "org:200"));
  ASSERT_OK(writer->Compact());
  ASSERT_OK(reader->Refresh());
  int rest = 0;
  for (; scan->Valid(); scan->Next()) ++rest;
  ASSERT_OK(scan->status());
  EXPECT_EQ(rest, 19);
  scan.reset();
  EXPECT_EQ(NodeKeys(*reader).size(), 21u);
}

TEST(OpenTest, ReadOnlyOpenWithoutWriter) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    ASSERT_OK(AddNode(*db, "org:a"));
  }
  Options ro;
  ro.read_only = true;
  auto r1 = MustOpen(path, ro);
  auto r2 = MustOpen(path, ro);  // any number of readers
  ASSERT_NE(r1, nullptr);
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(NodeKeys(*r1), std::vector<std::string>{"org:a"});
  EXPECT_EQ(NodeKeys(*r2), std::vector<std::string>{"org:a"});
  // A writer may still open beside the readers.
  auto w = MustOpen(path);
  EXPECT_NE(w, nullptr);
}

TEST(OpenTest, WritesThroughReadOnlyOpenFail) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
  }
  Options ro;
  ro.read_only = true;
  auto db = MustOpen(path, ro);
  ASSERT_NE(db, nullptr);
  auto txn = db->BeginTransaction("x");
  EXPECT_CODE(kReadOnly, txn.status());
}

TEST(OpenTest, DestroyRemovesGraph) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  {
    auto db = MustOpen(path);
    ASSERT_NE(db, nullptr);
    ASSERT_OK(AddNode(*db, "org:a"));
  }
  ASSERT_OK(Db::Destroy(path));
  Options opts;
  opts.create_if_missing = false;
  EXPECT_CODE(kNotFound, Db::Open(path, opts).status());
  // A new graph in its place is empty.
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(CountsString(*db), "nodes=0 edges=0");
}

TEST(OpenTest, DestroyRefusesOpenGraph) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  ASSERT_OK(AddNode(*db, "org:a"));
  Status s = Db::Destroy(path);
  EXPECT_FALSE(s.ok());
  EXPECT_CODE(kLocked, s);
  EXPECT_EQ(NodeKeys(*db), std::vector<std::string>{"org:a"});
}

TEST(OpenTest, DestroyRefusesNonGraphDirectory) {
  TempDir dir;
  const std::string path = dir.Sub("notes");
  std::filesystem::create_directory(path);
  test::WriteFile(path + "/precious.txt", "do not delete\n");
  Status s = Db::Destroy(path);
  EXPECT_FALSE(s.ok());
  EXPECT_CODE(kInvalidArgument, s);
  EXPECT_TRUE(std::filesystem::exists(path + "/precious.txt"));
}

TEST(OpenTest, CompactAndDiskUsage) {
  TempDir dir;
  auto db = MustOpen(dir.Sub("g"));
  ASSERT_NE(db, nullptr);
  for (int i = 0; i < 20; ++i) ASSERT_OK(AddNode(*db, "n" + std::to_string(i)));
  EXPECT_OK(db->Compact());
  auto usage = db->DiskUsage();
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_GT(*usage, 0u);
  EXPECT_EQ(CountsString(*db), "nodes=20 edges=0");
}

TEST(OpenTest, ReadOnlyOpenOfMissingGraphIsNotFound) {
  TempDir dir;
  Options ro;
  ro.read_only = true;
  EXPECT_CODE(kNotFound, Db::Open(dir.Sub("nope"), ro).status());
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("nope")));
}

// Another process: a read-write open gets Locked, a read-only open works.
// The lock's holder is found by asking the kernel, not by reading RocksDB's
// message: the error names the process that holds the graph.
TEST(OpenTest, LockedByAnotherProcessNamesItsPid) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  ASSERT_NE(MustOpen(path), nullptr);  // create, then close
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(30);
    close(ready[0]);
    close(done[1]);
    auto db = Db::Open(path, {});
    char c = db.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    if (read(done[0], &c, 1) < 0) _exit(3);  // hold the graph until told
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto second = Db::Open(path, {});
  EXPECT_CODE(kLocked, second.status());
  EXPECT_EQ(second.status().message(),
            "graph '" + path + "' is locked by another process (pid " + std::to_string(pid) + ")");
  close(done[1]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  close(ready[0]);
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  // Once the holder is gone, the graph opens for writing.
  EXPECT_NE(MustOpen(path), nullptr);
}

// The child is forked before this process opens anything, and reports back
// through a pipe: one byte with the code of its read-write Open, then the
// number of nodes its read-only open saw.
TEST(OpenTest, SecondProcessGetsLockedOrReadOnlyAccess) {
  TempDir dir;
  const std::string path = dir.Sub("g");
  int go[2], result[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(result), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(30);  // never hang the suite
    close(go[1]);
    close(result[0]);
    char c;
    if (read(go[0], &c, 1) != 1) _exit(2);
    unsigned char out[2] = {255, 255};
    {
      auto rw = Db::Open(path, {});
      out[0] = static_cast<unsigned char>(rw.status().code());
    }
    {
      Options ro;
      ro.read_only = true;
      auto reader = Db::Open(path, ro);  // closed before _exit
      if (reader.ok()) {
        auto counts = (*reader)->Counts();
        if (counts.ok()) out[1] = static_cast<unsigned char>(counts->nodes);
      }
    }
    if (write(result[1], out, 2) != 2) _exit(3);
    _exit(0);
  }
  close(go[0]);
  close(result[1]);
  auto db = MustOpen(path);
  ASSERT_NE(db, nullptr);
  ASSERT_OK(AddNode(*db, "org:a"));
  ASSERT_OK(AddNode(*db, "org:b"));
  ASSERT_EQ(write(go[1], "x", 1), 1);
  // The kernel names the lock's holder (this process) to the child.
  unsigned char got[2] = {0, 0};
  ssize_t n = read(result[0], got, 2);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  close(go[1]);
  close(result[0]);
  ASSERT_TRUE(WIFEXITED(wstatus)) << "child died, status " << wstatus;
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  ASSERT_EQ(n, 2);
  EXPECT_EQ(got[0], static_cast<unsigned char>(Status::Code::kLocked));
  EXPECT_EQ(got[1], 2);
  // The writer is unharmed.
  EXPECT_OK(AddNode(*db, "org:c"));
  EXPECT_EQ(CountsString(*db), "nodes=3 edges=0");
}

}  // namespace
}  // namespace samverkan
