// PropertyColumn: a CSR snapshot's node and edge properties as typed
// columns — each JSON type, nulls, mixed types as JSON, dates as day
// numbers, sorted dictionaries — and a snapshot after a commit sees the
// new values while the old one keeps its own.
#include <gtest/gtest.h>

#include <string>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::D;
using test::E;
using test::IdOf;
using test::N;

class PropertyColumnTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    NodeInput a = N("a", "actor", "Alpha");
    a.props = R"({"n": 1, "x": 1.5, "b": true, "s": "zeta", "mixed": 1, "list": [1, 2]})";
    NodeInput b = N("b", "actor");
    b.props = R"({"n": -7, "s": "alpha", "mixed": "one"})";
    NodeInput c = N("c", "project");
    c.props = R"({"x": 2.0, "b": false, "s": "zeta", "mixed": 1.5})";
    for (const NodeInput& n : {a, b, c}) ASSERT_OK(txn->PutNode(n).status());
    EdgeInput ac = E("a", "participates_in", "c");
    ac.weight = 0.25;
    ac.validity = {D(2015, 3, 1), D(2017, 2, 28)};
    ac.props = R"({"role": "partner", "contribution": 1200.5})";
    EdgeInput ac1 = E("a", "participates_in", "c", 1);  // parallel, rank 1
    ac1.props = R"({"role": "coordinator"})";
    EdgeInput bc = E("b", "participates_in", "c");
    bc.validity = {D(1999, 12, 31), std::nullopt};
    bc.props = R"({"role": "partner", "contribution": 3})";
    EdgeInput ab = E("a", "knows", "b");
    for (const EdgeInput& e : {ac, ac1, bc, ab}) ASSERT_OK(txn->PutEdge(e).status());
    ASSERT_OK(txn->Commit());
  }

  // The position of the out-edge src -type-> dst with this rank order.
  static uint32_t Position(const CsrGraph& csr, const GraphView& view, std::string_view src,
                           std::string_view type, std::string_view dst, size_t nth = 0) {
    uint32_t v = *csr.index_of(IdOf(view, src));
    uint32_t w = *csr.index_of(IdOf(view, dst));
    SymbolId t = *view.schema().EdgeType(std::string(type));
    auto others = csr.out_neighbors(v);
    for (size_t i = 0; i < others.size(); ++i) {
      if (others[i] == w && csr.out_types(v)[i] == t && nth-- == 0) return csr.out_edge(v, i);
    }
    ADD_FAILURE() << "no edge " << src << " -" << type << "-> " << dst;
    return 0;
  }
};

TEST_F(PropertyColumnTest, NodeColumnsAreTypedWithNulls) {
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  auto snap = db_->GetSnapshot();
  const uint32_t a = *csr->index_of(IdOf(*snap, "a"));
  const uint32_t b = *csr->index_of(IdOf(*snap, "b"));
  const uint32_t c = *csr->index_of(IdOf(*snap, "c"));

  ASSERT_OK_AND_ASSIGN(auto n, csr->NodeColumn(*snap, NodeField::kProps, "n"));
  ASSERT_EQ(n->type(), ColumnType::kInt);
  EXPECT_EQ(n->size(), csr->num_nodes());
  EXPECT_EQ(n->integer(a), 1);
  EXPECT_EQ(n->integer(b), -7);
  EXPECT_TRUE(n->is_null(c));

  ASSERT_OK_AND_ASSIGN(auto x, csr->NodeColumn(*snap, NodeField::kProps, "x"));
  ASSERT_EQ(x->type(), ColumnType::kDouble);  // 2.0 is a double too
  EXPECT_EQ(x->number(a), 1.5);
  EXPECT_EQ(x->number(c), 2.0);
  EXPECT_TRUE(x->is_null(b));

  ASSERT_OK_AND_ASSIGN(auto bools, csr->NodeColumn(*snap, NodeField::kProps, "b"));
  ASSERT_EQ(bools->type(), ColumnType::kBool);
  EXPECT_TRUE(bools->boolean(a));
  EXPECT_FALSE(bools->boolean(c));
  EXPECT_TRUE(bools->is_null(b));

  ASSERT_OK_AND_ASSIGN(auto s, csr->NodeColumn(*snap, NodeField::kProps, "s"));
  ASSERT_EQ(s->type(), ColumnType::kString);
  EXPECT_EQ(s->dictionary(), (std::vector<std::string>{"alpha", "zeta"}));  // sorted
  EXPECT_EQ(s->text(a), "zeta");
  EXPECT_EQ(s->code(a), s->code(c));
  EXPECT_LT(s->code(b), s->code(a));  // codes compare as the strings do
  EXPECT_EQ(s->CodeOf("alpha"), 0u);
  EXPECT_EQ(s->CodeOf("beta"), std::nullopt);

  // 1, "one" and 1.5 under one key: each value kept as JSON text.
  ASSERT_OK_AND_ASSIGN(auto mixed, csr->NodeColumn(*snap, NodeField::kProps, "mixed"));
  ASSERT_EQ(mixed->type(), ColumnType::kJson);
  EXPECT_EQ(mixed->json(a), "1");
  EXPECT_EQ(mixed->json(b), "\"one\"");
  EXPECT_EQ(mixed->json(c), "1.5");
  ASSERT_OK_AND_ASSIGN(auto list, csr->NodeColumn(*snap, NodeField::kProps, "list"));
  ASSERT_EQ(list->type(), ColumnType::kJson);
  EXPECT_EQ(list->json(a), "[1,2]");
  EXPECT_TRUE(list->is_null(b));

  ASSERT_OK_AND_ASSIGN(auto none, csr->NodeColumn(*snap, NodeField::kProps, "absent"));
  EXPECT_EQ(none->type(), ColumnType::kNull);

  ASSERT_OK_AND_ASSIGN(auto names, csr->NodeColumn(*snap, NodeField::kName));
  EXPECT_EQ(names->text(a), "Alpha");
  EXPECT_EQ(names->text(b), "b");  // a name defaults to the key
  ASSERT_OK_AND_ASSIGN(auto keys, csr->NodeColumn(*snap, NodeField::kKey));
  EXPECT_EQ(keys->text(c), "c");
}

TEST_F(PropertyColumnTest, EdgeColumnsByPositionWithDatesAsDays) {
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  auto snap = db_->GetSnapshot();
  const uint32_t ac = Position(*csr, *snap, "a", "participates_in", "c");
  const uint32_t ac1 = Position(*csr, *snap, "a", "participates_in", "c", 1);
  const uint32_t bc = Position(*csr, *snap, "b", "participates_in", "c");
  const uint32_t ab = Position(*csr, *snap, "a", "knows", "b");

  ASSERT_OK_AND_ASSIGN(auto role, csr->EdgeColumn(*snap, EdgeField::kProps, "role"));
  ASSERT_EQ(role->type(), ColumnType::kString);
  EXPECT_EQ(role->text(ac), "partner");
  EXPECT_EQ(role->text(ac1), "coordinator");
  EXPECT_EQ(role->code(bc), role->code(ac));
  EXPECT_TRUE(role->is_null(ab));

  // 1200.5 and 3: a double and an integer, so JSON.
  ASSERT_OK_AND_ASSIGN(auto money, csr->EdgeColumn(*snap, EdgeField::kProps, "contribution"));
  ASSERT_EQ(money->type(), ColumnType::kJson);
  EXPECT_EQ(money->json(ac), "1200.5");
  EXPECT_EQ(money->json(bc), "3");

  ASSERT_OK_AND_ASSIGN(auto weight, csr->EdgeColumn(*snap, EdgeField::kWeight));
  ASSERT_EQ(weight->type(), ColumnType::kDouble);
  EXPECT_EQ(weight->number(ac), 0.25);
  EXPECT_TRUE(weight->is_null(bc));

  ASSERT_OK_AND_ASSIGN(auto from, csr->EdgeColumn(*snap, EdgeField::kValidFrom));
  ASSERT_EQ(from->type(), ColumnType::kDate);
  EXPECT_EQ(from->integer(ac), D(2015, 3, 1).days);  // the day number itself
  EXPECT_EQ(from->date(bc).ToString(), "1999-12-31");
  EXPECT_TRUE(from->is_null(ab));
  ASSERT_OK_AND_ASSIGN(auto to, csr->EdgeColumn(*snap, EdgeField::kValidTo));
  EXPECT_EQ(to->date(ac), D(2017, 2, 28));
  EXPECT_TRUE(to->is_null(bc));

  ASSERT_OK_AND_ASSIGN(auto rank, csr->EdgeColumn(*snap, EdgeField::kRank));
  EXPECT_EQ(rank->integer(ac), 0);
  EXPECT_EQ(rank->integer(ac1), 1);

  // A filtered snapshot numbers only its own edges.
  ASSERT_OK_AND_ASSIGN(auto knows, db_->Csr(CsrSpec{.edge_types = {"knows"}}));
  ASSERT_EQ(knows->num_edges(), 1u);
  ASSERT_OK_AND_ASSIGN(auto knows_role, knows->EdgeColumn(*snap, EdgeField::kProps, "role"));
  EXPECT_EQ(knows_role->size(), 1u);
  EXPECT_TRUE(knows_role->is_null(0));
}

TEST_F(PropertyColumnTest, OneScanBuildsTheColumnsOfSeveralPropsKeys) {
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr({}));
  auto snap = db_->GetSnapshot();
  const uint64_t bare = csr->memory_bytes();
  ASSERT_OK_AND_ASSIGN(auto role, csr->EdgeColumn(*snap, EdgeField::kProps, "role"));
  const uint64_t with_role = csr->memory_bytes();
  EXPECT_GT(with_role, bare);
  // `contribution` came with `role`'s scan: asking for it builds nothing.
  ASSERT_OK_AND_ASSIGN(auto money, csr->EdgeColumn(*snap, EdgeField::kProps, "contribution"));
  EXPECT_EQ(csr->memory_bytes(), with_role);
  ASSERT_EQ(money->type(), ColumnType::kJson);  // 1200.5 and 3
  const uint32_t ac = Position(*csr, *snap, "a", "participates_in", "c");
  const uint32_t bc = Position(*csr, *snap, "b", "participates_in", "c");
  EXPECT_EQ(money->json(ac), "1200.5");
  EXPECT_EQ(money->json(bc), "3");
  EXPECT_EQ(role->text(ac), "partner");
  // The same for nodes; a key no row holds is a column of nulls, built alone.
  ASSERT_OK_AND_ASSIGN(auto n, csr->NodeColumn(*snap, NodeField::kProps, "n"));
  const uint64_t with_n = csr->memory_bytes();
  ASSERT_OK_AND_ASSIGN(auto s, csr->NodeColumn(*snap, NodeField::kProps, "s"));
  ASSERT_OK_AND_ASSIGN(auto mixed, csr->NodeColumn(*snap, NodeField::kProps, "mixed"));
  EXPECT_EQ(csr->memory_bytes(), with_n);
  EXPECT_EQ(s->text(*csr->index_of(IdOf(*snap, "b"))), "alpha");
  EXPECT_EQ(mixed->type(), ColumnType::kJson);
  ASSERT_OK_AND_ASSIGN(auto none, csr->NodeColumn(*snap, NodeField::kProps, "absent"));
  EXPECT_EQ(none->type(), ColumnType::kNull);
}

TEST_F(PropertyColumnTest, ASnapshotAfterACommitSeesTheNewValues) {
  ASSERT_OK_AND_ASSIGN(auto before, db_->Csr({}));
  auto old_snap = db_->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto old_s, before->NodeColumn(*old_snap, NodeField::kProps, "s"));
  const uint32_t a = *before->index_of(IdOf(*old_snap, "a"));

  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput changed = N("a", "actor", "Alpha");
  changed.props = R"({"s": "omega"})";
  ASSERT_OK(txn->PutNode(changed).status());
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto after, db_->Csr({}));
  ASSERT_NE(after.get(), before.get());
  auto snap = db_->GetSnapshot();
  ASSERT_OK_AND_ASSIGN(auto s, after->NodeColumn(*snap, NodeField::kProps, "s"));
  EXPECT_EQ(s->text(*after->index_of(IdOf(*snap, "a"))), "omega");
  EXPECT_EQ(old_s->text(a), "zeta");  // the old snapshot's column is its own
  ASSERT_OK_AND_ASSIGN(auto n, after->NodeColumn(*snap, NodeField::kProps, "n"));
  EXPECT_TRUE(n->is_null(*after->index_of(IdOf(*snap, "a"))));
}

}  // namespace
}  // namespace samverkan
