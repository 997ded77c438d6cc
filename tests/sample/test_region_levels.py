"""Grouping by a level of the region hierarchy (attribute 'region' with a
level) on the sample graph, checked against an independent computation in
Python over kg_nodes and kg_edges. The copy of the sample is changed so that
every rule shows: Malmö also lies in Dalarna (several parents, each counted)
and Luleå loses its county (kept as itself, flagged in its group's name).

    SAMVERKAN_EXT=build/samverkan /usr/bin/python3 -m pytest -q tests/sample/test_region_levels.py
"""
import collections
import itertools
import json

import pytest

from test_sample_graph import FILES, connect, ext  # noqa: F401 (ext is a fixture)


@pytest.fixture
def db(ext, tmp_path):  # noqa: F811
    conn = connect(ext, tmp_path / "regions.db")
    conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='regions.kg')")
    for f in FILES:
        conn.execute("SELECT kg_import('kg', ?, 'case')", (str(f),)).fetchall()
    conn.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('reg:malmo', 'part_of', 'reg:dalarna')")
    conn.execute("DELETE FROM kg_edges WHERE src = 'reg:lulea' AND type = 'part_of'")
    yield conn
    conn.close()


def expected_mixing(db, level, via=None):
    """{(group_a, group_b): ties}, computed from the tables alone."""
    nodes = {key: (kind, json.loads(props or "{}"))
             for key, kind, props in db.execute("SELECT key, kind, props FROM kg_nodes")}
    node_id = dict(db.execute("SELECT key, rowid FROM kg_nodes"))
    edges = db.execute("SELECT src, type, dst FROM kg_edges").fetchall()
    parents = collections.defaultdict(list)
    located = collections.defaultdict(list)
    for src, typ, dst in edges:
        if typ == "part_of":
            parents[src].append(dst)
        elif typ == "located_in":
            located[src].append(dst)

    def level_of(region):
        kind, props = nodes[region]
        return props.get("level") if isinstance(props.get("level"), str) else kind

    def up(region):  # every ancestor at the level (no cycles in this graph)
        if level_of(region) == level:
            return {region}
        return set().union(*(up(p) for p in parents[region])) if parents[region] else set()

    groups = {}
    for node, regions in located.items():
        region = min(regions, key=node_id.get)  # the first located_in edge: stored by dst id
        found = up(region)
        groups[node] = sorted(found) if found else [f"{region} (no {level})"]

    if via is None:  # every edge as an undirected tie, parallel ones once
        ties = {frozenset((s, d)) for s, _, d in edges if s != d}
    else:  # nodes sharing a `via` node
        around = collections.defaultdict(set)
        for s, _, d in edges:
            for a, b in ((s, d), (d, s)):
                if nodes[b][0] == via and nodes[a][0] != via:
                    around[b].add(a)
        ties = {frozenset(p) for members in around.values()
                for p in itertools.combinations(sorted(members), 2)}

    mixing = collections.Counter()
    for tie in ties:
        u, v = sorted(tie)
        if u not in groups or v not in groups:
            continue
        for a in groups[u]:
            for b in groups[v]:
                mixing[(a, b)] += 1
                if a != b:
                    mixing[(b, a)] += 1
    return dict(mixing)


@pytest.mark.parametrize("via", [None, "actor"])  # edges; projects sharing an actor
def test_mixing_by_county_equals_an_independent_computation(db, via):
    expected = expected_mixing(db, "county", via)
    # Both changes show: Malmö's nodes in Skåne and Dalarna, Luleå flagged
    # (no project lies in Luleå).
    assert ("reg:dalarna", "reg:skane") in expected
    assert via or any("reg:lulea (no county)" in k for k in expected)
    sql = "SELECT group_a, group_b, ties FROM kg_sector_mixing WHERE graph = 'kg' " \
          "AND attribute = 'region' AND level = 'county'"
    got = db.execute(sql + (" AND via = ?" if via else ""), (via,) if via else ()).fetchall()
    assert {(a, b): t for a, b, t in got} == expected

    # The E-I index reads the same matrix: internal and external per group.
    ei = {g: (i, e) for g, i, e in db.execute(
        "SELECT group_name, internal, external FROM kg_ei_index WHERE graph = 'kg' "
        "AND attribute = 'region' AND level = 'county'" + (" AND via = ?" if via else ""),
        (via,) if via else ()) if g is not None}
    for g, (internal, external) in ei.items():
        assert internal == expected.get((g, g), 0)
        assert external == sum(t for (a, b), t in expected.items() if a == g and b != g)

    # Cypher's CALL runs the same procedure.
    options = {"attribute": "region", "level": "county", **({"via": via} if via else {})}
    cypher = [json.loads(r[0]) for r in db.execute(
        "SELECT * FROM kg_cypher('kg', 'CALL samverkan.sector_mixing($o) "
        "YIELD group_a, group_b, ties RETURN group_a, group_b, ties', ?)",
        (json.dumps({"o": options}),))]
    assert {(r["group_a"], r["group_b"]): r["ties"] for r in cypher} == expected


def test_other_levels_and_errors(db):
    # Without a level the groups are the municipalities; with 'country' they
    # roll up two steps, and Luleå (no parent now) stays itself.
    plain = {r[0] for r in db.execute("SELECT group_a FROM kg_sector_mixing WHERE graph = 'kg' "
                                      "AND attribute = 'region'")}
    assert "reg:malmo" in plain
    by_kind = {r[0] for r in db.execute("SELECT group_a FROM kg_sector_mixing WHERE graph = 'kg' "
                                        "AND attribute = 'region' AND level = 'country'")}
    assert by_kind == {"reg:sverige", "reg:lulea (no country)"}
    with pytest.raises(Exception, match="level applies to attribute 'region' only"):
        db.execute("SELECT * FROM kg_ei_index WHERE graph = 'kg' AND level = 'county'").fetchall()
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('reg:sverige', 'part_of', 'reg:malmo')")
    with pytest.raises(Exception, match=r"part_of has a cycle: reg:\w+ -> .*reg:sverige"):
        db.execute("SELECT * FROM kg_sector_mixing WHERE graph = 'kg' AND attribute = 'region' "
                   "AND level = 'continent'").fetchall()
