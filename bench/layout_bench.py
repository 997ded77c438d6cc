#!/usr/bin/python3
"""Layout speed and quality, side by side with igraph, in one run.

For each graph, Samverkan draws it with kg_export(..., 'svg') (time of the
whole call: snapshot, selection, layout, writing the SVG) with each of its
layouts, and igraph lays it out with layout_fruchterman_reingold (time of
that call alone). Quality is the normalised stress of each layout
(bench/layout_quality.py; lower is better), read back from the SVG for
Samverkan.

    /usr/bin/python3 bench/layout_bench.py --extension build/samverkan
    /usr/bin/python3 bench/layout_bench.py small medium --layouts stress,forceatlas2

Graphs: karate (Zachary), lesmis (Les Misérables, from networkx), cordis
(the actor-actor projection of data/cordis-ch-2014 through shared
projects, via importers/recipes/cordis.py), small and medium (the
benchmark graphs, gen_collab_graph.py, seed 42; cached in bench/data/).
Prints a markdown table.
"""
import argparse
import json
import pathlib
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import igraph as ig

BENCH = pathlib.Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from bench_graphs import resolve_graph, with_headers  # noqa: E402
from layout_quality import normalised_stress, svg_positions  # noqa: E402

CORDIS = REPO / "data" / "cordis-ch-2014" / "cordis-plus-2014.csv"


def connect(ext, path):
    db = sqlite3.connect(str(path), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    return db


def load_igraph_graph(db, g):
    db.execute("BEGIN")
    db.executemany("INSERT INTO kg_nodes(key, kind, name) VALUES (?, 'actor', ?)",
                   [(f"n{i}", f"n{i}") for i in range(g.vcount())])
    # OR IGNORE: an edge list may name a pair twice; the graph keeps one edge.
    db.executemany("INSERT OR IGNORE INTO kg_edges(src, type, dst) VALUES (?, 'tie', ?)",
                   [(f"n{a}", f"n{b}") for a, b in g.get_edgelist()])
    db.execute("COMMIT")
    return [f"n{i}" for i in range(g.vcount())], {}


def load_generated(db, size, workdir):
    d = resolve_graph(size, workdir)
    csv = with_headers(d, pathlib.Path(tempfile.mkdtemp(dir=workdir)),
                       ":ID,:LABEL,name,sector,props.region",
                       ":START_ID,:END_ID,:TYPE,weight:double")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csv),)).fetchall()
    shutil.rmtree(csv)
    return None, {}


def load_cordis(graph, workdir, cli):
    """The recipe imports with the samverkan tool (it adds the sector
    research_institute), before the graph is opened in SQL."""
    out = pathlib.Path(tempfile.mkdtemp(dir=workdir))
    subprocess.run([sys.executable, str(REPO / "importers" / "recipes" / "cordis.py"),
                    str(CORDIS), str(out), "--graph", str(graph), "--cli", cli], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(out)
    return None, {"via": "project"}


def igraph_of(db, keys, options):
    """The graph Samverkan drew, for igraph: its nodes (the SVG's keys)
    and its ties (the projection's, or every edge between drawn nodes)."""
    index = {k: i for i, k in enumerate(keys)}
    if options.get("via"):
        pairs = db.execute("SELECT actor_a, actor_b FROM kg_projection('kg')").fetchall()
    else:
        pairs = db.execute("SELECT src, dst FROM kg_edges").fetchall()
    edges = {(min(index[a], index[b]), max(index[a], index[b]))
             for a, b in pairs if a in index and b in index and a != b}
    return ig.Graph(len(keys), sorted(edges))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graphs", nargs="*", default=["karate", "lesmis", "cordis", "small"])
    ap.add_argument("--extension", default=str(REPO / "build" / "samverkan"))
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--layouts", default="stress,forceatlas2")
    ap.add_argument("--workdir", type=pathlib.Path, default=BENCH / "data")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    ext = str(pathlib.Path(args.extension).with_suffix(""))
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.graphs:
        tmp = pathlib.Path(tempfile.mkdtemp(dir=args.workdir))
        try:
            if name == "cordis":
                keys, options = load_cordis(tmp / "g.kg", args.workdir, args.cli)
            db = connect(ext, tmp / "g.db")
            if name == "cordis":
                pass
            elif name == "karate":
                keys, options = load_igraph_graph(db, ig.Graph.Famous("Zachary").simplify())
            elif name == "lesmis":
                import networkx as nx
                keys, options = load_igraph_graph(
                    db, ig.Graph.from_networkx(nx.les_miserables_graph()).simplify())
            else:
                keys, options = load_generated(db, name, args.workdir)
            g = None
            row = {"graph": name}
            for layout in args.layouts.split(","):
                out = tmp / f"{layout}.svg"
                opts = dict(options, labels=0, layout=layout)
                t = time.perf_counter()
                db.execute("SELECT kg_export('kg', 'svg', ?, ?)", (str(out), json.dumps(opts)))
                row[f"{layout} s"] = time.perf_counter() - t
                at = svg_positions(out)
                if g is None:
                    keys = sorted(at) if keys is None else keys
                    g = igraph_of(db, keys, options).simplify()
                    row["nodes"], row["ties"] = g.vcount(), g.ecount()
                    sources = None if g.vcount() <= 2000 else (300 if g.vcount() <= 20000 else 50)
                coords = [at[k] for k in keys]
                row[f"{layout} stress"] = normalised_stress(g, coords, sources)
                print(f"{name}: {layout} {row[f'{layout} s']:.2f} s, stress "
                      f"{row[f'{layout} stress']:.4f}", file=sys.stderr)
            random.seed(42)
            t = time.perf_counter()
            fr = g.layout_fruchterman_reingold()
            row["igraph FR s"] = time.perf_counter() - t
            row["igraph FR stress"] = normalised_stress(g, fr.coords, sources)
            print(f"{name}: igraph FR {row['igraph FR s']:.2f} s, stress "
                  f"{row['igraph FR stress']:.4f}", file=sys.stderr)
            results.append(row)
            db.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    cols = ["graph", "nodes", "ties"]
    for layout in args.layouts.split(","):
        cols += [f"{layout} s", f"{layout} stress"]
    cols += ["igraph FR s", "igraph FR stress"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        cells = [f"{r[c]:.3g}" if isinstance(r[c], float) else str(r[c]) for c in cols]
        print("| " + " | ".join(cells) + " |")
    print(f"\nigraph {ig.__version__}; stress: lower is better; exact below 2,000 nodes, else "
          "from 300 (medium: 50) sources.")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
