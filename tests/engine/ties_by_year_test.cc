// TiesPerYear against the plain way of counting: a CSR snapshot built for
// each year (CsrSpec::year), its ties (MakeSimpleGraph, or Project through
// a kind) counted by the groups of their ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <random>
#include <string>
#include <tuple>

#include "samverkan/analytics.h"
#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::E;
using test::N;

using Counts = std::map<std::tuple<int, std::string, std::string>, uint64_t>;

Counts Rows(const YearlyTies& t, const NodeGroups& groups) {
  Counts out;
  for (const YearlyTie& r : t.rows) {
    EXPECT_LE(r.a, r.b);
    EXPECT_GT(r.ties, 0u);
    out[{r.year, groups.names[r.a], groups.names[r.b]}] = r.ties;
  }
  return out;
}

// The plain way: one snapshot per year.
Counts CountedYearByYear(const Db& db, const CsrSpec& base, const std::string& via, int first,
                         int last) {
  Counts out;
  for (int y = first; y <= last; ++y) {
    CsrSpec spec = base;
    spec.year = y;
    auto csr = CsrGraph::Build(db, spec);
    EXPECT_TRUE(csr.ok());
    auto groups = GroupNodes(db, **csr, "sector");
    EXPECT_TRUE(groups.ok());
    auto g = via.empty() ? MakeSimpleGraph(**csr, Direction::kBoth, false)
                         : Project(**csr, db.schema(), "", via);
    EXPECT_TRUE(g.ok());
    for (uint32_t v = 0; v < g->num_nodes; ++v) {
      for (uint32_t u : g->neighbors(v)) {
        const int32_t a = groups->group[v], b = groups->group[u];
        if (u <= v || a < 0 || b < 0) continue;
        const std::string& x = groups->names[static_cast<size_t>(std::min(a, b))];
        const std::string& z = groups->names[static_cast<size_t>(std::max(a, b))];
        ++out[{y, x, z}];
      }
    }
  }
  return out;
}

class TiesPerYearTest : public test::DbTest {
 protected:
  // Actors with sectors (some without), projects, and edges of two types
  // with random validities (some open at one end or both), some parallel.
  void BuildRandom(uint32_t seed) {
    std::mt19937 rng(seed);
    auto txn = Begin();
    ASSERT_TRUE(txn);
    auto below = [&](uint32_t n) { return static_cast<unsigned>(rng() % n); };
    const char* sectors[] = {"academia", "business", "public", ""};
    for (int i = 0; i < 30; ++i) {
      ASSERT_OK(txn->PutNode(N("a" + std::to_string(i), "actor", {}, sectors[below(4)])).status());
    }
    for (int i = 0; i < 12; ++i) {
      ASSERT_OK(txn->PutNode(N("p" + std::to_string(i), "project", {}, "")).status());
    }
    auto validity = [&] {
      Validity v;
      const int start = 2001 + static_cast<int>(below(15));
      if (below(5) != 0) v.from = Date::FromYmd(start, 1 + below(12), 1 + below(28));
      if (below(5) != 0) {
        v.to = Date::FromYmd(start + 1 + static_cast<int>(below(4)), 1 + below(12), 1 + below(28));
      }
      return v;
    };
    for (int i = 0; i < 120; ++i) {
      const bool to_project = below(2) == 0;
      EdgeInput e = to_project ? E("a" + std::to_string(below(30)), "participates_in",
                                   "p" + std::to_string(below(12)), static_cast<uint32_t>(i))
                               : E("a" + std::to_string(below(30)), "knows",
                                   "a" + std::to_string(below(30)), static_cast<uint32_t>(i));
      e.validity = validity();
      ASSERT_OK(txn->PutEdge(e).status());
    }
    ASSERT_OK(txn->Commit());
  }

  Counts Computed(const CsrSpec& spec, const YearlyTiesOptions& options, YearlyTies* out = nullptr) {
    auto csr = CsrGraph::Build(*db_, spec);
    EXPECT_TRUE(csr.ok());
    auto groups = GroupNodes(*db_, **csr, "sector");
    EXPECT_TRUE(groups.ok());
    auto t = TiesPerYear(*db_, **csr, *groups, options);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (out != nullptr) *out = *t;
    return Rows(*t, *groups);
  }
};

TEST_F(TiesPerYearTest, AgreesWithASnapshotPerYear) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    db_.reset();  // a fresh graph
    db_ = test::MustOpen(dir_.Sub("graph-" + std::to_string(seed)), FastOptions());
    ASSERT_NE(db_, nullptr);
    BuildRandom(seed);
    YearlyTies t;
    const Counts all = Computed({}, {}, &t);
    // The edges' dates decide the years: 2001 to at most 2019.
    EXPECT_GE(t.first_year, 2001);
    EXPECT_LE(t.last_year, 2019);
    EXPECT_FALSE(all.empty());
    EXPECT_EQ(all, CountedYearByYear(*db_, {}, "", t.first_year, t.last_year));

    const Counts through = Computed({}, {.through_kind = "project"});
    EXPECT_FALSE(through.empty());
    EXPECT_EQ(through, CountedYearByYear(*db_, {}, "project", t.first_year, t.last_year));

    const CsrSpec knows{.edge_types = {"knows"}, .valid_on = Date::FromYmd(2008, 6, 1)};
    EXPECT_EQ(Computed(knows, {.first_year = 2000, .last_year = 2020}),
              CountedYearByYear(*db_, knows, "", 2000, 2020));

    const CsrSpec one_year{.year = 2009};
    EXPECT_EQ(Computed(one_year, {}), CountedYearByYear(*db_, {}, "", 2009, 2009));
  }
}

TEST_F(TiesPerYearTest, ParallelEdgesInAYearAreOneTie) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->PutNode(N("a", "actor", {}, "academia")).status());
  ASSERT_OK(txn->PutNode(N("b", "actor", {}, "business")).status());
  ASSERT_OK(txn->PutNode(N("c", "actor", {}, "")).status());
  EdgeInput first = E("a", "knows", "b", 0);
  first.validity = {Date::FromYmd(2010, 1, 1), Date::FromYmd(2011, 6, 30)};
  EdgeInput second = E("b", "knows", "a", 0);  // the other way, overlapping
  second.validity = {Date::FromYmd(2011, 1, 1), Date::FromYmd(2012, 12, 31)};
  EdgeInput ungrouped = E("a", "knows", "c", 0);  // c has no sector
  ASSERT_OK(txn->PutEdge(first).status());
  ASSERT_OK(txn->PutEdge(second).status());
  ASSERT_OK(txn->PutEdge(ungrouped).status());
  ASSERT_OK(txn->Commit());
  YearlyTies t;
  const Counts c = Computed({}, {}, &t);
  EXPECT_EQ(std::make_pair(t.first_year, t.last_year), std::make_pair(2010, 2012));
  EXPECT_EQ(c, (Counts{{{2010, "academia", "business"}, 1},
                       {{2011, "academia", "business"}, 1},
                       {{2012, "academia", "business"}, 1}}));
}

TEST_F(TiesPerYearTest, NoDatesNoYearsUnlessAsked) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->PutNode(N("a", "actor", {}, "academia")).status());
  ASSERT_OK(txn->PutNode(N("b", "actor", {}, "academia")).status());
  ASSERT_OK(txn->PutEdge(E("a", "knows", "b")).status());
  ASSERT_OK(txn->Commit());
  YearlyTies t;
  EXPECT_TRUE(Computed({}, {}, &t).empty());
  EXPECT_GT(t.first_year, t.last_year);
  // An edge without dates is valid in every year asked for.
  EXPECT_EQ(Computed({}, {.first_year = 1999, .last_year = 2000}),
            (Counts{{{1999, "academia", "academia"}, 1}, {{2000, "academia", "academia"}, 1}}));
  auto csr = db_->Csr({});
  ASSERT_OK(csr.status());
  ASSERT_OK_AND_ASSIGN(NodeGroups groups, GroupNodes(*db_, **csr, "sector"));
  // A long range is cut to its latest years.
  ASSERT_OK_AND_ASSIGN(YearlyTies many,
                       TiesPerYear(*db_, **csr, groups,
                                   {.first_year = 1, .last_year = 5000, .max_years = 3}));
  EXPECT_EQ(std::make_pair(many.first_year, many.last_year), std::make_pair(4998, 5000));
  EXPECT_EQ(many.rows.size(), 3u);
  EXPECT_CODE(kInvalidArgument, TiesPerYear(*db_, **csr, groups, {.max_years = 0}).status());
}

}  // namespace
}  // namespace samverkan

namespace samverkan {
namespace {

using PairsByYear = std::map<int, std::set<std::pair<NodeId, NodeId>>>;

// TieSpans against one snapshot per year: in each year, the pairs whose
// spans hold it are the pairs tied in that year's snapshot.
TEST_F(TiesPerYearTest, TieSpansHoldTheYearsEachTieIsTiedIn) {
  BuildRandom(7);
  for (const std::string via : {"", "project"}) {
    SCOPED_TRACE(via);
    auto csr = CsrGraph::Build(*db_, {});
    ASSERT_TRUE(csr.ok());
    const NodeGroups everyone{std::vector<int32_t>((*csr)->num_nodes(), 0), {"all"}};
    auto spans = TieSpans(*db_, **csr, everyone, {.through_kind = via});
    ASSERT_TRUE(spans.ok()) << spans.status().ToString();
    PairsByYear from_spans, from_snapshots;
    for (const TieSpan& s : *spans) {
      ASSERT_LT(s.a, s.b);
      ASSERT_LE(s.from, s.to);
      const NodeId a = (*csr)->node_id(s.a), b = (*csr)->node_id(s.b);
      for (int y = std::max(s.from, 2000); y <= std::min(s.to, 2020); ++y) {
        EXPECT_TRUE(from_spans[y].insert({std::min(a, b), std::max(a, b)}).second)
            << "a pair's spans overlap in " << y;
      }
    }
    for (int y = 2000; y <= 2020; ++y) {
      auto year = CsrGraph::Build(*db_, {.year = y});
      ASSERT_TRUE(year.ok());
      auto g = via.empty() ? MakeSimpleGraph(**year, Direction::kBoth, false)
                           : Project(**year, db_->schema(), "", via);
      ASSERT_TRUE(g.ok());
      for (uint32_t v = 0; v < g->num_nodes; ++v) {
        for (uint32_t u : g->neighbors(v)) {
          if (u <= v) continue;
          const NodeId a = (*year)->node_id(v), b = (*year)->node_id(u);
          from_snapshots[y].insert({std::min(a, b), std::max(a, b)});
        }
      }
    }
    std::erase_if(from_snapshots, [](const auto& kv) { return kv.second.empty(); });
    EXPECT_FALSE(from_snapshots.empty());
    EXPECT_EQ(from_spans, from_snapshots);
  }
}

}  // namespace
}  // namespace samverkan
