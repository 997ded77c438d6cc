#!/usr/bin/env python3
"""Drawing an H2020-sized graph: `samverkan draw` to SVG and HTML, timed.

The graph is the team's generator's (../shared/bench/gen_collab_graph.py,
seed 42, with --props for participation dates) at the size of the H2020 file
that issue #22 drew: 67,000 nodes and 181,000 edges (actors in projects, each
actor located in a region). It is imported once with `samverkan import`, then
drawn with the default options, each format under /usr/bin/time -v: wall
time, CPU time and peak memory. The tool runs on a terminal (script(1)), so
it shows its progress, and the stages it showed are printed with the clock
each reached. With --igraph, igraph's
layout_fruchterman_reingold() on the same ties (the layout alone, no file
written) is timed beside it.

  /usr/bin/python3 bench/draw_bench.py [SIZE] [--cli build/bin/samverkan] [--igraph]

SIZE is N_NODES:N_EDGES (default 67000:181000) or a generator size name.
"""
from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_graphs import REPO, resolve_graph, with_headers  # noqa: E402


def timed(cmd: list[str], work: Path) -> dict:
    """Runs cmd on a terminal (script(1), so that the tool shows its progress)
    under /usr/bin/time -v: wall and CPU seconds, peak RSS (MB), and each
    progress stage with the clock it showed last."""
    report = work / "time.txt"
    p = subprocess.run(["/usr/bin/time", "-v", "-o", str(report), "script", "-qec",
                        shlex.join(cmd), "/dev/null"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stdout}{p.stderr}")
    err = report.read_text()

    def field(name: str) -> str:
        m = re.search(rf"^\s*{re.escape(name)}: (.*)$", err, re.M)
        return m.group(1).strip() if m else ""

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    stages: dict[str, str] = {}
    for line in re.split(r"[\r\n]+", p.stdout):
        m = re.match(r"(draw: .*?)\s+(\d+:\d\d)\s*$", line)
        if m:
            stages[m.group(1)] = m.group(2)
    return {"wall": wall, "cpu": cpu, "rss_mb": int(field("Maximum resident set size (kbytes)")) / 1024,
            "progress": [f"{stage}  {clock}" for stage, clock in stages.items()]}


def igraph_graph(csvdir: Path):
    """The edges as an igraph.Graph (simple, undirected) and its vertex names, or None."""
    try:
        import igraph
    except ImportError:
        return None
    ids: dict[str, int] = {}
    edges = []
    with open(csvdir / "edges.csv") as f:
        f.readline()
        for line in f:
            a, b = line.split(",", 2)[:2]
            edges.append((ids.setdefault(a, len(ids)), ids.setdefault(b, len(ids))))
    return igraph.Graph(n=len(ids), edges=edges).simplify(), list(ids)


def stress_of_svg(graph, names, svg: Path) -> float:
    """Normalised stress (bench/layout_quality.py, 50 sources) of the drawing;
    nodes the drawing leaves out (isolates) are left out."""
    from layout_quality import normalised_stress, svg_positions
    pos = svg_positions(svg)
    keep = [i for i, name in enumerate(names) if name in pos]
    sub = graph.induced_subgraph(keep)
    return normalised_stress(sub, [pos[names[i]] for i in keep], sources=50)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", nargs="?", default="67000:181000")
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--workdir", type=Path, default=REPO / "bench" / "data")
    ap.add_argument("--igraph", action="store_true",
                    help="also the SVG's normalised stress, and igraph's layout: time and stress")
    a = ap.parse_args()
    graph = resolve_graph(a.size, a.workdir, props=True)
    with tempfile.TemporaryDirectory(prefix="draw-bench-") as tmp:
        work = Path(tmp)
        csvdir = with_headers(graph, work / "csv",
                              ":ID,:LABEL,name,sector,props.region,props.country",
                              ":START_ID,:END_ID,:TYPE,weight:double,props.role,"
                              "props.contribution:double,valid_from:date,valid_to:date")
        kg = work / "g.kg"
        subprocess.run([a.cli, "import", str(kg), str(csvdir), "-q"], check=True)
        print(f"graph: {a.size} ({graph})")
        for fmt in ("svg", "html"):
            out = work / f"g.{fmt}"
            r = timed([a.cli, "draw", str(kg), str(out)], work)
            print(f"draw {fmt}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
                  f"{r['rss_mb']:.0f} MB peak, {out.stat().st_size / 1e6:.1f} MB file")
            for line in r["progress"]:
                print(f"    {line}")
        if a.igraph:
            loaded = igraph_graph(csvdir)
            if loaded is None:
                print("python3-igraph is not installed")
                return
            g, names = loaded
            print(f"normalised stress of the SVG: {stress_of_svg(g, names, work / 'g.svg'):.3f}")
            from layout_quality import normalised_stress
            main = g.subgraph([v for v in range(g.vcount()) if g.degree(v) > 0])
            t = time.perf_counter()
            coords = main.layout_fruchterman_reingold()
            took = time.perf_counter() - t
            print(f"igraph layout_fruchterman_reingold() (the layout alone): {took:.1f} s, "
                  f"normalised stress {normalised_stress(main, list(coords), sources=50):.3f}")


if __name__ == "__main__":
    main()
