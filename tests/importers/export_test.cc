// Exporters: CSV and JSON Lines round-trip exactly; GraphML reads back with
// every field; GEXF and DOT as expected.
#include "test_util.h"

namespace samverkan::test {
namespace {

// A graph with everything a record can carry, and awkward text.
std::unique_ptr<Db> RichGraph(const TempDir& dir) {
  auto db = OpenDb(dir.Sub("g.kg"));
  auto txn = db->BeginTransaction();
  EXPECT_TRUE((*txn)->PutNode({.key = "src:s", .kind = "source", .name = "Källa"}).ok());
  EXPECT_TRUE((*txn)->PutNode({.key = "org:a,b", .kind = "actor", .name = "A \"quoted\", name\nline2",
                               .sector = "nonprofit", .aliases = {"Ä;1", "B"},
                               .props = R"({"n":1,"f":0.1,"b":true,"s":"","mixed":1,"arr":[1,"x"],"obj":{"k":null},"name":"clash"})",
                               .sources = {"src:s"}})
                  .ok());
  EXPECT_TRUE((*txn)->PutNode({.key = "proj:p", .kind = "project",
                               .props = R"({"mixed":"text","f":2.0})"}).ok());
  EXPECT_TRUE((*txn)->PutEdge({.src = "org:a,b", .type = "participates_in", .dst = "proj:p",
                               .weight = 0.30000000000000004,
                               .validity = {Date::FromYmd(2020, 1, 1), Date::FromYmd(2021, 12, 31)},
                               .props = R"({"role":"lead","share":0.5})", .sources = {"src:s"}})
                  .ok());
  EXPECT_TRUE((*txn)->PutEdge({.src = "org:a,b", .type = "participates_in", .dst = "proj:p",
                               .rank = 1, .props = R"({"role":"<partner>"})"}).ok());
  EXPECT_TRUE((*txn)->Commit().ok());
  return db;
}

void RoundTrip(ExportFormat format, std::string_view name) {
  TempDir dir;
  auto db = RichGraph(dir);
  std::string out = dir.Sub(name);
  auto s = ExportGraph(*db, format, out);
  SV_ASSERT_OK(s);
  EXPECT_EQ(s->nodes, 3u);
  EXPECT_EQ(s->edges, 2u);
  auto copy = OpenDb(dir.Sub("copy.kg"));
  SV_ASSERT_OK(Import(*copy, {out}, ImportMode::kTransaction,
                      format == ExportFormat::kCsv ? ImportFormat::kCsv : ImportFormat::kAuto));
  EXPECT_EQ(Dump(*copy), Dump(*db));
}

TEST(Export, CsvRoundTripsExactly) { RoundTrip(ExportFormat::kCsv, "csv"); }
TEST(Export, JsonlRoundTripsExactly) { RoundTrip(ExportFormat::kJsonl, "g.jsonl"); }

TEST(Export, GraphmlReadsBackWithEveryField) {
  // Exact except that properties holding arrays or objects come back as
  // their JSON text (GraphML has no such type).
  TempDir dir;
  auto db = RichGraph(dir);
  std::string out = dir.Sub("g.graphml");
  SV_ASSERT_OK(ExportGraph(*db, ExportFormat::kGraphml, out));
  auto copy = OpenDb(dir.Sub("copy.kg"));
  SV_ASSERT_OK(Import(*copy, {out}));
  auto n = copy->GetNodeByKey("org:a,b");
  EXPECT_EQ(n->name, "A \"quoted\", name\nline2");
  EXPECT_EQ(n->aliases, (std::vector<std::string>{"Ä;1", "B"}));
  EXPECT_EQ(n->props,
            R"({"arr":"[1,\"x\"]","b":true,"f":0.1,"mixed":"1","n":1,"name":"clash","obj":"{\"k\":null}","s":""})");
  EXPECT_EQ(copy->Counts()->edges, 2u);
}

TEST(Export, GexfAndDot) {
  TempDir dir;
  auto db = RichGraph(dir);
  SV_ASSERT_OK(ExportGraph(*db, ExportFormat::kGexf, dir.Sub("g.gexf")));
  std::string gexf = ReadFile(dir.Sub("g.gexf"));
  EXPECT_NE(gexf.find("<node id=\"org:a,b\" label=\"A &quot;quoted&quot;, name&#10;line2\">"),
            std::string::npos);
  EXPECT_NE(gexf.find("label=\"participates_in\" weight=\"0.30000000000000004\""),
            std::string::npos);
  SV_ASSERT_OK(ExportGraph(*db, ExportFormat::kDot, dir.Sub("g.dot")));
  std::string dot = ReadFile(dir.Sub("g.dot"));
  EXPECT_NE(dot.find("\"proj:p\" [\"label\"=\"proj:p\", \"kind\"=\"project\", \"props.f\"=\"2.0\", "
                     "\"props.mixed\"=\"text\"];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"org:a,b\" -> \"proj:p\" [\"label\"=\"participates_in\", \"rank\"=\"1\", "
                     "\"props.role\"=\"<partner>\"];"),
            std::string::npos)
      << dot;
}

TEST(Export, FailedExportLeavesNoFile) {
  TempDir dir;
  auto db = RichGraph(dir);
  auto s = ExportGraph(*db, ExportFormat::kGraphml, dir.Sub("missing/dir/g.graphml"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kIOError);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("missing")));
}

}  // namespace
}  // namespace samverkan::test
