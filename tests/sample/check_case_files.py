#!/usr/bin/env python3
"""Structural check of case files (docs/case-format.md), independent of the
importer: fields, types, key style, dates, and that every referenced key is
defined by the files (imported in the order given) or is a source key.

    python3 tests/sample/check_case_files.py data/sample/*.json

Prints one problem per line and exits 1 if there are any.
"""
import datetime
import json
import re
import sys

SECTIONS = {"actors": "actor", "projects": "project", "regions": "region",
            "people": "person", "events": "event", "nodes": None}
NODE_FIELDS = {"key", "name", "aliases", "props", "sources"}
EXTRA_FIELDS = {
    "actors": {"sector", "form", "region"},
    "projects": set(),
    "regions": {"level", "code", "part_of"},
    "people": {"roles"},
    "events": {"valid_from", "valid_to"},
    "nodes": {"kind"},
}
SOURCE_FIELDS = {"key", "url", "title", "date"}
RELATION_FIELDS = {"src", "type", "dst", "rank", "weight", "valid_from", "valid_to",
                   "props", "sources"}
ROLE_FIELDS = {"at", "role", "valid_from", "valid_to"}
SECTORS = {"academia", "business", "public", "nonprofit"}
KEY_RE = re.compile(r"^(org|proj|reg|person|event|survey|src):[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def valid_date(text):
    for fmt, pattern in (("%Y", r"\d{4}"), ("%Y-%m", r"\d{4}-\d{2}"),
                         ("%Y-%m-%d", r"\d{4}-\d{2}-\d{2}")):
        if re.fullmatch(pattern, text):
            try:
                datetime.datetime.strptime(text, fmt)
                return True
            except ValueError:
                return False
    return False


def check(paths):
    problems = []
    defined = {}          # key -> kind
    for path in paths:
        def bad(where, msg):
            problems.append(f"{path}: {where}: {msg}")

        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            bad("file", str(e))
            continue
        if not isinstance(doc, dict):
            bad("file", "not a JSON object")
            continue
        unknown = set(doc) - {"format", "source", "sources"} - set(SECTIONS) - {"relations"}
        if unknown:
            bad("top level", f"unknown fields {sorted(unknown)}")
        if doc.get("format") != "samverkan-case/1":
            bad("format", f"must be samverkan-case/1, not {doc.get('format')!r}")

        sources = ([doc["source"]] if "source" in doc else []) + doc.get("sources", [])
        if "source" not in doc:
            bad("source", "missing (expected)")
        for i, s in enumerate(sources):
            if not isinstance(s, dict) or "key" not in s:
                bad(f"source {i}", "must be an object with a key")
                continue
            if set(s) - SOURCE_FIELDS:
                bad(f"source {s['key']}", f"unknown fields {sorted(set(s) - SOURCE_FIELDS)}")
            if not KEY_RE.match(s["key"]):
                bad(f"source {s['key']}", "key is not a lowercase ascii slug with a prefix")
            defined[s["key"]] = "source"

        local = {}            # this file's node keys (defined before relations)
        refs = []             # (where, key, wanted kinds or None)
        for section, kind in SECTIONS.items():
            entries = doc.get(section, [])
            if not isinstance(entries, list):
                bad(section, "must be an array")
                continue
            for e in entries:
                key = e.get("key") if isinstance(e, dict) else None
                where = f"{section} {key}"
                if not isinstance(key, str):
                    bad(section, f"entry without key: {e!r}")
                    continue
                if not KEY_RE.match(key):
                    bad(where, "key is not a lowercase ascii slug with a known prefix")
                extra = set(e) - NODE_FIELDS - EXTRA_FIELDS[section]
                if extra:
                    bad(where, f"unknown fields {sorted(extra)}")
                if key in local:
                    bad(where, "defined twice in one file")
                node_kind = kind or e.get("kind")
                if not isinstance(node_kind, str) or not node_kind:
                    bad(where, "nodes entries need a kind")
                local[key] = node_kind
                if not isinstance(e.get("name", key), str):
                    bad(where, "name must be text")
                aliases = e.get("aliases", [])
                if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
                    bad(where, "aliases must be an array of strings")
                if not isinstance(e.get("props", {}), dict):
                    bad(where, "props must be an object")
                for s in e.get("sources", []):
                    refs.append((where, s, {"source"}))
                if section == "actors":
                    if e.get("sector") not in SECTORS:
                        bad(where, f"sector {e.get('sector')!r} is not one of {sorted(SECTORS)}")
                    if "form" in e and not SLUG_RE.match(e["form"]):
                        bad(where, f"form {e['form']!r} is not a slug")
                    if "region" in e:
                        refs.append((where + " region", e["region"], {"region"}))
                if section == "regions":
                    if "part_of" in e:
                        refs.append((where + " part_of", e["part_of"], {"region"}))
                    if "level" not in e:
                        bad(where, "regions should have a level")
                if section == "people":
                    for r in e.get("roles", []):
                        if set(r) - ROLE_FIELDS:
                            bad(where, f"role: unknown fields {sorted(set(r) - ROLE_FIELDS)}")
                        if "at" not in r or not isinstance(r.get("role"), str):
                            bad(where, "role needs 'at' and 'role'")
                        refs.append((where + " role", r.get("at"), {"actor"}))
                        for d in ("valid_from", "valid_to"):
                            if d in r and not valid_date(r[d]):
                                bad(where, f"role {d}: invalid date {r[d]!r}")
                if section == "events":
                    for d in ("valid_from", "valid_to"):
                        if d in e and not valid_date(e[d]):
                            bad(where, f"{d}: invalid date {e[d]!r}")
        seen_edges = set()
        for i, r in enumerate(doc.get("relations", [])):
            where = f"relation {i} ({r.get('src')} {r.get('type')} {r.get('dst')})"
            if set(r) - RELATION_FIELDS:
                bad(where, f"unknown fields {sorted(set(r) - RELATION_FIELDS)}")
            for f in ("src", "type", "dst"):
                if not isinstance(r.get(f), str):
                    bad(where, f"{f} is required")
            if isinstance(r.get("type"), str) and not SLUG_RE.match(r["type"]):
                bad(where, "type is not a slug")
            refs.append((where + " src", r.get("src"), None))
            refs.append((where + " dst", r.get("dst"), None))
            for d in ("valid_from", "valid_to"):
                if d in r and not valid_date(r[d]):
                    bad(where, f"{d}: invalid date {r[d]!r}")
            if not isinstance(r.get("props", {}), dict):
                bad(where, "props must be an object")
            ident = (r.get("src"), r.get("type"), r.get("dst"), r.get("rank", 0))
            if ident in seen_edges:
                bad(where, "same src, type, dst and rank twice")
            seen_edges.add(ident)
        defined.update(local)
        for where, key, kinds in refs:
            if key not in defined:
                bad(where, f"references undefined key {key!r}")
            elif kinds and defined[key] not in kinds:
                bad(where, f"{key!r} is a {defined[key]}, expected {sorted(kinds)}")
    return problems, defined


def main():
    problems, defined = check(sys.argv[1:])
    for p in problems:
        print(p)
    if not problems:
        print(f"ok: {len(sys.argv) - 1} files, {len(defined)} keys")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
