"""kg_edges / kg_nodes scans over the CSR snapshot's columns (issue #19 item 3).

When a statement reads the committed graph and its snapshot is cached, scans
of every edge (or one type), of every node (or a kind or sector) and a join's
repeated key= lookups read the snapshot's arrays and columns
(sqlite-ext/snapshot_scan.h); kg_stats' snapshot_reads counts them. These
tests check that what the user reads is the record path's answer, value for
value and in the same order, that a transaction's own writes and a commit
are seen, and that the column path is taken when it should be.
"""
import json
import os
import subprocess

import pytest

from conftest import REPO, rows

GRAPH = """
CREATE VIRTUAL TABLE kg USING samverkan(path='cols.kg');
INSERT INTO kg_nodes(key, kind, name, sector, aliases, props, sources) VALUES
  ('org:msi', 'actor', 'MSI', 'nonprofit', '["Mora Sport Initiative"]',
   '{"founded":1998,"country":"SE","score":1.5,"tags":["a","b"],"ok":true}', NULL),
  ('org:oru', 'actor', 'Örebro universitet', 'academia', '[]',
   '{"founded":"1977","country":"SE","score":2,"ok":false,"nested":{"x":null}}', NULL),
  ('org:ünï', 'actor', 'Ünïcødé 𝔊mbH', 'business', '["ÜNÏ"]', '{"country":"DE","note":null}',
   '["org:msi"]'),
  ('proj:mora', 'project', 'Mora digital', NULL, '[]', '{}', NULL),
  ('reg:mora', 'region', 'Mora', NULL, '[]', NULL, NULL);
INSERT INTO kg_edges(src, type, dst, rank, weight, valid_from, valid_to, props, sources) VALUES
  ('org:msi', 'participates_in', 'proj:mora', 0, 1.0, '2020-01-01', '2022-12-31',
   '{"role":"lead","contribution":1500.5,"year":2020}', '["org:oru"]'),
  ('org:msi', 'participates_in', 'proj:mora', 1, NULL, '2023', '2024-06',
   '{"role":"partner","contribution":200,"year":"2023"}', NULL),
  ('org:oru', 'participates_in', 'proj:mora', 0, 5.0, NULL, NULL,
   '{"role":"Partnér ✓","contribution":null,"extra":[1,{"a":2}]}', NULL),
  ('org:ünï', 'participates_in', 'proj:mora', 0, -0.25, '1999-12-31', NULL,
   '{"role":"coordinator","ok":true}', NULL),
  ('org:ünï', 'funds', 'proj:mora', 0, 2.0, '2021-01-01', NULL, '{"sek":500000}', NULL),
  ('org:msi', 'located_in', 'reg:mora', 0, NULL, NULL, NULL, NULL, NULL),
  ('org:msi', 'knows', 'org:msi', 0, 0, NULL, NULL, '{"self":true}', NULL);
"""

# What an analyst writes; each returns rows in an order SQLite or the scan
# defines, and typeof() shows the types.
QUERIES = [
    "SELECT rowid, src, type, dst, rank, weight, typeof(weight), valid_from, valid_to, props, "
    "sources, batch FROM kg_edges",
    "SELECT rowid, src, dst, props->>'role', typeof(props->>'contribution'), "
    "props->>'contribution' FROM kg_edges WHERE type = 'participates_in'",
    "SELECT count(*), count(props->>'role') FROM kg_edges WHERE props->>'role' = 'coordinator'",
    "SELECT type, count(*), sum(weight), min(valid_from), max(valid_to) FROM kg_edges "
    "GROUP BY type ORDER BY type",
    "SELECT rowid, key, kind, name, sector, typeof(sector), aliases, props, sources, batch "
    "FROM kg_nodes",
    "SELECT key, props->>'country', props->'tags', typeof(props->>'ok') FROM kg_nodes "
    "WHERE props->>'country' = 'SE'",
    "SELECT rowid, key, name FROM kg_nodes WHERE kind = 'actor'",
    "SELECT rowid, key FROM kg_nodes WHERE sector = 'business'",
    "SELECT rowid, key FROM kg_nodes WHERE kind = 'nothing'",
    "SELECT n.sector, count(*) FROM kg_edges e JOIN kg_nodes n ON n.key = e.src "
    "WHERE e.type = 'participates_in' GROUP BY n.sector ORDER BY n.sector",
    "SELECT e.rowid, n.key, n.name, n.props FROM kg_edges e JOIN kg_nodes n ON n.key = e.dst",
]


def stats(db):
    return json.loads(db.execute("SELECT kg_stats('kg')").fetchone()[0])


def snapshot_reads(db):
    return stats(db)["snapshot_reads"]


def warm_snapshot(db):
    """Builds the CSR snapshot of the committed graph (as any analytics call does)."""
    db.execute("SELECT count(*) FROM kg_degree('kg')").fetchall()


def answers(db):
    return [rows(db, q) for q in QUERIES]


@pytest.fixture
def graph(connect):
    db = connect()
    db.executescript(GRAPH)
    return db


def record_path_answers(db):
    """The answers as the record path gives them: inside a transaction with
    a write of its own (a node added and removed again), which never reads
    the snapshot."""
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('tmp:x', 'actor')")
    db.execute("DELETE FROM kg_nodes WHERE key = 'tmp:x'")
    before = snapshot_reads(db)
    got = answers(db)
    assert snapshot_reads(db) == before, "a transaction with writes read the snapshot"
    db.execute("ROLLBACK")
    return got


def test_the_column_path_gives_the_record_paths_answers(graph):
    expected = record_path_answers(graph)
    warm_snapshot(graph)
    before = snapshot_reads(graph)
    got = answers(graph)
    assert snapshot_reads(graph) > before
    for q, want, have in zip(QUERIES, expected, got):
        assert have == want, q
    # Spot checks against what was written, so that both paths being wrong
    # alike would show.
    assert rows(graph, "SELECT rank, weight, valid_from, valid_to FROM kg_edges "
                       "WHERE props->>'role' = 'partner'") == [(1, None, '2023-01-01', '2024-06-30')]
    assert rows(graph, "SELECT sector, name FROM kg_nodes WHERE key = 'org:ünï'") == \
        [('business', 'Ünïcødé 𝔊mbH')]


def test_scans_and_join_lookups_use_the_snapshot(graph):
    warm_snapshot(graph)
    before = snapshot_reads(graph)
    assert rows(graph, "SELECT count(*) FROM kg_edges WHERE type = 'participates_in'") == [(4,)]
    assert snapshot_reads(graph) == before + 1
    assert rows(graph, "SELECT count(*) FROM kg_nodes") == [(5,)]
    assert snapshot_reads(graph) == before + 2
    # A lone key= lookup reads the record; a join's many lookups, past the
    # first 64, read the key column.
    assert rows(graph, "SELECT name FROM kg_nodes WHERE key = 'org:oru'") == \
        [('Örebro universitet',)]
    assert snapshot_reads(graph) == before + 2
    got = rows(graph, "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i "
                      "WHERE n < 100) SELECT count(*), count(k.name) FROM i "
                      "JOIN kg_nodes k ON k.key = CASE WHEN n % 2 THEN 'org:msi' ELSE 'nope' END")
    assert got == [(50, 50)]
    assert snapshot_reads(graph) == before + 2 + (100 - 64)


def test_uncommitted_writes_are_seen_and_the_snapshot_is_not_read(graph):
    warm_snapshot(graph)
    graph.execute("BEGIN")
    graph.execute("INSERT INTO kg_edges(src, type, dst, props) "
                  "VALUES ('org:oru', 'funds', 'proj:mora', '{\"sek\":1}')")
    graph.execute("UPDATE kg_nodes SET props = '{\"country\":\"FI\"}' WHERE key = 'org:msi'")
    before = snapshot_reads(graph)
    assert rows(graph, "SELECT src, props->>'sek' FROM kg_edges WHERE type = 'funds'") == \
        [('org:oru', 1), ('org:ünï', 500000)]
    assert rows(graph, "SELECT key FROM kg_nodes WHERE props->>'country' = 'FI'") == \
        [('org:msi',)]
    assert snapshot_reads(graph) == before
    graph.execute("COMMIT")


def test_a_commit_is_seen_by_the_next_scan(graph):
    warm_snapshot(graph)
    assert rows(graph, "SELECT count(*) FROM kg_edges WHERE type = 'funds'") == [(1,)]
    graph.execute("INSERT INTO kg_edges(src, type, dst, props) "
                  "VALUES ('org:oru', 'funds', 'proj:mora', '{\"sek\":7}')")
    assert rows(graph, "SELECT src, props->>'sek' FROM kg_edges WHERE type = 'funds'") == \
        [('org:oru', 7), ('org:ünï', 500000)]
    graph.execute("UPDATE kg_nodes SET name = 'Mora Sport' WHERE key = 'org:msi'")
    graph.execute("DELETE FROM kg_edges WHERE type = 'knows'")
    # Once the new state's snapshot is built, the column path shows it too.
    warm_snapshot(graph)
    before = snapshot_reads(graph)
    assert rows(graph, "SELECT name FROM kg_nodes WHERE kind = 'actor'") == \
        [('Mora Sport',), ('Örebro universitet',), ('Ünïcødé 𝔊mbH',)]
    assert rows(graph, "SELECT count(*) FROM kg_edges WHERE type = 'knows'") == [(0,)]
    assert rows(graph, "SELECT src, props->>'sek' FROM kg_edges WHERE type = 'funds'") == \
        [('org:oru', 7), ('org:ünï', 500000)]
    assert snapshot_reads(graph) == before + 3


def test_a_read_transaction_reads_the_snapshot_of_its_state_only(graph, connect):
    graph.execute("PRAGMA journal_mode = WAL")  # so that another connection writes meanwhile
    warm_snapshot(graph)
    graph.execute("BEGIN")
    before = snapshot_reads(graph)
    assert rows(graph, "SELECT count(*) FROM kg_edges WHERE type = 'funds'") == [(1,)]
    assert snapshot_reads(graph) == before + 1  # nothing committed since: the same state
    other = connect()
    other.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('org:oru', 'funds', 'proj:mora')")
    warm_snapshot(other)  # the new state's snapshot is at hand, and must not be read here
    assert rows(graph, "SELECT src FROM kg_edges WHERE type = 'funds'") == [('org:ünï',)]
    assert rows(graph, "SELECT count(*) FROM kg_nodes WHERE kind = 'actor'") == [(3,)]
    assert snapshot_reads(graph) == before + 1
    graph.execute("COMMIT")
    assert rows(graph, "SELECT src FROM kg_edges WHERE type = 'funds'") == \
        [('org:oru',), ('org:ünï',)]
    assert snapshot_reads(graph) == before + 2


def test_sqlite_overloads_the_arrow_but_reads_the_column_first():
    """Why `props ->> 'key'` is not answered from a column (architecture.md):
    SQLite asks xFindFunction about `->>` on a virtual table's column and
    uses the overload, but calls xColumn(props) before it, every row, and
    hands the overload the text. If SQLite ever stops reading the column
    first, the choice should be made again."""
    probe = os.environ.get("SAMVERKAN_ARROW_PROBE") or \
        str(REPO / "build" / "tests" / "arrow_overload_probe")
    if not os.path.exists(probe):
        pytest.fail(f"probe not built: {probe} (ninja arrow_overload_probe)")
    out = subprocess.run([probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:5] == ["find ->> 2", "column", 'overload {"role":"a"}', "column",
                       'overload {"role":"b"}']
