#!/usr/bin/python3
"""Cypher benchmark: Samverkan's kg_cypher beside Kùzu and beside Samverkan's
own kg_* functions, on one generated collaboration graph, in one run.

    /usr/bin/python3 bench/cypher_bench.py medium
    /usr/bin/python3 bench/cypher_bench.py large --repeat 1 --json large.json

Kùzu comes from npm (`npm install --prefix bench`, see bench/package.json)
and runs in a Node.js child process (bench/kuzu_cypher.js) with the same
graph: node tables actor, project and region, relationship tables
located_in and participates_in, loaded with COPY FROM. The same Cypher text
is used where the dialects agree; they differ in how a node is found (our
`key`, Kùzu's integer primary key `id`) and in k-hop counts, where Kùzu's
`[* SHORTEST 1..k]` (one path per reached node) is its counterpart of our
`[*1..k]` under count(DISTINCT ...) (Kùzu's plain `[*1..k]` enumerates
every walk).

Operations (seconds, median of --repeat runs; the load once):

  2-hop / 3-hop from hub / median   distinct nodes within k hops (start excluded)
  co-participants of hub            the hub's 10 most frequent co-participants
  academia-nonprofit pairs          count of (academia)-[p]-(project)-[p]-(nonprofit) paths
  actors of the biggest region      its 10 actors with most projects
  10 shortest paths                 unweighted path length for params.json's pairs

With --group properties (or all, the default), the property-heavy questions of
issue 19 run too (bench/cypher_property_queries.py lists them): counts, sums,
averages and group-bys over the participations' role, contribution and dates
and the actors' sector, country and name, across the whole graph. They need a
graph made with `gen_collab_graph.py --props` (cached as bench/data/SIZE-props;
the graph is the same as without, so the traversal figures stay comparable).
--sv-timeout interrupts a Samverkan query that runs longer (it is then
reported as "> T s" and its ratio is a lower bound). The property columns
are built before the first query is timed (the "property columns" row: the
first reads of role, contribution, the dates, weight and country), as Kùzu
builds its own in its load.

The answers of all contenders are compared; a disagreement exits 1.

Graph algorithms through CALL (a second table; --algorithms none skips it):
Samverkan's CALL samverkan.pagerank / components / communities beside Kùzu's
CALL page_rank / weakly_connected_components / louvain (on a projected graph
of all its node and relationship tables), each run through its Cypher and
its rows read back, and checked against igraph: PageRank's L1 distance from
igraph's PRPACK (Samverkan's must be within 1e-6), components identical to
igraph's, Louvain's modularity (computed by igraph for each partition)
within 0.01 of igraph's community_multilevel. Kùzu's PageRank is directed
(relationships as stored) and igraph's reference is given for each reading:
undirected for Samverkan's default, directed for Kùzu's.
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
from bench_graphs import SIZES, resolve_graph, with_headers  # noqa: E402
from traversal_bench import log, machine_info  # noqa: E402
from cypher_property_queries import property_operations  # noqa: E402


def operations(params: dict, region: int) -> list[dict]:
    """Each operation: its Cypher for us and for Kùzu, the kg_* SQL, and how
    to reduce an answer to something comparable."""
    hub, median = params["hub"], params["median"]
    ops: list[dict] = []
    for k in (2, 3):
        for name, node in (("hub", hub), ("median", median)):
            ops.append({
                "name": f"{k}-hop from {name}",
                "cypher": [(f"MATCH (a:actor {{key: $a}})-[*1..{k}]-(b) WHERE b <> a "
                            "RETURN count(DISTINCT b) AS n", {"a": str(node)})],
                "kuzu": [(f"MATCH (a:actor {{id: $a}})-[* SHORTEST 1..{k}]-(b) WHERE b <> a "
                          "RETURN count(DISTINCT b) AS n", {"a": node})],
                "sql": [(f"SELECT count(*) FROM kg_neighbors('kg', ?, {k})", (str(node),))],
                "answer": "first",
            })
    ops.append({
        "name": "co-participants of hub",
        "cypher": [("MATCH (a:actor {key: $a})-[:participates_in]->(p:project)"
                    "<-[:participates_in]-(b:actor) WHERE b <> a "
                    "RETURN b.key AS partner, count(*) AS shared "
                    "ORDER BY shared DESC, partner LIMIT 10", {"a": str(hub)})],
        "kuzu": [("MATCH (a:actor {id: $a})-[:participates_in]->(p:project)"
                  "<-[:participates_in]-(b:actor) WHERE b <> a "
                  "RETURN b.id AS partner, count(*) AS shared "
                  "ORDER BY shared DESC, partner LIMIT 10", {"a": hub})],
        "sql": [("SELECT b.src AS partner, count(*) AS shared FROM kg_edges a "
                 "JOIN kg_edges b ON b.dst = a.dst AND b.type = 'participates_in' "
                 "WHERE a.src = ? AND a.type = 'participates_in' AND b.src <> a.src "
                 "GROUP BY b.src ORDER BY shared DESC, partner LIMIT 10", (str(hub),))],
        "answer": "second column",  # partners tied on `shared` sort as text or number
    })
    ops.append({
        "name": "academia-nonprofit pairs",
        "cypher": [("MATCH (a:actor {sector: 'academia'})-[:participates_in]->(p:project)"
                    "<-[:participates_in]-(b:actor {sector: 'nonprofit'}) RETURN count(*) AS n",
                    {})],
        "kuzu": [("MATCH (a:actor {sector: 'academia'})-[:participates_in]->(p:project)"
                  "<-[:participates_in]-(b:actor {sector: 'nonprofit'}) RETURN count(*) AS n", {})],
        # What SQL over the graph tables can do: count per project, multiply.
        "sql": [("SELECT sum(ac * np) FROM (SELECT sum(n.sector = 'academia') AS ac, "
                 "sum(n.sector = 'nonprofit') AS np FROM kg_edges e JOIN kg_nodes n ON n.key = e.src "
                 "WHERE e.type = 'participates_in' GROUP BY e.dst)", ())],
        "answer": "first",
    })
    ops.append({
        "name": "actors of the biggest region",
        "cypher": [("MATCH (r:region {key: $r})<-[:located_in]-(a:actor)-[:participates_in]->"
                    "(p:project) RETURN a.key AS actor, count(p) AS projects "
                    "ORDER BY projects DESC, actor LIMIT 10", {"r": str(region)})],
        "kuzu": [("MATCH (r:region {id: $r})<-[:located_in]-(a:actor)-[:participates_in]->"
                  "(p:project) RETURN a.id AS actor, count(p) AS projects "
                  "ORDER BY projects DESC, actor LIMIT 10", {"r": region})],
        "sql": [("SELECT l.src AS actor, count(*) AS projects FROM kg_edges l "
                 "JOIN kg_edges e ON e.src = l.src AND e.type = 'participates_in' "
                 "WHERE l.dst = ? AND l.type = 'located_in' "
                 "GROUP BY l.src ORDER BY projects DESC, actor LIMIT 10", (str(region),))],
        "answer": "second column",
    })
    pairs = params["pairs"]
    ops.append({
        "name": "10 shortest paths",
        "cypher": [("MATCH p = shortestPath((a {key: $a})-[*]-(b {key: $b})) RETURN length(p) AS n",
                    {"a": str(a), "b": str(b)}) for a, b in pairs],
        "kuzu": [("MATCH p = (a {id: $a})-[* SHORTEST 1..30]-(b {id: $b}) RETURN length(p) AS n",
                  {"a": a, "b": b}) for a, b in pairs],
        "sql": [("SELECT max(step) FROM kg_shortest_path('kg', ?, ?)", (str(a), str(b)))
                for a, b in pairs],
        "answer": "first",
    })
    return ops


def comparable(v: object) -> object:
    """A cell as both systems agree on it: numbers to 8 significant digits
    (sums of doubles depend on the order of addition), node keys as text."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return f"{float(v):.8g}"
    return v


def reduce_answer(kind: str, rows: list[list]) -> object:
    """One query's rows to a comparable answer."""
    if kind == "rows":
        return [[comparable(v) for v in r] for r in rows]
    if kind == "first":
        return rows[0][0] if rows else None
    return [r[1] for r in rows]


def biggest_region(graph: Path) -> int:
    counts: dict[int, int] = {}
    with open(graph / "edges.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for _src, dst, etype, *_rest in rows:
            if etype == "located_in":
                counts[int(dst)] = counts.get(int(dst), 0) + 1
    return max(counts, key=lambda r: (counts[r], -r))


# --------------------------------------------------------------------------
# Samverkan: Cypher and kg_* in one process, on one bulk-loaded graph.
# --------------------------------------------------------------------------

def has_props(graph: Path) -> bool:
    """Whether the graph was generated with --props."""
    with open(graph / "nodes.csv") as f:
        return f.readline().strip().endswith(",country")


def run_samverkan(graph: Path, ops: list[dict], args, work: Path) -> dict:
    ext = str(Path(args.extension).resolve().with_suffix(""))
    # kg_import reads Neo4j-style headers: the same rows under new headers.
    if has_props(graph):
        csvdir = with_headers(graph, work / "csv",
                              ":ID,:LABEL,name,sector,props.region,props.country",
                              ":START_ID,:END_ID,:TYPE,weight:double,props.role,"
                              "props.contribution:double,valid_from:date,valid_to:date")
    else:
        csvdir = with_headers(graph, work / "csv", ":ID,:LABEL,name,sector,props.region",
                              ":START_ID,:END_ID,:TYPE,weight:double")
    db = sqlite3.connect(str(work / "b.db"), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    out = {"version": db.execute("SELECT kg_version()").fetchone()[0]}
    t = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='b.kg')")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
    out["load"] = time.perf_counter() - t
    # The first query after a commit builds the CSR snapshot; reported apart.
    t = time.perf_counter()
    db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()
    out["snapshot"] = time.perf_counter() - t
    if has_props(graph):
        # The first read of a props key builds its column (one pass over all
        # edges or nodes, parsing each one's JSON), as Kùzu's load builds
        # its own; reported apart, and not charged to the first query timed
        # (on `large` it would run past --sv-timeout, and the column would be
        # built again by each query after).
        t = time.perf_counter()
        for q in ("MATCH ()-[e:participates_in]->() RETURN count(e.role), count(e.contribution), "
                  "min(e.valid_from), max(e.valid_to), sum(e.weight)",
                  "MATCH (a:actor) RETURN count(a.country)"):
            db.execute("SELECT row FROM kg_cypher('kg', ?, '{}')", (q,)).fetchall()
        out["columns"] = time.perf_counter() - t

    def cypher(q, params):
        # A query past --sv-timeout is interrupted (sqlite3_interrupt, as Ctrl-C).
        timer = threading.Timer(args.sv_timeout, db.interrupt) if args.sv_timeout else None
        if timer:
            timer.start()
        try:
            rows = db.execute("SELECT row FROM kg_cypher('kg', ?, ?)",
                              (q, json.dumps(params))).fetchall()
        except sqlite3.OperationalError as e:
            if "interrupt" in str(e):
                raise TimeoutError from None
            raise
        finally:
            if timer:
                timer.cancel()
        return [list(json.loads(r[0]).values()) for r in rows]

    def sql(q, params):
        return [list(r) for r in db.execute(q, params).fetchall()]

    for contender, run in (("cypher", cypher), ("sql", sql)):
        if contender not in args.contenders:
            continue
        res = {}
        for op in ops:
            if not op[contender]:
                continue
            times, answer = [], None
            try:
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    answer = [reduce_answer(op["answer"], run(q, p)) for q, p in op[contender]]
                    times.append(time.perf_counter() - t)
            except TimeoutError:
                res[op["name"]] = {"times": None, "answer": None, "note": "timeout",
                                   "over": args.sv_timeout}
                log(f"  samverkan {contender:6s} {op['name']:30s} > {args.sv_timeout:g} s")
                continue
            res[op["name"]] = {"times": times, "answer": answer}
            log(f"  samverkan {contender:6s} {op['name']:30s} {statistics.median(times):.4f} s")
        out[contender] = res
    db.close()
    return out


# --------------------------------------------------------------------------
# Kùzu, in a Node.js child process.
# --------------------------------------------------------------------------

def kuzu_tables(graph: Path, out: Path) -> None:
    """Per-table CSV files and ddl.json, the schema kuzu_cypher.js creates."""
    out.mkdir()
    props = has_props(graph)
    files = {t: open(out / f"{t}.csv", "w", newline="")
             for t in ("actor", "project", "region", "located_in", "participates_in")}
    w = {t: csv.writer(f) for t, f in files.items()}
    w["actor"].writerow(["id", "name", "sector"] + (["country"] if props else []))
    for t in ("project", "region"):
        w[t].writerow(["id", "name"])
    w["located_in"].writerow(["from", "to"])
    w["participates_in"].writerow(["from", "to"] + (
        ["weight", "role", "contribution", "valid_from", "valid_to"] if props else []))
    with open(graph / "nodes.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for node, label, name, sector, _region, *country in rows:
            w[label].writerow([node, name, sector, *country] if label == "actor" else [node, name])
    with open(graph / "edges.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for src, dst, etype, weight, *rest in rows:
            w[etype].writerow([src, dst, weight, *rest] if etype == "participates_in" and props
                              else [src, dst])
    for f in files.values():
        f.close()
    # Dates as STRING: the same ISO-text comparisons as Samverkan's Cypher.
    ddl = [
        "CREATE NODE TABLE actor(id INT64, name STRING, sector STRING"
        + (", country STRING" if props else "") + ", PRIMARY KEY (id))",
        "CREATE NODE TABLE project(id INT64, name STRING, PRIMARY KEY (id))",
        "CREATE NODE TABLE region(id INT64, name STRING, PRIMARY KEY (id))",
        "CREATE REL TABLE located_in(FROM actor TO region)",
        "CREATE REL TABLE participates_in(FROM actor TO project"
        + (", weight DOUBLE, role STRING, contribution DOUBLE, valid_from STRING, "
           "valid_to STRING" if props else "") + ")",
    ]
    (out / "ddl.json").write_text(json.dumps(ddl))


def run_kuzu(graph: Path, ops: list[dict], args, work: Path) -> dict | str:
    runner = BENCH_DIR / "kuzu_cypher.js"
    if not (BENCH_DIR / "node_modules" / "kuzu").exists():
        return "not installed (npm install --prefix bench)"
    tables = work / "kuzu-tables"
    kuzu_tables(graph, tables)
    queries = []
    for op in ops:
        for i, (q, p) in enumerate(op["kuzu"]):
            queries.append({"name": f"{op['name']}#{i}", "cypher": q, "params": p})
    qfile = work / "kuzu-queries.json"
    qfile.write_text(json.dumps(queries))
    proc = subprocess.run(["node", str(runner), str(tables), str(qfile), str(args.repeat),
                           str(args.timeout)], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"failed: {proc.stderr.strip()[-300:]}"
    raw = json.loads(proc.stdout)
    out = {"version": f"kuzu {raw['version']}", "load": raw["load"], "cypher": {}}
    for op in ops:
        runs = [raw["queries"][f"{op['name']}#{i}"] for i in range(len(op["kuzu"]))]
        if any(r.get("timeout") or r.get("error") for r in runs):
            bad = next(r for r in runs if r.get("timeout") or r.get("error"))
            out["cypher"][op["name"]] = {"times": None, "answer": None,
                                         "note": "timeout" if bad.get("timeout") else bad["error"]}
            continue
        times = [sum(r["times"][k] for r in runs) for k in range(args.repeat)]
        answer = [reduce_answer(op["answer"], [list(row.values()) for row in r["rows"]])
                  for r in runs]
        out["cypher"][op["name"]] = {"times": times, "answer": answer}
        log(f"  kuzu   cypher {op['name']:30s} {statistics.median(times):.4f} s")
    return out


# --------------------------------------------------------------------------
# Graph algorithms through CALL, checked against igraph.
# --------------------------------------------------------------------------

PAGERANK_L1 = 1e-6       # Samverkan's PageRank from igraph's PRPACK
MODULARITY_SLACK = 0.01  # Louvain's modularity below igraph's

ALGORITHMS = [
    # name, Samverkan's CALL, Kùzu's CALL (both give rows of (id, value))
    # Both stop when the ranks change by less than 1e-7 (as analytics_bench.py's
    # solvers do), which leaves ours within 1e-6 of PRPACK.
    ("PageRank",
     "CALL samverkan.pagerank({tolerance: 1e-7}) YIELD node, rank RETURN node.key AS id, rank",
     "CALL page_rank('G', maxIterations := 1000, tolerance := 0.0000001) "
     "RETURN node.id AS id, rank"),
    ("weakly connected components",
     "CALL samverkan.components() YIELD node, component RETURN node.key AS id, component",
     "CALL weakly_connected_components('G') RETURN node.id AS id, group_id"),
    ("Louvain",
     "CALL samverkan.communities() YIELD node, community RETURN node.key AS id, community",
     "CALL louvain('G') RETURN node.id AS id, louvain_id"),
]
KUZU_PROJECT = ("CALL project_graph('G', ['actor', 'project', 'region'], "
                "['located_in', 'participates_in'])")


def as_vector(n: int, rows) -> list:
    out = [None] * n
    for node, value in rows:
        out[int(node)] = value
    return out


def same_partition(a: list, b: list) -> bool:
    """Whether two labelings group the nodes alike."""
    ab, ba = {}, {}
    return all(ab.setdefault(x, y) == y and ba.setdefault(y, x) == x for x, y in zip(a, b))


def run_algorithms(graph: Path, args, work: Path) -> dict:
    import igraph
    n = json.loads((graph / "params.json").read_text())["nodes"]
    with open(graph / "edges.csv", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        edges = [(int(a), int(b)) for a, b, _t, _w in rows]
    out: dict = {"samverkan": {}, "kuzu": {}}
    # Samverkan, on its own copy of the graph.
    ext = str(Path(args.extension).resolve().with_suffix(""))
    csvdir = with_headers(graph, work / "csv", ":ID,:LABEL,name,sector,props.region",
                          ":START_ID,:END_ID,:TYPE,weight:double")
    db = sqlite3.connect(str(work / "a.db"), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='a.kg')")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(csvdir),)).fetchall()
    db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()  # the snapshot
    for name, ours, _ in ALGORITHMS:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            got = [list(json.loads(r[0]).values()) for r in
                   db.execute("SELECT row FROM kg_cypher('kg', ?)", (ours,)).fetchall()]
            times.append(time.perf_counter() - t)
        out["samverkan"][name] = {"times": times, "vector": as_vector(n, got)}
        log(f"  samverkan CALL {name:30s} {statistics.median(times):.4f} s")
    db.close()
    # Kùzu.
    if (BENCH_DIR / "node_modules" / "kuzu").exists() and "kuzu" in args.contenders:
        tables = work / "kuzu-tables"
        kuzu_tables(graph, tables)
        queries = [{"name": "project", "cypher": KUZU_PROJECT, "params": {}, "once": True}]
        queries += [{"name": name, "cypher": q, "params": {}} for name, _, q in ALGORITHMS]
        qfile = work / "kuzu-algorithms.json"
        qfile.write_text(json.dumps(queries))
        proc = subprocess.run(["node", str(BENCH_DIR / "kuzu_cypher.js"), str(tables), str(qfile),
                               str(args.repeat), str(args.timeout)], capture_output=True, text=True)
        if proc.returncode != 0:
            out["kuzu"] = f"failed: {proc.stderr.strip()[-300:]}"
        else:
            raw = json.loads(proc.stdout)
            for name, _, _ in ALGORITHMS:
                r = raw["queries"][name]
                if r.get("timeout") or r.get("error"):
                    out["kuzu"][name] = {"note": "timeout" if r.get("timeout") else r["error"]}
                    continue
                out["kuzu"][name] = {"times": r["times"], "vector": as_vector(
                    n, [list(row.values()) for row in r["rows"]])}
                log(f"  kuzu      CALL {name:30s} {statistics.median(r['times']):.4f} s")
    else:
        out["kuzu"] = "not run (npm install --prefix bench; --contenders kuzu)"
    # igraph's answers.
    undirected = igraph.Graph(n=n, edges=edges)
    directed = igraph.Graph(n=n, edges=edges, directed=True)
    reference = {
        "pagerank": undirected.pagerank(damping=0.85, implementation="prpack"),
        "pagerank_directed": directed.pagerank(damping=0.85, implementation="prpack"),
        "components": undirected.connected_components(mode="weak").membership,
        "modularity": undirected.community_multilevel().modularity,
    }
    out["igraph"] = {"version": f"igraph {igraph.__version__}", "reference": reference}

    def accuracy(name, vector, directed_rank=False):
        if vector is None or any(v is None for v in vector):
            return "missing nodes", False
        if name == "PageRank":
            ref = reference["pagerank_directed" if directed_rank else "pagerank"]
            l1 = sum(abs(a - b) for a, b in zip(vector, ref))
            return f"L1 {l1:.1e} from PRPACK{' (directed)' if directed_rank else ''}", l1 <= PAGERANK_L1
        if name == "weakly connected components":
            same = same_partition(vector, reference["components"])
            return ("identical to igraph's" if same else "differs from igraph's"), same
        q = undirected.modularity(vector)
        return (f"modularity {q:.4f} (igraph {reference['modularity']:.4f})",
                q >= reference["modularity"] - MODULARITY_SLACK)

    for who in ("samverkan", "kuzu"):
        if not isinstance(out[who], dict):
            continue
        for name, entry in out[who].items():
            if "vector" in entry:
                entry["accuracy"], entry["ok"] = accuracy(name, entry["vector"],
                                                          directed_rank=who == "kuzu")
                del entry["vector"]
    return out


def print_algorithms(res: dict) -> list[str]:
    """The second table; returns the problems (Samverkan outside its stated accuracy)."""
    sv, kz = res["samverkan"], res["kuzu"] if isinstance(res["kuzu"], dict) else {}
    print("\n| algorithm (CALL) | Samverkan | Kùzu | Kùzu ÷ Samverkan | Samverkan's accuracy "
          "| Kùzu's accuracy |")
    print("|---|---:|---:|---:|---|---|")
    problems = []
    for name, _, _ in ALGORITHMS:
        s, k = sv.get(name, {}), kz.get(name, {})
        print(f"| {name} | {fmt(median(s))} | {fmt(median(k)) if 'times' in k else k.get('note', '—')} "
              f"| {ratio(median(k), median(s))} | {s.get('accuracy', '—')} | {k.get('accuracy', '—')} |")
        if not s.get("ok"):
            problems.append(f"CALL {name}: Samverkan's answer is outside its stated accuracy "
                            f"({s.get('accuracy')})")
    if not isinstance(res["kuzu"], dict):
        print(f"\n- kuzu: {res['kuzu']}")
    print(f"- {res['igraph']['version']} (PRPACK, weak components, community_multilevel)")
    return problems


# --------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------

def median(entry) -> float | None:
    if not entry or not entry.get("times"):
        return None
    return statistics.median(entry["times"])


def fmt(s: float | None) -> str:
    if s is None:
        return "—"
    return f"{s:.3g}" if s >= 0.001 else f"{s:.6f}"


def ratio(other: float | None, ours: float | None) -> str:
    if other is None or ours is None or ours <= 0:
        return "—"
    r = other / ours
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graph", nargs="?", default="medium",
                    help=f"{', '.join(SIZES)}, N_NODES:N_EDGES, or a generated directory")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--contenders", default="cypher,kuzu,sql",
                    help="cypher (kg_cypher), kuzu, sql (kg_* functions and tables)")
    ap.add_argument("--extension", default=str(REPO_ROOT / "build" / "samverkan.so"))
    ap.add_argument("--timeout", type=float, default=120, help="seconds, per Kùzu query")
    ap.add_argument("--sv-timeout", type=float, default=None,
                    help="seconds: interrupt a Samverkan Cypher query that runs longer")
    ap.add_argument("--group", choices=("all", "traversal", "properties"), default="all",
                    help="traversal (issue 12's questions), properties (issue 19's) or both")
    ap.add_argument("--workdir", default=str(BENCH_DIR / "data"))
    ap.add_argument("--generator", default=None,
                    help="graph generator (default: ../shared/bench/gen_collab_graph.py)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--algorithms", default="call", choices=("call", "none", "only"),
                    help="the CALL graph-algorithm table: run it too (call), not (none), "
                         "or only it (only)")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="run only the queries whose name contains TEXT (repeatable; "
                         "e.g. to re-run the slow ones of a run)")
    args = ap.parse_args()
    args.contenders = set(args.contenders.split(","))

    props = args.group != "traversal"
    graph = resolve_graph(args.graph, Path(args.workdir), args.generator, props=props)
    if props and not has_props(graph):
        sys.exit(f"{graph} has no properties: generate it with gen_collab_graph.py --props")
    params = json.loads((graph / "params.json").read_text())
    ops = [] if args.group == "properties" else operations(params, biggest_region(graph))
    if props:
        ops += property_operations()
    if args.only:
        ops = [op for op in ops if any(t in op["name"] for t in args.only)]
        if not ops:
            sys.exit(f"no query's name contains any of {args.only}")
    results: dict[str, dict | str] = {}
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix=".cypher-bench-") as tmp:
        work = Path(tmp)
        if args.algorithms != "none":
            (work / "algorithms").mkdir()
            log("graph algorithms through CALL ...")
            results["algorithms"] = run_algorithms(graph, args, work / "algorithms")
        if args.algorithms == "only":
            print(f"graph: {graph} ({params['nodes']:,} nodes, {params['edges']:,} edges), "
                  f"median of {args.repeat}, seconds")
            problems = print_algorithms(results["algorithms"])
            for p in problems:
                print(f"- DISAGREEMENT: {p}")
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1, default=str))
            return 1 if problems else 0
        if args.contenders & {"cypher", "sql"}:
            (work / "samverkan").mkdir()
            log("samverkan: loading ...")
            results["samverkan"] = run_samverkan(graph, ops, args, work / "samverkan")
        if "kuzu" in args.contenders:
            (work / "kuzu").mkdir()
            log("kuzu: loading and running ...")
            results["kuzu"] = run_kuzu(graph, ops, args, work / "kuzu")

    sv = results.get("samverkan", {})
    kz = results.get("kuzu")
    kz = kz if isinstance(kz, dict) else {}
    print(f"graph: {graph} ({params['nodes']:,} nodes, {params['edges']:,} edges), "
          f"median of {args.repeat}, seconds\n")
    print("| operation | Samverkan Cypher | Kùzu | Samverkan kg_* | Kùzu ÷ Cypher | kg_* ÷ Cypher |")
    print("|---|---:|---:|---:|---:|---:|")
    # Per group: Samverkan's time over Kùzu's (a timeout counts as its limit).
    slow: dict[str, list[tuple[float, str]]] = {}
    print(f"| load | {fmt(sv.get('load'))} | {fmt(kz.get('load'))} | (same load) | "
          f"{ratio(kz.get('load'), sv.get('load'))} | |")
    print(f"| snapshot (first query) | {fmt(sv.get('snapshot'))} | — | (same) | | |")
    if "columns" in sv:
        print(f"| property columns (first reads) | {fmt(sv.get('columns'))} | — | (same) | | |")
    problems = []
    for op in ops:
        c = sv.get("cypher", {}).get(op["name"])
        k = kz.get("cypher", {}).get(op["name"])
        s = sv.get("sql", {}).get(op["name"])
        ours = median(c) if c and not c.get("note") else (c or {}).get("over")
        ours_text = fmt(ours) if c and not c.get("note") else (f"> {ours:g}" if ours else "—")
        print(f"| {op['name']} | {ours_text} | {fmt(median(k)) if k and not k.get('note') else (k or {}).get('note', '—')} "
              f"| {fmt(median(s))} | {ratio(median(k), ours)} | {ratio(median(s), ours)} |")
        if ours and median(k):
            slow.setdefault(op.get("group", "traversal"), []).append((ours / median(k), op["name"]))
        answers = {n: e["answer"] for n, e in (("cypher", c), ("kuzu", k), ("kg_*", s))
                   if e and e.get("answer") is not None}
        if len({json.dumps(a) for a in answers.values()}) > 1:
            problems.append(f"{op['name']}: answers differ: {answers}")
    if "algorithms" in results:
        problems += print_algorithms(results.pop("algorithms"))
    print()
    for group, rs in slow.items():
        rs.sort(reverse=True)
        worst = ", ".join(f"{n} {r:.3g}×" for r, n in rs[:3])
        print(f"- {group}: Samverkan ÷ Kùzu median {statistics.median(r for r, _ in rs):.3g}×, "
              f"worst {rs[0][0]:.3g}× ({len(rs)} queries; slowest: {worst})")
    for name, r in results.items():
        print(f"- {name}: {r['version'] if isinstance(r, dict) else r}")
    print(f"- machine: {machine_info()}")
    if problems:
        print("\nDISAGREEMENT:")
        for p in problems:
            print(f"- {p}")
    else:
        print("\nAll contenders agree on every answer.")
    if args.json:
        Path(args.json).write_text(json.dumps({"graph": str(graph), "params": params,
                                               "results": results, "problems": problems},
                                              indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
