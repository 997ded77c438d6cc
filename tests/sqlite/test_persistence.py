"""Creating, reopening, dropping; paths; several graphs."""
import os
import sqlite3
import subprocess

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
    ("path='a.kg', readonly=maybe", "samverkan: argument 'readonly' must be 1 or 0 (true or false), not 'maybe'"),
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


def test_duplicate_arguments_are_refused(connect):
    db = connect()
    with pytest.raises(sqlite3.OperationalError,
                       match="^samverkan: argument 'path' is given twice$"):
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='a.kg', path='b.kg')")
    with pytest.raises(sqlite3.OperationalError, match="argument 'readonly' is given twice"):
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='a.kg', readonly=0, "
                   "READONLY=1)")


@pytest.mark.parametrize("name", ["kg_pagerank", "KG_Neighbors", "kg_export", "kg_find"])
def test_a_graph_cannot_hide_a_function(connect, name):
    db = connect()
    with pytest.raises(sqlite3.OperationalError, match=f"cannot name a graph '{name}': the "
                       "extension has a function of that name"):
        db.execute(f"CREATE VIRTUAL TABLE {name} USING samverkan(path='x.kg')")
    assert rows(db, "SELECT name FROM sqlite_schema") == []


@pytest.mark.parametrize("existing", [
    "CREATE TABLE mine_nodes(n)", "CREATE TABLE mine_edges(n)",
    "CREATE VIEW mine_nodes AS SELECT 1", "CREATE TABLE t(x); CREATE INDEX mine_edges ON t(x)"])
def test_creating_a_graph_never_adopts_a_users_table(connect, existing):
    db = connect()
    db.executescript(existing)
    before = rows(db, "SELECT type, name FROM sqlite_schema ORDER BY name")
    with pytest.raises(sqlite3.OperationalError, match="already exists in main"):
        db.execute("CREATE VIRTUAL TABLE mine USING samverkan(path='m.kg')")
    assert rows(db, "SELECT type, name FROM sqlite_schema ORDER BY name") == before
    with pytest.raises(sqlite3.OperationalError, match="no such table: mine"):
        db.execute("DROP TABLE mine")
    assert rows(db, "SELECT type, name FROM sqlite_schema ORDER BY name") == before


def test_drop_table_drops_only_the_graphs_own_tables(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE mine USING samverkan(path='m.kg')")
    db.execute("DROP TABLE mine_nodes")
    db.execute("CREATE TABLE mine_nodes(precious)")
    db.execute("INSERT INTO mine_nodes VALUES ('keep me')")
    db.execute("DROP TABLE mine")
    assert rows(db, "SELECT precious FROM mine_nodes") == [("keep me",)]
    assert rows(db, "SELECT name FROM sqlite_schema") == [("mine_nodes",)]


def move(src, dst):
    os.rename(src, dst)


@pytest.mark.parametrize("how", ["graph moved", "db copied elsewhere", "folder renamed",
                                 "dump restored elsewhere"])
def test_a_missing_graph_is_an_error_never_a_new_empty_graph(connect, tmp_path, how):
    home = tmp_path / "home"
    home.mkdir()
    db = connect("home/a.db")
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    db.close()
    if how == "graph moved":
        move(home / "msi.kg", home / "elsewhere.kg")
        name, looked_for = "home/a.db", home / "msi.kg"
    elif how == "db copied elsewhere":
        (tmp_path / "copy").mkdir()
        (tmp_path / "copy" / "a.db").write_bytes((home / "a.db").read_bytes())
        name, looked_for = "copy/a.db", tmp_path / "copy" / "msi.kg"
    elif how == "folder renamed":
        move(home, tmp_path / "renamed")
        (tmp_path / "renamed" / "msi.kg").rename(tmp_path / "renamed" / "old.kg")
        name, looked_for = "renamed/a.db", tmp_path / "renamed" / "msi.kg"
    else:
        # The shell's .dump writes the graph tables into the schema directly.
        dump = subprocess.run(["sqlite3", str(home / "a.db"), ".dump"], capture_output=True,
                              text=True, check=True).stdout
        assert "INSERT INTO sqlite_schema" in dump and "samverkan(path=''msi.kg'')" in dump
        (tmp_path / "restored").mkdir()
        subprocess.run(["sqlite3", str(tmp_path / "restored" / "a.db")], input=dump, text=True,
                       check=True)
        name, looked_for = "restored/a.db", tmp_path / "restored" / "msi.kg"
    again = connect(name)
    for sql in ("SELECT count(*) FROM kg_nodes", "SELECT * FROM kg",
                "SELECT * FROM kg_neighbors('kg', 'a')", "SELECT kg_stats('kg')",
                "INSERT INTO kg_nodes(key, kind) VALUES ('b', 'actor')"):
        with pytest.raises(sqlite3.OperationalError) as e:
            again.execute(sql).fetchall()
        assert f"no graph at '{looked_for}'" in str(e.value), (sql, str(e.value))
        assert "DROP TABLE \"kg\"; CREATE VIRTUAL TABLE \"kg\" USING samverkan(path=" in \
            str(e.value)
    assert not looked_for.exists()
    # The way out the message gives works.
    target = {"graph moved": home / "elsewhere.kg", "db copied elsewhere": home / "msi.kg",
              "folder renamed": tmp_path / "renamed" / "old.kg",
              "dump restored elsewhere": home / "msi.kg"}[how]
    again.execute("DROP TABLE kg")
    again.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{target}')")
    assert rows(again, "SELECT key FROM kg_nodes") == [("a",)]


def test_attached_databases_keep_their_own_graphs(connect, tmp_path):
    (tmp_path / "main").mkdir()
    (tmp_path / "other").mkdir()
    a = connect("main/a.db")
    a.execute("CREATE VIRTUAL TABLE og USING samverkan(path='g.kg')")
    a.execute("INSERT INTO og_nodes(key, kind) VALUES ('in-main', 'actor')")
    b = connect("other/b.db")
    b.execute("CREATE VIRTUAL TABLE og USING samverkan(path='g.kg')")
    b.execute("INSERT INTO og_nodes(key, kind) VALUES ('in-other', 'actor')")
    b.close()
    a.execute("ATTACH ? AS aux", (str(tmp_path / "other" / "b.db"),))
    # Each schema's graph resolves against its own file and stays its own.
    assert rows(a, "SELECT path FROM main.og") == [(str(tmp_path / "main" / "g.kg"),)]
    assert rows(a, "SELECT path FROM aux.og") == [(str(tmp_path / "other" / "g.kg"),)]
    assert rows(a, "SELECT key FROM main.og_nodes") == [("in-main",)]
    assert rows(a, "SELECT key FROM aux.og_nodes") == [("in-other",)]
    a.execute("INSERT INTO aux.og_nodes(key, kind) VALUES ('new', 'actor')")
    assert rows(a, "SELECT key FROM main.og_nodes") == [("in-main",)]
    assert rows(a, "SELECT count(*) FROM aux.og_nodes") == [(2,)]
    # Functions name a graph as SQLite names tables: unqualified is main's
    # (after temp), "aux.og" the attached one.
    assert rows(a, "SELECT key FROM kg_find('og', 'in-main')") == [("in-main",)]
    assert rows(a, "SELECT key FROM kg_find('aux.og', 'in-other')") == [("in-other",)]
    assert not (tmp_path / "main" / "other").exists()
    # DROP TABLE of the attached graph drops its own tables only.
    a.execute("DROP TABLE aux.og")
    assert rows(a, "SELECT count(*) FROM main.og_nodes") == [(1,)]
    assert rows(a, "SELECT name FROM aux.sqlite_schema") == []
