// The one options reader (samverkan/options.h): each kind of value, and
// errors that hand the option's name to the front end's Wording as data.
#include "samverkan/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samverkan::test {
namespace {

using nlohmann::json;
using options::Reader;
using options::Wording;

// A front end that names an option <like_this> and notes every name it is
// handed, so a test can see the name arrive as data, not inside a message.
struct Recorded {
  std::vector<std::string> named;
  Reader reader() {
    return Reader(Wording(
        "! ",
        [this](std::string_view o) {
          named.emplace_back(o);
          return "<" + std::string(o) + ">";
        },
        [](std::string_view o) { return "no <" + std::string(o) + ">"; }));
  }
};

TEST(OptionsReader, HandsTheOptionsNameToTheWording) {
  Recorded front;
  const Reader in = front.reader();
  EXPECT_EQ(in.Integer(json("x"), "max_problems", 1, 9).status().message(),
            "! <max_problems> must be an integer between 1 and 9");
  EXPECT_EQ(in.Refuse("from_year", "must not be after", "to_year").message(),
            "! <from_year> must not be after <to_year>");
  EXPECT_EQ(in.Refuse("valid_on", ": invalid date").message(), "! <valid_on>: invalid date");
  EXPECT_EQ(in.Unknown("shape", {"depth", "kinds"}).message(), "! no <shape> (known: depth, kinds)");
  EXPECT_EQ(front.named, (std::vector<std::string>{"max_problems", "from_year", "to_year",
                                                   "valid_on"}));
  EXPECT_TRUE(in.Integer(json("x"), "depth", 0, 1).status().IsInvalidArgument());
}

TEST(OptionsReader, JsonMembersAndPlainWordings) {
  const Reader json_members(Wording::JsonMembers());
  EXPECT_EQ(json_members.Boolean(json(1), "isolates").status().message(),
            "options: isolates must be true or false");
  EXPECT_EQ(json_members.Unknown("shape").message(), "options: unknown member 'shape'");
  const Reader plain(Wording::Plain());
  EXPECT_EQ(plain.Number(json(-1), "gravity").status().message(),
            "gravity must be a finite number >= 0");
}

TEST(OptionsReader, YesNoTakesTheSameWordsEverywhere) {
  const Reader in(Wording::Plain());
  for (const char* yes : {"1", "true", "YES", "On"}) EXPECT_TRUE(*in.YesNo(yes, "x")) << yes;
  for (const char* no : {"0", "False", "no", "OFF"}) EXPECT_FALSE(*in.YesNo(no, "x")) << no;
  for (const char* bad : {"", "2", "1.0", "maybe", " yes"}) {
    EXPECT_EQ(in.YesNo(bad, "include_start").status().message(),
              "include_start must be 1 or 0 (true or false), not '" + std::string(bad) + "'");
  }
}

TEST(OptionsReader, NameListsAsTextOrJson) {
  const Reader in(Wording::Plain());
  using Names = std::vector<std::string>;
  EXPECT_EQ(*in.NameList(" funds , part_of,,", "types"), (Names{"funds", "part_of"}));
  EXPECT_EQ(*in.NameList(" [\"a\", \" b \"] ", "types"), (Names{"a", "b"}));
  EXPECT_EQ(*in.NameList("", "types"), Names{});
  EXPECT_EQ(*in.Names(json("a, b"), "kinds"), (Names{"a", "b"}));
  EXPECT_EQ(*in.Names(json::array({"a", "b"}), "kinds"), (Names{"a", "b"}));
  const std::string bad = "types must be a list of names, as in 'a,b' or '[\"a\",\"b\"]'";
  for (const char* text : {"[\"a\"", "[[\"a\"]]", "[1"}) {
    EXPECT_EQ(in.NameList(text, "types").status().message(), bad) << text;
  }
  EXPECT_EQ(in.Names(json(3), "types").status().message(), bad);
  // An element that is not a name is named by its place in the list.
  EXPECT_EQ(in.NameList("[\"a\", null]", "types").status().message(),
            "types[1] must be a name (a string), not null");
  EXPECT_EQ(in.Names(json::array({"a", "b", json::array({1})}), "kinds").status().message(),
            "kinds[2] must be a name (a string), not [1]");
  EXPECT_EQ(in.Strings(json::array({"NA", 0}), "null").status().message(),
            "null[1] must be a string, not 0");
}

TEST(OptionsReader, ObjectsAreCheckedBeforeTheyAreRead) {
  const Reader in(Wording::JsonMembers());
  EXPECT_EQ(in.Object("[1]").status().message(), "options: expected a JSON object");
  EXPECT_EQ(in.Object("{", R"({"depth": 2})").status().message(),
            R"(options: expected a JSON object, as in '{"depth": 2}')");
  EXPECT_EQ(in.Object(std::string(1001, '[')).status().message(),
            "options: nested deeper than 1000 levels (at byte 1000)");
  EXPECT_EQ(in.Object(R"({"a": 1, "a": 2})").status().message(),
            "options: the key \"a\" appears twice in one JSON object (keys must be unique)");
  EXPECT_EQ(*in.OneOf(json("csr"), "adjacency", {"auto", "csr"}), "csr");
  EXPECT_EQ(in.OneOf(json(3), "adjacency", {"auto", "csr", "stored"}).status().message(),
            "options: adjacency must be 'auto', 'csr' or 'stored', not '3'");
}

}  // namespace
}  // namespace samverkan::test
