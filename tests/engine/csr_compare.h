// Comparing two CSR snapshots exactly, array by array and column by
// column: a snapshot derived by a patch (CsrGraph::Patched) must equal a
// fresh CsrGraph::Build. Shared by csr_patch_test.cc and change_log_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan::test {

struct ColumnSpec {
  bool edges;
  int field;
  std::string key;
};

inline const std::vector<ColumnSpec>& Columns() {
  static const std::vector<ColumnSpec> kColumns = {
      {false, static_cast<int>(NodeField::kKey), ""},
      {false, static_cast<int>(NodeField::kName), ""},
      {false, static_cast<int>(NodeField::kProps), "role"},
      {false, static_cast<int>(NodeField::kProps), "n"},
      {false, static_cast<int>(NodeField::kProps), "mixed"},
      {false, static_cast<int>(NodeField::kProps), "rare"},
      {true, static_cast<int>(EdgeField::kWeight), ""},
      {true, static_cast<int>(EdgeField::kValidFrom), ""},
      {true, static_cast<int>(EdgeField::kValidTo), ""},
      {true, static_cast<int>(EdgeField::kRank), ""},
      {true, static_cast<int>(EdgeField::kProps), "role"},
      {true, static_cast<int>(EdgeField::kProps), "share"},
      {true, static_cast<int>(EdgeField::kProps), "rare"},
  };
  return kColumns;
}

inline Result<std::shared_ptr<const PropertyColumn>> ColumnOf(const CsrGraph& csr,
                                                              const GraphView& view,
                                                              const ColumnSpec& c) {
  return c.edges ? csr.EdgeColumn(view, static_cast<EdgeField>(c.field), c.key)
                 : csr.NodeColumn(view, static_cast<NodeField>(c.field), c.key);
}

// Every array of the two snapshots, through the public accessors.
inline void ExpectSameArrays(const CsrGraph& got, const CsrGraph& want) {
  ASSERT_EQ(got.num_nodes(), want.num_nodes());
  ASSERT_EQ(got.num_edges(), want.num_edges());
  ASSERT_EQ(got.has_weights(), want.has_weights());
  NodeId max_id = 0;
  for (uint32_t v = 0; v < want.num_nodes(); ++v) {
    ASSERT_EQ(got.node_id(v), want.node_id(v)) << "node " << v;
    max_id = std::max(max_id, want.node_id(v));
    EXPECT_EQ(got.kind(v), want.kind(v)) << "node " << v;
    EXPECT_EQ(got.sector(v), want.sector(v)) << "node " << v;
    auto same = [&](auto a, auto b, const char* what) {
      EXPECT_EQ(std::vector(a.begin(), a.end()), std::vector(b.begin(), b.end()))
          << what << " of node " << v;
    };
    same(got.out_neighbors(v), want.out_neighbors(v), "out_neighbors");
    same(got.out_types(v), want.out_types(v), "out_types");
    same(got.in_neighbors(v), want.in_neighbors(v), "in_neighbors");
    same(got.in_types(v), want.in_types(v), "in_types");
    same(got.out_weights(v), want.out_weights(v), "out_weights");
    same(got.in_weights(v), want.in_weights(v), "in_weights");
    ASSERT_EQ(got.out_degree(v), want.out_degree(v));
    ASSERT_EQ(got.in_degree(v), want.in_degree(v));
    for (size_t i = 0; i < want.out_degree(v); ++i) {
      EXPECT_EQ(got.out_edge(v, i), want.out_edge(v, i)) << "out slot " << i << " of node " << v;
    }
    for (size_t i = 0; i < want.in_degree(v); ++i) {
      EXPECT_EQ(got.in_edge(v, i), want.in_edge(v, i)) << "in slot " << i << " of node " << v;
    }
  }
  for (uint32_t p = 0; p < want.num_edges(); ++p) {
    EXPECT_EQ(got.edge_id(p), want.edge_id(p)) << "position " << p;
  }
  for (NodeId id = 0; id <= max_id + 2; ++id) EXPECT_EQ(got.index_of(id), want.index_of(id));
}

inline void ExpectSameColumn(const PropertyColumn& got, const PropertyColumn& want,
                      const std::string& what) {
  ASSERT_EQ(got.type(), want.type()) << what;
  ASSERT_EQ(got.size(), want.size()) << what;
  if (want.type() == ColumnType::kString) {
    EXPECT_EQ(got.dictionary(), want.dictionary()) << what;
  }
  for (uint32_t r = 0; r < want.size(); ++r) {
    ASSERT_EQ(got.is_null(r), want.is_null(r)) << what << " row " << r;
    if (want.is_null(r)) continue;
    switch (want.type()) {
      case ColumnType::kInt: EXPECT_EQ(got.integer(r), want.integer(r)) << what; break;
      case ColumnType::kBool: EXPECT_EQ(got.boolean(r), want.boolean(r)) << what; break;
      case ColumnType::kDate: EXPECT_EQ(got.date(r).days, want.date(r).days) << what; break;
      case ColumnType::kDouble: EXPECT_EQ(got.number(r), want.number(r)) << what; break;
      case ColumnType::kString: EXPECT_EQ(got.code(r), want.code(r)) << what; break;
      case ColumnType::kJson: EXPECT_EQ(got.json(r), want.json(r)) << what; break;
      case ColumnType::kNull: break;
    }
  }
}

// Every array, and every column of Columns() built on both (so that a later
// patch carries them over), of `got` and `want`.
inline void ExpectSameSnapshot(const CsrGraph& got, const CsrGraph& want, const GraphView& view,
                               const std::string& what) {
  {
    SCOPED_TRACE(what);
    ExpectSameArrays(got, want);
  }
  for (const ColumnSpec& c : Columns()) {
    auto g = ColumnOf(got, view, c);
    auto w = ColumnOf(want, view, c);
    ASSERT_TRUE(g.ok() && w.ok()) << what;
    ExpectSameColumn(**g, **w,
                     what + (c.edges ? " edge" : " node") + " column " + std::to_string(c.field) +
                         " '" + c.key + "'");
  }
}

}  // namespace samverkan::test
