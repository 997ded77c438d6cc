"""kg_edges' props held with the snapshot (issue #19 item 3; sqlite-ext/held_props.h).

The first kg_edges scan over the CSR snapshot that reads props and reaches
its end keeps every edge's props text; later scans of the same committed
state copy props from there instead of reading records (kg_stats:
held_props_reads, held_props_bytes). These tests check that the held texts
are the record path's byte for byte (hostile props, edges of other types
that a type filter skips), that a scan cut short holds nothing, and that
nothing held is read where it would be wrong: inside a transaction with
its own writes, after a commit by this connection, and after a commit by
another process.
"""
import json
import subprocess
import sys

from conftest import rows
from test_snapshot_props import PROPS, QUERIES, graph, row_path_answers, stats  # noqa: F401


def warm_snapshot(db):
    db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()


def held_reads(db):
    return stats(db)["held_props_reads"]


def test_held_props_give_the_row_paths_values(graph):  # noqa: F811
    expected = row_path_answers(graph)
    warm_snapshot(graph)
    assert stats(graph)["held_props_bytes"] == 0
    # Cut short by LIMIT: the scan never reaches its end and holds nothing.
    rows(graph, "SELECT props FROM kg_edges LIMIT 3")
    assert stats(graph)["held_props_bytes"] == 0
    # A type filter's scan collects every edge's props, the skipped ones too.
    first = rows(graph, QUERIES[1])
    held = stats(graph)
    assert held["held_props_reads"] == 0
    assert held["held_props_bytes"] >= sum(len((p or "{}").encode()) for p in PROPS)
    got = [rows(graph, q) for q in QUERIES]
    after = stats(graph)
    assert first == expected[1]
    for q, want, have in zip(QUERIES, expected, got):
        assert have == want, q
    # SQLite asks for props once per use in the query: query 0 three times
    # for each of 16 rows, query 1 four times for each of 8, query 3 once
    # for each of 8. None of it is a record read: query 0's sources and
    # batch (16 rows) and query 2's (4 rows) are all the record reads.
    assert after["held_props_reads"] - held["held_props_reads"] == 16 * 3 + 8 * 4 + 8
    assert after["record_field_reads"] - held["record_field_reads"] == 16 * 2 + 4 * 2


def test_uncommitted_writes_are_read_not_the_held_props(graph):  # noqa: F811
    warm_snapshot(graph)
    rows(graph, "SELECT count(props) FROM kg_edges")
    assert stats(graph)["held_props_bytes"] > 0
    graph.execute("BEGIN")
    graph.execute("UPDATE kg_edges SET props = '{\"role\":\"pending\"}' "
                  "WHERE type = 'b_rel' AND rank = 2")
    before = held_reads(graph)
    assert sorted(rows(graph, "SELECT rank, props->>'role' FROM kg_edges "
                              "WHERE type = 'b_rel' AND props->>'role' IS NOT NULL")) == \
        [(2, "pending"), (3, "lead")]
    assert held_reads(graph) == before
    graph.execute("ROLLBACK")
    assert rows(graph, "SELECT props FROM kg_edges WHERE type = 'b_rel' AND rank = 2") == \
        [(PROPS[2],)]
    assert held_reads(graph) == before + 1


def test_a_commit_is_read_and_then_held_anew(graph):  # noqa: F811
    warm_snapshot(graph)
    rows(graph, "SELECT count(props) FROM kg_edges")
    graph.execute("UPDATE kg_edges SET props = '{\"role\":\"after ✓\"}' "
                  "WHERE type = 'b_rel' AND rank = 2")
    q = "SELECT props->>'role' FROM kg_edges WHERE type = 'b_rel' AND rank = 2"
    assert rows(graph, q) == [("after ✓",)]
    warm_snapshot(graph)  # the new state's snapshot: its first scan collects again
    assert rows(graph, q) == [("after ✓",)]
    before = held_reads(graph)
    assert rows(graph, q) == [("after ✓",)]
    assert held_reads(graph) > before


WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.enable_load_extension(True)
db.load_extension(sys.argv[1])
db.execute("UPDATE kg_edges SET props = ? WHERE type = 'b_rel' AND rank = 2", (sys.argv[3],))
"""


def test_a_commit_by_another_process_is_read(graph, ext, tmp_path):  # noqa: F811
    graph.execute("PRAGMA journal_mode = WAL")
    warm_snapshot(graph)
    q = "SELECT props FROM kg_edges WHERE type = 'b_rel' AND rank = 2"
    rows(graph, "SELECT count(props) FROM kg_edges")
    before = held_reads(graph)
    assert rows(graph, q) == [(PROPS[2],)]
    assert held_reads(graph) == before + 1
    for i, new in enumerate(['{"role":"other process"}', '{"role":"again"}']):
        subprocess.run([sys.executable, "-c", WRITER, ext, str(tmp_path / "test.db"), new],
                       check=True, capture_output=True, text=True)
        assert rows(graph, q) == [(new,)]
        warm_snapshot(graph)
        assert rows(graph, "SELECT count(props) FROM kg_edges") == [(16,)]  # collects
        before = held_reads(graph)
        assert rows(graph, q) == [(new,)]
        assert held_reads(graph) == before + 1, i
        assert json.loads(rows(graph, "SELECT props FROM kg_edges WHERE type = 'b_rel' "
                                      "AND rank = 3")[0][0]) == json.loads(PROPS[3])


NODE_QUERIES = [
    "SELECT rowid, key, kind, props, length(props), hex(props) FROM kg_nodes",
    "SELECT key, props->>'role', props->>'esc' FROM kg_nodes WHERE kind = 'project'",
    "SELECT count(*) FROM kg_nodes WHERE props->>'role' = 'coordinator'",
]


def node_row_path_answers(db):
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('tmp:x', 'actor')")
    db.execute("DELETE FROM kg_nodes WHERE key = 'tmp:x'")
    before = held_reads(db)
    got = [rows(db, q) for q in NODE_QUERIES]
    assert held_reads(db) == before
    db.execute("ROLLBACK")
    return got


def test_node_props_are_held_too(graph):  # noqa: F811
    graph.execute("BEGIN")
    for i, props in enumerate(PROPS):
        # Kinds interleave in id order: a kind filter skips records.
        graph.execute("INSERT INTO kg_nodes(key, kind, props) VALUES (?, ?, ?)",
                      (f"p{i}", "project" if i % 2 else "actor", props))
    graph.execute("COMMIT")
    expected = node_row_path_answers(graph)
    warm_snapshot(graph)
    rows(graph, NODE_QUERIES[1])  # collects every node's props
    held = stats(graph)
    assert held["held_props_bytes"] >= sum(len((p or "{}").encode()) for p in PROPS)
    got = [rows(graph, q) for q in NODE_QUERIES]
    assert got == expected
    # 14 nodes: props three times each in query 0; 4 projects twice in
    # query 1; 14 once in query 2.
    assert held_reads(graph) - held["held_props_reads"] == 14 * 3 + 4 * 2 + 14
    # Uncommitted writes are read, not the held props.
    graph.execute("BEGIN")
    graph.execute("UPDATE kg_nodes SET props = '{\"role\":\"pending\"}' WHERE key = 'p3'")
    before = held_reads(graph)
    assert rows(graph, "SELECT key FROM kg_nodes WHERE props->>'role' = 'pending'") == [("p3",)]
    assert held_reads(graph) == before
    graph.execute("ROLLBACK")
    # A commit: the next state's props are collected and held anew.
    graph.execute("UPDATE kg_nodes SET props = '{\"role\":\"coordinator\"}' WHERE key = 'p3'")
    warm_snapshot(graph)
    q = "SELECT key FROM kg_nodes WHERE props->>'role' = 'coordinator' ORDER BY key"
    assert rows(graph, q) == [("p2",), ("p3",)]
    before = held_reads(graph)
    assert rows(graph, q) == [("p2",), ("p3",)]
    assert held_reads(graph) == before + 14
