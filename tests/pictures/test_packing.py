"""Where the drawing puts a network of one large component and many small
ones (as real collaboration data has): read back from the SVG, the main
component spans at least 80% of the canvas along the canvas's limiting
dimension, every circle lies inside the canvas, the small components sit
beside the main one (not over it), and isolates are left out unless asked
for, then packed inside the canvas too."""
import json
import random
import re
import subprocess

import pytest

MAIN_ACTORS, MAIN_PROJECTS, SMALL, LONE = 300, 60, 120, 25


@pytest.fixture(scope="module")
def scattered(cli, tmp_path_factory):
    """The graph (one big component, SMALL small ones, LONE isolated actors) and
    the keys of its main component."""
    d = tmp_path_factory.mktemp("packing")
    rng = random.Random(22)
    nodes, edges = [], []
    for i in range(MAIN_ACTORS):
        nodes.append({"key": f"a{i}", "kind": "actor", "name": f"Actor {i}",
                      "sector": rng.choice(["academia", "business", "public"])})
    for p in range(MAIN_PROJECTS):
        nodes.append({"key": f"p{p}", "kind": "project", "name": f"Project {p}"})
    for i in range(MAIN_ACTORS):  # actor i in project i % MAIN_PROJECTS and one at random
        for p in {i % MAIN_PROJECTS, rng.randrange(MAIN_PROJECTS)}:
            edges.append((f"a{i}", f"p{p}"))
    for p in range(MAIN_PROJECTS - 1):  # the projects chained: one component
        edges.append((f"a{p % MAIN_ACTORS}", f"p{p + 1}"))
    main = {n["key"] for n in nodes}
    for c in range(SMALL):  # a project with one to five actors of its own
        nodes.append({"key": f"q{c}", "kind": "project", "name": f"Small project {c}"})
        for j in range(rng.randint(1, 5)):
            nodes.append({"key": f"s{c}_{j}", "kind": "actor", "name": f"Small actor {c}.{j}",
                          "sector": "business"})
            edges.append((f"s{c}_{j}", f"q{c}"))
    for i in range(LONE):
        nodes.append({"key": f"lone{i}", "kind": "actor", "name": f"Lone {i}",
                      "sector": "public"})
    lines = [json.dumps(n) for n in nodes]
    lines += [json.dumps({"src": a, "type": "participates_in", "dst": b}) for a, b in edges]
    (d / "g.jsonl").write_text("\n".join(lines) + "\n")
    subprocess.run([cli, "import", str(d / "g.kg"), str(d / "g.jsonl"), "-q"], check=True)
    return d, main, len(nodes)


def placed(svg):
    """The canvas's (width, height) and {key: (x, y, r)} of the drawn nodes."""
    canvas = re.search(r'<g class="canvas"[^>]*data-width="([0-9.]+)" data-height="([0-9.]+)"',
                       svg)
    circles = re.findall(r'<circle cx="([-0-9.]+)" cy="([-0-9.]+)" r="([0-9.]+)"[^>]*'
                         r'data-key="([^"]+)"', svg)
    return ((float(canvas.group(1)), float(canvas.group(2))),
            {k: (float(x), float(y), float(r)) for x, y, r, k in circles})


@pytest.mark.parametrize("layout", ["auto", "forceatlas2", "fruchterman-reingold"])
@pytest.mark.parametrize("isolates", [False, True])
def test_the_main_component_fills_the_canvas_and_the_rest_is_packed_inside(
        cli, scattered, layout, isolates):
    d, main, total = scattered
    out = d / f"{layout}-{isolates}.svg"
    subprocess.run([cli, "draw", str(d / "g.kg"), str(out), "--layout", layout,
                    *(["--isolates"] if isolates else [])], check=True, capture_output=True)
    (width, height), at = placed(out.read_text())
    assert len(at) == total - (0 if isolates else LONE)
    for key, (x, y, r) in at.items():
        assert r <= x <= width - r and r <= y <= height - r, (key, x, y, r, width, height)
    xs = [at[k][0] for k in main]
    ys = [at[k][1] for k in main]
    span = max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height)
    assert span >= 0.8, span
    # The rest lies beside the main component's box, not on it.
    box = (min(xs), min(ys), max(xs), max(ys))
    inside = [k for k, (x, y, _) in at.items()
              if k not in main and box[0] < x < box[2] and box[1] < y < box[3]]
    assert inside == []
