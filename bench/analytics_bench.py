#!/usr/bin/python3
"""Analytics benchmark: Samverkan side by side with igraph and NetworkX.

Each contender runs in a subprocess of its own, one after the other, on the
same generated collaboration graph (bench/gen_collab_graph.py, seed 42), with
edges treated as undirected:

  load          CSV -> a graph the tool can analyse (timed once). Samverkan:
                kg_import of the CSV into an empty graph (the bulk path), then
                the CSR snapshot build, shown separately as `snapshot`.
  pagerank      damping 0.85. Samverkan: exactly 20 iterations
                (kg_pagerank(..., 20, 0)); igraph: PRPACK (exact solve);
                NetworkX: nx.pagerank (power iteration to tol 1e-6).
  components    weakly connected components
  louvain       Louvain communities (igraph community_multilevel,
                nx.community.louvain_communities, kg_communities)
  kcore         core numbers
  clustering    local clustering coefficients
  betweenness   estimated from 100 sources (nx k=100, kg_betweenness samples
                100); igraph has no sampled betweenness and is skipped

Times are seconds, the median of --repeat runs, excluding the load; `peak MB`
is the subprocess's maximum resident set size (getrusage). Samverkan's SQL
sums each result (SELECT count(*), sum(...) FROM kg_...), so the time is the
algorithm's, not that of turning 100k rows into Python objects. Answers that
must agree (component count, largest core number, top PageRank node) are
compared; modularity is each tool's own.

    bench/analytics_bench.py small
    bench/analytics_bench.py medium --repeat 3
    bench/analytics_bench.py large --repeat 1 --contenders samverkan,igraph
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import pathlib
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = pathlib.Path(__file__).resolve().parent
REPO = BENCH.parent
GENERATORS = (BENCH / "gen_collab_graph.py", pathlib.Path("/work/shared/bench/gen_collab_graph.py"))
ALGORITHMS = ("pagerank", "components", "louvain", "kcore", "clustering", "betweenness")
CONTENDERS = ("samverkan", "igraph", "networkx")


def graph_dir(size: str, workdir: pathlib.Path) -> pathlib.Path:
    p = pathlib.Path(size)
    if p.is_dir():
        return p
    out = workdir / size
    if not (out / "edges.csv").exists():
        gen = next((g for g in GENERATORS if g.exists()), None)
        if gen is None:
            sys.exit("no gen_collab_graph.py found")
        subprocess.run([sys.executable, str(gen), size, str(out), "--seed", "42"], check=True)
    return out


def read_edges(d: pathlib.Path):
    with open(d / "edges.csv", newline="") as f:
        r = csv.reader(f)
        next(r)
        return [(int(a), int(b)) for a, b, _t, _w in r]


def n_nodes(d: pathlib.Path) -> int:
    return json.loads((d / "params.json").read_text())["nodes"]


def timed(fn, repeat):
    times, answer = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), answer


# --------------------------------------------------------------------------
# Workers: each runs in its own process and prints one JSON line.
# --------------------------------------------------------------------------

def work_samverkan(d, repeat, args):
    ext = str(pathlib.Path(args.extension).with_suffix(""))
    tmp = pathlib.Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        # kg_import reads Neo4j-style headers: the same rows under new headers.
        csvdir = tmp / "csv"
        csvdir.mkdir()
        with open(d / "nodes.csv") as src, open(csvdir / "nodes.csv", "w") as dst:
            src.readline()
            dst.write(":ID,:LABEL,name,sector,props.region\n")
            shutil.copyfileobj(src, dst)
        with open(d / "edges.csv") as src, open(csvdir / "edges.csv", "w") as dst:
            src.readline()
            dst.write(":START_ID,:END_ID,:TYPE,weight:double\n")
            shutil.copyfileobj(src, dst)
        db = sqlite3.connect(str(tmp / "b.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(ext)
        t = time.perf_counter()
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='b.kg')")
        db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
        load = time.perf_counter() - t
        t = time.perf_counter()
        db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()  # builds the CSR
        snapshot = time.perf_counter() - t
        q = lambda sql: (lambda: db.execute(sql).fetchone())
        res = {"load": load, "snapshot": snapshot}
        answers = {}
        res["pagerank"], a = timed(q("SELECT count(*), max(rank) FROM kg_pagerank('kg', 0.85, 20, 0)"), repeat)
        answers["pagerank_top"] = db.execute(
            "SELECT key FROM kg_pagerank('kg', 0.85, 20, 0) ORDER BY rank DESC LIMIT 1").fetchone()[0]
        res["components"], a = timed(q("SELECT count(DISTINCT component) FROM kg_components('kg')"), repeat)
        answers["components"] = a[0]
        res["louvain"], a = timed(q("SELECT count(DISTINCT community), max(modularity) FROM kg_communities('kg')"), repeat)
        answers["communities"], answers["modularity"] = a
        res["kcore"], a = timed(q("SELECT max(core) FROM kg_kcore('kg')"), repeat)
        answers["max_core"] = a[0]
        res["clustering"], a = timed(q("SELECT avg(clustering) FROM kg_clustering('kg')"), repeat)
        answers["avg_clustering"] = a[0]
        res["betweenness"], _ = timed(q("SELECT max(betweenness) FROM kg_betweenness('kg', 1, 100)"), repeat)
        version = db.execute("SELECT kg_version()").fetchone()[0]
        db.close()
        return {"times": res, "answers": answers, "version": version}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def work_igraph(d, repeat, args):
    import igraph
    t = time.perf_counter()
    g = igraph.Graph(n=n_nodes(d), edges=read_edges(d))
    res = {"load": time.perf_counter() - t}
    answers = {}
    res["pagerank"], pr = timed(lambda: g.pagerank(damping=0.85), repeat)
    answers["pagerank_top"] = str(max(range(len(pr)), key=pr.__getitem__))
    res["components"], c = timed(lambda: g.connected_components(mode="weak"), repeat)
    answers["components"] = len(c)
    res["louvain"], comm = timed(lambda: g.community_multilevel(), repeat)
    answers["communities"], answers["modularity"] = len(comm), comm.modularity
    res["kcore"], core = timed(lambda: g.coreness(), repeat)
    answers["max_core"] = max(core)
    res["clustering"], cl = timed(lambda: g.transitivity_local_undirected(mode="zero"), repeat)
    answers["avg_clustering"] = sum(cl) / len(cl)
    return {"times": res, "answers": answers, "version": f"igraph {igraph.__version__}"}


def work_networkx(d, repeat, args):
    import networkx as nx
    t = time.perf_counter()
    G = nx.Graph()
    G.add_nodes_from(range(n_nodes(d)))
    G.add_edges_from(read_edges(d))
    res = {"load": time.perf_counter() - t}
    answers = {}
    res["pagerank"], pr = timed(lambda: nx.pagerank(G), repeat)
    answers["pagerank_top"] = str(max(pr, key=pr.get))
    res["components"], n = timed(lambda: nx.number_connected_components(G), repeat)
    answers["components"] = n
    if G.number_of_edges() <= args.networkx_louvain_max_edges:
        res["louvain"], comm = timed(lambda: nx.community.louvain_communities(G, seed=42), 1)
        answers["communities"] = len(comm)
        answers["modularity"] = nx.community.modularity(G, comm)
    res["kcore"], core = timed(lambda: nx.core_number(G), repeat)
    answers["max_core"] = max(core.values())
    res["clustering"], cl = timed(lambda: nx.clustering(G), 1)
    answers["avg_clustering"] = sum(cl.values()) / len(cl)
    res["betweenness"], _ = timed(lambda: nx.betweenness_centrality(G, k=100, seed=42), 1)
    return {"times": res, "answers": answers, "version": f"networkx {nx.__version__}"}


WORKERS = {"samverkan": work_samverkan, "igraph": work_igraph, "networkx": work_networkx}


def run_worker(name, d, args):
    """Runs one contender in a subprocess; returns its result and peak RSS."""
    cmd = [sys.executable, __file__, str(d), "--worker", name, "--repeat", str(args.repeat),
           "--extension", args.extension, "--workdir", str(args.workdir),
           "--networkx-louvain-max-edges", str(args.networkx_louvain_max_edges)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    proc.stdout.close()
    # wait4 rather than wait: the rusage of this child alone.
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}"}, usage.ru_maxrss / 1024
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", nargs="?", default="medium",
                    help="small, medium, large, N:M, or a directory with nodes.csv/edges.csv")
    ap.add_argument("--contenders", default=",".join(CONTENDERS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--extension", default=str(REPO / "build" / "samverkan.so"))
    ap.add_argument("--workdir", type=pathlib.Path, default=BENCH / "data")
    ap.add_argument("--networkx-louvain-max-edges", type=int, default=200_000,
                    help="skip NetworkX's Louvain above this many edges (109 s on medium)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    d = graph_dir(args.graph, args.workdir)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](d, args.repeat, args)))
        return 0

    results, peaks = {}, {}
    for name in args.contenders.split(","):
        if name == "samverkan" and not pathlib.Path(args.extension).exists():
            print(f"note: {args.extension} not built; samverkan skipped", file=sys.stderr)
            continue
        print(f"== {name}", file=sys.stderr)
        # Each contender's peak memory is measured alone: its own subprocess.
        results[name], peaks[name] = run_worker(name, d, args)
        print(json.dumps(results[name]), file=sys.stderr)
    names = list(results)
    params = json.loads((d / "params.json").read_text())
    print(f"graph: {d} ({params['nodes']:,} nodes, {params['edges']:,} edges), "
          f"median of {args.repeat}; seconds\n")
    print("| operation | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for op in ("load", "snapshot") + ALGORITHMS:
        cells = []
        for n in names:
            t = results[n].get("times", {}).get(op)
            cells.append("—" if t is None else f"{t:.3g}")
        print(f"| {op} | " + " | ".join(cells) + " |")
    print("| peak MB | " + " | ".join(f"{peaks[n]:.0f}" for n in names) + " |")
    print()
    for n in names:
        print(f"- {n}: {results[n].get('version', results[n].get('error'))}; "
              f"answers {json.dumps(results[n].get('answers'))}")
    disagree = []
    for key in ("components", "max_core", "pagerank_top"):
        vals = {n: results[n]["answers"][key] for n in names if key in results[n].get("answers", {})}
        if len(set(map(str, vals.values()))) > 1:
            disagree.append(f"{key}: {vals}")
    print("\nanswers agree" if not disagree else "\nDISAGREEMENT: " + "; ".join(disagree))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"results": results, "peak_mb": peaks}, indent=1))
    return 1 if disagree or any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
