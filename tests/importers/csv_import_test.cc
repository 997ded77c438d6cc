// CSV files with Neo4j admin-import headers.
#include "test_util.h"

namespace samverkan::test {
namespace {

constexpr std::string_view kNodes =
    ":ID,:LABEL,name,sector,aliases:string[],founded:int,score:float,active:boolean,note\n"
    "org:msi,actor,MSI,nonprofit,Mora Sport;MSI AB,1998,0.5,true,\"says \"\"hi\"\", twice\"\n"
    "org:oru,actor,Örebro universitet,academia,,,,false,\"\"\n"
    "proj:mora,project,Mora digital,,,,,,\n";
constexpr std::string_view kEdges =
    ":START_ID,:END_ID,:TYPE,weight:float,valid_from,role\n"
    "org:msi,proj:mora,participates_in,1.5,2020-01-01,lead\n"
    "org:oru,proj:mora,participates_in,,,partner\n";

TEST(CsvImport, NodesAndEdgesWithTypedColumns) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string nodes = dir.File("nodes.csv", kNodes), edges = dir.File("edges.csv", kEdges);
  // Given in the "wrong" order: edges files are read after nodes files.
  auto s = Import(*db, {edges, nodes}, ImportMode::kTransaction);
  SV_ASSERT_OK(s);
  EXPECT_EQ(s->nodes, 3u);
  EXPECT_EQ(s->edges, 2u);
  EXPECT_EQ(Dump(*db),
            "edge org:msi -participates_in-> proj:mora rank=0 weight=1.5 2020-01-01..- "
            "props={\"role\":\"lead\"} sources=[]\n"
            "edge org:oru -participates_in-> proj:mora rank=0 weight= -..- "
            "props={\"role\":\"partner\"} sources=[]\n"
            "node org:msi actor \"MSI\" sector=nonprofit aliases=[Mora Sport;MSI AB;] "
            "props={\"active\":true,\"founded\":1998,\"note\":\"says \\\"hi\\\", twice\","
            "\"score\":0.5} sources=[]\n"
            "node org:oru actor \"Örebro universitet\" sector=academia aliases=[] "
            "props={\"active\":false,\"note\":\"\"} sources=[]\n"
            "node proj:mora project \"Mora digital\" sector= aliases=[] props={} sources=[]\n");
}

TEST(CsvImport, ImportingTwiceChangesNothing) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::vector<std::string> files = {dir.File("nodes.csv", kNodes), dir.File("edges.csv", kEdges)};
  SV_ASSERT_OK(Import(*db, files));
  std::string first = Dump(*db);
  SV_ASSERT_OK(Import(*db, files));
  EXPECT_EQ(Dump(*db), first);
  EXPECT_EQ(db->Counts()->edges, 2u);
}

TEST(CsvImport, SecondSourceMergesPropertiesAndBothSourcesAreCited) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  ImportOptions a;
  a.source_key = "src:a";
  SV_ASSERT_OK(ImportFiles(*db, {{dir.File("a.csv", ":ID,:LABEL,x:int\nn1,actor,1\n")}}, a));
  ImportOptions b;
  b.source_key = "src:b";
  SV_ASSERT_OK(ImportFiles(*db, {{dir.File("b.csv", ":ID,y\nn1,two\n")}}, b));
  auto n = db->GetNodeByKey("n1");
  SV_ASSERT_OK(n);
  EXPECT_EQ(n->kind, "actor");  // not replaced by the default kind
  EXPECT_EQ(n->props, R"({"x":1,"y":"two"})");
  ASSERT_EQ(n->sources.size(), 2u);
  EXPECT_EQ(db->GetNode(n->sources[0])->key, "src:a");
  EXPECT_EQ(db->GetNode(n->sources[1])->key, "src:b");
}

TEST(CsvImport, NodesWithoutLabelGetTheDefaultKind) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("n.csv", "id:ID,name\na,A\n")}));
  EXPECT_EQ(db->GetNodeByKey("a")->kind, "node");
}

TEST(CsvImport, AnyProblemRejectsTheWholeImportAndListsEveryProblem) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("ok.csv", ":ID,:LABEL\nkeep,actor\n")}));
  std::string before = Dump(*db);
  std::string nodes = dir.File("n.csv",
                               ":ID,:LABEL,n:int\n"
                               "a,actor,1\n"
                               "b,actor,x\n"
                               "c,actor\n"
                               "d,actor,4\n");
  std::string edges = dir.File("e.csv", ":START_ID,:END_ID,:TYPE\na,d,knows\na,zz,knows\n");
  auto s = Import(*db, {nodes, edges}, ImportMode::kTransaction);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsInvalidArgument());
  EXPECT_EQ(s.status().message(),
            "3 problems; nothing was imported\n" + nodes +
                ":3:9: n: expected an integer, found 'x'\n" + nodes +
                ":4:8: expected 3 fields (as in the header), found 2\n" + edges +
                ":3:1: edge a -knows-> zz: unknown node 'zz'");
  EXPECT_EQ(Dump(*db), before);
}

TEST(CsvImport, StopsListingAtTheLimit) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string text = ":ID,n:int\n";
  for (int i = 0; i < 30; ++i) text += "k" + std::to_string(i) + ",bad\n";
  ImportOptions options;
  options.max_problems = 5;
  auto s = ImportFiles(*db, {{dir.File("n.csv", text)}}, options);
  ASSERT_FALSE(s.ok());
  std::string msg = s.status().message();
  EXPECT_EQ(msg.substr(0, msg.find('\n')), "5 problems, and perhaps more (reading stopped at the limit of 5); nothing was imported");
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 5);
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

TEST(CsvImport, HeaderProblems) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("h.csv", "name,x:float[]\n");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "1 problem; nothing was imported\n" + f +
                ":1:1: expected a :ID (a nodes file) or :START_ID (an edges file) column in the "
                "header");
}

TEST(CsvImport, ArraysAndJsonColumns) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("n.csv",
                                     ":ID,:LABEL,years:int[],meta:json\n"
                                     "a,actor,2019;2020,\"{\"\"k\"\":[1,2]}\"\n")}));
  EXPECT_EQ(db->GetNodeByKey("a")->props, R"({"meta":{"k":[1,2]},"years":[2019,2020]})");
}

}  // namespace
}  // namespace samverkan::test
