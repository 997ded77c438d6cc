"""The library of queries in queries/*.sql.

Every file must start with its header (the question, the parameters, an
example, the columns); the runner executes each with the parameters of its
`-- Example:` line

  * on QUERY_GRAPH below, a small graph that follows the data model, built for
    these questions, against the answers worked out by hand in EXPECTED;
  * on the sample graph (data/sample/*.json, imported with kg_import),
    against tests/sqlite/queries_expected/<name>.txt: rows worked out by hand
    from the case files, or (PageRank, Louvain) computed from them with
    NetworkX and igraph; each file says how in its `#` lines. After a change
    to a query or to the sample, work the rows out again: the files are never
    written from the extension's own output.
"""
import collections
import json
import pathlib
import re

import pytest

from conftest import REPO

QUERIES = sorted((REPO / "queries").glob("*.sql"))
SAMPLE = sorted((REPO / "data" / "sample").glob("[0-9]*.json"))
EXPECTED_DIR = pathlib.Path(__file__).parent / "queries_expected"

QUERY_GRAPH = """
CREATE VIRTUAL TABLE kg USING samverkan(path='q.kg');
INSERT INTO kg_nodes(key, kind, name, sector, props) VALUES
  ('reg:se', 'region', 'Sverige', NULL, '{"level":"country"}'),
  ('reg:skane', 'region', 'Skåne', NULL, '{"level":"county"}'),
  ('reg:malmo', 'region', 'Malmö', NULL, '{"level":"municipality"}'),
  ('reg:lund', 'region', 'Lund', NULL, '{"level":"municipality"}'),
  ('reg:dalarna', 'region', 'Dalarna', NULL, '{"level":"county"}'),
  ('reg:mora', 'region', 'Mora', NULL, '{"level":"municipality"}'),
  ('org:se1', 'actor', 'Social One', 'nonprofit', '{"form":"social_enterprise"}'),
  ('org:np2', 'actor', 'Neighbours', 'nonprofit', '{"form":"association"}'),
  ('org:biz', 'actor', 'Biz AB', 'business', '{}'),
  ('org:city', 'actor', 'Malmö stad', 'public', '{"form":"municipality"}'),
  ('org:region', 'actor', 'Region Skåne', 'public', '{"form":"region"}'),
  ('org:uni', 'actor', 'Lund University', 'academia', '{"form":"university"}'),
  ('org:mora-np', 'actor', 'Mora IF', 'nonprofit', '{}'),
  ('org:mora-kommun', 'actor', 'Mora kommun', 'public', '{"form":"municipality"}'),
  ('proj:p1', 'project', 'Homework help', NULL, '{}'),
  ('proj:p2', 'project', 'Green yards', NULL, '{}'),
  ('proj:p3', 'project', 'Sport after school', NULL, '{}'),
  ('person:anna', 'person', 'Anna', NULL, '{}');
INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) VALUES
  ('reg:skane', 'part_of', 'reg:se', NULL, NULL),
  ('reg:dalarna', 'part_of', 'reg:se', NULL, NULL),
  ('reg:malmo', 'part_of', 'reg:skane', NULL, NULL),
  ('reg:lund', 'part_of', 'reg:skane', NULL, NULL),
  ('reg:mora', 'part_of', 'reg:dalarna', NULL, NULL),
  ('org:se1', 'located_in', 'reg:malmo', NULL, NULL),
  ('org:biz', 'located_in', 'reg:lund', NULL, NULL),
  ('org:city', 'located_in', 'reg:malmo', NULL, NULL),
  ('org:region', 'located_in', 'reg:skane', NULL, NULL),
  ('org:uni', 'located_in', 'reg:lund', NULL, NULL),
  ('org:mora-np', 'located_in', 'reg:mora', NULL, NULL),
  ('org:mora-kommun', 'located_in', 'reg:mora', NULL, NULL),
  ('proj:p1', 'located_in', 'reg:malmo', NULL, NULL),
  ('proj:p2', 'located_in', 'reg:lund', NULL, NULL),
  ('proj:p3', 'located_in', 'reg:mora', NULL, NULL),
  ('org:se1', 'participates_in', 'proj:p1', '2019-01-01', '2020-12-31'),
  ('org:city', 'participates_in', 'proj:p1', '2019-01-01', '2021-12-31'),
  ('org:uni', 'participates_in', 'proj:p1', '2020-01-01', NULL),
  ('org:np2', 'participates_in', 'proj:p2', '2021-01-01', NULL),
  ('org:biz', 'participates_in', 'proj:p2', '2021-01-01', NULL),
  ('org:region', 'funds', 'proj:p2', '2021-01-01', '2021-12-31'),
  ('org:mora-np', 'participates_in', 'proj:p3', '2018-01-01', '2018-12-31'),
  ('org:mora-kommun', 'participates_in', 'proj:p3', '2018-01-01', '2018-12-31'),
  ('org:uni', 'partners_with', 'org:biz', '2020-06-01', NULL),
  ('person:anna', 'works_at', 'org:city', NULL, NULL),
  ('person:anna', 'works_at', 'org:uni', NULL, NULL);
"""

# Worked out by hand from QUERY_GRAPH, with each file's example parameters
# replaced as given here.
EXPECTED = {
    "01_social_enterprises_working_with_public_bodies": (
        {"region": "reg:skane"},
        [("org:np2", "Neighbours", "association", "org:region", "Region Skåne", "project:proj:p2"),
         ("org:se1", "Social One", "social_enterprise", "org:city", "Malmö stad", "project:proj:p1")]),
    # The city's partners are se1 and uni (p1); uni works with biz (partners_with).
    # se1 is a partner already; biz is in Lund, in Skåne like Malmö.
    "02_partner_suggestions": (
        {"actor": "org:city"},
        [("org:biz", "Biz AB", "business", 1, "org:uni", "reg:lund")]),
    # se1 and biz: uni shares p1 with se1 (2 hops) and partners biz (1 hop);
    # anna works at uni but is 3 hops from se1 (se1 - p1 - city - anna).
    "03_who_can_introduce": (
        {"from": "org:se1", "to": "org:biz"},
        [("org:uni", "Lund University", "actor", 2, 1)]),
    "05_brokers_between_sectors": (
        {"via": "project", "top": 10},
        # Projected ties: se1-city, se1-uni, city-uni (p1); np2-biz, np2-region,
        # biz-region (p2); mora-np-mora-kommun (p3). Only closed triangles:
        # no open two-paths, so no brokers.
        []),
    "06_sector_mixing_matrix": (
        {"via": "project", "year": 2021},
        # 2021: p1 has city and uni (se1 left in 2020); p2 has np2, biz, region.
        [("academia", 0, 0, 1, 0, 0, 1, 1.0),
         ("business", 0, 0, 1, 1, 0, 2, 1.0),
         ("nonprofit", 0, 1, 1, 0, 0, 2, 1.0),
         ("public", 1, 1, 0, 1, 0, 3, 1.0)]),
    "08_collaboration_per_year": (
        {"from_year": 2017, "to_year": 2021, "via": "project"},
        [(2017, 0, 0, None, None, None),
         (2018, 1, 1, 1.0, 1.0, -1.0),    # Mora IF - Mora kommun
         (2019, 1, 1, 1.0, 1.0, -1.0),    # se1 - city
         (2020, 3, 3, 1.0, 1.0, -0.5),    # se1, city, uni on p1
         # city-uni, np2-biz, np2-region, biz-region: row sums of the mixing
         # matrix 1/8, 2/8, 2/8, 3/8, so r = -(18/64) / (1 - 18/64).
         (2021, 4, 4, 1.0, 1.0, -0.3913)]),
}


def header(path):
    text = path.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return text, "\n".join(lines)


def example_params(head):
    m = re.search(r"^Example:\s*(.*)$", head, re.M)
    assert m, "no Example: line"
    params = {}
    for name, value in re.findall(r":(\w+)\s*=\s*('(?:[^']|'')*'|-?[\d.]+|NULL)", m.group(1)):
        if value == "NULL":
            params[name] = None
        elif value.startswith("'"):
            params[name] = value[1:-1].replace("''", "'")
        else:
            params[name] = float(value) if "." in value else int(value)
    return params


@pytest.mark.parametrize("path", QUERIES, ids=[q.stem for q in QUERIES])
def test_header_documents_the_query(path):
    text, head = header(path)
    for field in ("Question:", "Parameters:", "Example:", "Columns:"):
        assert field in head, f"{path.name}: header lacks {field}"
    used = set(re.findall(r"(?<![:\w]):(\w+)", re.sub(r"^--.*$", "", text, flags=re.M)))
    documented = set(re.findall(r":(\w+)", head.split("Example:")[0]))
    assert used == documented, f"{path.name}: parameters used {used}, documented {documented}"
    assert set(example_params(head)) == used


def test_every_query_has_a_hand_checked_case():
    assert len(QUERIES) >= 8
    missing = {q.stem for q in QUERIES} - set(EXPECTED) - {
        "04_central_actors_per_region", "07_communities_and_sectors"}
    assert not missing


@pytest.fixture
def query_graph(connect):
    db = connect()
    db.executescript(QUERY_GRAPH)
    return db


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_on_the_query_graph(query_graph, name):
    text, head = header(REPO / "queries" / f"{name}.sql")
    params, expected = EXPECTED[name]
    assert set(params) == set(example_params(head))
    assert query_graph.execute(text, params).fetchall() == expected


def test_central_actors_per_region_on_the_query_graph(query_graph):
    text, _ = header(REPO / "queries" / "04_central_actors_per_region.sql")
    got = query_graph.execute(text, {"top": 1}).fetchall()
    # One per region that has located actors; Lund's uni is on p1 and partners biz.
    assert [(r[0], r[3]) for r in got] == [
        ("reg:lund", "org:uni"), ("reg:malmo", "org:city"), ("reg:mora", "org:mora-kommun"),
        ("reg:skane", "org:region")]
    assert all(r[2] == 1 for r in got)


def test_communities_on_the_query_graph(query_graph):
    text, _ = header(REPO / "queries" / "07_communities_and_sectors.sql")
    got = query_graph.execute(text, {"min_actors": 2}).fetchall()
    members = sorted(r[7] for r in got)
    # p3 is apart; biz goes with its partner uni to p1's group, leaving
    # np2 and the region (funder of p2) together.
    assert members == ["Biz AB; Lund University; Malmö stad; Social One",
                       "Mora IF; Mora kommun", "Neighbours; Region Skåne"]
    assert 0.3 < got[0][8] < 0.7


@pytest.fixture(scope="module")
def sample_db(ext, tmp_path_factory):
    import sqlite3
    if not SAMPLE:
        pytest.skip("no sample graph in data/sample")
    path = tmp_path_factory.mktemp("sample") / "msi.db"
    db = sqlite3.connect(str(path), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    for f in SAMPLE:
        db.execute("SELECT kg_import('kg', ?, 'case')", (str(f),)).fetchall()
    yield db
    db.close()


def render(columns, rows):
    out = ["\t".join(columns)]
    for row in rows:
        out.append("\t".join("NULL" if v is None else str(v) for v in row))
    return "\n".join(out) + "\n"


def expected_answers(name):
    """The answers queries_expected/<name>.txt accepts, as render() writes them.

    Lines starting with `#` explain how the rows were worked out; a line `# or`
    starts another acceptable answer (for a question with several equally
    right ones). An answer without rows must say why (a `# No rows` line).
    """
    text = (EXPECTED_DIR / f"{name}.txt").read_text(encoding="utf-8")
    answers = []
    for part in re.split(r"^# or\n", text, flags=re.M):
        lines = part.splitlines(keepends=True)
        rows = [line for line in lines if not line.startswith("#")]
        assert len(rows) > 1 or any(line.startswith("# No rows") for line in lines), (
            f"{name}.txt: a header without rows checks little; choose example parameters "
            "that have an answer, or say why none has (# No rows ...)")
        answers.append("".join(rows))
    return answers


@pytest.mark.parametrize("path", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_on_the_sample_graph(sample_db, path):
    text, head = header(path)
    cursor = sample_db.execute(text, example_params(head))
    got = render([d[0] for d in cursor.description], cursor.fetchall())
    answers = expected_answers(path.stem)
    if len(answers) == 1:
        assert got == answers[0]
    else:
        assert got in answers


# The sample graph read straight from its case files (docs/case-format.md), for
# the expectations that are computed rather than worked out by hand. Nodes come
# in the order the importer creates them (per file: the source, then actors,
# projects, regions, people, events, nodes), which is the order communities
# are numbered by (their smallest member).
SECTIONS = (("actors", "actor"), ("projects", "project"), ("regions", "region"),
            ("people", "person"), ("events", "event"), ("nodes", None))


def sample_from_case_files():
    nodes, edges = {}, []
    for path in SAMPLE:
        case = json.loads(path.read_text(encoding="utf-8"))
        source = case.get("source")
        if source:
            nodes.setdefault(source["key"], {"kind": "source", "name": source["title"]})
        for section, kind in SECTIONS:
            for entry in case.get(section, []):
                nodes.setdefault(entry["key"], {"kind": kind or entry["kind"],
                                                "name": entry.get("name", entry["key"]),
                                                "sector": entry.get("sector")})
                for field, etype in (("region", "located_in"), ("part_of", "part_of")):
                    if field in entry:
                        edges.append((entry["key"], etype, entry[field]))
                edges += [(entry["key"], "works_at", r["at"]) for r in entry.get("roles", [])]
        edges += [(r["src"], r["type"], r["dst"]) for r in case.get("relations", [])]
    return nodes, edges


def test_sample_pagerank_and_communities_follow_from_networkx():
    """queries_expected/04 and 07 agree with NetworkX and igraph on the case files."""
    nx = pytest.importorskip("networkx")
    igraph = pytest.importorskip("igraph")
    nodes, edges = sample_from_case_files()
    kinds = {"actor", "project", "person", "event"}  # the queries' kinds
    multi = nx.MultiGraph()
    multi.add_nodes_from(k for k, n in nodes.items() if n["kind"] in kinds)
    multi.add_edges_from((a, b) for a, _, b in edges if a in multi and b in multi)
    simple = nx.Graph(multi)

    # 04: exact PageRank (parallel edges kept, as kg_pagerank does) and distinct
    # neighbours, the top 3 actors of each region by rank, then key.
    rank = nx.pagerank(multi, alpha=0.85, tol=1e-15, max_iter=10_000)
    located = collections.defaultdict(list)
    for a, etype, b in edges:
        if etype == "located_in" and nodes[a]["kind"] == "actor":
            located[b].append(a)
    rows = []
    for region in sorted(located):
        ranked = sorted(located[region], key=lambda a: (-rank[a], a))
        rows += [(region, nodes[region]["name"], place, a, nodes[a]["name"], nodes[a]["sector"],
                  round(rank[a], 4), simple.degree(a)) for place, a in enumerate(ranked[:3], 1)]
    columns = ("region", "region_name", "place", "actor", "name", "sector", "pagerank", "degree")
    assert expected_answers("04_central_actors_per_region") == [render(columns, rows)]

    # 07: every partition of greatest modularity (igraph's exact solver says how
    # great that is; NetworkX's Louvain from many seeds finds the partitions),
    # each as the query shows it with :min_actors = 2.
    ig = igraph.Graph.from_networkx(simple)
    best = ig.community_optimal_modularity().modularity
    order = {k: i for i, k in enumerate(nodes)}
    answers = set()
    for seed in range(100):
        parts = nx.community.louvain_communities(simple, seed=seed)
        q = nx.community.modularity(simple, parts)
        if abs(q - best) > 1e-9:
            continue
        rows = []
        for number, part in enumerate(sorted(parts, key=lambda p: min(map(order.get, p)))):
            actors = sorted(nodes[k]["name"] for k in part if nodes[k]["kind"] == "actor")
            sectors = collections.Counter(nodes[k]["sector"] for k in part)
            if len(actors) >= 2:
                rows.append((number, len(part), len(actors), sectors["academia"],
                             sectors["business"], sectors["public"], sectors["nonprofit"],
                             "; ".join(actors), round(q, 4)))
        rows.sort(key=lambda r: (-r[2], r[0]))
        answers.add(render(("community", "nodes", "actors", "academia", "business", "public",
                            "nonprofit", "members", "modularity"), rows))
    assert sorted(expected_answers("07_communities_and_sectors")) == sorted(answers)
