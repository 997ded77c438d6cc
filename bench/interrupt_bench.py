#!/usr/bin/python3
"""How soon long statements stop when interrupted.

Loads a generated graph with kg_import, then runs each long statement and
calls conn.interrupt() (sqlite3_interrupt, what Ctrl-C does in the shell)
after --after seconds, and prints the milliseconds from the interrupt to the
statement's error, per run. #10's goal is 100 ms.

    /usr/bin/python3 bench/interrupt_bench.py medium --extension build/samverkan
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_graphs import REPO, resolve_graph, with_headers  # noqa: E402

STATEMENTS = (
    "SELECT count(*) FROM kg_betweenness('kg')",
    "SELECT count(*) FROM kg_closeness('kg')",
    "SELECT count(*) FROM kg_communities('kg')",
    "SELECT count(*) FROM kg_pagerank('kg', 0.85, 100000, 0)",
    "SELECT kg_export('kg', 'jsonl', :out)",
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", nargs="?", default="medium")
    ap.add_argument("--extension", default=str(REPO / "build" / "samverkan"))
    ap.add_argument("--workdir", default=str(REPO / "bench" / "data"))
    ap.add_argument("--generator")
    ap.add_argument("--after", type=float, default=0.3, help="seconds before the interrupt")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    graph_dir = resolve_graph(args.graph, Path(args.workdir), args.generator)
    with tempfile.TemporaryDirectory(prefix="sv-interrupt-") as tmp:
        csv_dir = with_headers(graph_dir, Path(tmp) / "csv", ":ID,:LABEL,name,sector,region",
                               ":START_ID,:END_ID,:TYPE,weight:float")
        db = sqlite3.connect(str(Path(tmp) / "g.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(args.extension)
        db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp}/g.kg')")
        db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csv_dir),))
        db.execute("SELECT count(*) FROM kg_components('kg')").fetchall()  # the snapshot
        print(f"graph: {graph_dir}; interrupt after {args.after} s; ms from the interrupt "
              f"to the error, {args.repeat} runs\n")
        print("| statement | ms |\n|---|---|")
        for sql in STATEMENTS:
            stopped = []
            for _ in range(args.repeat):
                fired = [0.0]

                def fire(fired=fired):
                    fired[0] = time.perf_counter()
                    db.interrupt()

                timer = threading.Timer(args.after, fire)
                timer.start()
                try:
                    db.execute(sql, {"out": f"{tmp}/out.jsonl"}).fetchall()
                    timer.cancel()
                    stopped.append("finished first")
                except sqlite3.OperationalError:
                    stopped.append(f"{(time.perf_counter() - fired[0]) * 1000:.1f}")
                timer.join()
            print(f"| `{sql}` | {', '.join(stopped)} |")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
