"""kg_nodes: reads, pushdown, writes, errors."""
import sqlite3

import pytest

from conftest import rows


def plan(db, sql):
    return " ".join(r[3] for r in rows(db, "EXPLAIN QUERY PLAN " + sql))


def test_columns(db):
    assert rows(db, "SELECT rowid, key, kind, name, sector, aliases, props, sources "
                    "FROM kg_nodes WHERE key = 'org:msi'") == [
        (1, "org:msi", "actor", "MSI", "nonprofit", '["Mora Sport Initiative"]',
         '{"founded":1998}', "[]")]
    assert rows(db, "SELECT props ->> '$.founded' FROM kg_nodes WHERE key = 'org:msi'") == [(1998,)]
    assert rows(db, "SELECT typeof(batch) FROM kg_nodes LIMIT 1") == [("integer",)]


def test_full_scan_in_id_order(db):
    assert [r[0] for r in rows(db, "SELECT key FROM kg_nodes")] == [
        "org:msi", "org:oru", "org:vinnova", "proj:mora", "reg:mora"]
    assert "ORDER BY" not in plan(db, "SELECT key FROM kg_nodes ORDER BY rowid")


@pytest.mark.parametrize("where, index, keys", [
    ("key = 'org:oru'", "INDEX 2:key=", ["org:oru"]),
    ("rowid = 3", "INDEX 1:rowid=", ["org:vinnova"]),
    ("kind = 'actor'", "INDEX 8:kind=", ["org:msi", "org:oru", "org:vinnova"]),
    ("sector = 'public'", "INDEX 16:sector=", ["org:vinnova"]),
    ("kind = 'actor' AND sector = 'academia'", "INDEX 24:kind=,sector=", ["org:oru"]),
    ("name = 'orebro UNIVERSITET'", "INDEX 4:name=", ["org:oru"]),
    ("name = 'mora sport initiative'", "INDEX 4:name=", ["org:msi"]),
    ("key = 'org:oru' AND name = 'OREBRO universitet'", "INDEX 6:key=,name=", ["org:oru"]),
    ("key = 'org:oru' AND name = 'mora'", "INDEX 6:key=,name=", []),
    ("key IN ('org:msi', 'reg:mora')", "INDEX 2:key=", ["org:msi", "reg:mora"]),
    ("key = 'nope'", "INDEX 2:key=", []),
    ("kind = 'nope'", "INDEX 8:kind=", []),
])
def test_pushdown(db, where, index, keys):
    sql = f"SELECT key FROM kg_nodes WHERE {where}"
    assert index in plan(db, sql)
    assert [r[0] for r in rows(db, sql)] == keys


def test_point_lookup_drives_a_join(db):
    sql = ("SELECT n.name FROM kg_edges e JOIN kg_nodes n ON n.key = e.dst "
           "WHERE e.src = 'org:msi' ORDER BY 1")
    assert "INDEX 2:key=" in plan(db, sql)
    assert rows(db, sql) == [("Mora",), ("Mora digital",)]


def test_insert_upserts_by_key(db):
    db.execute("INSERT INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'MSI 2')")
    assert rows(db, "SELECT rowid, name, sector FROM kg_nodes WHERE key = 'org:msi'") == [
        (1, "MSI 2", None)]
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE src = 'org:msi'") == [(2,)]


def test_insert_returns_the_node_id(db):
    cur = db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:new', 'person')")
    assert cur.lastrowid == 6
    assert rows(db, "SELECT name FROM kg_nodes WHERE rowid = 6") == [("p:new",)]


def test_insert_with_sources(db):
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('src:report', 'source')")
    db.execute("INSERT INTO kg_nodes(key, kind, sources) VALUES ('p:x', 'person', '[\"src:report\"]')")
    assert rows(db, "SELECT sources FROM kg_nodes WHERE key = 'p:x'") == [('["src:report"]',)]


def test_update(db):
    db.execute("UPDATE kg_nodes SET name = 'Mora Sport', props = json_set(props, '$.x', 1) "
               "WHERE key = 'org:msi'")
    assert rows(db, "SELECT name, props, aliases FROM kg_nodes WHERE key = 'org:msi'") == [
        ("Mora Sport", '{"founded":1998,"x":1}', '["Mora Sport Initiative"]')]


def test_update_cannot_change_the_key(db):
    with pytest.raises(sqlite3.IntegrityError,
                       match=r"^kg_nodes: cannot change the key of node 'org:msi' to 'org:m'; "
                             r"insert a new node and delete this one instead$"):
        db.execute("UPDATE kg_nodes SET key = 'org:m' WHERE key = 'org:msi'")


def test_delete_removes_the_edges_too(db):
    db.execute("DELETE FROM kg_nodes WHERE key = 'proj:mora'")
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(4,)]
    assert rows(db, "SELECT src, type, dst FROM kg_edges") == [
        ("org:msi", "located_in", "reg:mora")]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


@pytest.mark.parametrize("sql, message", [
    ("INSERT INTO kg_nodes(kind) VALUES ('actor')", "kg_nodes: key is required"),
    ("INSERT INTO kg_nodes(key) VALUES ('x:new')", "kg_nodes: new node 'x:new' needs a kind"),
    ("INSERT INTO kg_nodes(key, kind, props) VALUES ('x', 'actor', '{bad')",
     "kg_nodes: invalid JSON in properties of node 'x': "),
    ("INSERT INTO kg_nodes(key, kind, props) VALUES ('x', 'actor', '[1]')",
     "kg_nodes: properties of node 'x' must be a JSON object, not array"),
    ("INSERT INTO kg_nodes(key, kind, aliases) VALUES ('x', 'actor', 'MSI')",
     "kg_nodes: aliases must be a JSON array of strings"),
    ("INSERT INTO kg_nodes(key, kind, sector) VALUES ('x', 'actor', 'space')",
     "kg_nodes: unknown sector 'space' for node 'x'; the graph's sectors are: "
     "academia, business, public, nonprofit"),
    ("INSERT INTO kg_nodes(key, kind, sources) VALUES ('x', 'actor', '[\"nope\"]')",
     "kg_nodes: source of node 'x': unknown node 'nope'"),
    ("INSERT INTO kg_nodes(rowid, key, kind) VALUES (99, 'x', 'actor')",
     "kg_nodes: rowid is the node id, which the graph assigns; leave it out"),
])
def test_write_errors(db, sql, message):
    with pytest.raises(sqlite3.DatabaseError) as info:
        db.execute(sql)
    assert str(info.value).startswith(message)
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(5,)]


@pytest.mark.parametrize("kind,defect", [(b"\xff".decode("latin-1"), "is not valid UTF-8"),
                                         ("a\x00b", r"contains a NUL character \(U\+0000\)")])
def test_kind_must_be_text(db, kind, defect):
    raw = kind.encode("latin-1") if kind.startswith("\xff") else kind.encode()
    with pytest.raises(sqlite3.OperationalError, match=f"kind of node 'c' {defect}"):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('c', CAST(? AS TEXT))", (raw,))
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE key = 'c'") == [(0,)]


@pytest.mark.parametrize("value", ["NULL", "''"])
def test_update_cannot_remove_a_kind(db, value):
    with pytest.raises(sqlite3.IntegrityError,
                       match="kind of node 'org:msi' cannot be NULL or empty"):
        db.execute(f"UPDATE kg_nodes SET kind = {value} WHERE key = 'org:msi'")
    assert rows(db, "SELECT kind FROM kg_nodes WHERE key = 'org:msi'") == [("actor",)]


@pytest.mark.parametrize("table, sql", [
    ("nodes", "UPDATE kg_nodes SET batch = 99 WHERE key = 'org:msi'"),
    ("nodes", "INSERT INTO kg_nodes(key, kind, batch) VALUES ('x', 'actor', 5)"),
    ("edges", "UPDATE kg_edges SET batch = batch + 1 WHERE rowid = 1"),
    ("edges", "INSERT INTO kg_edges(src, type, dst, batch) VALUES ('org:msi', 'knows', "
              "'org:oru', 1)"),
])
def test_batch_is_written_by_the_graph_only(db, table, sql):
    before = rows(db, f"SELECT rowid, batch FROM kg_{table} ORDER BY rowid")
    with pytest.raises(sqlite3.OperationalError, match=f"kg_{table}: batch is set by the graph"):
        db.execute(sql)
    assert rows(db, f"SELECT rowid, batch FROM kg_{table} ORDER BY rowid") == before
    # Leaving it as it is, as an UPDATE of other columns does, is fine.
    db.execute(f"UPDATE kg_{table} SET props = '{{\"touched\":1}}' WHERE rowid = 1")
