"""The CORDIS recipe (importers/recipes/cordis.py, docs/importing-cordis.md)
on the real data, with the expected counts computed here from the CSV."""
import csv
import json
import subprocess

import pytest

from conftest import DATA as DATA_DIR, REPO

DATA = DATA_DIR / "cordis-ch-2014" / "cordis-plus-2014.csv"


@pytest.fixture(scope="module")
def expected():
    with open(DATA, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["pic"] != "NA" and r["project_id"] != "NA"]
    pics = {r["pic"] for r in rows}
    first_type = {}
    for r in rows:
        if r["legal_entity_type"] != "NA":
            first_type.setdefault(r["pic"], r["legal_entity_type"])
    countries = {r["country_code"] for r in rows if r["country_code"] != "NA"}
    located = {(r["pic"], r["country_code"]) for r in rows if r["country_code"] != "NA"}
    return {"orgs": len(pics), "projects": len({r["project_id"] for r in rows}),
            "countries": len(countries), "participations": len(rows), "located": len(located),
            "types": first_type}


def test_cordis_counts(cli, tmp_path, expected):
    r = subprocess.run(["/usr/bin/python3", str(REPO / "importers" / "recipes" / "cordis.py"),
                        str(DATA), str(tmp_path / "csv"), "--graph", str(tmp_path / "c.kg"),
                        "--cli", cli], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    nodes = expected["orgs"] + expected["projects"] + expected["countries"] + 1  # + source
    edges = expected["participations"] + expected["located"]
    assert (summary["graph_nodes"], summary["graph_edges"]) == (nodes, edges)

    stats = json.loads(subprocess.run([cli, "stats", str(tmp_path / "c.kg"), "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert stats["kinds"] == {"actor": expected["orgs"], "project": expected["projects"],
                              "region": expected["countries"], "source": 1}
    sector_of = {"HES": "academia", "REC": "research_institute", "PRC": "business",
                 "PUB": "public", "OTH": "nonprofit"}
    want = {}
    for t in expected["types"].values():
        want[sector_of[t]] = want.get(sector_of[t], 0) + 1
    assert stats["sectors"] == want
    assert stats["edge_types"] == {"participates_in": expected["participations"],
                                   "located_in": expected["located"]}
    assert subprocess.run([cli, "check", str(tmp_path / "c.kg")]).returncode == 0

    # Importing again changes nothing.
    again = subprocess.run([cli, "import", str(tmp_path / "c.kg"), str(tmp_path / "csv"),
                            "--add-sector", "research_institute", "--source",
                            "src:cordis-ch-2014", "--json"],
                           capture_output=True, text=True, check=True)
    assert json.loads(again.stdout)["graph_edges"] == edges
