#!/usr/bin/python3
"""Writes through SQL: Samverkan side by side with plain SQLite tables.

The measures of issue #11 section 4, and the hand-over of write access
between two processes (section 3), on one generated collaboration graph:

  * commit, then 1-hop: a transaction adding one node and one edge to the
    hub, then the hub's neighbours counted (1 hop, then also 2 hops);
    beside it the warm 2-hop with no commit before, which a small commit
    should cost about as much as (issue #19: commits are deltas), and the
    2-hop after the same 0.5 s pause as the commits' with no commit: the
    warm one runs back to back, with its memory in the CPU's caches;
  * first traversal after opening: a new connection opens the database and
    counts the hub's neighbours;
  * bulk transaction: 20k nodes and 100k edges in one BEGIN ... COMMIT
    through executemany;
  * hand-over: two processes add a node in turns; each insert must take
    write access from the other process.

Plain SQLite holds the same graph as tables nodes(id, ...) and edges(src,
dst, type, weight) with indexes on src and dst, the baseline an analyst
would otherwise use. Each measure is the median of --repeat runs.

    /usr/bin/python3 bench/transactions_bench.py medium --extension build/samverkan
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from bench_graphs import resolve_graph, with_headers

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
HEADERS = (":ID,:LABEL,name,sector,region", ":START_ID,:END_ID,:TYPE,weight:float")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# time.perf_counter (wall time), or time.thread_time with --clock cpu: the
# CPU time of the thread that runs the statements, which leaves out waiting
# for the disk (a commit's syncs) and for a busy machine's cores.
CLOCK = time.perf_counter


def timed(fn) -> float:
    start = CLOCK()
    fn()
    return CLOCK() - start


# --------------------------------------------------------------------------
# The two stores
# --------------------------------------------------------------------------

class Samverkan:
    name = "samverkan"

    def __init__(self, scratch: Path, extension: Path):
        self.db_path = scratch / "samverkan.sqlite"
        self.kg_path = scratch / "samverkan.kg"
        self.extension = extension

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, isolation_level=None)
        conn.enable_load_extension(True)
        conn.load_extension(str(self.extension))
        return conn

    def load(self, graph_dir: Path, scratch: Path) -> None:
        csv_dir = with_headers(graph_dir, scratch / "samverkan-csv", *HEADERS)
        conn = self.connect()
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{self.kg_path}')")
        conn.execute("SELECT kg_import('kg', ?, 'csv')", (str(csv_dir),))
        conn.close()

    def add_node_and_edge(self, conn, key: str, hub: int) -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (key,))
        conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'participates_in', ?)",
                     (key, str(hub)))
        conn.execute("COMMIT")

    def hop(self, conn, hub: int, depth: int) -> int:
        return conn.execute("SELECT count(*) FROM kg_neighbors('kg', ?, ?)",
                            (str(hub), depth)).fetchone()[0]

    def bulk(self, conn, nodes: list[str], edges: list[tuple[str, int]]) -> None:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')",
                         [(k,) for k in nodes])
        conn.executemany("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'participates_in', ?)",
                         [(k, str(d)) for k, d in edges])
        conn.execute("COMMIT")

    INSERT_ONE = "INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')"


class PlainSqlite:
    name = "plain SQLite"

    def __init__(self, scratch: Path):
        self.db_path = scratch / "plain.sqlite"

    def connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, isolation_level=None)

    def load(self, graph_dir: Path, scratch: Path) -> None:
        conn = self.connect()
        conn.execute("PRAGMA journal_mode = wal")
        conn.executescript("""
            CREATE TABLE nodes(id TEXT PRIMARY KEY, label TEXT, name TEXT, sector TEXT,
                               region TEXT);
            CREATE TABLE edges(src TEXT, dst TEXT, type TEXT, weight REAL);
        """)
        conn.execute("BEGIN")
        with open(graph_dir / "nodes.csv", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            conn.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?)", rows)
        with open(graph_dir / "edges.csv", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        conn.execute("CREATE INDEX edges_src ON edges(src)")
        conn.execute("CREATE INDEX edges_dst ON edges(dst)")
        conn.close()

    def add_node_and_edge(self, conn, key: str, hub: int) -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO nodes(id, label) VALUES (?, 'actor')", (key,))
        conn.execute("INSERT INTO edges VALUES (?, ?, 'participates_in', NULL)", (key, str(hub)))
        conn.execute("COMMIT")

    def hop(self, conn, hub: int, depth: int) -> int:
        # The query of bench/traversal_bench.py: each direction through its index.
        return conn.execute("""
            WITH RECURSIVE reach(id, d) AS (
              SELECT ?1, 0
              UNION
              SELECT e.dst, r.d + 1 FROM reach r JOIN edges e ON e.src = r.id WHERE r.d < ?2
              UNION
              SELECT e.src, r.d + 1 FROM reach r JOIN edges e ON e.dst = r.id WHERE r.d < ?2)
            SELECT count(DISTINCT id) - 1 FROM reach""", (str(hub), depth)).fetchone()[0]

    def bulk(self, conn, nodes: list[str], edges: list[tuple[str, int]]) -> None:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO nodes(id, label) VALUES (?, 'actor')", [(k,) for k in nodes])
        conn.executemany("INSERT INTO edges VALUES (?, ?, 'participates_in', NULL)",
                         [(k, str(d)) for k, d in edges])
        conn.execute("COMMIT")

    INSERT_ONE = "INSERT INTO nodes(id, label) VALUES (?, 'actor')"


# --------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------

def commit_then_hop(store, hub: int, depth: int, repeat: int, tag: str) -> float:
    conn = store.connect()
    store.hop(conn, hub, depth)  # warm: whatever a store caches is built
    samples = []
    for i in range(repeat):
        key = f"{tag}-{depth}-{i}"
        samples.append(timed(lambda: (store.add_node_and_edge(conn, key, hub),
                                      store.hop(conn, hub, depth))))
        time.sleep(0.5)  # a pause between edits, as an analyst makes them
    conn.close()
    return median_ms(samples)


def warm_hop(store, hub: int, depth: int, repeat: int) -> float:
    conn = store.connect()
    store.hop(conn, hub, depth)  # warm
    samples = [timed(lambda: store.hop(conn, hub, depth)) for _ in range(repeat)]
    conn.close()
    return median_ms(samples)


def paused_hop(store, hub: int, depth: int, repeat: int) -> float:
    """The hop after the same pause as commit_then_hop's, with no commit:
    what the pause alone costs (caches and the CPU gone cold, other
    processes run) against the warm hop, which runs back to back."""
    conn = store.connect()
    store.hop(conn, hub, depth)  # warm
    samples = []
    for _ in range(repeat):
        time.sleep(0.5)
        samples.append(timed(lambda: store.hop(conn, hub, depth)))
    conn.close()
    return median_ms(samples)


def first_traversal(store, hub: int, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        def run():
            conn = store.connect()
            store.hop(conn, hub, 1)
            conn.close()
        samples.append(timed(run))
    return median_ms(samples)


def bulk_transaction(store, n_existing: int, repeat: int, tag: str) -> float:
    samples = []
    rng = random.Random(42)
    for r in range(repeat):
        nodes = [f"{tag}-bulk{r}-{i}" for i in range(20_000)]
        # Distinct (src, dst) pairs: kg_edges refuses a second edge of the
        # same type between the same nodes, as a table with that unique key
        # would, and both stores get the same rows.
        edges = list(dict.fromkeys(
            (nodes[rng.randrange(len(nodes))], rng.randrange(n_existing))
            for _ in range(100_000)))
        while len(edges) < 100_000:
            edges = list(dict.fromkeys(
                edges + [(nodes[rng.randrange(len(nodes))], rng.randrange(n_existing))]))
        conn = store.connect()
        samples.append(timed(lambda: store.bulk(conn, nodes, edges)))
        conn.close()
    return median_ms(samples)


# A process that inserts one node per line read, answering with the seconds
# the insert took.
TURN_TAKER = textwrap.dedent("""
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    if sys.argv[2]:
        db.enable_load_extension(True)
        db.load_extension(sys.argv[2])
    insert = sys.argv[3]
    for line in sys.stdin:
        start = time.perf_counter()
        db.execute(insert, (line.strip(),))
        print(time.perf_counter() - start, flush=True)
""")


def hand_over(store, extension: str, repeat: int, tag: str, alternate: bool) -> float:
    procs = [subprocess.Popen(["/usr/bin/python3", "-c", TURN_TAKER, str(store.db_path),
                               extension, store.INSERT_ONE],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    samples = []
    try:
        for i in range(2 * repeat + 2):
            p = procs[i % 2] if alternate else procs[0]
            p.stdin.write(f"{tag}-turn-{int(alternate)}-{i}\n")
            p.stdin.flush()
            seconds = float(p.stdout.readline())
            if i >= 2:  # the first two open the graph
                samples.append(seconds)
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=60)
    return median_ms(samples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", help="small, medium, large, N_NODES:N_EDGES or a directory")
    ap.add_argument("--extension", type=Path, default=REPO / "build" / "samverkan",
                    help="the loadable extension, without .so (default: build/samverkan)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=BENCH_DIR / "data")
    ap.add_argument("--generator", help="gen_collab_graph.py, if not in ../shared/bench/")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--samverkan-only", action="store_true",
                    help="leave plain SQLite out (its 2-hop on large takes minutes); for "
                         "measures compared with Samverkan's own warm query")
    ap.add_argument("--only", action="append", default=[], metavar="WORD",
                    help="run only the measures whose title has WORD (repeatable), "
                         "e.g. --only 1-hop --only opening")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall time (default), or the CPU time of the thread running the "
                         "statements: steadier on a shared machine, but without a commit's "
                         "syncs or any background work (the hand-over measures stay wall time)")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter

    graph_dir = resolve_graph(args.graph, args.workdir, args.generator)
    params = json.loads((graph_dir / "params.json").read_text())
    hub, n_nodes = params["hub"], params["nodes"]
    scratch = Path(tempfile.mkdtemp(prefix="sv-txn-bench-"))
    results: dict[str, dict[str, float]] = {}
    try:
        sv = Samverkan(scratch, args.extension)
        plain = PlainSqlite(scratch)
        stores = (sv,) if args.samverkan_only else (sv, plain)
        for store in stores:
            print(f"loading {args.graph} into {store.name} ...", file=sys.stderr, flush=True)
            store.load(graph_dir, scratch)
        ext = str(args.extension)
        measures = {
            "commit one node + one edge, then 1-hop from the hub (ms)":
                lambda s, t: commit_then_hop(s, hub, 1, args.repeat, t),
            "commit one node + one edge, then 2-hop from the hub (ms)":
                lambda s, t: commit_then_hop(s, hub, 2, args.repeat, t),
            "warm 2-hop from the hub, no commit before (ms)":
                lambda s, t: warm_hop(s, hub, 2, args.repeat),
            "2-hop from the hub after a 0.5 s pause, no commit (ms)":
                lambda s, t: paused_hop(s, hub, 2, args.repeat),
            "first 1-hop from the hub after opening (ms)":
                lambda s, t: first_traversal(s, hub, args.repeat),
            "20k nodes + 100k edges in one transaction (ms)":
                lambda s, t: bulk_transaction(s, n_nodes, max(1, args.repeat // 2), t),
            "insert one node, the other process wrote last (ms)":
                lambda s, t: hand_over(s, ext if s is sv else "", args.repeat, t, True),
            "insert one node, this process wrote last (ms)":
                lambda s, t: hand_over(s, ext if s is sv else "", args.repeat, t, False),
        }
        for title, measure in measures.items():
            if args.only and not any(word in title for word in args.only):
                continue
            results[title] = {}
            for store in stores:
                print(f"{title}: {store.name} ...", file=sys.stderr, flush=True)
                results[title][store.name] = measure(store, store.name.replace(" ", "_"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if args.json:
        print(json.dumps({"graph": args.graph, "clock": args.clock, "results": results},
                         indent=1))
        return 0
    print(f"\n{args.graph}: median of {args.repeat} ({args.clock} time)\n")
    print(f"| measure | Samverkan | plain SQLite | ratio |\n|---|---:|---:|---:|")
    for title, r in results.items():
        a, b = r["samverkan"], r.get("plain SQLite")
        if b is None:
            print(f"| {title} | {a:.1f} | | |")
        else:
            print(f"| {title} | {a:.1f} | {b:.1f} | {a / b:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
