"""kg_edges: reads, pushdown, writes, errors."""
import sqlite3

import pytest

from conftest import rows, snapshot
from test_nodes import plan


def test_columns(db):
    assert rows(db, "SELECT rowid, src, type, dst, rank, weight, valid_from, valid_to, props, "
                    "sources FROM kg_edges WHERE rowid = 1") == [
        (1, "org:msi", "participates_in", "proj:mora", 0, 1.0, "2020-01-01", "2022-12-31",
         '{"role":"lead"}', "[]")]
    assert rows(db, "SELECT props ->> 'role' FROM kg_edges WHERE src = 'org:oru'") == [
        ("partner",)]


@pytest.mark.parametrize("where, index, ids", [
    ("rowid = 3", "INDEX 1:rowid=", [3]),
    ("src = 'org:msi'", "INDEX 2:src=", [4, 1]),
    ("dst = 'proj:mora'", "INDEX 4:dst=", [1, 2, 3]),
    ("src = 'org:msi' AND type = 'located_in'", "INDEX 10:src=,type=", [4]),
    ("dst = 'proj:mora' AND type = 'funds'", "INDEX 12:dst=,type=", [3]),
    ("src = 'org:msi' AND dst = 'reg:mora'", "INDEX 6:src=,dst=", [4]),
    ("type = 'participates_in'", "INDEX 8:type=", [1, 2]),
    ("type = 'never_used'", "INDEX 8:type=", []),
    ("src = 'nope'", "INDEX 2:src=", []),
])
def test_pushdown(db, where, index, ids):
    sql = f"SELECT rowid FROM kg_edges WHERE {where}"
    assert index in plan(db, sql)
    assert sorted(r[0] for r in rows(db, sql)) == sorted(ids)


def test_insert_with_rank_weight_and_dates(db):
    db.execute("INSERT INTO kg_edges(src, type, dst, rank, weight, valid_from, valid_to) "
               "VALUES ('org:msi', 'participates_in', 'proj:mora', 1, 3, '2023', '2024-06')")
    assert rows(db, "SELECT rank, weight, valid_from, valid_to FROM kg_edges "
                    "WHERE src = 'org:msi' AND type = 'participates_in' ORDER BY rank") == [
        (0, 1.0, "2020-01-01", "2022-12-31"), (1, 3.0, "2023-01-01", "2024-06-30")]


# ON CONFLICT as SQLite's own tables have it (docs/sql-reference.md, kg_edges).
EDGE_CONFLICT = ("UNIQUE constraint failed: kg_edges.src, kg_edges.type, kg_edges.dst, "
                 "kg_edges.rank ('org:msi', 'participates_in', 'proj:mora', 0); "
                 "OR REPLACE overwrites the existing row, OR IGNORE keeps it")
EXISTING_EDGE = ("{verb} INTO kg_edges(src, type, dst, props) "
                 "VALUES ('org:msi', 'participates_in', 'proj:mora', '{{\"role\":\"co-lead\"}}')")


@pytest.mark.parametrize("verb", ["INSERT", "INSERT OR ABORT", "INSERT OR FAIL",
                                  "INSERT OR ROLLBACK"])
def test_insert_of_an_existing_edge_fails(db, verb):
    before = snapshot(db)
    with pytest.raises(sqlite3.IntegrityError) as info:
        db.execute(EXISTING_EDGE.format(verb=verb))
    assert str(info.value) == EDGE_CONFLICT
    assert info.value.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    assert snapshot(db) == before


def test_insert_or_ignore_keeps_the_edge(db):
    before = snapshot(db)
    cur = db.execute(EXISTING_EDGE.format(verb="INSERT OR IGNORE"))
    assert cur.rowcount == 0
    assert snapshot(db) == before


def test_insert_or_replace_replaces_the_edge(db):
    db.execute(EXISTING_EDGE.format(verb="INSERT OR REPLACE"))
    assert rows(db, "SELECT rowid, props ->> 'role', valid_from FROM kg_edges "
                    "WHERE src = 'org:msi' AND type = 'participates_in'") == [(1, "co-lead", None)]
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(4,)]


def test_another_rank_is_another_edge(db):
    db.execute("INSERT INTO kg_edges(src, type, dst, rank) "
               "VALUES ('org:msi', 'participates_in', 'proj:mora', 1)")
    with pytest.raises(sqlite3.IntegrityError, match=r"'proj:mora', 1\);"):
        db.execute("INSERT INTO kg_edges(src, type, dst, rank) "
                   "VALUES ('org:msi', 'participates_in', 'proj:mora', 1)")
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(5,)]


# Edge 2 (org:oru participates_in proj:mora) moved onto edge 1's identity.
ONTO_EDGE_1 = "{verb} kg_edges SET src = 'org:msi', weight = 7 WHERE rowid = 2"


@pytest.mark.parametrize("verb", ["UPDATE", "UPDATE OR ABORT", "UPDATE OR FAIL",
                                  "UPDATE OR ROLLBACK"])
def test_update_onto_an_existing_edge_fails(db, verb):
    before = snapshot(db)
    with pytest.raises(sqlite3.IntegrityError) as info:
        db.execute(ONTO_EDGE_1.format(verb=verb))
    assert str(info.value) == EDGE_CONFLICT
    assert snapshot(db) == before


def test_update_or_ignore_onto_an_existing_edge_keeps_both(db):
    before = snapshot(db)
    assert db.execute(ONTO_EDGE_1.format(verb="UPDATE OR IGNORE")).rowcount == 0
    assert snapshot(db) == before


def test_update_or_replace_onto_an_existing_edge_replaces_it(db):
    db.execute(ONTO_EDGE_1.format(verb="UPDATE OR REPLACE"))
    assert rows(db, "SELECT rowid, src, weight, props ->> 'role' FROM kg_edges "
                    "WHERE dst = 'proj:mora' AND type = 'participates_in'") == [
        (1, "org:msi", 7.0, "partner")]
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(3,)]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


@pytest.mark.parametrize("verb, kept", [("INSERT OR ABORT", 0), ("INSERT OR FAIL", 2)])
def test_abort_and_fail_in_a_multi_row_insert(db, verb, kept):
    db.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: kg_edges.src"):
        db.execute(f"{verb} INTO kg_edges(src, type, dst) SELECT 'org:msi', column1, 'proj:mora' "
                   "FROM (VALUES ('a'), ('b'), ('participates_in'), ('c'))")
    db.execute("COMMIT")
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(4 + kept,)]


def test_update_keeps_the_id_unless_the_identity_changes(db):
    db.execute("UPDATE kg_edges SET weight = 9 WHERE rowid = 2")
    assert rows(db, "SELECT rowid, weight FROM kg_edges WHERE src = 'org:oru'") == [(2, 9.0)]
    db.execute("UPDATE kg_edges SET type = 'leads' WHERE rowid = 2")
    assert rows(db, "SELECT rowid, type, weight, props FROM kg_edges WHERE src = 'org:oru'") == [
        (5, "leads", 9.0, '{"role":"partner"}')]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_delete(db):
    db.execute("DELETE FROM kg_edges WHERE dst = 'proj:mora'")
    assert rows(db, "SELECT rowid FROM kg_edges") == [(4,)]


@pytest.mark.parametrize("sql, message", [
    ("INSERT INTO kg_edges(src, type, dst) VALUES ('org:msi', 'funds', 'org:x')",
     "kg_edges: unknown node 'org:x'"),
    ("INSERT INTO kg_edges(src, type, dst) VALUES ('org:y', 'funds', 'org:msi')",
     "kg_edges: unknown node 'org:y'"),
    ("INSERT INTO kg_edges(src, dst) VALUES ('org:msi', 'org:oru')", "kg_edges: type is required"),
    ("INSERT INTO kg_edges(src, type, dst, valid_from) VALUES ('org:msi', 'f', 'org:oru', '2020-13-01')",
     "kg_edges: valid_from: invalid date '2020-13-01'"),
    ("INSERT INTO kg_edges(src, type, dst, valid_to) VALUES ('org:msi', 'f', 'org:oru', 'soon')",
     "kg_edges: valid_to: invalid date 'soon'"),
    ("INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) "
     "VALUES ('org:msi', 'f', 'org:oru', '2021', '2020')",
     "kg_edges: edge org:msi -f-> org:oru: valid_to 2020-12-31 is before valid_from 2021-01-01"),
    ("INSERT INTO kg_edges(src, type, dst, props) VALUES ('org:msi', 'f', 'org:oru', 'nope')",
     "kg_edges: invalid JSON in properties of edge"),
    ("INSERT INTO kg_edges(src, type, dst, rank) VALUES ('org:msi', 'f', 'org:oru', -1)",
     "kg_edges: rank must be an integer from 0 to 4294967295"),
    ("INSERT INTO kg_edges(src, type, dst, weight) VALUES ('org:msi', 'f', 'org:oru', 'heavy')",
     "kg_edges: weight must be a number"),
])
def test_write_errors(db, sql, message):
    with pytest.raises(sqlite3.DatabaseError) as info:
        db.execute(sql)
    assert str(info.value).startswith(message)
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(4,)]


def test_failing_row_leaves_nothing_of_the_statement(db):
    before = rows(db, "SELECT rowid, * FROM kg_edges")
    with pytest.raises(sqlite3.OperationalError, match="^kg_edges: unknown node 'org:x'$"):
        db.execute("INSERT INTO kg_edges(src, type, dst) VALUES "
                   "('org:oru', 'funds', 'org:msi'), ('org:oru', 'funds', 'org:x')")
    assert rows(db, "SELECT rowid, * FROM kg_edges") == before
