"""A database someone else wrote cannot make our functions touch files or
open graphs: every function and table-valued function that reads or writes
files or opens graph directories, placed in every part of a schema, is
refused when the user merely uses that database (docs/security.md).

The hostile database is built as an attacker would: its schema calls the
real function names (stand-ins with the same names let SQLite accept the
CREATE statements), and its graph table points at a directory that must
never be created."""
import os
import sqlite3

import pytest

from conftest import rows

SCALARS = {
    "kg_export": "kg_export('kg', 'jsonl', '{victim}')",
    "kg_import": "kg_import('kg', '{payload}', 'jsonl')",
    "kg_stats": "kg_stats('kg')",
    "kg_integrity_check": "kg_integrity_check('kg')",
    "kg_set": "kg_set('cypher_memory_limit', 1)",
}
TVFS = ["kg_neighbors('kg', 'a')", "kg_shortest_path('kg', 'a', 'a')",
        "kg_all_shortest_paths('kg', 'a', 'a')", "kg_find('kg', 'a')", "kg_pagerank('kg')",
        "kg_components('kg')", "kg_betweenness('kg')", "kg_closeness('kg')",
        "kg_degree('kg')", "kg_kcore('kg')", "kg_clustering('kg')", "kg_communities('kg')",
        "kg_projection('kg')", "kg_sector_mixing('kg')", "kg_ei_index('kg')",
        "kg_assortativity('kg')", "kg_brokerage('kg')", "kg_conductance('kg')"]
TABLES = ["kg", "kg_nodes", "kg_edges"]

# Where a schema can call a scalar function.
SCALAR_PLACES = {
    "check": ["CREATE TABLE t(x CHECK ({call} IS NOT NULL))"],
    "default": ["CREATE TABLE t(x, y DEFAULT ({call}))"],
    "generated": ["CREATE TABLE t(x, y AS ({call}))"],
    "generated stored": ["CREATE TABLE t(x, y AS ({call}) STORED)"],
    "index expression": ["CREATE TABLE t(x)", "CREATE INDEX i ON t(({call}))"],
    "partial index": ["CREATE TABLE t(x)", "CREATE INDEX i ON t(x) WHERE {call} IS NOT NULL"],
    "trigger": ["CREATE TABLE t(x)",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT {call}; END"],
    "view": ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT {call} AS r"],
}
# Where a schema can read a table or table-valued function.
TABLE_PLACES = {
    "trigger": ["CREATE TABLE t(x)",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT * FROM {call}; END"],
    "view": ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT * FROM {call}"],
    "view of a view": ["CREATE TABLE t(x)", "CREATE VIEW w AS SELECT * FROM {call}",
                       "CREATE VIEW v AS SELECT * FROM w"],
}
# What the victim does with the database: nothing that names our functions.
VICTIM = ["INSERT INTO t(x) VALUES (1)", "UPDATE t SET x = 2", "SELECT * FROM t",
          "SELECT * FROM v", "REINDEX"]


def build_hostile_db(ext, tmp_path, statements):
    """evil.db: a graph table whose directory is in `tmp_path/never` (which
    must never be created), plus `statements`."""
    path = tmp_path / "evil.db"
    db = sqlite3.connect(path)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path}/made.kg')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    db.commit()
    # Stand-ins, so that SQLite accepts every CREATE (an attacker may also
    # write sqlite_schema directly).
    for name, call in SCALARS.items():
        n_args = call.count(",") + 1
        db.create_function(name, n_args, lambda *args: 1, deterministic=True)
    for sql in statements:
        db.execute(sql)
    # The graph table now names a directory that does not exist.
    db.execute("PRAGMA writable_schema = ON")
    for table in TABLES:
        db.execute("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?",
                   (f"{tmp_path}/made.kg", f"{tmp_path}/never/g.kg", table))
    db.commit()
    db.close()
    return path


def use_as_victim(ext, path, trusted):
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"PRAGMA trusted_schema = {trusted}")
    outcomes = []
    for sql in VICTIM:
        try:
            db.execute(sql).fetchall()
            outcomes.append("ok")
        except sqlite3.Error as e:
            outcomes.append(str(e))
    db.close()
    return outcomes


def assert_harmless(tmp_path, victim, payload_graph_unchanged=True):
    assert victim.read_text() == "precious", "the victim file was written"
    assert not (tmp_path / "never").exists(), "a graph directory named in the schema was opened"


@pytest.fixture
def victim(tmp_path):
    v = tmp_path / "victim.txt"
    v.write_text("precious")
    (tmp_path / "payload.jsonl").write_text('{"key":"injected","kind":"actor"}\n')
    return v


@pytest.mark.parametrize("trusted", ["OFF", "ON"])
@pytest.mark.parametrize("place", list(SCALAR_PLACES))
@pytest.mark.parametrize("function", list(SCALARS))
def test_scalar_functions_in_every_schema_place(ext, tmp_path, victim, function, place,
                                                trusted):
    call = SCALARS[function].format(victim=victim, payload=tmp_path / "payload.jsonl")
    path = build_hostile_db(ext, tmp_path,
                            [s.format(call=call) for s in SCALAR_PLACES[place]])
    outcomes = use_as_victim(ext, path, trusted)
    # Whatever SQLite says (an "unsafe use" or a malformed schema), our
    # function never ran: nothing was written, no graph was opened.
    assert any(f"unsafe use of {function}()" in o for o in outcomes), outcomes
    assert_harmless(tmp_path, victim)


@pytest.mark.parametrize("place", list(TABLE_PLACES))
@pytest.mark.parametrize("call", TVFS + TABLES)
def test_tables_and_table_valued_functions_in_views_and_triggers(ext, tmp_path, victim, call,
                                                                  place):
    path = build_hostile_db(ext, tmp_path, [s.format(call=call) for s in TABLE_PLACES[place]])
    outcomes = use_as_victim(ext, path, "ON")
    name = call.split("(")[0]
    assert any(f"unsafe use of virtual table \"{name}\"" in o for o in outcomes), outcomes
    assert_harmless(tmp_path, victim)


def test_the_graph_of_a_hostile_db_is_opened_only_when_the_user_asks(ext, tmp_path, victim):
    path = build_hostile_db(ext, tmp_path, ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT 1"])
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    # Opening the .db and using its plain tables opens no graph.
    db.execute("SELECT * FROM t").fetchall()
    assert not (tmp_path / "never").exists()
    # Asking for the graph fails (it does not exist) and creates nothing.
    with pytest.raises(sqlite3.OperationalError, match="no graph at"):
        db.execute("SELECT * FROM kg_nodes").fetchall()
    assert not (tmp_path / "never").exists()
