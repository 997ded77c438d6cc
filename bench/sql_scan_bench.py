#!/usr/bin/python3
"""SQL scans of kg_edges / kg_nodes against the same rows in plain SQLite tables.

Issue #19 item 3: an analyst's SQL over a graph's tables reads properties
(`props->>'role'`), filters on them and joins edges to their nodes. This runs
each query twice in one process, once over Samverkan's kg_edges / kg_nodes
and once over plain SQLite tables holding exactly the rows those tables show
(copied from them, properties as the same JSON text) with the obvious
indexes, checks that both give the same answer, and prints the times and
the ratio (ours / plain SQLite).

    /usr/bin/python3 bench/sql_scan_bench.py medium --ext build/samverkan

The graph is the shared generator's (--props: countries, roles,
contributions, dates), loaded once into WORK (bench/data/sql_scan-SIZE by
default) and reused by later runs. A few edges get a rare props key
(`note`, one edge in 500) so that a filter on a rare key is measured too.

Each query runs --repeat times; "first" is the first run (on our side it
may build the snapshot's columns), "warm" the median of the others.
"""
from __future__ import annotations

import argparse
import math
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_graphs import resolve_graph, with_headers  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

# The queries, written over E (edges) and N (nodes); each side substitutes
# its tables. Chosen before any result was seen; some are shapes a column
# path cannot help (a key no column holds, every column of every row).
QUERIES = [
    ("edge prop filter (count)",
     "SELECT count(*) FROM E WHERE type = 'participates_in' AND props->>'role' = 'coordinator'"),
    ("edge prop count",
     "SELECT count(props->>'role') FROM E WHERE type = 'participates_in'"),
    ("count by source sector (join src)",
     "SELECT n.sector, count(*) FROM E e JOIN N n ON n.key = e.src "
     "WHERE e.type = 'participates_in' GROUP BY n.sector ORDER BY n.sector"),
    ("group by role, sum contribution",
     "SELECT props->>'role', count(*), sum(props->>'contribution') FROM E "
     "WHERE type = 'participates_in' GROUP BY 1 ORDER BY 1"),
    ("date range on valid_from",
     "SELECT count(*) FROM E WHERE type = 'participates_in' "
     "AND valid_from >= '2018-01-01' AND valid_from < '2019-01-01'"),
    ("numeric range on contribution",
     "SELECT count(*), avg(props->>'contribution') FROM E "
     "WHERE props->>'contribution' BETWEEN 100000 AND 500000"),
    ("rare key filter",
     "SELECT count(*) FROM E WHERE props->>'note' = 'checked'"),
    ("node prop filter (country)",
     "SELECT count(*) FROM N WHERE props->>'country' = 'MT'"),
    ("node group by kind, sector",
     "SELECT kind, sector, count(*) FROM N GROUP BY 1, 2 ORDER BY 1, 2"),
    ("count by project kind (join dst)",
     "SELECT n.kind, count(*) FROM E e JOIN N n ON n.key = e.dst GROUP BY n.kind ORDER BY 1"),
    ("coordinators by country (join, 2 props)",
     "SELECT n.props->>'country', count(*) FROM E e JOIN N n ON n.key = e.src "
     "WHERE e.type = 'participates_in' AND e.props->>'role' = 'coordinator' "
     "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
    ("top projects by contribution",
     "SELECT dst, sum(props->>'contribution') AS s FROM E WHERE type = 'participates_in' "
     "GROUP BY dst ORDER BY s DESC, dst LIMIT 10"),
    ("every edge column",
     "SELECT count(*), sum(length(src) + length(type) + length(dst) + rank + "
     "coalesce(weight, 0) + length(coalesce(valid_from, '')) + "
     "length(coalesce(valid_to, '')) + length(props) + length(sources) + batch) FROM E"),
    ("every node column",
     "SELECT count(*), sum(length(key) + length(kind) + length(name) + "
     "length(coalesce(sector, '')) + length(aliases) + length(props) + length(sources) + "
     "batch) FROM N"),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def connect(path: Path, ext: str) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    return db


def build(graph: Path, work: Path, ext: str) -> None:
    """Loads the graph into work/b.db (kg) and copies its rows to work/plain.db."""
    done = work / "loaded"
    if done.exists():
        return
    work.mkdir(parents=True, exist_ok=True)
    for p in work.glob("*.db*"):
        p.unlink()
    csvdir = with_headers(graph, work / "csv",
                          ":ID,:LABEL,name,sector,props.region,props.country",
                          ":START_ID,:END_ID,:TYPE,weight:double,props.role,"
                          "props.contribution:double,valid_from:date,valid_to:date")
    db = connect(work / "b.db", ext)
    t = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='b.kg')")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
    # The rare key: one participation in 500.
    db.execute("UPDATE kg_edges SET props = json_set(props, '$.note', 'checked') "
               "WHERE type = 'participates_in' AND rowid % 500 = 0")
    log(f"loaded into Samverkan in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    db.execute("ATTACH ? AS plain", (str(work / "plain.db"),))
    db.execute("BEGIN")
    db.execute("CREATE TABLE plain.nodes AS SELECT rowid AS id, key, kind, name, sector, aliases, "
               "props, sources, batch FROM kg_nodes")
    db.execute("CREATE TABLE plain.edges AS SELECT rowid AS id, src, type, dst, rank, weight, "
               "valid_from, valid_to, props, sources, batch FROM kg_edges")
    db.execute("CREATE UNIQUE INDEX plain.nodes_key ON nodes(key)")
    db.execute("CREATE INDEX plain.edges_type ON edges(type)")
    db.execute("CREATE INDEX plain.edges_src ON edges(src)")
    db.execute("CREATE INDEX plain.edges_dst ON edges(dst)")
    db.execute("COMMIT")
    db.execute("ANALYZE plain")
    db.close()
    log(f"copied to plain SQLite in {time.perf_counter() - t:.1f} s")
    done.touch()
    for p in (work / "csv").glob("*"):
        p.unlink()


def same(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if len(ra) != len(rb):
            return False
        for x, y in zip(ra, rb):
            if isinstance(x, float) or isinstance(y, float):
                if x is None or y is None or not math.isclose(x, y, rel_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


def timed(db: sqlite3.Connection, sql: str, repeat: int) -> tuple[float, float, list]:
    times, rows = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        rows = db.execute(sql).fetchall()
        times.append(time.perf_counter() - t)
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    return times[0], warm, rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", nargs="?", default="medium",
                    help="small, medium, large, N_NODES:N_EDGES or a graph directory")
    ap.add_argument("--ext", default=str(REPO / "build" / "samverkan"),
                    help="the extension, without suffix (default build/samverkan)")
    ap.add_argument("--work", help="where the loaded graphs are kept "
                    "(default bench/data/sql_scan-GRAPH)")
    ap.add_argument("--generator", help="gen_collab_graph.py (default ../shared/bench/)")
    ap.add_argument("--repeat", type=int, default=4)
    ap.add_argument("-k", help="run only queries whose name contains this")
    args = ap.parse_args()

    ext = str(Path(args.ext).resolve())
    graph = resolve_graph(args.graph, REPO / "bench" / "data", args.generator, props=True)
    work = Path(args.work) if args.work else REPO / "bench" / "data" / f"sql_scan-{graph.name}"
    build(graph, work.resolve(), ext)

    db = connect(work / "b.db", ext)
    db.execute("ATTACH ? AS plain", (str(work / "plain.db"),))
    # Open the graph (and build the CSR snapshot, as any first deep query
    # after opening does) before timing: opening is not what is measured.
    t = time.perf_counter()
    db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()
    log(f"graph opened, snapshot built in {time.perf_counter() - t:.2f} s")
    print(f"SQL scans, {graph.name}: {db.execute('SELECT count(*) FROM kg_nodes').fetchone()[0]}"
          f" nodes, {db.execute('SELECT count(*) FROM kg_edges').fetchone()[0]} edges; "
          f"SQLite {sqlite3.sqlite_version}; times in s (warm: median of {args.repeat - 1})")
    head = f"{'query':42s} {'ours first':>10s} {'ours warm':>10s} {'sqlite':>9s} {'ratio':>7s}  same"
    print(head)
    print("-" * len(head))
    ratios, bad = [], 0
    for name, q in QUERIES:
        if args.k and args.k not in name:
            continue
        ours_q = q.replace("FROM E", "FROM kg_edges").replace("JOIN N", "JOIN kg_nodes") \
                  .replace("FROM N", "FROM kg_nodes")
        plain_q = q.replace("FROM E", "FROM plain.edges").replace("JOIN N", "JOIN plain.nodes") \
                   .replace("FROM N", "FROM plain.nodes")
        first, warm, ours = timed(db, ours_q, args.repeat)
        _, base, theirs = timed(db, plain_q, args.repeat)
        ok = same(ours, theirs)
        bad += not ok
        ratios.append(warm / base)
        print(f"{name:42s} {first:10.4f} {warm:10.4f} {base:9.4f} {warm / base:6.2f}x  "
              f"{'yes' if ok else 'NO'}", flush=True)
        if not ok:
            log(f"  ours:  {ours[:5]}\n  plain: {theirs[:5]}")
    if ratios:
        print(f"median ratio {statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x"
              f"{'' if not bad else f'; {bad} answers DIFFER'}")
    db.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
