"""sqlite3_interrupt() (Ctrl-C in the shell, conn.interrupt() in Python)
stops long computations: the statement fails with 'interrupted' soon after,
instead of running to its end (or for ever), and the connection goes on."""
import random
import sqlite3
import threading
import time

import pytest

from conftest import rows


def interrupt_after(conn, seconds):
    timer = threading.Timer(seconds, conn.interrupt)
    timer.start()
    return timer


def run_interrupted(conn, sql, params=(), after=0.3):
    """Runs `sql`, interrupting it `after` seconds; returns the seconds it took."""
    timer = interrupt_after(conn, after)
    start = time.monotonic()
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            conn.execute(sql, params).fetchall()
    finally:
        timer.cancel()
    return time.monotonic() - start


@pytest.fixture(scope="module")
def big(ext, tmp_path_factory):
    """A connection with graph 'kg': 40,000 nodes in a sparse random graph
    (betweenness on it takes minutes)."""
    rng = random.Random(3)
    n = 40_000
    d = tmp_path_factory.mktemp("big")
    (d / "nodes.csv").write_text(":ID,:LABEL\n" + "".join(f"n{i},actor\n" for i in range(n)))
    (d / "edges.csv").write_text(":START_ID,:END_ID,:TYPE\n" + "".join(
        f"n{rng.randrange(n)},n{rng.randrange(n)},tie\n" for _ in range(4 * n)))
    db = sqlite3.connect(d / "big.db", isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='big.kg')")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(d),))
    yield db
    db.close()


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM kg_betweenness('kg')",
    "SELECT count(*) FROM kg_closeness('kg')",
    "SELECT count(*) FROM kg_pagerank('kg', 0.85, 4294967295, 0)",
])
def test_long_analytics_stop_when_interrupted(big, sql):
    took = run_interrupted(big, sql)
    assert took < 10, f"took {took:.1f} s to stop"
    # The connection is usable at once.
    assert rows(big, "SELECT count(*) FROM kg_nodes") == [(40_000,)]


def test_pagerank_without_end_on_five_nodes_stops(db):
    # Tolerance 0 and 2^32 - 1 rounds: without an interrupt, hours.
    took = run_interrupted(db, "SELECT * FROM kg_pagerank('kg', 0.85, 4294967295, 0)")
    assert took < 10


def diamonds(conn, count):
    """A chain of `count` diamonds: 2^count shortest paths from d0 to d<count>."""
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='d.kg')")
    conn.execute("BEGIN")
    for i in range(count + 1):
        conn.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'x')", (f"d{i}",))
    for i in range(count):
        for side in ("a", "b"):
            conn.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'x')", (f"{side}{i}",))
            conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'e', ?)",
                         (f"d{i}", f"{side}{i}"))
            conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'e', ?)",
                         (f"{side}{i}", f"d{i + 1}"))
    conn.execute("COMMIT")


def test_path_enumeration_has_a_memory_bound(connect):
    db = connect()
    diamonds(db, 22)  # 4 million paths of 45 nodes: 3 GB if kept
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg_all_shortest_paths: the shortest paths hold more than "
                             r"4194304 steps in all after \d+ of them; ask for fewer \(max_paths\)$"):
        db.execute("SELECT count(*) FROM kg_all_shortest_paths('kg', 'd0', 'd22', 'out', NULL, "
                   "NULL, NULL, NULL, 1000000000)").fetchall()
    # Within the bound, as many as asked.
    assert rows(db, "SELECT count(DISTINCT path) FROM kg_all_shortest_paths('kg', 'd0', 'd22', "
                    "'out', NULL, NULL, NULL, NULL, 5000)") == [(5000,)]


def test_path_enumeration_stops_when_interrupted(connect):
    db = connect()
    diamonds(db, 22)
    # Weighted (the stored adjacency): slow enough to be interrupted in the middle.
    took = run_interrupted(db, "SELECT count(*) FROM kg_all_shortest_paths('kg', 'd0', 'd22', "
                               "'out', NULL, NULL, 'weight', NULL, 80000)")
    assert took < 10


def big_csv(directory, nodes=100_000, edges=1_500_000):
    rng = random.Random(9)
    directory.mkdir(exist_ok=True)
    with open(directory / "nodes.csv", "w") as f:
        f.write(":ID,:LABEL,note\n")
        f.writelines(f"n{i},actor,note {i}\n" for i in range(nodes))
    with open(directory / "edges.csv", "w") as f:
        f.write(":START_ID,:END_ID,:TYPE,weight:double\n")
        f.writelines(f"n{rng.randrange(nodes)},n{rng.randrange(nodes)},tie,{i % 7}\n"
                     for i in range(edges))
    return directory


@pytest.mark.parametrize("into", ["empty", "non-empty"])  # the bulk path, a transaction
def test_import_stops_when_interrupted_and_writes_nothing(connect, tmp_path, into):
    data = big_csv(tmp_path / "data")
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    if into == "non-empty":
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('first', 'actor')")
    before = rows(db, "SELECT count(*) FROM kg_nodes")
    took = run_interrupted(db, "SELECT kg_import('kg', ?, 'csv')", (str(data),))
    assert took < 10
    assert rows(db, "SELECT count(*) FROM kg_nodes") == before
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(0,)]
    assert not list((tmp_path / "g.kg").glob("bulk-load-*"))


def test_export_stops_when_interrupted_and_leaves_the_target(big, tmp_path):
    target = tmp_path / "out.graphml"
    target.write_text("the old file")
    took = run_interrupted(big, "SELECT kg_export('kg', 'graphml', ?)", (str(target),),
                           after=0.05)
    assert took < 10
    assert target.read_text() == "the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["out.graphml"]


def test_cli_stops_at_ctrl_c(ext, tmp_path):
    import os
    import signal
    import subprocess
    cli = os.path.join(os.path.dirname(ext), "bin", "samverkan")
    data = big_csv(tmp_path / "data")
    proc = subprocess.Popen([cli, "import", "g.kg", str(data), "--quiet"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (proc.returncode, err)
    assert "interrupted" in err
    stats = subprocess.run([cli, "stats", "g.kg", "--json"], cwd=tmp_path, capture_output=True,
                           text=True)
    assert '"nodes":0' in stats.stdout.replace(" ", ""), stats.stdout
    assert not list((tmp_path / "g.kg").glob("bulk-load-*"))
