#!/usr/bin/python3
"""Analytics benchmark: Samverkan side by side with igraph and NetworkX.

Each contender runs in a subprocess of its own, one after the other, on the
same generated collaboration graph (gen_collab_graph.py, seed 42: see
bench_graphs.py), with edges treated as undirected:

  load          CSV -> a graph the tool can analyse (timed once). Samverkan:
                kg_import of the CSV into an empty graph (the bulk path).
  snapshot      Samverkan only: building the CSR snapshot the algorithms run
                on, which the first query after a commit pays (igraph and
                NetworkX build their structures in `load`). Timed as that
                first query minus the same query on the cached snapshot,
                after a commit that makes the cache stale.
  pagerank      damping 0.85, every contender to the same accuracy: within
                L1 distance 1e-6 of igraph's PRPACK (an exact solve), which is
                the reference. Samverkan and NetworkX iterate until the ranks
                change by less than 1e-7 in sum (kg_pagerank(..., 1000, 1e-7);
                nx.pagerank(tol=1e-7 / N), as NetworkX's tolerance is per
                node), which leaves them within 1e-7 * 0.85 / 0.15 of the
                fixed point. The L1 distance each reached is reported.
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
must agree (component count, largest core number, top PageRank node, PageRank
within the L1 target) are compared, and a disagreement exits 1; modularity is
each tool's own.

    bench/analytics_bench.py small
    bench/analytics_bench.py medium --repeat 3
    bench/analytics_bench.py large --repeat 1 --contenders samverkan,igraph
"""
from __future__ import annotations

import argparse
import array
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
import threading
import time

from bench_graphs import REPO, resolve_graph, with_headers

BENCH = REPO / "bench"
ALGORITHMS = ("pagerank", "components", "louvain", "kcore", "clustering", "betweenness")
CONTENDERS = ("samverkan", "igraph", "networkx")
PAGERANK_L1_TARGET = 1e-6  # every contender's distance from igraph's PRPACK
PAGERANK_STOP = 1e-7       # summed change that stops the iterative solvers (< target)


def save_ranks(path: str, ranks) -> None:
    """Writes a PageRank vector, indexed by node id, for the parent to compare."""
    with open(path, "wb") as f:
        array.array("d", ranks).tofile(f)


def load_ranks(path: pathlib.Path) -> array.array:
    ranks = array.array("d")
    with open(path, "rb") as f:
        ranks.frombytes(f.read())
    return ranks


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
        csvdir = with_headers(d, tmp / "csv", ":ID,:LABEL,name,sector,props.region",
                              ":START_ID,:END_ID,:TYPE,weight:double")
        db = sqlite3.connect(str(tmp / "b.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(ext)
        t = time.perf_counter()
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='b.kg')")
        db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
        load = time.perf_counter() - t
        q = lambda sql: (lambda: db.execute(sql).fetchone())
        probe = q("SELECT count(*) FROM kg_degree('kg')")
        first = time.perf_counter()
        probe()  # the first query after the import builds the snapshot
        first = time.perf_counter() - first

        def snapshot_build():
            # Two commits (the graph ends as it was) make the cached snapshot
            # stale; the next query rebuilds it. Its time less the same query's
            # on the cached snapshot is the build.
            db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('bench:stale', 'actor')")
            db.execute("DELETE FROM kg_nodes WHERE key = 'bench:stale'")
            t = time.perf_counter()
            probe()
            cold = time.perf_counter() - t
            t = time.perf_counter()
            probe()
            return cold - (time.perf_counter() - t)

        res = {"load": load, "snapshot_first": first,
               "snapshot": statistics.median(snapshot_build() for _ in range(repeat))}
        answers = {}
        pagerank = f"kg_pagerank('kg', 0.85, 1000, {PAGERANK_STOP})"
        res["pagerank"], a = timed(q(f"SELECT count(*), max(rank) FROM {pagerank}"), repeat)
        ranks = db.execute(f"SELECT CAST(key AS INTEGER), rank FROM {pagerank}").fetchall()
        vector = [0.0] * len(ranks)
        for node, rank in ranks:
            vector[node] = rank
        save_ranks(args.ranks, vector)
        answers["pagerank_top"] = str(max(range(len(vector)), key=vector.__getitem__))
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
    res["pagerank"], pr = timed(lambda: g.pagerank(damping=0.85, implementation="prpack"),
                                repeat)
    save_ranks(args.ranks, pr)
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
    n = G.number_of_nodes()
    res["pagerank"], pr = timed(
        lambda: nx.pagerank(G, alpha=0.85, tol=PAGERANK_STOP / n, max_iter=1000), repeat)
    save_ranks(args.ranks, [pr[v] for v in range(n)])
    answers["pagerank_top"] = str(max(pr, key=pr.get))
    res["components"], answers["components"] = timed(
        lambda: nx.number_connected_components(G), repeat)
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


def work_reference(d, repeat, args):
    """igraph's PRPACK alone, untimed: the PageRank reference when igraph is
    not among the contenders."""
    import igraph
    g = igraph.Graph(n=n_nodes(d), edges=read_edges(d))
    save_ranks(args.ranks, g.pagerank(damping=0.85, implementation="prpack"))
    return {"version": f"igraph {igraph.__version__} PRPACK"}


WORKERS = {"samverkan": work_samverkan, "igraph": work_igraph, "networkx": work_networkx,
           "reference": work_reference}


def run_worker(name, d, args, ranks):
    """Runs one contender in a subprocess that writes its PageRank vector to
    `ranks`; returns its result and peak RSS."""
    cmd = [sys.executable, __file__, str(d), "--worker", name, "--repeat", str(args.repeat),
           "--extension", args.extension, "--workdir", str(args.workdir),
           "--networkx-louvain-max-edges", str(args.networkx_louvain_max_edges),
           "--ranks", str(ranks)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    output = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()))
    reader.start()
    # wait4 rather than wait: the rusage of this child alone.
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    error = None
    while True:
        pid, status, usage = os.wait4(proc.pid, 0 if deadline is None else os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            error = f"stopped after the --timeout of {args.timeout:g} s"
            deadline = None
        else:
            time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    out = output[0] if output else ""
    peak = usage.ru_maxrss / 1024
    if error or proc.returncode != 0:
        return {"error": error or f"exit {proc.returncode}"}, peak
    return json.loads(out.strip().splitlines()[-1]), peak


def l1_distance(a, b) -> float:
    if len(a) != len(b):
        return float("inf")
    return sum(abs(x - y) for x, y in zip(a, b))


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
    ap.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                    help="stop a contender (all its operations) after this long; it is "
                         "then reported as an error")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--ranks", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    d = resolve_graph(args.graph, args.workdir)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](d, args.repeat, args)))
        return 0

    results, peaks = {}, {}
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=".ranks-", dir=args.workdir))
    try:
        names = [n for n in args.contenders.split(",")
                 if n != "samverkan" or pathlib.Path(args.extension).exists()]
        if "samverkan" not in names:
            print(f"note: {args.extension} not built; samverkan skipped", file=sys.stderr)
        # The PageRank reference is igraph's PRPACK: the igraph contender's
        # own vector, or one computed apart when igraph does not run.
        runs = names + ([] if "igraph" in names else ["reference"])
        for name in runs:
            print(f"== {name}", file=sys.stderr)
            # Each contender's peak memory is measured alone: its own subprocess.
            results[name], peaks[name] = run_worker(name, d, args, scratch / name)
            print(json.dumps(results[name]), file=sys.stderr)
        ref_name = "igraph" if "igraph" in names else "reference"
        reference = (load_ranks(scratch / ref_name) if "error" not in results[ref_name]
                     else None)
        l1 = {n: l1_distance(load_ranks(scratch / n), reference)
              for n in names if reference is not None and "error" not in results[n]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

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
        if op == "pagerank":
            print("| pagerank: L1 from PRPACK | " + " | ".join(
                "—" if n not in l1 else "reference" if n == "igraph" else f"{l1[n]:.1e}"
                for n in names) + " |")
    print("| peak MB | " + " | ".join(f"{peaks[n]:.0f}" for n in names) + " |")
    print()
    for n in names:
        first = results[n].get("times", {}).get("snapshot_first")
        print(f"- {n}: {results[n].get('version', results[n].get('error'))}; "
              f"answers {json.dumps(results[n].get('answers'))}"
              + ("" if first is None else f"; first query after the import {first:.3g} s"))
    disagree = []
    for key in ("components", "max_core", "pagerank_top"):
        vals = {n: results[n]["answers"][key] for n in names
                if key in results[n].get("answers", {})}
        if len(set(map(str, vals.values()))) > 1:
            disagree.append(f"{key}: {vals}")
    far = {n: f"{v:.1e}" for n, v in l1.items() if v > PAGERANK_L1_TARGET}
    if far:
        disagree.append(f"PageRank further than L1 {PAGERANK_L1_TARGET:g} from PRPACK: {far}")
    print("\nanswers agree" if not disagree else "\nDISAGREEMENT: " + "; ".join(disagree))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(
            {"results": results, "peak_mb": peaks, "pagerank_l1_from_prpack": l1}, indent=1))
    return 1 if disagree or any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
