// The bulk path (BulkLoader) and the transaction path give the same graph.
#include "test_util.h"

namespace samverkan::test {
namespace {

// A generated graph: n actors and projects, edges with weights and props.
void WriteGraph(const TempDir& dir, int n) {
  std::string nodes = ":ID,:LABEL,name,sector,size:int\n";
  std::string edges = ":START_ID,:END_ID,:TYPE,weight:float,role\n";
  const char* sectors[] = {"academia", "business", "public", "nonprofit"};
  for (int i = 0; i < n; ++i) {
    nodes += "a" + std::to_string(i) + ",actor,Actor " + std::to_string(i) + "," +
             sectors[i % 4] + "," + std::to_string(i * 7 % 13) + "\n";
    nodes += "p" + std::to_string(i) + ",project,Project " + std::to_string(i) + ",,\n";
  }
  for (int i = 0; i < n; ++i) {
    for (int k = 1; k <= 3; ++k) {
      edges += "a" + std::to_string(i) + ",p" + std::to_string((i + k) % n) +
               ",participates_in," + std::to_string(k * 0.25) + "," + (k == 1 ? "lead" : "") + "\n";
    }
    edges += "a" + std::to_string(i) + ",a" + std::to_string((i + 1) % n) + ",partners_with,,\n";
  }
  dir.File("nodes.csv", nodes);
  dir.File("edges.csv", edges);
}

TEST(Bulk, SameGraphAsATransaction) {
  TempDir dir;
  WriteGraph(dir, 500);
  auto bulk_db = OpenDb(dir.Sub("bulk.kg"));
  auto bulk = Import(*bulk_db, {dir.Sub("nodes.csv"), dir.Sub("edges.csv")}, ImportMode::kBulk);
  SV_ASSERT_OK(bulk);
  EXPECT_TRUE(bulk->bulk);
  auto txn_db = OpenDb(dir.Sub("txn.kg"));
  auto txn = Import(*txn_db, {dir.Sub("nodes.csv"), dir.Sub("edges.csv")},
                    ImportMode::kTransaction);
  SV_ASSERT_OK(txn);
  EXPECT_FALSE(txn->bulk);
  EXPECT_EQ(bulk->edges, 2000u);
  EXPECT_EQ(Dump(*bulk_db, /*with_ids=*/true), Dump(*txn_db, /*with_ids=*/true));
  for (Db* db : {bulk_db.get(), txn_db.get()}) {
    auto report = db->CheckIntegrity();
    SV_ASSERT_OK(report);
    EXPECT_TRUE(report->ok()) << report->problems.front();
    EXPECT_EQ(db->GetDegree(*db->FindKey("a0"))->out, 4u);
  }
}

// An edges file of over a megabyte is read in parts, one per core, each
// into a lane of the loader. `middle` goes in the middle of the edges.
void WriteBigGraph(const TempDir& dir, const std::string& middle) {
  const int n = 3000;
  std::string nodes = ":ID,:LABEL\n";
  for (int i = 0; i < n; ++i) nodes += "n" + std::to_string(i) + ",actor\n";
  std::string head = ":START_ID,:END_ID,:TYPE,weight:float,note\n", tail;
  for (int i = 0; i < 60000; ++i) {
    std::string& to = i < 30000 ? head : tail;
    to += "n" + std::to_string(i % n) + ",n" + std::to_string(i * 7 % n) + "," +
          (i % 3 ? "knows" : "funds") + "," + std::to_string(i % 10) + ",\n";
  }
  // The same edge near the start and near the end: one edge, with the
  // first one's id and the last one's fields.
  head.insert(head.find('\n') + 1, "n1,n2,knows,1.5,first\n");
  tail += "n1,n2,knows,2.5,last\n";
  dir.File("nodes.csv", nodes);
  dir.File("edges.csv", head + middle + tail);
}

void ExpectSameGraphEitherWay(const TempDir& dir) {
  auto bulk_db = OpenDb(dir.Sub("bulk.kg"));
  auto bulk = Import(*bulk_db, {dir.Sub("nodes.csv"), dir.Sub("edges.csv")}, ImportMode::kBulk);
  SV_ASSERT_OK(bulk);
  EXPECT_TRUE(bulk->bulk);
  auto txn_db = OpenDb(dir.Sub("txn.kg"));
  SV_ASSERT_OK(Import(*txn_db, {dir.Sub("nodes.csv"), dir.Sub("edges.csv")},
                      ImportMode::kTransaction));
  EXPECT_EQ(Dump(*bulk_db, /*with_ids=*/true), Dump(*txn_db, /*with_ids=*/true));
  auto report = bulk_db->CheckIntegrity();
  SV_ASSERT_OK(report);
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST(Bulk, ABigEdgesFileReadInPartsGivesTheSameGraph) {
  TempDir dir;
  WriteBigGraph(dir, "");
  ExpectSameGraphEitherWay(dir);
}

TEST(Bulk, AQuotedLineBreakAcrossACutIsReadAsOneField) {
  // A cell of many lines where the file is cut in two: the second part
  // starts inside it, is found out and is read again after the first.
  std::string note;
  for (int i = 0; i < 50000; ++i) note += "line " + std::to_string(i) + ",\n";
  TempDir dir;
  WriteBigGraph(dir, "n5,n6,knows,1,\"" + note + "\"\n");
  ExpectSameGraphEitherWay(dir);
  auto db = OpenDb(dir.Sub("bulk.kg"));
  auto id = db->FindEdge(*db->FindKey("n5"), *db->schema().EdgeType("knows"), *db->FindKey("n6"), 0);
  SV_ASSERT_OK(id);
  ASSERT_TRUE(id->has_value());
  auto e = db->GetEdge(**id);
  SV_ASSERT_OK(e);
  // {"note":"..."}, each line break written as \n
  EXPECT_EQ(e->props.size(), 11 + note.size() + 50000);
  EXPECT_NE(e->props.find("line 49999,"), std::string::npos);
}

TEST(Bulk, ProblemsInLaterPartsHaveTheirLinesAndComeInOrder) {
  TempDir dir;
  WriteBigGraph(dir, "n1,n2,knows,x,\n");
  // More problems near the end of the file, in the last part.
  std::string edges = ReadFile(dir.Sub("edges.csv")) + "n1,nope,knows,1,\nn1,n2,knows,1,\"x\"y\n";
  dir.File("edges.csv", edges);
  auto line_of = [&](std::string_view text) {
    return std::count(edges.begin(), edges.begin() + edges.find(text), '\n') + 1;
  };
  const std::string file = dir.Sub("edges.csv");
  const std::string expected =
      "3 problems; nothing was imported\n" +
      file + ":" + std::to_string(line_of("n1,n2,knows,x,")) + ":13: weight: expected a number, found 'x'\n" +
      file + ":" + std::to_string(line_of("n1,nope")) + ":1: edge n1 -knows-> nope: unknown node 'nope'\n" +
      file + ":" + std::to_string(line_of("n1,n2,knows,1,\"x\"y")) +
      ":18: expected ',' or the end of the line after a closing quote";
  for (auto mode : {ImportMode::kBulk, ImportMode::kTransaction}) {
    auto db = OpenDb(dir.Sub(mode == ImportMode::kBulk ? "bulk.kg" : "txn.kg"));
    auto s = Import(*db, {dir.Sub("nodes.csv"), file}, mode);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().message(), expected);
    EXPECT_EQ(db->Counts()->nodes, 0u);
  }
}

// A nodes file of over a megabyte is parsed a batch ahead on a second
// thread; problems still come in file order, with their places.
TEST(Bulk, ProblemsInABigNodesFileComeInFileOrder) {
  std::string nodes = ":ID,:LABEL,name,sector,size:int\n";
  for (int i = 0; i < 40000; ++i) {
    nodes += "n" + std::to_string(i) + ",actor,Actor number " + std::to_string(i) + ",academia," +
             std::to_string(i) + "\n";
    if (i == 100) nodes += "bad1,actor,B,academia,big\n";             // a parse problem
    if (i == 20000) nodes += "bad2,actor,B,no-such-sector,1\n";       // the sink's problem
    if (i == 30000) nodes += "bad3,actor,\"B\"x,academia,1\n";        // a syntax problem
  }
  TempDir dir;
  const std::string file = dir.File("nodes.csv", nodes);
  auto line_of = [&](std::string_view text) {
    return std::to_string(std::count(nodes.begin(), nodes.begin() + nodes.find(text), '\n') + 1);
  };
  auto db = OpenDb(dir.Sub("g.kg"));
  auto s = Import(*db, {file}, ImportMode::kBulk);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "3 problems; nothing was imported\n" +
                file + ":" + line_of("bad1") + ":23: size: expected an integer, found 'big'\n" +
                file + ":" + line_of("bad2") + ":14: unknown sector 'no-such-sector' for node 'bad2'; "
                "the graph's sectors are: academia, business, public, nonprofit; to add it: "
                "--add-sector no-such-sector (kg_import: the add_sectors option; SQL: "
                "kg_add_sector)\n" +
                file + ":" + line_of("bad3") + ":15: expected ',' or the end of the line after a closing quote");
  EXPECT_EQ(db->Counts()->nodes, 0u);
  // Without the bad lines it all goes in, in order.
  std::string good;
  std::istringstream in(nodes);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("bad")) good += line + "\n";
  }
  dir.File("nodes.csv", good);
  SV_ASSERT_OK(Import(*db, {file}, ImportMode::kBulk));
  EXPECT_EQ(*db->FindKey("n39999") - *db->FindKey("n0"), 39999u);
}

TEST(Bulk, ChosenForAnEmptyGraphOnly) {
  TempDir dir;
  WriteGraph(dir, 10);
  auto db = OpenDb(dir.Sub("g.kg"));
  auto first = Import(*db, {dir.Sub("nodes.csv")});
  SV_ASSERT_OK(first);
  EXPECT_TRUE(first->bulk);
  auto second = Import(*db, {dir.Sub("edges.csv")});
  SV_ASSERT_OK(second);
  EXPECT_FALSE(second->bulk);
  auto forced = Import(*db, {dir.Sub("edges.csv")}, ImportMode::kBulk);
  ASSERT_FALSE(forced.ok());
  EXPECT_EQ(forced.status().message(),
            "a bulk import needs an empty graph; this one has 20 nodes (import without --bulk to "
            "merge into it)");
}

TEST(Bulk, AKeyGivenTwiceIsMergedAsATransactionWould) {
  TempDir dir;
  std::string f = dir.File("n.csv", ":ID,:LABEL,x:int,y:int\na,actor,1,\nb,actor,,\na,,,2\n");
  auto bulk_db = OpenDb(dir.Sub("bulk.kg"));
  auto s = Import(*bulk_db, {f});
  SV_ASSERT_OK(s);
  EXPECT_FALSE(s->bulk);  // fell back
  EXPECT_EQ(bulk_db->GetNodeByKey("a")->props, R"({"x":1,"y":2})");
}

TEST(Bulk, ABadFileLeavesTheGraphEmpty) {
  TempDir dir;
  std::string n = dir.File("n.csv", ":ID,:LABEL\na,actor\n");
  std::string e = dir.File("e.csv", ":START_ID,:END_ID,:TYPE\na,a,x\na,b,x\n");
  auto db = OpenDb(dir.Sub("g.kg"));
  auto s = Import(*db, {n, e}, ImportMode::kBulk);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "1 problem; nothing was imported\n" + e + ":3:1: edge a -x-> b: unknown node 'b'");
  EXPECT_EQ(db->Counts()->nodes, 0u);
  SV_ASSERT_OK(Import(*db, {n}, ImportMode::kBulk));  // still empty, so bulk still works
}

}  // namespace
}  // namespace samverkan::test
