#!/usr/bin/python3
"""Readers beside a steady writer: several processes query, one commits.

Issue #19's "readers beside a steady writer": on one generated collaboration
graph, imported with `samverkan import --bulk`, three reader processes run a
2-hop from the busiest actor in a loop through Python's sqlite3 with the
extension, as an analyst would (each statement sees the latest commit), while
one writer process commits a node and an edge to that actor every ~15 ms.
Each phase runs --seconds: first the readers alone, then beside the writer.
Reported per reader: p50 and p99 of the 2-hop, queries and errors; for the
writer, commits and errors; at the end every acknowledged write must be in
the graph.

With --baseline-extension (and --baseline-cli), an older build runs the
same phases on its own import of the same graph in the same run, so that
before and after are measured side by side on one (shared) machine.

    /usr/bin/python3 bench/steady_writer_bench.py medium \\
        --extension build/samverkan --cli build/bin/samverkan \\
        --baseline-extension /tmp/old/samverkan --baseline-cli /tmp/old/samverkan
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bench_graphs import resolve_graph, with_headers

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
HEADERS = (":ID,:LABEL,name,sector,region", ":START_ID,:END_ID,:TYPE,weight:float")

# Both kinds of process print "ready" once connected (and, for readers, once
# the first 2-hop has opened the graph), wait for a line on stdin, run for
# the given seconds and print one JSON line.
READER = textwrap.dedent("""
    import json, sqlite3, sys, time
    db, ext, hub, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    conn = sqlite3.connect(db, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(ext)
    conn.execute("PRAGMA busy_timeout = 10000")
    query = "SELECT count(*) FROM kg_neighbors('kg', ?, 2)"
    conn.execute(query, (hub,)).fetchone()
    print("ready", flush=True)
    sys.stdin.readline()
    samples, errors, last = [], [], None
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        try:
            last = conn.execute(query, (hub,)).fetchone()[0]
            samples.append(time.perf_counter() - start)
        except sqlite3.Error as e:
            errors.append(str(e))
    print(json.dumps({"samples": samples, "errors": errors, "last": last}), flush=True)
""")

WRITER = textwrap.dedent("""
    import json, sqlite3, sys, time
    db, ext, hub, seconds, interval, tag = (sys.argv[1], sys.argv[2], sys.argv[3],
                                            float(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    conn = sqlite3.connect(db, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(ext)
    conn.execute("PRAGMA busy_timeout = 10000")
    print("ready", flush=True)
    sys.stdin.readline()
    acked, errors = [], []
    end = time.perf_counter() + seconds
    tick = time.perf_counter()
    i = 0
    while time.perf_counter() < end:
        key = f"{tag}-{i}"
        i += 1
        try:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (key,))
            conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'participates_in', ?)",
                         (key, hub))
            conn.execute("COMMIT")
            acked.append(key)
        except sqlite3.Error as e:
            errors.append(str(e))
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        tick += interval
        pause = tick - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            tick = time.perf_counter()
    print(json.dumps({"acked": acked, "errors": errors}), flush=True)
""")


def percentile_ms(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def connect(db: Path, extension: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(extension)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def prepare(cli: str, extension: str, csv_dir: Path, scratch: Path, name: str) -> Path:
    """Imports the graph with `cli import --bulk` and makes the SQLite file
    that names it; returns the SQLite file."""
    kg = scratch / f"{name}.kg"
    subprocess.run([cli, "import", "--bulk", "-q", str(kg), str(csv_dir)], check=True)
    db = scratch / f"{name}.sqlite"
    conn = connect(db, extension)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{kg}')")
    conn.close()
    return db


def run_phase(db: Path, extension: str, hub: str, readers: int, seconds: float,
              writer: bool, interval: float, tag: str) -> dict:
    procs = [subprocess.Popen(["/usr/bin/python3", "-c", READER, str(db), extension, hub,
                               str(seconds)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for _ in range(readers)]
    if writer:
        procs.append(subprocess.Popen(["/usr/bin/python3", "-c", WRITER, str(db), extension, hub,
                                       str(seconds), str(interval), tag],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    try:
        for p in procs:
            line = p.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"a process did not start: {line!r}")
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        out = [json.loads(p.stdout.readline()) for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=120)
    return {"readers": out[:readers], "writer": out[readers] if writer else None}


def missing_writes(db: Path, extension: str, hub: str, acked: list[str]) -> int:
    conn = connect(db, extension)
    missing = 0
    for key in acked:
        n = conn.execute("SELECT count(*) FROM kg_edges WHERE src = ? AND dst = ? "
                         "AND type = 'participates_in'", (key, hub)).fetchone()[0]
        missing += n != 1
    conn.close()
    return missing


def measure(name: str, cli: str, extension: str, csv_dir: Path, scratch: Path, hub: str,
            args) -> dict:
    print(f"{name}: importing ...", file=sys.stderr, flush=True)
    db = prepare(cli, extension, csv_dir, scratch, name.replace(" ", "_"))
    print(f"{name}: readers alone ...", file=sys.stderr, flush=True)
    alone = run_phase(db, extension, hub, args.readers, args.seconds, False, 0, "")
    print(f"{name}: readers beside the writer ...", file=sys.stderr, flush=True)
    busy = run_phase(db, extension, hub, args.readers, args.seconds, True,
                     args.interval_ms / 1000, f"sw-{name.replace(' ', '_')}")
    acked = busy["writer"]["acked"]
    return {"alone": alone, "busy": busy, "missing": missing_writes(db, extension, hub, acked)}


def summary(name: str, r: dict) -> list[str]:
    lines = []
    ratios = []
    for i, (a, b) in enumerate(zip(r["alone"]["readers"], r["busy"]["readers"])):
        a50, a99 = percentile_ms(a["samples"], 50), percentile_ms(a["samples"], 99)
        b50, b99 = percentile_ms(b["samples"], 50), percentile_ms(b["samples"], 99)
        ratios.append(b50 / a50)
        lines.append(f"| {name} | reader {i + 1} | {a50:.2f} | {a99:.2f} | {len(a['samples'])} | "
                     f"{b50:.2f} | {b99:.2f} | {len(b['samples'])} | "
                     f"{len(a['errors']) + len(b['errors'])} | {b50 / a50:.1f}x |")
    w = r["busy"]["writer"]
    lines.append(f"| {name} | writer | | | | | | {len(w['acked'])} commits | {len(w['errors'])} "
                 f"| {r['missing']} acknowledged writes missing |")
    for reader in r["alone"]["readers"] + r["busy"]["readers"]:
        for e in reader["errors"][:3]:
            lines.append(f"|   error: {e} |")
    for e in w["errors"][:3]:
        lines.append(f"|   writer error: {e} |")
    return lines, statistics.median(ratios)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("graph", help="small, medium, large, N_NODES:N_EDGES or a directory")
    ap.add_argument("--extension", default=str(REPO / "build" / "samverkan"))
    ap.add_argument("--cli", default=str(REPO / "build" / "bin" / "samverkan"))
    ap.add_argument("--baseline-extension", help="an older build's extension, run first")
    ap.add_argument("--baseline-cli", help="that build's samverkan tool (imports its graph)")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--readers", type=int, default=3)
    ap.add_argument("--interval-ms", type=float, default=15)
    ap.add_argument("--workdir", type=Path, default=BENCH_DIR / "data")
    ap.add_argument("--generator", help="gen_collab_graph.py, if not in ../shared/bench/")
    ap.add_argument("--json", type=Path, help="also write every sample to this file")
    args = ap.parse_args()

    graph_dir = resolve_graph(args.graph, args.workdir, args.generator)
    hub = str(json.loads((graph_dir / "params.json").read_text())["hub"])
    scratch = Path(tempfile.mkdtemp(prefix="sv-steady-writer-"))
    results = {}
    try:
        csv_dir = with_headers(graph_dir, scratch / "csv", *HEADERS)
        variants = []
        if args.baseline_extension:
            variants.append(("before", args.baseline_cli or args.cli, args.baseline_extension))
        variants.append(("after", args.cli, args.extension))
        for name, cli, ext in variants:
            results[name] = measure(name, cli, ext, csv_dir, scratch, hub, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results))

    print(f"\n{args.graph}: {args.readers} readers, 2-hop from the busiest actor ({hub}); "
          f"writer: a node and an edge every {args.interval_ms:g} ms; {args.seconds:g} s each\n")
    print("| build | process | p50 alone (ms) | p99 alone | queries | p50 beside writer (ms) "
          "| p99 | queries | errors | p50 ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    medians = {}
    for name, r in results.items():
        lines, medians[name] = summary(name, r)
        print("\n".join(lines))
    print()
    for name, m in medians.items():
        print(f"{name}: median reader p50 beside the writer / alone = {m:.1f}x")
    ok = all(r["missing"] == 0 for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
