"""Exports load in NetworkX and igraph with the same counts and attributes."""
import json

import networkx as nx
import pytest

CASE = {
    "format": "samverkan-case/1",
    "source": {"key": "src:t", "title": "Test"},
    "actors": [
        {"key": "org:a", "name": "Örebro universitet", "sector": "academia",
         "props": {"founded": 1977, "score": 0.5, "public": True}},
        {"key": "org:b", "name": "B & \"C\"", "sector": "nonprofit"},
    ],
    "projects": [{"key": "proj:p", "name": "P"}],
    "relations": [
        {"src": "org:a", "type": "participates_in", "dst": "proj:p", "weight": 2.5,
         "valid_from": "2020-01-01", "props": {"role": "lead"}},
        {"src": "org:a", "type": "participates_in", "dst": "proj:p", "rank": 1,
         "props": {"role": "partner"}},
        {"src": "org:b", "type": "funds", "dst": "org:a"},
    ],
}


@pytest.fixture
def graph(run, tmp_path):
    (tmp_path / "case.json").write_text(json.dumps(CASE), encoding="utf-8")
    assert run("import", "g.kg", "case.json").returncode == 0
    return tmp_path


def test_graphml_in_networkx(run, graph):
    assert run("export", "g.kg", "g.graphml").returncode == 0
    g = nx.read_graphml(graph / "g.graphml")
    assert isinstance(g, nx.MultiDiGraph)  # the parallel edges are kept
    assert (g.number_of_nodes(), g.number_of_edges()) == (4, 3)
    a = g.nodes["org:a"]
    assert a["name"] == "Örebro universitet"
    assert a["kind"] == "actor" and a["sector"] == "academia"
    assert a["founded"] == 1977 and a["score"] == 0.5 and a["public"] is True
    assert g.nodes["org:b"]["name"] == 'B & "C"'
    edges = sorted(g.get_edge_data("org:a", "proj:p").values(), key=lambda d: d["rank"])
    assert edges[0]["weight"] == 2.5 and edges[0]["role"] == "lead"
    assert edges[0]["valid_from"] == "2020-01-01"
    assert edges[1]["role"] == "partner"
    assert g.get_edge_data("org:b", "org:a")[next(iter(g.get_edge_data("org:b", "org:a")))][
        "type"] == "funds"


def test_graphml_in_igraph(run, graph):
    ig = pytest.importorskip("igraph")
    assert run("export", "g.kg", "g.graphml").returncode == 0
    g = ig.Graph.Read_GraphML(str(graph / "g.graphml"))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (4, 3)
    v = g.vs.find(id="org:a")
    assert v["name"] == "Örebro universitet" and v["sector"] == "academia"
    assert v["founded"] == 1977
    weights = sorted(w for w in g.es["weight"] if w == w)  # NaN where absent
    assert weights == [2.5]
    assert sorted(g.es["type"]) == ["funds", "participates_in", "participates_in"]


def test_gexf_in_networkx(run, graph):
    assert run("export", "g.kg", "g.gexf").returncode == 0
    g = nx.read_gexf(graph / "g.gexf")
    assert (g.number_of_nodes(), g.number_of_edges()) == (4, 3)
    assert g.nodes["org:a"]["label"] == "Örebro universitet"
    assert g.nodes["org:a"]["sector"] == "academia"
    assert g.nodes["org:a"]["founded"] == 1977


def test_gexf_has_the_drawing_and_the_validity_for_gephi(run, graph):
    """viz: the place, radius and sector colour of each node (as the SVG draws it with
    --isolates, so that untied nodes have a place too; y up, as Gephi has it); an edge's
    validity as its start and end, in a dynamic graph (Gephi's timeline)."""
    import re
    assert run("export", "g.kg", "g.gexf").returncode == 0
    assert run("draw", "g.kg", "g.svg", "--isolates").returncode == 0
    g = nx.read_gexf(graph / "g.gexf")
    assert g.graph["mode"] == "dynamic"
    circles = re.findall(r'<circle cx="([^"]*)" cy="([^"]*)" r="([^"]*)" fill="#(\w{6})" '
                         r'data-key="([^"]*)"', (graph / "g.svg").read_text(encoding="utf-8"))
    assert len(circles) == 4
    for cx, cy, r, fill, key in circles:
        viz = g.nodes[key]["viz"]
        assert abs(viz["position"]["x"] - float(cx)) < 0.06, key
        assert abs(viz["position"]["y"] + float(cy)) < 0.06, key
        assert abs(viz["size"] - float(r)) < 0.06, key
        assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == \
            tuple(int(fill[i:i + 2], 16) for i in (0, 2, 4)), key
    # The structure GEXF 1.2draft's schema asks for (the XSD is not in the repository, and
    # puts the viz elements in another namespace than Gephi and NetworkX: formats.md).
    import xml.etree.ElementTree as ET
    ns = "{http://www.gexf.net/1.2draft}"
    viz = "{http://www.gexf.net/1.2draft/viz}"
    root = ET.parse(graph / "g.gexf").getroot()
    assert root.tag == ns + "gexf" and root.get("version") == "1.2"
    graph_element = root.find(ns + "graph")
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")
    for node in graph_element.iter(ns + "node"):
        assert [c.tag for c in node] == [ns + "attvalues", viz + "position", viz + "color",
                                         viz + "size"]
    for edge in graph_element.iter(ns + "edge"):
        for end in ("start", "end"):
            assert edge.get(end) is None or re.fullmatch(r"\d{4}-\d\d-\d\d", edge.get(end))
    lead = [d for _, _, d in g.edges(data=True) if d.get("role") == "lead"]
    assert lead[0]["start"] == "2020-01-01" and "end" not in lead[0]
    assert all("start" not in d for _, _, d in g.edges(data=True) if d.get("role") != "lead")


def test_networkx_graphml_imports(run, tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("x", name="X", sector="public", kind="actor", size=3)
    g.add_node("y", name="Y")
    g.add_edge("x", "y", type="funds", weight=1.5)
    g.add_edge("x", "y", type="funds", weight=2.0)
    nx.write_graphml(g, tmp_path / "nx.graphml")
    r = run("import", "g.kg", "nx.graphml", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["graph_edges"] == 2
    run("export", "g.kg", "back.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "back.jsonl").read_text().splitlines()]
    assert lines[0] == {"key": "x", "kind": "actor", "name": "X", "sector": "public",
                        "props": {"size": 3}}
    assert [e.get("weight") for e in lines[2:]] == [1.5, 2.0]


def test_igraph_graphml_imports(run, tmp_path):
    ig = pytest.importorskip("igraph")
    g = ig.Graph(directed=True)
    g.add_vertices(3)
    g.vs["name"] = ["a", "b", "c"]
    g.add_edges([(0, 1), (1, 2)])
    g.es["weight"] = [0.5, 1.0]
    g.write_graphml(str(tmp_path / "ig.graphml"))
    r = run("import", "g.kg", "ig.graphml", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert (s["graph_nodes"], s["graph_edges"]) == (3, 2)
