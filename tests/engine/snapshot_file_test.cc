// Snapshot files (docs/on-disk-format.md, "Snapshot files"): a mapped
// snapshot answers as the one built from the store; the writer saves it
// and a later open maps it; every file that is not exactly the current
// state is ignored and rebuilt, one ahead of the store is refused; read-only
// opens never write.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <filesystem>
#include <fstream>
#include <random>
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

// Everything a CsrGraph answers, as text, so that two can be compared.
std::string Describe(const CsrGraph& g) {
  EXPECT_OK(g.CheckEdgePositions());
  std::string out = "n=" + std::to_string(g.num_nodes()) + " m=" + std::to_string(g.num_edges()) +
                    " w=" + std::to_string(g.has_weights()) + "\n";
  for (uint32_t v = 0; v < g.num_nodes(); ++v) {
    out += std::to_string(g.node_id(v)) + " k" + std::to_string(g.kind(v)) + " s" +
           std::to_string(g.sector(v)) + " idx" + std::to_string(*g.index_of(g.node_id(v))) +
           " out:";
    auto out_n = g.out_neighbors(v);
    for (size_t i = 0; i < out_n.size(); ++i) {
      out += " " + std::to_string(out_n[i]) + "/" + std::to_string(g.out_types(v)[i]) + "/p" +
             std::to_string(g.out_edge(v, i)) + "/e" + std::to_string(g.edge_id(g.out_edge(v, i)));
      if (g.has_weights()) out += "/w" + std::to_string(g.out_weights(v)[i]);
    }
    out += " in:";
    auto in_n = g.in_neighbors(v);
    for (size_t i = 0; i < in_n.size(); ++i) {
      out += " " + std::to_string(in_n[i]) + "/" + std::to_string(g.in_types(v)[i]) + "/p" +
             std::to_string(g.in_edge(v, i));
      if (g.has_weights()) out += "/w" + std::to_string(g.in_weights(v)[i]);
    }
    out += "\n";
  }
  EXPECT_FALSE(g.index_of(0).has_value());
  return out;
}

class SnapshotFileTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    BuildRandom(7, 60, 300);
  }

  // A random graph with parallel edges, self-loops, weights, dates and
  // properties, committed in one transaction.
  void BuildRandom(uint32_t seed, int n, int m, const std::string& prefix = "") {
    std::mt19937 rng(seed);
    auto txn = Begin();
    ASSERT_TRUE(txn);
    const char* kinds[] = {"actor", "project", "region"};
    const char* sectors[] = {"", "academia", "business"};
    for (int i = 0; i < n; ++i) {
      NodeInput in = N(prefix + "n" + std::to_string(i), kinds[rng() % 3], "", sectors[rng() % 3]);
      in.props = R"({"rank":)" + std::to_string(rng() % 50) + "}";
      ASSERT_OK(txn->PutNode(in).status());
    }
    const char* types[] = {"participates_in", "funds", "located_in"};
    for (int i = 0; i < m; ++i) {
      EdgeInput e = E(prefix + "n" + std::to_string(rng() % n), types[rng() % 3],
                      prefix + "n" + std::to_string(rng() % n), rng() % 2);
      if (rng() % 3 == 0) e.validity = {D(2010 + rng() % 5, 1, 1), D(2014 + rng() % 5, 6, 30)};
      e.weight = 0.5 + rng() % 4;
      e.props = R"({"role":")" + std::string(rng() % 2 ? "partner" : "coordinator") + "\"}";
      ASSERT_OK(txn->PutEdge(e).status());
    }
    ASSERT_OK(txn->Commit());
  }

  void AddNode(const std::string& key) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    ASSERT_OK(txn->PutNode(N(key, "actor")).status());
    ASSERT_OK(txn->Commit());
  }

  std::string FilePath(bool weighted = false) const {
    return path() + (weighted ? "/snapshot/csr-weighted.svcsr" : "/snapshot/csr.svcsr");
  }

  // Waits for the writer's background save of the snapshot of the latest
  // commit (it begins once commits have paused for 20 ms).
  CsrGraph::FileStamp WaitForFile(bool weighted = false) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto mapped = CsrGraph::Map(FilePath(weighted));
      if (mapped.ok() && mapped->first.sequence == db_->LatestSequence() &&
          mapped->second->CheckEdgePositions().ok()) {
        return mapped->first;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "no snapshot file of sequence " << db_->LatestSequence();
    return {};
  }

  // The snapshot the store gives now, built afresh.
  std::string Built(const CsrSpec& spec = {}) {
    auto snap = db_->GetSnapshot();
    auto csr = CsrGraph::Build(*snap, spec);
    EXPECT_OK(csr.status());
    return csr.ok() ? Describe(**csr) : "";
  }

  std::string FromDb(const CsrSpec& spec = {}) {
    auto csr = db_->Csr(spec);
    EXPECT_OK(csr.status());
    return csr.ok() ? Describe(**csr) : "";
  }

  static void Patch(const std::string& file, uint64_t offset, std::string_view bytes) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset));
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
};

// The checksum is CRC-32C: RFC 3720's check value, and continuing a CRC
// over a second part equals one CRC over both.
TEST(Crc32cTest, IsCastagnoli) {
  EXPECT_EQ(Crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(Crc32c("", 0), 0u);
  const std::string text(1000, 'x');
  for (size_t cut : {0, 1, 7, 8, 9, 500, 999}) {
    EXPECT_EQ(Crc32c(text.data() + cut, text.size() - cut, Crc32c(text.data(), cut)),
              Crc32c(text.data(), text.size()))
        << cut;
  }
}

TEST_F(SnapshotFileTest, AMappedSnapshotAnswersAsTheBuiltOne) {
  for (bool weighted : {false, true}) {
    CsrSpec spec;
    spec.with_weights = weighted;
    auto snap = db_->GetSnapshot();
    ASSERT_OK_AND_ASSIGN(auto built, CsrGraph::Build(*snap, spec));
    const std::string file = dir_.Sub(weighted ? "w.svcsr" : "u.svcsr");
    ASSERT_OK(built->Save(file, {41, 42}));
    ASSERT_OK_AND_ASSIGN(auto mapped, CsrGraph::Map(file));
    EXPECT_EQ(mapped.first, (CsrGraph::FileStamp{41, 42}));
    EXPECT_EQ(mapped.second->spec(), spec);
    EXPECT_EQ(Describe(*mapped.second), Describe(*built));
    EXPECT_FALSE(mapped.second->index_of(1000000).has_value());
    // Every edge id fits 4 bytes, so the file keeps them in 4 (block 12's
    // element size), and the mapped snapshot reads them there. The in
    // positions (block 11) are not kept: Describe's in_edge read the ones
    // derived from the out side.
    {
      std::ifstream in(file, std::ios::binary);
      std::string header(4096, '\0');
      in.read(header.data(), 4096);
      uint32_t width = 0;
      std::memcpy(&width, header.data() + 64 + 32 * 11 + 4, 4);
      EXPECT_EQ(width, 4u);
      uint64_t in_positions = 1;
      std::memcpy(&in_positions, header.data() + 64 + 32 * 10 + 16, 8);
      EXPECT_EQ(in_positions, 0u);
    }
    // Columns built over the mapped arrays equal those over the built ones.
    for (const auto* g : {built.get(), mapped.second.get()}) {
      ASSERT_OK_AND_ASSIGN(auto role, g->EdgeColumn(*snap, EdgeField::kProps, "role"));
      ASSERT_OK_AND_ASSIGN(auto weight, g->EdgeColumn(*snap, EdgeField::kWeight));
      ASSERT_OK_AND_ASSIGN(auto rank, g->NodeColumn(*snap, NodeField::kProps, "rank"));
      ASSERT_OK_AND_ASSIGN(auto key, g->NodeColumn(*snap, NodeField::kKey));
      std::string cells;
      for (uint32_t p = 0; p < g->num_edges(); ++p) {
        cells += std::string(role->text(p)) + ":" + std::to_string(weight->number(p)) + " ";
      }
      for (uint32_t v = 0; v < g->num_nodes(); ++v) {
        cells += std::string(key->text(v)) + "=" + std::to_string(rank->integer(v)) + " ";
      }
      RecordProperty(g == built.get() ? "built" : "mapped", static_cast<int>(cells.size()));
      static std::string first;
      if (g == built.get()) {
        first = cells;
      } else {
        EXPECT_EQ(cells, first);
      }
    }
    // PageRank reads the mapped arrays as it reads built ones.
    ASSERT_OK_AND_ASSIGN(auto pr_built, PageRank(*built, {}));
    ASSERT_OK_AND_ASSIGN(auto pr_mapped, PageRank(*mapped.second, {}));
    EXPECT_EQ(pr_built.rank, pr_mapped.rank);
  }
}

TEST_F(SnapshotFileTest, TheWriterSavesItAndTheNextOpenMapsIt) {
  EXPECT_FALSE(fs::exists(FilePath()));
  const std::string built = FromDb();
  const CsrGraph::FileStamp stamp = WaitForFile();
  EXPECT_EQ(stamp.sequence, db_->LatestSequence());
  Reopen();
  EXPECT_EQ(db_->LatestSequence(), stamp.sequence);
  // Put a different graph's snapshot under the current stamp: what Csr()
  // answers comes from the file, not from a rebuild.
  {
    test::TempDir other;
    auto odb = test::MustOpen(other.Sub("g"), FastOptions());
    ASSERT_NE(odb, nullptr);
    auto txn = odb->BeginTransaction();
    ASSERT_OK(txn.status());
    ASSERT_OK((*txn)->PutNode(N("x", "actor")).status());
    ASSERT_OK((*txn)->PutNode(N("y", "project")).status());
    ASSERT_OK((*txn)->PutEdge(E("x", "funds", "y")).status());
    ASSERT_OK((*txn)->Commit());
    ASSERT_OK_AND_ASSIGN(auto foreign, odb->Csr({}));
    ASSERT_OK(foreign->Save(FilePath(), stamp));
  }
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  EXPECT_EQ(csr->num_nodes(), 2u);
  EXPECT_EQ(csr->num_edges(), 1u);
  // The real file again: the mapped snapshot answers as the built one.
  Reopen();
  ASSERT_OK_AND_ASSIGN(auto rebuilt, CsrGraph::Build(*db_->GetSnapshot(), {}));
  ASSERT_OK(rebuilt->Save(FilePath(), stamp));
  EXPECT_EQ(FromDb(), built);
  auto report = db_->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_TRUE(report->notes.empty()) << test::Join(report->notes);
}

TEST_F(SnapshotFileTest, TheWeightedSnapshotIsKeptToo) {
  CsrSpec weighted;
  weighted.with_weights = true;
  const std::string built = FromDb(weighted);
  WaitForFile(/*weighted=*/true);
  Reopen();
  EXPECT_EQ(FromDb(weighted), built);
}

TEST_F(SnapshotFileTest, AStaleFileIsRebuiltAndReplaced) {
  FromDb();
  const CsrGraph::FileStamp old = WaitForFile();
  AddNode("newcomer");
  Reopen();
  // The file reflects the state before the commit: not used.
  const std::string now = Built();
  EXPECT_NE(now.find(std::to_string(test::IdOf(*db_, "newcomer"))), std::string::npos);
  EXPECT_EQ(FromDb(), now);
  const CsrGraph::FileStamp replaced = WaitForFile();
  EXPECT_GT(replaced.sequence, old.sequence);
  EXPECT_EQ(replaced.batch, old.batch + 1);
}

TEST_F(SnapshotFileTest, AFileAheadOfTheStoreIsRefusedAsDamage) {
  FromDb();
  CsrGraph::FileStamp stamp = WaitForFile();
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  ASSERT_OK(csr->Save(FilePath(), {stamp.sequence + 10, stamp.batch + 2}));
  db_.reset();
  auto refused = Db::Open(path(), FastOptions());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kCorruption) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("is damaged"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("csr.svcsr"), std::string::npos)
      << refused.status().message();
  // Read-only, with no writer: it answers from the store and the check
  // reports the file.
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(FromDb(), Built());
  auto report = db_->CheckIntegrity();
  ASSERT_OK(report.status());
  ASSERT_EQ(report->problems.size(), 1u) << test::Join(report->problems);
  EXPECT_NE(report->problems[0].find("batch"), std::string::npos) << report->problems[0];
}

TEST_F(SnapshotFileTest, ADamagedFileIsRebuiltAndReplaced) {
  FromDb();
  const CsrGraph::FileStamp stamp = WaitForFile();
  const auto size = fs::file_size(FilePath());
  struct Damage {
    const char* what;
    std::function<void(const std::string&)> apply;
    const char* note;  // what the integrity check says of it
  };
  const std::vector<Damage> damages = {
      {"a block's byte", [](const std::string& f) { Patch(f, 4096 + 3, "\x7f"); }, "checksum"},
      {"a header byte", [](const std::string& f) { Patch(f, 20, "\x01"); }, "header checksum"},
      {"truncated", [size](const std::string& f) { fs::resize_file(f, size / 2); }, "(truncated?)"},
      {"shorter than a page", [](const std::string& f) { fs::resize_file(f, 100); }, "truncated"},
      {"unknown version", [](const std::string& f) { Patch(f, 8, std::string("\x09\0\0\0", 4)); },
       "format version 9"},
      // Version 1 kept edge ids in 8 bytes: not this version's blocks, so
      // rebuilt, never read.
      {"the older version 1", [](const std::string& f) { Patch(f, 8, std::string("\x01\0\0\0", 4)); },
       "format version 1"},
      {"not a snapshot", [](const std::string& f) { test::WriteFile(f, "hello"); },
       "not a snapshot file"},
  };
  const std::string built = Built();
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.what);
    ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
    db_.reset();
    ASSERT_OK(good->Save(FilePath(), stamp));
    good.reset();
    d.apply(FilePath());
    db_ = test::MustOpen(path(), FastOptions());
    ASSERT_NE(db_, nullptr);
    auto report = db_->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << test::Join(report->problems);
    ASSERT_EQ(report->notes.size(), 1u);
    EXPECT_NE(report->notes[0].find(d.note), std::string::npos) << report->notes[0];
    EXPECT_NE(report->notes[0].find("rebuilt"), std::string::npos) << report->notes[0];
    EXPECT_EQ(FromDb(), built);
    // The writer replaces it with a whole file.
    EXPECT_EQ(WaitForFile(), stamp);
    ASSERT_OK(CsrGraph::Map(FilePath()).status());
  }
}

// Sets element `index` of block `block` (1-based, the format's order) to
// `value` and seals the file again: the block's checksum and the header's
// are recomputed, as a forger would. Returns the element's old value.
template <typename T>
T Forge(const std::string& file, uint32_t block, uint64_t index, T value) {
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto get32 = [&](size_t at) { uint32_t v; std::memcpy(&v, &bytes[at], 4); return v; };
  auto get64 = [&](size_t at) { uint64_t v; std::memcpy(&v, &bytes[at], 8); return v; };
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&bytes[at], &v, 4); };
  const size_t entry = 64 + 32 * (block - 1);
  EXPECT_EQ(get32(entry), block);
  EXPECT_EQ(get32(entry + 4), sizeof(T));
  const uint64_t offset = get64(entry + 8), count = get64(entry + 16);
  EXPECT_LT(index, count);
  T old;
  std::memcpy(&old, &bytes[offset + index * sizeof(T)], sizeof(T));
  std::memcpy(&bytes[offset + index * sizeof(T)], &value, sizeof(T));
  put32(entry + 24, Crc32c(&bytes[offset], count * sizeof(T)));
  const size_t header = get32(12);
  put32(header, Crc32c(bytes.data(), header));
  test::WriteFile(file, bytes);
  return old;
}

// A file whose checksums hold but whose arrays lie (written by another
// program, or by a buggy one) is never read: each value below would send a
// traversal or a lookup outside the arrays. It is rebuilt like a damaged
// file, and the check names what is wrong.
TEST_F(SnapshotFileTest, AFileWhoseArraysLieIsRebuiltNotRead) {
  const std::string built = FromDb();
  const CsrGraph::FileStamp stamp = WaitForFile();
  // Blocks: 1 ids, 2 index by id, 3 kinds, 4 sectors, 5/6 out/in offsets,
  // 7 out targets, 8 in sources, 9/10 out/in types, 11 in positions (empty).
  struct Lie {
    const char* what;
    std::function<void(const std::string&)> apply;
    const char* note;
    bool needs_schema = false;  // only the graph's symbols show it
    bool edge_positions = false;  // checked when first needed, not at Map
  };
  const std::vector<Lie> lies = {
      {"a neighbour past the nodes",
       [](const std::string& f) { Forge<uint32_t>(f, 7, 5, 0xFFFFFFF0u); }, "is not a node"},
      {"an in-neighbour past the nodes",
       [](const std::string& f) { Forge<uint32_t>(f, 8, 0, 1000000u); }, "is not a node"},
      // The in positions are not kept but derived from the out side when
      // first needed: in offsets that still rise from 0 to m but give a
      // node none of the slots its in-edges need are found then.
      {"in offsets that take a node's in-slots away",
       [](const std::string& f) {
         for (uint64_t v = 1; Forge<uint64_t>(f, 6, v, 0) == 0; ++v) {
         }
       },
       "not the out side mirrored", false, true},
      {"offsets that fall",
       [](const std::string& f) { Forge<uint64_t>(f, 5, 10, uint64_t{1} << 40); }, "offsets fall"},
      {"offsets that do not span the edges",
       [](const std::string& f) { Forge<uint64_t>(f, 6, 60, 7); }, "do not span"},
      // Kinds and sectors in 2 bytes, node ids in 4: the file keeps them so
      // when every one fits.
      {"a kind the graph never named",
       [](const std::string& f) { Forge<uint16_t>(f, 3, 0, 65000); }, "kind or sector", true},
      {"a sector the graph never named",
       [](const std::string& f) { Forge<uint16_t>(f, 4, 2, 77); }, "kind or sector", true},
      {"an edge type the graph never named",
       [](const std::string& f) { Forge<uint16_t>(f, 10, 4, 60000); }, "edge type 60000", true},
      {"node ids out of order",
       [](const std::string& f) { Forge<uint32_t>(f, 1, 1, 1); }, "do not ascend"},
      {"an index entry for a node that is not there",
       [](const std::string& f) { Forge<uint32_t>(f, 2, 0, 3u); }, "node ids are indexed"},
  };
  for (const Lie& lie : lies) {
    SCOPED_TRACE(lie.what);
    ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
    db_.reset();
    ASSERT_OK(good->Save(FilePath(), stamp));
    good.reset();
    lie.apply(FilePath());
    {
      auto mapped = CsrGraph::Map(FilePath());
      EXPECT_EQ(mapped.ok(), lie.needs_schema || lie.edge_positions)
          << mapped.status().ToString();
      if (!mapped.ok()) {
        EXPECT_EQ(mapped.status().code(), Status::Code::kCorruption);
      } else if (lie.edge_positions) {
        EXPECT_FALSE(mapped->second->EdgePositionsChecked());
        EXPECT_EQ(mapped->second->CheckEdgePositions().code(), Status::Code::kCorruption);
        EXPECT_EQ(mapped->second->CheckEdgePositions().code(), Status::Code::kCorruption);
        EXPECT_FALSE(mapped->second->EdgePositionsChecked());
      }
    }
    db_ = test::MustOpen(path(), FastOptions());
    ASSERT_NE(db_, nullptr);
    auto report = db_->CheckIntegrity();
    ASSERT_OK(report.status());
    EXPECT_TRUE(report->ok()) << test::Join(report->problems);
    ASSERT_EQ(report->notes.size(), 1u) << test::Join(report->notes);
    EXPECT_NE(report->notes[0].find(lie.note), std::string::npos) << report->notes[0];
    EXPECT_EQ(FromDb(), built);
    EXPECT_EQ(WaitForFile(), stamp);
  }
}

// A mapped snapshot's edge positions and ids are checked when first
// needed: walks and analytics (Db::Adjacency) never read them, so a damaged
// block there costs them nothing; Db::Csr, a commit's patch and the
// integrity check find it, and the snapshot is rebuilt from the store.
TEST_F(SnapshotFileTest, EdgePositionsAreCheckedWhenFirstNeeded) {
  const std::string built = FromDb();
  const CsrGraph::FileStamp stamp = WaitForFile();
  ASSERT_OK_AND_ASSIGN(auto good, db_->Csr({}));
  ASSERT_OK_AND_ASSIGN(const auto want_pr, PageRank(*good, {}));
  uint64_t ids_block = 0;  // block 12, the edge ids
  {
    std::ifstream in(FilePath(), std::ios::binary);
    std::string header(4096, '\0');
    in.read(header.data(), 4096);
    std::memcpy(&ids_block, header.data() + 64 + 32 * 11 + 8, 8);
  }
  for (const bool commit_first : {false, true}) {
    SCOPED_TRACE(commit_first ? "a commit patches the mapped snapshot" : "no commit");
    db_.reset();
    ASSERT_OK(good->Save(FilePath(), stamp));
    Patch(FilePath(), ids_block + 5, "\x7f");
    db_ = test::MustOpen(path(), FastOptions());
    ASSERT_NE(db_, nullptr);
    ASSERT_OK_AND_ASSIGN(auto walk, db_->Adjacency({}));
    EXPECT_FALSE(walk->EdgePositionsChecked());
    ASSERT_OK_AND_ASSIGN(auto pr, PageRank(*walk, {}));
    EXPECT_EQ(pr.rank, want_pr.rank);
    EXPECT_EQ(walk->CheckEdgePositions().message().find("block 12 checksum mismatch") !=
                  std::string::npos,
              true)
        << walk->CheckEdgePositions().ToString();
    walk.reset();
    if (commit_first) {
      AddNode("late");
      EXPECT_EQ(FromDb(), Built());
    } else {
      EXPECT_EQ(FromDb(), built);
      auto report = db_->CheckIntegrity();
      ASSERT_OK(report.status());
      EXPECT_TRUE(report->ok()) << test::Join(report->problems);
      ASSERT_EQ(report->notes.size(), 1u) << test::Join(report->notes);
      EXPECT_NE(report->notes[0].find("block 12 checksum mismatch"), std::string::npos)
          << report->notes[0];
    }
    // The writer replaces the file with a sound one.
    EXPECT_EQ(WaitForFile().sequence, db_->LatestSequence());
  }
}

// SaveSnapshotFile writes the file before it returns (an import's process
// exits right after), and the next open maps it.
TEST_F(SnapshotFileTest, SaveSnapshotFileWritesItNow) {
  ASSERT_OK(db_->SaveSnapshotFile());
  auto header = CsrGraph::ReadFileHeader(FilePath());
  ASSERT_OK(header.status());
  EXPECT_EQ(header->first.sequence, db_->LatestSequence());
  ASSERT_OK(db_->SaveSnapshotFile());  // current already: nothing to do
  const std::string built = Built();
  Reopen();
  EXPECT_EQ(FromDb(), built);
  db_.reset();
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(db_->SaveSnapshotFile().code(), Status::Code::kReadOnly);
}

TEST_F(SnapshotFileTest, ReadOnlyOpensNeverWrite) {
  db_.reset();
  Options ro = FastOptions();
  ro.read_only = true;
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  CsrSpec weighted;
  weighted.with_weights = true;
  EXPECT_EQ(FromDb(), Built());
  EXPECT_EQ(FromDb(weighted), Built(weighted));
  // No background save either (a writer's begins 220 ms after the build).
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_FALSE(fs::exists(path() + "/snapshot"));
  // A stale file stays as it is.
  Reopen();
  FromDb();
  WaitForFile();
  AddNode("later");
  db_.reset();
  const auto before = fs::last_write_time(FilePath());
  const std::string header_before = CsrGraph::ReadFileHeader(FilePath()).ok() ? "ok" : "bad";
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(FromDb(), Built());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(fs::last_write_time(FilePath()), before);
  EXPECT_EQ(header_before, "ok");
  // A read-only open maps the writer's current file.
  db_.reset();
  Reopen();
  FromDb();
  WaitForFile();
  db_.reset();
  db_ = test::MustOpen(path(), ro);
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(FromDb(), Built());
}

}  // namespace
}  // namespace samverkan
