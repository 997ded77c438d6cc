#!/usr/bin/env python3
"""Import recipe for CORDIS participation data: cordis-plus-2014.csv (Swiss
involvement, with names) or h2020.csv.gz (every Horizon 2020
participation, without names; tests/data/cordis-h2020/SOURCE.md). The layout
is told from the header; a .gz file is read through gzip.

Transforms the CSV into Samverkan's CSV convention (docs/formats.md) and,
with --graph, imports it with the `samverkan` tool:

    importers/recipes/cordis.py data/cordis-ch-2014/cordis-plus-2014.csv \\
        /tmp/cordis-csv --graph cordis.kg --cli build/bin/samverkan

What becomes what (docs/importing-cordis.md explains the judgments):

  organisation (pic)   node org:pic:<pic>, kind actor, sector from the CORDIS
                       activity type: HES academia, REC research_institute,
                       PRC business, PUB public, OTH nonprofit; NA: no sector;
                       named "PIC <pic>" where the file has no name
  project (project_id) node proj:cordis:<id>, kind project
  project (rcn)        node proj:cordis-rcn:<rcn> (CORDIS's record number, which
                       the names-free layout gives instead of the project id)
  country              node reg:country:<code>, kind region (level country)
  participation (row)  edge org -participates_in-> project, props role and
                       eu_contribution; valid from the project's start to end
  org in country       edge org -located_in-> country, one per distinct pair

Rows without a PIC are skipped (and counted). Only the standard library.
"""
import argparse
import csv
import gzip
import json
import os
import subprocess
import sys

SECTORS = {"HES": "academia", "REC": "research_institute", "PRC": "business",
           "PUB": "public", "OTH": "nonprofit"}
# The two layouts: which column holds what (None: the file has no such
# column), the project key's prefix and the source node.
LAYOUTS = {
    "cordis-plus": {
        "pic": "pic", "project": "project_id", "role": "partner_role",
        "type": "legal_entity_type", "country": "country_code",
        "contribution": "ec_contribution", "start": "start_date", "end": "end_date",
        "name": "legal_name", "short": "legal_short_name", "url": "legal_url",
        "country_name": "country", "acronym": "project_acronym",
        "framework": "framework_programme", "topic": "topic_code",
        "topic_description": "topic_description", "funding_scheme": "funding_scheme",
        "project_prefix": "proj:cordis:", "source": "src:cordis-ch-2014",
        "title": "CORDIS H2020/FP7 participations with Swiss involvement (2014)"},
    "h2020": {
        "pic": "pic", "project": "rcn", "role": "role", "type": "type",
        "country": "country", "contribution": "contribution", "start": "start_date",
        "end": "end_date", "name": None, "short": None, "url": None,
        "country_name": None, "acronym": None, "framework": None, "topic": None,
        "topic_description": None, "funding_scheme": None,
        "project_prefix": "proj:cordis-rcn:", "source": "src:cordis-h2020",
        "title": "CORDIS Horizon 2020 participations (2014-2020)"},
}


def layout_of(header):
    for name, cols in LAYOUTS.items():
        needed = [c for k, c in cols.items() if c and k not in ("project_prefix", "source",
                                                                  "title")]
        if all(c in header for c in needed):
            return name
    raise SystemExit(f"not a CORDIS participation file: header {header}")


def open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def value(row, column):
    """The cell, or None for CORDIS's missing value NA (and empty cells, and
    a column the layout does not have)."""
    if column is None:
        return None
    v = row.get(column, "").strip()
    return None if v in ("", "NA") else v


def number(text):
    if text is None:
        return None
    try:
        f = float(text)
    except ValueError:
        return None
    return int(f) if f.is_integer() else f


def transform(src, out_dir):
    """Writes out_dir/nodes.csv and out_dir/edges.csv; returns counts and
    the layout's name."""
    orgs, projects, countries = {}, {}, {}
    participations, located = [], set()
    skipped = 0
    with open_text(src) as f:
        reader = csv.DictReader(f)
        layout = layout_of(reader.fieldnames or [])
        col = LAYOUTS[layout]
        for row in reader:
            pic, pid = value(row, col["pic"]), value(row, col["project"])
            if pic is None or pid is None:
                skipped += 1
                continue
            org = orgs.setdefault(pic, {"name": None, "short": None, "type": None,
                                        "url": None, "country": None})
            # The first non-missing value wins: the same PIC is spelt
            # differently across rows, and the file is ordered by project.
            for field in ("name", "short", "type", "url", "country"):
                if org[field] is None:
                    org[field] = value(row, col[field])
            projects.setdefault(pid, {
                field: value(row, col[field])
                for field in ("acronym", "framework", "topic", "topic_description",
                              "funding_scheme", "start", "end")})
            cc = value(row, col["country"])
            if cc is not None:
                countries.setdefault(cc, value(row, col["country_name"]) or cc)
                located.add((pic, cc))
            participations.append((pic, pid, (value(row, col["role"]) or "").lower(),
                                   number(value(row, col["contribution"]))))

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "nodes.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([":ID", ":LABEL", "name", "sector", "aliases:string[]", "pic",
                    "activity_type", "url", "level", "code", "framework", "topic",
                    "topic_description", "funding_scheme", "start_date:date", "end_date:date"])
        for cc, name in sorted(countries.items()):
            w.writerow([f"reg:country:{cc}", "region", name, "", "", "", "", "", "country", cc,
                        "", "", "", "", "", ""])
        for pic, o in orgs.items():
            name = o["name"] or o["short"] or f"PIC {pic}"
            alias = o["short"] if o["short"] and o["short"] != name else ""
            w.writerow([f"org:pic:{pic}", "actor", name, SECTORS.get(o["type"], ""),
                        alias.replace(";", ","), pic, o["type"] or "", o["url"] or "", "", "",
                        "", "", "", "", "", ""])
        for pid, p in projects.items():
            w.writerow([f"{col['project_prefix']}{pid}", "project", p["acronym"] or pid, "", "", "", "", "",
                        "", "", p["framework"] or "", p["topic"] or "",
                        p["topic_description"] or "", p["funding_scheme"] or "",
                        p["start"] or "", p["end"] or ""])
    ranks = {}
    with open(os.path.join(out_dir, "edges.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([":START_ID", ":END_ID", ":TYPE", "rank:int", "valid_from", "valid_to",
                    "role", "eu_contribution:double"])
        for pic, pid, role, contribution in participations:
            # One organisation may take part twice in a project (two roles,
            # or once as a third party): ranks keep them apart.
            rank = ranks.get((pic, pid), 0)
            ranks[(pic, pid)] = rank + 1
            p = projects[pid]
            w.writerow([f"org:pic:{pic}", f"{col['project_prefix']}{pid}", "participates_in", rank,
                        p["start"] or "", p["end"] or "", role,
                        "" if contribution is None else float(contribution)])
        for pic, cc in sorted(located):
            w.writerow([f"org:pic:{pic}", f"reg:country:{cc}", "located_in", 0, "", "", "", ""])
    return {"organisations": len(orgs), "projects": len(projects), "countries": len(countries),
            "participations": len(participations), "located_in": len(located),
            "skipped_rows": skipped, "layout": layout}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="cordis-plus-2014.csv or h2020.csv.gz")
    ap.add_argument("out_dir", help="where nodes.csv and edges.csv are written")
    ap.add_argument("--graph", help="import into this graph directory")
    ap.add_argument("--cli", default="build/bin/samverkan", help="the samverkan binary")
    a = ap.parse_args()
    counts = transform(a.src, a.out_dir)
    print(json.dumps(counts), flush=True)  # before the import's own summary
    if a.graph:
        layout = LAYOUTS[counts["layout"]]
        cmd = [a.cli, "import", a.graph, a.out_dir, "--add-sector", "research_institute",
               "--source", layout["source"], "--source-title", layout["title"], "--json"]
        sys.exit(subprocess.run(cmd).returncode)


if __name__ == "__main__":
    main()
