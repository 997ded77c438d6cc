// The region hierarchy (RegionLevels, GroupNodes with a level): regions
// rolled up part_of to a level, with several parents, a level named only by
// kind, a region with no ancestor at the level, and a cycle.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "samverkan/analytics.h"
#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::E;
using test::IdOf;
using test::N;

class RegionLevelsTest : public test::DbTest {
 protected:
  // "key:level" regions (level "-": none, so the kind "region" names it;
  // kind "district" when the key starts with "d:"), "child>parent" part_of.
  void Regions(const std::vector<std::string>& regions, const std::vector<std::string>& part_of,
               const std::vector<std::string>& located_in = {}) {
    auto txn = Begin();
    ASSERT_TRUE(txn);
    for (const auto& spec : regions) {
      const auto colon = spec.find(':', 2);
      const std::string key = spec.substr(0, colon), level = spec.substr(colon + 1);
      NodeInput in = N(key, key.starts_with("d:") ? "district" : "region");
      if (level != "-") in.props = R"({"level":")" + level + R"("})";
      ASSERT_OK(txn->PutNode(in).status());
    }
    for (const auto& spec : part_of) {
      const auto gt = spec.find('>');
      ASSERT_OK(txn->PutEdge(E(spec.substr(0, gt), "part_of", spec.substr(gt + 1))).status());
    }
    for (const auto& spec : located_in) {  // "actor>region"; the actors are made here
      const auto gt = spec.find('>');
      ASSERT_OK(txn->PutNode(N(spec.substr(0, gt), "actor")).status());
      ASSERT_OK(txn->PutEdge(E(spec.substr(0, gt), "located_in", spec.substr(gt + 1))).status());
    }
    ASSERT_OK(txn->Commit());
  }

  // The keys of `region`'s ancestors at `level`, sorted.
  std::string Up(RegionLevels& levels, const std::string& region) {
    auto up = levels.AncestorsAt(IdOf(*db_, region));
    if (!up.ok()) return up.status().message();
    std::vector<std::string> keys;
    for (NodeId a : *up) keys.push_back(*levels.KeyOf(a));
    std::sort(keys.begin(), keys.end());
    return test::Join(keys);
  }
};

TEST_F(RegionLevelsTest, RollsUpToTheLevel) {
  // m:border lies in two counties; m:island in none (straight under the
  // country); d:old has no level property, so its kind names its level.
  Regions({"c:se:country", "c:skane:county", "c:halland:county", "m:malmo:municipality",
           "m:border:municipality", "m:island:municipality", "d:old:-"},
          {"c:skane>c:se", "c:halland>c:se", "m:malmo>c:skane", "m:border>c:skane",
           "m:border>c:halland", "m:island>c:se", "d:old>m:malmo"});
  RegionLevels county(*db_, "county");
  EXPECT_EQ(Up(county, "m:malmo"), "c:skane");
  EXPECT_EQ(Up(county, "c:skane"), "c:skane");  // a region at the level is its own
  EXPECT_EQ(Up(county, "m:border"), "c:halland,c:skane");
  EXPECT_EQ(Up(county, "m:island"), "");
  EXPECT_EQ(Up(county, "c:se"), "");  // nothing is walked down
  EXPECT_EQ(Up(county, "d:old"), "c:skane");
  RegionLevels country(*db_, "country");
  EXPECT_EQ(Up(country, "m:border"), "c:se");  // both paths meet once
  EXPECT_EQ(Up(country, "d:old"), "c:se");
  RegionLevels district(*db_, "district");
  EXPECT_EQ(*district.LevelOf(IdOf(*db_, "d:old")), "district");
  EXPECT_EQ(Up(district, "d:old"), "d:old");
}

TEST_F(RegionLevelsTest, ACycleIsAnErrorNamingIt) {
  Regions({"m:a:municipality", "x:b:area", "x:c:area", "c:ok:county"},
          {"m:a>x:b", "x:b>x:c", "x:c>x:b", "m:a>c:ok"});
  RegionLevels county(*db_, "county");
  EXPECT_EQ(Up(county, "m:a"),
            "part_of has a cycle: x:b -> x:c -> x:b");
  EXPECT_EQ(Up(county, "c:ok"), "c:ok");  // a walk that never meets the cycle
}

TEST_F(RegionLevelsTest, GroupsAndMixesByLevel) {
  Regions({"c:se:country", "c:skane:county", "c:halland:county", "m:malmo:municipality",
           "m:border:municipality", "m:island:municipality"},
          {"c:skane>c:se", "c:halland>c:se", "m:malmo>c:skane", "m:border>c:skane",
           "m:border>c:halland", "m:island>c:se"},
          {"a>m:malmo", "b>m:border", "c>m:island", "d>m:malmo"});
  {
    auto txn = Begin();
    for (const char* tie : {"a>b", "b>c", "a>d", "c>d"}) {
      const std::string t = tie;
      ASSERT_OK(txn->PutEdge(E(t.substr(0, 1), "tie", t.substr(2))).status());
    }
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto csr, db_->Csr(CsrSpec{}));
  ASSERT_OK_AND_ASSIGN(NodeGroups g, GroupNodes(*db_, *csr, "region", "county"));
  EXPECT_EQ(test::Join(g.names), "c:halland,c:skane,m:island (no county)");
  const uint32_t b = *csr->index_of(IdOf(*db_, "b"));
  EXPECT_EQ(g.group[b], 0);  // halland, the first by name; skane in `more`
  ASSERT_EQ(g.more.size(), csr->num_nodes());
  EXPECT_EQ(g.more[b], std::vector<int32_t>{1});
  ASSERT_OK_AND_ASSIGN(SimpleGraph ties, MakeSimpleGraph(*csr, Direction::kBoth, false));
  ASSERT_OK_AND_ASSIGN(Mixing m, MixingOf(ties, g));
  // a-b counts as skane-halland and skane-skane, b-c as halland-island and
  // skane-island; a-d skane-skane; c-d island-skane.
  EXPECT_EQ(m.ties, (std::vector<uint64_t>{0, 1, 1, 1, 2, 2, 1, 2, 0}));
  EXPECT_EQ(m.total_weight, 6.0);

  EXPECT_CODE(kInvalidArgument, GroupNodes(*db_, *csr, "sector", "county").status());
  ASSERT_OK_AND_ASSIGN(NodeGroups plain, GroupNodes(*db_, *csr, "region"));
  EXPECT_EQ(test::Join(plain.names), "m:border,m:island,m:malmo");
  EXPECT_TRUE(plain.more.empty());
}

}  // namespace
}  // namespace samverkan
