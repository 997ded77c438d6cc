"""Drawings of networks shaped like real data (issue 22, "Drawings of real
data are unusable by default").

Real collaboration files have one large component, a few small ones and many
nodes with no tie at all in the selection. By default the isolated nodes are
left out (and counted in the subtitle), the view is fitted to the main
component with the small ones packed beside it, no node is outside the view,
labels go on drawn, tied nodes, and an ego drawing marks and labels its ego.
Everything is read back from the SVG.
"""
import json
import os
import random
import subprocess
import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"
MAIN, SMALL, ISOLATES = 1200, [2, 3, 3, 4, 5, 6], 1500


@pytest.fixture
def network(connect):
    """One main component of MAIN nodes (a random tree with extra ties: m0
    is its hub), small components s<i>_<j>, and ISOLATES nodes i<k> with no
    tie."""
    rng = random.Random(7)
    nodes, edges = [], []
    for v in range(MAIN):
        nodes.append((f"m{v}", "actor", "academia" if v % 2 else "business"))
        if v:
            edges.append((f"m{rng.randrange(v) if v % 3 else 0}", "tie", f"m{v}"))
    for _ in range(MAIN):
        a, b = rng.sample(range(MAIN), 2)
        edges.append((f"m{a}", "tie", f"m{b}"))
    for i, n in enumerate(SMALL):
        for j in range(n):
            nodes.append((f"s{i}_{j}", "actor", "public"))
            if j:
                edges.append((f"s{i}_{j - 1}", "tie", f"s{i}_{j}"))
    nodes += [(f"i{k}", "actor", "public") for k in range(ISOLATES)]
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='f.kg')")
    db.execute("BEGIN")
    db.executemany("INSERT INTO kg_nodes(key, kind, name, sector) VALUES (?, ?, ?, ?)",
                   [(k, kind, k, s) for k, kind, s in nodes])
    db.executemany("INSERT OR IGNORE INTO kg_edges(src, type, dst) VALUES (?, ?, ?)", edges)
    db.execute("COMMIT")
    return db


def export(db, path, options):
    return json.loads(db.execute("SELECT kg_export('kg', 'svg', ?, ?)",
                                 (str(path), json.dumps(options))).fetchone()[0])


def read(path):
    """The circles by key (x, y, r, attributes), the labels' texts, the
    subtitle and the canvas group."""
    root = ET.parse(path).getroot()
    circles = {c.get("data-key"): c for c in root.iter(SVG + "circle") if c.get("data-key")}
    canvas = next(g for g in root.iter(SVG + "g") if g.get("class") == "canvas")
    labels = next(g for g in canvas.iter(SVG + "g") if g.get("class") == "labels")
    texts = [t.text for t in root.iter(SVG + "text")]
    return root, circles, canvas, [t.text for t in labels.iter(SVG + "text")], texts[1]


def xyr(c):
    return float(c.get("cx")), float(c.get("cy")), float(c.get("r"))


def assert_inside(root, canvas, circles):
    _, _, view_w, view_h = map(float, root.get("viewBox").split())
    top = float(canvas.get("transform").split()[1].rstrip(")"))
    w, h = float(canvas.get("data-width")), float(canvas.get("data-height"))
    assert w <= view_w and h + top <= view_h
    for key, c in circles.items():
        x, y, r = xyr(c)
        assert r <= x <= w - r and r <= y <= h - r, (key, x, y, r, w, h)


def test_default_drawing_leaves_out_isolates_and_fits_the_main_component(network, tmp_path):
    svg = tmp_path / "net.svg"
    summary = export(network, svg, {})
    assert summary["nodes"] == MAIN + sum(SMALL)
    root, circles, canvas, labels, subtitle = read(svg)
    assert not any(k.startswith("i") for k in circles)
    assert len(circles) == MAIN + sum(SMALL)
    assert f"{ISOLATES} isolated nodes not drawn" in subtitle
    assert_inside(root, canvas, circles)
    # The main component spans at least 80% of the canvas along the
    # dimension that limits it.
    main = [xyr(c) for k, c in circles.items() if k.startswith("m")]
    span_x = max(x + r for x, _, r in main) - min(x - r for x, _, r in main)
    span_y = max(y + r for _, y, r in main) - min(y - r for _, y, r in main)
    w, h = float(canvas.get("data-width")), float(canvas.get("data-height"))
    assert max(span_x / w, span_y / h) >= 0.8
    # The small components sit beside the main one, not inside its box.
    small = [xyr(c) for k, c in circles.items() if k.startswith("s")]
    mx0, mx1 = min(x for x, _, _ in main), max(x for x, _, _ in main)
    my0, my1 = min(y for _, y, _ in main), max(y for _, y, _ in main)
    assert all(not (mx0 <= x <= mx1 and my0 <= y <= my1) for x, y, _ in small)
    assert labels and all(label.startswith("m") for label in labels)
    assert "m0" in labels  # the hub: the most central node


def test_isolates_option_draws_them_in_a_margin_without_labels(network, tmp_path):
    svg = tmp_path / "all.svg"
    options = {"isolates": True, "labels": 3000}
    assert export(network, svg, options)["nodes"] == MAIN + sum(SMALL) + ISOLATES
    root, circles, canvas, labels, subtitle = read(svg)
    assert sum(k.startswith("i") for k in circles) == ISOLATES
    assert "isolated" not in subtitle
    assert_inside(root, canvas, circles)
    assert not any(label.startswith("i") for label in labels)
    main_y = max(xyr(c)[1] for k, c in circles.items() if k.startswith("m"))
    main_x = max(xyr(c)[0] for k, c in circles.items() if k.startswith("m"))
    # In the margin: below or to the right of the main component.
    assert all(xyr(c)[1] > main_y or xyr(c)[0] > main_x
               for k, c in circles.items() if k.startswith("i"))


def test_ego_is_marked_labelled_and_largest(network, tmp_path):
    svg = tmp_path / "ego.svg"
    # A leaf of the tree: its degree in the whole graph is small.
    export(network, svg, {"start": "m1199", "depth": 2, "size": "degree", "labels": 1})
    root, circles, canvas, labels, _ = read(svg)
    ego = circles["m1199"]
    assert ego.get("class") == "ego"
    assert [c for c in circles.values() if c.get("class") == "ego"] == [ego]
    assert labels == ["m1199"]
    assert xyr(ego)[2] == max(xyr(c)[2] for c in circles.values())
    assert_inside(root, canvas, circles)


def test_cli_isolates_flag(network, tmp_path):
    cli = os.environ.get("SAMVERKAN_CLI")
    if not cli:
        pytest.skip("SAMVERKAN_CLI not set")
    network.close()
    graph = tmp_path / "f.kg"
    if not graph.exists():
        graph = next(p for p in tmp_path.rglob("f.kg"))
    out = tmp_path / "cli.svg"
    run = subprocess.run([cli, "draw", str(graph), str(out), "--isolates", "--labels", "0"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert sum(k.startswith("i") for k in read(out)[1]) == ISOLATES
    run = subprocess.run([cli, "draw", str(graph), str(out), "--labels", "0"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"{ISOLATES} isolated nodes not drawn" in read(out)[4]


def test_html_marks_the_ego_in_its_data(network, tmp_path):
    """The page's node rows end with the ego flag (viewer.js highlights that
    node); the ego is the first label."""
    import re
    page = tmp_path / "ego.html"
    network.execute("SELECT kg_export('kg', 'html', ?, ?)",
                    (str(page), json.dumps({"start": "m1199", "depth": 2}))).fetchone()
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>',
                                text, re.S).group(1).replace("<\\/", "</"))
    flagged = [n for n in data["nodes"] if n[-1] == 1]
    assert [n[0] for n in flagged] == ["m1199"] and flagged[0][9] == 1
