// BulkLoader: the graph it writes must equal the one a transaction writes.
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include <rocksdb/convenience.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/table_properties.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace samverkan::test {
namespace {

// Everything stored about a graph, one line per fact, ids included.
std::vector<std::string> Dump(const Db& db) {
  std::vector<std::string> out;
  auto nodes = db.Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    const Node& n = nodes->node();
    auto degree = db.GetDegree(n.id);
    out.push_back(NodeString(db, n) + " batch=" + std::to_string(n.batch) +
                  " degree=" + std::to_string(degree->out) + "/" + std::to_string(degree->in));
  }
  EXPECT_OK(nodes->status());
  auto edges = db.AllEdges();
  for (; edges->Valid(); edges->Next()) {
    auto e = edges->Load();
    EXPECT_OK(e.status());
    std::string line = "edge " + std::to_string(e->id) + " " + KeyOf(db, e->src) + " -" + e->type +
                       "-> " + KeyOf(db, e->dst) + "#" + std::to_string(e->rank) +
                       " w=" + (e->weight ? std::to_string(*e->weight) : "-") +
                       " from=" + (e->validity.from ? e->validity.from->ToString() : "-") +
                       " to=" + (e->validity.to ? e->validity.to->ToString() : "-") +
                       " props=" + e->props + " batch=" + std::to_string(e->batch) + " sources=";
    for (NodeId s : e->sources) line += KeyOf(db, s) + ",";
    out.push_back(line);
  }
  EXPECT_OK(edges->status());
  out.push_back(CountsString(db));
  for (auto space : {SymbolSpace::kKind, SymbolSpace::kSector, SymbolSpace::kEdgeType}) {
    out.push_back("schema " + Join(db.schema().Names(space)));
  }
  return out;
}

std::string NodeKeysByName(const GraphView& view, std::string_view name) {
  auto ids = view.FindByName(name);
  if (!ids.ok()) return ids.status().ToString();
  std::vector<std::string> keys;
  for (NodeId id : *ids) keys.push_back(KeyOf(view, id));
  return Join(keys);
}

struct Load {
  std::vector<NodeInput> nodes;
  std::vector<EdgeInput> edges;
};

// A graph with everything a load can carry, repeats included: a node key
// given twice, an edge given twice with other fields, parallel edges.
Load Sample() {
  Load l;
  NodeInput src = N("src:page", "source", "The page");
  l.nodes.push_back(src);
  NodeInput msi = N("org:msi", "actor", "Mötesplats Social Innovation", "academia");
  msi.aliases = {"MSI"};
  msi.props = R"({"founded": 2010})";
  msi.sources = {NodeRef("src:page")};
  l.nodes.push_back(msi);
  l.nodes.push_back(N("org:oru", "actor", "Örebro universitet", "academia"));
  l.nodes.push_back(N("org:vinnova", "actor", "Vinnova", "public"));
  l.nodes.push_back(N("proj:x", "project"));
  l.nodes.push_back(N("org:oru", "actor", "Örebro universitet (again)", "academia"));

  EdgeInput funds = E("org:vinnova", "funds", "org:msi");
  funds.validity.from = D(2010, 1, 1);
  funds.weight = 2.5;
  funds.props = R"({"programme": "x"})";
  funds.sources = {NodeRef("src:page")};
  l.edges.push_back(funds);
  l.edges.push_back(E("org:oru", "hosts", "org:msi"));
  l.edges.push_back(E("org:msi", "participates_in", "proj:x", 0));
  l.edges.push_back(E("org:msi", "participates_in", "proj:x", 1));
  EdgeInput again = E("org:oru", "hosts", "org:msi");
  again.props = R"({"since": 2012})";
  l.edges.push_back(again);
  l.edges.push_back(E("proj:x", "located_in", "proj:x"));  // a self-loop
  return l;
}

class BulkLoadTest : public ::testing::Test {
 protected:
  std::unique_ptr<Db> Open(const std::string& name) {
    Options o;
    o.sync_commits = false;
    return MustOpen(dir_.Sub(name), o);
  }

  // Graph "txn" being loaded by a transaction and "bulk" by a bulk load,
  // both with the nodes of a load added.
  struct Both {
    std::unique_ptr<Db> by_txn, by_bulk;
    std::unique_ptr<Transaction> txn;
    std::unique_ptr<BulkLoader> bulk;
  };
  void BeginBoth(const Load& load, Both* both) {
    both->by_txn = Open("txn");
    both->by_bulk = Open("bulk");
    auto txn = both->by_txn->BeginTransaction();
    auto bulk = both->by_bulk->BeginBulkLoad();
    ASSERT_OK(txn.status());
    ASSERT_OK(bulk.status());
    both->txn = std::move(*txn);
    both->bulk = std::move(*bulk);
    for (const auto& n : load.nodes) {
      ASSERT_OK(both->txn->PutNode(n).status());
      ASSERT_OK(both->bulk->AddNode(n).status());
    }
  }
  // Commits both and expects the same graph.
  void ExpectSameGraphs(Both& both) {
    ASSERT_OK(both.txn->Commit());
    ASSERT_OK(both.bulk->Finish());
    EXPECT_EQ(Dump(*both.by_bulk), Dump(*both.by_txn));
  }

  // Loads `load` both ways, edge by edge expecting the same answers.
  void ExpectBulkLoadEqualsTransaction(const Load& load) {
    Both both;
    ASSERT_NO_FATAL_FAILURE(BeginBoth(load, &both));
    for (const auto& e : load.edges) {
      auto a = both.txn->PutEdge(e);
      ASSERT_EQ(a.status().ToString(), both.bulk->AddEdge(e).ToString());
    }
    ExpectSameGraphs(both);
  }

  TempDir dir_;
};

TEST_F(BulkLoadTest, WritesTheGraphATransactionWrites) {
  const Load load = Sample();
  auto by_txn = Open("txn");
  {
    auto txn = by_txn->BeginTransaction("load");
    ASSERT_OK(txn.status());
    for (const auto& n : load.nodes) ASSERT_OK((*txn)->PutNode(n).status());
    for (const auto& e : load.edges) ASSERT_OK((*txn)->PutEdge(e).status());
    ASSERT_OK((*txn)->Commit());
  }
  auto by_bulk = Open("bulk");
  {
    auto bulk = by_bulk->BeginBulkLoad("load");
    ASSERT_OK(bulk.status());
    for (const auto& n : load.nodes) ASSERT_OK((*bulk)->AddNode(n).status());
    for (const auto& e : load.edges) ASSERT_OK((*bulk)->AddEdge(e));
    EXPECT_EQ((*bulk)->nodes_added(), 5u);
    ASSERT_OK((*bulk)->Finish());
  }
  EXPECT_EQ(Dump(*by_bulk), Dump(*by_txn));
  auto report = by_bulk->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << Join(report->problems);
  EXPECT_EQ(NodeKeysByName(*by_bulk, "orebro universitet again"), "org:oru");

  // Reopened, and written to afterwards, it stays equal.
  by_bulk.reset();
  by_bulk = Open("bulk");
  for (Db* db : {by_txn.get(), by_bulk.get()}) {
    auto txn = db->BeginTransaction("more");
    ASSERT_OK(txn.status());
    ASSERT_OK((*txn)->PutNode(N("org:new", "actor")).status());
    ASSERT_OK((*txn)->PutEdge(E("org:new", "funds", "org:msi")).status());
    ASSERT_OK((*txn)->Commit());
  }
  EXPECT_EQ(Dump(*by_bulk), Dump(*by_txn));
}

TEST_F(BulkLoadTest, RandomLoadsMatchTransactions) {
  std::mt19937 rng(7);
  Load load;
  for (int i = 0; i < 300; ++i) {
    load.nodes.push_back(N("n" + std::to_string(rng() % 250), i % 3 ? "actor" : "project"));
  }
  for (int i = 0; i < 1000; ++i) {
    EdgeInput e = E("n" + std::to_string(rng() % 250), i % 2 ? "a" : "b",
                    "n" + std::to_string(rng() % 250), rng() % 2);
    if (rng() % 3 == 0) e.weight = rng() % 10;
    load.edges.push_back(e);
  }
  // Keys never added are skipped by both paths alike.
  ExpectBulkLoadEqualsTransaction(load);
}

// A random load: `nodes` keys (some given twice), `edges` edges between them
// (some repeated, some with unknown ends).
Load RandomLoad(int nodes, int edges, uint32_t seed) {
  std::mt19937 rng(seed);
  Load load;
  for (int i = 0; i < nodes * 6 / 5; ++i) {
    load.nodes.push_back(N("n" + std::to_string(rng() % nodes), i % 3 ? "actor" : "project"));
  }
  for (int i = 0; i < edges; ++i) {
    EdgeInput e = E("n" + std::to_string(rng() % (nodes + nodes / 50)), i % 2 ? "a" : "b",
                    "n" + std::to_string(rng() % nodes), rng() % 2);
    if (rng() % 3 == 0) e.weight = rng() % 10;
    if (rng() % 5 == 0) e.props = R"({"i": )" + std::to_string(i) + "}";
    load.edges.push_back(e);
  }
  return load;
}

TEST_F(BulkLoadTest, EdgesFromLanesOnThreadsCountInLaneOrder) {
  const Load load = RandomLoad(300, 3000, 11);
  Both both;
  ASSERT_NO_FATAL_FAILURE(BeginBoth(load, &both));
  auto& txn = both.txn;
  auto& bulk = both.bulk;
  // The first few edges through the loader itself, the rest in three parts.
  const size_t direct = 100, part = (load.edges.size() - direct) / 3;
  for (size_t i = 0; i < load.edges.size(); ++i) {
    auto a = txn->PutEdge(load.edges[i]);
    if (i < direct) {
      ASSERT_EQ(a.status().ToString(), bulk->AddEdge(load.edges[i]).ToString());
    }
  }
  auto lanes = bulk->OpenEdgeLanes(3);
  ASSERT_EQ(lanes.size(), 3u);
  EXPECT_CODE(kInvalidArgument, bulk->AddEdge(load.edges[0]));
  EXPECT_CODE(kInvalidArgument, bulk->AddNode(N("x", "actor")).status());
  EXPECT_CODE(kInvalidArgument, bulk->Finish());
  std::vector<std::thread> threads;
  std::vector<std::string> errors(3);
  for (size_t k = 0; k < 3; ++k) {
    threads.emplace_back([&, k] {
      size_t end = k == 2 ? load.edges.size() : direct + part * (k + 1);
      for (size_t i = direct + part * k; i < end; ++i) {
        Status s = lanes[k]->AddEdge(load.edges[i]);
        if (!s.ok()) errors[k] += s.ToString() + "\n";
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_NE(errors[0], "");  // unknown ends, as in the transaction
  // Whichever thread finished first, the lanes count in their order.
  ASSERT_OK(bulk->CloseEdgeLanes(std::move(lanes)));
  ExpectSameGraphs(both);
}

TEST_F(BulkLoadTest, LanesNotGivenBackAreDropped) {
  auto db = Open("g");
  auto bulk = db->BeginBulkLoad();
  ASSERT_OK(bulk.status());
  ASSERT_OK((*bulk)->AddNode(N("a", "actor")).status());
  ASSERT_OK((*bulk)->AddNode(N("b", "actor")).status());
  auto lanes = (*bulk)->OpenEdgeLanes(2);
  ASSERT_OK(lanes[0]->AddEdge(E("a", "knows", "b")));
  ASSERT_OK(lanes[1]->AddEdge(E("b", "knows", "a")));
  EXPECT_EQ(lanes[1]->edges_added(), 1u);
  std::unique_ptr<BulkEdgeLane> dropped = std::move(lanes[1]);
  lanes.pop_back();
  ASSERT_OK((*bulk)->CloseEdgeLanes(std::move(lanes)));
  EXPECT_CODE(kInvalidArgument, dropped->AddEdge(E("b", "knows", "a")));
  EXPECT_CODE(kInvalidArgument, (*bulk)->CloseEdgeLanes({}));  // none open
  ASSERT_OK((*bulk)->Finish());
  EXPECT_EQ(db->Counts()->edges, 1u);
  EXPECT_EQ(db->GetDegree(*db->FindKey("a"))->out, 1u);
  EXPECT_EQ(db->GetDegree(*db->FindKey("b"))->out, 0u);
}

// From 64Ki edges each edge family is written as several files, on
// several threads; the graph must not show it.
TEST_F(BulkLoadTest, ABigLoadWrittenInSeveralFilesMatchesATransaction) {
  ExpectBulkLoadEqualsTransaction(RandomLoad(2000, 70000, 5));
  auto by_bulk = Open("bulk");
  auto report = by_bulk->CheckIntegrity();
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << Join(report->problems);
}

// A bulk load's files land in the bottommost level, which holds nearly
// all of a graph: there every family is compressed with ZSTD (when RocksDB
// has it; else LZ4HC, else LZ4), each with a dictionary
// (docs/on-disk-format.md, "Column families").
TEST_F(BulkLoadTest, TheBottomLevelIsZstdWithADictionary) {
  {
    auto db = Open("g");
    auto bulk = db->BeginBulkLoad();
    ASSERT_OK(bulk.status());
    for (int i = 0; i < 50; ++i) {
      ASSERT_OK((*bulk)->AddNode(N("n" + std::to_string(i), "actor")).status());
    }
    for (int i = 0; i < 200; ++i) {
      EdgeInput e = E("n" + std::to_string(i % 50), "knows", "n" + std::to_string(i * 7 % 50),
                      static_cast<uint32_t>(i / 50));
      e.props = R"({"role":"partner"})";
      ASSERT_OK((*bulk)->AddEdge(e));
    }
    ASSERT_OK((*bulk)->Finish());
  }
  bool zstd = false, lz4hc = false;
  for (auto c : rocksdb::GetSupportedCompressions()) {
    zstd = zstd || c == rocksdb::kZSTD;
    lz4hc = lz4hc || c == rocksdb::kLZ4HCCompression;
  }
  std::map<std::string, std::string> compression;  // family -> its files' compression
  std::map<std::string, std::string> options;      // family -> its compression options
  for (const auto& f : std::filesystem::directory_iterator(dir_.Sub("g"))) {
    if (f.path().extension() != ".sst") continue;
    rocksdb::SstFileReader reader{rocksdb::Options()};
    ASSERT_TRUE(reader.Open(f.path().string()).ok()) << f.path();
    auto props = reader.GetTableProperties();
    compression[props->column_family_name] = props->compression_name;
    options[props->column_family_name] = props->compression_options;
  }
  for (const char* family : {"out", "in", "edges", "nodes", "names", "node_index", "degree"}) {
    EXPECT_EQ(compression[family], zstd ? "ZSTD" : lz4hc ? "LZ4HC" : "LZ4") << family;
  }
  for (const char* family : {"out", "in", "edges", "nodes"}) {
    EXPECT_NE(options[family].find("max_dict_bytes=16384"), std::string::npos)
        << family << ": " << options[family];
  }
}

TEST_F(BulkLoadTest, NeedsAnEmptyGraph) {
  auto db = Open("g");
  auto txn = db->BeginTransaction();
  ASSERT_OK(txn.status());
  ASSERT_OK((*txn)->PutNode(N("a", "actor")).status());
  ASSERT_OK((*txn)->Commit());
  txn->reset();
  EXPECT_CODE(kInvalidArgument, db->BeginBulkLoad().status());
}

TEST_F(BulkLoadTest, ExcludesOtherWritersUntilDone) {
  auto db = Open("g");
  auto bulk = db->BeginBulkLoad();
  ASSERT_OK(bulk.status());
  EXPECT_CODE(kBusy, db->BeginTransaction().status());
  bulk->reset();
  EXPECT_OK(db->BeginTransaction().status());
}

TEST_F(BulkLoadTest, BadInputIsRejectedAndAnAbandonedLoadWritesNothing) {
  auto db = Open("g");
  {
    auto bulk = db->BeginBulkLoad();
    ASSERT_OK(bulk.status());
    ASSERT_OK((*bulk)->AddNode(N("a", "actor")).status());
    Status s = (*bulk)->AddEdge(E("a", "knows", "zz"));
    EXPECT_CODE(kNotFound, s);
    EXPECT_EQ(s.message(), "edge a -knows-> zz: unknown node 'zz'");
    NodeInput bad = N("b", "actor");
    bad.props = "[1]";
    EXPECT_CODE(kInvalidArgument, (*bulk)->AddNode(bad).status());
    EXPECT_CODE(kInvalidArgument, (*bulk)->AddNode(N("c", "actor", "", "no-such")).status());
    NodeInput cites_itself = N("d", "source");
    cites_itself.sources = {NodeRef("d")};
    EXPECT_EQ((*bulk)->AddNode(cites_itself).status().ToString(),
              "not found: source of node 'd': unknown node 'd'");
    EXPECT_EQ((*bulk)->FindKey("d").status().ToString(), "not found: unknown node 'd'");
    // Destroyed without Finish().
  }
  EXPECT_EQ(CountsString(*db), CountsString(*Open("empty")));
  EXPECT_TRUE(db->schema().EdgeType("knows") == std::nullopt);
}

TEST_F(BulkLoadTest, FinishTwiceIsAnError) {
  auto db = Open("g");
  auto bulk = db->BeginBulkLoad();
  ASSERT_OK(bulk.status());
  ASSERT_OK((*bulk)->AddNode(N("a", "actor")).status());
  ASSERT_OK((*bulk)->Finish());
  EXPECT_CODE(kInvalidArgument, (*bulk)->Finish());
  auto counts = db->Counts();
  ASSERT_OK(counts.status());
  EXPECT_EQ(counts->nodes, 1u);
  EXPECT_OK(db->GetNodeByKey("a").status());
}

}  // namespace
}  // namespace samverkan::test
