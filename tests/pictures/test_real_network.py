"""Pictures of real collaboration networks (issue 22, "Done when"): CORDIS
participations imported with importers/recipes/cordis.py, the actors'
network through shared projects (`draw --via project`) drawn as SVG and
HTML, and the ego network of the best-tied actor.

What a picture must do is checked against an independent reading of the
CSV (Python's csv module, union-find), not against what the picture says:
- the main component's bounding box spans >= 80% of the canvas in its
  limiting dimension (the one the fit is bound by: the larger of the two
  fractions), in the SVG and in the page as sigma shows it;
- no node lies outside the view;
- isolated actors (no co-participant) are not drawn and the caption
  counts them;
- in the ego drawing the ego is marked (SVG class "ego", the page's
  highlighted node), the largest circle, and labelled.

Two networks: data/cordis-ch-2014 (9,172 nodes; the normal tier) and
cordis-h2020 (all of Horizon 2020: 67,491 nodes, 180,589 edges; the slow
tier, ctest pictures_real_large). Its data file, like the GEXF XSD, came
from another repository, so it is kept in the steering repository's
shared/data/ beside the checkout, not here (tests/data/cordis-h2020/SOURCE.md):
the tests on it skip, saying so, when it is absent. SAMVERKAN_TEST_DATA
points at another directory holding cordis-h2020/ and gexf-schema/.

The real network's GEXF export is also checked here (normal build only: it
lays out 9,172 nodes): valid against GEXF 1.2draft's XSD as
tests/importers/test_gexf_schema.py checks it, and read back by NetworkX
with a place for every node."""
import collections
import csv
import gzip
import html
import json
import os
import pathlib
import re
import shutil
import subprocess

import networkx as nx
import pytest

from conftest import REPO
from test_browser import no_errors

# Data fetched from other repositories is kept in the steering repository's
# shared/data/, which sits beside every checkout (CI's too); SAMVERKAN_TEST_DATA
# names another directory holding the same folders.
TEST_DATA_DIRS = [pathlib.Path(d) for d in [os.environ.get("SAMVERKAN_TEST_DATA")] if d] + [
    REPO.parent / "shared" / "data", REPO / "tests" / "data"]


def fetched_data(relative):
    """The first copy of `relative` found in TEST_DATA_DIRS (else where it belongs)."""
    return next((d / relative for d in TEST_DATA_DIRS if (d / relative).exists()),
                TEST_DATA_DIRS[0] / relative)


DATASETS = {
    "cordis-ch-2014": (REPO / "data" / "cordis-ch-2014" / "cordis-plus-2014.csv",
                       "project_id"),
    "cordis-h2020": (fetched_data("cordis-h2020/h2020.csv.gz"), "rcn"),
}
MIN_SPAN = 0.8
GEXF_SCHEMA = fetched_data("gexf-schema/gexf.xsd")

# Reads the page's view once sigma has drawn it: each node's place on
# screen (sigma's own graph-to-viewport transform) and the highlighted one.
PROBE = """
(function probe() {
  if (document.body.dataset.ready !== "1") { setTimeout(probe, 50); return; }
  const r = window.samverkan.renderer, g = window.samverkan.graph;
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const dim = r.getDimensions();
  const out = { width: dim.width, height: dim.height, nodes: {}, highlighted: [] };
  g.forEachNode((n, a) => {
    const p = r.graphToViewport({ x: a.x, y: a.y });
    const key = data.nodes[+n][0];
    out.nodes[key] = [p.x, p.y];
    if (a.highlighted) out.highlighted.push(key);
  });
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
"""


class Network:
    """The actors' network through shared projects, read from the CSV as
    the recipe reads it (rows without a PIC or project are skipped)."""

    def __init__(self, path, project_column):
        opener = gzip.open if path.suffix == ".gz" else open
        members = collections.defaultdict(set)
        with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                pic, project = row["pic"].strip(), row[project_column].strip()
                if pic not in ("", "NA") and project not in ("", "NA"):
                    members[project].add(f"org:pic:{pic}")
        parent = {}

        def find(a):
            while parent.setdefault(a, a) != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        neighbours = collections.defaultdict(set)
        for team in members.values():
            team = sorted(team)
            for a in team:
                find(a)
                neighbours[a].update(team)
            for b in team[1:]:
                parent[find(b)] = find(team[0])
        self.actors = set(parent)
        self.degree = {a: len(neighbours[a]) - 1 for a in self.actors}
        self.isolates = {a for a, d in self.degree.items() if d == 0}
        components = collections.defaultdict(set)
        for a in self.actors - self.isolates:
            components[find(a)].add(a)
        self.main = max(components.values(), key=len)
        self.best_tied = max(self.actors, key=lambda a: (self.degree[a], a))


def span(points, keys, width, height):
    """The larger of the fractions of the canvas's width and height the
    bounding box of these nodes' centres covers."""
    xs = [points[k][0] for k in keys]
    ys = [points[k][1] for k in keys]
    return max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height)


def parse_svg(text):
    canvas = re.search(r'<g class="canvas"[^>]*data-width="([\d.]+)" data-height="([\d.]+)"',
                       text)
    circles = {}
    for m in re.finditer(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)"[^>]*'
                         r'data-key="([^"]*)"([^>]*)>', text):
        circles[html.unescape(m.group(4))] = (float(m.group(1)), float(m.group(2)),
                                              float(m.group(3)), 'class="ego"' in m.group(5))
    caption = re.search(r'<text x="16" y="46"[^>]*>([^<]*)</text>', text).group(1)
    labels = [html.unescape(t) for t in re.findall(
        r"<text [^>]*>([^<]*)</text>",
        re.search(r'<g class="labels".*?</g>', text, re.S).group(0))]
    return float(canvas.group(1)), float(canvas.group(2)), circles, caption, labels


def cli_json(cli, *args):
    done = subprocess.run([cli, *args, "--json"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=list(DATASETS))
def real(request, cli, tmp_path_factory):
    """(name, graph directory, Network) for one dataset, imported once."""
    name = request.param
    path, project_column = DATASETS[name]
    if not path.exists():
        pytest.skip(f"{path} is absent: see tests/data/{name}/SOURCE.md for how to vendor it")
    d = tmp_path_factory.mktemp(name)
    done = subprocess.run(["/usr/bin/python3", str(REPO / "importers" / "recipes" / "cordis.py"),
                           str(path), str(d / "csv"), "--graph", str(d / "g.kg"), "--cli", cli],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return name, d, Network(path, project_column)


def drawn_page(chromium, page, out):
    """The page with the probe, opened in chromium: (DOM, probe's reading)."""
    text = page.read_text(encoding="utf-8")
    at = text.rindex("</body>")
    out.write_text(text[:at] + "<script>" + PROBE + "</script>\n" + text[at:], encoding="utf-8")
    dom, console = chromium.dom(out.as_uri(), budget_ms=60000)
    no_errors(console, dom)
    probe = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert probe is not None, "the page never became ready (body data-ready)"
    return dom, json.loads(html.unescape(probe.group(1)))


def test_svg_of_the_actors_network(cli, real):
    name, d, net = real
    summary = cli_json(cli, "draw", str(d / "g.kg"), str(d / "net.svg"), "--via", "project")
    width, height, circles, caption, _ = parse_svg((d / "net.svg").read_text(encoding="utf-8"))
    assert set(circles) == net.actors - net.isolates
    assert summary["nodes"] == len(circles)
    assert f"{len(net.isolates)} isolated nodes not drawn" in caption
    outside = [k for k, (x, y, r, _) in circles.items()
               if x - r < 0 or y - r < 0 or x + r > width or y + r > height]
    assert outside == [], f"{len(outside)} nodes outside the {width}x{height} canvas"
    fill = span(circles, net.main, width, height)
    assert fill >= MIN_SPAN, (f"{name}: the main component ({len(net.main)} of {len(circles)} "
                              f"drawn actors) spans {fill:.0%} of the {width}x{height} canvas")


@pytest.fixture(scope="module")
def html_view(cli, chromium, real):
    """The HTML drawing of the actors' network as the browser shows it."""
    _, d, _ = real
    cli_json(cli, "draw", str(d / "g.kg"), str(d / "net.html"), "--via", "project")
    return drawn_page(chromium, d / "net.html", d / "net-probe.html")


def test_html_draws_the_tied_actors_inside_the_view(real, html_view):
    _, _, net = real
    dom, seen = html_view
    assert set(seen["nodes"]) == net.actors - net.isolates
    subtitle = re.search(r"<header><h1>[^<]*</h1><p>([^<]*)</p>", dom).group(1)
    assert f"{len(net.isolates)} isolated nodes not drawn" in subtitle
    w, h = seen["width"], seen["height"]
    outside = [k for k, (x, y) in seen["nodes"].items() if not (0 <= x <= w and 0 <= y <= h)]
    assert outside == [], f"{len(outside)} nodes outside the {w}x{h} view"


# Fails on the layout of 2026-12-06 (main at 60015c1): sigma fits the whole
# drawing, the small components packed below the main one included, into
# the view, so the main component spans 41% (cordis-ch-2014) and 18%
# (cordis-h2020) of an 800x600 window's 500x359 graph area. Strict: the
# marker must go when the layout is fixed.
def test_html_main_component_fills_the_view(real, html_view):
    name, _, net = real
    _, seen = html_view
    w, h = seen["width"], seen["height"]
    fill = span(seen["nodes"], net.main, w, h)
    assert fill >= MIN_SPAN, (f"{name}: the main component ({len(net.main)} of "
                              f"{len(seen['nodes'])} drawn actors) spans {fill:.0%} of the "
                              f"{w}x{h} view")


def test_ego_drawing_marks_the_ego(cli, chromium, real):
    name, d, net = real
    ego = net.best_tied
    cli_json(cli, "draw", str(d / "g.kg"), str(d / "ego.svg"), "--via", "project", "--start", ego)
    width, height, circles, _, labels = parse_svg((d / "ego.svg").read_text(encoding="utf-8"))
    assert len(circles) == net.degree[ego] + 1
    assert [k for k, c in circles.items() if c[3]] == [ego], "the ego is not the one ringed"
    assert max(circles, key=lambda k: circles[k][2]) == ego, "the ego is not the largest node"
    title = re.search(rf'data-key="{re.escape(ego)}"[^>]*><title>([^<(]*) \(',
                      (d / "ego.svg").read_text(encoding="utf-8")).group(1)
    assert any(title.startswith(label.rstrip("…")) for label in labels), (
        f"the ego {title!r} is not labelled")
    fill = span(circles, circles.keys(), width, height)
    assert fill >= MIN_SPAN, f"{name}: the ego network spans {fill:.0%} of the canvas"

    cli_json(cli, "draw", str(d / "g.kg"), str(d / "ego.html"), "--via", "project", "--start",
             ego)
    _, seen = drawn_page(chromium, d / "ego.html", d / "ego-probe.html")
    assert seen["highlighted"] == [ego]
    assert len(seen["nodes"]) == net.degree[ego] + 1


def test_gexf_of_the_real_network(cli, real):
    name, d, net = real
    if name != "cordis-ch-2014":
        pytest.skip("the 67,491-node GEXF takes minutes to write and read; 9,172 suffice")
    summary = cli_json(cli, "export", str(d / "g.kg"), str(d / "g.gexf"))
    g = nx.read_gexf(d / "g.gexf")
    assert (g.number_of_nodes(), g.number_of_edges()) == (summary["nodes"], summary["edges"])
    assert net.actors <= set(g.nodes)
    assert all("position" in a["viz"] and "color" in a["viz"] for _, a in g.nodes(data=True))
    assert g.graph["mode"] == "dynamic"
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is not installed (libxml2-utils; scripts/install-deps.sh)"
    if not GEXF_SCHEMA.exists():
        pytest.skip(f"{GEXF_SCHEMA} is absent: see tests/data/gexf-schema/SOURCE.md")
    # The XSD's namespace for the viz elements (tests/importers/test_gexf_schema.py).
    text = (d / "g.gexf").read_text(encoding="utf-8")
    (d / "xsd-ns.gexf").write_text(re.sub(r"<(/?)viz:(position|color|size)\b", r"<\1\2", text),
                                   encoding="utf-8")
    done = subprocess.run([xmllint, "--noout", "--schema", str(GEXF_SCHEMA),
                           str(d / "xsd-ns.gexf")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[:3000]
