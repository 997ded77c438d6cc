// Engine micro-benchmarks: node upserts, batched edge inserts and
// out-neighbour scans on a graph of about 1M edges.
//
//   ./build/bench/engine_bench --benchmark_counters_tabular=true
//
// Each insert benchmark writes a fresh graph under $TMPDIR; the scan
// benchmark reuses the graph the edge benchmark built. Counters:
//   edges/s, nodes/s, scans/s   throughput
//   disk_bytes_per_edge         graph directory size / edges, after compaction
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
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

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // Close the graph before static destructors run: RocksDB's own statics
  // may already be gone by then.
  g_graph.reset();
  return 0;
}
