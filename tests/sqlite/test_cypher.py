"""kg_cypher() and stored Cypher queries (samverkan_cypher) through SQL:
results, parameters, errors, the data model's mapping, writes inside SQL
transactions, EXPLAIN, sqlite3_interrupt and the security flags."""
import json
import sqlite3
import threading
import time

import pytest

from conftest import rows


def cy(conn, query, params=None, options=None):
    """The rows of a kg_cypher call, as dicts."""
    out = conn.execute("SELECT row FROM kg_cypher('kg', ?, ?, ?)",
                       (query, json.dumps(params) if params is not None else None,
                        json.dumps(options) if options is not None else None)).fetchall()
    return [json.loads(r[0]) for r in out]


# --- reading -------------------------------------------------------------------

def test_rows_are_json_objects_keyed_by_the_return_columns(db):
    got = cy(db, "MATCH (a:actor)-[e:participates_in]->(p:project) "
                 "RETURN a.name AS actor, e.role, p.name ORDER BY actor")
    assert got == [{"actor": "MSI", "e.role": "lead", "p.name": "Mora digital"},
                   {"actor": "Örebro universitet", "e.role": "partner", "p.name": "Mora digital"}]
    # Column order is the RETURN's, and ->> reads the row.
    assert rows(db, "SELECT row ->> 'actor' FROM kg_cypher('kg', "
                    "'MATCH (a:actor {sector: ''public''}) RETURN a.name AS actor')") == [("Vinnova",)]


def test_values_keep_their_cypher_types(db):
    [row] = cy(db, "RETURN 1 AS i, 1.0 AS f, true AS b, 'x' AS s, null AS n, [1, 'a'] AS l, "
                   "{k: [1.5]} AS m, 0.1 + 0.2 AS sum")
    assert row == {"i": 1, "f": 1.0, "b": True, "s": "x", "n": None, "l": [1, "a"],
                   "m": {"k": [1.5]}, "sum": 0.30000000000000004}
    assert isinstance(row["f"], float) and isinstance(row["i"], int)


def test_nodes_relationships_and_paths_as_json(db):
    [row] = cy(db, "MATCH p = (a {key: 'org:vinnova'})-[r:funds]->(b) RETURN a, r, p")
    assert row["a"] == {"id": row["a"]["id"], "key": "org:vinnova", "labels": ["actor"],
                        "properties": {"key": "org:vinnova", "name": "Vinnova", "sector": "public"}}
    assert row["r"]["type"] == "funds" and row["r"]["start"] == "org:vinnova"
    assert row["r"]["end"] == "proj:mora"
    assert row["r"]["properties"] == {"sek": 500000, "weight": 2.0, "valid_from": "2021-01-01"}
    assert [n["key"] for n in row["p"]["nodes"]] == ["org:vinnova", "proj:mora"]
    assert row["r"]["id"] == rows(db, "SELECT rowid FROM kg_edges WHERE type = 'funds'")[0][0]


def test_the_data_model_as_properties(db):
    [row] = cy(db, "MATCH (n {key: 'org:msi'}) RETURN n.key, n.name, n.sector, n.aliases, "
                   "n.founded, n.nothing, labels(n), keys(n)")
    assert row == {"n.key": "org:msi", "n.name": "MSI", "n.sector": "nonprofit",
                   "n.aliases": ["Mora Sport Initiative"], "n.founded": 1998, "n.nothing": None,
                   "labels(n)": ["actor"],
                   "keys(n)": ["aliases", "founded", "key", "name", "sector"]}
    # Relationship properties: weight, dates, props; rank only when not 0.
    [row] = cy(db, "MATCH ()-[e:participates_in {role: 'lead'}]->() "
                   "RETURN e.weight, e.valid_from, e.valid_to, e.rank")
    assert row == {"e.weight": 1.0, "e.valid_from": "2020-01-01", "e.valid_to": "2022-12-31",
                   "e.rank": None}


def test_validity_dates_are_dates(db):
    got = cy(db, "MATCH (a)-[e]->(p:project) WHERE e.valid_from >= date('2021-01-01') "
                 "RETURN a.key")
    assert got == [{"a.key": "org:vinnova"}]
    # Dates and durations leave as ISO text: in JSON rows ...
    [row] = cy(db, "MATCH ()-[e:participates_in {role: 'lead'}]->() "
                   "RETURN e.valid_from AS f, e.valid_to.year AS y, "
                   "duration.between(e.valid_from, e.valid_to) AS span, "
                   "e.valid_from + duration({months: 18}) AS later")
    assert row == {"f": "2020-01-01", "y": 2022, "span": "P2Y11M30D", "later": "2021-07-01"}
    # ... and in a stored query's columns, as text (not JSON strings).
    db.execute("CREATE VIRTUAL TABLE spans USING samverkan_cypher(kg, '"
               "MATCH (a)-[e:participates_in]->() WHERE e.valid_to IS NOT NULL "
               "RETURN a.key AS actor, e.valid_from AS from_, duration.inDays(e.valid_from, "
               "e.valid_to) AS days ORDER BY actor')")
    assert rows(db, "SELECT actor, from_, typeof(from_), days FROM spans") == [
        ("org:msi", "2020-01-01", "text", "P1095D")]


def test_a_date_compared_with_a_string_is_an_error_that_names_the_fix(db):
    # openCypher makes the comparison null: the query would silently answer
    # nothing. Refused before it runs when the text shows both types ...
    with pytest.raises(sqlite3.OperationalError,
                       match=r"SyntaxError \(InvalidArgumentType\).*cannot compare a DATE with "
                             r"a STRING.*write the date as date\('2021-01-01'\)"):
        cy(db, "MATCH (a)-[e]->(p:project) WHERE e.valid_from >= '2021-01-01' RETURN a.key")
    # ... and when it runs otherwise.
    with pytest.raises(sqlite3.OperationalError,
                       match=r"TypeError \(InvalidArgumentType\).*date\('2021-06-30'\)"):
        cy(db, "MATCH (a)-[e]->(p:project) WHERE e.valid_to < $day RETURN a.key",
           {"day": "2021-06-30"})
    # A date parameter is written as {"$date": ...}, as properties store it.
    got = cy(db, "MATCH (a)-[e]->(p:project) WHERE e.valid_from >= $day RETURN a.key",
             {"day": {"$date": "2021-01-01"}})
    assert got == [{"a.key": "org:vinnova"}]


def test_parameters(db):
    got = cy(db, "MATCH (a:actor {sector: $s}) WHERE a.name STARTS WITH $prefix RETURN a.key",
             {"s": "academia", "prefix": "Ö"})
    assert got == [{"a.key": "org:oru"}]
    with pytest.raises(sqlite3.OperationalError, match=r"no value for parameter \$s"):
        cy(db, "MATCH (a {sector: $s}) RETURN a")
    with pytest.raises(sqlite3.OperationalError, match="kg_cypher: params: parameters must be a JSON object"):
        db.execute("SELECT * FROM kg_cypher('kg', 'RETURN $x', '[1]')").fetchall()


def test_named_arguments_and_missing_ones(db):
    assert rows(db, "SELECT row FROM kg_cypher WHERE graph = 'kg' AND query = 'RETURN 7 AS x'") \
        == [('{"x":7}',)]
    with pytest.raises(sqlite3.OperationalError, match="kg_cypher: missing required argument 'query'"):
        db.execute("SELECT * FROM kg_cypher('kg')").fetchall()
    with pytest.raises(sqlite3.OperationalError, match="kg_cypher: no graph named 'nope'"):
        db.execute("SELECT * FROM kg_cypher('nope', 'RETURN 1')").fetchall()


def test_syntax_errors_point_at_line_and_column(db):
    with pytest.raises(sqlite3.OperationalError) as e:
        cy(db, "MATCH (a:actor)\nRETURN b.name")
    assert str(e.value) == ("kg_cypher: SyntaxError (UndefinedVariable) at line 2, column 8: "
                            "variable `b` is not defined\n  RETURN b.name\n         ^")
    with pytest.raises(sqlite3.OperationalError) as e:
        cy(db, "MATCH (a:actor)-[:funds]->(b RETURN b")
    assert "at line 1, column 30: expected ')', found 'RETURN'" in str(e.value)
    with pytest.raises(sqlite3.OperationalError, match=r"TypeError \(InvalidArgumentType\)"):
        cy(db, "MATCH (a {key: 'org:msi'}) RETURN a.name + {x: 1}")


def test_unknown_labels_types_and_properties_match_nothing(db):
    assert cy(db, "MATCH (n:Nonexistent) RETURN n") == []
    assert cy(db, "MATCH ()-[r:NOPE]->() RETURN r") == []
    assert cy(db, "MATCH (n:project) RETURN n.colour") == [{"n.colour": None}]
    plan = [r["plan"] for r in cy(db, "EXPLAIN MATCH (n:Nonexistent)-[:NOPE]->() RETURN n")]
    assert "warning: label `Nonexistent` does not occur in the graph: nothing matches it" in plan
    assert any("relationship type `NOPE`" in p for p in plan)


def test_explain_shows_the_plan_chosen(db):
    plan = [r["plan"] for r in cy(db, "EXPLAIN MATCH (a {key: 'org:msi'})-[:participates_in]->(p) "
                                      "RETURN p.name")]
    assert plan[0].startswith("Plan over the")
    assert any("NodeByKey (a) key = 'org:msi'" in p for p in plan)
    assert any("Expand (a)-[:participates_in]->(p)" in p for p in plan)
    plan = [r["plan"] for r in cy(db, "EXPLAIN MATCH (a:actor {sector: 'academia'}) RETURN count(a)")]
    assert any("NodeBySectorScan (a:actor) {sector: 'academia'}" in p for p in plan)
    plan = [r["plan"] for r in cy(db, "EXPLAIN MATCH (n {name: 'orebro universitet'}) RETURN n")]
    assert any("NodeByFoldedName" in p for p in plan)


def test_folded_name_lookup_is_exact_on_the_name(db):
    # The name index finds candidates ignoring case and diacritics; the
    # property itself must still be equal.
    assert cy(db, "MATCH (n {name: 'orebro universitet'}) RETURN n.key") == []
    assert cy(db, "MATCH (n {name: 'Örebro universitet'}) RETURN n.key") == [{"n.key": "org:oru"}]


def test_both_adjacencies_answer_alike(db):
    queries = ["MATCH (a)-[*1..3]-(b) RETURN a.key AS a, count(DISTINCT b) AS n ORDER BY a",
               "MATCH (a)-[r]-(b) RETURN a.key, type(r), b.key ORDER BY a.key, type(r), b.key",
               "MATCH p = shortestPath((a {key: 'org:oru'})-[*]-(b {key: 'reg:mora'})) "
               "RETURN [n IN nodes(p) | n.key] AS keys",
               "MATCH (a:actor)-->(p)<--(b:actor) RETURN a.key, b.key ORDER BY a.key, b.key"]
    for q in queries:
        assert cy(db, q, options={"adjacency": "csr"}) == cy(db, q, options={"adjacency": "stored"}), q
    with pytest.raises(sqlite3.OperationalError, match="adjacency must be 'auto', 'csr' or 'stored'"):
        cy(db, "RETURN 1", options={"adjacency": "fast"})


# --- writing -----------------------------------------------------------------------

def test_create_maps_onto_nodes_and_edges(db):
    cy(db, "MATCH (m {key: 'org:msi'}) "
           "CREATE (p:person {key: 'p:anna', name: 'Anna', aliases: ['A.'], role: 'coach'})"
           "-[:works_at {since: 2019, weight: 0.5, valid_from: '2019-03-01'}]->(m), (:tag)")
    assert rows(db, "SELECT key, kind, name, aliases, props FROM kg_nodes "
                    "WHERE kind IN ('person', 'tag') ORDER BY key") == [
        ("_:7", "tag", "_:7", "[]", "{}"),
        ("p:anna", "person", "Anna", '["A."]', '{"role":"coach"}')]
    assert rows(db, "SELECT src, dst, weight, valid_from, props FROM kg_edges WHERE type = 'works_at'") \
        == [("p:anna", "org:msi", 0.5, "2019-03-01", '{"since":2019}')]
    # A blank node's key is its identity, not a property; it has no label.
    assert cy(db, "MATCH (n:tag) RETURN n.key, elementId(n) AS id, labels(n) AS l") == \
        [{"n.key": None, "id": "_:7", "l": ["tag"]}]
    assert cy(db, "MATCH (n {key: 'p:anna'}) RETURN keys(n) AS k") == \
        [{"k": ["aliases", "key", "name", "role"]}]


def test_unlabelled_nodes_get_kind_node(db):
    cy(db, "CREATE ({name: 'loose'})")
    assert rows(db, "SELECT kind FROM kg_nodes WHERE name = 'loose'") == [("node",)]
    assert cy(db, "MATCH (n {name: 'loose'}) RETURN labels(n) AS l") == [{"l": []}]
    assert cy(db, "MATCH (n:node) RETURN n.name") == [{"n.name": "loose"}]


def test_set_remove_merge_delete(db):
    cy(db, "MATCH (n {key: 'org:msi'}) SET n.founded = 1999, n.city = 'Mora', n.name = 'MSI AB' "
           "REMOVE n.aliases")
    assert rows(db, "SELECT name, aliases, props FROM kg_nodes WHERE key = 'org:msi'") == [
        ("MSI AB", "[]", '{"city":"Mora","founded":1999}')]
    cy(db, "MATCH ()-[e:funds]->() SET e.sek = null, e.weight = 3")
    assert rows(db, "SELECT weight, props FROM kg_edges WHERE type = 'funds'") == [(3.0, "{}")]
    # MERGE finds, or creates once.
    for _ in range(2):
        cy(db, "MERGE (r:region {key: 'reg:dalarna'}) ON CREATE SET r.name = 'Dalarna' "
               "ON MATCH SET r.seen = true")
    assert rows(db, "SELECT name, props FROM kg_nodes WHERE key = 'reg:dalarna'") == [
        ("Dalarna", '{"seen":true}')]
    cy(db, "MATCH (a {key: 'reg:mora'}), (b {key: 'reg:dalarna'}) MERGE (a)-[:part_of]->(b)")
    cy(db, "MATCH (a {key: 'reg:mora'}), (b {key: 'reg:dalarna'}) MERGE (a)-[:part_of]->(b)")
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE type = 'part_of'") == [(1,)]
    # DELETE of a node with edges fails; DETACH DELETE removes them too.
    with pytest.raises(sqlite3.OperationalError, match=r"ConstraintVerificationFailed \(DeleteConnectedNode\)"):
        cy(db, "MATCH (n {key: 'reg:dalarna'}) DELETE n")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE key = 'reg:dalarna'") == [(1,)]
    cy(db, "MATCH (n {key: 'reg:dalarna'}) DETACH DELETE n")
    assert rows(db, "SELECT count(*) FROM kg_edges WHERE type = 'part_of'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE key = 'reg:dalarna'") == [(0,)]


def test_what_the_model_refuses(db):
    cases = [
        ("CREATE (:a:b)", r"SemanticError \(SingleLabel\)"),
        ("MATCH (n {key: 'org:msi'}) SET n:project", r"\(SingleLabel\)"),
        ("MATCH (n {key: 'org:msi'}) SET n.key = 'org:other'", r"\(ImmutableKey\)"),
        ("CREATE ({key: 'org:msi'})", r"\(NodeKeyExists\)"),
        ("MATCH (n {key: 'org:msi'}) SET n.sector = 'space'", "unknown sector 'space'"),
        ("MATCH (n {key: 'org:msi'}) SET n.name = ''", r"\(EmptyName\)"),
        ("MATCH (n {key: 'org:msi'}) SET n.tags = {a: 1}", r"\(InvalidPropertyType\)"),
        ("MATCH ()-[e:funds]->() SET e.valid_from = 'yesterday'", "valid_from"),
    ]
    before = rows(db, "SELECT * FROM kg_nodes ORDER BY rowid")
    for query, message in cases:
        with pytest.raises(sqlite3.OperationalError, match=message):
            cy(db, query)
    assert rows(db, "SELECT * FROM kg_nodes ORDER BY rowid") == before


def test_writes_are_part_of_the_sql_transaction(db, connect):
    count = lambda: rows(db, "SELECT count(*) FROM kg_nodes")[0][0]
    n = count()
    db.execute("BEGIN")
    cy(db, "CREATE (:person {key: 'p:1'})")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:2', 'person')")
    assert count() == n + 2
    assert cy(db, "MATCH (p:person) RETURN count(p) AS c") == [{"c": 2}]
    db.execute("ROLLBACK")
    assert count() == n
    # COMMIT keeps both; another connection sees them.
    db.execute("BEGIN")
    cy(db, "CREATE (:person {key: 'p:1'})")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:2', 'person')")
    db.execute("COMMIT")
    other = connect()
    assert rows(other, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(2,)]


def test_savepoints_cover_cypher_writes(db):
    db.execute("BEGIN")
    cy(db, "CREATE (:person {key: 'p:kept'})")
    db.execute("SAVEPOINT s")
    cy(db, "CREATE (:person {key: 'p:undone'})")
    db.execute("ROLLBACK TO s")
    db.execute("COMMIT")
    assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:kept",)]


def test_a_failing_query_leaves_nothing_behind(db):
    # Inside a transaction: the statement's own writes go, earlier ones stay.
    db.execute("BEGIN")
    cy(db, "CREATE (:person {key: 'p:first'})")
    with pytest.raises(sqlite3.OperationalError, match="NodeKeyExists"):
        cy(db, "UNWIND ['p:a', 'p:b', 'org:msi'] AS k CREATE (:person {key: k})")
    db.execute("COMMIT")
    assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:first",)]
    # In autocommit mode too.
    with pytest.raises(sqlite3.OperationalError):
        cy(db, "CREATE (:person {key: 'p:x'}) WITH 1 AS one CREATE (:person {key: 'org:msi'})")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE key = 'p:x'") == [(0,)]


def test_autocommit_writes_are_committed_and_durable(connect, tmp_path):
    db = connect()
    db.executescript("CREATE VIRTUAL TABLE kg USING samverkan(path='w.kg');")
    cy(db, "CREATE (:person {key: 'p:durable'})-[:knows]->(:person {key: 'p:other'})")
    db.close()
    again = connect()
    assert cy(again, "MATCH (a)-[:knows]->(b) RETURN a.key, b.key") == [
        {"a.key": "p:durable", "b.key": "p:other"}]


def test_rows_of_a_write_query_and_limit(db):
    # All writes happen whatever the LIMIT or the SQL reads.
    got = rows(db, "SELECT row FROM kg_cypher('kg', "
                   "'UNWIND range(1, 5) AS i CREATE (n:person {key: ''p:'' + i}) RETURN n.key') LIMIT 1")
    assert len(got) == 1
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(5,)]


def test_a_write_waits_for_another_writer_up_to_busy_timeout(connect, ext, tmp_path):
    # The first writer commits from another thread while the second waits.
    first = sqlite3.connect(str(tmp_path / "first.db"), isolation_level=None,
                            check_same_thread=False)
    first.enable_load_extension(True)
    first.load_extension(ext)
    first.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='busy.kg')")
    other = connect("other.db")
    other.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path}/busy.kg')")
    other.execute("PRAGMA busy_timeout = 10000")
    first.execute("BEGIN")
    cy(first, "CREATE (:person {key: 'p:1'})")
    committer = threading.Timer(0.2, lambda: first.execute("COMMIT"))
    committer.start()
    cy(other, "CREATE (:person {key: 'p:2'})")  # would fail without waiting
    committer.join()
    assert cy(first, "MATCH (p:person) RETURN p.key AS k ORDER BY k") == [{"k": "p:1"},
                                                                         {"k": "p:2"}]
    # Nobody commits: after the timeout, the message every writer gives.
    other.execute("PRAGMA busy_timeout = 300")
    first.execute("BEGIN")
    cy(first, "CREATE (:person {key: 'p:3'})")
    start = time.monotonic()
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^kg_cypher: graph '.*/busy.kg' is being written by another "
                             r"connection in this process$"):
        cy(other, "CREATE (:person {key: 'p:4'})")
    assert time.monotonic() - start >= 0.25
    first.execute("ROLLBACK")
    first.close()


def test_read_only_graphs_refuse_writes(connect, tmp_path):
    db = connect()
    db.executescript("CREATE VIRTUAL TABLE kg USING samverkan(path='ro.kg');"
                     "CREATE VIRTUAL TABLE old USING samverkan(path='ro.kg', readonly=1);")
    with pytest.raises(sqlite3.OperationalError, match="open read-only"):
        db.execute("SELECT * FROM kg_cypher('old', 'CREATE (:x)')").fetchall()


# --- stored queries -------------------------------------------------------------------

PARTNERS = ("CREATE VIRTUAL TABLE partners USING samverkan_cypher(kg, '"
            "MATCH (a:actor {sector: $s})-[:participates_in]->(p:project)<-[:participates_in]-(b:actor) "
            "RETURN a.name AS actor, b.name AS partner, count(p) AS projects, b.aliases AS aliases')")


def test_a_stored_query_has_named_columns_and_parameters(db):
    db.execute(PARTNERS)
    cols = [r[1] for r in rows(db, "PRAGMA table_xinfo(partners)")]
    assert cols == ["actor", "partner", "projects", "aliases", "s"]
    assert rows(db, "SELECT * FROM partners('academia')") == [
        ("Örebro universitet", "MSI", 1, '["Mora Sport Initiative"]')]
    assert rows(db, "SELECT actor, projects FROM partners WHERE s = 'nonprofit'") == [("MSI", 1)]
    with pytest.raises(sqlite3.OperationalError, match=r"partners: missing parameter \$s"):
        db.execute("SELECT * FROM partners").fetchall()
    # SQL values: numbers as numbers.
    assert rows(db, "SELECT typeof(projects) FROM partners('academia')") == [("integer",)]


def test_a_stored_query_comes_back_with_the_database(connect):
    db = connect("stored.db")
    db.executescript("CREATE VIRTUAL TABLE kg USING samverkan(path='stored.kg');"
                     "INSERT INTO kg_nodes(key, kind, name) VALUES ('a', 'actor', 'A');")
    db.execute("CREATE VIRTUAL TABLE names USING samverkan_cypher(graph=kg, "
               "query='MATCH (n:actor) RETURN n.name AS name')")
    db.close()
    again = connect("stored.db")
    assert rows(again, "SELECT name FROM names") == [("A",)]


def test_stored_queries_are_checked_and_read_only(db):
    with pytest.raises(sqlite3.OperationalError, match="a stored query only reads"):
        db.execute("CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg, 'CREATE (:x)')")
    with pytest.raises(sqlite3.OperationalError,
                       match=r"samverkan_cypher: SyntaxError \(UnexpectedSyntax\) at line 1"):
        db.execute("CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg, 'MATCH (n RETURN n')")
    with pytest.raises(sqlite3.OperationalError, match="missing required argument 'query'"):
        db.execute("CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg)")
    # A parameter named like a column gets a prefix.
    db.execute("CREATE VIRTUAL TABLE same USING samverkan_cypher(kg, "
               "'MATCH (n {sector: $sector}) RETURN n.sector AS sector')")
    assert [r[1] for r in rows(db, "PRAGMA table_xinfo(same)")] == ["sector", "param_sector"]
    assert rows(db, "SELECT sector FROM same('public')") == [("public",)]


def test_views_and_triggers_cannot_run_cypher(db):
    db.execute("CREATE VIEW v AS SELECT row FROM kg_cypher('kg', 'MATCH (n) DETACH DELETE n')")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of"):
        db.execute("SELECT * FROM v").fetchall()
    db.execute(PARTNERS)
    db.execute("CREATE VIEW w AS SELECT * FROM partners('academia')")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of"):
        db.execute("SELECT * FROM w").fetchall()
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(5,)]


# --- stopping -----------------------------------------------------------------------------

def test_sqlite3_interrupt_stops_a_long_query(connect):
    db = connect()
    db.executescript("CREATE VIRTUAL TABLE kg USING samverkan(path='big.kg');")
    db.execute("SELECT * FROM kg_cypher('kg', 'UNWIND range(1, 300) AS i CREATE (:n {i: i})')").fetchall()
    # Interrupts until the query ends: one interrupt alone may land before
    # the query starts on a loaded machine, where SQLite drops it.
    done = threading.Event()

    def interrupt():
        while not done.wait(0.2):
            db.interrupt()

    stopper = threading.Thread(target=interrupt)
    stopper.start()
    t = time.monotonic()
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            # 300^3 = 27 million rows, each tested: seconds unless stopped.
            # (A bare count(*) of the product is counted, not enumerated.)
            cy(db, "MATCH (a), (b), (c) WHERE a.i <> b.i + c.i RETURN count(*) AS n")
        assert time.monotonic() - t < 5
    finally:
        done.set()
        stopper.join()
    assert cy(db, "MATCH (a) RETURN count(*) AS n") == [{"n": 300}]


def test_a_graph_of_an_attached_database(connect, tmp_path):
    db = connect()
    db.execute(f"ATTACH '{tmp_path / 'aux.db'}' AS aux")
    db.execute("CREATE VIRTUAL TABLE aux.g USING samverkan(path='aux.kg')")
    db.execute("BEGIN")
    db.execute("SELECT * FROM kg_cypher('aux.g', 'CREATE (:person {key: ''p:a''})')").fetchall()
    db.execute("ROLLBACK")
    assert rows(db, "SELECT count(*) FROM aux.g_nodes") == [(0,)]
    db.execute("SELECT * FROM kg_cypher('aux.g', 'CREATE (:person {key: ''p:b''})')").fetchall()
    assert rows(db, "SELECT key FROM aux.g_nodes") == [("p:b",)]


def test_writes_reach_the_transaction_after_the_schema_changed(db):
    # A failed CREATE VIRTUAL TABLE makes SQLite connect the graph's tables
    # anew; Cypher's writes must still be committed and rolled back with SQL.
    with pytest.raises(sqlite3.OperationalError):
        db.execute("CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg, 'CREATE (:x)')")
    db.execute("SAVEPOINT s")
    cy(db, "CREATE (:person {key: 'p:undone'})")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(1,)]
    db.execute("ROLLBACK TO s")
    db.execute("RELEASE s")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(0,)]
    with pytest.raises(sqlite3.OperationalError):
        db.execute("CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg, 'CREATE (:x)')")
    cy(db, "CREATE (:person {key: 'p:kept'})")
    assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:kept",)]
