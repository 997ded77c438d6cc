// libFuzzer target for Cypher: the input, cut in two at its first NUL byte,
// is a query and its parameters (JSON). The query is prepared and, when it
// prepares, run over a small graph (a read over the committed graph; a
// write in a transaction that is then dropped, so every input sees the same
// graph), with its rows printed as JSON. Any crash, leak or sanitizer report
// is a finding; so is a run that does not stop soon after its interrupt
// fires (kRunFor after the start), which is a trap here.
#include <stdlib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "samverkan/cypher.h"
#include "samverkan/db.h"
#include "samverkan/transaction.h"
#include "samverkan/ignore_error.h"

namespace {

using Clock = std::chrono::steady_clock;
using samverkan::Db;
using samverkan::Interrupt;
namespace cypher = samverkan::cypher;

// How long one input may run before its interrupt fires, and how long it
// then has to stop.
constexpr auto kRunFor = std::chrono::milliseconds(100);
constexpr auto kStopWithin = std::chrono::seconds(2);  // generous: ASan, a busy machine
constexpr int kMaxRows = 200;

void Die(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_cypher: %s %s\n", what, detail.c_str());
  std::abort();
}

// Two sectors, three kinds, a few nodes with properties and edges between
// them (a cycle, parallel edges, a self-loop).
Db* Graph() {
  static Db* db = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/fuzz-cypher-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) Die("mkdtemp failed");
    // Removed when the fuzzer exits normally (a crash leaves it, beside
    // the crash's input).
    static struct RemoveAtExit {
      std::string path;
      ~RemoveAtExit() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    } remove{dir};
    samverkan::Options options;
    options.sync_commits = false;
    auto opened = Db::Open(dir + "/graph", options);
    if (!opened.ok()) Die("open:", opened.status().ToString());
    auto txn = (*opened)->BeginTransaction("seed");
    if (!txn.ok()) Die("begin:", txn.status().ToString());
    const char* kinds[] = {"actor", "project", "region"};
    for (int i = 0; i < 8; ++i) {
      samverkan::NodeInput n;
      n.key = "n" + std::to_string(i);
      n.kind = kinds[i % 3];
      n.name = "Node " + std::to_string(i);
      n.props = "{\"x\": " + std::to_string(i) + ", \"tags\": [\"a\", \"b\"], \"s\": \"v" +
                std::to_string(i % 3) + "\"}";
      if (auto s = (*txn)->PutNode(n); !s.ok()) Die("node:", s.status().ToString());
    }
    auto edge = [&](int a, const char* type, int b) {
      samverkan::EdgeInput e;
      e.src = samverkan::NodeRef("n" + std::to_string(a));
      e.dst = samverkan::NodeRef("n" + std::to_string(b));
      e.type = type;
      e.weight = a + 0.5;
      e.props = "{\"since\": " + std::to_string(2000 + a) + "}";
      if (auto s = (*txn)->PutEdge(e); !s.ok()) Die("edge:", s.status().ToString());
    };
    for (int i = 0; i < 8; ++i) edge(i, "knows", (i + 1) % 8);
    edge(0, "funds", 1);
    edge(0, "funds", 4);
    edge(2, "located_in", 5);
    edge(3, "knows", 3);
    if (auto s = (*txn)->Commit(); !s.ok()) Die("commit:", s.ToString());
    return opened->release();
  }();
  return db;
}

void Run(std::string_view text, std::string_view params_json) {
  Db* db = Graph();
  const auto start = Clock::now();
  Interrupt interrupt([start] { return Clock::now() - start > kRunFor; },
                      std::chrono::milliseconds(0));
  auto query = cypher::PreparedQuery::Prepare(text, interrupt);
  if (!query.ok()) return;
  auto params = cypher::ParseParameters(params_json);
  if (!params.ok()) return;
  cypher::RunOptions options;
  options.interrupt = &interrupt;
  std::unique_ptr<samverkan::Transaction> txn;
  cypher::Target target{.view = db, .db = db};
  if ((*query)->writes()) {
    auto begun = db->BeginTransaction("fuzz");
    if (!begun.ok()) Die("begin:", begun.status().ToString());
    txn = std::move(*begun);
    target = cypher::Target{.view = txn.get(), .txn = txn.get()};
  }
  auto cursor = cypher::Execute(*query, target, *params, options);
  if (cursor.ok()) {
    for (int rows = 0; rows < kMaxRows; ++rows) {
      auto more = (*cursor)->Next();
      if (!more.ok() || !*more) break;
      IgnoreError((*cursor)->RowJson());
    }
  }
  if (Clock::now() - start > kRunFor + kStopWithin) {
    Die("did not stop within 2 s of its interrupt:", std::string(text.substr(0, 200)));
  }
}

}  // namespace

// The graph is made before the first input, outside its time limit: on a
// busy machine opening it can take seconds.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Graph();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find('\0');
  std::string_view text = in.substr(0, cut);
  std::string_view params = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
  Run(text, params);
  return 0;
}
