"""The table-valued functions and scalar functions."""
import json
import sqlite3

import pytest

from conftest import rows


def test_neighbors_positional(db):
    assert rows(db, "SELECT key, kind, name, hops, parent, edge_type, edge_id "
                    "FROM kg_neighbors('kg', 'org:msi')") == [
        ("proj:mora", "project", "Mora digital", 1, "org:msi", "participates_in", 1),
        ("reg:mora", "region", "Mora", 1, "org:msi", "located_in", 4)]


def test_neighbors_by_name(db):
    got = rows(db, "SELECT key, hops FROM kg_neighbors "
                   "WHERE graph = 'kg' AND start = 'org:msi' AND depth = 2 AND kinds = 'actor'")
    assert got == [("org:oru", 2), ("org:vinnova", 2)]


@pytest.mark.parametrize("args, keys", [
    ("'kg', 'proj:mora', 1, 'in'", ["org:msi", "org:oru", "org:vinnova"]),
    ("'kg', 'proj:mora', 1, 'out'", []),
    ("'kg', 'proj:mora', 1, 'both', 'funds'", ["org:vinnova"]),
    ("'kg', 'proj:mora', 1, 'both', '[\"funds\", \"participates_in\"]'",
     ["org:msi", "org:oru", "org:vinnova"]),
    ("'kg', 'proj:mora', 1, 'both', NULL, NULL, '2020-06-01'", ["org:msi", "org:oru"]),
    ("'kg', 'proj:mora', 1, 'both', NULL, NULL, '2023-06-01'", ["org:oru", "org:vinnova"]),
    ("'kg', 'proj:mora', 0, 'both', NULL, NULL, NULL, 1", ["proj:mora"]),
    ("'kg', 'org:msi', 2, 'both', NULL, 'actor,region'", ["reg:mora", "org:oru", "org:vinnova"]),
])
def test_neighbors_filters(db, args, keys):
    assert [r[0] for r in rows(db, f"SELECT key FROM kg_neighbors({args})")] == keys


def test_neighbors_join(db):
    got = rows(db, "SELECT n.key, count(*) FROM kg_nodes n, kg_neighbors('kg', n.key) "
                   "WHERE n.kind = 'actor' GROUP BY n.key")
    assert got == [("org:msi", 2), ("org:oru", 1), ("org:vinnova", 1)]


@pytest.mark.parametrize("sql, message", [
    ("SELECT * FROM kg_neighbors('kg')", "kg_neighbors: missing required argument 'start'"),
    ("SELECT * FROM kg_neighbors", "kg_neighbors: missing required argument 'graph'"),
    ("SELECT * FROM kg_neighbors('kg', NULL)", "kg_neighbors: missing required argument 'start'"),
    ("SELECT * FROM kg_neighbors('x', 'org:msi')",
     "kg_neighbors: no graph named 'x' in this connection"),
    ("SELECT * FROM kg_neighbors('kg', 'org:x')", "kg_neighbors: unknown node 'org:x'"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'up')",
     "kg_neighbors: direction must be 'out', 'in' or 'both', not 'up'"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', -1)",
     "kg_neighbors: depth must be a non-negative integer, not '-1'"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', NULL, NULL, '2020-02-30')",
     "kg_neighbors: valid_on: invalid date '2020-02-30': no such day"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', '[1]')",
     "kg_neighbors: types[0] must be a name (a string), not 1"),
    ("SELECT * FROM kg_shortest_path('kg', 'org:msi')",
     "kg_shortest_path: missing required argument 'target'"),
    ("SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:x')",
     "kg_shortest_path: unknown node 'org:x'"),
    ("SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:oru', 'both', NULL, NULL, 'length')",
     "kg_shortest_path: cost must be 'weight' or 'props.<name>', not 'length'"),
    ("SELECT * FROM kg_all_shortest_paths('kg', 'org:msi', 'org:oru', 'sideways')",
     "kg_all_shortest_paths: direction must be 'out', 'in' or 'both', not 'sideways'"),
    ("SELECT * FROM kg_find('kg')", "kg_find: missing required argument 'query'"),
    ("SELECT kg_stats('nope')", "kg_stats: no graph named 'nope' in this connection"),
    ("SELECT kg_integrity_check('nope')",
     "kg_integrity_check: no graph named 'nope' in this connection"),
    # Names the graph has never seen are errors, not empty answers.
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', 'fund')",
     "kg_neighbors: types: unknown edge type 'fund' (the graph has: participates_in, funds, "
     "located_in)"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', NULL, 'actors')",
     "kg_neighbors: kinds: unknown kind 'actors' (the graph has: actor, project, region)"),
    ("SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:oru', 'both', 'fund,knows')",
     "kg_shortest_path: types: unknown edge types 'fund', 'knows' (the graph has: participates_in, "
     "funds, located_in)"),
    ("SELECT * FROM kg_pagerank WHERE graph = 'kg' AND types = '[\"partcipates_in\"]'",
     "kg_pagerank: types: unknown edge type 'partcipates_in' (the graph has: participates_in, "
     "funds, located_in)"),
    ("SELECT * FROM kg_degree WHERE graph = 'kg' AND kinds = 'organisation'",
     "kg_degree: kinds: unknown kind 'organisation' (the graph has: actor, project, region)"),
    ("SELECT * FROM kg_projection('kg', 'actor', 'projekt')",
     "kg_projection: via: unknown kind 'projekt' (the graph has: actor, project, region)"),
    ("SELECT * FROM kg_sector_mixing WHERE graph = 'kg' AND via = 'event'",
     "kg_sector_mixing: via: unknown kind 'event' (the graph has: actor, project, region)"),
    # Yes/no arguments take 1/0, true/false, yes/no, on/off and nothing else.
    ("SELECT * FROM kg_betweenness('kg', 'maybe')",
     "kg_betweenness: normalized must be 1 or 0 (true or false), not 'maybe'"),
    ("SELECT * FROM kg_closeness('kg', 2)",
     "kg_closeness: wf_improved must be 1 or 0 (true or false), not '2'"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', NULL, NULL, NULL, 'sometimes')",
     "kg_neighbors: include_start must be 1 or 0 (true or false), not 'sometimes'"),
])
def test_errors(db, sql, message):
    with pytest.raises(sqlite3.OperationalError) as info:
        db.execute(sql).fetchall()
    assert str(info.value) == message


def test_a_list_of_types_may_name_some_the_graph_lacks(db):
    # A ready-made query lists the data model's types; a graph without some of
    # them still answers (only a filter that can match nothing is an error).
    assert rows(db, "SELECT key FROM kg_neighbors('kg', 'org:vinnova', 1, 'both', "
                    "'funds,hosts,works_at')") == [("proj:mora",)]


@pytest.mark.parametrize("yes, no", [("1", "0"), ("'true'", "'false'"), ("'YES'", "'no'"),
                                     ("'On'", "'off'")])
def test_yes_no_arguments(db, yes, no):
    normalized = rows(db, f"SELECT key, betweenness FROM kg_betweenness('kg', {yes})")
    raw = rows(db, f"SELECT key, betweenness FROM kg_betweenness('kg', {no})")
    assert normalized == rows(db, "SELECT key, betweenness FROM kg_betweenness('kg', 1)")
    assert raw == rows(db, "SELECT key, betweenness FROM kg_betweenness('kg', 0)")
    assert normalized != raw
    assert rows(db, f"SELECT key FROM kg_neighbors('kg', 'org:msi', 0, 'both', NULL, NULL, "
                    f"NULL, {yes})") == [("org:msi",)]
    assert rows(db, f"SELECT key FROM kg_neighbors('kg', 'org:msi', 0, 'both', NULL, NULL, "
                    f"NULL, {no})") == []


def test_shortest_path(db):
    assert rows(db, "SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:vinnova')") == [
        (0, "org:msi", "MSI", None, None, 0.0),
        (1, "proj:mora", "Mora digital", "participates_in", 1, 1.0),
        (2, "org:vinnova", "Vinnova", "funds", 3, 2.0)]


def test_shortest_path_weighted_and_by_property(db):
    got = rows(db, "SELECT key, distance FROM kg_shortest_path('kg', 'org:oru', 'org:vinnova', "
                   "'both', NULL, NULL, 'weight')")
    assert got == [("org:oru", 0.0), ("proj:mora", 5.0), ("org:vinnova", 7.0)]
    got = rows(db, "SELECT key, distance FROM kg_shortest_path WHERE graph = 'kg' "
                   "AND source = 'org:msi' AND target = 'org:vinnova' AND cost = 'props.sek'")
    assert got == [("org:msi", 0.0), ("proj:mora", 1.0), ("org:vinnova", 500001.0)]


def test_shortest_path_unreachable_is_empty(db):
    assert rows(db, "SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:oru', 'out')") == []
    assert rows(db, "SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:oru', 'both', "
                    "NULL, NULL, NULL, 1)") == []


def test_all_shortest_paths(db):
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('org:oru', 'located_in', 'reg:mora')")
    got = rows(db, "SELECT path, step, key FROM kg_all_shortest_paths('kg', 'org:msi', 'org:oru')")
    assert sorted(got) == [(0, 0, "org:msi"), (0, 1, "proj:mora"), (0, 2, "org:oru"),
                           (1, 0, "org:msi"), (1, 1, "reg:mora"), (1, 2, "org:oru")]
    assert len(rows(db, "SELECT * FROM kg_all_shortest_paths('kg', 'org:msi', 'org:oru', "
                        "'both', NULL, NULL, NULL, 64, 1)")) == 3


def test_find(db):
    assert rows(db, "SELECT * FROM kg_find('kg', 'ÖREBRO   universitet')") == [
        ("org:oru", "actor", "Örebro universitet", "academia")]
    assert rows(db, "SELECT key FROM kg_find WHERE graph = 'kg' AND query = 'mora'") == [
        ("reg:mora",)]
    assert rows(db, "SELECT key FROM kg_find('kg', 'nobody')") == []


def test_stats(db):
    stats = json.loads(db.execute("SELECT kg_stats('kg')").fetchone()[0])
    assert list(stats) == ["nodes", "edges", "disk_bytes", "path", "read_only",
                           "holds_write_access", "snapshot_reads", "record_field_reads",
                           "held_props_reads", "held_props_bytes"]
    assert (stats["nodes"], stats["edges"], stats["read_only"]) == (5, 4, False)
    assert stats["holds_write_access"] is True  # it wrote the graph, and nobody asked since
    assert stats["path"].endswith("/msi.kg") and stats["disk_bytes"] > 0


def test_integrity_check(db):
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]
    db.execute("INSERT INTO kg(kg) VALUES ('integrity-check')")


def test_graph_table_and_commands(db):
    path, read_only, nodes, edges = db.execute("SELECT * FROM kg").fetchone()
    assert (read_only, nodes, edges) == (0, 5, 4) and path.endswith("/msi.kg")
    db.execute("INSERT INTO kg(kg) VALUES ('compact')")
    db.execute("INSERT INTO kg(kg) VALUES ('refresh')")
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg: unknown command 'optimize' \(commands: integrity-check, "
                             r"compact, refresh\)$"):
        db.execute("INSERT INTO kg(kg) VALUES ('optimize')")
    with pytest.raises(sqlite3.OperationalError, match=r"^kg: only INSERT INTO kg\(kg\)"):
        db.execute("DELETE FROM kg")
