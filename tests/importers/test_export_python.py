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
