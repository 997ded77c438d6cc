"""The tables a graph table makes beside itself (kg_nodes, kg_edges,
kg_commits): never one of the user's, and they follow the graph table.

The names are enumerated from what CREATE VIRTUAL TABLE actually makes (it
makes them from the one list in sqlite-ext/graph_table.h), so a sibling
added later is covered without touching this file.
"""
import sqlite3

import pytest

from conftest import rows

# A user object of each kind SQLite keeps in sqlite_schema, named `name`.
USER_OBJECTS = {
    "table": ["CREATE TABLE {name}(xid TEXT, note TEXT)",
              "INSERT INTO {name} VALUES ('mine', 'keep me')"],
    "view": ["CREATE VIEW {name} AS SELECT 1 AS one"],
    "index": ["CREATE TABLE mine(x)", "CREATE INDEX {name} ON mine(x)"],
    "trigger": ["CREATE TABLE mine(x)",
                "CREATE TRIGGER {name} AFTER INSERT ON mine BEGIN SELECT 1; END"],
}


def schema(conn):
    return rows(conn, "SELECT type, name, sql FROM sqlite_schema ORDER BY name")


@pytest.fixture
def sibling_suffixes(connect):
    """The suffixes of the names CREATE VIRTUAL TABLE kg makes beside kg."""
    probe = connect("probe.db")
    probe.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='probe.kg')")
    names = [name for (name,) in rows(probe, "SELECT name FROM sqlite_schema WHERE name != 'kg'")]
    assert all(name.startswith("kg_") for name in names), names
    suffixes = sorted(name[len("kg"):] for name in names)
    assert {"_nodes", "_edges", "_commits"} <= set(suffixes)
    return suffixes


def test_create_never_adopts_a_user_object_under_a_sibling_name(connect, tmp_path,
                                                                   sibling_suffixes):
    for suffix in sibling_suffixes:
        for kind, statements in USER_OBJECTS.items():
            conn = connect(f"user{suffix}_{kind}.db")
            for statement in statements:
                conn.execute(statement.format(name=f"git{suffix}"))
            before = schema(conn)
            with pytest.raises(sqlite3.OperationalError) as raised:
                conn.execute(f"CREATE VIRTUAL TABLE git USING samverkan(path='git{suffix}{kind}.kg')")
            message = str(raised.value)
            assert f"'git{suffix}' already exists" in message, message
            assert "choose another name" in message
            assert schema(conn) == before
            assert not (tmp_path / f"git{suffix}{kind}.kg").exists()
            if kind == "table":
                assert rows(conn, f"SELECT * FROM git{suffix}") == [("mine", "keep me")]


def test_the_issues_git_commits_keeps_its_rows(connect):
    conn = connect()
    conn.execute("CREATE TABLE git_commits(sha TEXT, message TEXT)")
    conn.execute("INSERT INTO git_commits VALUES ('abc123', 'first')")
    with pytest.raises(sqlite3.OperationalError, match="'git_commits' already exists"):
        conn.execute("CREATE VIRTUAL TABLE git USING samverkan(path='git.kg')")
    assert rows(conn, "SELECT * FROM git_commits") == [("abc123", "first")]


def test_a_commit_never_writes_a_user_table_that_took_the_logs_name(connect):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("DROP TABLE kg_commits")
    conn.execute("CREATE TABLE kg_commits(xid TEXT PRIMARY KEY, note TEXT)")
    conn.execute("INSERT INTO kg_commits VALUES ('mine', 'keep me')")
    with pytest.raises(sqlite3.OperationalError, match="is not the graph's commit log"):
        conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('n', 'actor')")
    assert rows(conn, "SELECT * FROM kg_commits") == [("mine", "keep me")]
    assert rows(conn, "SELECT count(*) FROM kg_nodes") == [(0,)]
    # DROP TABLE kg leaves it too.
    conn.execute("DROP TABLE kg")
    assert rows(conn, "SELECT * FROM kg_commits") == [("mine", "keep me")]


def test_rename_moves_the_siblings(connect, sibling_suffixes):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor'), ('b', 'actor')")
    conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('a', 'knows', 'b')")
    conn.execute("ALTER TABLE kg RENAME TO kg2")
    names = {name for (name,) in rows(conn, "SELECT name FROM sqlite_schema")}
    assert names == {"kg2"} | {"kg2" + s for s in sibling_suffixes}
    assert rows(conn, "SELECT key FROM kg2_nodes ORDER BY key") == [("a",), ("b",)]
    assert rows(conn, "SELECT count(*) FROM kg2_edges") == [(1,)]
    conn.execute("INSERT INTO kg2_nodes(key, kind) VALUES ('c', 'actor')")
    assert rows(conn, "SELECT count(*) FROM kg2_commits") == [(1,)]
    assert rows(conn, "SELECT kg_integrity_check('kg2')") == [("ok",)]
    conn.close()
    again = connect()
    assert rows(again, "SELECT count(*) FROM kg2_nodes") == [(3,)]
    again.execute("DROP TABLE kg2")
    assert rows(again, "SELECT name FROM sqlite_schema") == []


def test_rename_is_refused_when_a_new_sibling_name_is_taken(connect, sibling_suffixes):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    for suffix in sibling_suffixes:
        conn.execute(f"CREATE TABLE new{suffix}(x)")
        before = schema(conn)
        with pytest.raises(sqlite3.OperationalError, match=f"'new{suffix}' already exists"):
            conn.execute("ALTER TABLE kg RENAME TO new")
        assert schema(conn) == before
        conn.execute(f"DROP TABLE new{suffix}")
    assert rows(conn, "SELECT key FROM kg_nodes") == [("a",)]


def test_rename_is_refused_while_the_graph_has_uncommitted_writes(connect):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="uncommitted writes"):
        conn.execute("ALTER TABLE kg RENAME TO kg2")
    conn.execute("COMMIT")
    assert rows(conn, "SELECT key FROM kg_nodes") == [("a",)]


@pytest.mark.parametrize("sibling", ["kg_nodes", "kg_edges"])
def test_a_sibling_is_not_renamed_on_its_own(connect, sibling):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    before = schema(conn)
    with pytest.raises(sqlite3.OperationalError, match=f"cannot rename {sibling} to mine on its own"):
        conn.execute(f"ALTER TABLE {sibling} RENAME TO mine")
    assert schema(conn) == before


@pytest.mark.parametrize("mode", ["autocommit", "transaction"])
def test_a_cypher_write_never_touches_a_temp_table_named_like_the_graph(connect, mode):
    # kg_cypher enlists the graph's table in SQLite's transaction with a
    # statement on it; unqualified, it used to write the TEMP table that
    # hides the graph's name, and the graph's writes were lost.
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("CREATE TEMP TABLE kg(note)")
    conn.execute("INSERT INTO temp.kg(rowid, note) VALUES (0, 'keep me')")
    if mode == "transaction":
        conn.execute("BEGIN")
    assert rows(conn, "SELECT * FROM kg_cypher('kg', 'CREATE (n:actor {key: \"a\"}) "
                      "RETURN n.key')") == [('{"n.key":"a"}',)]
    if mode == "transaction":
        conn.execute("COMMIT")
    assert rows(conn, "SELECT rowid, note FROM temp.kg") == [(0, "keep me")]
    conn.close()
    again = connect()
    assert rows(again, "SELECT key FROM kg_nodes") == [("a",)]


def test_a_graph_table_whose_graph_moved_can_be_renamed(connect, tmp_path):
    conn = connect()
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='kg.kg')")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    conn.close()
    (tmp_path / "kg.kg").rename(tmp_path / "elsewhere.kg")
    again = connect()
    again.execute("ALTER TABLE kg RENAME TO kg2")
    with pytest.raises(sqlite3.OperationalError, match="no graph at"):
        again.execute("SELECT count(*) FROM kg2_nodes").fetchall()
    (tmp_path / "elsewhere.kg").rename(tmp_path / "kg.kg")
    assert rows(again, "SELECT key FROM kg2_nodes") == [("a",)]
