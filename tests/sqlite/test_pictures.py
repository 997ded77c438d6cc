"""Pictures from SQL: kg_export(graph, 'svg' | 'html' | 'report', file [, options]).

What was drawn is read back from the SVG (circles, lines, legend entries);
the layout's quality is compared with igraph's Fruchterman-Reingold on
karate and Les Misérables by normalised stress (bench/layout_quality.py).
The browser tests of the HTML pages are in tests/pictures/.
"""
import json
import os
import random
import sqlite3
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, rows

sys.path.insert(0, str(REPO / "bench"))
from layout_quality import normalised_stress, svg_positions  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def export(db, fmt, path, options=None):
    if options is None:
        return json.loads(db.execute("SELECT kg_export('kg', ?, ?)", (fmt, str(path))).fetchone()[0])
    return json.loads(db.execute("SELECT kg_export('kg', ?, ?, ?)",
                                 (fmt, str(path), json.dumps(options))).fetchone()[0])


def drawn(path):
    root = ET.parse(path).getroot()
    circles = [c for c in root.iter(SVG + "circle") if c.get("data-key")]
    lines = list(root.iter(SVG + "line"))
    legend = [g.find(SVG + "text").text for g in root.iter(SVG + "g")
              if g.get("class") == "legend-entry"]
    return {c.get("data-key") for c in circles}, lines, legend


def test_svg_draws_every_node_and_tie_with_a_legend(db, tmp_path):
    out = tmp_path / "g.svg"
    assert export(db, "svg", out) == {"nodes": 5, "edges": 4}
    keys, lines, legend = drawn(out)
    assert keys == {"org:msi", "org:oru", "org:vinnova", "proj:mora", "reg:mora"}
    assert len(lines) == 4
    assert legend == ["academia (1)", "nonprofit (1)", "public (1)", "(none) (2)"]
    # Every node inside the canvas.
    root = ET.parse(out).getroot()
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    for x, y in svg_positions(out).values():
        assert 0 <= x <= width and 0 <= y <= height


def test_format_from_the_file_name(db, tmp_path):
    assert export(db, None, tmp_path / "g.svg")["nodes"] == 5
    assert export(db, None, tmp_path / "g.html")["nodes"] == 5
    assert (tmp_path / "g.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_ego_network_kinds_and_projection(db, tmp_path):
    out = tmp_path / "ego.svg"
    assert export(db, "svg", out, {"start": "reg:mora", "depth": 1}) == {"nodes": 2, "edges": 1}
    assert drawn(out)[0] == {"reg:mora", "org:msi"}
    assert export(db, "svg", out, {"start": "reg:mora", "depth": 2})["nodes"] == 3
    assert export(db, "svg", out, {"kinds": "actor,project"}) == {"nodes": 4, "edges": 3}
    # Actors tied through the project they share: a triangle.
    assert export(db, "svg", out, {"via": "project"}) == {"nodes": 3, "edges": 3}
    assert drawn(out)[0] == {"org:msi", "org:oru", "org:vinnova"}
    # Vinnova's funding starts in 2021: not in 2020's network, where it has
    # no tie and is left out unless isolates are asked for.
    assert export(db, "svg", out, {"via": "project", "year": 2020}) == {"nodes": 2, "edges": 1}
    assert export(db, "svg", out, {"via": "project", "year": 2020, "isolates": True}) == {
        "nodes": 3, "edges": 1}
    assert export(db, "svg", out, {"types": ["participates_in"]})["edges"] == 2


def test_colour_by_kind_and_community_size_by_pagerank(db, tmp_path):
    out = tmp_path / "g.svg"
    export(db, "svg", out, {"color": "kind", "size": "pagerank"})
    assert drawn(out)[2] == ["actor (3)", "project (1)", "region (1)"]
    export(db, "svg", out, {"color": "community"})
    assert all(e.startswith("community ") for e in drawn(out)[2])


def test_same_seed_same_drawing(db, tmp_path):
    a, b, c = tmp_path / "a.svg", tmp_path / "b.svg", tmp_path / "c.svg"
    export(db, "svg", a, {"seed": 3})
    export(db, "svg", b, {"seed": 3})
    export(db, "svg", c, {"seed": 4})
    assert a.read_bytes() == b.read_bytes()
    assert svg_positions(a) != svg_positions(c)


def test_html_drawing_is_self_contained(db, tmp_path):
    out = tmp_path / "g.html"
    export(db, "html", out, {"title": "Mora <&> friends"})
    text = out.read_text(encoding="utf-8")
    assert "<title>Mora &lt;&amp;&gt; friends</title>" in text
    # No file or network is referenced: the scripts are inside.
    assert " src=" not in text and "http://" not in text.replace("http://www.w3.org", "")
    data = text.split('<script id="graph-data" type="application/json">')[1].split("</script>")[0]
    graph = json.loads(data)
    names = {n[1]: n for n in graph["nodes"]}
    assert names["Örebro universitet"][10] == "orebro universitet"  # folded as kg_find folds
    assert len(graph["ties"]) == 2 * 4


def test_report_has_every_section(db, tmp_path):
    out = tmp_path / "r.html"
    assert export(db, "report", out, {"via": "project", "from_year": 2019,
                                      "to_year": 2022})["nodes"] == 3
    text = out.read_text(encoding="utf-8")
    for section in ["counts", "mixing", "years", "central", "brokers", "communities", "drawing"]:
        assert f'<section id="{section}">' in text
    assert "E-I index" in text and "@media print" in text
    assert ">2019<" in text and ">2022<" in text


def test_bad_options_name_the_member(db, tmp_path):
    out = str(tmp_path / "g.svg")
    for options, message in [
        ("{", "options: expected a JSON object"),
        ('{"colour": "x"}', "options: colour must be 'sector', 'kind' or 'community', not 'x'"),
        ('{"depth": -1}', "options: depth must be an integer between 0 and 1000"),
        ('{"shape": 1}', "options: unknown member 'shape'"),
        ('{"gravity": -1}', "options: gravity must be a finite number >= 0"),
        ('{"labels": 100001}', "options: labels must be an integer between 0 and 100000"),
        ('{"layout": "spring"}', "options: layout must be 'auto', 'stress', 'forceatlas2' or "
                                 "'fruchterman-reingold', not 'spring'"),
    ]:
        with pytest.raises(sqlite3.OperationalError) as e:
            db.execute("SELECT kg_export('kg', 'svg', ?, ?)", (out, options))
        assert str(e.value) == "kg_export: " + message
    with pytest.raises(sqlite3.OperationalError, match="kg_export: start: unknown node 'org:x'"):
        db.execute("SELECT kg_export('kg', 'svg', ?, '{\"start\":\"org:x\"}')", (out,))
    # Names the graph has never seen, as in the analytics functions.
    for options, message in [
        ('{"types": "fund"}', "types: unknown edge type 'fund' (the graph has: "),
        ('{"kinds": ["org", "org2"]}', "kinds: unknown kinds 'org', 'org2' (the graph has: "),
        ('{"via": "projekt"}', "via: unknown kind 'projekt' (the graph has: "),
    ]:
        with pytest.raises(sqlite3.OperationalError) as e:
            db.execute("SELECT kg_export('kg', 'svg', ?, ?)", (out, options))
        assert str(e.value).startswith("kg_export: " + message)
    with pytest.raises(sqlite3.OperationalError,
                       match="kg_export: options: only the svg, html and report formats"):
        db.execute("SELECT kg_export('kg', 'graphml', ?, '{}')", (out,))
    assert not os.path.exists(out)


def test_export_never_replaces_a_directory(db, tmp_path):
    target = tmp_path / "dir.svg"
    target.mkdir()
    with pytest.raises(sqlite3.OperationalError, match="exists and is a directory"):
        db.execute("SELECT kg_export('kg', 'svg', ?)", (str(target),))
    assert target.is_dir()


def test_not_from_a_schema(db, tmp_path):
    out = str(tmp_path / "g.svg").replace("'", "''")
    db.execute(f"CREATE VIEW v AS SELECT kg_export('kg', 'svg', '{out}', '{{}}')")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of kg_export"):
        db.execute("SELECT * FROM v")


def load_igraph(db, g):
    db.execute("BEGIN")
    db.executemany("INSERT INTO kg_nodes(key, kind, name) VALUES (?, 'actor', ?)",
                   [(f"n{i}", f"n{i}") for i in range(g.vcount())])
    db.executemany("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'tie', ?)",
                   [(f"n{a}", f"n{b}") for a, b in g.get_edgelist()])
    db.execute("COMMIT")


@pytest.mark.parametrize("name", ["karate", "lesmis"])
def test_layout_stress_at_most_igraphs(connect, tmp_path, name):
    ig = pytest.importorskip("igraph")
    nx = pytest.importorskip("networkx")
    g = (ig.Graph.Famous("Zachary") if name == "karate"
         else ig.Graph.from_networkx(nx.les_miserables_graph())).simplify()
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='q.kg')")
    load_igraph(db, g)
    out = tmp_path / "g.svg"
    export(db, "svg", out)
    at = svg_positions(out)
    ours = normalised_stress(g, [at[f"n{i}"] for i in range(g.vcount())])
    random.seed(42)
    theirs = normalised_stress(g, g.layout_fruchterman_reingold().coords)
    assert ours <= theirs, f"{name}: stress {ours:.4f}, igraph's FR {theirs:.4f}"
