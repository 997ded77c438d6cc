"""kg_edges' props, sources and batch over the CSR snapshot (issue #19 item 3).

A scan over the snapshot reads these three from a record cursor that
follows it, in place (EdgeCursor::Record: no Edge is built, props are not
copied); kg_stats' record_field_reads counts the values so read. These tests
check that the in-place values are the row path's byte for byte for hostile
props (huge, deeply nested, Unicode, escapes, an escaped NUL, empty, NULL),
with edges of other types between them that a type filter skips, and that
the in-place read is what a scan does.
"""
import json

import pytest

from conftest import rows

DEEP = "[" * 900 + "1" + "]" * 900
PROPS = [
    None,
    "{}",
    '{"role":"coordinator"}',
    json.dumps({"big": "x" * 300_000, "role": "lead"}),
    '{"deep":' + DEEP + '}',
    json.dumps({"name": "Ünïcødé 𝔊mbH ✓", "ж": ["日本", "🙂"]}, ensure_ascii=False),
    r'{"esc":"quote \" backslash \\ tab \t newline \n slash \/ nul \u0000 end"}',
    '{"n":-0.0,"big":9223372036854775807,"f":1e-300,"t":true,"z":null}',
]


@pytest.fixture
def graph(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='props.kg')")
    db.execute("BEGIN")
    for i in range(6):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n{i}",))
    for i, props in enumerate(PROPS):
        # Types interleave within a source's out-edges: a type filter skips records.
        sources = json.dumps([f"n{(i + 1) % 6}"]) if i % 3 == 0 else None
        db.execute("INSERT INTO kg_edges(src, type, dst, rank, props, sources) "
                   "VALUES (?, 'b_rel', ?, ?, ?, ?)", (f"n{i % 3}", f"n{3 + i % 3}", i, props, sources))
        db.execute("INSERT INTO kg_edges(src, type, dst, rank, props) "
                   "VALUES (?, ?, ?, ?, ?)", (f"n{i % 3}", "a_rel" if i % 2 else "c_rel",
                                              f"n{3 + i % 3}", i, '{"other":' + str(i) + '}'))
    db.execute("COMMIT")
    return db


def stats(db):
    return json.loads(db.execute("SELECT kg_stats('kg')").fetchone()[0])


QUERIES = [
    "SELECT rowid, props, sources, batch, length(props), hex(props) FROM kg_edges",
    "SELECT rowid, props, props->>'role', props->>'esc', typeof(props->>'esc') FROM kg_edges "
    "WHERE type = 'b_rel'",
    "SELECT batch, sources FROM kg_edges WHERE type = 'a_rel'",
    "SELECT count(*) FROM kg_edges WHERE type = 'b_rel' AND props->>'role' = 'coordinator'",
]


def row_path_answers(db):
    """The answers inside a transaction with a write of its own, which reads
    the records whole (EdgeCursor::Load) and never the snapshot."""
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('tmp:x', 'actor')")
    db.execute("DELETE FROM kg_nodes WHERE key = 'tmp:x'")
    before = stats(db)
    got = [rows(db, q) for q in QUERIES]
    after = stats(db)
    db.execute("ROLLBACK")
    assert after["snapshot_reads"] == before["snapshot_reads"]
    assert after["record_field_reads"] == before["record_field_reads"]
    return got


def test_in_place_reads_give_the_row_paths_values(graph):
    expected = row_path_answers(graph)
    graph.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()  # builds the snapshot
    before = stats(graph)
    got = [rows(graph, q) for q in QUERIES]
    after = stats(graph)
    assert after["snapshot_reads"] == before["snapshot_reads"] + len(QUERIES)
    # Every props, sources and batch value the scans read was read in place,
    # or (props, once the first scan has collected them) copied from the
    # props held with the snapshot (test_held_props.py): 16 rows x 3
    # columns, then 8 rows x 1, 8 x 2 and 8 x 1.
    read = (after["record_field_reads"] + after["held_props_reads"]
            - before["record_field_reads"] - before["held_props_reads"])
    assert read >= 16 * 3 + 8 + 8 * 2 + 8
    for q, want, have in zip(QUERIES, expected, got):
        assert have == want, q
    # Against what was written, and against a lookup by rowid (GetEdge), so
    # that both scans being wrong alike would show.
    b_rel = rows(graph, "SELECT rowid, props FROM kg_edges WHERE type = 'b_rel' ORDER BY rank")
    for (rowid, props), written in zip(b_rel, PROPS):
        assert json.loads(props) == json.loads(written or "{}")
        assert rows(graph, "SELECT props FROM kg_edges WHERE rowid = ?", (rowid,)) == [(props,)]
    assert [r[0] for r in rows(graph, "SELECT props->>'esc' FROM kg_edges "
                                      "WHERE props->>'esc' IS NOT NULL")] == \
        [json.loads(PROPS[6])["esc"].split("\x00")[0]]  # SQLite 3.40's ->> stops at the NUL
    assert rows(graph, "SELECT props FROM kg_edges WHERE type = 'b_rel' AND rank = 0") == [("{}",)]


def test_a_commit_is_read_in_place_once_the_snapshot_is_rebuilt(graph):
    graph.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()
    graph.execute("UPDATE kg_edges SET props = '{\"role\":\"new ✓\"}' "
                  "WHERE type = 'b_rel' AND rank = 1")
    graph.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()
    before = stats(graph)
    assert rows(graph, "SELECT props->>'role' FROM kg_edges WHERE type = 'b_rel' AND rank = 1") \
        == [("new ✓",)]
    assert stats(graph)["record_field_reads"] > before["record_field_reads"]
