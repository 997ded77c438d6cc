"""kg_nodes: reads, pushdown, writes, errors."""
import os
import sqlite3
import subprocess

import pytest

from conftest import REPO, rows, snapshot


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


# ON CONFLICT as SQLite's own tables have it (docs/sql-reference.md, kg_nodes).
NODE_CONFLICT = ("UNIQUE constraint failed: kg_nodes.key ('org:msi'); "
                 "OR REPLACE overwrites the existing row, OR IGNORE keeps it")


@pytest.mark.parametrize("verb", ["INSERT", "INSERT OR ABORT", "INSERT OR FAIL",
                                  "INSERT OR ROLLBACK"])
def test_insert_of_an_existing_key_fails(db, verb):
    before = snapshot(db)
    with pytest.raises(sqlite3.IntegrityError) as info:
        db.execute(f"{verb} INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'MSI 2')")
    assert str(info.value) == NODE_CONFLICT
    assert info.value.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    assert snapshot(db) == before


def test_insert_or_ignore_keeps_the_node(db):
    before = snapshot(db)
    cur = db.execute("INSERT OR IGNORE INTO kg_nodes(key, kind, name) VALUES "
                     "('org:msi', 'actor', 'MSI 2'), ('p:new', 'person', 'New')")
    assert cur.rowcount == 1  # the ignored row is not a change
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(6,)]
    assert snapshot(db)[0][:5] == before[0]
    assert snapshot(db)[1] == before[1]


def test_insert_or_replace_replaces_the_node(db):
    db.execute("INSERT OR REPLACE INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'MSI 2')")
    assert rows(db, "SELECT rowid, name, sector FROM kg_nodes WHERE key = 'org:msi'") == [
        (1, "MSI 2", None)]
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE src = 'org:msi'") == [(2,)]
    db.execute("REPLACE INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'MSI 3')")
    assert rows(db, "SELECT rowid, name FROM kg_nodes WHERE key = 'org:msi'") == [(1, "MSI 3")]


def test_a_key_twice_in_one_statement_conflicts_with_itself(db):
    with pytest.raises(sqlite3.IntegrityError, match=r"kg_nodes\.key \('p:a'\)"):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:a', 'person'), ('p:a', 'person')")
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(5,)]
    db.execute("INSERT OR IGNORE INTO kg_nodes(key, kind, name) VALUES "
               "('p:a', 'person', 'first'), ('p:a', 'person', 'second')")
    assert rows(db, "SELECT name FROM kg_nodes WHERE key = 'p:a'") == [("first",)]


def test_the_message_quotes_the_key_as_sql(db):
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('it''s', 'person')")
    with pytest.raises(sqlite3.IntegrityError, match=r"kg_nodes\.key \('it''s'\);"):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('it''s', 'person')")


# A multi-row statement that meets an existing key on its third row, inside a
# transaction that has already written a node.
NEW_THEN_EXISTING = ("{verb} INTO kg_nodes(key, kind) SELECT column1, 'person' FROM "
                     "(VALUES ('p:1'), ('p:2'), ('org:msi'), ('p:3'))")


def keys_like_p(db):
    return [r[0] for r in rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person' ORDER BY 1")]


@pytest.mark.parametrize("verb, in_transaction, kept", [
    # ABORT undoes the statement; the transaction and its earlier writes stay.
    ("INSERT OR ABORT", True, ["p:0"]),
    ("INSERT", True, ["p:0"]),
    # FAIL keeps the statement's rows before the conflict.
    ("INSERT OR FAIL", True, ["p:0", "p:1", "p:2"]),
    # ROLLBACK ends the whole transaction.
    ("INSERT OR ROLLBACK", False, []),
])
def test_abort_fail_and_rollback_in_a_transaction(db, verb, in_transaction, kept):
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:0', 'person')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: kg_nodes.key"):
        db.execute(NEW_THEN_EXISTING.format(verb=verb))
    assert db.in_transaction == in_transaction
    assert keys_like_p(db) == kept
    if in_transaction:
        db.execute("COMMIT")
    assert keys_like_p(db) == kept
    assert rows(db, "SELECT name FROM kg_nodes WHERE key = 'org:msi'") == [("MSI",)]


@pytest.mark.parametrize("verb, kept", [("INSERT OR ABORT", []),
                                        ("INSERT OR FAIL", ["p:1", "p:2"])])
def test_abort_and_fail_outside_a_transaction(db, connect, verb, kept):
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: kg_nodes.key"):
        db.execute(NEW_THEN_EXISTING.format(verb=verb))
    assert keys_like_p(db) == kept
    # What stayed is committed: another connection sees it.
    assert keys_like_p(connect()) == kept


def run_conflicting_statement(db, table, verb, in_transaction):
    """What a statement meeting an existing key on its third row leaves:
    (error or None, changes(), still in a transaction, keys kept)."""
    if in_transaction:
        db.execute("BEGIN")
        db.execute(f"INSERT INTO {table}(key, kind) VALUES ('p:0', 'person')")
    error = None
    try:
        db.execute(f"{verb} INTO {table}(key, kind, name) SELECT column1, 'person', 'new' "
                   "FROM (VALUES ('p:1'), ('p:2'), ('org:msi'), ('p:3'))")
    except sqlite3.IntegrityError as e:
        error = e.sqlite_errorname
    changes = db.execute("SELECT changes()").fetchone()[0]
    in_txn = db.in_transaction
    if in_txn:
        db.execute("COMMIT")
    kept = [r[0] for r in rows(db, f"SELECT key FROM {table} WHERE kind = 'person' ORDER BY 1")]
    name = rows(db, f"SELECT name FROM {table} WHERE key = 'org:msi'")
    return error, changes, in_txn, kept, name


@pytest.mark.parametrize("in_transaction", [False, True])
@pytest.mark.parametrize("verb", ["INSERT", "INSERT OR ABORT", "INSERT OR FAIL",
                                  "INSERT OR ROLLBACK", "INSERT OR IGNORE"])
def test_conflicts_end_as_on_a_plain_table(db, verb, in_transaction):
    db.execute("CREATE TABLE plain(key TEXT UNIQUE, kind, name)")
    db.execute("INSERT INTO plain SELECT key, kind, name FROM kg_nodes")
    assert (run_conflicting_statement(db, "kg_nodes", verb, in_transaction)
            == run_conflicting_statement(db, "plain", verb, in_transaction))


def test_upsert_syntax_is_not_available(db):
    with pytest.raises(sqlite3.OperationalError,
                       match='UPSERT not implemented for virtual table "kg_nodes"'):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('org:msi', 'actor') "
                   "ON CONFLICT(key) DO UPDATE SET name = 'x'")


def test_update_or_ignore_skips_a_row_it_cannot_change(db):
    before = snapshot(db)
    cur = db.execute("UPDATE OR IGNORE kg_nodes SET key = 'org:oru' WHERE key = 'org:msi'")
    assert cur.rowcount == 0
    assert snapshot(db) == before


def test_conflicts_in_the_sqlite3_shell(ext, tmp_path):
    script = ("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg');\n"
              "INSERT INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'MSI');\n"
              "INSERT INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'plain');\n"
              "INSERT OR IGNORE INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'ignored');\n"
              "SELECT 'after ignore', name, changes() FROM kg_nodes;\n"
              "INSERT OR REPLACE INTO kg_nodes(key, kind, name) VALUES ('org:msi', 'actor', 'replaced');\n"
              "SELECT 'after replace', name FROM kg_nodes;\n")
    r = subprocess.run(["sqlite3", "-cmd", f".load {ext}", str(tmp_path / "t.db")],
                       input=script, capture_output=True, text=True, cwd=tmp_path)
    assert r.stderr.strip() == "Runtime error near line 3: " + NODE_CONFLICT + " (19)", r.stderr
    assert r.stdout.splitlines() == ["after ignore|MSI|0", "after replace|replaced"]


def test_imports_still_merge_into_existing_nodes_and_edges(db, tmp_path):
    # kg_import and `samverkan import` are idempotent: they do not go through
    # INSERT, and an existing key or edge is merged, not a conflict.
    data = tmp_path / "more.jsonl"
    data.write_text('{"key": "org:msi", "kind": "actor", "name": "MSI imported"}\n'
                    '{"src": "org:msi", "type": "participates_in", "dst": "proj:mora", '
                    '"weight": 4}\n')
    for _ in range(2):
        assert db.execute("SELECT kg_import('kg', ?, 'jsonl')", (str(data),)).fetchone()[0]
    cli = os.environ.get("SAMVERKAN_CLI") or str(REPO / "build" / "bin" / "samverkan")
    if os.path.exists(cli):  # it asks this process for the graph, as test_processes shows
        done = subprocess.run([cli, "import", str(tmp_path / "msi.kg"), str(data), "-q"],
                              capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stderr) == (0, "")
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(5,)]
    assert rows(db, "SELECT rowid, name, sector FROM kg_nodes WHERE key = 'org:msi'") == [
        (1, "MSI imported", "nonprofit")]
    assert rows(db, "SELECT count(*), max(weight) FROM kg_edges WHERE src = 'org:msi' "
                    "AND type = 'participates_in'") == [(1, 4.0)]


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
