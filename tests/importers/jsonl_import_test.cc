// JSON Lines: one node or edge per line.
#include "test_util.h"

namespace samverkan::test {
namespace {

TEST(JsonlImport, NodesThenEdges) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("g.jsonl",
                           "{\"key\":\"a\",\"kind\":\"actor\",\"name\":\"A\",\"sector\":\"public\","
                           "\"aliases\":[\"Ä\"],\"props\":{\"n\":1}}\n"
                           "\n"
                           "{\"key\":\"b\",\"kind\":\"project\"}\r\n"
                           "{\"src\":\"a\",\"type\":\"funds\",\"dst\":\"b\",\"rank\":2,"
                           "\"weight\":0.25,\"valid_from\":\"2020\",\"valid_to\":\"2021-06\","
                           "\"props\":{\"sek\":5}}\n");
  SV_ASSERT_OK(Import(*db, {f}, ImportMode::kTransaction));
  EXPECT_EQ(Dump(*db),
            "edge a -funds-> b rank=2 weight=0.25 2020-01-01..2021-06-30 props={\"sek\":5} "
            "sources=[]\n"
            "node a actor \"A\" sector=public aliases=[Ä;] props={\"n\":1} sources=[]\n"
            "node b project \"b\" sector= aliases=[] props={} sources=[]\n");
}

TEST(JsonlImport, ReportsEveryBadLineWithItsColumn) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("bad.jsonl",
                           "{\"key\":\"a\",\"kind\":\"actor\"}\n"
                           "{\"key\":\"b\",\"knd\":\"actor\"}\n"
                           "{\"key\": tru}\n"
                           "[1]\n"
                           "{\"src\":\"a\",\"type\":\"x\",\"dst\":\"a\",\"weight\":\"heavy\"}\n");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "4 problems; nothing was imported\n" + f +
                ":2:12: unknown field 'knd' (expected one of: key, kind, name, sector, aliases, "
                "props, sources)\n" + f +
                ":3:12: syntax error while parsing value - invalid literal; last read: '\"key\": tru}'\n" + f +
                ":4:1: expected an object, found an array\n" + f +
                ":5:33: weight: expected a number, found a string");
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

}  // namespace
}  // namespace samverkan::test
