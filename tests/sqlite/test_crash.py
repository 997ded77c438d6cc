"""SQL transactions survive kill -9: all of each one, or none of it."""
import random
import signal
import subprocess
import textwrap
import time

from conftest import rows

EDGES_PER_TXN = 10

# Commits, in a loop until killed, transactions that each add hub-<i> with
# EDGES_PER_TXN edges, and rolls every third one back.
WRITER = textwrap.dedent(f"""
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(sys.argv[2])
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kg USING samverkan(path='crash.kg')")
    # The rounds share crash.kg: a round writes again the keys of the last
    # one, replacing them (OR REPLACE; a plain INSERT of a taken key fails).
    db.executemany("INSERT OR REPLACE INTO kg_nodes(key, kind) VALUES (?, 'project')",
                   [(f"leaf-{{j}}",) for j in range({EDGES_PER_TXN})])
    print("ready", flush=True)
    i = 0
    while True:
        db.execute("BEGIN")
        db.execute("INSERT OR REPLACE INTO kg_nodes(key, kind) VALUES (?, 'actor')",
                   (f"hub-{{i}}",))
        db.executemany("INSERT OR REPLACE INTO kg_edges(src, type, dst) "
                       "VALUES (?, 'participates_in', ?)",
                       [(f"hub-{{i}}", f"leaf-{{j}}") for j in range({EDGES_PER_TXN})])
        db.execute("ROLLBACK" if i % 3 == 2 else "COMMIT")
        i += 1
""")


def test_killed_sql_writer_leaves_whole_transactions(connect, ext, tmp_path):
    rng = random.Random(5)
    for round_no in range(3):
        db_path = tmp_path / f"crash{round_no}.db"
        writer = subprocess.Popen(["/usr/bin/python3", "-c", WRITER, str(db_path), ext],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.2 + rng.random() * 0.5)
        writer.send_signal(signal.SIGKILL)
        assert writer.wait(timeout=20) == -signal.SIGKILL

        conn = connect(db_path.name)
        assert rows(conn, "SELECT kg_integrity_check('kg')") == [("ok",)]
        hubs = rows(conn, "SELECT key FROM kg_nodes WHERE kind = 'actor'")
        assert hubs, "the writer committed nothing before it was killed"
        for (hub,) in hubs:
            assert int(hub.split("-")[1]) % 3 != 2, f"{hub} was rolled back"
            assert rows(conn, "SELECT count(*) FROM kg_edges WHERE src = ?", (hub,)) == \
                [(EDGES_PER_TXN,)]
        assert rows(conn, "SELECT count(*) FROM kg_edges") == [(EDGES_PER_TXN * len(hubs),)]
        conn.close()


def test_killed_bulk_import_leaves_no_files_behind(connect, ext, tmp_path):
    # A bulk import writes its SST files into <graph>/bulk-load-<pid>/ before
    # RocksDB ingests them; killed there, the next open removes them.
    with open(tmp_path / "edges.csv", "w") as f:
        f.write(":START_ID,:END_ID,:TYPE\n")
        f.writelines(f"n{i % 5000},n{(i * 7919) % 5000},knows\n" for i in range(400_000))
    with open(tmp_path / "nodes.csv", "w") as f:
        f.write(":ID,:LABEL\n")
        f.writelines(f"n{i},actor\n" for i in range(5000))
    graph = tmp_path / "bulk.kg"
    importer = subprocess.Popen(
        ["sqlite3", "-cmd", f".load {ext}", str(tmp_path / "bulk.db"),
         "CREATE VIRTUAL TABLE kg USING samverkan(path='bulk.kg');"
         f"SELECT kg_import('kg', '{tmp_path}', 'csv');"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not any(p.name.startswith("bulk-load-") for p in graph.glob("*")):
        assert importer.poll() is None, "the import ended before it wrote its files"
        assert time.time() < deadline
        time.sleep(0.005)
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=20)
    assert any(p.name.startswith("bulk-load-") for p in graph.glob("*"))
    conn = connect("bulk.db")
    assert rows(conn, "SELECT kg_integrity_check('kg')") == [("ok",)]
    # All of the import or none of it (400,000 lines, 5,000 distinct edges).
    assert rows(conn, "SELECT count(*) FROM kg_edges") in ([(0,)], [(5000,)])
    assert not any(p.name.startswith("bulk-load-") for p in graph.glob("*"))
