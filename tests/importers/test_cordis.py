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


def test_cordis_h2020_layout(cli, tmp_path):
    """The names-free Horizon 2020 layout (tests/data/cordis-h2020), told
    from its header and read through gzip: projects keyed by CORDIS record
    number, actors named by PIC, a repeated participation kept as rank 1."""
    import gzip
    rows = ["rcn,pic,role,type,contribution,country,start_date,end_date",
            "221856,998616262,participant,PRC,317625,BE,2019-05-01,2022-04-30",
            "221856,984516342,coordinator,REC,376750.5,ES,2019-05-01,2022-04-30",
            "221856,984516342,partner,REC,NA,ES,2019-05-01,2022-04-30",
            "194830,999841275,coordinator,HES,183454.8,UK,NA,NA",
            "194831,NA,coordinator,HES,1,UK,NA,NA"]
    src = tmp_path / "h2020.csv.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    r = subprocess.run(["/usr/bin/python3", str(REPO / "importers" / "recipes" / "cordis.py"),
                        str(src), str(tmp_path / "csv"), "--graph", str(tmp_path / "h.kg"),
                        "--cli", cli], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    counts = json.loads(r.stdout.splitlines()[0])
    assert counts["layout"] == "h2020" and counts["skipped_rows"] == 1
    stats = json.loads(subprocess.run([cli, "stats", str(tmp_path / "h.kg"), "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert stats["kinds"] == {"actor": 3, "project": 2, "region": 3, "source": 1}
    assert stats["sectors"] == {"business": 1, "research_institute": 1, "academia": 1}
    assert stats["edge_types"] == {"participates_in": 4, "located_in": 3}
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8") as f:
        nodes = {row[":ID"]: row for row in csv.DictReader(f)}
    assert nodes["org:pic:984516342"]["name"] == "PIC 984516342"
    assert nodes["proj:cordis-rcn:221856"]["start_date:date"] == "2019-05-01"
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8") as f:
        ranks = [(e[":START_ID"], e["rank:int"], e["role"]) for e in csv.DictReader(f)
                 if e[":END_ID"] == "proj:cordis-rcn:221856"]
    assert ("org:pic:984516342", "1", "partner") in ranks
