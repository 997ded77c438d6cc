"""JSON nested deeper than 1000 levels is refused with a clear error, in
linear time, on every path (SQL, kg_import of each format, the CLI); 1000
levels round-trip. Each attempt runs in a child process, so that a crash of
the host (a stack overflow) shows as a failure here, not as a dead test run."""
import pathlib
import subprocess
import sys
import textwrap

import pytest

LIMIT = 1000


def nested(levels, leaf="1"):
    """An object whose innermost value sits `levels` arrays/objects deep."""
    return '{"a":' + "[" * (levels - 1) + leaf + "]" * (levels - 1) + "}"


def run_child(ext, tmp_path, body):
    script = textwrap.dedent("""
        import json, sqlite3, sys
        db = sqlite3.connect(sys.argv[2], isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(sys.argv[1])
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kg USING samverkan(path='d.kg')")
        db.execute("INSERT OR IGNORE INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
        db.execute("INSERT OR IGNORE INTO kg_nodes(key, kind) VALUES ('b', 'actor')")
        def nested(levels, leaf="1"):
            return '{"a":' + "[" * (levels - 1) + leaf + "]" * (levels - 1) + "}"
        LIMIT = 1000
        def attempt(sql, *args):
            try:
                db.execute(sql, args)
                print("ok")
            except sqlite3.Error as e:
                print("error:", str(e).replace(chr(10), " | "))
    """) + textwrap.dedent(body)
    r = subprocess.run([sys.executable, "-c", script, ext, str(tmp_path / "t.db")],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, f"host died ({r.returncode}): {r.stderr[-2000:]}"
    return r.stdout.split("\n")[:-1]


def test_sql_refuses_deep_props_and_keeps_1000_levels(ext, tmp_path):
    out = run_child(ext, tmp_path, """
        attempt("UPDATE kg_nodes SET props = ? WHERE key = 'a'", nested(100_000))
        attempt("INSERT INTO kg_nodes(key, kind, props) VALUES ('c', 'actor', ?)",
                nested(LIMIT + 1))
        attempt("INSERT INTO kg_edges(src, type, dst, props) VALUES ('a', 'knows', 'b', ?)",
                nested(2_000_000))
        attempt("INSERT INTO kg_nodes(key, kind, aliases) VALUES ('d', 'actor', ?)",
                "[" * 1_000_000)
        attempt("INSERT INTO kg_nodes(key, kind, props) VALUES ('e', 'actor', ?)",
                nested(LIMIT))
        print(db.execute("SELECT props = ? FROM kg_nodes WHERE key = 'e'",
                         (nested(LIMIT),)).fetchone()[0])
        print(db.execute("SELECT count(*) FROM kg_nodes").fetchone()[0])
    """)
    # nested(n): the object, then n - 1 arrays; level 1001 opens at byte 5 + 999.
    assert out[0] == ("error: kg_nodes: properties of node 'a' nest deeper than 1000 levels "
                      "(at byte 1004)")
    assert out[1].startswith("error: kg_nodes: properties of node 'c' nest deeper than 1000")
    assert out[2].startswith("error: kg_edges: properties of edge a -knows-> b nest deeper "
                             "than 1000 levels")
    assert out[3] == ("error: kg_nodes: aliases must be a JSON array of strings, "
                      "as in '[\"a\",\"b\"]'")
    assert out[4:] == ["ok", "1", "3"]


@pytest.mark.parametrize("fmt", ["jsonl", "case", "csv"])
def test_kg_import_refuses_deep_json_with_its_location(ext, tmp_path, fmt):
    deep = nested(200_000)
    opening = len('{"a":')
    # The first level too deep for a document: a JSON Lines record wraps the
    # properties in one object, a case file in three levels; its column is
    # that of the bracket that opens it (1-based).
    if fmt == "jsonl":
        name = "g.jsonl"
        prefix = '{"key":"y","kind":"actor","props":'
        (tmp_path / name).write_text('{"key":"x","kind":"actor"}\n' + prefix + deep + '}\n')
        where = f"{name}:2:{len(prefix) + opening + (1003 - 2) + 1}: JSON nested deeper"
    elif fmt == "case":
        name = "case.json"
        prefix = '"actors":[{"key":"y","props":'
        (tmp_path / name).write_text('{"format":"samverkan-case/1",\n' + prefix + deep + '}]}')
        where = f"{name}:2:{len(prefix) + opening + (1003 - 4) + 1}: JSON nested deeper"
    else:
        name = "nodes.csv"
        (tmp_path / name).write_text(":ID,:LABEL,deep:json\ny,actor," +
                                     deep.replace('"', '""').join('""') + "\n")
        where = f"{name}:2:9: deep: expected a JSON value, found one nested deeper"
    out = run_child(ext, tmp_path, f"""
        attempt("SELECT kg_import('kg', ?, ?)", {str(tmp_path / name)!r}, {fmt!r})
        print(db.execute("SELECT count(*) FROM kg_nodes").fetchone()[0])
    """)
    assert out[0].startswith("error: kg_import: 1 problem; nothing was imported"), out
    assert str(tmp_path / where) in out[0], out[0]
    assert out[1] == "2"


def test_cli_refuses_deep_json(ext, tmp_path):
    cli = pathlib.Path(ext).parent / "bin" / "samverkan"
    (tmp_path / "g.jsonl").write_text('{"key":"y","kind":"actor","props":' +
                                      nested(300_000) + '}\n')
    r = subprocess.run([str(cli), "import", "g.kg", "g.jsonl"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    assert "JSON nested deeper than 1003 levels" in r.stderr
