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
