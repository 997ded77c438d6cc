"""The working memory of a Cypher query through SQL (docs/cypher.md, "Working
memory"): kg_cypher's memory_limit option, the connection's
kg_set('cypher_memory_limit', n), stored queries under the same limit, and
the error, which names the limit and how to raise it and leaves the
connection, its transaction and the graph as they were."""
import json
import sqlite3

import pytest

from conftest import rows

LIMIT = 8 * 1024 * 1024  # 8 MiB: small enough to reach in a moment, even under ASan
COLLECT_PATHS = "MATCH p = (a)-[*1..6]-(b) RETURN collect(p) AS paths"
SORT_TWO_HOPS = "MATCH (a)--(b)--(c) RETURN a, b, c ORDER BY a.key, c.key"


@pytest.fixture
def ring(connect):
    """A ring of 150 actors, each tied to the next 8 (degree 16): trails of
    six relationships number in the billions, two-hop paths ~36,000."""
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='ring.kg')")
    n = 150
    db.execute("BEGIN")
    db.executemany("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')",
                   [(f"n{i}",) for i in range(n)])
    db.executemany("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'knows', ?)",
                   [(f"n{i}", f"n{(i + d) % n}") for i in range(n) for d in range(1, 9)])
    db.execute("COMMIT")
    return db


def cy(db, query, options=None):
    return db.execute("SELECT row FROM kg_cypher('kg', ?, NULL, ?)",
                      (query, json.dumps(options) if options is not None else None)).fetchall()


def test_the_option_stops_collecting_paths_and_sorting_with_a_clear_error(ring):
    for query in [COLLECT_PATHS, SORT_TWO_HOPS]:
        with pytest.raises(sqlite3.OperationalError) as e:
            cy(ring, query, {"memory_limit": LIMIT})
        assert str(e.value) == (
            "kg_cypher: the Cypher statement used more than 8 MiB of working memory "
            "(memory_limit: sorting, grouping, collect(), DISTINCT and the lists it builds); "
            "raise it with kg_cypher's options ('{\"memory_limit\": <bytes>}') or for the "
            "connection with SELECT kg_set('cypher_memory_limit', <bytes>)")
    # The connection goes on as before.
    assert rows(ring, "SELECT count(*) FROM kg_nodes") == [(150,)]
    assert cy(ring, "MATCH (a {key: 'n0'})--(b) RETURN count(b) AS n",
              {"memory_limit": LIMIT}) == [('{"n":16}',)]


def test_a_query_under_the_limit_answers(ring):
    # From one node: 16 trails of one relationship and 16 * 15 of two.
    got = cy(ring, "MATCH p = ({key: 'n0'})-[*1..2]-(b) RETURN size(collect(p)) AS n",
             {"memory_limit": LIMIT})
    assert got == [('{"n":256}',)]
    got = cy(ring, "MATCH (a)--(b)--(c) WITH a, c ORDER BY a.key, c.key "
                   "RETURN count(*) AS n", {"memory_limit": 64 * 1024 * 1024})
    assert got == [('{"n":36000}',)]


def test_the_connection_setting_applies_to_kg_cypher_and_stored_queries(ring, connect):
    assert rows(ring, f"SELECT kg_set('cypher_memory_limit', {LIMIT})") == [(LIMIT,)]
    with pytest.raises(sqlite3.OperationalError,
                       match=r"more than 8 MiB of working memory .*kg_set\('cypher_memory_limit'"):
        cy(ring, COLLECT_PATHS)
    ring.execute(f"CREATE VIRTUAL TABLE everything USING samverkan_cypher(kg, '{SORT_TWO_HOPS}')")
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^everything: the Cypher statement used more than 8 MiB"):
        ring.execute("SELECT * FROM everything").fetchall()
    # The option overrides the setting for one query.
    got = cy(ring, "MATCH (a)--(b)--(c) WITH a, c ORDER BY a.key RETURN count(*) AS n",
             {"memory_limit": 64 * 1024 * 1024})
    assert got == [('{"n":36000}',)]
    # Another connection keeps the default; NULL restores it.
    other = connect()
    assert rows(other, "SELECT kg_set('cypher_memory_limit', NULL)") == [(2 << 30,)]
    assert rows(ring, "SELECT kg_set('cypher_memory_limit', NULL)") == [(2 << 30,)]
    assert rows(ring, "SELECT count(*) FROM everything") == [(36000,)]


def test_a_query_that_writes_and_runs_out_leaves_nothing(ring):
    before = rows(ring, "SELECT count(*) FROM kg_nodes")
    ring.execute("BEGIN")
    ring.execute("INSERT INTO kg_nodes(key, kind) VALUES ('kept', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="more than 1 MiB of working memory"):
        cy(ring, "UNWIND range(1, 20000) AS i CREATE (n:tag {key: 't' + toString(i)}) RETURN n",
           {"memory_limit": 1024 * 1024})
    assert rows(ring, "SELECT count(*) FROM kg_nodes WHERE kind = 'tag'") == [(0,)]
    ring.execute("COMMIT")
    assert rows(ring, "SELECT count(*) FROM kg_nodes") == [(before[0][0] + 1,)]


@pytest.mark.parametrize("call, message", [
    ("kg_set('cypher_memory_limit', 0)", "cypher_memory_limit must be a positive integer"),
    ("kg_set('cypher_memory_limit', 'lots')", "cypher_memory_limit must be a positive integer"),
    ("kg_set('memory', 1)", "unknown setting 'memory' (known: cypher_memory_limit, cypher_procedure)"),
])
def test_bad_settings_are_refused(ring, call, message):
    with pytest.raises(sqlite3.OperationalError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ring.execute(f"SELECT {call}").fetchall()


@pytest.mark.parametrize("limit", [0, -5, 1.5, "1GB"])
def test_bad_options_are_refused(ring, limit):
    with pytest.raises(sqlite3.OperationalError, match="memory_limit must be a positive integer"):
        cy(ring, "RETURN 1", {"memory_limit": limit})


def test_values_sharing_their_parts_compare_at_once_in_kg_cypher_and_stored_queries(ring):
    """WITH [v, v] AS v, 40 times: 2^40 leaves in 40 lists. Comparing,
    grouping and ordering such values walks each shared list once (it took
    hours, without polling the interrupt)."""
    built = "WITH [1] AS v, [1] AS w " + "WITH [v, v] AS v, [w, w] AS w " * 40
    query = (built + "UNWIND [v, w] AS x WITH v, w, x ORDER BY x "
             "RETURN v = w AS same, count(DISTINCT x) AS n")
    assert cy(ring, query, {"memory_limit": LIMIT}) == [('{"same":true,"n":1}',)]
    ring.execute(f"CREATE VIRTUAL TABLE shared USING samverkan_cypher(kg, '{query}')")
    assert rows(ring, "SELECT same, n FROM shared") == [(1, 1)]
