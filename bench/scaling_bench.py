#!/usr/bin/python3
"""Scaling curve: load, open, 3-hop, PageRank and a property aggregate at 1M, 10M, 100M edges.

    bench/scaling_bench.py 1M 10M                  # Samverkan and Kùzu, graphs from gen_stream.py
    bench/scaling_bench.py 100M --contenders samverkan --json out.json
    bench/scaling_bench.py 10M --workdir /tmp/scale --keep
    bench/scaling_bench.py 10M --contenders samverkan --analytics   # + analytics' peak memory

Each size is a gen_stream.py graph (seed 42, --props): 1M = 100k nodes / 1M edges (the
shape of `medium`), 10M = 1M / 10M (`large`), 30M = 3M / 30M, 100M = 10M / 100M. Every
step runs in a child process of its own, so its peak memory is that process's maximum resident set
(`/usr/bin/time -f %M`), and each step starts from a closed graph with the page cache as
the steps before left it (warm, not dropped):

| step | Samverkan | Kùzu |
|---|---|---|
| load | `samverkan import --bulk` of the CSVs (whole command) | `COPY FROM` of per-table CSVs into a new database (kuzu_steps.js load) |
| open | open the graph and look up the hub by key | open the database and `RETURN 1` |
| 3-hop first, warm | `kg_neighbors(hub, 3)`: first after opening, then the median of 3 | `[* SHORTEST 1..3]` from the hub, count(DISTINCT) |
| PageRank first, warm | `kg_pagerank(0.85, 1000, 1e-7)` | `project_graph` + `page_rank` (tolerance 1e-7) |
| property aggregate | `MATCH ()-[e:participates_in]->() RETURN count(e.role)` (kg_cypher) | the same Cypher |
| disk | the graph directory (`du`), bytes per edge | the database directory |

Times of the queries are measured inside the child; the step's wall time and peak RSS
include opening. The answers of the two are compared (3-hop count, aggregate count,
the top-ranked node) and a difference is reported as DISAGREEMENT (exit 1). Per-table
CSVs for Kùzu are written beforehand (untimed), as cypher_bench.py does.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SIZES = {"50k": "small", "1M": "medium", "10M": "large", "30M": "3000000:30000000", "100M": "huge"}
NODES_HEADER = ":ID,:LABEL,name,sector,props.region,props.country"
EDGES_HEADER = (":START_ID,:END_ID,:TYPE,weight:double,props.role,props.contribution:double,"
                "valid_from:date,valid_to:date")
PAGERANK = "kg_pagerank('kg', 0.85, 1000, 1e-7)"
AGGREGATE = "MATCH ()-[e:participates_in]->() RETURN count(e.role) AS n"
KUZU_3HOP = "MATCH (a:actor {id: $a})-[* SHORTEST 1..3]-(b) WHERE b <> a RETURN count(DISTINCT b) AS n"
KUZU_PROJECT = ("CALL project_graph('G', ['actor', 'project', 'region'], "
                "['located_in', 'participates_in'])")
KUZU_PAGERANK = ("CALL page_rank('G', maxIterations := 1000, tolerance := 0.0000001) "
                 "RETURN node.id AS id, rank ORDER BY rank DESC LIMIT 1")
WARM = 3
ANALYTICS = [  # as bench/analytics_bench.py runs them
    ("pagerank", f"SELECT count(*), max(rank) FROM {PAGERANK}"),
    ("components", "SELECT count(DISTINCT component) FROM kg_components('kg')"),
    ("louvain", "SELECT count(DISTINCT community), max(modularity) FROM kg_communities('kg')"),
    ("kcore", "SELECT max(core) FROM kg_kcore('kg')"),
    ("clustering", "SELECT avg(clustering) FROM kg_clustering('kg')"),
    ("betweenness", "SELECT max(betweenness) FROM kg_betweenness('kg', 1, 100)"),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], check=True, capture_output=True,
                              text=True).stdout.split()[0])


def remove(path: Path) -> None:
    """A store: a directory (Samverkan) or a file with its companions (Kùzu 0.11: db, db.wal)."""
    shutil.rmtree(path, ignore_errors=True)
    for p in path.parent.glob(path.name + "*"):
        if p.is_file():
            p.unlink()


def measured(cmd: list[str], timeout: float, **kw) -> dict:
    """Runs cmd under /usr/bin/time: wall seconds, CPU seconds (user + system, all threads),
    peak RSS (MiB), its stdout's last line as JSON. On a shared machine the CPU time is the
    steadier figure: a process waiting for a core shows in the wall time only."""
    os.sync()  # the step before's dirty pages are not written back during this one
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", *cmd], capture_output=True, text=True,
                          timeout=timeout, **kw)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    rss, user, system = proc.stderr.strip().splitlines()[-1].split()
    out = {"wall": wall, "cpu": float(user) + float(system), "rss_mib": int(rss) / 1024}
    lines = proc.stdout.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        out["child"] = json.loads(lines[-1])
    return out


# --------------------------------------------------------------------------
# Samverkan: each step is this script run with --step, in its own process.
# --------------------------------------------------------------------------

def samverkan_step(step: str, store: Path, hub: str, ext: str) -> dict:
    import sqlite3
    t = time.perf_counter()
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{store}')")
    found = db.execute("SELECT count(*) FROM kg_nodes WHERE key = ?", (hub,)).fetchone()[0]
    out = {"open": time.perf_counter() - t, "hub_found": found}

    def timed(sql, params=()):
        t = time.perf_counter()
        rows = db.execute(sql, params).fetchall()
        return time.perf_counter() - t, rows

    queries = {
        "3hop": ("SELECT count(*) FROM kg_neighbors('kg', ?, 3)", (hub,)),
        "pagerank": (f"SELECT key FROM {PAGERANK} ORDER BY rank DESC LIMIT 1", ()),
        "aggregate": ("SELECT row FROM kg_cypher('kg', ?)", (AGGREGATE,)),
    }
    if step == "analytics":
        # analytics_bench.py's set, on the stored graph: its peak memory is the analytics'
        # (and the snapshot's), not the import's as in analytics_bench.py's own process.
        times = {}
        for name, sql in ANALYTICS:
            times[name] = timed(sql)[0]
        out["analytics"] = times
    elif step in queries:
        sql, params = queries[step]
        first, rows = timed(sql, params)
        warm = [timed(sql, params)[0] for _ in range(WARM if step != "pagerank" else 1)]
        answer = rows[0][0]
        if step == "aggregate":
            answer = json.loads(answer)["n"]
        out.update({"first": first, "warm": statistics.median(warm), "answer": str(answer)})
    db.close()
    return out


def run_samverkan(graph: Path, work: Path, params: dict, args) -> dict:
    csv = work / "csv"
    if not csv.exists():
        from bench_graphs import with_headers
        with_headers(graph, csv, NODES_HEADER, EDGES_HEADER)  # untimed
    store = work / "g.kg"
    remove(store)
    res = {"load": measured([args.cli, "import", "--bulk", "-q", str(store),
                             str(csv / "nodes.csv"), str(csv / "edges.csv")], args.timeout)}
    log(f"  samverkan load {res['load']['wall']:.1f} s (CPU {res['load']['cpu']:.1f} s), "
        f"{res['load']['rss_mib']:.0f} MiB")
    res["disk_after_load"] = du(store)
    ext = str(Path(args.extension).resolve().with_suffix(""))
    for step in ("open", "3hop", "pagerank", "aggregate") + (("analytics",) if args.analytics else ()):
        res[step] = measured([sys.executable, __file__, "--step", step, "--store", str(store),
                              "--hub", str(params["hub"]), "--extension", ext], args.timeout)
        c = res[step]["child"]
        log(f"  samverkan {step}: open {c['open']:.3f} s" +
            (f", first {c['first']:.3f} s, warm {c['warm']:.3f} s -> {c['answer']}"
             if "first" in c else "") + (f", {c['analytics']}" if "analytics" in c else "")
            + f", step CPU {res[step]['cpu']:.1f} s, {res[step]['rss_mib']:.0f} MiB")
    res["disk"] = du(store)
    snap = store / "snapshot"
    res["disk_snapshot"] = du(snap) if snap.exists() else 0
    return res


# --------------------------------------------------------------------------
# Kùzu, in Node.js child processes (kuzu_steps.js).
# --------------------------------------------------------------------------

def run_kuzu(graph: Path, work: Path, params: dict, args) -> dict | str:
    if not (BENCH / "node_modules" / "kuzu").exists():
        return "not installed (npm install --prefix bench)"
    from cypher_bench import kuzu_tables
    tables = work / "kuzu-tables"
    if not (tables / "ddl.json").exists():
        shutil.rmtree(tables, ignore_errors=True)
        kuzu_tables(graph, tables)  # untimed
    db = work / "kuzu-db"
    remove(db)
    runner = str(BENCH / "kuzu_steps.js")
    res = {"load": measured(["node", runner, "load", str(tables), str(db)], args.timeout)}
    res["version"] = res["load"]["child"]["version"]
    log(f"  kuzu load {res['load']['wall']:.1f} s (CPU {res['load']['cpu']:.1f} s), "
        f"{res['load']['rss_mib']:.0f} MiB")
    res["disk_after_load"] = sum(du(p) for p in db.parent.glob(db.name + "*"))
    hop = {"name": "3hop", "cypher": KUZU_3HOP, "params": {"a": params["hub"]}}
    steps = {
        "open": [],
        "3hop": [{**hop, "repeat": 1 + WARM}],
        "pagerank": [{"name": "project", "cypher": KUZU_PROJECT, "params": {}, "repeat": 1},
                     {"name": "pagerank", "cypher": KUZU_PAGERANK, "params": {}, "repeat": 2}],
        "aggregate": [{"name": "aggregate", "cypher": AGGREGATE, "params": {}, "repeat": 1 + WARM}],
    }
    for step, queries in steps.items():
        qfile = work / f"kuzu-{step}.json"
        qfile.write_text(json.dumps(queries))
        r = measured(["node", runner, "run", str(db), str(qfile)], args.timeout)
        c = r["child"]
        out = {"open": c["open"]}
        if queries:
            q = c["queries"][queries[-1]["name"]]
            first = q["times"][0]
            if step == "pagerank":  # projecting the graph is part of Kùzu's first PageRank
                first += c["queries"]["project"]["times"][0]
            out.update({"first": first, "warm": statistics.median(q["times"][1:]),
                        "answer": str(q["rows"][0][next(iter(q["rows"][0]))])})
        r["child"] = out
        res[step] = r
        log(f"  kuzu {step}: open {out['open']:.3f} s" +
            (f", first {out['first']:.3f} s, warm {out['warm']:.3f} s -> {out['answer']}"
             if "first" in out else "") + f", step CPU {r['cpu']:.1f} s, {r['rss_mib']:.0f} MiB")
    res["disk"] = sum(du(p) for p in db.parent.glob(db.name + "*"))  # with its WAL, if any
    return res


# --------------------------------------------------------------------------

def table(results: dict) -> str:
    rows = ["| edges | contender | load s (MiB) | open s (MiB) | 3-hop first / warm s (MiB) "
            "| PageRank first / warm s (MiB) | count(e.role) first / warm s (MiB) | disk B/edge |",
            "|---|---|---|---|---|---|---|---|"]
    for size, r in results.items():
        for who in ("samverkan", "kuzu"):
            x = r.get(who)
            if not isinstance(x, dict):
                if x:
                    rows.append(f"| {size} | {who} | {x} | | | | | |")
                continue
            cell = lambda s: (f"{x[s]['child']['first']:.3g} / {x[s]['child']['warm']:.3g} "
                              f"({x[s]['rss_mib']:.0f})")
            rows.append(
                f"| {size} | {who} | {x['load']['wall']:.1f} ({x['load']['rss_mib']:.0f}) "
                f"| {x['open']['child']['open']:.3g} ({x['open']['rss_mib']:.0f}) "
                f"| {cell('3hop')} | {cell('pagerank')} | {cell('aggregate')} "
                f"| {x['disk'] / r['edges']:.1f} |")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", nargs="*", default=["1M", "10M"], help="50k (a quick check), 1M, 10M, 30M, 100M")
    ap.add_argument("--contenders", default="samverkan,kuzu")
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--extension", default=str(REPO / "build" / "samverkan.so"))
    ap.add_argument("--workdir", type=Path, default=REPO / "bench" / "data" / "scaling",
                    help="where the graphs, stores and databases go (tens of GB at 100M)")
    ap.add_argument("--timeout", type=float, default=7200, help="seconds per step")
    ap.add_argument("--analytics", action="store_true",
                    help="also analytics_bench.py's algorithms on the stored graph (Samverkan), "
                         "for their peak memory")
    ap.add_argument("--keep", action="store_true", help="keep stores and databases afterwards")
    ap.add_argument("--json", default=None)
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--hub", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        print(json.dumps(samverkan_step(a.step, Path(a.store), a.hub, a.extension)))
        return 0
    sys.path.insert(0, str(BENCH))
    from traversal_bench import machine_info
    results, bad = {}, []
    for size in a.sizes:
        if size not in SIZES:
            sys.exit(f"unknown size {size!r}: {', '.join(SIZES)}")
        graph = a.workdir / f"graph-{size}"
        if not (graph / "params.json").exists():
            log(f"generating {size} into {graph} ...")
            t = time.perf_counter()
            shutil.rmtree(graph, ignore_errors=True)
            subprocess.run([sys.executable, str(BENCH / "gen_stream.py"), SIZES[size], str(graph),
                            "--props", "-q"], check=True, stdout=subprocess.DEVNULL)
            log(f"  generated in {time.perf_counter() - t:.0f} s")
        params = json.loads((graph / "params.json").read_text())
        work = a.workdir / f"work-{size}"
        work.mkdir(parents=True, exist_ok=True)
        r = {"edges": params["edges"], "nodes": params["nodes"], "hub": params["hub"],
             "hub_degree": params["hub_degree"]}
        log(f"{size}: {params['nodes']:,} nodes, {params['edges']:,} edges, hub {params['hub']}")
        try:
            if "samverkan" in a.contenders:
                r["samverkan"] = run_samverkan(graph, work, params, a)
            if "kuzu" in a.contenders:
                r["kuzu"] = run_kuzu(graph, work, params, a)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            r["error"] = str(e)
            log(f"  {size}: {e}")
        finally:
            if not a.keep:
                for d in ("g.kg", "kuzu-db"):
                    remove(work / d)
        s, k = r.get("samverkan"), r.get("kuzu")
        if isinstance(s, dict) and isinstance(k, dict):
            for step in ("3hop", "aggregate"):
                if s[step]["child"]["answer"] != k[step]["child"]["answer"]:
                    bad.append(f"{size} {step}: samverkan {s[step]['child']['answer']}, "
                               f"kuzu {k[step]['child']['answer']}")
        results[size] = r
        if a.json:
            Path(a.json).write_text(json.dumps({"machine": machine_info(), "results": results},
                                               indent=1))
    print(table(results))
    for b in bad:
        print("DISAGREEMENT:", b)
    return 1 if bad or any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
