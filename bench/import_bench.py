#!/usr/bin/python3
"""Import benchmark: `samverkan import` (bulk path) side by side with the
sqlite3 shell's `.import` into an indexed edge table, on a generated
collaboration graph (bench/gen_collab_graph.py, from ../shared/bench/ or
given with --generator).

    bench/import_bench.py                 # medium: 100k nodes / 1M edges, median of 3
    bench/import_bench.py large --repeat 1  # 1M nodes / 10M edges
    bench/import_bench.py medium --cli build/bin/samverkan --json out.json

Both sides load nodes and edges from CSV. Samverkan writes both adjacency
directions, the key dictionary, name/kind/sector indexes and degree counters;
SQLite gets tables `nodes(id PRIMARY KEY, ...)` and `edges(src, dst, type,
weight)` with indexes on src and dst, which is what an analyst writes today.
Times are wall-clock seconds of the whole command, median of --repeat runs.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "gen_collab_graph.py"

SQLITE_SCRIPT = """\
CREATE TABLE nodes(id INTEGER PRIMARY KEY, label TEXT, name TEXT, sector TEXT, region TEXT);
CREATE TABLE edges(src INTEGER, dst INTEGER, type TEXT, weight REAL);
CREATE INDEX edges_src ON edges(src);
CREATE INDEX edges_dst ON edges(dst);
.import --csv --skip 1 {nodes} nodes
.import --csv --skip 1 {edges} edges
"""


def generate(size, data_dir, generator):
    """The generator's CSVs, and copies with our header convention."""
    if not (data_dir / "edges.csv").exists():
        subprocess.run([sys.executable, str(generator), size, str(data_dir)], check=True,
                       stdout=subprocess.DEVNULL)
    ours = data_dir / "samverkan"
    ours.mkdir(exist_ok=True)
    for name, header in (("nodes.csv", ":ID,:LABEL,name,sector,region\n"),
                         ("edges.csv", ":START_ID,:END_ID,:TYPE,weight:float\n")):
        if not (ours / name).exists():
            with open(data_dir / name, "rb") as src, open(ours / name, "wb") as dst:
                src.readline()  # the generator's header
                dst.write(header.encode())
                shutil.copyfileobj(src, dst, 1 << 24)
    return ours


def timed(cmd, **kwargs):
    # Each run starts with no dirty pages left by the one before (a 10M-edge
    # SQLite file is ~1 GB): otherwise their write-back lands in the next run.
    os.sync()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", nargs="?", default="medium", help="small, medium, large or N:E")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--generator", default=str(GENERATOR))
    ap.add_argument("--data", default=None, help="where generated CSVs are kept (reused)")
    ap.add_argument("--json", default=None, help="also write the results here")
    a = ap.parse_args()

    data_dir = pathlib.Path(a.data or REPO / "bench" / "data" / f"import-{a.size}")
    data_dir.mkdir(parents=True, exist_ok=True)
    ours = generate(a.size, data_dir, a.generator)
    with open(data_dir / "edges.csv", "rb") as f:
        n_edges = sum(1 for _ in f) - 1

    results = {"size": a.size, "edges": n_edges, "samverkan": [], "sqlite": []}
    for _ in range(a.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            results["samverkan"].append(timed(
                [a.cli, "import", "--bulk", "-q", os.path.join(tmp, "g.kg"),
                 str(ours / "nodes.csv"), str(ours / "edges.csv")]))
            script = SQLITE_SCRIPT.format(nodes=data_dir / "nodes.csv",
                                          edges=data_dir / "edges.csv")
            results["sqlite"].append(timed(["sqlite3", os.path.join(tmp, "g.db")],
                                           input=script.encode()))
    sv, sq = statistics.median(results["samverkan"]), statistics.median(results["sqlite"])
    results.update({"samverkan_median_s": sv, "sqlite_median_s": sq,
                    "samverkan_edges_per_s": n_edges / sv, "sqlite_edges_per_s": n_edges / sq,
                    "speedup_vs_sqlite": sq / sv})
    print(f"{a.size}: {n_edges} edges (+ nodes), median of {a.repeat}")
    print(f"  samverkan import --bulk  {sv:7.2f} s  {n_edges / sv / 1e6:5.2f} M edges/s")
    print(f"  sqlite3 .import+indexes  {sq:7.2f} s  {n_edges / sq / 1e6:5.2f} M edges/s")
    print(f"  samverkan is {sq / sv:.2f}x the speed of sqlite3 "
          f"(Kuzu COPY FROM, 1M edges: 2.7 s per the brief)")
    if a.json:
        pathlib.Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
