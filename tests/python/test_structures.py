"""samverkan.to_dataframe(), to_networkx() and to_igraph(), from the package's
source (python/samverkan) on a connection with the built extension loaded:
the stored graph and its projection onto actors, compared with what
NetworkX computes from the edges independently; selection by type and
date; the load() errors for an unusable sqlite3."""
import itertools
import pathlib
import sqlite3
import sys

import igraph
import networkx as nx
import pandas
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))
import samverkan  # noqa: E402  (the source tree's package)

ACTORS = [(f"a{i}", ["academia", "business", "public", None][i % 4]) for i in range(12)]
PROJECTS = [f"p{j}" for j in range(8)]


@pytest.fixture()
def conn(graph_conn):
    c = graph_conn
    c.execute("BEGIN")
    c.executemany("INSERT INTO kg_nodes(key, kind, name, sector) VALUES (?, 'actor', ?, ?)",
                  [(k, k.upper(), s) for k, s in ACTORS])
    c.executemany("INSERT INTO kg_nodes(key, kind) VALUES (?, 'project')", [(p,) for p in PROJECTS])
    c.execute("INSERT INTO kg_nodes(key, kind) VALUES ('r', 'region')")
    # a11 takes part in nothing: a node of the projection without ties.
    rows = [(f"a{(j * 5 + k) % 11}", f"p{j}", 2020 + j % 3) for j in range(8) for k in range(j % 4 + 1)]
    c.executemany("INSERT OR IGNORE INTO kg_edges(src, type, dst, weight, valid_from, valid_to) "
                  "VALUES (?, 'participates_in', ?, 1.5, ? || '-01-01', ? || '-12-31')",
                  [(a, p, y, y) for a, p, y in rows])
    c.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('a0', 'located_in', 'r')")
    c.execute("COMMIT")
    return c


def stored_edges(conn):
    return conn.execute("SELECT src, dst, type, weight, valid_from, valid_to, rowid "
                        "FROM kg_edges").fetchall()


def expected_projection(conn, year=None):
    """nx.bipartite.weighted_projected_graph of the participations, from kg_edges."""
    b = nx.Graph()
    b.add_nodes_from(k for k, _ in ACTORS)
    for s, d, t, _, vf, vt, _ in stored_edges(conn):
        if t == "participates_in" and (year is None or vf <= f"{year}-12-31" and vt >= f"{year}-01-01"):
            b.add_edge(s, d)
    return nx.bipartite.weighted_projected_graph(b, [k for k, _ in ACTORS])


def ties_of(g):
    return {frozenset((u, v)): w for u, v, w in g.edges(data="weight")}


def test_networkx_projection_equals_networkx_own(conn):
    g = samverkan.to_networkx(conn, via="project")
    assert type(g) is nx.Graph
    want = expected_projection(conn)
    assert set(g.nodes) == set(want.nodes) and "a11" in g and g.degree("a11") == 0
    assert ties_of(g) == {e: float(w) for e, w in ties_of(want).items()} and g.number_of_edges() > 10
    assert g.nodes["a2"] == {"kind": "actor", "name": "A2", "sector": "public"}
    in_2021 = samverkan.to_networkx(conn, via="project", year=2021)
    assert ties_of(in_2021) == {e: float(w) for e, w in ties_of(expected_projection(conn, 2021)).items()}
    assert ties_of(in_2021) != ties_of(g)


def test_networkx_stored_graph_is_a_multidigraph_of_every_edge(conn):
    g = samverkan.to_networkx(conn)
    assert type(g) is nx.MultiDiGraph
    assert g.number_of_nodes() == 12 + 8 + 1
    assert sorted(g.edges(keys=True, data=True)) == sorted(
        (s, d, rid, {"type": t, "weight": w, "valid_from": vf, "valid_to": vt})
        for s, d, t, w, vf, vt, rid in stored_edges(conn))
    assert g.nodes["p0"] == {"kind": "project", "name": "p0", "sector": None}
    only = samverkan.to_networkx(conn, types=["located_in"])
    assert list(only.edges(data="type")) == [("a0", "r", "located_in")]
    dated = samverkan.to_networkx(conn, valid_on="2022-06-01")
    # The undated located_in edge is valid on every day.
    assert {t for _, _, t in dated.edges(data="type")} == {"participates_in", "located_in"}
    assert all(vf is None or vf.startswith("2022") for _, _, vf in dated.edges(data="valid_from"))


def test_igraph_projection_and_stored_graph(conn):
    g = samverkan.to_igraph(conn, via="project")
    assert not g.is_directed()
    assert g.vs["name"] == [k for k, _ in ACTORS] and g.vs["label"][3] == "A3"
    assert g.vs["sector"] == [s for _, s in ACTORS]
    got = {frozenset((g.vs[e.source]["name"], g.vs[e.target]["name"])): e["weight"] for e in g.es}
    assert got == {e: float(w) for e, w in ties_of(expected_projection(conn)).items()}
    d = samverkan.to_igraph(conn)
    assert d.is_directed() and d.vcount() == 21
    assert sorted((d.vs[e.source]["name"], d.vs[e.target]["name"], e["type"], e["weight"],
                   e["valid_from"], e["valid_to"], e["id"]) for e in d.es) == \
        sorted((s, dd, t, w, vf, vt, rid) for s, dd, t, w, vf, vt, rid in stored_edges(conn))
    assert d.vs.find(name="r")["kind"] == "region"


def test_dataframes_of_edges_ties_and_nodes(conn):
    edges = samverkan.to_dataframe(conn)
    assert list(edges.columns) == ["src", "dst", "type", "weight", "valid_from", "valid_to", "id"]
    assert sorted(map(tuple, edges.astype(object).where(edges.notna(), None).values.tolist())) == \
        sorted(stored_edges(conn))
    assert edges["weight"].dtype == "float64"
    ties = samverkan.to_dataframe(conn, via="project")
    assert list(ties.columns) == ["actor_a", "actor_b", "weight"]
    assert {frozenset((a, b)): w for a, b, w in ties.itertuples(index=False)} == \
        {e: float(w) for e, w in ties_of(expected_projection(conn)).items()}
    nodes = samverkan.to_dataframe(conn, nodes=True)
    assert list(nodes.columns) == ["key", "kind", "name", "sector"] and len(nodes) == 21
    assert list(samverkan.to_dataframe(conn, nodes=True, via="project")["key"]) == \
        [k for k, _ in ACTORS]
    empty = samverkan.to_dataframe(conn, types="funds")
    assert len(empty) == 0 and list(empty.columns) == list(edges.columns)


def test_another_graph_and_bad_names(conn, tmp_path):
    conn.execute(f"ATTACH '{tmp_path / 'aux.db'}' AS aux")
    conn.execute("CREATE VIRTUAL TABLE aux.g2 USING samverkan(path='g2.kg')")
    conn.execute("INSERT INTO aux.g2_nodes(key, kind) VALUES ('x', 'actor'), ('y', 'actor')")
    conn.execute("INSERT INTO aux.g2_edges(src, type, dst) VALUES ('x', 'knows', 'y')")
    assert list(samverkan.to_networkx(conn, "aux.g2").edges()) == [("x", "y")]
    with pytest.raises(ValueError, match="graph must name a samverkan table"):
        samverkan.to_dataframe(conn, "kg; DROP TABLE kg")
    with pytest.raises(sqlite3.Error, match="no such table"):
        samverkan.to_networkx(conn, "nope")


def test_load_says_when_sqlite_is_too_old(request):
    class OldSQLite(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "SELECT sqlite_version()":
                return super().execute("SELECT '3.31.1'")
            return super().execute(sql, *args)

    c = sqlite3.connect(":memory:", factory=OldSQLite)
    c.enable_load_extension(True)
    with pytest.raises(RuntimeError, match=r"needs SQLite 3\.40\.0 or newer; .* runs SQLite 3\.31\.1"):
        samverkan.load(c)
    assert samverkan.MIN_SQLITE_VERSION == (3, 40, 0)


def test_load_says_when_loading_is_off_or_impossible():
    c = sqlite3.connect(":memory:")
    c.enable_load_extension(False)
    with pytest.raises(sqlite3.OperationalError, match=r"enable_load_extension\(True\) before"):
        samverkan.load(c)

    class NoLoading:  # a sqlite3 built without SQLITE_ENABLE_LOAD_EXTENSION has neither
        def execute(self, sql):
            return c.execute(sql)

    with pytest.raises(RuntimeError, match="cannot load extensions.*enable-loadable-sqlite"):
        samverkan.load(NoLoading())
