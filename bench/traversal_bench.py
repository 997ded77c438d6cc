#!/usr/bin/python3
"""Traversal benchmark: Samverkan side by side with the tools analysts use today.

Every contender loads the same generated collaboration graph and answers the same
queries, treating edges as undirected:

  * k-hop: how many distinct nodes lie within 2 and 3 hops of the hub and of the
    median-degree node (the start node is not counted);
  * shortest paths: the unweighted path length for the 10 pairs in params.json.

Each operation is timed as the median of --repeat runs; load is timed once.  The
answers of all contenders must agree: any disagreement is printed loudly and the
script exits with status 1, because a fast wrong answer is not a result.

Run `bench/traversal_bench.py --help`, and see bench/README.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from bench_graphs import resolve_graph, with_headers

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent


class QueryTimeout(Exception):
    """A query ran past --timeout-per-query."""


# --------------------------------------------------------------------------
# Reading the generated graph (each contender parses the CSV itself, inside its
# timed load, because turning a CSV export into a queryable graph is the cost an
# analyst pays).
# --------------------------------------------------------------------------

def iter_edges(graph_dir: Path) -> Iterator[tuple[int, int, str, float]]:
    """Yield (src, dst, type, weight) from edges.csv."""
    with open(graph_dir / "edges.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)  # header: src,dst,type,weight
        for src, dst, etype, weight in rows:
            yield int(src), int(dst), etype, float(weight)


def iter_nodes(graph_dir: Path) -> Iterator[tuple[int, str, str]]:
    """Yield (id, label, name) from nodes.csv."""
    with open(graph_dir / "nodes.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)  # header: id,label,name,sector,region
        for node_id, label, name, _sector, _region in rows:
            yield int(node_id), label, name


def read_params(graph_dir: Path) -> dict:
    with open(graph_dir / "params.json") as f:
        return json.load(f)


# --------------------------------------------------------------------------
# Contender interface and registry
# --------------------------------------------------------------------------

@dataclass
class Settings:
    """Options some contenders need; one object so constructors stay uniform."""
    scratch: Path              # private temp dir for database files of this run
    extension: Path            # samverkan loadable extension
    cte_max_depth: int = 6     # depth bound of the plain-SQLite path CTE


class Contender:
    """One system under test.

    Subclasses implement load/khop/shortest_path_len.  A contender that cannot run
    here (library or extension missing) says why in unavailable(); it is then
    skipped with a note rather than failing the whole comparison.
    """
    name = "base"
    description = ""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.deadline: float | None = None

    def unavailable(self) -> str | None:
        """Reason this contender cannot run, or None."""
        return None

    def version(self) -> str:
        return ""

    def load(self, graph_dir: Path) -> float:
        """Load the graph from CSV; return the seconds it took."""
        raise NotImplementedError

    def khop(self, node: int, k: int) -> int:
        """Distinct nodes within k undirected hops of node, node itself excluded."""
        raise NotImplementedError

    def shortest_path_len(self, a: int, b: int) -> int | None:
        """Unweighted undirected shortest path length, None if unreachable."""
        raise NotImplementedError

    def set_deadline(self, deadline: float | None) -> None:
        """Absolute perf_counter() time the next query should give up at.

        The base class only remembers it (the runner then notices overruns after
        the fact); contenders that can interrupt a running query do so.
        """
        self.deadline = deadline

    def close(self) -> None:
        """Release memory and files so the next contender starts clean."""


REGISTRY: dict[str, type[Contender]] = {}


def register(cls: type[Contender]) -> type[Contender]:
    """Class decorator: make a contender selectable by --contenders."""
    REGISTRY[cls.name] = cls
    return cls


class SqliteDeadlineMixin:
    """Abort a running SQLite statement at the deadline (progress handler)."""

    def _install_deadline(self, conn: sqlite3.Connection) -> None:
        def check() -> int:
            return int(self.deadline is not None and time.perf_counter() > self.deadline)
        conn.set_progress_handler(check, 10_000)

    def _run(self, conn: sqlite3.Connection, sql: str, params: dict):
        """Execute and fetch one row, mapping an interrupt to QueryTimeout."""
        try:
            return conn.execute(sql, params).fetchone()
        except sqlite3.OperationalError as e:
            if "interrupted" in str(e):
                raise QueryTimeout() from None
            raise


# --------------------------------------------------------------------------
# a. plain SQLite: what an analyst writes today
# --------------------------------------------------------------------------

@register
class PlainSqlite(SqliteDeadlineMixin, Contender):
    """Edge table indexed on src and dst; recursive CTEs.

    Undirected traversal uses two recursive SELECTs (one per index) instead of an
    OR join, so each step is an index lookup.  UNION dedupes (node, depth) rows,
    the most a recursive CTE can dedupe while still carrying the depth.
    """
    name = "sqlite"
    description = "plain SQLite: indexed edge table + recursive CTE"

    SCHEMA = [
        "CREATE TABLE edges(src INTEGER, dst INTEGER, type TEXT, weight REAL)",
    ]
    INDEXES = [
        "CREATE INDEX edges_src ON edges(src)",
        "CREATE INDEX edges_dst ON edges(dst)",
    ]
    INSERT = "INSERT INTO edges(src, dst, type, weight) VALUES (?, ?, ?, ?)"

    KHOP = """
        WITH RECURSIVE reach(node, depth) AS (
            SELECT :start, 0
            UNION
            SELECT e.dst, r.depth + 1 FROM reach r JOIN edges e ON e.src = r.node
             WHERE r.depth < :k
            UNION
            SELECT e.src, r.depth + 1 FROM reach r JOIN edges e ON e.dst = r.node
             WHERE r.depth < :k
        )
        SELECT count(DISTINCT node) - 1 FROM reach"""

    # ORDER BY inside the CTE makes SQLite's queue a priority queue on depth
    # (documented), so rows come out in BFS order; the outer LIMIT 1 then stops
    # the co-routine at the first time the target appears, i.e. its distance.
    # The depth bound only matters when the target is unreachable or far.
    PATH = """
        WITH RECURSIVE bfs(node, depth) AS (
            SELECT :a, 0
            UNION
            SELECT e.dst, b.depth + 1 FROM bfs b JOIN edges e ON e.src = b.node
             WHERE b.depth < :max_depth
            UNION
            SELECT e.src, b.depth + 1 FROM bfs b JOIN edges e ON e.dst = b.node
             WHERE b.depth < :max_depth
            ORDER BY 2
        )
        SELECT depth FROM bfs WHERE node = :b LIMIT 1"""

    def version(self) -> str:
        return sqlite3.sqlite_version

    def load(self, graph_dir: Path) -> float:
        db = self.settings.scratch / "plain.sqlite"
        start = time.perf_counter()
        self.conn = sqlite3.connect(db, isolation_level=None)
        for sql in self.SCHEMA:
            self.conn.execute(sql)
        self.conn.execute("BEGIN")
        self.conn.executemany(self.INSERT, iter_edges(graph_dir))
        self.conn.execute("COMMIT")
        for sql in self.INDEXES:
            self.conn.execute(sql)
        seconds = time.perf_counter() - start
        self._install_deadline(self.conn)
        return seconds

    def khop(self, node: int, k: int) -> int:
        return self._run(self.conn, self.KHOP, {"start": node, "k": k})[0]

    def shortest_path_len(self, a: int, b: int) -> int | None:
        row = self._run(self.conn, self.PATH,
                        {"a": a, "b": b, "max_depth": self.settings.cte_max_depth})
        return None if row is None else row[0]

    def close(self) -> None:
        if getattr(self, "conn", None) is not None:
            self.conn.close()
            self.conn = None


# --------------------------------------------------------------------------
# b. NetworkX
# --------------------------------------------------------------------------

@register
class NetworkX(Contender):
    """nx.Graph; BFS with cutoff for k-hop, bidirectional BFS for paths."""
    name = "networkx"
    description = "NetworkX nx.Graph (pure Python)"

    def unavailable(self) -> str | None:
        try:
            import networkx  # noqa: F401
        except ImportError:
            return "python module networkx not installed (apt install python3-networkx)"
        return None

    def version(self) -> str:
        import networkx as nx
        return nx.__version__

    def load(self, graph_dir: Path) -> float:
        import networkx as nx
        start = time.perf_counter()
        graph = nx.Graph()
        graph.add_nodes_from(node for node, _label, _name in iter_nodes(graph_dir))
        graph.add_edges_from((src, dst) for src, dst, _t, _w in iter_edges(graph_dir))
        self.graph = graph
        return time.perf_counter() - start

    def khop(self, node: int, k: int) -> int:
        import networkx as nx
        return len(nx.single_source_shortest_path_length(self.graph, node, cutoff=k)) - 1

    def shortest_path_len(self, a: int, b: int) -> int | None:
        import networkx as nx
        try:
            return len(nx.bidirectional_shortest_path(self.graph, a, b)) - 1
        except nx.NetworkXNoPath:
            return None

    def close(self) -> None:
        self.graph = None


# --------------------------------------------------------------------------
# c. igraph
# --------------------------------------------------------------------------

@register
class IGraph(Contender):
    """Undirected igraph.Graph; node ids are the generator's dense integer ids."""
    name = "igraph"
    description = "python-igraph (C core)"

    def unavailable(self) -> str | None:
        try:
            import igraph  # noqa: F401
        except ImportError:
            return "python module igraph not installed (apt install python3-igraph)"
        return None

    def version(self) -> str:
        import igraph
        return igraph.__version__

    def load(self, graph_dir: Path) -> float:
        import igraph
        start = time.perf_counter()
        n_nodes = sum(1 for _ in iter_nodes(graph_dir))
        edges = [(src, dst) for src, dst, _t, _w in iter_edges(graph_dir)]
        self.graph = igraph.Graph(n=n_nodes, edges=edges, directed=False)
        return time.perf_counter() - start

    def khop(self, node: int, k: int) -> int:
        return self.graph.neighborhood_size(node, order=k, mindist=1)

    def shortest_path_len(self, a: int, b: int) -> int | None:
        # get_shortest_paths stops its BFS once the target is reached;
        # distances() would explore the whole component.
        path = self.graph.get_shortest_paths(a, to=b, output="vpath")[0]
        return len(path) - 1 if path else None

    def close(self) -> None:
        self.graph = None


# --------------------------------------------------------------------------
# d. Samverkan, through its SQLite loadable extension
# --------------------------------------------------------------------------

@register
class Samverkan(SqliteDeadlineMixin, Contender):
    """Samverkan via /usr/bin/python3's sqlite3 and the loadable extension.

    All SQL lives in the constants below so it can follow the extension's API.
    Node keys are the generator ids as text ('123'). Load is kg_import of the
    generator's CSVs, their header lines rewritten (untimed) to our
    convention (docs/formats.md): the bulk path, as an analyst would load.
    """
    name = "samverkan"
    description = "Samverkan SQLite extension (RocksDB + CSR)"

    CREATE = "CREATE VIRTUAL TABLE kg USING samverkan(path='{path}')"
    IMPORT = "SELECT kg_import('kg', :dir, 'csv')"
    HEADERS = (":ID,:LABEL,name,sector,region", ":START_ID,:END_ID,:TYPE,weight:float")
    # Expected: the nodes within :depth hops, both directions, start excluded.
    KHOP = "SELECT count(*) FROM kg_neighbors('kg', :key, :depth)"
    # Expected: one row per node on the path, step 0 = :a; NULL if no path.
    PATH = "SELECT max(step) FROM kg_shortest_path('kg', :a, :b)"

    @staticmethod
    def key(node: int) -> str:
        return str(node)

    def unavailable(self) -> str | None:
        if not self.settings.extension.exists():
            return (f"extension {self.settings.extension} not found "
                    "(build it, or pass --extension)")
        return None

    def version(self) -> str:
        return str(self.settings.extension)

    def connect(self) -> sqlite3.Connection:
        """Open the SQLite database, load the extension, create the graph."""
        db = self.settings.scratch / "samverkan.sqlite"
        kg_path = str(self.settings.scratch / "samverkan.kg").replace("'", "''")
        conn = sqlite3.connect(db, isolation_level=None)
        conn.enable_load_extension(True)
        conn.load_extension(str(self.settings.extension))
        conn.enable_load_extension(False)
        conn.execute(self.CREATE.format(path=kg_path))
        return conn

    def csv_dir(self, graph_dir: Path) -> Path:
        """The generator's CSVs with our header lines, written once (untimed)."""
        return with_headers(graph_dir, self.settings.scratch / "samverkan-csv", *self.HEADERS)

    def load(self, graph_dir: Path) -> float:
        csv_dir = self.csv_dir(graph_dir)
        start = time.perf_counter()
        self.conn = conn = self.connect()
        conn.execute(self.IMPORT, {"dir": str(csv_dir)})
        seconds = time.perf_counter() - start
        self._install_deadline(conn)
        return seconds

    def khop(self, node: int, k: int) -> int:
        return self._run(self.conn, self.KHOP, {"key": self.key(node), "depth": k})[0]

    def shortest_path_len(self, a: int, b: int) -> int | None:
        row = self._run(self.conn, self.PATH, {"a": self.key(a), "b": self.key(b)})
        return None if row is None else row[0]

    def close(self) -> None:
        if getattr(self, "conn", None) is not None:
            self.conn.close()
            self.conn = None


# --------------------------------------------------------------------------
# Operations: what gets timed
# --------------------------------------------------------------------------

@dataclass
class Query:
    key: str                                   # identifies the answer across contenders
    call: Callable[[Contender], int | None]


@dataclass
class Operation:
    name: str
    queries: list[Query]


def build_operations(params: dict) -> list[Operation]:
    """The timed operations, from the hub, median node and pairs in params.json."""
    ops = []
    for label in ("hub", "median"):
        node = params[label]
        for k in (2, 3):
            ops.append(Operation(f"{k}-hop from {label}", [
                Query(f"khop({node},{k})", lambda c, n=node, k=k: c.khop(n, k))]))
    pairs = params["pairs"]
    ops.append(Operation(f"{len(pairs)} shortest paths", [
        Query(f"path({a},{b})", lambda c, a=a, b=b: c.shortest_path_len(a, b))
        for a, b in pairs]))
    return ops


@dataclass
class OpResult:
    status: str = "ok"                         # ok | timeout | error
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.runs) if self.status == "ok" and self.runs else None


@dataclass
class ContenderResult:
    name: str
    status: str = "ok"                         # ok | skipped | error
    note: str = ""
    version: str = ""
    load_seconds: float | None = None
    ops: dict[str, OpResult] = field(default_factory=dict)
    answers: dict[str, int | None] = field(default_factory=dict)
    unstable: list[str] = field(default_factory=list)  # answers that changed between runs


def run_query(contender: Contender, query: Query, timeout: float | None):
    """Run one query; return (answer, seconds) or raise QueryTimeout."""
    start = time.perf_counter()
    contender.set_deadline(None if timeout is None else start + timeout)
    answer = query.call(contender)
    seconds = time.perf_counter() - start
    if timeout is not None and seconds > timeout:
        raise QueryTimeout()  # a contender that cannot interrupt itself ran over
    return answer, seconds


def run_operation(contender: Contender, op: Operation, result: ContenderResult,
                  repeat: int, timeout: float | None) -> OpResult:
    """Time op `repeat` times; a run is the sum of its queries' times.

    A timeout ends the operation (no further queries or runs): on large graphs
    the slow contenders would otherwise take hours.
    """
    out = OpResult()
    for _ in range(repeat):
        total = 0.0
        for query in op.queries:
            try:
                answer, seconds = run_query(contender, query, timeout)
            except QueryTimeout:
                out.status, out.note = "timeout", f"> {timeout:g} s on {query.key}"
                return out
            total += seconds
            if query.key not in result.answers:
                result.answers[query.key] = answer
            elif result.answers[query.key] != answer and query.key not in result.unstable:
                result.unstable.append(query.key)
        out.runs.append(total)
    return out


def run_contender(contender: Contender, graph_dir: Path, ops: list[Operation],
                  repeat: int, timeout: float | None) -> ContenderResult:
    """Load, run every operation, release.  Errors are recorded, not raised,
    so one broken contender does not hide the others' figures."""
    result = ContenderResult(contender.name)
    reason = contender.unavailable()
    if reason:
        result.status, result.note = "skipped", reason
        log(f"[{contender.name}] SKIPPED: {reason}")
        return result
    result.version = contender.version()
    try:
        result.load_seconds = contender.load(graph_dir)
        log(f"[{contender.name}] load: {result.load_seconds:.3f} s")
        for op in ops:
            try:
                op_result = run_operation(contender, op, result, repeat, timeout)
            except Exception as e:  # noqa: BLE001 - report and go on
                op_result = OpResult(status="error", note=f"{type(e).__name__}: {e}")
            result.ops[op.name] = op_result
            log(f"[{contender.name}] {op.name}: {describe_op(op_result)}")
    except Exception as e:  # noqa: BLE001 - load failed
        result.status, result.note = "error", f"load failed: {type(e).__name__}: {e}"
        log(f"[{contender.name}] ERROR: {result.note}")
    finally:
        contender.close()
    return result


def describe_op(r: OpResult) -> str:
    if r.status != "ok":
        return f"{r.status.upper()} {r.note}"
    return f"{r.seconds:.4g} s (runs: {', '.join(f'{s:.4g}' for s in r.runs)})"


# --------------------------------------------------------------------------
# Agreement check
# --------------------------------------------------------------------------

def find_disagreements(results: list[ContenderResult]) -> list[str]:
    """Every query answered by two or more contenders must get one answer."""
    problems = []
    for r in results:
        for key in r.unstable:
            problems.append(f"{key}: {r.name} gave different answers in different runs")
    keys = list(dict.fromkeys(k for r in results for k in r.answers))  # query order
    for key in keys:
        given = {r.name: r.answers[key] for r in results if key in r.answers}
        if len(set(given.values())) > 1:
            detail = ", ".join(f"{name}={value}" for name, value in given.items())
            problems.append(f"{key}: {detail}")
    return problems


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def machine_info() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "mem_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def fmt_seconds(s: float | None) -> str:
    """Three significant digits, without exponents (they hide in a column)."""
    if s is None:
        return "—"
    return f"{s:.3g}" if s >= 0.001 else f"{s:.6f}"


def fmt_ratio(baseline: float | None, s: float | None) -> str:
    if baseline is None or s is None or s <= 0:
        return "—"
    r = baseline / s
    return f"{r:,.0f}×" if r >= 100 else f"{r:.3g}×"


def cell(r: ContenderResult, op: str) -> tuple[str, float | None]:
    """Table cell text and seconds for contender r on operation op."""
    if op == "load":
        if r.load_seconds is None:
            return r.status, None
        return fmt_seconds(r.load_seconds), r.load_seconds
    o = r.ops.get(op)
    if o is None:
        return r.status if r.status != "ok" else "—", None
    if o.status == "timeout":
        return o.note.split(" on ")[0], None
    if o.status == "error":
        return "error", None
    return fmt_seconds(o.seconds), o.seconds


def markdown_table(results: list[ContenderResult], op_names: list[str],
                   baseline: str = PlainSqlite.name) -> str:
    """operation × contender seconds, then each contender's speed-up vs baseline.

    Skipped contenders get no column (the notes under the table say why).
    """
    results = [r for r in results if r.status != "skipped"]
    others = [r for r in results if r.name != baseline]
    base = next((r for r in results if r.name == baseline), None)
    header = ["operation"] + [r.name for r in results]
    if base:
        header += [f"{r.name} vs {baseline}" for r in others]
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    for op in ["load"] + op_names:
        cells = {r.name: cell(r, op) for r in results}
        row = [op] + [cells[r.name][0] for r in results]
        if base:
            row += [fmt_ratio(cells[baseline][1], cells[r.name][1]) for r in others]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def report(results: list[ContenderResult], ops: list[Operation], params: dict,
           machine: dict, args, problems: list[str]) -> str:
    out = [
        f"## Traversal benchmark: {params.get('size', '?')} graph "
        f"({params['nodes']:,} nodes, {params['edges']:,} edges, undirected), "
        f"seconds, median of {args.repeat}",
        "",
        f"Machine: {machine['nproc']} cores, {machine['cpu']}, {machine['mem_gb']} GB RAM; "
        f"Python {machine['python']}",
        "",
        markdown_table(results, [op.name for op in ops]),
        "",
    ]
    if any(r.name == PlainSqlite.name and r.status == "ok" for r in results):
        out.append("Ratios are plain-SQLite seconds / contender seconds "
                   "(higher = faster than SQLite).")
    for r in results:
        line = f"- {r.name}: {REGISTRY[r.name].description}"
        if r.version:
            line += f" [{r.version}]"
        if r.status != "ok":
            line += f" — {r.status.upper()}: {r.note}"
        out.append(line)
        out += [f"  - {op}: {o.status.upper()} {o.note}"
                for op, o in r.ops.items() if o.status != "ok"]
    first = next((r for r in results if r.answers), None)
    if first:
        out += ["", f"Answers ({first.name}): "
                + ", ".join(f"{k}={v}" for k, v in first.answers.items())]
    if problems:
        out += ["", "**DISAGREEMENT between contenders:**"] + [f"- {p}" for p in problems]
    else:
        agreeing = [r.name for r in results if r.answers]
        out += ["", f"All answers agree across: {', '.join(agreeing) or 'nobody'}."]
    return "\n".join(out)


def to_json(results, ops, params, machine, args, problems, graph_dir) -> dict:
    return {
        "benchmark": "traversal",
        "graph": {"dir": str(graph_dir),
                  **{k: v for k, v in params.items() if k != "pairs"},
                  "pairs": params["pairs"]},
        "machine": machine,
        "settings": {"repeat": args.repeat, "timeout_per_query": args.timeout_per_query,
                     "cte_max_depth": args.cte_max_depth},
        "operations": ["load"] + [op.name for op in ops],
        "contenders": {
            r.name: {
                "status": r.status, "note": r.note, "version": r.version,
                "load_seconds": r.load_seconds,
                "ops": {name: {"status": o.status, "seconds": o.seconds,
                               "runs": o.runs, "note": o.note}
                        for name, o in r.ops.items()},
                "answers": r.answers,
            } for r in results
        },
        "disagreements": problems,
        "ok": not problems,
    }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="Side-by-side traversal benchmark (k-hop, shortest paths).")
    ap.add_argument("graph", nargs="?", default="medium",
                    help="small | medium | large | N_NODES:N_EDGES, or a directory "
                         "holding nodes.csv, edges.csv, params.json (default: medium)")
    ap.add_argument("--workdir", type=Path, default=BENCH_DIR / "data",
                    help="where generated graphs are cached and scratch databases "
                         "live (default: bench/data, git-ignored)")
    ap.add_argument("--contenders", default=",".join(REGISTRY),
                    help=f"comma-separated subset of: {', '.join(REGISTRY)} (default: all)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per operation; the median is reported (default: 3)")
    ap.add_argument("--timeout-per-query", type=float, default=None, metavar="SECONDS",
                    help="give up an operation once one of its queries takes longer; "
                         "SQLite-based contenders are interrupted, others are stopped "
                         "after the query returns (default: no limit)")
    ap.add_argument("--extension", type=Path, default=REPO_ROOT / "build" / "samverkan.so",
                    help="Samverkan loadable extension (default: build/samverkan.so)")
    ap.add_argument("--cte-max-depth", type=int, default=6,
                    help="depth bound of the plain-SQLite shortest-path CTE (default: 6)")
    ap.add_argument("--generator", default=None,
                    help="path to gen_collab_graph.py (default: ../shared/bench/ beside "
                         "the repository)")
    ap.add_argument("--json", type=Path, default=None, metavar="FILE",
                    help="also write the results as JSON to FILE")
    args = ap.parse_args(argv)
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    unknown = [c for c in args.contenders if c not in REGISTRY]
    if unknown:
        ap.error(f"unknown contender(s) {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    graph_dir = resolve_graph(args.graph, args.workdir, args.generator)
    params = read_params(graph_dir)
    ops = build_operations(params)
    machine = machine_info()
    log(f"graph {graph_dir}: {params['nodes']:,} nodes, {params['edges']:,} edges; "
        f"contenders: {', '.join(args.contenders)}")

    args.workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".run-", dir=args.workdir))
    try:
        results = []
        for name in args.contenders:
            # Each contender gets its own scratch dir and is closed before the
            # next one loads, so they never compete for memory.
            settings = Settings(scratch=scratch / name, extension=args.extension,
                                cte_max_depth=args.cte_max_depth)
            settings.scratch.mkdir()
            results.append(run_contender(REGISTRY[name](settings), graph_dir, ops,
                                         args.repeat, args.timeout_per_query))
            shutil.rmtree(settings.scratch, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    problems = find_disagreements(results)
    if problems and any(v is None for r in results for v in r.answers.values()):
        problems.append("(a plain-SQLite path of None may just be longer than "
                        f"--cte-max-depth={args.cte_max_depth})")
    print(report(results, ops, params, machine, args, problems))
    if args.json:
        args.json.write_text(json.dumps(
            to_json(results, ops, params, machine, args, problems, graph_dir), indent=1) + "\n")
        log(f"results written to {args.json}")

    errors = [r.name for r in results if r.status == "error"] + [
        f"{r.name}/{op}" for r in results for op, o in r.ops.items() if o.status == "error"]
    if problems:
        log("FAIL: contenders disagree (see the report)")
        return 1
    if errors:
        log(f"FAIL: errors in {', '.join(errors)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
