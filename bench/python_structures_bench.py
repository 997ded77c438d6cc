#!/usr/bin/python3
"""How long samverkan.to_dataframe / to_networkx / to_igraph take on a
projection of about 800k ties (the size of the H2020 actors' network that
took 9.8 s by hand), next to fetching kg_projection's rows alone and to
building the same NetworkX graph from those rows by hand.

A generated bipartite graph (seed 42): 40,000 actors, 18,000 projects of 10
distinct actors each (180,000 participations), imported in bulk; its
projection has about 800k ties. Times are the median of --repeat runs, in
seconds (wall and CPU), with the package from the source tree.

    bench/python_structures_bench.py --ext build/samverkan [--repeat 3]
"""
import argparse
import pathlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python"))
import samverkan  # noqa: E402


def make_graph(dirpath, actors=40_000, projects=18_000, size=10):
    rng = random.Random(42)
    d = pathlib.Path(dirpath) / "csv"
    d.mkdir()
    sectors = ["academia", "business", "public", "nonprofit"]
    with open(d / "nodes.csv", "w") as f:
        f.write(":ID,:LABEL,name,sector\n")
        for i in range(actors):
            f.write(f"a{i},actor,Actor {i},{sectors[i % 4]}\n")
        for j in range(projects):
            f.write(f"p{j},project,Project {j},\n")
    with open(d / "edges.csv", "w") as f:
        f.write(":START_ID,:END_ID,:TYPE\n")
        for j in range(projects):
            for a in rng.sample(range(actors), size):
                f.write(f"a{a},p{j},participates_in\n")
    return d


def timed(fn, repeat):
    """Median wall and CPU seconds: on a shared machine the CPU time (one
    thread) is the steadier figure."""
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu), result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", required=True, help="the built extension, without .so")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import networkx as nx
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(f"{tmp}/t.db", isolation_level=None)
        conn.enable_load_extension(True)
        conn.load_extension(args.ext)
        conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='t.kg')")
        conn.execute("SELECT kg_import('kg', ?, 'csv')", (str(make_graph(tmp)),))
        rows = lambda: conn.execute(  # noqa: E731
            "SELECT actor_a, actor_b, weight FROM kg_projection('kg', 'actor', 'project')").fetchall()
        timed(rows, 1)  # the snapshot, built once per graph version, is not what is measured

        def by_hand():
            g = nx.Graph()
            g.add_nodes_from(r[0] for r in conn.execute(
                "SELECT key FROM kg_nodes WHERE kind = 'actor'"))
            for a, b, w in conn.execute(
                    "SELECT actor_a, actor_b, weight FROM kg_projection('kg', 'actor', 'project')"):
                g.add_edge(a, b, weight=w)
            return g

        cases = [("kg_projection rows (fetchall)", rows),
                 ("to_dataframe(via='project')", lambda: samverkan.to_dataframe(conn, via="project")),
                 ("to_networkx(via='project')", lambda: samverkan.to_networkx(conn, via="project")),
                 ("NetworkX by hand, row by row", by_hand),
                 ("to_igraph(via='project')", lambda: samverkan.to_igraph(conn, via="project"))]
        print(f"{'what':34} {'wall s':>7} {'CPU s':>7}  size")
        for name, fn in cases:
            t, c, result = timed(fn, args.repeat)
            size = len(result) if isinstance(result, list) else (
                result.shape[0] if hasattr(result, "shape") else
                (result.ecount() if hasattr(result, "ecount") else result.number_of_edges()))
            print(f"{name:34} {t:7.2f} {c:7.2f}  {size:,} ties")


if __name__ == "__main__":
    main()
