// CheckIntegrity: a healthy graph passes; raw RocksDB corruptions are named.
//
// The corruptions write the key layouts of engine/storage/keys.h (and
// docs/on-disk-format.md) directly, re-encoded here so that the test depends
// on the documented format rather than on engine internals.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <bit>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "storage/test_hooks.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::E;
using test::N;

std::string BE32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}
std::string BE64(uint64_t v) { return BE32(static_cast<uint32_t>(v >> 32)) + BE32(static_cast<uint32_t>(v)); }

// kOut: src, type, dst, rank; kIn: dst, type, src, rank.
std::string AdjKey(NodeId node, SymbolId type, NodeId other, uint32_t rank) {
  return BE64(node) + BE32(type) + BE64(other) + BE32(rank);
}
std::string NameKey(const std::string& folded, NodeId id) {
  return folded + std::string(1, '\0') + BE64(id);
}
std::string IndexKey(SymbolSpace space, SymbolId sym, NodeId id) {
  return std::string(1, static_cast<char>(space)) + BE32(sym) + BE64(id);
}

// The graph directory opened with plain RocksDB, every column family listed.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<std::string> names;
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<rocksdb::ColumnFamilyDescriptor> descs;
    for (const auto& n : names) descs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    s = rocksdb::DB::Open(rocksdb::DBOptions(), path, descs, &handles, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
    for (size_t i = 0; i < handles.size(); ++i) handles_[names[i]] = handles[i];
  }
  ~RawDb() {
    for (auto& [name, h] : handles_) {
      if (db_) (void)db_->DestroyColumnFamilyHandle(h);
    }
    if (db_) (void)db_->Close();
  }

  bool ok() const { return db_ != nullptr; }

  rocksdb::ColumnFamilyHandle* cf(const std::string& name) {
    auto it = handles_.find(name);
    EXPECT_NE(it, handles_.end()) << "no column family " << name;
    return it == handles_.end() ? nullptr : it->second;
  }

  void Put(const std::string& family, const std::string& key, const std::string& value) {
    rocksdb::Status s = db_->Put(rocksdb::WriteOptions(), cf(family), key, value);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  // Deletes a key that must exist (so that a wrong layout is caught here).
  void DeleteExisting(const std::string& family, const std::string& key) {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(family), key, &v);
    EXPECT_TRUE(s.ok()) << family << " has no such key: " << s.ToString();
    s = db_->Delete(rocksdb::WriteOptions(), cf(family), key);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  std::string Get(const std::string& family, const std::string& key) {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(family), key, &v);
    EXPECT_TRUE(s.ok()) << family << ": " << s.ToString();
    return v;
  }

 private:
  struct Closer {
    void operator()(rocksdb::DB* db) const { delete db; }
  };
  std::unique_ptr<rocksdb::DB, Closer> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> handles_;
};

class IntegrityTest : public test::DbTest {
 protected:
  // a (1, "Alfa", alias "A1"), b (2), c (3); d (4) deleted.
  // Edges: a-knows->b (knows_), a-part_of->c (part_); one more deleted.
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    NodeInput a = N("a", "actor", "Alfa", "public");
    a.aliases = {"A1"};
    ASSERT_TRUE(txn->PutNode(a).ok());
    ASSERT_TRUE(txn->PutNode(N("b", "actor")).ok());
    ASSERT_TRUE(txn->PutNode(N("c", "project")).ok());
    ASSERT_TRUE(txn->PutNode(N("d", "actor")).ok());
    auto k = txn->PutEdge(E("a", "knows", "b"));
    auto p = txn->PutEdge(E("a", "part_of", "c"));
    auto x = txn->PutEdge(E("b", "part_of", "c"));
    ASSERT_TRUE(txn->PutEdge(E("d", "knows", "a")).ok());
    ASSERT_TRUE(k.ok() && p.ok() && x.ok());
    knows_ = *k;
    part_ = *p;
    ASSERT_OK(txn->Commit());
    txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->DeleteEdge(*x));
    ASSERT_OK(txn->DeleteNode(4));
    ASSERT_OK(txn->Commit());
    txn.reset();

    knows_type_ = *db_->schema().EdgeType("knows");
    part_type_ = *db_->schema().EdgeType("part_of");
    actor_ = *db_->schema().Find(SymbolSpace::kKind, "actor");
    project_ = *db_->schema().Find(SymbolSpace::kKind, "project");
  }

  IntegrityReport Check(size_t max_problems = 100) {
    auto r = db_->CheckIntegrity(max_problems);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IntegrityReport{};
  }

  // Closes the graph, lets `corrupt` write to it with RocksDB, reopens it and
  // checks it.
  IntegrityReport CorruptAndCheck(const std::function<void(RawDb&)>& corrupt,
                                  size_t max_problems = 100) {
    db_.reset();
    {
      RawDb raw(path());
      EXPECT_TRUE(raw.ok());
      if (raw.ok()) corrupt(raw);
    }
    db_ = test::MustOpen(path());
    if (!db_) return {};
    return Check(max_problems);
  }

  // True when one problem line contains every one of `parts`.
  static bool HasProblem(const IntegrityReport& r, const std::vector<std::string>& parts) {
    for (const std::string& line : r.problems) {
      bool all = true;
      for (const std::string& p : parts) all = all && line.find(p) != std::string::npos;
      if (all) return true;
    }
    return false;
  }

  EdgeId knows_ = 0, part_ = 0;
  SymbolId knows_type_ = 0, part_type_ = 0, actor_ = 0, project_ = 0;
};

std::string Problems(const IntegrityReport& r) { return "problems:\n  " + test::Join(r.problems); }

TEST_F(IntegrityTest, HealthyGraphPasses) {
  IntegrityReport r = Check();
  EXPECT_TRUE(r.ok()) << Problems(r);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.nodes_checked, 3u);
  EXPECT_EQ(r.edges_checked, 2u);
  // Still healthy after a reopen and a compaction.
  Reopen();
  ASSERT_OK(db_->Compact());
  r = Check();
  EXPECT_TRUE(r.ok()) << Problems(r);
  EXPECT_EQ(r.nodes_checked, 3u);
  EXPECT_EQ(r.edges_checked, 2u);
}

TEST_F(IntegrityTest, RawLayoutMatchesDocumentedKeys) {
  // Sanity check of this test's encoding against the graph: every key we are
  // about to corrupt exists.
  db_.reset();
  RawDb raw(path());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.Get("dict", "a"), BE64(1));
  EXPECT_EQ(raw.Get("degree", BE64(1)), BE64(2) + BE64(0));
  EXPECT_EQ(raw.Get("degree", BE64(2)), BE64(0) + BE64(1));
  EXPECT_EQ(raw.Get("edges", BE64(knows_)), AdjKey(1, knows_type_, 2, 0));
  EXPECT_EQ(raw.Get("default", "node_count"), BE64(3));
  EXPECT_EQ(raw.Get("default", "edge_count"), BE64(2));
  raw.Get("in", AdjKey(2, knows_type_, 1, 0));
  raw.Get("out", AdjKey(1, part_type_, 3, 0));
  raw.Get("names", NameKey("alfa", 1));
  raw.Get("names", NameKey("a1", 1));
  raw.Get("node_index", IndexKey(SymbolSpace::kKind, actor_, 1));
  raw.Get("nodes", BE64(3));
}

TEST_F(IntegrityTest, MissingInEntry) {
  IntegrityReport r = CorruptAndCheck(
      [&](RawDb& raw) { raw.DeleteExisting("in", AdjKey(2, knows_type_, 1, 0)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"edge " + std::to_string(knows_), "in"})) << Problems(r);
}

TEST_F(IntegrityTest, MissingOutEntry) {
  IntegrityReport r = CorruptAndCheck(
      [&](RawDb& raw) { raw.DeleteExisting("out", AdjKey(1, knows_type_, 2, 0)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"edge " + std::to_string(knows_)})) << Problems(r);
  EXPECT_TRUE(HasProblem(r, {"count"})) << Problems(r);
}

TEST_F(IntegrityTest, EdgeIdIndexPointsNowhere) {
  IntegrityReport r = CorruptAndCheck(
      [&](RawDb& raw) { raw.DeleteExisting("edges", BE64(part_)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"edge " + std::to_string(part_)})) << Problems(r);
}

TEST_F(IntegrityTest, WrongDegreeCounter) {
  IntegrityReport r =
      CorruptAndCheck([&](RawDb& raw) { raw.Put("degree", BE64(1), BE64(5) + BE64(7)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 1", "degree"})) << Problems(r);
  EXPECT_EQ(r.problems.size(), 1u) << Problems(r);
}

TEST_F(IntegrityTest, MissingDegreeCounter) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.DeleteExisting("degree", BE64(2)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 2"})) << Problems(r);
}

TEST_F(IntegrityTest, MissingDictionaryEntry) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.DeleteExisting("dict", "a"); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 1", "dict"})) << Problems(r);
}

TEST_F(IntegrityTest, DictionaryEntryForMissingNode) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.Put("dict", "ghost", BE64(42)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"ghost", "42"})) << Problems(r);
}

TEST_F(IntegrityTest, MissingNameIndexEntry) {
  IntegrityReport r =
      CorruptAndCheck([&](RawDb& raw) { raw.DeleteExisting("names", NameKey("a1", 1)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 1", "name", "a1"})) << Problems(r);
}

TEST_F(IntegrityTest, StaleNameIndexEntry) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.Put("names", NameKey("old name", 2), ""); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"old name", "2"})) << Problems(r);
  EXPECT_EQ(r.problems.size(), 1u) << Problems(r);
}

TEST_F(IntegrityTest, NameIndexEntryForDeletedNode) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.Put("names", NameKey("d", 4), ""); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"4"})) << Problems(r);
}

TEST_F(IntegrityTest, MissingKindIndexEntry) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) {
    raw.DeleteExisting("node_index", IndexKey(SymbolSpace::kKind, actor_, 2));
  });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 2", "kind"})) << Problems(r);
}

TEST_F(IntegrityTest, WrongKindIndexEntry) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) {
    raw.Put("node_index", IndexKey(SymbolSpace::kKind, project_, 1), "");
  });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 1"})) << Problems(r);
}

TEST_F(IntegrityTest, WrongGraphCounts) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) {
    raw.Put("default", "node_count", BE64(7));
    raw.Put("default", "edge_count", BE64(9));
  });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"7", "3", "nodes"})) << Problems(r);
  EXPECT_TRUE(HasProblem(r, {"9", "2", "edges"})) << Problems(r);
  EXPECT_EQ(r.problems.size(), 2u) << Problems(r);
}

TEST_F(IntegrityTest, NodeRecordMissingUnderItsEdges) {
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) { raw.DeleteExisting("nodes", BE64(2)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"edge " + std::to_string(knows_), "2"})) << Problems(r);
  EXPECT_TRUE(HasProblem(r, {"'b'", "2"})) << Problems(r);
}

TEST_F(IntegrityTest, UndecodableNodeRecord) {
  IntegrityReport r =
      CorruptAndCheck([&](RawDb& raw) { raw.Put("nodes", BE64(3), std::string("\xff\xff\xff", 3)); });
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(HasProblem(r, {"node 3"})) << Problems(r);
}

TEST_F(IntegrityTest, ProblemListIsTruncated) {
  IntegrityReport r = CorruptAndCheck(
      [&](RawDb& raw) {
        for (NodeId id : {1, 2, 3}) raw.Put("degree", BE64(id), BE64(100 + id) + BE64(0));
        raw.Put("default", "node_count", BE64(70));
      },
      2);
  EXPECT_EQ(r.problems.size(), 2u) << Problems(r);
  EXPECT_TRUE(r.truncated);
  // With room for all of them, nothing is truncated.
  r = Check();
  EXPECT_EQ(r.problems.size(), 4u) << Problems(r);
  EXPECT_FALSE(r.truncated);
}

// Release 0.1.0 wrote the day count of a date before 1970 sign-extended to
// 64 bits before zigzagging it (a 10-byte varint). Graphs holding such
// records read them as the dates meant, pass the check, and are rewritten in
// the 5-byte form when the edge is next written.
std::string Varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
uint64_t ZigZagAsVersion010Did(int32_t v) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(v)) << 1) ^
         static_cast<uint64_t>(static_cast<int64_t>(v) >> 63);
}

TEST_F(IntegrityTest, DatesBefore1970WrittenByVersion010AreRead) {
  const Date from = Date::FromYmd(1862, 5, 1), to = Date::FromYmd(1969, 12, 31);
  ASSERT_GT(ZigZagAsVersion010Did(from.days), uint64_t{UINT32_MAX});
  // Header: id, flags (2 = valid_from, 4 = valid_to), the two dates.
  const std::string header = Varint(knows_) + std::string(1, '\x06') +
                             Varint(ZigZagAsVersion010Did(from.days)) +
                             Varint(ZigZagAsVersion010Did(to.days));
  IntegrityReport r = CorruptAndCheck([&](RawDb& raw) {
    // Out value: header, batch, no sources, no properties.
    raw.Put("out", AdjKey(1, knows_type_, 2, 0), header + Varint(1) + Varint(0));
    raw.Put("in", AdjKey(2, knows_type_, 1, 0), header);
  });
  EXPECT_TRUE(r.ok()) << Problems(r);
  auto e = db_->GetEdge(knows_);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->validity.from, std::optional<Date>(from));
  EXPECT_EQ(e->validity.to, std::optional<Date>(to));
  auto in = db_->Edges(2, Direction::kIn);
  ASSERT_TRUE(in->Valid()) << in->status().ToString();
  EXPECT_EQ(in->edge().validity.from, std::optional<Date>(from));
  auto csr = db_->Csr({.valid_on = Date::FromYmd(1900, 1, 1)});
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  EXPECT_EQ((*csr)->num_edges(), 2u);  // knows_ and part_ (which has no dates)

  // Deleting the edge works too.
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->DeleteEdge(knows_));
  ASSERT_OK(txn->Commit());
  EXPECT_TRUE(Check().ok());
}

// Opening directories whose format is not ours.
TEST(FormatTest, NewerFormatVersionIsNotSupported) {
  test::TempDir dir;
  const std::string path = dir.Sub("g");
  {
    auto db = test::MustOpen(path);
    ASSERT_NE(db, nullptr);
  }
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw.Get("default", "format_version"), BE32(kFormatVersion));
    raw.Put("default", "format_version", BE32(kFormatVersion + 1));
  }
  auto db = Db::Open(path, {});
  EXPECT_CODE(kNotSupported, db.status());
  Options ro;
  ro.read_only = true;
  EXPECT_CODE(kNotSupported, Db::Open(path, ro).status());
}

// The change log (format 2): each commit's record, meta "changes/" + u64be
// batch, checked against the batches and, for the latest, the graph.
std::string ChangesKey(uint64_t batch) { return "changes/" + BE64(batch); }

TEST_F(IntegrityTest, ChangeLogIsChecked) {
  IntegrityReport r = Check();
  EXPECT_TRUE(r.ok()) << Problems(r);
  // The graph's creation and the two commits of SetUp.
  EXPECT_EQ(r.change_records_checked, 3u);
  EXPECT_TRUE(r.latest_change_record_agrees);
}

TEST_F(IntegrityTest, UndecodableChangeRecord) {
  IntegrityReport r = CorruptAndCheck(
      [](RawDb& raw) { raw.Put("default", ChangesKey(2), std::string("\x01\x00\x05", 3)); });
  EXPECT_TRUE(HasProblem(r, {"change log", "batch 2", "does not decode"})) << Problems(r);
}

TEST_F(IntegrityTest, ChangeRecordWithoutItsCommit) {
  IntegrityReport r = CorruptAndCheck(
      [](RawDb& raw) { raw.Put("default", ChangesKey(50), std::string("\x01\x01", 2)); });
  EXPECT_TRUE(HasProblem(r, {"change log", "batch 50", "not committed"})) << Problems(r);
}

TEST_F(IntegrityTest, LatestChangeRecordDisagreesWithTheGraph) {
  // Batch 3 (the latest) rewritten to say that node 1 was removed.
  IntegrityReport r = CorruptAndCheck([](RawDb& raw) {
    raw.Put("default", ChangesKey(3), std::string("\x01\x00\x01\x01\x01\x00\x00", 7));
  });
  EXPECT_TRUE(HasProblem(r, {"batch 3", "node 1", "disagrees"})) << Problems(r);
  EXPECT_FALSE(r.latest_change_record_agrees);
}

// tests/data/format-1-graph: a graph written by the build before the change
// log (format 1; tests/data/format-1-graph.md says how it was made). A
// read-only open reads it as it is; the first writable open upgrades it.
TEST(FormatTest, UpgradesAFormat1Graph) {
  test::TempDir dir;
  const std::string path = dir.Sub("old");
  std::filesystem::copy(SAMVERKAN_TEST_DATA_DIR "/format-1-graph", path,
                        std::filesystem::copy_options::recursive);
  {
    Options ro;
    ro.read_only = true;
    auto reader = test::MustOpen(path, ro);
    ASSERT_NE(reader, nullptr);
    ASSERT_OK_AND_ASSIGN(auto counts, reader->Counts());
    EXPECT_EQ(counts.nodes, 4u);
    EXPECT_EQ(counts.edges, 3u);
    ASSERT_OK_AND_ASSIGN(auto csr, reader->Csr({}));
    EXPECT_EQ(csr->num_edges(), 3u);
  }
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw.Get("default", "format_version"), BE32(1));
  }
  {
    auto writer = test::MustOpen(path);
    ASSERT_NE(writer, nullptr);
    Options ro;
    ro.read_only = true;
    auto reader = test::MustOpen(path, ro);
    ASSERT_NE(reader, nullptr);
    ASSERT_OK_AND_ASSIGN(auto before, reader->Csr({}));
    auto txn = writer->BeginTransaction("after the upgrade");
    ASSERT_OK(txn.status());
    ASSERT_OK((*txn)->PutNode(N("d", "actor", "Delta")).status());
    ASSERT_OK((*txn)->PutEdge(E("d", "participates_in", "p")).status());
    ASSERT_OK((*txn)->Commit());
    auto report = writer->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Problems(*report);
    // The commits before the upgrade have no records; this one has.
    EXPECT_EQ(report->change_records_checked, 1u);
    EXPECT_TRUE(report->latest_change_record_agrees);
    // A reader of the upgraded graph patches its snapshot with it.
    ASSERT_OK(reader->Refresh());
    const uint64_t log_patches = storage::CsrLogPatchCount();
    ASSERT_OK_AND_ASSIGN(auto after, reader->Csr({}));
    EXPECT_EQ(storage::CsrLogPatchCount(), log_patches + 1);
    EXPECT_EQ(after->num_nodes(), before->num_nodes() + 1);
    EXPECT_EQ(after->num_edges(), 4u);
  }
  RawDb raw(path);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.Get("default", "format_version"), BE32(kFormatVersion));
}

// Every edge of `view` as "src-type->dst weight", the weight's bits in hex
// ("-" for none), read from the out records and, for the same edge, from
// the in records.
std::vector<std::string> WeightList(const GraphView& view) {
  auto show = [](std::optional<double> w) {
    return w ? fmt::format("{:016x}", std::bit_cast<uint64_t>(*w)) : std::string("-");
  };
  std::vector<std::string> out;
  for (auto cur = view.AllEdges(); cur->Valid(); cur->Next()) {
    const EdgeRef& e = cur->edge();
    std::string in_weight = "?";
    for (auto in = view.Edges(e.dst, Direction::kIn, e.type); in->Valid(); in->Next()) {
      if (in->edge().id == e.id) in_weight = show(in->edge().weight);
    }
    out.push_back(test::KeyOf(view, e.src) + "-" +
                  std::string(view.schema().EdgeTypeName(e.type)) + "->" +
                  test::KeyOf(view, e.dst) + " " + show(e.weight) + " " + in_weight);
  }
  return out;
}

// tests/data/format-2-graph: a graph written by the last build of format 2,
// whose weights are all 8-byte doubles (tests/data/format-2-graph.md). A
// build of format 3 reads them as they were, read-only or after the upgrade,
// and writes new edges' short decimal weights in the new encoding beside them.
TEST(FormatTest, UpgradesAFormat2Graph) {
  test::TempDir dir;
  const std::string path = dir.Sub("old");
  std::filesystem::copy(SAMVERKAN_TEST_DATA_DIR "/format-2-graph", path,
                        std::filesystem::copy_options::recursive);
  auto bits = [](double w) { return fmt::format("{:016x}", std::bit_cast<uint64_t>(w)); };
  auto line = [&](const char* edge, std::optional<double> w) {
    const std::string b = w ? bits(*w) : "-";
    return std::string(edge) + " " + b + " " + b;
  };
  // In the store's order: by source, then type (as first met), then target.
  const std::vector<std::string> old_edges = {
      line("a-participates_in->p", 0.604),
      line("a-located_in->r", 1.0),
      line("a-funds->b", -12345.67),
      line("b-participates_in->p", 0.1 + 0.2),
      line("b-located_in->r", -0.0),
      line("b-funds->a", std::nullopt),
      line("p-located_in->r", 1e300),
      line("c-participates_in->p", 2.5),
  };
  {
    Options ro;
    ro.read_only = true;
    auto reader = test::MustOpen(path, ro);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(WeightList(*reader), old_edges);
  }
  {
    RawDb raw(path);
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw.Get("default", "format_version"), BE32(2));
  }
  std::string new_in_key, new_out_key, old_in_key;
  NodeId d = 0;
  {
    auto writer = test::MustOpen(path);
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(WeightList(*writer), old_edges);
    Options ro;
    ro.read_only = true;
    auto reader = test::MustOpen(path, ro);
    ASSERT_NE(reader, nullptr);
    ASSERT_OK_AND_ASSIGN(auto before, reader->Csr({.with_weights = true}));
    auto txn = writer->BeginTransaction("after the upgrade");
    ASSERT_OK(txn.status());
    ASSERT_OK((*txn)->PutNode(N("d", "actor", "Delta")).status());
    EdgeInput e = E("d", "participates_in", "p");
    e.weight = 0.25;
    ASSERT_OK((*txn)->PutEdge(e).status());
    ASSERT_OK((*txn)->Commit());
    ASSERT_OK_AND_ASSIGN(d, writer->FindKey("d"));
    ASSERT_OK_AND_ASSIGN(NodeId p, writer->FindKey("p"));
    ASSERT_OK_AND_ASSIGN(NodeId c, writer->FindKey("c"));
    const SymbolId type = *writer->schema().EdgeType("participates_in");
    new_in_key = AdjKey(p, type, d, 0);
    new_out_key = AdjKey(d, type, p, 0);
    old_in_key = AdjKey(p, type, c, 0);
    std::vector<std::string> all = old_edges;
    all.push_back(line("d-participates_in->p", 0.25));
    EXPECT_EQ(WeightList(*writer), all);
    auto report = writer->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << Problems(*report);
    EXPECT_TRUE(report->latest_change_record_agrees);
    // A reader patches its weighted snapshot with the new commit's record.
    ASSERT_OK(reader->Refresh());
    EXPECT_EQ(WeightList(*reader), all);
    ASSERT_OK_AND_ASSIGN(auto after, reader->Csr({.with_weights = true}));
    EXPECT_EQ(after->num_edges(), before->num_edges() + 1);
    std::vector<double> weights_of_d;
    for (uint32_t v = 0; v < after->num_nodes(); ++v) {
      if (after->node_id(v) != d) continue;
      auto w = after->out_weights(v);
      weights_of_d.assign(w.begin(), w.end());
    }
    EXPECT_EQ(weights_of_d, std::vector<double>{0.25});
  }
  RawDb raw(path);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.Get("default", "format_version"), BE32(kFormatVersion));
  EXPECT_EQ(kFormatVersion, 3u);
  // The new edge is written in format 3: its in value (the header) is the
  // id (a varint), the flags (1 = weight, 8 = decimal), then 0.25 as digits
  // 25 and scale 2 (a 2-byte varint); the out value begins the same.
  const std::string in_value = raw.Get("in", new_in_key);
  EXPECT_EQ(in_value.substr(1), std::string("\x09\xa2\x06", 3));  // 802 = 50 << 4 | 2
  EXPECT_EQ(raw.Get("out", new_out_key).substr(0, 4), in_value);
  // The old edges' weights stay as they were written, 8 bytes.
  EXPECT_EQ(raw.Get("in", old_in_key).size(), 1 + 1 + 8 + 3u);  // id, flags, weight, date
}

TEST(FormatTest, PlainRocksDbIsNotAGraph) {
  test::TempDir dir;
  const std::string path = dir.Sub("plain");
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, path, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "hello", "world").ok());
    delete raw;
  }
  EXPECT_CODE(kInvalidArgument, Db::Open(path, {}).status());
  Options ro;
  ro.read_only = true;
  EXPECT_CODE(kInvalidArgument, Db::Open(path, ro).status());
  EXPECT_CODE(kInvalidArgument, Db::Destroy(path));
  // Still a plain RocksDB with its data.
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path, &raw).ok());
  std::string v;
  EXPECT_TRUE(raw->Get(rocksdb::ReadOptions(), "hello", &v).ok());
  EXPECT_EQ(v, "world");
  delete raw;
}

}  // namespace
}  // namespace samverkan
