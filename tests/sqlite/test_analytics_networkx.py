"""Differential tests of the analytics functions against NetworkX and igraph.

Each classic graph (Zachary's karate club, Davis' Southern Women, the
Florentine families, Les Misérables) and a few seeded random graphs are loaded
into a samverkan graph with SQL INSERTs; every kg_* function's rows are then
compared with what NetworkX (and, where it has it, igraph) computes on the same
graph: identical components, core numbers and projections; PageRank within
1e-6; betweenness, closeness and clustering within 1e-9; the modularity of our
Louvain partition, as NetworkX computes it, no worse than NetworkX's own Louvain
minus 0.01.
"""
import itertools
import math
import sqlite3

import igraph
import networkx as nx
import pytest

from conftest import rows

TOL = 1e-9


def load(conn, G, kind=None, props=None, weight=None, name="kg"):
    """Loads G into graph `name`: node keys are str(node), one edge per
    NetworkX edge (u -> v as NetworkX lists it), type 'tie'."""
    conn.execute(f"CREATE VIRTUAL TABLE {name} USING samverkan(path='{name}.kg')")
    conn.execute("BEGIN")
    for v, data in G.nodes(data=True):
        k = kind(v, data) if kind else "actor"
        p = props(v, data) if props else "{}"
        conn.execute(f"INSERT INTO {name}_nodes(key, kind, props) VALUES (?, ?, ?)", (str(v), k, p))
    for u, v, data in G.edges(data=True):
        w = data.get(weight) if weight else None
        conn.execute(f"INSERT INTO {name}_edges(src, type, dst, weight) VALUES (?, 'tie', ?, ?)",
                     (str(u), str(v), w))
    conn.execute("COMMIT")
    return conn


def by_key(conn, sql, col=1):
    return {r[0]: r[col] for r in rows(conn, sql)}


def assert_close(ours, theirs, tol, what):
    assert set(ours) == {str(k) for k in theirs}, what
    for k, x in theirs.items():
        assert ours[str(k)] == pytest.approx(x, abs=tol), f"{what}: {k}"


def classic():
    G = nx.les_miserables_graph()
    return {
        "karate": nx.karate_club_graph(),
        "davis": nx.davis_southern_women_graph(),
        "florentine": nx.florentine_families_graph(),
        "lesmis": G,
        "gnp": nx.gnp_random_graph(80, 0.06, seed=7),
        "sparse": nx.gnp_random_graph(120, 0.015, seed=3),  # several components
    }


GRAPHS = classic()


@pytest.fixture(params=sorted(GRAPHS))
def graph(request, connect):
    G = GRAPHS[request.param]
    return G, load(connect(), G)


def test_components_match_networkx_and_igraph(graph):
    G, db = graph
    comp = by_key(db, "SELECT key, component FROM kg_components('kg')")
    ours = {frozenset(k for k, c in comp.items() if c == x) for x in set(comp.values())}
    theirs = {frozenset(map(str, c)) for c in nx.connected_components(G)}
    assert ours == theirs
    sizes = by_key(db, "SELECT key, size FROM kg_components('kg')")
    assert all(sizes[k] == len(c) for c in ours for k in c)
    ig = igraph.Graph.from_networkx(G)
    assert len(ours) == len(ig.connected_components(mode="weak"))


def test_core_numbers_match(graph):
    G, db = graph
    assert by_key(db, "SELECT key, core FROM kg_kcore('kg')") == {
        str(k): v for k, v in nx.core_number(G).items()}


def test_pagerank_matches_networkx_and_igraph(graph):
    G, db = graph
    ours = by_key(db, "SELECT key, rank FROM kg_pagerank('kg', 0.85, 1000, 1e-13)")
    assert_close(ours, nx.pagerank(G, tol=1e-13, max_iter=1000, weight=None), 1e-6, "pagerank")
    ig = igraph.Graph.from_networkx(G)
    prpack = dict(zip(ig.vs["_nx_name"], ig.pagerank(damping=0.85)))
    assert_close(ours, prpack, 1e-6, "pagerank vs igraph")
    # The default agrees with the exact solution; NetworkX's rule, when asked
    # for, with NetworkX's default answer.
    default = by_key(db, "SELECT key, rank FROM kg_pagerank('kg')")
    assert_close(default, prpack, 1e-9, "pagerank, default tolerance")
    networkx_rule = by_key(db, "SELECT key, rank FROM kg_pagerank WHERE graph = 'kg' "
                               "AND convergence = 'networkx'")
    assert_close(networkx_rule, nx.pagerank(G, weight=None), 1e-6, "pagerank, networkx rule")


def test_pagerank_default_is_exact_on_a_large_graph(connect, tmp_path):
    # 30,000 nodes: NetworkX's rule (stop when the summed change is below
    # N * 1e-6 = 0.03) stops after a few rounds, far from the answer; the
    # default must agree with igraph's exact PRPACK to 1e-6 in sum.
    G = nx.barabasi_albert_graph(30_000, 3, seed=11)
    (tmp_path / "nodes.csv").write_text(":ID,:LABEL\n" + "".join(f"{v},actor\n" for v in G))
    (tmp_path / "edges.csv").write_text(":START_ID,:END_ID,:TYPE\n" +
                                        "".join(f"{u},{v},tie\n" for u, v in G.edges()))
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='big.kg')")
    db.execute("SELECT kg_import('kg', ?, 'csv')", (str(tmp_path),))
    ig = igraph.Graph.from_networkx(G)
    exact = dict(zip(map(str, ig.vs["_nx_name"]), ig.pagerank(damping=0.85)))
    ours = by_key(db, "SELECT key, rank FROM kg_pagerank('kg')")
    assert sum(abs(ours[k] - x) for k, x in exact.items()) <= 1e-6
    early = by_key(db, "SELECT key, rank FROM kg_pagerank WHERE graph = 'kg' "
                       "AND convergence = 'networkx'")
    assert sum(abs(early[k] - x) for k, x in exact.items()) > 1e-4
    # A run that cannot converge says so.
    with pytest.raises(sqlite3.OperationalError, match="^kg_pagerank: did not converge in 3 "
                       "iterations"):
        db.execute("SELECT count(*) FROM kg_pagerank('kg', 0.85, 3)").fetchall()


def test_betweenness_matches(graph):
    G, db = graph
    assert_close(by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg')"),
                 nx.betweenness_centrality(G), TOL, "betweenness")
    assert_close(by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg', 0)"),
                 nx.betweenness_centrality(G, normalized=False), TOL, "raw betweenness")


def test_closeness_matches(graph):
    G, db = graph
    assert_close(by_key(db, "SELECT key, closeness FROM kg_closeness('kg')"),
                 nx.closeness_centrality(G), TOL, "closeness")
    assert_close(by_key(db, "SELECT key, closeness FROM kg_closeness('kg', 0)"),
                 nx.closeness_centrality(G, wf_improved=False), TOL, "closeness, no wf")


def test_clustering_and_degree_match(graph):
    G, db = graph
    assert_close(by_key(db, "SELECT key, clustering FROM kg_clustering('kg')"),
                 nx.clustering(G), TOL, "clustering")
    assert by_key(db, "SELECT key, triangles FROM kg_clustering('kg')") == {
        str(k): v for k, v in nx.triangles(G).items()}
    assert_close(by_key(db, "SELECT key, centrality FROM kg_degree('kg')"),
                 nx.degree_centrality(G), TOL, "degree centrality")
    assert by_key(db, "SELECT key, degree FROM kg_degree('kg')") == {
        str(k): d for k, d in G.degree()}


def test_louvain_modularity_no_worse_than_networkx(graph):
    G, db = graph
    comm = by_key(db, "SELECT key, community FROM kg_communities('kg')")
    ours = [{n for n in G if comm[str(n)] == c} for c in set(comm.values())]
    q_ours = nx.community.modularity(G, ours, weight=None)
    q_nx = nx.community.modularity(
        G, nx.community.louvain_communities(G, weight=None, seed=42), weight=None)
    assert q_ours >= q_nx - 0.01
    reported = rows(db, "SELECT DISTINCT modularity FROM kg_communities('kg')")
    assert len(reported) == 1 and reported[0][0] == pytest.approx(q_ours, abs=TOL)


# --- weighted ----------------------------------------------------------------

@pytest.fixture
def lesmis(connect):
    G = nx.les_miserables_graph()
    return G, load(connect(), G, weight="weight")


def test_weighted_measures_match_on_les_miserables(lesmis):
    G, db = lesmis
    assert_close(by_key(db, "SELECT key, rank FROM kg_pagerank('kg', 0.85, 1000, 1e-13, NULL, "
                            "'both', 'weight')"),
                 nx.pagerank(G, weight="weight", tol=1e-13, max_iter=1000), 1e-6, "weighted pagerank")
    assert_close(by_key(db, "SELECT key, betweenness FROM kg_betweenness WHERE graph = 'kg' "
                            "AND weight = 'weight'"),
                 nx.betweenness_centrality(G, weight="weight"), TOL, "weighted betweenness")
    assert_close(by_key(db, "SELECT key, closeness FROM kg_closeness WHERE graph = 'kg' "
                            "AND weight = 'weight'"),
                 nx.closeness_centrality(G, distance="weight"), TOL, "weighted closeness")
    comm = by_key(db, "SELECT key, community FROM kg_communities WHERE graph = 'kg' "
                      "AND weight = 'weight'")
    ours = [{n for n in G if comm[n] == c} for c in set(comm.values())]
    q_nx = nx.community.modularity(
        G, nx.community.louvain_communities(G, weight="weight", seed=42), weight="weight")
    assert nx.community.modularity(G, ours, weight="weight") >= q_nx - 0.01


# --- directed ----------------------------------------------------------------

@pytest.fixture(params=[11, 12])
def digraph(request, connect):
    G = nx.gnp_random_graph(70, 0.05, seed=request.param, directed=True)
    return G, load(connect(), G)


def test_directed_measures_match(digraph):
    G, db = digraph
    comp = by_key(db, "SELECT key, component FROM kg_components('kg', 'strong')")
    ours = {frozenset(k for k, c in comp.items() if c == x) for x in set(comp.values())}
    assert ours == {frozenset(map(str, c)) for c in nx.strongly_connected_components(G)}
    comp = by_key(db, "SELECT key, component FROM kg_components('kg', 'weak')")
    ours = {frozenset(k for k, c in comp.items() if c == x) for x in set(comp.values())}
    assert ours == {frozenset(map(str, c)) for c in nx.weakly_connected_components(G)}
    assert_close(by_key(db, "SELECT key, rank FROM kg_pagerank('kg', 0.85, 1000, 1e-13, NULL, 'out')"),
                 nx.pagerank(G, tol=1e-13, max_iter=1000, weight=None), 1e-6, "directed pagerank")
    assert_close(by_key(db, "SELECT key, rank FROM kg_pagerank('kg', 0.85, 1000, 1e-13, NULL, 'in')"),
                 nx.pagerank(G.reverse(), tol=1e-13, max_iter=1000, weight=None), 1e-6,
                 "reversed pagerank")
    assert_close(by_key(db, "SELECT key, betweenness FROM kg_betweenness WHERE graph = 'kg' "
                            "AND direction = 'out'"),
                 nx.betweenness_centrality(G), TOL, "directed betweenness")
    # NetworkX's directed closeness uses distances to the node: direction 'in'.
    assert_close(by_key(db, "SELECT key, closeness FROM kg_closeness WHERE graph = 'kg' "
                            "AND direction = 'in'"),
                 nx.closeness_centrality(G), TOL, "directed closeness")
    assert by_key(db, "SELECT key, out_degree FROM kg_degree('kg')") == {
        str(k): d for k, d in G.out_degree()}


def test_personalized_pagerank_matches(connect):
    G = nx.karate_club_graph()
    db = load(connect(), G)
    ours = by_key(db, "SELECT key, rank FROM kg_pagerank WHERE graph = 'kg' AND "
                      "personalization = '{\"0\": 2, \"33\": 1}' AND tolerance = 1e-13 AND "
                      "iterations = 1000")
    theirs = nx.pagerank(G, personalization={0: 2, 33: 1}, tol=1e-13, max_iter=1000, weight=None)
    assert_close(ours, theirs, 1e-6, "personalized pagerank")


def test_sampled_betweenness_estimates_exact(connect):
    G = nx.gnp_random_graph(300, 0.03, seed=5)
    db = load(connect(), G)
    exact = by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg')")
    est = by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg', 1, 150)")
    assert est == by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg', 1, 150)")
    top_exact = sorted(exact, key=exact.get, reverse=True)[:10]
    top_est = sorted(est, key=est.get, reverse=True)[:10]
    assert len(set(top_exact) & set(top_est)) >= 6
    assert sum(abs(est[k] - exact[k]) for k in exact) / sum(exact.values()) < 0.25
    # All sources is the exact answer.
    assert_close(by_key(db, "SELECT key, betweenness FROM kg_betweenness('kg', 1, 300)"),
                 {int(k): v for k, v in exact.items()}, TOL, "samples = n")


# --- bipartite projection -----------------------------------------------------

def test_projection_of_davis_southern_women(connect):
    G = nx.davis_southern_women_graph()
    women = {n for n, d in G.nodes(data=True) if d["bipartite"] == 0}
    db = load(connect(), G, kind=lambda v, d: "actor" if v in women else "project")
    ours = {frozenset((a, b)): w for a, b, w in rows(db, "SELECT * FROM kg_projection('kg')")}
    P = nx.bipartite.weighted_projected_graph(G, women)
    assert ours == {frozenset((a, b)): d["weight"] for a, b, d in P.edges(data=True)}
    events = rows(db, "SELECT count(*) FROM kg_projection('kg', 'project', 'actor')")[0][0]
    assert events == nx.bipartite.weighted_projected_graph(G, set(G) - women).number_of_edges()


# --- cross-sector measures -----------------------------------------------------

def karate_by_club(connect):
    G = nx.karate_club_graph()
    db = load(connect(), G, props=lambda v, d: '{"club": "%s"}' % d["club"])
    return G, db


def test_mixing_and_assortativity_match_networkx(connect):
    G, db = karate_by_club(connect)
    clubs = sorted({d["club"] for _, d in G.nodes(data=True)})
    M = nx.attribute_mixing_matrix(G, "club", nodes=None, mapping={c: i for i, c in enumerate(clubs)})
    ours = {(a, b): (t, f) for a, b, t, _, f in
            rows(db, "SELECT * FROM kg_sector_mixing('kg', 'props.club')")}
    for i, a in enumerate(clubs):
        for j, b in enumerate(clubs):
            assert ours[(a, b)][1] == pytest.approx(M[i][j], abs=TOL)
    within = sum(1 for u, v in G.edges() if G.nodes[u]["club"] == G.nodes[v]["club"])
    assert ours[(clubs[0], clubs[0])][0] + ours[(clubs[1], clubs[1])][0] == within
    (r, groups, ties), = rows(db, "SELECT * FROM kg_assortativity('kg', 'props.club')")
    assert r == pytest.approx(nx.attribute_assortativity_coefficient(G, "club"), abs=TOL)
    assert (groups, ties) == (2, G.number_of_edges())


def test_ei_index_and_conductance(connect):
    G, db = karate_by_club(connect)
    club = nx.get_node_attributes(G, "club")
    internal = sum(1 for u, v in G.edges() if club[u] == club[v])
    external = G.number_of_edges() - internal
    (whole,) = [r for r in rows(db, "SELECT * FROM kg_ei_index('kg', 'props.club')") if r[0] is None]
    assert whole[1:] == (internal, external, pytest.approx((external - internal) / G.number_of_edges()))
    for name, nodes, volume, cut, cond in rows(db, "SELECT * FROM kg_conductance('kg', 'props.club')"):
        S = {n for n in G if club[n] == name}
        assert nodes == len(S)
        assert cut == nx.cut_size(G, S)
        assert volume == nx.volume(G, S)
        assert cond == pytest.approx(nx.conductance(G, S), abs=TOL)


def brokerage_reference(G, group):
    """Gould-Fernandez roles by brute force over all triples (arcs of a
    DiGraph; an undirected tie is two arcs)."""
    D = G if G.is_directed() else G.to_directed()
    counts = {}
    for b in D:
        for a in D.predecessors(b):
            for c in D.successors(b):
                if a == c or D.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif ga == gb:
                    role = "representative"
                elif gb == gc:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                counts[(str(b), role)] = counts.get((str(b), role), 0) + 1
    return counts


@pytest.mark.parametrize("directed", [False, True])
def test_brokerage_matches_brute_force(connect, directed):
    G = nx.gnp_random_graph(40, 0.12, seed=21, directed=directed)
    group = {v: "abc"[v % 3] for v in G}
    db = load(connect(), G, props=lambda v, d: '{"team": "%s"}' % group[v])
    direction = "out" if directed else "both"
    ours = {(k, role): n for k, role, n in
            rows(db, f"SELECT * FROM kg_brokerage('kg', 'props.team', NULL, '{direction}')")}
    assert ours == brokerage_reference(G, group)


def test_per_year_subgraphs(connect):
    db = connect()
    db.executescript("""
    CREATE VIRTUAL TABLE kg USING samverkan(path='y.kg');
    INSERT INTO kg_nodes(key, kind, sector) VALUES ('a', 'actor', 'public'), ('b', 'actor', 'nonprofit'),
      ('c', 'actor', 'business'), ('p', 'project', NULL), ('q', 'project', NULL);
    INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) VALUES
      ('a', 'participates_in', 'p', '2019-03-01', '2020-06-30'),
      ('b', 'participates_in', 'p', '2020-01-01', NULL),
      ('b', 'participates_in', 'q', NULL, NULL),
      ('c', 'participates_in', 'q', '2021-01-01', '2021-12-31');
    """)
    per_year = {y: sorted(rows(db, "SELECT * FROM kg_projection('kg', 'actor', 'project', NULL, NULL, ?)", (y,)))
                for y in (2019, 2020, 2021, 2022)}
    assert per_year == {2019: [], 2020: [("a", "b", 1.0)], 2021: [("b", "c", 1.0)], 2022: []}
    assert rows(db, "SELECT group_a, group_b, ties FROM kg_sector_mixing('kg', 'sector', 'project', "
                    "NULL, NULL, NULL, NULL, 2020) WHERE group_a < group_b") == [("nonprofit", "public", 1)]


def test_uncommitted_writes_are_seen(connect):
    db = load(connect(), nx.path_graph(4))
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('0', 'tie', '3')")
    assert rows(db, "SELECT max(core) FROM kg_kcore('kg')") == [(2,)]
    db.execute("ROLLBACK")
    assert rows(db, "SELECT max(core) FROM kg_kcore('kg')") == [(1,)]


def test_errors_name_function_and_argument(connect):
    db = load(connect(), nx.path_graph(3))
    cases = {
        "SELECT * FROM kg_pagerank('kg', 1.5)": "kg_pagerank: damping must be a number between 0 and 1",
        "SELECT * FROM kg_components('kg', 'medium')": "kg_components: mode must be 'weak' or 'strong'",
        "SELECT * FROM kg_betweenness('kg', 1, -3)": "kg_betweenness: samples must be a non-negative integer",
        "SELECT * FROM kg_closeness WHERE graph = 'kg' AND direction = 'up'": "kg_closeness: direction must be",
        "SELECT * FROM kg_communities WHERE graph = 'kg' AND weight = 'cost'": "kg_communities: weight must be NULL or 'weight'",
        "SELECT * FROM kg_sector_mixing('kg', 'colour')": "kg_sector_mixing: attribute must be",
        "SELECT * FROM kg_kcore WHERE graph = 'kg' AND year = 'soon'": "kg_kcore: year must be an integer year",
        "SELECT * FROM kg_degree('nope')": "kg_degree: no graph named 'nope'",
        "SELECT * FROM kg_pagerank WHERE graph = 'kg' AND personalization = 'x9'": "kg_pagerank: personalization: unknown node 'x9'",
        "SELECT * FROM kg_brokerage": "kg_brokerage: missing required argument 'graph'",
    }
    import sqlite3
    for sql, message in cases.items():
        with pytest.raises(sqlite3.OperationalError, match=message.replace("(", r"\(")):
            db.execute(sql).fetchall()
