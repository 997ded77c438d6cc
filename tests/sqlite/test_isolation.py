"""A read transaction sees the graph as it sees its plain tables.

Inside BEGIN ... COMMIT the graph stays as of the transaction's first read,
as SQLite keeps a plain table at its snapshot (WAL mode) or keeps writers
out (rollback-journal mode); in autocommit mode each statement sees the
latest commits. Tested against a plain table beside the graph, with the
other writer in this process and in another one.
"""
import json
import sqlite3

import pytest

from conftest import rows
from test_processes import Child

SETUP = """
CREATE TABLE plain(i INTEGER);
CREATE VIRTUAL TABLE kg USING samverkan(path='iso.kg');
INSERT INTO plain VALUES (0);
INSERT INTO kg_nodes(key, kind) VALUES ('n0', 'actor');
"""

COUNTS = """SELECT (SELECT count(*) FROM plain), (SELECT count(*) FROM kg_nodes),
                   (SELECT count(*) FROM kg_degree('kg'))"""


def make_database(connect, journal_mode):
    db = connect()
    assert rows(db, f"PRAGMA journal_mode = {journal_mode}") == [(journal_mode,)]
    db.executescript(SETUP)
    return db


class SameProcess:
    def __init__(self, connect):
        self.db = connect()

    def run(self, sql):
        try:
            return {"rows": [list(r) for r in self.db.execute(sql).fetchall()]}
        except sqlite3.Error as e:
            return {"error": str(e)}

    def close(self):
        pass


@pytest.fixture(params=["same process", "other process"])
def writer_factory(request, connect, ext, tmp_path):
    made = []

    def make():
        w = SameProcess(connect) if request.param == "same process" else \
            Child(str(tmp_path / "test.db"), ext)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


def write(writer, i):
    assert writer.run(f"INSERT INTO plain VALUES ({i})") == {"rows": []}
    assert writer.run(f"INSERT INTO kg_nodes(key, kind) VALUES ('n{i}', 'actor')") == {"rows": []}


def test_wal_a_read_transaction_keeps_its_snapshot_of_both(connect, writer_factory):
    reader = make_database(connect, "wal")
    writer = writer_factory()
    reader.execute("BEGIN")
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    write(writer, 1)
    # Neither the plain table nor the graph moves, through any function.
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    assert rows(reader, "SELECT count(*) FROM kg_find('kg', 'n1')") == [(0,)]
    assert json.loads(rows(reader, "SELECT kg_stats('kg')")[0][0])["nodes"] == 1
    reader.execute("COMMIT")
    assert rows(reader, COUNTS) == [(2, 2, 2)]
    # The next transaction starts from the latest state, and keeps it.
    reader.execute("BEGIN")
    assert rows(reader, COUNTS) == [(2, 2, 2)]
    write(writer, 2)
    assert rows(reader, COUNTS) == [(2, 2, 2)]
    reader.execute("COMMIT")
    assert rows(reader, COUNTS) == [(3, 3, 3)]


def test_wal_back_to_back_transactions_each_see_the_latest(connect, writer_factory):
    reader = make_database(connect, "wal")
    writer = writer_factory()
    reader.execute("BEGIN")
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    reader.execute("COMMIT")
    write(writer, 1)
    reader.execute("BEGIN")  # no statement in autocommit mode in between
    assert rows(reader, COUNTS) == [(2, 2, 2)]
    reader.execute("COMMIT")


def test_rollback_journal_writers_wait_for_the_reader(connect, writer_factory):
    reader = make_database(connect, "delete")
    writer = writer_factory()
    # Long enough for the graph's write access to come over from another
    # process (write_handoff.h), short for the test.
    assert writer.run("PRAGMA busy_timeout = 300") == {"rows": [[300]]}
    reader.execute("BEGIN")
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    # The reader's lock keeps the writer out of both, as SQLite does.
    assert writer.run("INSERT INTO plain VALUES (1)") == {"error": "database is locked"}
    assert writer.run("INSERT INTO kg_nodes(key, kind) VALUES ('n1', 'actor')") == \
        {"error": "database is locked"}
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    reader.execute("COMMIT")
    write(writer, 1)
    assert rows(reader, COUNTS) == [(2, 2, 2)]


def test_a_transaction_sees_its_own_writes_and_then_everyone_elses(connect, writer_factory):
    db = make_database(connect, "wal")
    writer = writer_factory()
    db.execute("BEGIN")
    assert rows(db, COUNTS) == [(1, 1, 1)]
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('mine', 'actor')")
    assert rows(db, COUNTS) == [(1, 2, 2)]
    db.execute("COMMIT")
    write(writer, 1)
    assert rows(db, COUNTS) == [(2, 3, 3)]


def test_a_graph_changed_outside_sqlite_is_not_seen_until_the_transaction_ends(
        connect, tmp_path):
    # kg_import commits to the graph alone; a transaction that has read the
    # graph keeps its state, and may not write on top of the newer one.
    db = make_database(connect, "wal")
    other = connect()
    (tmp_path / "more.jsonl").write_text('{"key": "x", "kind": "actor"}\n')
    db.execute("BEGIN")
    assert rows(db, COUNTS) == [(1, 1, 1)]
    rows(other, "SELECT kg_import('kg', ?, NULL)", (str(tmp_path / "more.jsonl"),))
    assert rows(db, COUNTS) == [(1, 1, 1)]
    with pytest.raises(sqlite3.OperationalError,
                       match="has changed since this transaction first read it"):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('y', 'actor')")
    db.execute("ROLLBACK")
    assert rows(db, COUNTS) == [(1, 2, 2)]
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('y', 'actor')")
    assert rows(db, COUNTS) == [(1, 3, 3)]


def write_together(writer, i):
    for sql in ("BEGIN", f"INSERT INTO plain VALUES ({i})",
                f"INSERT INTO kg_nodes(key, kind) VALUES ('n{i}', 'actor')", "COMMIT"):
        assert writer.run(sql) == {"rows": []}, sql


@pytest.mark.parametrize("first_graph_read", [
    "SELECT count(*) FROM kg_nodes",
    "SELECT count(*) FROM kg_degree('kg')",
    "SELECT kg_stats('kg')",
])
def test_wal_a_graph_newer_than_the_snapshot_is_refused_not_torn(connect, writer_factory,
                                                                  first_graph_read):
    # The reproduction: SQLite fixed the reader's snapshot at its
    # read of the plain table; another connection then committed a row and
    # a node in one transaction. The graph used to show the node while the
    # plain table did not show the row.
    reader = make_database(connect, "wal")
    writer = writer_factory()
    reader.execute("BEGIN")
    assert rows(reader, "SELECT count(*) FROM plain") == [(1,)]
    write_together(writer, 1)
    with pytest.raises(sqlite3.OperationalError, match="roll back and try again") as refused:
        reader.execute(first_graph_read).fetchall()
    assert refused.value.sqlite_errorcode & 0xff == sqlite3.SQLITE_BUSY
    assert rows(reader, "SELECT count(*) FROM plain") == [(1,)]
    reader.execute("ROLLBACK")
    reader.execute("BEGIN")
    assert rows(reader, COUNTS) == [(2, 2, 2)]
    reader.execute("COMMIT")


def test_wal_a_graph_unchanged_since_the_snapshot_is_read(connect, writer_factory):
    reader = make_database(connect, "wal")
    writer = writer_factory()
    reader.execute("BEGIN")
    assert rows(reader, "SELECT count(*) FROM plain") == [(1,)]
    assert writer.run("INSERT INTO plain VALUES (1)") == {"rows": []}  # plain only
    assert rows(reader, COUNTS) == [(1, 1, 1)]
    reader.execute("COMMIT")

