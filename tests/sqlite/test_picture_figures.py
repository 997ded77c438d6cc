"""What the pictures' figures say they are (issue 22, "Say what is computed").

- Sizes and the report's most central actors are measured on the drawn
  network (an ego network's nodes and the ties among them), not the whole graph.
- "ties" counts pairs of nodes once; "tie weight" sums weights (in a
  projection, the shared via nodes); numbers printed under one word add up.
- The report's per-year chart shows its last year whole and ticks its value
  axis at round numbers.
The numbers are read back from the SVG and the report's HTML text.
"""
import json
import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def export(db, fmt, path, options):
    return json.loads(db.execute("SELECT kg_export('kg', ?, ?, ?)",
                                 (fmt, str(path), json.dumps(options))).fetchone()[0])


def graph(connect, nodes, edges):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='f.kg')")
    db.execute("BEGIN")
    db.executemany("INSERT INTO kg_nodes(key, kind, name, sector) VALUES (?, ?, ?, ?)",
                   [(key, kind, key, sector) for key, kind, sector in nodes])
    db.executemany("INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
                   [tuple(e) + (None,) * (5 - len(e)) for e in edges])
    db.execute("COMMIT")
    return db


def section(text, name):
    return text.split(f'<section id="{name}">')[1].split("</section>")[0]


def words(html):
    """The text a reader sees, without tags, spaces run together."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def number_before(text, label):
    """The numbers printed just before `label` (e.g. "ties inside a sector")."""
    return [float(v) for v in re.findall(r"([0-9][0-9.]*) " + re.escape(label), text)]


def test_ego_is_largest_and_most_central_in_its_own_network(connect, tmp_path):
    # The ego has two ties; each of its neighbours has five more outside the
    # ego network, so in the whole graph they outrank it.
    nodes = [("ego", "actor", "academia"), ("a", "actor", "public"), ("b", "actor", "business")]
    edges = [("ego", "tie", "a"), ("ego", "tie", "b")]
    for hub in ("a", "b"):
        for i in range(5):
            nodes.append((f"{hub}{i}", "actor", "public"))
            edges.append((hub, "tie", f"{hub}{i}"))
    db = graph(connect, nodes, edges)
    svg = tmp_path / "ego.svg"
    assert export(db, "svg", svg, {"start": "ego", "size": "pagerank"}) == {"nodes": 3, "edges": 2}
    radius = {c.get("data-key"): float(c.get("r")) for c in ET.parse(svg).getroot().iter(SVG + "circle")
              if c.get("data-key")}
    assert radius["ego"] > radius["a"] and radius["ego"] > radius["b"]
    report = tmp_path / "ego.html"
    export(db, "report", report, {"start": "ego"})
    central = section(report.read_text(encoding="utf-8"), "central")
    assert "drawn network alone" in central
    ranked = re.findall(r'<tr><td class="num">\d+</td><td>([^<]*)</td>.*?([0-9.]+)</td></tr>',
                        central)
    assert [name for name, _ in ranked][0] == "ego" and len(ranked) == 3
    # PageRank of the drawn path a - ego - b alone (damping 0.85): the ego's
    # x = 0.05 + 0.85 * 2 * (0.05 + 0.85 * x / 2), so x = 0.135 / 0.2775 and
    # each end 0.05 + 0.425 x. On the whole graph the ego has less than its
    # neighbours.
    ego = 0.135 / 0.2775
    assert {name: float(r) for name, r in ranked} == {
        "ego": round(ego, 4), "a": round(0.05 + 0.425 * ego, 4), "b": round(0.05 + 0.425 * ego, 4)}


def test_ties_and_tie_weight_add_up_under_their_own_words(connect, tmp_path):
    # a and b share two projects: one tie of weight 2. Ties: a-b, a-c, b-c
    # (project q), c-d (project r): 4 ties, tie weight 5.
    nodes = [("a", "actor", "academia"), ("b", "actor", "business"), ("c", "actor", "business"),
             ("d", "actor", "public"), ("p", "project", None), ("q", "project", None),
             ("r", "project", None)]
    edges = [("a", "in", "p"), ("b", "in", "p"), ("a", "in", "q"), ("b", "in", "q"),
             ("c", "in", "q"), ("c", "in", "r"), ("d", "in", "r")]
    db = graph(connect, nodes, edges)
    out = tmp_path / "r.html"
    assert export(db, "report", out, {"via": "project"}) == {"nodes": 4, "edges": 4}
    text = out.read_text(encoding="utf-8")
    mixing = section(text, "mixing")
    rows = re.findall(r"<tr><th>[^<]*</th>((?:<td[^>]*>[^<]*</td>)+)</tr>", mixing)
    matrix = [[float(v) for v in re.findall(r"<td[^>]*>([^<]*)</td>", r)[:-1]] for r in rows]
    assert len(matrix) == 3  # academia, business, public
    on_and_above = sum(matrix[i][j] for i in range(3) for j in range(i, 3))
    assert on_and_above == 4  # every tie between nodes with a sector, once
    counts = words(section(text, "counts"))
    assert number_before(counts, "ties are drawn") == [4]
    assert re.search(r"tie weight, [^.]*, is 5\b", counts)
    mixing = words(mixing)
    assert sum(number_before(mixing, "ties inside a sector") +
               number_before(mixing, "ties across sectors")) == 4
    by_weight = mixing.split("By tie weight")[1]
    assert sum(number_before(by_weight, "inside a sector") +
               number_before(by_weight, "across sectors")) == 5


def test_year_chart_shows_the_last_year_and_round_ticks(connect, tmp_path):
    nodes = [(f"x{i}", "actor", "academia") for i in range(8)]
    nodes += [(f"y{i}", "actor", "business") for i in range(8)]
    # Seven ties in 2017, one in 2010 and one in 2024: fifteen years.
    edges = [(f"x{i}", "tie", f"y{i}", "2017-01-01", "2017-12-31") for i in range(7)]
    edges += [("x7", "tie", "y7", "2010-01-01", "2010-12-31"),
              ("x0", "tie", "y1", "2024-01-01", "2024-12-31")]
    db = graph(connect, nodes, edges)
    out = tmp_path / "r.html"
    export(db, "report", out, {})
    chart = section(out.read_text(encoding="utf-8"), "years")
    svg = ET.fromstring(chart[chart.index("<svg"):chart.index("</svg>") + 6])
    width = float(svg.get("viewBox").split()[2])
    texts = [t for t in svg.iter() if t.tag.endswith("text")]
    years = [(float(t.get("x")), t.text) for t in texts if t.get("text-anchor") == "middle"]
    assert years[0][1] == "2010" and years[-1][1] == "2024"
    # The first and last labels whole inside the chart (11px digits, about
    # 0.6 em each).
    for x, label in (years[0], years[-1]):
        assert 0 <= x - 0.6 * 11 * len(label) / 2 and x + 0.6 * 11 * len(label) / 2 <= width
    ticks = sorted(float(t.text) for t in texts if t.get("text-anchor") == "end")
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and ticks[-1] >= 7
    assert all(b - a == step for a, b in zip(ticks, ticks[1:]))
    assert step == int(step) and str(int(step)).rstrip("0") in ("1", "2", "5")


def test_eight_largest_groups_have_their_own_colours_the_rest_grey(connect, tmp_path):
    # Ten cliques, of 3 to 12 nodes: ten Louvain communities.
    nodes, edges = [], []
    for c in range(10):
        members = [f"c{c}n{i}" for i in range(3 + c)]
        nodes += [(m, "actor", None) for m in members]
        edges += [(a, "tie", b) for i, a in enumerate(members) for b in members[i + 1:]]
    db = graph(connect, nodes, edges)
    out = tmp_path / "c.svg"
    export(db, "svg", out, {"color": "community", "labels": 0})
    root = ET.parse(out).getroot()
    legend = [(g.find(SVG + "text").text, g.find(SVG + "circle").get("fill"))
              for g in root.iter(SVG + "g") if g.get("class") == "legend-entry"]
    assert [name for name, _ in legend] == [f"community {i} ({13 - i})" for i in range(1, 9)] + \
        ["other (7)"]
    colours = [fill for _, fill in legend]
    assert len(set(colours[:8])) == 8 and colours[8] == "#c0c0c0" not in colours[:8]
    fills = {c.get("fill") for c in root.iter(SVG + "circle") if c.get("data-key")}
    assert fills == set(colours)
