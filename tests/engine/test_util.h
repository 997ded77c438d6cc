// Helpers shared by the engine tests: a temporary directory, status
// assertions, and functions that turn graph state into strings so that tests
// can compare it exactly.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "samverkan/samverkan.h"

namespace samverkan::test {

// A fresh, empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() : TempDir(std::filesystem::temp_directory_path().string()) {}
  // One under `parent` instead.
  explicit TempDir(const std::string& parent) {
    std::string tmpl = (std::filesystem::path(parent) / "sv-engine-test-XXXXXX").string();
    char* made = ::mkdtemp(tmpl.data());
    if (made == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << tmpl;
    }
    path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  const std::string& path() const { return path_; }
  // A path inside the directory (not created).
  std::string Sub(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
}

}  // namespace samverkan::test

// Assertions that print the status on failure.
#define SV_TEST_CONCAT_INNER_(a, b) a##b
#define SV_TEST_CONCAT_(a, b) SV_TEST_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr)                                             \
  do {                                                              \
    ::samverkan::Status sv_test_st_ = (expr);                       \
    ASSERT_TRUE(sv_test_st_.ok()) << #expr << ": " << sv_test_st_.ToString(); \
  } while (0)

#define EXPECT_OK(expr)                                             \
  do {                                                              \
    ::samverkan::Status sv_test_st_ = (expr);                       \
    EXPECT_TRUE(sv_test_st_.ok()) << #expr << ": " << sv_test_st_.ToString(); \
  } while (0)

// Asserts a status (or Result's status) has the given Status::Code.
#define EXPECT_CODE(code_, expr)                                              \
  do {                                                                        \
    ::samverkan::Status sv_test_st_ = (expr);                                 \
    EXPECT_EQ(static_cast<int>(sv_test_st_.code()),                           \
              static_cast<int>(::samverkan::Status::Code::code_))             \
        << #expr << " returned \"" << sv_test_st_.ToString() << "\", expected " \
        << #code_;                                                            \
  } while (0)

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(SV_TEST_CONCAT_(sv_test_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                               \
  auto tmp = (expr);                                                             \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString();             \
  lhs = std::move(tmp).value()

namespace samverkan::test {

inline std::string KeyOf(const GraphView& view, NodeId id) {
  auto n = view.GetNode(id);
  if (!n.ok()) return "?" + std::to_string(id);
  return n->key;
}

inline NodeId IdOf(const GraphView& view, std::string_view key) {
  auto id = view.FindKey(key);
  if (!id.ok()) {
    ADD_FAILURE() << "FindKey(" << key << "): " << id.status().ToString();
    return kNoNode;
  }
  return *id;
}

// "type->dstkey#rank" for out-edges, "type<-srckey#rank" for in-edges, in
// the order the cursor yields them.
inline std::vector<std::string> EdgeList(const GraphView& view, std::string_view key,
                                         Direction dir,
                                         std::optional<std::string> type = std::nullopt) {
  std::vector<std::string> out;
  NodeId id = IdOf(view, key);
  std::optional<SymbolId> type_id;
  if (type) {
    type_id = view.schema().EdgeType(*type);
    if (!type_id) {
      ADD_FAILURE() << "unknown edge type " << *type;
      return out;
    }
  }
  auto cur = view.Edges(id, dir, type_id);
  for (; cur->Valid(); cur->Next()) {
    const EdgeRef& e = cur->edge();
    std::string t(view.schema().EdgeTypeName(e.type));
    if (e.src == id && (dir != Direction::kIn)) {
      // An out-edge (a self-loop is listed as out when out-edges are asked for).
      out.push_back(t + "->" + KeyOf(view, e.dst) + "#" + std::to_string(e.rank));
    } else {
      out.push_back(t + "<-" + KeyOf(view, e.src) + "#" + std::to_string(e.rank));
    }
  }
  EXPECT_TRUE(cur->status().ok()) << cur->status().ToString();
  return out;
}

// "srckey-type->dstkey#rank" for every edge, in AllEdges() order.
inline std::vector<std::string> AllEdgeList(const GraphView& view) {
  std::vector<std::string> out;
  auto cur = view.AllEdges();
  for (; cur->Valid(); cur->Next()) {
    const EdgeRef& e = cur->edge();
    out.push_back(KeyOf(view, e.src) + "-" + std::string(view.schema().EdgeTypeName(e.type)) +
                  "->" + KeyOf(view, e.dst) + "#" + std::to_string(e.rank));
  }
  EXPECT_TRUE(cur->status().ok()) << cur->status().ToString();
  return out;
}

// Keys of Nodes(filter), in cursor order.
inline std::vector<std::string> NodeKeys(const GraphView& view, const NodeFilter& filter = {}) {
  std::vector<std::string> out;
  auto cur = view.Nodes(filter);
  for (; cur->Valid(); cur->Next()) out.push_back(cur->node().key);
  EXPECT_TRUE(cur->status().ok()) << cur->status().ToString();
  return out;
}

inline std::string DegreeString(const GraphView& view, std::string_view key) {
  auto d = view.GetDegree(IdOf(view, key));
  if (!d.ok()) return d.status().ToString();
  return "out=" + std::to_string(d->out) + " in=" + std::to_string(d->in);
}

inline std::string CountsString(const GraphView& view) {
  auto c = view.Counts();
  if (!c.ok()) return c.status().ToString();
  return "nodes=" + std::to_string(c->nodes) + " edges=" + std::to_string(c->edges);
}

inline std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ",";
    s += v[i];
  }
  return s;
}

// Everything about a node except its batch, as one line.
inline std::string NodeString(const GraphView& view, const Node& n) {
  std::string s = "id=" + std::to_string(n.id) + " key=" + n.key + " kind=" + n.kind +
                  " name=" + n.name + " sector=" + n.sector + " aliases=[" + Join(n.aliases) +
                  "] props=" + n.props + " sources=[";
  for (size_t i = 0; i < n.sources.size(); ++i) {
    if (i) s += ",";
    s += KeyOf(view, n.sources[i]);
  }
  return s + "]";
}

inline std::string NodeStringByKey(const GraphView& view, std::string_view key) {
  auto n = view.GetNodeByKey(key);
  if (!n.ok()) return n.status().ToString();
  return NodeString(view, *n);
}

inline std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

inline std::unique_ptr<Db> MustOpen(const std::string& path, Options options = {}) {
  auto db = Db::Open(path, options);
  if (!db.ok()) {
    ADD_FAILURE() << "Db::Open(" << path << "): " << db.status().ToString();
    return nullptr;
  }
  return std::move(db).value();
}

// Node filters (designated initializers would trip -Wmissing-field-initializers).
inline NodeFilter KindFilter(std::string kind) {
  NodeFilter f;
  f.kind = std::move(kind);
  return f;
}
inline NodeFilter SectorFilter(std::string sector) {
  NodeFilter f;
  f.sector = std::move(sector);
  return f;
}
inline NodeFilter KindSectorFilter(std::string kind, std::string sector) {
  NodeFilter f;
  f.kind = std::move(kind);
  f.sector = std::move(sector);
  return f;
}

// A node input with the usual fields.
inline NodeInput N(std::string key, std::string kind, std::string name = {},
                   std::string sector = {}) {
  NodeInput in;
  in.key = std::move(key);
  in.kind = std::move(kind);
  in.name = std::move(name);
  in.sector = std::move(sector);
  return in;
}

inline EdgeInput E(std::string src, std::string type, std::string dst, uint32_t rank = 0) {
  EdgeInput in;
  in.src = NodeRef(std::move(src));
  in.type = std::move(type);
  in.dst = NodeRef(std::move(dst));
  in.rank = rank;
  return in;
}

inline Date D(int y, unsigned m, unsigned d) { return Date::FromYmd(y, m, d); }

// A fixture with a fresh graph in a temporary directory.
class DbTest : public ::testing::Test {
 protected:
  // Commits are not fsynced here, to keep the suite fast on a busy machine;
  // open_test.cc uses the default (synced) options.
  static Options FastOptions() {
    Options o;
    o.sync_commits = false;
    return o;
  }

  void SetUp() override {
    db_ = MustOpen(dir_.Sub("graph"), FastOptions());
    ASSERT_NE(db_, nullptr);
  }

  std::unique_ptr<Transaction> Begin(std::string label = "test") {
    auto txn = db_->BeginTransaction(std::move(label));
    if (!txn.ok()) {
      ADD_FAILURE() << "BeginTransaction: " << txn.status().ToString();
      return nullptr;
    }
    return std::move(txn).value();
  }

  // Closes and reopens the graph.
  void Reopen(Options options = FastOptions()) {
    db_.reset();
    db_ = MustOpen(dir_.Sub("graph"), options);
    ASSERT_NE(db_, nullptr);
  }

  std::string path() const { return dir_.Sub("graph"); }

  TempDir dir_;
  std::unique_ptr<Db> db_;
};

}  // namespace samverkan::test
