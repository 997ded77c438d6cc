"""BEGIN/COMMIT/ROLLBACK and savepoints map onto engine transactions."""
import json
import sqlite3
import threading
import time

import pytest

from conftest import rows, snapshot

ADD = "INSERT INTO kg_nodes(key, kind) VALUES ('{}', 'person')"


def keys(db):
    return [r[0] for r in rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'")]


def test_rollback_leaves_the_graph_exactly_as_before(db):
    before = snapshot(db)
    db.execute("BEGIN")
    db.execute(ADD.format("p:a"))
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('p:a', 'works_at', 'org:msi')")
    db.execute("UPDATE kg_nodes SET name = 'changed' WHERE key = 'org:oru'")
    db.execute("DELETE FROM kg_nodes WHERE key = 'proj:mora'")
    db.execute("ROLLBACK")
    assert snapshot(db) == before
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_reads_in_a_transaction_see_its_writes(db, connect):
    other = connect()
    db.execute("BEGIN")
    db.execute(ADD.format("p:a"))
    assert keys(db) == ["p:a"]
    assert rows(db, "SELECT key FROM kg_neighbors('kg', 'org:msi')")  # reads through the txn
    assert keys(other) == []  # not committed yet
    db.execute("COMMIT")
    assert keys(other) == ["p:a"]


def test_savepoints(db):
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    db.execute("SAVEPOINT a")
    db.execute(ADD.format("p:2"))
    db.execute("SAVEPOINT b")
    db.execute(ADD.format("p:3"))
    db.execute("ROLLBACK TO b")
    assert keys(db) == ["p:1", "p:2"]
    db.execute(ADD.format("p:4"))
    db.execute("RELEASE b")
    db.execute("ROLLBACK TO a")
    assert keys(db) == ["p:1"]
    db.execute(ADD.format("p:5"))
    db.execute("RELEASE a")
    db.execute("COMMIT")
    assert keys(db) == ["p:1", "p:5"]


def test_savepoint_before_the_first_write(db):
    db.execute("SAVEPOINT outer")
    db.execute("SAVEPOINT inner")
    db.execute(ADD.format("p:1"))
    db.execute("ROLLBACK TO outer")
    assert keys(db) == []
    db.execute(ADD.format("p:2"))
    db.execute("RELEASE outer")
    assert keys(db) == ["p:2"]


def test_failed_statement_inside_a_transaction_is_undone_alone(db):
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    with pytest.raises(sqlite3.OperationalError, match="^kg_edges: unknown node 'org:x'$"):
        db.execute("INSERT INTO kg_edges(src, type, dst) VALUES "
                   "('p:1', 'works_at', 'org:msi'), ('p:1', 'works_at', 'org:x')")
    db.execute("COMMIT")
    assert keys(db) == ["p:1"]
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE src = 'p:1'") == [(0,)]


def test_two_graphs_in_one_transaction(db):
    db.execute("CREATE VIRTUAL TABLE g2 USING samverkan(path='second.kg')")
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    db.execute("INSERT INTO g2_nodes(key, kind) VALUES ('x', 'thing')")
    db.execute("ROLLBACK")
    assert keys(db) == [] and rows(db, "SELECT count(*) FROM g2_nodes") == [(0,)]
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    db.execute("INSERT INTO g2_nodes(key, kind) VALUES ('x', 'thing')")
    db.execute("COMMIT")
    assert keys(db) == ["p:1"] and rows(db, "SELECT count(*) FROM g2_nodes") == [(1,)]


def test_another_connection_writing_is_busy(db, connect, tmp_path):
    # A second .db file naming the same graph: SQLite's own file lock does
    # not serialise the two, the graph's single writer does.
    other = connect("other.db")
    other.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path}/msi.kg')")
    other.execute("PRAGMA busy_timeout = 0")  # fail at once (Python's default waits 5 s)
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg_nodes: graph '.*/msi.kg' is being written by another "
                             r"connection in this process$"):
        other.execute(ADD.format("p:2"))
    db.execute("COMMIT")
    other.execute(ADD.format("p:2"))
    assert keys(db) == ["p:1", "p:2"]


def test_a_busy_writer_waits_up_to_busy_timeout(db, connect, ext, tmp_path):
    db.close()
    # The first writer commits from another thread while the second waits.
    first = sqlite3.connect(str(tmp_path / "test.db"), isolation_level=None,
                            check_same_thread=False)
    first.enable_load_extension(True)
    first.load_extension(ext)
    db = first
    other = connect("other.db")
    other.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path}/msi.kg')")
    other.execute("PRAGMA busy_timeout = 10000")
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    committer = threading.Timer(0.2, lambda: db.execute("COMMIT"))
    committer.start()
    other.execute(ADD.format("p:2"))  # would raise without waiting
    committer.join()
    assert keys(db) == ["p:1", "p:2"]
    # Nobody commits: after the timeout, the documented message.
    other.execute("PRAGMA busy_timeout = 300")
    db.execute("BEGIN")
    db.execute(ADD.format("p:3"))
    start = time.monotonic()
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg_nodes: graph '.*/msi.kg' is being written by another "
                             r"connection in this process$"):
        other.execute(ADD.format("p:4"))
    assert time.monotonic() - start >= 0.25
    db.execute("ROLLBACK")
    first.close()


def test_two_connections_to_one_db_meet_sqlites_lock(db, connect):
    # As documented: SQLite's own write lock on the .db comes first.
    other = connect()
    other.execute("PRAGMA busy_timeout = 100")
    db.execute("BEGIN")
    db.execute(ADD.format("p:1"))
    with pytest.raises(sqlite3.OperationalError, match="^database is locked$"):
        other.execute(ADD.format("p:2"))
    db.execute("COMMIT")
    other.execute(ADD.format("p:2"))
    assert keys(db) == ["p:1", "p:2"]


@pytest.mark.parametrize("drop", ["kg", "kg_nodes", "kg_edges"])
def test_drop_is_refused_while_the_graph_has_uncommitted_writes(db, drop):
    # The reproduction: DROP TABLE kg used to take the graph's
    # pending writes with it while the plain row committed.
    db.execute("CREATE TABLE plain(i)")
    db.execute("BEGIN")
    db.execute("INSERT INTO plain VALUES (1)")
    db.execute(ADD.format("p:1"))
    # SQLite passes no message of a virtual table's xDestroy on: its own
    # text for a table in use is what the user reads.
    with pytest.raises(sqlite3.OperationalError, match="database table is locked") as refused:
        db.execute(f"DROP TABLE {drop}")
    assert refused.value.sqlite_errorcode == sqlite3.SQLITE_LOCKED
    db.execute("COMMIT")
    assert rows(db, "SELECT i FROM plain") == [(1,)]
    assert keys(db) == ["p:1"]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_drop_inside_a_savepoint_is_refused_and_allowed_once_rolled_back(db):
    db.execute("BEGIN")
    db.execute("SAVEPOINT a")
    db.execute(ADD.format("p:1"))
    with pytest.raises(sqlite3.OperationalError, match="database table is locked"):
        db.execute("DROP TABLE kg")
    db.execute("ROLLBACK TO a")
    db.execute("DROP TABLE kg")  # nothing of the graph's is pending now
    db.execute("ROLLBACK")  # and the drop itself rolls back with SQLite's schema
    assert len(rows(db, "SELECT key FROM kg_nodes")) == 5
    db.execute(ADD.format("p:2"))
    assert keys(db) == ["p:2"]


# --- bulk writes (the transaction's own write buffer) ---------------------------

BULK = 1500
NODE = "INSERT INTO kg_nodes(key, kind) VALUES (?, 'person')"
EDGE = "INSERT INTO kg_edges(src, type, dst) VALUES (?, ?, ?)"


def bulk_keys(start, stop):
    return [f"p:{i:05d}" for i in range(start, stop)]


def add_bulk(db, start, stop):
    people = bulk_keys(start, stop)
    db.executemany(NODE, [(k,) for k in people])
    db.executemany(EDGE, [(k, "works_at", "org:msi") for k in people])


def test_a_bulk_transaction_reads_its_own_writes_everywhere(db):
    db.execute("BEGIN")
    add_bulk(db, 0, BULK)
    # Each person knows the one before, and reads come between the writes.
    people = bulk_keys(0, BULK)
    for i in range(1, BULK):
        db.execute(EDGE, (people[i], "knows", people[i - 1]))
        if i % 250 == 0:
            assert rows(db, "SELECT count(*) FROM kg_edges WHERE type = 'knows'") == [(i,)]
    db.execute("UPDATE kg_nodes SET name = 'Renamed' WHERE key = 'p:00010'")
    db.execute("DELETE FROM kg_nodes WHERE key = 'p:00020'")

    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(BULK - 1,)]
    assert rows(db, "SELECT name FROM kg_nodes WHERE key = 'p:00010'") == [("Renamed",)]
    assert rows(db, "SELECT dst FROM kg_edges WHERE src = 'p:00021'") == [("org:msi",)]
    # Every person but the deleted p:00020 works at MSI.
    assert rows(db, "SELECT count(*) FROM kg_neighbors('kg', 'org:msi', 1, 'in')") == \
        [(BULK - 1,)]
    two_hops = rows(db, "SELECT count(*) FROM kg_neighbors('kg', 'p:00100', 2)")[0][0]
    assert two_hops > 0
    got = db.execute("SELECT row FROM kg_cypher('kg', ?, NULL, NULL)",
                     ("MATCH (a:person)-[:knows]->(b:person {name: 'Renamed'}) RETURN a.key AS k",)
                     ).fetchall()
    assert [json.loads(r[0]) for r in got] == [{"k": "p:00011"}]
    in_txn = snapshot(db)
    db.execute("COMMIT")
    assert snapshot(db) == in_txn
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_rollback_to_a_savepoint_in_the_middle_of_a_bulk_insert(db):
    db.execute("BEGIN")
    add_bulk(db, 0, BULK)
    at_savepoint = snapshot(db)  # reads sort what is written so far
    db.execute("SAVEPOINT half")
    add_bulk(db, BULK, 2 * BULK)
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(2 * BULK,)]
    db.execute("UPDATE kg_nodes SET name = 'changed' WHERE key = 'org:msi'")
    db.execute("DELETE FROM kg_nodes WHERE key = 'p:00005'")
    add_bulk(db, 2 * BULK, 2 * BULK + 100)  # not read before the rollback
    db.execute("ROLLBACK TO half")
    assert snapshot(db) == at_savepoint
    db.execute("RELEASE half")
    add_bulk(db, 5000, 5010)
    db.execute("COMMIT")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(BULK + 10,)]
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE key = 'p:01600'") == [(0,)]
    assert rows(db, "SELECT name FROM kg_nodes WHERE key = 'org:msi'") == [("MSI",)]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


@pytest.mark.parametrize("bad_row, error", [
    # An unknown endpoint, and a second edge with the same identity.
    (("p:00700", "works_at", "org:nowhere"), "unknown node 'org:nowhere'"),
    (("p:00002", "works_at", "org:msi"),
     r"UNIQUE constraint failed: kg_edges.src, kg_edges.type, kg_edges.dst, kg_edges.rank "
     r"\('p:00002', 'works_at', 'org:msi', 0\)"),
])
def test_an_error_on_row_n_leaves_nothing_of_the_statement(db, bad_row, error):
    db.execute("BEGIN")
    add_bulk(db, 0, BULK)
    before = snapshot(db)
    # One statement of many rows, the 1000th of which fails: it names the
    # row, and none of the statement's rows stay (SQLite's statement
    # savepoint); the transaction's earlier writes do.
    people = bulk_keys(0, BULK)
    values = [(people[i], "knows", people[i - 1]) for i in range(1, 1000)]
    values.insert(999, bad_row)
    sql = ("INSERT INTO kg_edges(src, type, dst) VALUES " + ", ".join(["(?, ?, ?)"] * len(values)))
    with pytest.raises(sqlite3.DatabaseError, match=error):
        db.execute(sql, [v for row in values for v in row])
    assert snapshot(db) == before
    db.execute("COMMIT")
    assert snapshot(db) == before
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE type = 'knows'") == [(0,)]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]
