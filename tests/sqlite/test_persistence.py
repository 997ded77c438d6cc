"""Creating, reopening, dropping; paths; several graphs."""
import os
import sqlite3

import pytest

from conftest import rows


def test_reopen_needs_only_load(db, connect, tmp_path):
    db.close()
    again = connect()
    assert rows(again, "SELECT count(*) FROM kg_nodes") == [(5,)]
    again2 = connect()  # a TVF first, before any table of the graph was touched
    assert len(rows(again2, "SELECT * FROM kg_neighbors('kg', 'proj:mora')")) == 3
    assert rows(again2, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_reopen_without_the_extension_fails_clearly(db, connect):
    plain = connect(load=False)
    with pytest.raises(sqlite3.OperationalError, match="no such module: samverkan"):
        plain.execute("SELECT count(*) FROM kg_nodes")


def test_relative_path_follows_the_database_file(connect, tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    db = connect("sub/test.db")
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    assert (sub / "g.kg").is_dir()
    assert rows(db, "SELECT path FROM kg") == [(str(sub / "g.kg"),)]


def test_in_memory_database_resolves_against_the_working_directory(connect, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='mem.kg')")
    assert (tmp_path / "mem.kg").is_dir()


def test_several_graphs_per_connection(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg1 USING samverkan(path='one.kg')")
    db.execute("CREATE VIRTUAL TABLE kg2 USING samverkan(path='two.kg')")
    db.execute("INSERT INTO kg1_nodes(key, kind) VALUES ('a', 'x'), ('b', 'x')")
    db.execute("INSERT INTO kg2_nodes(key, kind) VALUES ('c', 'x')")
    db.execute("INSERT INTO kg1_edges(src, type, dst) VALUES ('a', 'e', 'b')")
    assert rows(db, "SELECT count(*) FROM kg1_nodes") == [(2,)]
    assert rows(db, "SELECT count(*) FROM kg2_nodes") == [(1,)]
    assert rows(db, "SELECT key FROM kg_neighbors('kg1', 'a')") == [("b",)]
    with pytest.raises(sqlite3.OperationalError, match="^kg_neighbors: unknown node 'a'$"):
        db.execute("SELECT key FROM kg_neighbors('kg2', 'a')")


def test_two_connections_share_one_open_graph(db, connect):
    other = connect()
    other.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')")
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(6,)]


def test_drop_keeps_the_directory(db, tmp_path):
    db.execute("DROP TABLE kg")
    assert rows(db, "SELECT name FROM sqlite_schema") == []
    assert (tmp_path / "msi.kg").is_dir()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(5,)]


@pytest.mark.parametrize("args, message", [
    ("", "samverkan: missing required argument 'path'"),
    ("path=''", "samverkan: argument 'path' is empty"),
    ("path='a.kg', colour=1", "samverkan: unknown argument 'colour'"),
    ("path='a.kg', readonly=maybe", "samverkan: argument 'readonly' must be 0 or 1, not 'maybe'"),
    ("'a.kg'", "samverkan: argument ''a.kg'' needs a value, as in path='msi.kg'"),
])
def test_create_errors(connect, args, message):
    db = connect()
    with pytest.raises(sqlite3.OperationalError) as info:
        db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan({args})")
    assert str(info.value) == message


def test_path_that_is_a_file(connect, tmp_path):
    (tmp_path / "file.kg").write_text("not a graph")
    db = connect()
    with pytest.raises(sqlite3.OperationalError, match="^samverkan: "):
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='file.kg')")


def test_readonly_option(db, connect):
    ro = connect("ro.db")
    ro.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg', readonly=1)")
    assert rows(ro, "SELECT count(*) FROM kg_nodes") == [(5,)]
    assert rows(ro, "SELECT read_only FROM kg") == [(1,)]
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg_nodes: graph '.*/msi.kg' is open read-only \(readonly=1\)$"):
        ro.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')")


def test_tables_cannot_be_used_from_triggers(db):
    db.execute("CREATE TABLE t(x)")
    db.execute("CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
               "INSERT INTO kg_nodes(key, kind) VALUES (new.x, 'person'); END")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of virtual table"):
        db.execute("INSERT INTO t VALUES ('p:1')")
