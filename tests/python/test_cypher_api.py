"""samverkan.cypher() and samverkan.cypher_df(), from the package's source
(python/samverkan) on a connection with the built extension loaded: rows as
dicts and as a DataFrame, parameters, graph values, writes, errors."""
import pathlib
import sqlite3
import sys

import pandas
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
import samverkan  # noqa: E402  (the source tree's package)


@pytest.fixture()
def conn(graph_conn):
    c = graph_conn
    c.execute("CREATE VIRTUAL TABLE other USING samverkan(path='o.kg')")
    c.execute("INSERT INTO kg_nodes(key, kind, name, sector) VALUES "
              "('a', 'actor', 'Alpha', 'academia'), ('b', 'actor', 'Beta', 'public'), "
              "('p', 'project', 'Pi', NULL)")
    c.execute("INSERT INTO kg_edges(src, type, dst, weight) VALUES "
              "('a', 'participates_in', 'p', 2.5), ('b', 'participates_in', 'p', 1)")
    return c


def test_rows_are_dicts_with_the_columns_in_order(conn):
    rows = samverkan.cypher(conn, "MATCH (a:actor)-[r]->(p:project) "
                                  "RETURN p.name AS project, a.name AS actor, r.weight AS w "
                                  "ORDER BY actor")
    assert rows == [{"project": "Pi", "actor": "Alpha", "w": 2.5},
                    {"project": "Pi", "actor": "Beta", "w": 1.0}]
    assert [list(r) for r in rows] == [["project", "actor", "w"]] * 2


def test_parameters_graph_values_and_the_graph_argument(conn):
    rows = samverkan.cypher(conn, "MATCH (a:actor {sector: $s}) RETURN a, [1, null] AS l",
                            {"s": "public"})
    assert rows == [{"a": {"id": 2, "key": "b", "labels": ["actor"],
                           "properties": {"key": "b", "name": "Beta", "sector": "public"}},
                     "l": [1, None]}]
    assert samverkan.cypher(conn, "MATCH (n) RETURN count(n) AS n", graph="other") == [{"n": 0}]


def test_writes_go_through_the_connection(conn):
    conn.execute("BEGIN")
    assert samverkan.cypher(conn, "CREATE (n:actor {name: 'Gamma'}) RETURN n.name AS name") == \
        [{"name": "Gamma"}]
    conn.execute("ROLLBACK")
    assert samverkan.cypher(conn, "MATCH (n:actor) RETURN count(n) AS n") == [{"n": 2}]


def test_errors_are_sqlite3_errors_with_the_message(conn):
    with pytest.raises(sqlite3.Error, match=r"SyntaxError \(UnexpectedSyntax\) at line 1"):
        samverkan.cypher(conn, "MATCH (a RETURN a")


def test_dataframe_has_the_columns_also_without_rows(conn):
    df = samverkan.cypher_df(conn, "MATCH (a:actor) RETURN a.name AS name, a.sector AS sector "
                                   "ORDER BY name")
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == ["name", "sector"]
    assert df.to_dict("records") == [{"name": "Alpha", "sector": "academia"},
                                     {"name": "Beta", "sector": "public"}]
    empty = samverkan.cypher_df(conn, "MATCH (a:actor {sector: $s}) RETURN a.name AS name, "
                                      "count(*) AS n", {"s": "nonprofit"})
    assert list(empty.columns) == ["name", "n"] and len(empty) == 0
    # Nothing is left behind by finding the columns.
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
