"""Fault injection on the SQLite side of the two-phase commit.

A VFS of our own (fault_vfs.c, build/tests/fault_vfs.so) fails the Nth
write, sync or deletion (the journal's: the commit in DELETE mode) of the
.db and its journal with SQLITE_FULL or SQLITE_IOERR,
for every N that a mixed transaction (50 rows of a plain table and 50 nodes
of a graph) makes. After each failure: the error says what failed, the
connection goes on working, nothing acknowledged is lost, and the plain
table and the graph agree, as kg_integrity_check does. (The graph's own
files are failed by the engine's fault-injection tests.)
"""
import os
import sqlite3

import pytest

from conftest import REPO, rows

ROWS = 50
ERRORS = ("database or disk is full", "disk I/O error")


@pytest.fixture
def fault_vfs():
    path = os.environ.get("SAMVERKAN_FAULT_VFS") or str(REPO / "build" / "tests" / "fault_vfs")
    if not os.path.exists(path + ".so"):
        pytest.skip("the fault VFS is not built (target fault_vfs)")
    # Registers the VFS "fault" for the process.
    loader = sqlite3.connect(":memory:")
    loader.enable_load_extension(True)
    loader.load_extension(path)
    loader.close()
    return path


def open_through_fault_vfs(path, fault_vfs, ext):
    db = sqlite3.connect(f"file:{path}?vfs=fault", uri=True, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(fault_vfs)  # its functions, on this connection
    db.load_extension(ext)
    return db


def transaction(db, first):
    db.execute("BEGIN")
    for i in range(first, first + ROWS):
        db.execute("INSERT INTO plain VALUES (?)", (i,))
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n{i}",))
    db.execute("COMMIT")


def contents(db):
    plain = {i for (i,) in rows(db, "SELECT i FROM plain")}
    graph = {int(key[1:]) for (key,) in rows(db, "SELECT key FROM kg_nodes")}
    return plain, graph


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
@pytest.mark.parametrize("kind", ["full", "ioerr"])
def test_every_failing_write_sync_or_delete_leaves_both_in_agreement(ext, fault_vfs, tmp_path,
                                                              journal_mode, kind):
    path = tmp_path / "faults.db"
    db = open_through_fault_vfs(path, fault_vfs, ext)
    assert rows(db, f"PRAGMA journal_mode = {journal_mode}") == [(journal_mode,)]
    db.execute("CREATE TABLE plain(i INTEGER PRIMARY KEY)")
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='faults.kg')")
    # How many writes, syncs and deletions one transaction makes.
    db.execute("SELECT fault_vfs_arm(0, 'full')")
    transaction(db, 0)
    total = rows(db, "SELECT fault_vfs_count()")[0][0]
    assert total >= 2
    acknowledged = set(range(ROWS))
    failures = 0
    for n in range(1, total + 1):
        first = n * ROWS
        db.execute("SELECT fault_vfs_arm(?, ?)", (n, kind))
        try:
            transaction(db, first)
            acknowledged |= set(range(first, first + ROWS))
        except sqlite3.Error as e:
            failures += 1
            assert any(text in str(e) for text in ERRORS), f"write {n}: {e}"
            if db.in_transaction:
                db.execute("ROLLBACK")
        db.execute("SELECT fault_vfs_arm(0, 'full')")
        plain, graph = contents(db)
        assert acknowledged <= plain, f"operation {n} of {total}: acknowledged rows lost"
        assert graph == plain, f"operation {n} of {total}: graph and table disagree"
        # A failed COMMIT may have committed after all (a sync that failed
        # after the data was written): then both have it, and it stays.
        assert plain - acknowledged <= set(range(first, first + ROWS))
        acknowledged |= plain
    assert failures > 0
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]
    db.close()
    again = sqlite3.connect(str(path), isolation_level=None)
    again.enable_load_extension(True)
    again.load_extension(ext)
    plain, graph = contents(again)
    assert acknowledged <= plain and graph == plain
    again.close()


# Run in a process of its own: 'full-after' lowers RLIMIT_FSIZE for the
# whole process. Prints one JSON line of what each read answered.
DISK_FILLS_AFTER_SQLITE_COMMITTED = r"""
import json, sqlite3, sys
fault_vfs, ext, path = sys.argv[1:]
loader = sqlite3.connect(":memory:")
loader.enable_load_extension(True)
loader.load_extension(fault_vfs)
def connect(uri):
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(fault_vfs)
    db.load_extension(ext)
    return db
db = connect(f"file:{path}?vfs=fault")
db.execute("PRAGMA journal_mode = delete")
db.execute("CREATE TABLE plain(i INTEGER PRIMARY KEY)")
db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
other = connect(f"file:{path}")
other.execute("PRAGMA busy_timeout = 200")
db.execute("PRAGMA busy_timeout = 200")
def transaction(i):
    db.execute("BEGIN")
    db.execute("INSERT INTO plain VALUES (?)", (i,))
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n{i}",))
    db.execute("COMMIT")
db.execute("SELECT fault_vfs_arm(0, 'full')")
transaction(0)
total = db.execute("SELECT fault_vfs_count()").fetchone()[0]
print(json.dumps({"count": other.execute("SELECT count(*) FROM kg_nodes").fetchone()[0]}))
# The last operation of a commit in DELETE mode is the deletion of the
# journal: SQLite's commit point, after the graph prepared, before xCommit.
db.execute("SELECT fault_vfs_arm(?, 'full-after')", (total,))
out = {}
try:
    transaction(1)
    out["commit"] = "ok"
except sqlite3.Error as e:
    out["commit"] = str(e)
def read(conn, sql):
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error as e:
        return str(e)
lookups = {"count": "SELECT count(*) FROM kg_nodes",
           "point": "SELECT key FROM kg_nodes WHERE key = 'n1'",
           "neighbors": "SELECT count(*) FROM kg_neighbors('kg', 'n1')"}
for name, conn in (("same", db), ("other", other)):
    for what, sql in lookups.items():
        out[f"full {name} {what}"] = read(conn, sql)
db.execute("SELECT fault_vfs_heal()")
for name, conn in (("other", other), ("same", db)):
    for what, sql in lookups.items():
        out[f"healed {name} {what}"] = read(conn, sql)
# RocksDB takes writes again after a failed log write only once the graph
# is opened again (not after a full disk, which a resume clears).
db.close()
other.close()
again = connect(f"file:{path}")
for what, sql in lookups.items():
    out[f"reopened {what}"] = read(again, sql)
out["plain"] = read(again, "SELECT count(*) FROM plain")
out["integrity"] = read(again, "SELECT kg_integrity_check('kg')")
print(json.dumps(out))
"""


def test_a_commit_whose_graph_half_fails_after_sqlite_committed_is_never_read_stale(
        ext, fault_vfs, tmp_path):
    """SQLite decided (its journal is gone), then the disk fills before the
    graph's half is applied: COMMIT reports success, as two-phase commit
    must, and from then on no read on any connection answers without that
    transaction: it is applied, or the read fails naming `samverkan settle`."""
    import json
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", DISK_FILLS_AFTER_SQLITE_COMMITTED, fault_vfs,
                           ext, str(tmp_path / "t.db")], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert json.loads(lines[0]) == {"count": 1}
    out = json.loads(lines[1])
    assert out["commit"] == "ok", out
    assert out["plain"] == [[2]], out
    applied = {"count": [[2]], "point": [["n1"]], "neighbors": [[0]]}  # n1 has no edges
    for key, answer in out.items():
        if not key.startswith(("full", "healed", "reopened")):
            continue
        what = key.split()[-1]
        if not key.startswith("reopened") and isinstance(answer, str):
            assert "samverkan settle" in answer and "n1" not in answer, (key, answer)
        else:
            assert answer == applied[what], (key, answer, out)
    assert out["integrity"] == [["ok"]], out
