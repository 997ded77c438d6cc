// A deterministic random mix of writes, rollbacks and savepoints, checked
// against a simple in-memory model after every transaction.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::E;
using test::N;

struct ModelNode {
  NodeId id;
  std::string kind;
  std::string name;
};

// (src key, type, dst key, rank) -> weight
using EdgeIdent = std::tuple<std::string, std::string, std::string, uint32_t>;

struct Model {
  std::map<std::string, ModelNode> nodes;  // by key
  std::map<EdgeIdent, double> edges;
  std::map<EdgeIdent, EdgeId> edge_ids;

  void DeleteNode(const std::string& key) {
    nodes.erase(key);
    for (auto it = edges.begin(); it != edges.end();) {
      if (std::get<0>(it->first) == key || std::get<2>(it->first) == key) {
        edge_ids.erase(it->first);
        it = edges.erase(it);
      } else {
        ++it;
      }
    }
  }
};

// Everything observable, independent of storage order.
std::string ViewState(const GraphView& view) {
  std::string s = test::CountsString(view) + "\n";
  std::map<std::string, std::string> by_key;
  auto nodes = view.Nodes();
  for (; nodes->Valid(); nodes->Next()) {
    const Node& n = nodes->node();
    by_key[n.key] = n.kind + " '" + n.name + "' " + test::DegreeString(view, n.key);
  }
  EXPECT_OK(nodes->status());
  for (const auto& [k, v] : by_key) s += k + " " + v + "\n";
  std::set<std::string> edges;
  auto all = view.AllEdges();
  for (; all->Valid(); all->Next()) {
    const EdgeRef& e = all->edge();
    edges.insert(test::KeyOf(view, e.src) + "-" + std::string(view.schema().EdgeTypeName(e.type)) +
                 "->" + test::KeyOf(view, e.dst) + "#" + std::to_string(e.rank) +
                 " w=" + std::to_string(e.weight.value_or(-1)));
  }
  EXPECT_OK(all->status());
  for (const auto& e : edges) s += e + "\n";
  return s;
}

std::string ModelState(const Model& m) {
  std::map<std::string, std::pair<int, int>> deg;
  for (const auto& [ident, w] : m.edges) {
    deg[std::get<0>(ident)].first++;
    deg[std::get<2>(ident)].second++;
  }
  std::string s = "nodes=" + std::to_string(m.nodes.size()) +
                  " edges=" + std::to_string(m.edges.size()) + "\n";
  for (const auto& [k, n] : m.nodes) {
    s += k + " " + n.kind + " '" + n.name + "' out=" + std::to_string(deg[k].first) +
         " in=" + std::to_string(deg[k].second) + "\n";
  }
  std::set<std::string> edges;
  for (const auto& [ident, w] : m.edges) {
    auto [src, type, dst, rank] = ident;
    edges.insert(src + "-" + type + "->" + dst + "#" + std::to_string(rank) +
                 " w=" + std::to_string(w));
  }
  for (const auto& e : edges) s += e + "\n";
  return s;
}

// AllEdges() must come in (src id, type id, dst id, rank) order.
void CheckAllEdgesOrder(const GraphView& view) {
  std::vector<std::tuple<NodeId, SymbolId, NodeId, uint32_t>> seen;
  auto all = view.AllEdges();
  for (; all->Valid(); all->Next()) {
    const EdgeRef& e = all->edge();
    seen.emplace_back(e.src, e.type, e.dst, e.rank);
  }
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << "AllEdges out of order";
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint32_t Next() {  // xorshift64*
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return static_cast<uint32_t>((s_ * 2685821657736338717ULL) >> 32);
  }
  uint32_t Uniform(uint32_t n) { return Next() % n; }
  bool OneIn(uint32_t n) { return Uniform(n) == 0; }

 private:
  uint64_t s_;
};

class ModelTest : public test::DbTest {};

TEST_F(ModelTest, RandomTransactionsMatchModel) {
  Rng rng(20240601);
  const std::vector<std::string> kinds = {"actor", "project"};
  const std::vector<std::string> names = {"Malmö stad", "Örebro universitet", "Vinnova",
                                          "Läxhjälpen"};
  const std::vector<std::string> types = {"funds", "hosts", "knows"};
  auto key = [&](uint32_t i) { return "k" + std::to_string(i); };
  Model committed;

  for (int t = 0; t < 300; ++t) {
    SCOPED_TRACE("transaction " + std::to_string(t));
    auto txn = Begin();
    ASSERT_TRUE(txn);
    Model m = committed;
    std::optional<Model> savepoint;
    const uint32_t mode = rng.Uniform(10);  // 0: rollback, 1-2: savepoint, else commit
    const int ops = 1 + static_cast<int>(rng.Uniform(8));
    for (int o = 0; o < ops; ++o) {
      if ((mode == 1 || mode == 2) && o == ops / 2) {
        txn->SetSavepoint();
        savepoint = m;
      }
      const uint32_t op = rng.Uniform(10);
      const std::string k = key(rng.Uniform(10));
      if (op < 3) {  // PutNode
        NodeInput in = N(k, kinds[rng.Uniform(2)], names[rng.Uniform(4)]);
        auto id = txn->PutNode(in);
        ASSERT_TRUE(id.ok()) << id.status().ToString();
        auto it = m.nodes.find(k);
        if (it != m.nodes.end()) {
          EXPECT_EQ(*id, it->second.id);
        }
        m.nodes[k] = ModelNode{*id, in.kind, in.name};
      } else if (op == 3) {  // MergeNode renaming
        NodeInput in;
        in.key = k;
        in.name = names[rng.Uniform(4)];
        auto id = txn->MergeNode(in);
        auto it = m.nodes.find(k);
        if (it == m.nodes.end()) {
          EXPECT_CODE(kInvalidArgument, id.status());  // new node without kind
        } else {
          ASSERT_TRUE(id.ok()) << id.status().ToString();
          it->second.name = in.name;
        }
      } else if (op == 4) {  // DeleteNode
        auto it = m.nodes.find(k);
        if (it == m.nodes.end()) {
          EXPECT_CODE(kNotFound, txn->DeleteNode(9999));
        } else {
          ASSERT_OK(txn->DeleteNode(it->second.id));
          m.DeleteNode(k);
        }
      } else if (op < 8) {  // PutEdge
        const std::string dst = key(rng.Uniform(10));
        EdgeInput e = E(k, types[rng.Uniform(3)], dst, rng.Uniform(2));
        e.weight = static_cast<double>(rng.Uniform(5));
        auto id = txn->PutEdge(e);
        if (!m.nodes.count(k) || !m.nodes.count(dst)) {
          EXPECT_FALSE(id.ok());
        } else {
          ASSERT_TRUE(id.ok()) << id.status().ToString();
          EdgeIdent ident{k, e.type, dst, e.rank};
          auto old = m.edge_ids.find(ident);
          if (old != m.edge_ids.end()) {
            EXPECT_EQ(*id, old->second) << "upsert changed the id";
          }
          m.edges[ident] = *e.weight;
          m.edge_ids[ident] = *id;
        }
      } else {  // DeleteEdge
        if (m.edge_ids.empty()) {
          EXPECT_CODE(kNotFound, txn->DeleteEdge(999999));
        } else {
          auto it = m.edge_ids.begin();
          std::advance(it, rng.Uniform(static_cast<uint32_t>(m.edge_ids.size())));
          ASSERT_OK(txn->DeleteEdge(it->second));
          m.edges.erase(it->first);
          m.edge_ids.erase(it);
        }
      }
    }
    if (savepoint) {
      ASSERT_OK(txn->RollbackToSavepoint());
      m = *savepoint;
    }
    ASSERT_EQ(ViewState(*txn), ModelState(m)) << "read-your-writes view";
    CheckAllEdgesOrder(*txn);
    if (mode == 0) {
      txn->Rollback();
    } else {
      ASSERT_OK(txn->Commit());
      committed = m;
    }
    txn.reset();
    ASSERT_EQ(ViewState(*db_), ModelState(committed));
    // Name lookups agree with the model.
    for (const std::string& name : names) {
      std::vector<NodeId> want;
      for (const auto& [k, n] : committed.nodes) {
        if (n.name == name) want.push_back(n.id);
      }
      std::sort(want.begin(), want.end());
      auto got = db_->FindByName(name);
      ASSERT_TRUE(got.ok());
      EXPECT_EQ(*got, want) << name;
    }
  }
  CheckAllEdgesOrder(*db_);
  auto report = db_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << test::Join(report->problems);
  EXPECT_EQ(report->nodes_checked, committed.nodes.size());
  EXPECT_EQ(report->edges_checked, committed.edges.size());

  const std::string before = ViewState(*db_);
  if (getenv("SV_MODEL_DUMP")) printf("%s", before.c_str());
  Reopen();
  EXPECT_EQ(ViewState(*db_), before);
}

}  // namespace
}  // namespace samverkan
