"""kg_import and kg_export: files from SQL, through the importers' code."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from conftest import rows, snapshot

CASE = {"format": "samverkan-case/1",
        "source": {"key": "src:t", "title": "T"},
        "actors": [{"key": "org:x", "name": "Xå", "sector": "public"}],
        "relations": [{"src": "org:x", "type": "partners_with", "dst": "org:msi"}]}


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(p)


def test_import_case_file_and_summary(db, tmp_path):
    f = write(tmp_path, "case.json", CASE)
    out = json.loads(db.execute("SELECT kg_import('kg', ?, 'case')", (f,)).fetchone()[0])
    assert out == {"nodes": 2, "edges": 1, "mode": "transaction", "graph_nodes": 7,
                   "graph_edges": 5}
    assert rows(db, "SELECT name, sector FROM kg_nodes WHERE key = 'org:x'") == [("Xå", "public")]
    # Idempotent: a second import changes nothing.
    before = rows(db, "SELECT * FROM kg_nodes ORDER BY rowid")
    db.execute("SELECT kg_import('kg', ?, NULL)", (f,))
    assert rows(db, "SELECT * FROM kg_nodes ORDER BY rowid") == before


def test_export_then_import_round_trips(db, tmp_path, connect):
    for fmt, name in [("csv", "out"), ("jsonl", "g.jsonl"), ("graphml", "g.graphml")]:
        path = str(tmp_path / name)
        out = json.loads(db.execute("SELECT kg_export('kg', ?, ?)", (fmt, path)).fetchone()[0])
        assert out == {"nodes": 5, "edges": 4}
    other = connect("other.db")
    other.execute("CREATE VIRTUAL TABLE g2 USING samverkan(path='copy.kg')")
    other.execute("SELECT kg_import('g2', ?, 'csv')", (str(tmp_path / "out"),))
    cols = "key, kind, name, sector, aliases, props"
    assert rows(other, f"SELECT {cols} FROM g2_nodes ORDER BY key") == \
        rows(db, f"SELECT {cols} FROM kg_nodes ORDER BY key")
    assert rows(other, "SELECT count(*) FROM g2_edges") == [(4,)]


def test_bad_file_names_the_function_and_changes_nothing(db, tmp_path):
    f = write(tmp_path, "bad.jsonl", '{"key":"a","kind":"actor"}\n{"key":"b","kind":"actor",}\n')
    before = rows(db, "SELECT count(*) FROM kg_nodes")
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_import('kg', ?, 'jsonl')", (f,))
    msg = str(e.value)
    assert msg.startswith("kg_import: 1 problem; nothing was imported\n")
    assert f + ":2:27: syntax error while parsing object key" in msg
    assert rows(db, "SELECT count(*) FROM kg_nodes") == before


@pytest.mark.parametrize("sql, message", [
    ("SELECT kg_import('nope', 'x.json', 'case')",
     "kg_import: graph: no graph named 'nope' in this connection"),
    ("SELECT kg_import('kg', 'x.json', 'pdf')",
     "kg_import: format: unknown import format 'pdf' (expected case, csv, jsonl, graphml or auto)"),
    ("SELECT kg_import('kg', NULL, 'case')", "kg_import: file: expected a file name"),
    ("SELECT kg_import('kg', '/nonexistent/x.json', 'case')",
     "kg_import: file: cannot open '/nonexistent/x.json': No such file or directory"),
    ("SELECT kg_export('kg', 'pdf', 'x.pdf')",
     "kg_export: format: unknown export format 'pdf' (expected graphml, gexf, csv, jsonl, dot, svg, html or report)"),
    ("SELECT kg_export('kg', 'graphml', '/nonexistent/dir/x.graphml')",
     "kg_export: file: cannot write '/nonexistent/dir/x.graphml': No such file or directory"),
])
def test_errors_name_function_and_argument(db, sql, message):
    with pytest.raises(sqlite3.OperationalError, match="^" + __import__("re").escape(message)):
        db.execute(sql)


def test_refused_while_the_connection_has_uncommitted_writes(db, tmp_path):
    f = write(tmp_path, "case.json", CASE)
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('tmp', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="kg_import: graph 'kg' has an open write"):
        db.execute("SELECT kg_import('kg', ?, 'case')", (f,))
    db.execute("ROLLBACK")
    db.execute("SELECT kg_import('kg', ?, 'case')", (f,))


def test_directonly_not_from_views_or_triggers(db, tmp_path):
    # A schema must not be able to read or write files on the user's behalf.
    db.execute("CREATE VIEW v AS SELECT kg_export('kg', 'dot', 'x.dot') AS r")
    with pytest.raises(sqlite3.OperationalError, match="unsafe use of kg_export"):
        db.execute("SELECT * FROM v")


NA_NODES = ('key:ID,:LABEL,name,sector,founded:int\n'
            'org:na1,actor,NA,NA,NA\n'
            'org:na2,actor,"NA",public,1862\n')


@pytest.mark.parametrize("mode", ["transaction", "bulk"])
def test_import_options_null_spellings(connect, tmp_path, mode):
    conn = connect("nulls.db")
    conn.execute("CREATE VIRTUAL TABLE g USING samverkan(path='nulls.kg')")
    f = write(tmp_path, "nodes.csv", NA_NODES)
    # Without the option, NA is text: an integer column cannot hold it.
    with pytest.raises(sqlite3.OperationalError, match=r"nodes.csv:2:.*founded"):
        conn.execute("SELECT kg_import('g', ?, 'csv')", (f,))
    opts = json.dumps({"null": ["NA"], "mode": mode, "source": "src:cordis"})
    out = json.loads(conn.execute("SELECT kg_import('g', ?, 'csv', ?)", (f, opts)).fetchone()[0])
    assert out["mode"] == mode and out["nodes"] == 3  # the two rows and the source node
    # An unquoted NA is missing (a missing name is the key); the quoted one stays text.
    assert rows(conn, "SELECT key, name, sector, props FROM g_nodes WHERE kind = 'actor' "
                      "ORDER BY key") == [("org:na1", "org:na1", None, "{}"),
                                          ("org:na2", "NA", "public", '{"founded":1862}')]
    assert rows(conn, "SELECT sources FROM g_nodes WHERE key = 'org:na1'") == [('["src:cordis"]',)]


@pytest.mark.parametrize("options, message", [
    ('{"nul": "NA"}', "kg_import: options: unknown member 'nul'"),
    ('{"null": 1}', "kg_import: options: null must be a string or a list of strings"),
    ('{"mode": "fast"}', "kg_import: options: mode must be 'auto', 'bulk' or 'transaction', "
                         "not 'fast'"),
    ('{"max_problems": 0}', "kg_import: options: max_problems must be an integer between 1 "
                            "and 1000000"),
    ('[1]', "kg_import: options: expected a JSON object"),
    ('{"null": "NA", "null": "-"}', 'kg_import: options: the key "null" appears twice in one '
                                    'JSON object (keys must be unique)'),
    ('[' * 5000 + ']' * 5000, "kg_import: options: nested deeper than 1000 levels (at byte 1000)"),
])
def test_import_options_errors_change_nothing(db, tmp_path, options, message):
    f = write(tmp_path, "nodes.csv", NA_NODES)
    before = rows(db, "SELECT * FROM kg_nodes ORDER BY rowid")
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_import('kg', ?, 'csv', ?)", (f, options))
    assert str(e.value) == message
    assert rows(db, "SELECT * FROM kg_nodes ORDER BY rowid") == before


def run_sql_in_a_child(ext, cwd, sql):
    """Runs `sql` in a child process with a time limit, so that a call that
    blocks fails the test instead of hanging it. Returns the error text, or
    "" when the statement succeeded."""
    script = textwrap.dedent(f"""
        import sqlite3, sys
        db = sqlite3.connect("t.db", isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension({ext!r})
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kg USING samverkan(path='g.kg')")
        try:
            db.execute({sql!r}).fetchall()
        except sqlite3.Error as e:
            print(e)
    """)
    r = subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_kg_import_refuses_a_fifo_without_waiting(ext, tmp_path):
    os.mkfifo(tmp_path / "nodes.csv")
    msg = run_sql_in_a_child(ext, tmp_path, "SELECT kg_import('kg', 'nodes.csv', 'csv')")
    assert msg == ("kg_import: file: cannot read 'nodes.csv': it is a FIFO; an import reads "
                   "regular files only")
    (tmp_path / "csvdir").mkdir()
    os.mkfifo(tmp_path / "csvdir" / "edges.csv")
    msg = run_sql_in_a_child(ext, tmp_path, "SELECT kg_import('kg', 'csvdir', 'csv')")
    assert "csvdir/edges.csv': it is a FIFO" in msg, msg


def test_kg_export_of_a_graph_missing_a_data_file_fails(connect, tmp_path):
    """A read-only open of a graph that lost an SST file serves an older
    state of that file's column family without any read error; the export
    must notice that it read fewer records than the graph counts."""
    db = connect()
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS kg USING samverkan(path='g.kg')")
    write(tmp_path, "nodes.csv", ":ID,:LABEL\n" + "".join(f"n{i},actor\n" for i in range(50)))
    write(tmp_path, "edges.csv", ":START_ID,:END_ID,:TYPE\n" +
          "".join(f"n{i},n{(i + 1) % 50},knows\n" for i in range(50)))
    db.execute("SELECT kg_import('kg', ?, 'csv', '{\"mode\": \"bulk\"}')", (str(tmp_path),))
    db.execute("SELECT kg_export('kg', 'jsonl', ?)", (str(tmp_path / "whole.jsonl"),))
    whole = (tmp_path / "whole.jsonl").read_text()
    db.execute("DROP TABLE kg")  # keeps the graph directory
    ssts = sorted(p.name for p in (tmp_path / "g.kg").iterdir() if p.suffix == ".sst")
    refused = 0
    for i, sst in enumerate(ssts):
        damaged = tmp_path / f"damaged{i}.kg"
        shutil.copytree(tmp_path / "g.kg", damaged)
        (damaged / sst).unlink()
        out = tmp_path / f"out{i}.jsonl"
        out.write_text("old")
        try:
            db.execute(f"CREATE VIRTUAL TABLE d{i} USING samverkan(path='{damaged}', readonly=1)")
            db.execute("SELECT kg_export(?, 'jsonl', ?)", (f"d{i}", str(out)))
        except sqlite3.DatabaseError as e:  # SQLITE_CORRUPT when the open sees it
            refused += 1
            assert "is damaged" in str(e) or "not a Samverkan graph" in str(e), str(e)
            assert out.read_text() == "old"
            continue
        assert out.read_text() == whole, sst  # the file held nothing the export reads
    assert refused >= 2, ssts


def test_a_reader_of_a_graph_missing_a_data_file_answers_no_point_lookup(connect, tmp_path):
    """A read-only open (the SQL readers' kind) of a graph that lost any one
    of its SST files is refused: point lookups, which no counter checks,
    must not answer from the older state RocksDB can still assemble."""
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    for part in range(3):  # each close flushes: several SST files
        db.executemany("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')",
                       [(f"p{part}-{i}",) for i in range(20)])
        db.executemany("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'knows', ?)",
                       [(f"p{part}-{i}", f"p{part}-{i + 1}") for i in range(19)])
        db.execute("DROP TABLE kg")  # keeps the graph directory
        db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    db.execute("DROP TABLE kg")
    ssts = sorted(p.name for p in (tmp_path / "g.kg").iterdir() if p.suffix == ".sst")
    assert len(ssts) >= 3, ssts
    for i, sst in enumerate(ssts):
        damaged = tmp_path / f"damaged{i}.kg"
        shutil.copytree(tmp_path / "g.kg", damaged)
        (damaged / sst).unlink()
        before = sorted(p.name for p in damaged.iterdir())
        reader = connect(f"reader{i}.db")
        for lookup in ("SELECT key FROM kg_neighbors('d', 'p0-5')",
                       "SELECT name FROM d_nodes WHERE key = 'p2-5'"):
            with pytest.raises(sqlite3.DatabaseError) as e:
                reader.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS d USING samverkan("
                               f"path='{damaged}', readonly=1)")
                reader.execute(lookup).fetchall()
            assert f"graph '{damaged}' is damaged" in str(e.value), (sst, str(e.value))
            assert sst[:-4] in str(e.value), (sst, str(e.value))
        assert sorted(p.name for p in damaged.iterdir()) == before


def test_csv_round_trips_names_and_values_a_csv_file_cannot_hold(db, tmp_path, connect):
    # A NUL cannot be in a CSV file: names with one (or empty) are written as
    # props."<JSON string>", string values with one as json.
    props = '{"":1,"a:b":"colon","b\\u0000":"x\\u0000y","c":"plain","props.d":true}'
    db.execute("INSERT INTO kg_nodes(key, kind, props) VALUES ('n', 'actor', ?)", (props,))
    db.execute("INSERT INTO kg_edges(src, type, dst, props) VALUES ('n', 'knows', 'org:msi', ?)",
               (props,))
    db.execute("SELECT kg_export('kg', 'csv', ?)", (str(tmp_path / "out"),))
    for name in ("nodes.csv", "edges.csv"):
        data = (tmp_path / "out" / name).read_bytes()
        assert b"\0" not in data
        assert b'"props.""b\\u0000"":json"' in data and b"a:b:string" in data, data
    other = connect("other.db")
    other.execute("CREATE VIRTUAL TABLE g2 USING samverkan(path='copy.kg')")
    other.execute("SELECT kg_import('g2', ?, 'csv')", (str(tmp_path / "out"),))
    for table, order in (("nodes", "key"), ("edges", "src, type, dst, rank")):
        assert rows(other, f"SELECT props FROM g2_{table} ORDER BY {order}") == \
            rows(db, f"SELECT props FROM kg_{table} ORDER BY {order}")
    assert rows(other, "SELECT props FROM g2_nodes WHERE key = 'n'") == [(props,)]


def test_a_nul_in_a_name_is_called_a_nul(db, tmp_path):
    f = write(tmp_path, "n.jsonl", '{"key": "a\\u0000b", "kind": "actor"}\n')
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_import('kg', ?, NULL)", (f,))
    assert "node key 'a\\x00b' contains a NUL character (U+0000)" in str(e.value), str(e.value)
    f = write(tmp_path, "m.jsonl", '{"key": "m", "kind": "actor"}\n')
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_import('kg', ?, NULL, ?)", (f, '{"add_sectors": ["a\\u0000b"]}'))
    assert "sector name 'a\\x00b' contains a NUL character (U+0000)" in str(e.value), str(e.value)


AGENCY_NODES = (":ID;:LABEL;name;sector;budget:double\n"
                "no:sintef;actor;Sintef;research_institute;1,5\n"
                "no:norce;actor;Norce Tromsø;research_institute;-\n")
AGENCY_EDGES = (":START_ID;:END_ID;:TYPE;valid_from;valid_to;weight\n"
                "no:sintef;no:norce;collaborates_with;01.01.2019 00:00;31.12.2020 23:59;2,5\n")
AGENCY_OPTIONS = {"delim": ";", "encoding": "cp1252", "decimal_separator": ",",
                  "dateformat": "%d.%m.%Y %H:%M", "nullstr": "-"}


def write_agency(tmp_path):
    for name, text in [("nodes.csv", AGENCY_NODES), ("edges.csv", AGENCY_EDGES)]:
        (tmp_path / "agency").mkdir(exist_ok=True)
        (tmp_path / "agency" / name).write_bytes(text.encode("cp1252"))
    return str(tmp_path / "agency")


def test_an_agency_csv_imports_with_options_and_a_sector_added_in_sql(db, tmp_path):
    d = write_agency(tmp_path)
    before = snapshot(db)
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_import('kg', ?, 'csv', ?)", (d, json.dumps(AGENCY_OPTIONS)))
    msg = str(e.value)
    assert "nodes.csv:2:24: unknown sector 'research_institute' for node 'no:sintef' and 1 " \
           "more record;" in msg, msg
    assert msg.count("unknown sector") == 1 and "kg_add_sector" in msg
    assert snapshot(db) == before
    added = db.execute("SELECT kg_add_sector('kg', 'research_institute', 'public')").fetchone()[0]
    assert json.loads(added) == ["academia", "business", "public", "nonprofit",
                                 "research_institute"]
    db.execute("SELECT kg_import('kg', ?, 'csv', ?)", (d, json.dumps(AGENCY_OPTIONS)))
    assert rows(db, "SELECT key, name, sector, props FROM kg_nodes WHERE key LIKE 'no:%' "
                    "ORDER BY key") == [
        ("no:norce", "Norce Tromsø", "research_institute", "{}"),
        ("no:sintef", "Sintef", "research_institute", '{"budget":1.5}')]
    assert rows(db, "SELECT weight, valid_from, valid_to FROM kg_edges "
                    "WHERE type = 'collaborates_with'") == [(2.5, "2019-01-01", "2020-12-31")]


def test_kg_add_sector_then_insert_and_its_errors(db):
    with pytest.raises(sqlite3.OperationalError, match="unknown sector 'church'"):
        db.execute("INSERT INTO kg_nodes(key, kind, sector) VALUES ('c', 'actor', 'church')")
    db.execute("SELECT kg_add_sector('kg', 'church')")
    db.execute("INSERT INTO kg_nodes(key, kind, sector) VALUES ('c', 'actor', 'church')")
    assert rows(db, "SELECT sector FROM kg_nodes WHERE key = 'c'") == [("church",)]
    for sql, message in [
            ("SELECT kg_add_sector('kg')", "kg_add_sector: expected a graph and one or more"),
            ("SELECT kg_add_sector('kg', NULL)", "kg_add_sector: sector 1: expected a name"),
            ("SELECT kg_add_sector('nope', 'x')", "kg_add_sector: graph: no graph named"),
            ("SELECT kg_add_sector('kg', 'a' || char(0) || 'b')", "contains a NUL")]:
        with pytest.raises(sqlite3.OperationalError) as e:
            db.execute(sql)
        assert message in str(e.value), (sql, str(e.value))
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('d', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="COMMIT first"):
        db.execute("SELECT kg_add_sector('kg', 'other')")
    db.execute("ROLLBACK")


def test_kg_import_names_a_bad_dialect_option(db, tmp_path):
    d = write_agency(tmp_path)
    for options, message in [({"delim": ";;"}, "options: delim: expected one character"),
                             ({"dateformat": "%d.%b"}, "options: dateformat: '%d.%b': %b is not"),
                             ({"encoding": "utf-16"}, "options: encoding: unknown encoding")]:
        with pytest.raises(sqlite3.OperationalError) as e:
            db.execute("SELECT kg_import('kg', ?, 'csv', ?)", (d, json.dumps(options)))
        assert message in str(e.value), str(e.value)
