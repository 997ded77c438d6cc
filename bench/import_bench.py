#!/usr/bin/python3
"""Import benchmark: `samverkan import --bulk` side by side with the sqlite3
shell's fast path into an indexed edge table, on a generated collaboration
graph (gen_collab_graph.py, seed 42: see bench_graphs.py).

    bench/import_bench.py                   # medium: 100k nodes / 1M edges, median of 3
    bench/import_bench.py large --repeat 1  # 1M nodes / 10M edges
    bench/import_bench.py medium --cli build/bin/samverkan --json out.json

Both load the generator's nodes.csv and edges.csv. Samverkan writes both
adjacency directions, the key dictionary, name/kind/sector indexes and degree
counters. SQLite gets what an analyst writes today, tables `nodes(id INTEGER
PRIMARY KEY, ...)` and `edges(src, dst, type, weight)` with indexes on src and
dst, loaded the fast way: `.import` into the bare tables, then CREATE INDEX
(one sort per index, rather than keeping two B-trees up to date row by row).
Times are wall-clock seconds of each whole command, the median of --repeat
runs; the two alternate, so that a busy spell on the machine falls on both.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

from bench_graphs import REPO, resolve_graph, with_headers

SQLITE_SCRIPT = """\
CREATE TABLE nodes(id INTEGER PRIMARY KEY, label TEXT, name TEXT, sector TEXT, region TEXT);
CREATE TABLE edges(src INTEGER, dst INTEGER, type TEXT, weight REAL);
.import --csv --skip 1 {nodes} nodes
.import --csv --skip 1 {edges} edges
CREATE INDEX edges_src ON edges(src);
CREATE INDEX edges_dst ON edges(dst);
"""


def timed(cmd, **kwargs):
    # Each run starts with no dirty pages left by the one before (a 10M-edge
    # SQLite file is ~1 GB): otherwise their write-back lands in the next run.
    os.sync()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", nargs="?", default="medium",
                    help="small, medium, large, N_NODES:N_EDGES, or a directory with "
                         "nodes.csv, edges.csv, params.json")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--sqlite3", default="sqlite3", help="the sqlite3 shell")
    ap.add_argument("--generator", default=None,
                    help="gen_collab_graph.py, if not in ../shared/bench/ beside the repository")
    ap.add_argument("--workdir", type=pathlib.Path, default=REPO / "bench" / "data",
                    help="where generated graphs are cached and scratch files go")
    ap.add_argument("--json", default=None, help="also write the results here")
    a = ap.parse_args()

    graph = resolve_graph(a.graph, a.workdir, a.generator)
    n_edges = json.loads((graph / "params.json").read_text())["edges"]
    sqlite_script = SQLITE_SCRIPT.format(nodes=graph / "nodes.csv", edges=graph / "edges.csv")
    results = {"graph": str(graph), "edges": n_edges, "samverkan": [], "sqlite": []}
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=".import-", dir=a.workdir))
    try:
        # Samverkan reads Neo4j-style header lines: the same rows, new headers (untimed).
        ours = with_headers(graph, scratch / "csv", ":ID,:LABEL,name,sector,region",
                            ":START_ID,:END_ID,:TYPE,weight:float")
        for run in range(a.repeat):
            out = scratch / f"run{run}"
            out.mkdir()
            results["samverkan"].append(timed(
                [a.cli, "import", "--bulk", "-q", str(out / "g.kg"),
                 str(ours / "nodes.csv"), str(ours / "edges.csv")]))
            results["sqlite"].append(timed([a.sqlite3, str(out / "g.db")],
                                           input=sqlite_script.encode()))
            shutil.rmtree(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    sv, sq = statistics.median(results["samverkan"]), statistics.median(results["sqlite"])
    results.update({"samverkan_median_s": sv, "sqlite_median_s": sq,
                    "samverkan_edges_per_s": n_edges / sv, "sqlite_edges_per_s": n_edges / sq,
                    "speedup_vs_sqlite": sq / sv})
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    print(f"{graph}: {n_edges:,} edges (+ nodes), median of {a.repeat}")
    print(f"  samverkan import --bulk         {sv:7.2f} s  {n_edges / sv / 1e6:5.2f} M edges/s"
          f"  (runs {runs(results['samverkan'])})")
    print(f"  sqlite3 .import, then 2 indexes {sq:7.2f} s  {n_edges / sq / 1e6:5.2f} M edges/s"
          f"  (runs {runs(results['sqlite'])})")
    print(f"  samverkan takes {sv / sq:.2f} of sqlite3's time ({sq / sv:.2f}x as fast)")
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
