// FindByName: folded lookups by name and aliases.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "samverkan/samverkan.h"
#include "test_util.h"

namespace samverkan {
namespace {

using test::N;
using Ids = std::vector<NodeId>;

class NameLookupTest : public test::DbTest {
 protected:
  void SetUp() override {
    test::DbTest::SetUp();
    auto txn = Begin();
    ASSERT_TRUE(txn);
    NodeInput oru = N("org:oru", "actor", "Örebro universitet", "academia");
    oru.aliases = {"ORU", "Örebro Univ."};
    ASSERT_TRUE(txn->PutNode(oru).ok());                                          // 1
    ASSERT_TRUE(txn->PutNode(N("org:mau", "actor", "Malmö universitet", "academia")).ok());  // 2
    ASSERT_TRUE(
        txn->PutNode(N("org:ltu", "actor", "Luleå tekniska universitet", "academia")).ok());  // 3
    ASSERT_TRUE(txn->PutNode(N("reg:malmo", "region", "Malmö")).ok());              // 4
    NodeInput stad = N("org:malmo-stad", "actor", "Malmö stad", "public");
    stad.aliases = {"Malmö"};
    ASSERT_TRUE(txn->PutNode(stad).ok());  // 5
    ASSERT_OK(txn->Commit());
  }

  Ids Find(std::string_view name) {
    auto r = db_->FindByName(name);
    if (!r.ok()) {
      ADD_FAILURE() << "FindByName(" << name << "): " << r.status().ToString();
      return {};
    }
    return *r;
  }
};

TEST_F(NameLookupTest, ByNameWithFolding) {
  EXPECT_EQ(Find("Örebro universitet"), Ids{1});
  EXPECT_EQ(Find("orebro universitet"), Ids{1});
  EXPECT_EQ(Find("orebro  UNIVERSITET"), Ids{1});
  EXPECT_EQ(Find("  Örebro-Universitet "), Ids{1});
  EXPECT_EQ(Find("malmo universitet"), Ids{2});
  EXPECT_EQ(Find("LULEA TEKNISKA UNIVERSITET"), Ids{3});
  EXPECT_EQ(Find("Malmö stad"), Ids{5});
}

TEST_F(NameLookupTest, ByAlias) {
  EXPECT_EQ(Find("ORU"), Ids{1});
  EXPECT_EQ(Find("oru"), Ids{1});
  EXPECT_EQ(Find("orebro univ"), Ids{1});
}

TEST_F(NameLookupTest, SeveralMatchesInIdOrder) {
  // "Malmö" is the region's name and the city's alias.
  EXPECT_EQ(Find("malmo"), (Ids{4, 5}));
  EXPECT_EQ(Find("MALMÖ"), (Ids{4, 5}));
}

TEST_F(NameLookupTest, NoMatchIsEmptyNotError) {
  EXPECT_EQ(Find("Umeå universitet"), Ids{});
  EXPECT_EQ(Find("orebro"), Ids{});  // whole names only
  EXPECT_EQ(Find("universitet"), Ids{});
}

TEST_F(NameLookupTest, NameDefaultsToKeyAndIsFindable) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("proj:mora", "project")).ok());  // 6, name = key
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Find("proj:mora"), Ids{6});
}

TEST_F(NameLookupTest, InvalidUtf8QueryIsInvalidArgument) {
  EXPECT_CODE(kInvalidArgument, db_->FindByName("Malm\xF6").status());
}

TEST_F(NameLookupTest, RenameWithPutNodeDropsOldNameAndAliases) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_TRUE(txn->PutNode(N("org:oru", "actor", "Örebro University", "academia")).ok());
  EXPECT_EQ(*txn->FindByName("orebro universitet"), Ids{});
  EXPECT_EQ(*txn->FindByName("orebro university"), Ids{1});
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Find("orebro universitet"), Ids{});
  EXPECT_EQ(Find("oru"), Ids{});  // PutNode replaced the aliases
  EXPECT_EQ(Find("Örebro University"), Ids{1});
}

TEST_F(NameLookupTest, RenameWithMergeNodeKeepsAliases) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput m;
  m.key = "org:mau";
  m.name = "Malmö University";
  m.aliases = {"MaU"};
  ASSERT_TRUE(txn->MergeNode(m).ok());
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Find("malmo universitet"), Ids{});
  EXPECT_EQ(Find("malmo university"), Ids{2});
  EXPECT_EQ(Find("mau"), Ids{2});
  EXPECT_EQ(Find("oru"), Ids{1});
}

TEST_F(NameLookupTest, DeletedNodeIsNotFound) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  ASSERT_OK(txn->DeleteNode(4));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Find("malmo"), Ids{5});
}

TEST_F(NameLookupTest, AliasEqualToOwnNameListsNodeOnce) {
  auto txn = Begin();
  ASSERT_TRUE(txn);
  NodeInput in = N("org:vinnova", "actor", "Vinnova", "public");
  in.aliases = {"VINNOVA", "vinnova"};
  ASSERT_TRUE(txn->PutNode(in).ok());  // 6
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(Find("Vinnova"), Ids{6});
}

}  // namespace
}  // namespace samverkan
