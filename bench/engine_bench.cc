// Engine micro-benchmarks: node upserts, batched edge inserts and
// out-neighbour scans on a graph of about 1M edges.
//
//   ./build/bench/engine_bench --benchmark_counters_tabular=true
//
// Each insert benchmark writes a fresh graph under $TMPDIR; the scan
// benchmark reuses the graph the edge benchmark built. Counters:
//   edges/s, nodes/s, scans/s   throughput
//   disk_bytes_per_edge         graph directory size / edges, after compaction
//
// With SV_BENCH_GRAPH=<graph> and SV_BENCH_HUB=<node key> (a graph imported
// from ../shared/bench/gen_collab_graph.py, and its hub from params.json),
// also the first deep query after opening (issue #19 item 4): a read-only
// open, then a 3-hop from the hub (or PageRank), with the snapshot file
// mapped (/1) or without one, built from the store (/0); with a warm page
// cache (cold:0) or after dropping it (cold:1, needs root); and the same
// queries warm (the snapshot in memory). Before these run, the graph is
// opened for writing once and its snapshot file saved.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>
#include <string>

#include "samverkan/samverkan.h"

namespace {
using namespace samverkan;

constexpr uint64_t kNodes = 100'000;
constexpr uint64_t kEdges = 1'000'000;
constexpr uint64_t kEdgesPerTxn = 50'000;

std::string GraphDir(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / ("samverkan-bench-" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

void Check(const Status& s, benchmark::State& state) {
  if (!s.ok()) state.SkipWithError(s.ToString().c_str());
}

std::unique_ptr<Db> OpenFresh(const std::string& name, benchmark::State& state) {
  Options o;
  o.sync_commits = false;  // measure the engine, not the disk's fsync latency
  auto db = Db::Open(GraphDir(name), o);
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return nullptr;
  }
  return std::move(*db);
}

Status AddNodes(Db& db, uint64_t n) {
  static const char* kSectors[] = {"academia", "business", "public", "nonprofit"};
  SV_ASSIGN_OR_RETURN(auto txn, db.BeginTransaction("nodes"));
  for (uint64_t i = 0; i < n; ++i) {
    NodeInput in{.key = "n" + std::to_string(i), .kind = "actor", .name = "Actor " + std::to_string(i),
                 .sector = kSectors[i % 4]};
    SV_RETURN_IF_ERROR(txn->PutNode(in).status());
    if ((i + 1) % 50'000 == 0) {
      SV_RETURN_IF_ERROR(txn->Commit());
      SV_ASSIGN_OR_RETURN(txn, db.BeginTransaction("nodes"));
    }
  }
  return txn->Commit();
}

// Skewed endpoints: a few hubs take many edges, as in collaboration data.
NodeId SkewedNode(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double x = std::pow(u(rng), 3.0);
  return 1 + static_cast<NodeId>(x * (kNodes - 1));
}

Status AddEdges(Db& db, uint64_t n) {
  std::mt19937_64 rng(42);
  SV_ASSIGN_OR_RETURN(auto txn, db.BeginTransaction("edges"));
  for (uint64_t i = 0; i < n; ++i) {
    EdgeInput e{.src = SkewedNode(rng), .type = "participates_in", .dst = SkewedNode(rng),
                .rank = static_cast<uint32_t>(i)};
    SV_RETURN_IF_ERROR(txn->PutEdge(e).status());
    if ((i + 1) % kEdgesPerTxn == 0) {
      SV_RETURN_IF_ERROR(txn->Commit());
      SV_ASSIGN_OR_RETURN(txn, db.BeginTransaction("edges"));
    }
  }
  return txn->Commit();
}

std::unique_ptr<Db> g_graph;  // built by BM_EdgeInsert, scanned by BM_OutScan

void BM_NodeUpsert(benchmark::State& state) {
  for (auto _ : state) {
    auto db = OpenFresh("nodes", state);
    if (!db) return;
    Check(AddNodes(*db, kNodes), state);
  }
  state.counters["nodes/s"] =
      benchmark::Counter(static_cast<double>(kNodes * state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_NodeUpsert)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_EdgeInsert(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    g_graph = OpenFresh("edges", state);
    if (!g_graph) return;
    Check(AddNodes(*g_graph, kNodes), state);
    state.ResumeTiming();
    Check(AddEdges(*g_graph, kEdges), state);
  }
  state.counters["edges/s"] =
      benchmark::Counter(static_cast<double>(kEdges * state.iterations()),
                         benchmark::Counter::kIsRate);
  Check(g_graph->Compact(), state);
  auto bytes = g_graph->DiskUsage();
  if (bytes.ok()) state.counters["disk_bytes_per_edge"] = static_cast<double>(*bytes) / kEdges;
}
BENCHMARK(BM_EdgeInsert)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_OutScan(benchmark::State& state) {
  if (!g_graph) {
    state.SkipWithError("run together with BM_EdgeInsert");
    return;
  }
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<NodeId> pick(1, kNodes);
  uint64_t edges = 0;
  for (auto _ : state) {
    auto it = g_graph->Edges(pick(rng), Direction::kOut);
    for (; it->Valid(); it->Next()) ++edges;
    Check(it->status(), state);
  }
  state.counters["scans/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
  state.counters["edges/s"] =
      benchmark::Counter(static_cast<double>(edges), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OutScan)->Unit(benchmark::kMicrosecond);


// --- The first deep query after opening (SV_BENCH_GRAPH, SV_BENCH_HUB) ---

const char* BenchGraph() { return std::getenv("SV_BENCH_GRAPH"); }

std::string SnapshotDir() { return std::string(BenchGraph()) + "/snapshot"; }

// The property queries: count(e.role) over all edges, or the nodes counted
// by a props key (`country`, SV_BENCH_NODE_KEY), as the Cypher and SQL
// scans do over the columns.
Status PropertyQuery(Db& db, const CsrGraph& csr, bool group_by, benchmark::State& state) {
  auto view = db.GetSnapshot();
  if (!group_by) {
    SV_ASSIGN_OR_RETURN(auto role, csr.EdgeColumn(*view, EdgeField::kProps, "role"));
    uint64_t n = 0;
    for (uint32_t p = 0; p < role->size(); ++p) n += !role->is_null(p);
    state.counters["answer"] = static_cast<double>(n);
    return Status::OK();
  }
  const char* key = std::getenv("SV_BENCH_NODE_KEY");
  SV_ASSIGN_OR_RETURN(auto column, csr.NodeColumn(*view, NodeField::kProps, key ? key : "country"));
  std::vector<uint64_t> groups(column->type() == ColumnType::kString ? column->dictionary().size() + 1 : 1);
  for (uint32_t v = 0; v < column->size(); ++v) {
    ++groups[column->is_null(v) || column->type() != ColumnType::kString ? 0 : column->code(v) + 1];
  }
  state.counters["answer"] = static_cast<double>(groups.size());
  return Status::OK();
}

// Opens the graph for writing, has its snapshot and the columns of the
// property queries saved and waits for them.
Status SaveSnapshotFile() {
  SV_ASSIGN_OR_RETURN(auto db, Db::Open(BenchGraph(), Options{}));
  SV_ASSIGN_OR_RETURN(auto csr, db->Csr({}));
  auto view = db->GetSnapshot();
  SV_RETURN_IF_ERROR(csr->EdgeColumn(*view, EdgeField::kProps, "role").status());
  const char* key = std::getenv("SV_BENCH_NODE_KEY");
  SV_RETURN_IF_ERROR(csr->NodeColumn(*view, NodeField::kProps, key ? key : "country").status());
  SV_RETURN_IF_ERROR(db->SaveSnapshotFile());
  const std::string file = SnapshotDir() + "/csr.svcsr";
  for (;;) {
    auto header = CsrGraph::ReadFileHeader(file);
    auto columns = CsrGraph::ReadColumnsHeader(SnapshotDir() + "/columns.svcol");
    if (header.ok() && header->first.sequence == db->LatestSequence() && columns.ok() &&
        columns->sequence == db->LatestSequence()) {
      return Status::OK();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void DropPageCache() {
  ::sync();
  if (FILE* f = std::fopen("/proc/sys/vm/drop_caches", "w")) {
    std::fputs("3\n", f);
    std::fclose(f);
  }
}

std::unique_ptr<Db> OpenReadOnly(benchmark::State& state) {
  Options o;
  o.read_only = true;
  auto db = Db::Open(BenchGraph(), o);
  if (!db.ok()) {
    state.SkipWithError(db.status().ToString().c_str());
    return nullptr;
  }
  return std::move(*db);
}

// The query: 3 hops from the hub, both directions (what traversal_bench.py
// asks), or PageRank.
Status Query(Db& db, const CsrGraph& csr, bool pagerank, benchmark::State& state) {
  if (pagerank) {
    SV_ASSIGN_OR_RETURN(auto pr, PageRank(csr, {}));
    state.counters["iterations"] = pr.iterations;
    return Status::OK();
  }
  SV_ASSIGN_OR_RETURN(NodeId hub, db.FindKey(std::getenv("SV_BENCH_HUB")));
  TraversalSpec spec;
  spec.max_depth = 3;
  SV_ASSIGN_OR_RETURN(auto reached, Neighborhood(csr, db.schema(), hub, spec));
  state.counters["reached"] = static_cast<double>(reached.size());
  return Status::OK();
}

// Args: {mapped, cold, pagerank}: a read-only open, Db::Adjacency({}) (as
// the SQL walks and analytics ask), then the query.
void BM_OpenThenQuery(benchmark::State& state) {
  if (!BenchGraph() || !std::getenv("SV_BENCH_HUB")) {
    state.SkipWithError("set SV_BENCH_GRAPH and SV_BENCH_HUB");
    return;
  }
  const bool mapped = state.range(0) != 0, cold = state.range(1) != 0;
  const bool pagerank = state.range(2) != 0;
  const std::string aside = SnapshotDir() + ".aside";
  for (auto _ : state) {
    state.PauseTiming();
    if (!mapped) std::filesystem::rename(SnapshotDir(), aside);
    if (cold) DropPageCache();
    state.ResumeTiming();
    auto db = OpenReadOnly(state);
    if (!db) break;
    auto csr = db->Adjacency({});
    Check(csr.status(), state);
    if (csr.ok()) Check(Query(*db, **csr, pagerank, state), state);
    state.PauseTiming();
    csr = Status::NotFound("closed");
    db.reset();
    if (!mapped) std::filesystem::rename(aside, SnapshotDir());
    state.ResumeTiming();
  }
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(SnapshotDir() + "/csr.svcsr", ec);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_OpenThenQuery)
    ->ArgNames({"mapped", "cold", "pagerank"})
    ->ArgsProduct({{0, 1}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

// Args: {columns file, group_by}: a read-only open, Db::Csr({}) (its file
// mapped), then the first property query; without the columns file (moved
// aside) the column is built from the records, as before it existed.
void BM_OpenThenProperty(benchmark::State& state) {
  if (!BenchGraph()) {
    state.SkipWithError("set SV_BENCH_GRAPH");
    return;
  }
  const bool with_file = state.range(0) != 0, group_by = state.range(1) != 0;
  const std::string file = SnapshotDir() + "/columns.svcol";
  for (auto _ : state) {
    state.PauseTiming();
    if (!with_file) std::filesystem::rename(file, file + ".aside");
    state.ResumeTiming();
    auto db = OpenReadOnly(state);
    if (!db) break;
    auto csr = db->Csr({});
    Check(csr.status(), state);
    if (csr.ok()) Check(PropertyQuery(*db, **csr, group_by, state), state);
    state.PauseTiming();
    csr = Status::NotFound("closed");
    db.reset();
    if (!with_file) std::filesystem::rename(file + ".aside", file);
    state.ResumeTiming();
  }
  std::error_code ec;
  state.counters["columns_MB"] = static_cast<double>(std::filesystem::file_size(file, ec)) / 1e6;
}
BENCHMARK(BM_OpenThenProperty)
    ->ArgNames({"columns_file", "group_by"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

// The same property queries with the snapshot and its columns in memory.
void BM_WarmProperty(benchmark::State& state) {
  if (!BenchGraph()) {
    state.SkipWithError("set SV_BENCH_GRAPH");
    return;
  }
  auto db = OpenReadOnly(state);
  if (!db) return;
  auto csr = db->Csr({});
  Check(csr.status(), state);
  if (!csr.ok()) return;
  Check(PropertyQuery(*db, **csr, state.range(0) != 0, state), state);
  for (auto _ : state) Check(PropertyQuery(*db, **csr, state.range(0) != 0, state), state);
}
BENCHMARK(BM_WarmProperty)->ArgName("group_by")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
    ->Iterations(5)->UseRealTime();

// Mapping the snapshot file and checking every block's checksum, alone
// (warm page cache): what a mapped open adds to the query.
void BM_MapSnapshotFile(benchmark::State& state) {
  if (!BenchGraph()) {
    state.SkipWithError("set SV_BENCH_GRAPH");
    return;
  }
  const std::string file = SnapshotDir() + "/csr.svcsr";
  const bool positions = state.range(0) != 0;  // also CheckEdgePositions, as Db::Csr does
  for (auto _ : state) {
    auto mapped = CsrGraph::Map(file);
    Check(mapped.status(), state);
    if (mapped.ok() && positions) Check(mapped->second->CheckEdgePositions(), state);
  }
  state.counters["bytes/s"] = benchmark::Counter(
      static_cast<double>(std::filesystem::file_size(file) * state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MapSnapshotFile)
    ->ArgName("positions")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->UseRealTime();

// Saving it (what the writer does in the background): write, fsync, rename.
void BM_SaveSnapshotFile(benchmark::State& state) {
  if (!BenchGraph()) {
    state.SkipWithError("set SV_BENCH_GRAPH");
    return;
  }
  auto mapped = CsrGraph::Map(SnapshotDir() + "/csr.svcsr");
  Check(mapped.status(), state);
  if (!mapped.ok()) return;
  const std::string copy = std::string(BenchGraph()) + ".bench-copy.svcsr";
  for (auto _ : state) Check(mapped->second->Save(copy, mapped->first), state);
  std::filesystem::remove(copy);
}
BENCHMARK(BM_SaveSnapshotFile)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The same queries on the snapshot in memory.
void BM_WarmQuery(benchmark::State& state) {
  if (!BenchGraph() || !std::getenv("SV_BENCH_HUB")) {
    state.SkipWithError("set SV_BENCH_GRAPH and SV_BENCH_HUB");
    return;
  }
  auto db = OpenReadOnly(state);
  if (!db) return;
  auto csr = db->Csr({});
  Check(csr.status(), state);
  if (!csr.ok()) return;
  state.counters["bytes_per_edge"] =
      static_cast<double>(std::filesystem::file_size(SnapshotDir() + "/csr.svcsr")) /
      static_cast<double>((*csr)->num_edges());
  for (auto _ : state) Check(Query(*db, **csr, state.range(0) != 0, state), state);
}
BENCHMARK(BM_WarmQuery)->ArgName("pagerank")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
    ->Iterations(5)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (BenchGraph()) {
    Status saved = SaveSnapshotFile();
    if (!saved.ok()) {
      std::fprintf(stderr, "%s\n", saved.ToString().c_str());
      return 1;
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Close the graph before static destructors run: RocksDB's own statics
  // may already be gone by then.
  g_graph.reset();
  return 0;
}
