// Case files (docs/case-format.md), rule by rule.
#include "test_util.h"

namespace samverkan::test {
namespace {

constexpr std::string_view kCase = R"({
  "format": "samverkan-case/1",
  "source": {"key": "src:page", "url": "https://example.org/p", "title": "The page",
             "date": "2020-11-01"},
  "sources": [{"key": "src:other", "title": "Another"}],
  "actors": [
    {"key": "org:mau", "name": "Malmö universitet", "sector": "academia",
     "form": "university", "aliases": ["Malmo University"], "region": "reg:malmo"}
  ],
  "projects": [{"key": "proj:p", "name": "P", "props": {"theme": "sport"}}],
  "regions": [
    {"key": "reg:malmo", "name": "Malmö", "level": "municipality", "code": "1280",
     "part_of": "reg:skane"},
    {"key": "reg:skane", "name": "Skåne län", "level": "county", "sources": ["src:other"]}
  ],
  "people": [{"key": "person:m", "name": "M",
              "roles": [{"at": "org:mau", "role": "lektor", "valid_from": "2019"},
                        {"at": "org:mau", "role": "prefekt"}]}],
  "events": [{"key": "event:e", "name": "E", "valid_from": "2020-11-10", "valid_to": "2020-11-11"}],
  "nodes": [{"key": "survey:s", "kind": "survey", "props": {"invited": 253}}],
  "relations": [
    {"src": "org:mau", "type": "participates_in", "dst": "proj:p", "props": {"role": "lead"},
     "weight": 2, "valid_from": "2020-01", "valid_to": "2021"}
  ]
})";

TEST(CaseImport, EverySectionAndImpliedEdge) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("case.json", kCase)}));
  EXPECT_EQ(Dump(*db),
            "edge org:mau -located_in-> reg:malmo rank=0 weight= -..- props={} sources=[src:page,]\n"
            "edge org:mau -participates_in-> proj:p rank=0 weight=2 2020-01-01..2021-12-31 "
            "props={\"role\":\"lead\"} sources=[src:page,]\n"
            "edge person:m -works_at-> org:mau rank=0 weight= 2019-01-01..- "
            "props={\"role\":\"lektor\"} sources=[src:page,]\n"
            "edge person:m -works_at-> org:mau rank=1 weight= -..- props={\"role\":\"prefekt\"} "
            "sources=[src:page,]\n"
            "edge reg:malmo -part_of-> reg:skane rank=0 weight= -..- props={} sources=[src:page,]\n"
            "node event:e event \"E\" sector= aliases=[] "
            "props={\"valid_from\":\"2020-11-10\",\"valid_to\":\"2020-11-11\"} sources=[src:page,]\n"
            "node org:mau actor \"Malmö universitet\" sector=academia aliases=[Malmo University;] "
            "props={\"form\":\"university\"} sources=[src:page,]\n"
            "node person:m person \"M\" sector= aliases=[] props={} sources=[src:page,]\n"
            "node proj:p project \"P\" sector= aliases=[] props={\"theme\":\"sport\"} "
            "sources=[src:page,]\n"
            "node reg:malmo region \"Malmö\" sector= aliases=[] "
            "props={\"code\":\"1280\",\"level\":\"municipality\"} sources=[src:page,]\n"
            "node reg:skane region \"Skåne län\" sector= aliases=[] props={\"level\":\"county\"} "
            "sources=[src:other,]\n"
            "node src:other source \"Another\" sector= aliases=[] props={\"title\":\"Another\"} "
            "sources=[]\n"
            "node src:page source \"The page\" sector= aliases=[] "
            "props={\"date\":\"2020-11-01\",\"title\":\"The page\",\"url\":\"https://example.org/p\"} "
            "sources=[]\n"
            "node survey:s survey \"survey:s\" sector= aliases=[] props={\"invited\":253} "
            "sources=[src:page,]\n");
}

TEST(CaseImport, TwiceChangesNothingAndASecondFileMerges) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("case.json", kCase);
  SV_ASSERT_OK(Import(*db, {f}));
  std::string once = Dump(*db);
  SV_ASSERT_OK(Import(*db, {f}));
  EXPECT_EQ(Dump(*db), once);

  std::string second = dir.File("second.json", R"({"format": "samverkan-case/1",
    "source": {"key": "src:news", "title": "News"},
    "actors": [{"key": "org:mau", "aliases": ["MAU"], "props": {"students": 24000}}]})");
  SV_ASSERT_OK(Import(*db, {second}));
  auto n = db->GetNodeByKey("org:mau");
  EXPECT_EQ(n->name, "Malmö universitet");  // kept: not given again
  EXPECT_EQ(n->props, R"({"form":"university","students":24000})");
  EXPECT_EQ(n->aliases, (std::vector<std::string>{"Malmo University", "MAU"}));
  ASSERT_EQ(n->sources.size(), 2u);
  EXPECT_EQ(db->GetNode(n->sources[1])->key, "src:news");
}

TEST(CaseImport, RelationsMayUseNodesAlreadyInTheGraph) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  SV_ASSERT_OK(Import(*db, {dir.File("case.json", kCase)}));
  SV_ASSERT_OK(Import(*db, {dir.File("more.json", R"({"format": "samverkan-case/1",
    "relations": [{"src": "survey:s", "type": "about", "dst": "proj:p"}]})")}));
  EXPECT_EQ(db->Counts()->edges, 6u);
}

TEST(CaseImport, ProblemsWithLineAndColumn) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("bad.json", R"({
  "format": "samverkan-case/1",
  "actors": [
    {"key": "org:a", "sector": "church"},
    {"key": "org:b", "secter": "public"}
  ],
  "relations": [{"src": "org:a", "type": "funds", "dst": "org:nowhere"}],
  "extra": 1
})");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "4 problems; nothing was imported\n" + f +
                ":8:3: unknown field 'extra' (expected one of: format, source, sources, actors, "
                "projects, regions, people, events, nodes, relations)\n" + f +
                ":4:22: unknown sector 'church' for node 'org:a'; the graph's sectors are: "
                "academia, business, public, nonprofit; to add it: --add-sector church (kg_import: "
                "the add_sectors option; SQL: kg_add_sector)\n" + f +
                ":5:22: unknown field 'secter' (expected one of: key, name, aliases, props, "
                "sources, sector, form, region)\n" + f +
                ":7:17: edge org:a -funds-> org:nowhere: unknown node 'org:nowhere' (not defined in "
                "this file nor in the graph)");
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

// The edges an actor's region and a region's part_of imply: a problem
// with one points at that field.
TEST(CaseImport, ImpliedEdgesPointAtTheirField) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("implied.json", R"({
  "format": "samverkan-case/1",
  "actors": [{"key": "org:a", "region": 7},
             {"key": "org:b", "region": "reg:nowhere"}],
  "regions": [{"key": "reg:r", "part_of": "reg:gone"}]
})");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "3 problems; nothing was imported\n" + f +
                ":3:31: region: expected a string, found a number\n" + f +
                ":4:31: edge org:b -located_in-> reg:nowhere: unknown node 'reg:nowhere' (not "
                "defined in this file nor in the graph)\n" + f +
                ":5:32: edge reg:r -part_of-> reg:gone: unknown node 'reg:gone' (not defined in "
                "this file nor in the graph)");
  EXPECT_EQ(db->Counts()->nodes, 0u);
}

TEST(CaseImport, FormatIsRequired) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("v2.json", "{\"format\": \"samverkan-case/2\"}");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "1 problem; nothing was imported\n" + f +
                                      ":1:2: format: expected \"samverkan-case/1\", found "
                                      "\"samverkan-case/2\"");
}

TEST(CaseImport, TheSampleGraphImports) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(SV_SAMPLE_DIR)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  if (files.empty()) GTEST_SKIP() << "no sample files in " << SV_SAMPLE_DIR;
  std::sort(files.begin(), files.end());
  SV_ASSERT_OK(Import(*db, files));
  auto report = db->CheckIntegrity();
  SV_ASSERT_OK(report);
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace samverkan::test
