// FoldName: the folding behind name lookups.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "samverkan/text.h"
#include "test_util.h"

namespace samverkan {
namespace {

std::string Fold(std::string_view s) {
  auto r = FoldName(s);
  if (!r.ok()) return "ERROR: " + r.status().ToString();
  return *r;
}

TEST(TextFoldTest, SwedishUniversityNames) {
  EXPECT_EQ(Fold("Örebro universitet"), "orebro universitet");
  EXPECT_EQ(Fold("orebro  UNIVERSITET"), "orebro universitet");
  EXPECT_EQ(Fold("  Örebro  Universitet "), "orebro universitet");
  EXPECT_EQ(Fold("Malmö universitet"), "malmo universitet");
  EXPECT_EQ(Fold("MALMÖ"), "malmo");
  EXPECT_EQ(Fold("Luleå tekniska universitet"), "lulea tekniska universitet");
  EXPECT_EQ(Fold("LULEÅ TEKNISKA UNIVERSITET"), "lulea tekniska universitet");
  EXPECT_EQ(Fold("Umeå universitet"), "umea universitet");
  EXPECT_EQ(Fold("Jönköping University"), "jonkoping university");
  EXPECT_EQ(Fold("Idrott Utan Gränser"), "idrott utan granser");
}

TEST(TextFoldTest, EquivalentSpellingsFoldAlike) {
  EXPECT_EQ(Fold("Örebro universitet"), Fold("orebro  UNIVERSITET"));
  EXPECT_EQ(Fold("Malmö stad"), Fold("malmo\tstad"));
  EXPECT_EQ(Fold("Luleå tekniska universitet"), Fold("lulea TEKNISKA\nuniversitet"));
  // Decomposed input (o + combining diaeresis) folds like the precomposed form.
  EXPECT_EQ(Fold("O\xCC\x88rebro"), Fold("Örebro"));
  EXPECT_EQ(Fold("O\xCC\x88rebro"), "orebro");
  EXPECT_NE(Fold("Malmö"), Fold("Malmberg"));
}

TEST(TextFoldTest, PunctuationAndSpaceRunsCollapseToOneSpace) {
  EXPECT_EQ(Fold("Stiftelsen Läxhjälpen"), "stiftelsen laxhjalpen");
  EXPECT_EQ(Fold("Stiftelsen  --  Läxhjälpen!"), "stiftelsen laxhjalpen");
  EXPECT_EQ(Fold("Mötesplats Social Innovation (MSI)"), "motesplats social innovation msi");
  EXPECT_EQ(Fold("org:malmo-universitet"), "org malmo universitet");
  EXPECT_EQ(Fold("...Vinnova..."), "vinnova");
  EXPECT_EQ(Fold("Region 10"), "region 10");
}

TEST(TextFoldTest, EmptyAndBlankFoldToEmpty) {
  EXPECT_EQ(Fold(""), "");
  EXPECT_EQ(Fold("   "), "");
  EXPECT_EQ(Fold(" \t\n "), "");
}

TEST(TextFoldTest, UnicodeCaseFolding) {
  EXPECT_EQ(Fold("ÅÄÖ"), "aao");
  EXPECT_EQ(Fold("Straße"), Fold("STRASSE"));
  EXPECT_EQ(Fold("Émile Zola"), "emile zola");
}

// ASCII names fold through a table, others through utf8proc: both must
// agree. A soft hyphen (ignored by folding) sends a name the long way.
TEST(TextFoldTest, AsciiFoldsAsUnicodeDoes) {
  std::mt19937 rng(3);
  std::vector<std::string> names = {"", " ", "--", "a-b", "  Mötesplats  ", "x_y (z)"};
  for (int c = 0; c < 128; ++c) names.push_back(std::string("Ab") + static_cast<char>(c) + "cD");
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (size_t k = rng() % 12; k > 0; --k) s += static_cast<char>(rng() % 128);
    names.push_back(s);
  }
  for (const std::string& name : names) {
    auto fast = FoldName(name);
    auto slow = FoldName(name + "\u00AD");
    ASSERT_TRUE(fast.ok() && slow.ok()) << name;
    EXPECT_EQ(*fast, *slow) << "'" << name << "'";
  }
}

TEST(TextFoldTest, InvalidUtf8IsRejected) {
  for (std::string bad : {std::string("\xFF"), std::string("abc\xC3"),
                          std::string("Malm\xF6"),  // Latin-1 ö
                          std::string("\xC0\xAF"), std::string("a\xED\xA0\x80z")}) {
    auto r = FoldName(bad);
    EXPECT_FALSE(r.ok()) << "folded invalid UTF-8 to '" << (r.ok() ? *r : "") << "'";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    }
  }
}

TEST(TextFoldTest, TextDefectNamesANulApartFromInvalidUtf8) {
  EXPECT_EQ(TextDefect("org:a"), "");
  EXPECT_EQ(TextDefect("Örebro"), "");
  EXPECT_EQ(TextDefect(std::string("a\0b", 3)), "contains a NUL character (U+0000)");
  EXPECT_EQ(TextDefect("\xff"), "is not valid UTF-8");
  // The first defect is the one named.
  EXPECT_EQ(TextDefect(std::string("\xff\0", 2)), "is not valid UTF-8");
  EXPECT_EQ(TextDefect(std::string("\0\xff", 2)), "contains a NUL character (U+0000)");
}

std::string Duplicate(std::string_view json) {
  auto d = FindDuplicateJsonKey(json);
  return d ? d->key + "@" + std::to_string(d->offset) : "none";
}

TEST(TextFoldTest, DuplicateJsonKeysAreFoundPerObjectAfterDecoding) {
  EXPECT_EQ(Duplicate(R"({"a":1,"b":2})"), "none");
  EXPECT_EQ(Duplicate(R"({"a":1,"a":2})"), "a@7");
  EXPECT_EQ(Duplicate(R"({"a":1,"\u0061":2})"), "a@7");
  EXPECT_EQ(Duplicate(R"({"a":{"a":1},"b":[{"a":1},{"a":2}]})"), "none");
  EXPECT_EQ(Duplicate(R"([{"a":1},{"a":1,"a":2}])"), "a@16");
  EXPECT_EQ(Duplicate(R"({"s":"{\"a\":1,\"a\":2}","a":[ "a", "a" ]})"), "none");
  EXPECT_EQ(Duplicate(R"({"a\\":1,"a\"":2,"a":3})"), "none");
  EXPECT_EQ(Duplicate(R"({"\ud83d\ude00":1,"😀":2})"), "😀@18");
  EXPECT_EQ(Duplicate("[1,2,3]"), "none");
  // Objects with many keys (a set past the first few) and again after it.
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_EQ(Duplicate(big + "\"k99\":0}"), "k99@" + std::to_string(big.size()));
  EXPECT_EQ(Duplicate(big + "\"k100\":0}"), "none");
  EXPECT_EQ(Duplicate(R"({"a":1,"a":2})"), "a@7");
}

}  // namespace
}  // namespace samverkan
