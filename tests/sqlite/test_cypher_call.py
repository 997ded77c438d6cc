"""Cypher's CALL: every analytics procedure (samverkan.<name>) gives the rows
of its SQL twin kg_<name>, with the same options; results compose with
MATCH; db.labels() and friends; clear errors; and stored queries that call
procedures obey the memory limit, interrupts and DIRECTONLY."""
import json
import sqlite3
import threading

import pytest

from conftest import rows
from test_queries import sample_db  # noqa: F401

# (procedure, Cypher options): each is checked against kg_<procedure> with
# the same arguments by name.
CASES = [
    ("pagerank", {}),
    ("pagerank", {"damping": 0.9, "kinds": ["actor", "project"]}),
    ("pagerank", {"direction": "out", "weight": "weight", "iterations": 5000}),
    ("pagerank", {"personalization": ["org:msi"], "convergence": "networkx"}),
    ("components", {}),
    ("components", {"mode": "strong"}),
    ("communities", {}),
    ("communities", {"resolution": 1.5, "seed": 7}),
    ("betweenness", {}),
    ("betweenness", {"normalized": False, "direction": "out"}),
    ("closeness", {"wf_improved": False}),
    ("degree", {"types": ["participates_in", "located_in"]}),
    ("kcore", {}),
    ("clustering", {"valid_on": "2021-06-01"}),
    ("projection", {"keep": "person", "via": "actor"}),
    ("projection", {"keep": "actor", "via": "region", "types": ["located_in"]}),
    ("sector_mixing", {}),
    ("sector_mixing", {"attribute": "kind", "weight": "weight"}),
    ("ei_index", {"attribute": "kind"}),
    ("assortativity", {"attribute": "kind"}),
    ("conductance", {"attribute": "kind", "weight": "weight"}),
    ("brokerage", {"attribute": "kind"}),
    ("sector_ties_by_year", {}),
    ("sector_ties_by_year", {"attribute": "kind", "first_year": 2019, "last_year": 2021}),
]


def ordered(rows):
    """Sorted, NULLs (None) after the values of their column."""
    return sorted(rows, key=lambda r: tuple((v is None, 0 if v is None else v) for v in r))


def sql_value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, list):
        return ",".join(v)
    return v


def sql_rows(db, proc, options):
    where = "".join(f" AND {k} = ?" for k in options)
    cur = db.execute(f"SELECT * FROM kg_{proc} WHERE graph = 'kg'{where}",
                     [sql_value(v) for v in options.values()])
    names = ["node" if d[0] == "key" else d[0] for d in cur.description]
    return names, ordered(tuple(r) for r in cur.fetchall())


def cypher_rows(db, query, params=None, names=None):
    got = [json.loads(r[0]) for r in db.execute(
        "SELECT * FROM kg_cypher('kg', ?, ?)",
        (query, json.dumps(params) if params is not None else None)).fetchall()]
    out = []
    for row in got:
        keys = names or list(row)
        # Nodes come back as {"id", "key", ...}: compare their keys.
        out.append(tuple(row[k]["key"] if isinstance(row[k], dict) else row[k] for k in keys))
    return ordered(out)


def same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x == pytest.approx(y, rel=1e-9, abs=1e-12), (x, y)


@pytest.mark.parametrize("proc,options", CASES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(CASES)])
def test_each_procedure_gives_the_rows_of_its_sql_twin(sample_db, proc, options):  # noqa: F811
    names, want = sql_rows(sample_db, proc, options)
    assert want, f"kg_{proc} gave no rows: the case checks nothing"
    got = cypher_rows(sample_db, f"CALL samverkan.{proc}($options)", {"options": options},
                      names)
    same(got, want)
    # YIELD of some columns, renamed, in a longer query, options as a literal.
    literal = "{" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in options.items()) + "}"
    query = (f"CALL samverkan.{proc}({literal}) YIELD {names[-1]} AS last "
             "RETURN last ORDER BY last")
    col = [w[-1] for w in want]
    got = [json.loads(r[0])["last"] for r in sample_db.execute(
        "SELECT * FROM kg_cypher('kg', ?)", (query,)).fetchall()]
    none_last = sorted(x for x in col if x is not None) + [None] * col.count(None)
    same([(x,) for x in got], [(x,) for x in none_last])


def test_every_analytics_function_is_a_procedure(sample_db):  # noqa: F811
    procs = {json.loads(r[0])["name"] for r in sample_db.execute(
        "SELECT * FROM kg_cypher('kg', 'CALL dbms.procedures() YIELD name RETURN name')")}
    analytics = {p[len("samverkan."):] for p in procs if p.startswith("samverkan.")}
    assert analytics == {p for p, _ in CASES}
    functions = {r[0][len("kg_"):] for r in sample_db.execute(
        "SELECT name FROM pragma_module_list WHERE name LIKE 'kg\\_%' ESCAPE '\\'")}
    assert analytics <= functions
    assert {"db.labels", "db.relationshipTypes", "db.propertyKeys"} <= procs


def test_yielded_nodes_compose_with_match(sample_db):  # noqa: F811
    got = cypher_rows(sample_db,
                      "CALL samverkan.pagerank() YIELD node, rank "
                      "MATCH (node)-[:located_in]->(r) RETURN r.key AS region, avg(rank) AS avg")
    want = sorted(tuple(r) for r in sample_db.execute(
        "SELECT r.key, avg(p.rank) FROM kg_pagerank('kg') p "
        "JOIN kg_edges e ON e.src = p.key AND e.type = 'located_in' "
        "JOIN kg_nodes r ON r.key = e.dst GROUP BY r.key"))
    assert len(want) > 1
    same(got, want)
    # YIELD ... WHERE filters, and a node variable can be matched again.
    got = cypher_rows(sample_db, "CALL samverkan.degree() YIELD node, degree WHERE degree >= 5 "
                                 "MATCH (node:actor) RETURN node.key AS key")
    want = sorted(tuple(r) for r in sample_db.execute(
        "SELECT d.key FROM kg_degree('kg') d JOIN kg_nodes n USING (key) "
        "WHERE d.degree >= 5 AND n.kind = 'actor'"))
    assert got == want and want


def test_db_procedures(sample_db):  # noqa: F811
    labels = cypher_rows(sample_db, "CALL db.labels()")
    assert labels == sorted((k,) for (k,) in sample_db.execute(
        "SELECT DISTINCT kind FROM kg_nodes WHERE kind <> 'node'"))
    types = {t for (t,) in cypher_rows(sample_db, "CALL db.relationshipTypes() YIELD "
                                                  "relationshipType AS t RETURN t")}
    assert types >= {t for (t,) in sample_db.execute("SELECT DISTINCT type FROM kg_edges")}
    keys = {k for (k,) in cypher_rows(sample_db, "CALL db.propertyKeys()")}
    assert {"key", "name", "sector", "aliases"} <= keys


@pytest.mark.parametrize("query,message", [
    ("CALL samverkan.pagerankk()",
     r"ProcedureError \(ProcedureNotFound\) at line 1, column 1: there is no procedure "
     r"`samverkan.pagerankk`; CALL dbms.procedures\(\) lists them"),
    ("CALL samverkan.pagerank({dampin: 0.8}) YIELD node RETURN node",
     r"ArgumentError \(InvalidArgumentValue\) at line 1, column 25: samverkan.pagerank has no "
     r"option `dampin`; its options are damping, iterations,"),
    ("CALL samverkan.pagerank({damping: 'high'}) YIELD node RETURN node",
     r"samverkan.pagerank: damping must be a number between 0 and 1, not 'high'"),
    ("CALL samverkan.pagerank({kinds: [1, 2]}) YIELD node RETURN node",
     r"ArgumentError \(InvalidArgumentType\) .*option `kinds` takes a list of strings, "
     r"not a list"),
    ("CALL samverkan.pagerank({kinds: ['actr']}) YIELD node RETURN node",
     r"samverkan.pagerank: kinds: unknown kind 'actr'"),
    ("CALL samverkan.components({mode: 'both'}) YIELD node RETURN node",
     r"samverkan.components: mode must be 'weak' or 'strong', not 'both'"),
    ("CALL samverkan.pagerank() YIELD score RETURN score",
     r"SyntaxError \(UndefinedVariable\) at line 1, column 33: samverkan.pagerank has no column "
     r"`score`; its columns are node, rank"),
    ("CALL samverkan.pagerank() RETURN 1",
     r"SyntaxError \(UndefinedVariable\) .*needs YIELD to name the columns it uses: "
     r"CALL samverkan.pagerank\(\) YIELD node"),
    ("CALL samverkan.pagerank(0.85) YIELD node RETURN node",
     r"samverkan.pagerank takes a map of options, not a float"),
    ("CALL db.labels(1)", r"db.labels takes no arguments"),
    ("CREATE (:x {key: 'n'}) CALL db.labels() YIELD label RETURN label",
     r"InvalidClauseComposition.*a WITH is needed between an updating clause and a reading"),
])
def test_errors_say_what_and_where(sample_db, query, message):  # noqa: F811
    with pytest.raises(sqlite3.OperationalError, match=message):
        sample_db.execute("SELECT * FROM kg_cypher('kg', ?)", (query,)).fetchall()


def test_a_call_after_writes_sees_them(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='w.kg')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor'), ('b', 'actor')")
    got = cypher_rows(db, "CREATE (:actor {key: 'c'})-[:knows]->(:actor {key: 'd'}) WITH 1 AS one "
                          "CALL samverkan.components() YIELD node, size "
                          "RETURN node.key AS key, size")
    assert got == [("a", 1), ("b", 1), ("c", 2), ("d", 2)]
    # Inside a transaction, the writes before it too.
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('a', 'knows', 'b')")
    assert cypher_rows(db, "CALL samverkan.components() YIELD node, size "
                           "WHERE node.key = 'a' RETURN size") == [(2,)]
    db.execute("ROLLBACK")


@pytest.fixture
def small(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='s.kg')")
    db.execute("BEGIN")
    for i in range(200):
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n{i}",))
    for i in range(200):
        db.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'tie', ?)",
                   (f"n{i}", f"n{(i * 7 + 1) % 200}"))
    db.execute("COMMIT")
    return db


def test_a_stored_query_calling_a_procedure_obeys_the_memory_limit(small):
    small.execute("CREATE VIRTUAL TABLE degrees USING samverkan_cypher(kg, "
                  "'CALL samverkan.degree() YIELD node, degree RETURN node.key AS key, degree')")
    assert len(rows(small, "SELECT * FROM degrees")) == 200
    # 200 rows of 6 columns held: more than 4 KiB.
    assert rows(small, "SELECT kg_set('cypher_memory_limit', 4096)") == [(4096,)]
    with pytest.raises(sqlite3.OperationalError,
                       match=r"^degrees: the Cypher statement used more than 4 KiB"):
        small.execute("SELECT * FROM degrees").fetchall()
    small.execute("SELECT kg_set('cypher_memory_limit', NULL)")


def test_a_stored_query_calling_a_procedure_stops_when_interrupted(small):
    # Tolerance 0 and 2^32 - 1 rounds: hours without an interrupt.
    small.execute("CREATE VIRTUAL TABLE forever USING samverkan_cypher(kg, "
                  "'CALL samverkan.pagerank({tolerance: 0, iterations: 4294967295}) "
                  "YIELD rank RETURN rank')")
    timer = threading.Timer(0.3, small.interrupt)
    timer.start()
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            small.execute("SELECT * FROM forever").fetchall()
    finally:
        timer.cancel()
    assert rows(small, "SELECT count(*) FROM kg_nodes") == [(200,)]


def test_views_cannot_call_procedures(small):
    small.execute("CREATE VIRTUAL TABLE ranks USING samverkan_cypher(kg, "
                  "'CALL samverkan.pagerank() YIELD node, rank RETURN node.key AS key, rank')")
    small.execute("CREATE VIEW v1 AS SELECT * FROM ranks")
    small.execute("CREATE VIEW v2 AS SELECT * FROM kg_cypher('kg', 'CALL db.labels()')")
    for view in ("v1", "v2"):
        with pytest.raises(sqlite3.OperationalError, match="unsafe use of virtual table"):
            small.execute(f"SELECT * FROM {view}").fetchall()


def declare(db, signature, rows):
    return rows_of(db, "SELECT kg_set('cypher_procedure', ?)",
                   (json.dumps({"signature": signature, "rows": rows}),))


def rows_of(db, sql, params=()):
    return db.execute(sql, params).fetchall()


def test_table_procedures_declared_through_kg_set(small):
    sig = "test.city(name :: STRING?, id :: INTEGER?) :: (city :: STRING?, code :: INTEGER?)"
    table = [["Stefan", 1, "Berlin", 49], ["Stefan", 2, "München", 49], ["Petra", 1, "London", 44]]
    assert declare(small, sig, table) == [(1,)]
    assert cypher_rows(small, "CALL test.city('Stefan', 1)") == [("Berlin", 49)]
    # Without an argument list, the parameters named as the inputs.
    assert cypher_rows(small, "CALL test.city", {"name": "Petra", "id": 1}) == [("London", 44)]
    assert cypher_rows(small, "UNWIND [1, 2] AS i CALL test.city('Stefan', i) YIELD city "
                              "RETURN i, city") == [(1, "Berlin"), (2, "München")]
    # A procedure without outputs passes rows on.
    assert declare(small, "test.nothing() :: ()", []) == [(2,)]
    assert cypher_rows(small, "UNWIND [1, 2] AS i CALL test.nothing() RETURN i") == [(1,), (2,)]
    assert cypher_rows(small, "CALL test.nothing()") == []
    for query, message in [
        ("CALL test.city('Stefan')", r"SyntaxError \(InvalidNumberOfArguments\)"),
        ("CALL test.city('Stefan', true)",
         r"SyntaxError \(InvalidArgumentType\) .*argument `id` takes INTEGER\?"),
        ("CALL test.city('Stefan', 1) YIELD * RETURN city",
         r"SyntaxError \(UnexpectedSyntax\) .*YIELD \* is only for a query that is a CALL alone"),
    ]:
        with pytest.raises(sqlite3.OperationalError, match=message):
            small.execute("SELECT * FROM kg_cypher('kg', ?)", (query,)).fetchall()
    with pytest.raises(sqlite3.OperationalError, match=r"kg_set: procedure signature 'x': "):
        declare(small, "x", [])
    with pytest.raises(sqlite3.OperationalError,
                       match=r"each procedure row is an array of 4 values"):
        declare(small, sig, [["Stefan", 1]])
    # NULL removes them all; built-in names are not shadowed.
    assert rows_of(small, "SELECT kg_set('cypher_procedure', NULL)") == [(0,)]
    with pytest.raises(sqlite3.OperationalError, match="ProcedureNotFound"):
        small.execute("SELECT * FROM kg_cypher('kg', 'CALL test.city(''a'', 1)')").fetchall()


def test_a_date_value_is_a_valid_on_option(sample_db):  # noqa: F811
    names, want = sql_rows(sample_db, "clustering", {"valid_on": "2021-06-01"})
    got = cypher_rows(sample_db, "CALL samverkan.clustering({valid_on: date('2021-06-01')})",
                      names=names)
    same(got, want)
    with pytest.raises(sqlite3.Error, match="option `year` takes integer year, not a date"):
        sample_db.execute("SELECT * FROM kg_cypher('kg', "
                          "'CALL samverkan.clustering({year: date(''2021-06-01'')})')").fetchall()
