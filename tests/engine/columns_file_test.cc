// Columns files (docs/on-disk-format.md, "Columns files"): the property
// columns a snapshot has built, saved beside its snapshot file by the
// writer and mapped with it at the next open. A mapped column answers as
// the built one; a file that is not exactly the snapshot's state is ignored
// (the columns are built again), one ahead of the store is refused;
// read-only opens never write; a commit after mapping carries the mapped
// columns over correctly.
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "samverkan/samverkan.h"
#include "test_util.h"
#include "util/crc32c.h"

namespace samverkan {
namespace {

namespace fs = std::filesystem;
using test::D;
using test::E;
using test::N;

// Every cell of a column, as text, so that two can be compared.
std::string Cells(const PropertyColumn& c) {
  std::string out = "type=" + std::to_string(static_cast<int>(c.type())) +
                    " rows=" + std::to_string(c.size()) + " dict=[";
  for (std::string_view s : c.dictionary()) out += std::string(s) + "|";
  out += "]\n";
  for (uint32_t r = 0; r < c.size(); ++r) {
    if (c.is_null(r)) {
      out += "null\n";
      continue;
    }
    switch (c.type()) {
      case ColumnType::kInt: out += "i" + std::to_string(c.integer(r)); break;
      case ColumnType::kBool: out += c.boolean(r) ? "true" : "false"; break;
      case ColumnType::kDate: out += "d" + std::to_string(c.date(r).days); break;
      case ColumnType::kDouble: out += "f" + std::to_string(c.number(r)); break;
      case ColumnType::kString:
        out += "s" + std::to_string(c.code(r)) + ":" + std::string(c.text(r));
        break;
      case ColumnType::kJson: out += "j" + std::string(c.json(r)); break;
      case ColumnType::kNull: out += "?"; break;
    }
    out += "\n";
  }
  return out;
}

// The columns the tests read: one of every type, with nulls.
struct Wanted {
  bool edges;
  int field;
  std::string key;
  ColumnType type;
};
const std::vector<Wanted>& AllColumns() {
  static const std::vector<Wanted> kAll = {
      {false, static_cast<int>(NodeField::kKey), "", ColumnType::kString},
      {false, static_cast<int>(NodeField::kName), "", ColumnType::kString},
      {false, static_cast<int>(NodeField::kProps), "age", ColumnType::kInt},
      {false, static_cast<int>(NodeField::kProps), "score", ColumnType::kDouble},
      {false, static_cast<int>(NodeField::kProps), "active", ColumnType::kBool},
      {false, static_cast<int>(NodeField::kProps), "mixed", ColumnType::kJson},
      {false, static_cast<int>(NodeField::kProps), "nowhere", ColumnType::kNull},
      {true, static_cast<int>(EdgeField::kWeight), "", ColumnType::kDouble},
      {true, static_cast<int>(EdgeField::kValidFrom), "", ColumnType::kDate},
      {true, static_cast<int>(EdgeField::kValidTo), "", ColumnType::kDate},
      {true, static_cast<int>(EdgeField::kRank), "", ColumnType::kInt},
      {true, static_cast<int>(EdgeField::kProps), "role", ColumnType::kString},
      {true, static_cast<int>(EdgeField::kProps), "tags", ColumnType::kJson},
  };
  return kAll;
}

Result<std::shared_ptr<const PropertyColumn>> ColumnOf(const CsrGraph& g, const GraphView& view,
                                                       const Wanted& w) {
  if (w.edges) return g.EdgeColumn(view, static_cast<EdgeField>(w.field), w.key);
  return g.NodeColumn(view, static_cast<NodeField>(w.field), w.key);
}

// Fills `db` with nodes and edges whose properties make a column of every
// type; `role` is the edges' role prefix (a foreign graph differs there).
void Fill(Db& db, const std::string& role = "partner") {
  auto txn = db.BeginTransaction("fill");
  ASSERT_OK(txn.status());
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    NodeInput in = N("n" + std::to_string(i), i % 2 ? "actor" : "project",
                     i % 3 ? "Nämn " + std::to_string(i) + " 日本" : "");
    std::string props = "{";
    if (i % 4) props += R"("age":)" + std::to_string(i * 3) + ",";
    if (i % 5) props += R"("score":)" + std::to_string(i) + ".25,";
    if (i % 3) props += std::string(R"("active":)") + (i % 2 ? "true" : "false") + ",";
    props += i % 2 ? R"("mixed":1)" : R"("mixed":"ett")";
    props += R"(,"nowhere":null})";
    in.props = props;
    ASSERT_OK((*txn)->PutNode(in).status());
  }
  for (int i = 0; i < 120; ++i) {
    EdgeInput e = E("n" + std::to_string(i % n), "participates_in",
                    "n" + std::to_string((i * 7 + 3) % n), static_cast<uint32_t>(i % 2));
    if (i % 3 == 0) e.validity = {D(2010 + i % 5, 1, 1), D(2016 + i % 3, 6, 30)};
    if (i % 4) e.weight = 0.5 + i % 4;
    std::string props = "{";
    if (i % 6) props += R"("role":")" + role + (i % 2 ? "-Ω" : "-å") + "\",";
    props += i % 5 ? R"("tags":["a","ü"]})" : R"("tags":{"k":1}})";
    e.props = props;
    ASSERT_OK((*txn)->PutEdge(e).status());
  }
  ASSERT_OK((*txn)->Commit());
}

class ColumnsFileTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    Fill(*db_);
  }

  std::string ColumnsPath() const { return path() + "/snapshot/columns.svcol"; }

  // What the snapshot Db::Csr gives answers for every column.
  std::string FromDb() {
    auto csr = db_->Csr({});
    EXPECT_OK(csr.status());
    if (!csr.ok()) return "";
    return Describe(**csr, *db_->GetSnapshot());
  }

  // The same, of a snapshot and columns built afresh from the store.
  std::string Built() {
    auto snap = db_->GetSnapshot();
    auto csr = CsrGraph::Build(*snap, {});
    EXPECT_OK(csr.status());
    return csr.ok() ? Describe(**csr, *snap) : "";
  }

  static std::string Describe(const CsrGraph& g, const GraphView& view) {
    std::string out;
    for (const Wanted& w : AllColumns()) {
      auto c = ColumnOf(g, view, w);
      EXPECT_OK(c.status());
      if (!c.ok()) continue;
      EXPECT_EQ((*c)->type(), w.type) << w.key << " " << w.field;
      out += (w.edges ? "edge " : "node ") + std::to_string(w.field) + " " + w.key + ": " +
             Cells(**c);
    }
    return out;
  }

  // Waits for the writer's background save of the columns file of the
  // latest commit holding at least `columns` columns.
  CsrGraph::FileStamp WaitForColumns() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto header = CsrGraph::ReadColumnsHeader(ColumnsPath());
      if (header.ok() && header->sequence == db_->LatestSequence()) {
        auto csr = db_->Csr({});
        auto mapped = CsrGraph::Build(*db_->GetSnapshot(), {});
        if (csr.ok() && mapped.ok()) {
          auto n = (*mapped)->MapColumns(ColumnsPath(), *header);
          if (n.ok() && *n == (*csr)->column_count()) return *header;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "no columns file of sequence " << db_->LatestSequence();
    return {};
  }

  // Waits for the writer to replace a damaged columns file of `stamp` with
  // one whose every block checks.
  void WaitForSoundColumns(const CsrGraph::FileStamp& stamp) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto verified = CsrGraph::VerifyColumnsFile(ColumnsPath());
      if (verified.ok() && *verified == stamp) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "the damaged columns file was not replaced";
  }
  static void Patch(const std::string& file, uint64_t offset, std::string_view bytes) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
};

TEST_F(ColumnsFileTest, MappedColumnsAnswerAsBuiltOnes) {
  auto snap = db_->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto built, CsrGraph::Build(*snap, {}));
  const std::string want = Describe(*built, *snap);
  const std::string file = dir_.Sub("c.svcol");
  ASSERT_OK_AND_ASSIGN(size_t saved, built->SaveColumns(file, {41, 42}));
  EXPECT_EQ(saved, built->column_count());
  EXPECT_GE(saved, AllColumns().size());
  ASSERT_OK_AND_ASSIGN(auto stamp, CsrGraph::ReadColumnsHeader(file));
  EXPECT_EQ(stamp, (CsrGraph::FileStamp{41, 42}));
  ASSERT_OK_AND_ASSIGN(auto fresh, CsrGraph::Build(*snap, {}));
  EXPECT_EQ(fresh->MapColumns(file, {41, 43}).status().code(), Status::Code::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(size_t mapped, fresh->MapColumns(file, {41, 42}));
  EXPECT_EQ(mapped, saved);
  EXPECT_EQ(fresh->column_count(), saved);
  // Every column comes from the file (none is built: an empty view would
  // build them; a view whose records were all gone would fail).
  EXPECT_EQ(Describe(*fresh, *snap), want);
  EXPECT_EQ(fresh->column_count(), saved);
  // A snapshot of other rows refuses it.
  auto txn = Begin();
  ASSERT_OK(txn->PutNode(N("extra", "actor")).status());
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(auto bigger, CsrGraph::Build(*db_->GetSnapshot(), {}));
  EXPECT_EQ(bigger->MapColumns(file, {41, 42}).status().code(), Status::Code::kCorruption);
  ASSERT_OK(CsrGraph::VerifyColumnsFile(file).status());
}

// The writer saves the columns a query built; the next open maps them: a
// foreign graph's columns put under the current stamp are what it answers.
TEST_F(ColumnsFileTest, TheWriterSavesThemAndTheNextOpenMapsThem) {
  EXPECT_FALSE(fs::exists(ColumnsPath()));
  const std::string built = FromDb();
  EXPECT_EQ(built, Built());
  const CsrGraph::FileStamp stamp = WaitForColumns();
  Reopen();
  EXPECT_EQ(FromDb(), built);
  {
    test::TempDir other;
    auto odb = test::MustOpen(other.Sub("g"), FastOptions());
    ASSERT_NE(odb, nullptr);
    Fill(*odb, "foreign");
    ASSERT_OK_AND_ASSIGN(auto foreign, odb->Csr({}));
    ASSERT_OK(foreign->EdgeColumn(*odb->GetSnapshot(), EdgeField::kProps, "role").status());
    ASSERT_OK(foreign->SaveColumns(ColumnsPath(), stamp).status());
  }
  Reopen();
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  ASSERT_OK_AND_ASSIGN(auto role,
                       csr->EdgeColumn(*db_->GetSnapshot(), EdgeField::kProps, "role"));
  ASSERT_EQ(role->type(), ColumnType::kString);
  ASSERT_FALSE(role->is_null(1));
  EXPECT_TRUE(role->text(1).starts_with("foreign-")) << role->text(1);
  auto report = db_->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_TRUE(report->notes.empty()) << test::Join(report->notes);
}

// A commit after the columns were mapped: the next snapshot is patched
// from the mapped one, its columns carried over, and answers as a build.
TEST_F(ColumnsFileTest, ACommitAfterMappingAnswersRight) {
  FromDb();
  WaitForColumns();
  Reopen();
  ASSERT_OK_AND_ASSIGN(auto mapped, db_->Csr({}));
  EXPECT_GE(mapped->column_count(), AllColumns().size());  // mapped, before any query
  {
    auto txn = Begin();
    EdgeInput e = E("n1", "participates_in", "n2", 5);
    e.props = R"({"role":"partner-Ω","tags":["a","ü"]})";
    e.validity = {D(2012, 1, 1), D(2013, 1, 1)};
    ASSERT_OK(txn->PutEdge(e).status());
    NodeInput in = N("n3", "actor", "Ny Nämn");
    in.props = R"({"age":7,"score":1.5,"active":true,"mixed":1})";
    ASSERT_OK(txn->PutNode(in).status());
    ASSERT_OK(txn->Commit());
  }
  mapped.reset();
  EXPECT_EQ(FromDb(), Built());
  ASSERT_OK_AND_ASSIGN(auto role, db_->Csr({}));
  EXPECT_NE(Cells(**role->EdgeColumn(*db_->GetSnapshot(), EdgeField::kRank)).find("i5"),
            std::string::npos);
}

TEST_F(ColumnsFileTest, AStaleFileIsIgnoredAndReplaced) {
  FromDb();
  const CsrGraph::FileStamp old = WaitForColumns();
  auto txn = Begin();
  EdgeInput e = E("n1", "participates_in", "n2", 9);
  e.props = R"({"role":"newcomer"})";
  ASSERT_OK(txn->PutEdge(e).status());
  ASSERT_OK(txn->Commit());
  Reopen();
  const std::string now = Built();
  EXPECT_NE(now.find("newcomer"), std::string::npos);
  EXPECT_EQ(FromDb(), now);
  const CsrGraph::FileStamp replaced = WaitForColumns();
  EXPECT_EQ(replaced.batch, old.batch + 1);
}

TEST_F(ColumnsFileTest, AFileAheadOfTheStoreIsRefusedAsDamage) {
  FromDb();
  CsrGraph::FileStamp stamp = WaitForColumns();
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  ASSERT_OK(csr->SaveColumns(ColumnsPath(), {stamp.sequence + 10, stamp.batch + 2}).status());
  csr.reset();
  db_.reset();
  auto refused = Db::Open(path(), FastOptions());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kCorruption) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("columns.svcol"), std::string::npos)
      << refused.status().message();
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(FromDb(), Built());
  auto report = db_->CheckIntegrity();
  ASSERT_OK(report.status());
  ASSERT_EQ(report->problems.size(), 1u) << test::Join(report->problems);
  EXPECT_NE(report->problems[0].find("columns.svcol"), std::string::npos) << report->problems[0];
}

TEST_F(ColumnsFileTest, ADamagedFileIsIgnoredAndReplaced) {
  FromDb();
  const CsrGraph::FileStamp stamp = WaitForColumns();
  const auto size = fs::file_size(ColumnsPath());
  struct Damage {
    const char* what;
    std::function<void(const std::string&)> apply;
    const char* note;
    bool in_a_block;  // else in the header: nothing is mapped
  };
  const std::vector<Damage> damages = {
      {"a block's byte", [size](const std::string& f) { Patch(f, size - 4096 + 1, "\x7f"); },
       "checksum", true},
      {"a block's byte", [](const std::string& f) { Patch(f, 4096 + 3, "\x7f"); }, "checksum",
       true},
      {"a header byte", [](const std::string& f) { Patch(f, 20, "\x01"); }, "header checksum",
       false},
      {"truncated", [size](const std::string& f) { fs::resize_file(f, size / 2); },
       "(truncated?)", false},
      {"shorter than its header", [](const std::string& f) { fs::resize_file(f, 30); },
       "truncated", false},
      {"unknown version", [](const std::string& f) { Patch(f, 8, std::string("\x09\0\0\0", 4)); },
       "format version 9", false},
      // Version 1 kept every value in 8 bytes: its blocks are not this
      // version's, so it is built again, never read.
      {"the older version 1", [](const std::string& f) { Patch(f, 8, std::string("\x01\0\0\0", 4)); },
       "format version 1", false},
  };
  const std::string built = Built();
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.what);
    ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
    db_.reset();
    ASSERT_OK(good->SaveColumns(ColumnsPath(), stamp).status());
    good.reset();
    d.apply(ColumnsPath());
    db_ = test::MustOpen(path(), FastOptions());
    ASSERT_NE(db_, nullptr);
    auto report = db_->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << test::Join(report->problems);
    ASSERT_EQ(report->notes.size(), 1u) << test::Join(report->notes);
    EXPECT_NE(report->notes[0].find(d.note), std::string::npos) << report->notes[0];
    EXPECT_NE(report->notes[0].find("columns.svcol"), std::string::npos) << report->notes[0];
    ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
    if (d.in_a_block) {
      // Mapped, each column to be checked when first read: the damaged
      // one is then built again, never read.
      EXPECT_GE(csr->column_count(), AllColumns().size());
      EXPECT_FALSE(csr->mapped_columns_damaged());
      EXPECT_EQ(Describe(*csr, *db_->GetSnapshot()), built);
      EXPECT_TRUE(csr->mapped_columns_damaged());
    } else {
      EXPECT_EQ(csr->column_count(), 0u);  // not trusted: nothing mapped
    }
    csr.reset();
    EXPECT_EQ(FromDb(), built);
    WaitForSoundColumns(stamp);  // the writer replaces it
  }
}

// Sets row `row` of the values block of the column (edges, field, key) in
// a columns file to `value` (of the block's width) and seals the file
// again, as a forger would: the block's checksum and the header's are
// recomputed. Returns the block's element width.
uint32_t ForgeValue(const std::string& file, bool edges, int field, const std::string& key,
                    uint64_t row, uint64_t value) {
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto get32 = [&](size_t at) { uint32_t v; std::memcpy(&v, &bytes[at], 4); return v; };
  auto get64 = [&](size_t at) { uint64_t v; std::memcpy(&v, &bytes[at], 8); return v; };
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&bytes[at], &v, 4); };
  const uint32_t header = get32(12), columns = get32(56);
  size_t at = 64;
  uint32_t first_block = UINT32_MAX;
  for (uint32_t i = 0; i < columns; ++i) {
    const uint32_t key_size = get32(at + 4);
    if ((bytes[at] != 0) == edges && bytes[at + 1] == field &&
        bytes.compare(at + 16, key_size, key) == 0 && key_size == key.size()) {
      first_block = get32(at + 8);
    }
    at += 16 + (key_size + 7) / 8 * 8;
  }
  EXPECT_NE(first_block, UINT32_MAX) << key;
  if (first_block == UINT32_MAX) return 0;
  const size_t entry = at + 32 * (first_block + 1);  // the values block
  const uint32_t width = get32(entry);
  const uint64_t offset = get64(entry + 8), count = get64(entry + 16);
  EXPECT_LT(row, count);
  std::memcpy(&bytes[offset + row * width], &value, width);
  put32(entry + 24, Crc32c(&bytes[offset], count * width));
  put32(header, Crc32c(bytes.data(), header));
  test::WriteFile(file, bytes);
  return width;
}

// A file whose checksums hold but whose narrow codes lie (written by
// another program, or a buggy one): a code past its dictionary would be
// read as an index outside it. The file is not read; the columns are
// built again.
TEST_F(ColumnsFileTest, AFileWhoseCodesLieIsBuiltAgainNotRead) {
  const std::string built = FromDb();
  const CsrGraph::FileStamp stamp = WaitForColumns();
  struct Lie {
    const char* what;
    bool edges;
    int field;
    std::string key;
    uint64_t row;
    uint64_t value;
    uint32_t width;
  };
  // role: 2 strings, 1-byte codes; key: 40 strings, 1-byte codes.
  const std::vector<Lie> lies = {
      {"a role code past the dictionary", true, static_cast<int>(EdgeField::kProps), "role", 1,
       2, 1},
      {"a role code at the width's end", true, static_cast<int>(EdgeField::kProps), "role", 1,
       255, 1},
      {"another row's code past it", true, static_cast<int>(EdgeField::kProps), "role", 0,
       5, 1},
      {"a key code past the dictionary", false, static_cast<int>(NodeField::kKey), "", 3, 40, 1},
  };
  for (const Lie& lie : lies) {
    SCOPED_TRACE(lie.what);
    ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
    db_.reset();
    ASSERT_OK(good->SaveColumns(ColumnsPath(), stamp).status());
    good.reset();
    EXPECT_EQ(ForgeValue(ColumnsPath(), lie.edges, lie.field, lie.key, lie.row, lie.value),
              lie.width);
    EXPECT_EQ(CsrGraph::VerifyColumnsFile(ColumnsPath()).status().code(),
              Status::Code::kCorruption);
    db_ = test::MustOpen(path(), FastOptions());
    ASSERT_NE(db_, nullptr);
    auto report = db_->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << test::Join(report->problems);
    ASSERT_EQ(report->notes.size(), 1u) << test::Join(report->notes);
    EXPECT_NE(report->notes[0].find("out of range"), std::string::npos) << report->notes[0];
    ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
    EXPECT_FALSE(csr->mapped_columns_damaged());  // checked when first read
    EXPECT_EQ(Describe(*csr, *db_->GetSnapshot()), built);
    EXPECT_TRUE(csr->mapped_columns_damaged());
    csr.reset();
    EXPECT_EQ(FromDb(), built);
    WaitForSoundColumns(stamp);  // the writer replaces it
  }
}

// A mapped column's blocks are checked when it is first read, not when the
// graph opens: reading one column leaves a damaged other unread until it
// is asked for, and then it is built again. A commit patches only checked
// columns.
TEST_F(ColumnsFileTest, AColumnIsCheckedWhenFirstRead) {
  const std::string built = FromDb();
  const CsrGraph::FileStamp stamp = WaitForColumns();
  ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
  db_.reset();
  ASSERT_OK(good->SaveColumns(ColumnsPath(), stamp).status());
  good.reset();
  // A role code past its dictionary, sealed with valid checksums.
  ForgeValue(ColumnsPath(), true, static_cast<int>(EdgeField::kProps), "role", 1, 2);
  EXPECT_NE(CsrGraph::VerifyColumnsFile(ColumnsPath()).status().message().find("out of range"),
            std::string::npos);
  db_ = test::MustOpen(path(), FastOptions());
  ASSERT_NE(db_, nullptr);
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  const size_t mapped = csr->column_count();
  EXPECT_GE(mapped, AllColumns().size());
  auto snap = db_->GetSnapshot();
  ASSERT_OK(csr->NodeColumn(*snap, NodeField::kProps, "age").status());
  EXPECT_FALSE(csr->mapped_columns_damaged());  // the role column not read yet
  ASSERT_OK_AND_ASSIGN(auto role, csr->EdgeColumn(*snap, EdgeField::kProps, "role"));
  EXPECT_TRUE(csr->mapped_columns_damaged());
  EXPECT_EQ(role->text(1), "partner-Ω");
  EXPECT_EQ(csr->column_count(), mapped);
  // A commit patches the snapshot: its columns are all checked first.
  csr.reset();
  role.reset();
  snap.reset();
  {
    auto txn = Begin();
    ASSERT_OK(txn->PutNode(N("n5", "actor", "Ny")).status());
    ASSERT_OK(txn->Commit());
  }
  EXPECT_EQ(FromDb(), Built());
}

// Each column keeps its values in the fewest bytes its type and values
// allow, in memory and in the file, and a mapped column answers as the
// built one at every width: 1, 2 and 4-byte codes, 4 and 8-byte integers.
TEST_F(ColumnsFileTest, ValuesTakeTheNarrowestWidthAndRoundTrip) {
  {
    // 70,000 distinct names (4-byte codes), 300 distinct sizes (2-byte),
    // one integer past 32 bits.
    auto txn = Begin();
    for (int i = 0; i < 70000; ++i) {
      NodeInput in = N("w" + std::to_string(i), "org", "org " + std::to_string(i));
      in.props = R"({"size":")" + std::to_string(i % 300) + R"(","big":)" +
                 std::to_string(i == 5 ? int64_t{1} << 40 : i) + "}";
      ASSERT_OK(txn->PutNode(in).status());
    }
    ASSERT_OK(txn->Commit());
  }
  auto snap = db_->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto built, CsrGraph::Build(*snap, {}));
  struct Width {
    bool edges;
    int field;
    std::string key;
    unsigned width;
  };
  const std::vector<Width> widths = {
      {false, static_cast<int>(NodeField::kName), "", 4},
      {false, static_cast<int>(NodeField::kProps), "size", 2},
      {false, static_cast<int>(NodeField::kProps), "big", 8},
      {false, static_cast<int>(NodeField::kProps), "age", 4},
      {false, static_cast<int>(NodeField::kProps), "active", 1},
      {false, static_cast<int>(NodeField::kProps), "score", 8},
      {true, static_cast<int>(EdgeField::kProps), "role", 1},
      {true, static_cast<int>(EdgeField::kValidFrom), "", 4},
      {true, static_cast<int>(EdgeField::kRank), "", 4},
      {true, static_cast<int>(EdgeField::kWeight), "", 8},
  };
  std::string want;
  for (const Width& w : widths) {
    SCOPED_TRACE(w.key + " " + std::to_string(w.field));
    ASSERT_OK_AND_ASSIGN(auto c, ColumnOf(*built, *snap, {w.edges, w.field, w.key, {}}));
    EXPECT_EQ(c->value_width(), w.width);
    want += Cells(*c);
  }
  const std::string file = dir_.Sub("c.svcol");
  ASSERT_OK(built->SaveColumns(file, {7, 8}).status());
  ASSERT_OK_AND_ASSIGN(auto fresh, CsrGraph::Build(*snap, {}));
  ASSERT_OK(fresh->MapColumns(file, {7, 8}).status());
  const size_t mapped = fresh->column_count();
  std::string got;
  for (const Width& w : widths) {
    SCOPED_TRACE(w.key + " " + std::to_string(w.field));
    ASSERT_OK_AND_ASSIGN(auto c, ColumnOf(*fresh, *snap, {w.edges, w.field, w.key, {}}));
    EXPECT_EQ(c->value_width(), w.width);
    got += Cells(*c);
  }
  EXPECT_EQ(fresh->column_count(), mapped);  // every one read from the file
  EXPECT_EQ(got, want);
  ASSERT_OK(CsrGraph::VerifyColumnsFile(file).status());
}

TEST_F(ColumnsFileTest, ReadOnlyOpensNeverWrite) {
  db_.reset();
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(FromDb(), Built());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_FALSE(fs::exists(path() + "/snapshot"));
  // It maps the writer's file.
  Reopen();
  FromDb();
  const CsrGraph::FileStamp stamp = WaitForColumns();
  db_.reset();
  const auto before = fs::last_write_time(ColumnsPath());
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  EXPECT_GE(csr->column_count(), AllColumns().size());
  csr.reset();
  EXPECT_EQ(FromDb(), Built());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(fs::last_write_time(ColumnsPath()), before);
  EXPECT_EQ(*CsrGraph::ReadColumnsHeader(ColumnsPath()), stamp);
}

// An import's SaveSnapshotFile writes the columns built so far, the
// nodes' keys and names, and the props keys most nodes and edges hold.
TEST_F(ColumnsFileTest, SaveSnapshotFileSavesTheColumns) {
  ASSERT_OK(db_->SaveSnapshotFile());
  ASSERT_OK_AND_ASSIGN(auto stamp, CsrGraph::ReadColumnsHeader(ColumnsPath()));
  EXPECT_EQ(stamp.sequence, db_->LatestSequence());
  db_.reset();
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  // key, name, the nodes' age, score, active, mixed, the edges' role, tags
  const size_t mapped = csr->column_count();
  EXPECT_GE(mapped, 8u);
  auto snap = db_->GetSnapshot();
  ASSERT_OK(csr->EdgeColumn(*snap, EdgeField::kProps, "role").status());
  ASSERT_OK(csr->NodeColumn(*snap, NodeField::kProps, "score").status());
  EXPECT_EQ(csr->column_count(), mapped);  // read from the file, not built
  csr.reset();
  EXPECT_EQ(FromDb(), Built());
}

// The keys an import's columns are saved for come from rows spread over
// the whole graph, not from its first rows: here the first 4,200 nodes
// (regions) and their edges hold other keys than the 40,000 after them, as
// in a graph loaded regions first. Built from the first rows, only the
// regions' keys were saved, and the first query of a country or a role
// read every record.
TEST(ImportColumnsTest, SaveSnapshotFileSavesTheKeysMostRowsHold) {
  test::TempDir dir;
  Options o;
  o.sync_commits = false;
  auto db = test::MustOpen(dir.Sub("graph"), o);
  ASSERT_NE(db, nullptr);
  constexpr int kRegions = 4200, kActors = 40000;
  {
    ASSERT_OK_AND_ASSIGN(auto bulk, db->BeginBulkLoad());
    for (int i = 0; i < kRegions; ++i) {
      NodeInput n = test::N("r" + std::to_string(i), "region");
      n.props = R"({"level": )" + std::to_string(i % 3) + "}";
      ASSERT_OK(bulk->AddNode(n).status());
    }
    for (int i = 0; i < kActors; ++i) {
      NodeInput n = test::N("a" + std::to_string(i), "actor");
      n.props = R"({"country": ")" + std::string(i % 2 ? "SE" : "MT") + R"("})";
      ASSERT_OK(bulk->AddNode(n).status());
    }
    for (int i = 0; i < kRegions; ++i) {
      EdgeInput e =
          test::E("r" + std::to_string(i), "next_to", "r" + std::to_string((i + 1) % kRegions));
      e.props = R"({"km": 10})";
      ASSERT_OK(bulk->AddEdge(e));
    }
    for (int i = 0; i < kActors; ++i) {
      EdgeInput e =
          test::E("a" + std::to_string(i), "located_in", "r" + std::to_string(i % kRegions));
      e.props = R"({"role": ")" + std::string(i % 3 ? "partner" : "lead") + R"("})";
      ASSERT_OK(bulk->AddEdge(e));
    }
    ASSERT_OK(bulk->Finish());
  }
  ASSERT_OK(db->SaveSnapshotFile());
  db.reset();
  o.read_only = true;
  db = test::MustOpen(dir.Sub("graph"), o);
  ASSERT_NE(db, nullptr);
  ASSERT_OK_AND_ASSIGN(auto csr, db->Csr({}));
  const size_t mapped = csr->column_count();
  auto snap = db->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto country, csr->NodeColumn(*snap, NodeField::kProps, "country"));
  ASSERT_OK_AND_ASSIGN(auto role, csr->EdgeColumn(*snap, EdgeField::kProps, "role"));
  EXPECT_EQ(csr->column_count(), mapped);  // both read from the file, not built
  EXPECT_EQ(country->size(), static_cast<size_t>(kRegions + kActors));
  EXPECT_EQ(role->size(), static_cast<size_t>(kRegions + kActors));
}

}  // namespace
}  // namespace samverkan
