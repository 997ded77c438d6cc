// GraphML as NetworkX, igraph, Gephi and yEd write it.
#include "test_util.h"

namespace samverkan::test {
namespace {

TEST(GraphmlImport, NetworkxMultigraph) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  // What nx.write_graphml(nx.MultiDiGraph) writes, edges before the node they use.
  std::string f = dir.File("nx.graphml", R"(<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="d3" for="edge" attr.name="weight" attr.type="double" />
  <key id="d2" for="edge" attr.name="type" attr.type="string" />
  <key id="d1" for="node" attr.name="sector" attr.type="string" />
  <key id="d0" for="node" attr.name="size" attr.type="long">
    <default>7</default>
  </key>
  <graph edgedefault="directed">
    <node id="a"><data key="d1">public</data><data key="d0">3</data></node>
    <edge source="a" target="b" id="0"><data key="d2">funds</data><data key="d3">2.5</data></edge>
    <edge source="a" target="b" id="1"><data key="d2">funds</data></edge>
    <edge source="b" target="a" id="0" />
    <node id="b" />
  </graph>
</graphml>
)");
  SV_ASSERT_OK(Import(*db, {f}));
  EXPECT_EQ(Dump(*db),
            "edge a -funds-> b rank=0 weight=2.5 -..- props={} sources=[]\n"
            "edge a -funds-> b rank=1 weight= -..- props={} sources=[]\n"
            "edge b -related_to-> a rank=0 weight= -..- props={} sources=[]\n"
            "node a node \"a\" sector=public aliases=[] props={\"size\":3} sources=[]\n"
            "node b node \"b\" sector= aliases=[] props={\"size\":7} sources=[]\n");
}

TEST(GraphmlImport, GephiLabelsAndYedNodeLabels) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("y.graphml", R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key attr.name="label" attr.type="string" for="node" id="label"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key attr.name="Edge Label" attr.type="string" for="edge" id="el"/>
  <graph edgedefault="undirected" id="G">
    <node id="n0"><data key="label">Gephi node</data></node>
    <node id="n1"><data key="d6"><y:ShapeNode><y:Geometry x="1"/><y:NodeLabel>yEd Nod&amp;e</y:NodeLabel></y:ShapeNode></data></node>
    <edge id="e0" source="n0" target="n1"><data key="el">x</data></edge>
  </graph>
</graphml>
)");
  SV_ASSERT_OK(Import(*db, {f}));
  EXPECT_EQ(db->GetNodeByKey("n0")->name, "Gephi node");
  EXPECT_EQ(db->GetNodeByKey("n1")->name, "yEd Nod&e");
  EXPECT_EQ(Dump(*db).substr(0, Dump(*db).find('\n')),
            "edge n0 -related_to-> n1 rank=0 weight= -..- props={\"Edge Label\":\"x\"} sources=[]");
}

TEST(GraphmlImport, BadValuesAreReportedWithTheirLine) {
  TempDir dir;
  auto db = OpenDb(dir.Sub("g.kg"));
  std::string f = dir.File("bad.graphml", R"(<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="n" for="node" attr.name="n" attr.type="int"/>
  <graph edgedefault="directed">
    <node id="a"><data key="n">many</data></node>
    <node id="b"><data key="zz">1</data></node>
    <edge source="a" target="c"/>
  </graph>
</graphml>)");
  auto s = Import(*db, {f});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "3 problems; nothing was imported\n" + f +
                ":4:18: <data key=\"n\">: expected an integer, found 'many'\n" + f +
                ":5:18: <data>: key 'zz' is not declared by a <key> element\n" + f +
                ":6:5: edge a -related_to-> c: unknown node 'a'");
}

}  // namespace
}  // namespace samverkan::test
