#!/usr/bin/python3
"""Checks every Cypher procedure against its SQL twin on a generated graph:
CALL samverkan.<name>({options}) and kg_<name> with the same options must
give the same rows (floats within 1e-9 relative), and reports the time of
each, side by side.

    /usr/bin/python3 bench/procedures_check.py medium
    /usr/bin/python3 bench/procedures_check.py small --repeat 3

The sample graph's check is in the test suite (tests/sqlite/
test_cypher_call.py); this one is for the larger generated graphs, too slow
for it. Options are chosen so that each measure finishes in seconds on
`medium` (betweenness from 20 sources; closeness over located_in only).
Exits 1 on a disagreement.
"""
from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from bench_graphs import SIZES, resolve_graph, with_headers  # noqa: E402
from traversal_bench import log, machine_info  # noqa: E402

CASES = [
    ("pagerank", {}),
    ("pagerank", {"kinds": ["actor", "project"], "damping": 0.9}),
    ("components", {}),
    ("communities", {}),
    ("betweenness", {"samples": 20}),
    ("closeness", {"types": ["located_in"]}),
    ("degree", {}),
    ("kcore", {}),
    ("clustering", {}),
    ("projection", {"types": ["participates_in"]}),
    ("sector_mixing", {"attribute": "kind"}),
    ("ei_index", {}),
    ("assortativity", {}),
    ("conductance", {}),
    ("brokerage", {"attribute": "kind"}),
]
# Compared by their count and the sums of their number columns, both computed
# in the engine, not row by row: millions of rows.
AGGREGATED = {"projection"}
# The actor projection of `medium` has some 10^8 ties (gigabytes held by each
# side): it is checked on graphs up to this many edges (`small`: 1.5 million ties).
PROJECTION_MAX_EDGES = 100_000
NODE_COLUMNS = {"key", "actor_a", "actor_b"}


def sql_value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, list):
        return ",".join(v)
    return v


def ordered(rows):
    return sorted(rows, key=lambda r: tuple((v is None, 0 if v is None else v) for v in r))


def close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graph", nargs="?", default="medium",
                    help=f"{', '.join(SIZES)}, N_NODES:N_EDGES, or a generated directory")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--extension", default=str(BENCH_DIR.parent / "build" / "samverkan.so"))
    ap.add_argument("--workdir", default=str(BENCH_DIR / "data"))
    ap.add_argument("--generator", default=None)
    args = ap.parse_args()
    graph = resolve_graph(args.graph, Path(args.workdir), args.generator)
    params = json.loads((graph / "params.json").read_text())
    problems = []
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix=".procedures-") as tmp:
        work = Path(tmp)
        csvdir = with_headers(graph, work / "csv", ":ID,:LABEL,name,sector,props.region",
                              ":START_ID,:END_ID,:TYPE,weight:double")
        db = sqlite3.connect(str(work / "p.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(str(Path(args.extension).resolve().with_suffix("")))
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='p.kg')")
        log("loading ...")
        db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
        db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()  # the snapshot
        print(f"graph: {graph} ({params['nodes']:,} nodes, {params['edges']:,} edges), "
              f"median of {args.repeat}, seconds\n")
        print("| procedure | options | rows | CALL (Cypher) | kg_* (SQL) | SQL ÷ Cypher | equal |")
        print("|---|---|---:|---:|---:|---:|---|")
        for proc, options in CASES:
            if proc == "projection" and params["edges"] > PROJECTION_MAX_EDGES:
                print(f"| {proc} | `{json.dumps(options)}` | — | — | — | — | not run: "
                      f"more than {PROJECTION_MAX_EDGES:,} edges (see the script) |")
                continue
            options = {k: v for k, v in options.items() if v is not None}
            where = "".join(f" AND {k} = ?" for k in options)
            times_sql, times_cy = [], []
            for _ in range(args.repeat):
                names = [d[0] for d in db.execute(f"SELECT * FROM kg_{proc} LIMIT 0").description]
                numbers = [n for n in names if n not in NODE_COLUMNS]
                what = (f"count(*), {', '.join(f'sum({n})' for n in numbers)}"
                        if proc in AGGREGATED else "*")
                t = time.perf_counter()
                want = db.execute(f"SELECT {what} FROM kg_{proc} WHERE graph = 'kg'{where}",
                                  [sql_value(v) for v in options.values()]).fetchall()
                times_sql.append(time.perf_counter() - t)
            yields = ", ".join("node" if n == "key" else n for n in names)
            returns = ", ".join(
                f"{'node' if n == 'key' else n}.key AS c{i}" if n in NODE_COLUMNS else f"{n} AS c{i}"
                for i, n in enumerate(names))
            query = f"CALL samverkan.{proc}($o) YIELD {yields} RETURN {returns}"
            if proc in AGGREGATED:
                query = (f"CALL samverkan.{proc}($o) YIELD {yields} RETURN count(*) AS c0, "
                         + ", ".join(f"sum({n}) AS c{i + 1}" for i, n in enumerate(numbers)))
            for _ in range(args.repeat):
                t = time.perf_counter()
                got = [json.loads(r[0]) for r in db.execute(
                    "SELECT row FROM kg_cypher('kg', ?, ?)",
                    (query, json.dumps({"o": options}))).fetchall()]
                times_cy.append(time.perf_counter() - t)
            width = 1 + len(numbers) if proc in AGGREGATED else len(names)
            got = ordered(tuple(r[f"c{i}"] for i in range(width)) for r in got)
            want = ordered(tuple(r) for r in want)
            equal = len(got) == len(want) and all(
                all(close(a, b) for a, b in zip(x, y)) for x, y in zip(got, want))
            if not equal or not want:
                problems.append(f"{proc} {options}: {len(got)} rows from CALL, {len(want)} from SQL")
            cy, sq = sorted(times_cy)[len(times_cy) // 2], sorted(times_sql)[len(times_sql) // 2]
            count = want[0][0] if proc in AGGREGATED else len(want)
            print(f"| {proc} | `{json.dumps(options)}` | {count:,} | {cy:.3g} | {sq:.3g} | "
                  f"{sq / cy:.2f}× | {'yes' if equal else 'NO'} |", flush=True)
        db.close()
    print(f"\n- machine: {machine_info()}")
    if problems:
        print("\nDISAGREEMENT:\n" + "\n".join(f"- {p}" for p in problems))
        return 1
    print("\nEvery procedure gives its SQL twin's rows.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
