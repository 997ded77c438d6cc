"""The sample graph (data/sample/*.json, made from the page in seed/) and the
demo session (data/sample/demo.sql), through the built extension.

The extension is $SAMVERKAN_EXT (a path without .so), else build/samverkan.
Run with Debian's /usr/bin/python3, whose sqlite3 module can load extensions:

    SAMVERKAN_EXT=build/samverkan /usr/bin/python3 -m pytest -q tests/sample
"""
import json
import os
import pathlib
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
FILES = sorted(SAMPLE.glob("[0-9]*.json"))
DEMO_SQL = SAMPLE / "demo.sql"
SOURCE = "src:msi-offentlig-sektor"

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import check_case_files  # noqa: E402


@pytest.fixture(scope="session")
def ext():
    path = os.environ.get("SAMVERKAN_EXT") or str(REPO / "build" / "samverkan")
    path = str(pathlib.Path(path).resolve())
    if not pathlib.Path(path + ".so").exists():
        pytest.fail(f"extension not built: {path}.so")
    return path


def connect(ext, db_path):
    db = sqlite3.connect(str(db_path), isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    return db


@pytest.fixture(scope="session")
def graph_db(ext, tmp_path_factory):
    """A database file whose table kg holds the sample graph, imported with
    kg_import file by file (in their numbered order); the connection that
    imported it is closed."""
    db_path = tmp_path_factory.mktemp("sample") / "msi.db"
    db = connect(ext, db_path)
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    for f in FILES:
        db.execute("SELECT kg_import('kg', ?, 'case')", (str(f),)).fetchall()
    db.close()
    return db_path


@pytest.fixture
def db(ext, graph_db):
    conn = connect(ext, graph_db)
    yield conn
    conn.close()


def rows(conn, sql, params=()):
    return conn.execute(sql, params).fetchall()


def column(conn, sql, params=()):
    return sorted(r[0] for r in rows(conn, sql, params))


def expected_counts():
    """Node and edge records the case files describe, per docs/case-format.md."""
    nodes, edges = set(), set()
    for f in FILES:
        doc = json.loads(f.read_text(encoding="utf-8"))
        for s in [doc.get("source")] + doc.get("sources", []):
            if s:
                nodes.add(s["key"])
        for section in ("actors", "projects", "regions", "people", "events", "nodes"):
            for e in doc.get(section, []):
                nodes.add(e["key"])
                if "region" in e:
                    edges.add((e["key"], "located_in", e["region"], 0))
                if "part_of" in e:
                    edges.add((e["key"], "part_of", e["part_of"], 0))
                for r in e.get("roles", []):
                    edges.add((e["key"], "works_at", r["at"], 0))
        for r in doc.get("relations", []):
            edges.add((r["src"], r["type"], r["dst"], r.get("rank", 0)))
    return nodes, edges


def test_case_files_are_well_formed():
    assert [f.name for f in FILES] == ["01-regions.json", "02-msi.json", "03-cases.json",
                                       "04-survey-and-summit.json"]
    problems, _ = check_case_files.check([str(f) for f in FILES])
    assert problems == []


def test_counts(db):
    nodes, edges = expected_counts()
    assert rows(db, "SELECT nodes, edges FROM kg") == [(len(nodes), len(edges))]
    assert set(column(db, "SELECT key FROM kg_nodes")) == nodes
    assert dict(rows(db, "SELECT kind, count(*) FROM kg_nodes GROUP BY kind")) == {
        "actor": 16, "person": 12, "project": 4, "region": 13, "event": 1, "survey": 1,
        "source": 1}
    assert dict(rows(db, "SELECT sector, count(*) FROM kg_nodes WHERE kind = 'actor' "
                         "GROUP BY sector")) == {"academia": 12, "public": 2, "nonprofit": 2}


def test_everything_cites_the_page(db):
    assert rows(db, "SELECT name, props ->> 'title' FROM kg_nodes WHERE key = ?",
                (SOURCE,)) == [("Hur kan offentlig sektor samverka mer med sociala företag?",
                                "Hur kan offentlig sektor samverka mer med sociala företag?")]
    uncited_nodes = column(db, "SELECT key FROM kg_nodes WHERE kind != 'source' AND NOT EXISTS "
                               "(SELECT 1 FROM json_each(sources) WHERE value = ?)", (SOURCE,))
    uncited_edges = column(db, "SELECT rowid FROM kg_edges WHERE NOT EXISTS "
                               "(SELECT 1 FROM json_each(sources) WHERE value = ?)", (SOURCE,))
    assert uncited_nodes == [] and uncited_edges == []


def test_five_host_universities(db):
    hosts = rows(db, "SELECT n.name, n.sector, n.props ->> 'form' FROM kg_edges e "
                     "JOIN kg_nodes n ON n.key = e.src WHERE e.dst = 'org:msi' AND e.type = 'hosts' "
                     "ORDER BY n.name")
    assert hosts == [(name, "academia", "university") for name in (
        "Jönköping University", "Luleå tekniska universitet", "Malmö universitet",
        "Umeå universitet", "Örebro universitet")]
    nodes = rows(db, "SELECT e.src, e.dst FROM kg_edges e JOIN kg_nodes n ON n.key = e.dst "
                     "WHERE e.type = 'hosts' AND n.props ->> 'form' = 'regional_node' ORDER BY 1")
    assert nodes == [("org:jonkoping-university", "org:msi-jonkoping"),
                     ("org:lulea-tekniska-universitet", "org:msi-lulea"),
                     ("org:malmo-universitet", "org:msi-syd"),
                     ("org:orebro-universitet", "org:msi-orebro"),
                     ("org:umea-universitet", "org:msi-umea")]


def test_msi_founding_and_funding(db):
    assert rows(db, "SELECT dst, valid_from FROM kg_edges WHERE src = 'org:msi' "
                    "AND type = 'founded_at'") == [("org:malmo-universitet", "2010-01-01")]
    assert column(db, "SELECT src FROM kg_edges WHERE dst = 'org:msi' AND type = 'funds'") == [
        "org:vinnova"]
    assert column(db, "SELECT src FROM kg_edges WHERE dst = 'org:msi' "
                      "AND type = 'partners_with'") == ["org:malmo-stad"]
    assert rows(db, "SELECT sector, props ->> 'form' FROM kg_nodes WHERE key = 'org:malmo-stad'"
                ) == [("public", "municipality")]


def test_people_and_roles(db):
    people = rows(db, "SELECT p.name, e.props ->> 'role', o.name FROM kg_edges e "
                      "JOIN kg_nodes p ON p.key = e.src JOIN kg_nodes o ON o.key = e.dst "
                      "WHERE e.type = 'works_at' ORDER BY p.name")
    assert len(people) == 12
    assert ("Matilda Svensson", "Operativ chef", "Stiftelsen Läxhjälpen") in people
    assert ("Ingela Pihl", "Regionsansvarig MSI i Örebro",
            "Mötesplats Social Innovation i Örebro") in people
    assert ("Hanna Sigsjö", "Verksamhetsledare", "MSI Nationellt kansli") in people


def test_mora_project(db):
    assert rows(db, "SELECT src, props ->> 'role' FROM kg_edges WHERE dst = 'proj:mora-digital' "
                    "AND type = 'participates_in'") == [("org:laxhjalpen", "lead")]
    chain = rows(db, "SELECT key FROM kg_neighbors('kg', 'proj:mora-digital', 3, 'out', "
                     "'located_in,part_of') ORDER BY hops")
    assert chain == [("reg:mora",), ("reg:dalarna",), ("reg:sverige",)]
    assert rows(db, "SELECT sector, props ->> 'form', props ->> 'active_since' FROM kg_nodes "
                    "WHERE key = 'org:laxhjalpen'") == [("nonprofit", "foundation", 2007)]


def test_region_hierarchy(db):
    municipalities = rows(db, "SELECT n.key, n.props ->> 'code', p.props ->> 'level' "
                              "FROM kg_nodes n JOIN kg_edges e ON e.src = n.key AND e.type = 'part_of' "
                              "JOIN kg_nodes p ON p.key = e.dst "
                              "WHERE n.kind = 'region' AND n.props ->> 'level' = 'municipality'")
    assert len(municipalities) == 6
    assert all(level == "county" for _, _, level in municipalities)
    assert ("reg:mora", "2062", "county") in municipalities


def test_survey_and_summit(db):
    assert rows(db, "SELECT props ->> 'invited', props ->> 'response_rate', "
                    "props ->> 'areas_listed', props ->> 'areas_ranked' FROM kg_nodes "
                    "WHERE kind = 'survey'") == [(253, 0.4, 12, 5)]
    (props,), = rows(db, "SELECT props FROM kg_nodes WHERE key = 'event:sis-2020'")
    assert json.loads(props)["format"] == "digital"
    assert "2020-11-10" in props and "2020-11-11" in props
    # "2019-12" to "2019-12": the whole of December, stored as its first and last days.
    assert rows(db, "SELECT valid_from, valid_to FROM kg_edges WHERE type = 'conducted'") == [
        ("2019-12-01", "2019-12-31")]
    for day, valid in (("2019-11-30", False), ("2019-12-01", True), ("2019-12-15", True),
                       ("2019-12-31", True), ("2020-01-01", False)):
        reached = column(db, "SELECT key FROM kg_neighbors('kg', 'org:msi', 1, 'out', "
                             "'conducted', NULL, ?)", (day,))
        assert (reached == ["survey:msi-2019"]) == valid, day


def test_paths_and_lookup(db):
    path = column(db, "SELECT key FROM kg_shortest_path('kg', 'org:vinnova', "
                      "'org:idrott-utan-granser')")
    assert path == ["org:idrott-utan-granser", "org:msi", "org:vinnova"]
    assert rows(db, "SELECT key, name FROM kg_find('kg', 'orebro universitet')") == [
        ("org:orebro-universitet", "Örebro universitet")]
    assert column(db, "SELECT key FROM kg_find('kg', 'laxhjalpen')") == ["org:laxhjalpen"]


def test_reimport_changes_nothing(ext, graph_db, tmp_path):
    db_path = tmp_path / "again.db"
    shutil.copytree(graph_db.parent / "msi.kg", tmp_path / "msi.kg")
    conn = connect(ext, db_path)
    try:
        conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
        before = rows(conn, "SELECT key, kind, name, sector, aliases, props FROM kg_nodes "
                            "ORDER BY key")
        edges_before = rows(conn, "SELECT src, type, dst, rank, valid_from, props FROM kg_edges "
                                  "ORDER BY 1, 2, 3, 4")
        for f in FILES:
            conn.execute("SELECT kg_import('kg', ?, 'case')", (str(f),)).fetchall()
        assert rows(conn, "SELECT key, kind, name, sector, aliases, props FROM kg_nodes "
                          "ORDER BY key") == before
        assert rows(conn, "SELECT src, type, dst, rank, valid_from, props FROM kg_edges "
                          "ORDER BY 1, 2, 3, 4") == edges_before
    finally:
        conn.close()


def test_demo_sql_answers_every_question(ext, graph_db):
    sqlite3_shell = shutil.which("sqlite3")
    assert sqlite3_shell, "the sqlite3 shell is not installed"
    run = subprocess.run([sqlite3_shell, "-bail", "-cmd", f".load {ext}", str(graph_db),
                          f".read {DEMO_SQL}"], capture_output=True, text=True, timeout=60,
                         cwd=graph_db.parent)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    # Each question is a line "-- ..." printed before its answer; every answer
    # is a non-empty box table (a header separator line, then rows).
    sections = re.split(r"^(?=-- \S)", run.stdout, flags=re.M)[1:]
    titles = [s.splitlines()[0] for s in sections]
    assert len(sections) >= 10, titles
    for s in sections:
        assert "├" in s and re.search(r"^│", s.split("├", 1)[1], re.M), s
    out = run.stdout
    # Whom to contact: the regional node's people in Skåne, the national office for Dalarna.
    assert re.search(r"Skåne län.*Malmö universitet.*Celia Boltes", out)
    assert re.search(r"Dalarnas län.*MSI Nationellt kansli.*Hanna Sigsjö", out)
    assert re.search(r"Dalarnas län.*Mora.*Läxhjälpens digitaliseringsprojekt i Mora", out)
    assert re.search(r"orebro universitet.*Örebro universitet", out)
    assert re.search(r"Vinnova", out) and "253" in out and "40%" in out
