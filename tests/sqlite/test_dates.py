"""Dates from year 1 to 9999, before and after 1970, round-trip through every
way into and out of the graph: SQL, every import format (bulk and
transaction paths), every export, traversals and analytics."""
import json
import xml.sax.saxutils

import pytest

from conftest import rows

# (valid_from, valid_to) of the edge from org:a to n<i>.
INTERVALS = [
    ("0001-01-01", "0001-01-01"),
    ("0001-01-01", "9999-12-31"),
    ("1862-05-01", None),
    ("1969-12-31", "1970-01-01"),
    (None, "1969-12-31"),
    ("1900-02-28", "1968-02-29"),
    ("9999-12-31", "9999-12-31"),
]
NODES = ["org:a"] + [f"n{i}" for i in range(len(INTERVALS))]


def edges_of(conn, graph="kg"):
    return rows(conn, f"SELECT dst, valid_from, valid_to FROM {graph}_edges "
                      f"WHERE src = 'org:a' ORDER BY dst")


EXPECTED = [(f"n{i}", f, t) for i, (f, t) in enumerate(INTERVALS)]


def check(conn, graph="kg"):
    assert edges_of(conn, graph) == EXPECTED
    # Every read path: both directions, traversals over the stored adjacency
    # and over the CSR, analytics, the integrity check.
    assert rows(conn, f"SELECT src, valid_from FROM {graph}_edges WHERE dst = 'n2'") == [
        ("org:a", "1862-05-01")]
    assert sorted(r[0] for r in rows(
        conn, "SELECT key FROM kg_neighbors(?, 'org:a', 1, 'out', NULL, NULL, '1969-12-31')",
        (graph,))) == ["n1", "n2", "n3", "n4"]
    assert sorted(r[0] for r in rows(
        conn, "SELECT key FROM kg_neighbors(?, 'org:a', 1, 'out', NULL, NULL, '0001-01-01')",
        (graph,))) == ["n0", "n1", "n4"]
    assert rows(conn, "SELECT count(*) FROM kg_pagerank(?)", (graph,)) == [(len(NODES),)]
    assert rows(conn, "SELECT kg_integrity_check(?)", (graph,)) == [("ok",)]


def write_files(tmp_path):
    """The graph in every import format; returns {format: path}."""
    files = {}
    d = tmp_path / "csv"
    d.mkdir()
    (d / "nodes.csv").write_text(":ID,:LABEL\n" + "".join(f"{k},actor\n" for k in NODES))
    (d / "edges.csv").write_text(
        ":START_ID,:END_ID,:TYPE,valid_from:date,valid_to:date\n" +
        "".join(f"org:a,n{i},funds,{f or ''},{t or ''}\n"
                for i, (f, t) in enumerate(INTERVALS)))
    files["csv"] = d
    lines = [json.dumps({"key": k, "kind": "actor"}) for k in NODES]
    for i, (f, t) in enumerate(INTERVALS):
        e = {"src": "org:a", "type": "funds", "dst": f"n{i}"}
        if f:
            e["valid_from"] = f
        if t:
            e["valid_to"] = t
        lines.append(json.dumps(e))
    (tmp_path / "g.jsonl").write_text("\n".join(lines) + "\n")
    files["jsonl"] = tmp_path / "g.jsonl"
    relations = []
    for i, (f, t) in enumerate(INTERVALS):
        r = {"src": "org:a", "type": "funds", "dst": f"n{i}"}
        if f:
            r["valid_from"] = f
        if t:
            r["valid_to"] = t
        relations.append(r)
    case = {"format": "samverkan-case/1",
            "nodes": [{"key": k, "kind": "actor"} for k in NODES],
            "relations": relations}
    (tmp_path / "case.json").write_text(json.dumps(case))
    files["case"] = tmp_path / "case.json"
    q = xml.sax.saxutils.quoteattr
    gml = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '<key id="k" for="node" attr.name="kind" attr.type="string"/>',
           '<key id="t" for="edge" attr.name="type" attr.type="string"/>',
           '<key id="f" for="edge" attr.name="valid_from" attr.type="string"/>',
           '<key id="u" for="edge" attr.name="valid_to" attr.type="string"/>',
           '<graph edgedefault="directed">']
    gml += [f'<node id={q(k)}><data key="k">actor</data></node>' for k in NODES]
    for i, (f, t) in enumerate(INTERVALS):
        data = '<data key="t">funds</data>'
        data += f'<data key="f">{f}</data>' if f else ""
        data += f'<data key="u">{t}</data>' if t else ""
        gml.append(f'<edge source="org:a" target="n{i}">{data}</edge>')
    gml += ["</graph>", "</graphml>"]
    (tmp_path / "g.graphml").write_text("\n".join(gml))
    files["graphml"] = tmp_path / "g.graphml"
    return files


def test_sql_insert_update_delete(connect):
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='d.kg')")
    for k in NODES:
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (k,))
    for i, (f, t) in enumerate(INTERVALS):
        db.execute("INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) "
                   "VALUES ('org:a', 'funds', ?, ?, ?)", (f"n{i}", f, t))
    check(db)
    db.execute("UPDATE kg_edges SET valid_from = '1066-10-14' WHERE dst = 'n2'")
    assert rows(db, "SELECT valid_from FROM kg_edges WHERE dst = 'n2'") == [("1066-10-14",)]
    db.execute("UPDATE kg_edges SET valid_from = '1862-05-01' WHERE dst = 'n2'")
    # Reopened from disk.
    db.close()
    db = connect()
    check(db)
    # Deleting such edges and their node works.
    db.execute("DELETE FROM kg_edges WHERE dst = 'n4'")
    db.execute("DELETE FROM kg_nodes WHERE key = 'org:a'")
    assert rows(db, "SELECT count(*) FROM kg_edges") == [(0,)]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "case", "graphml"])
@pytest.mark.parametrize("into", ["empty", "non-empty"])
def test_every_import_format_and_path(connect, tmp_path, fmt, into):
    files = write_files(tmp_path)
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='d.kg')")
    if into == "non-empty":  # forces the transaction path
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('other', 'actor')")
    summary = json.loads(db.execute("SELECT kg_import('kg', ?, ?)",
                                    (str(files[fmt]), fmt)).fetchone()[0])
    if fmt in ("csv", "jsonl"):
        assert summary["mode"] == ("bulk" if into == "empty" else "transaction")
    if into == "non-empty":
        db.execute("DELETE FROM kg_nodes WHERE key = 'other'")
    check(db)


@pytest.mark.parametrize("fmt, name", [("csv", "out"), ("jsonl", "g.jsonl"),
                                       ("graphml", "g.graphml")])
def test_exports_read_back_exactly(connect, tmp_path, fmt, name):
    files = write_files(tmp_path)
    db = connect()
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='d.kg')")
    db.execute("SELECT kg_import('kg', ?, 'jsonl')", (str(files["jsonl"]),))
    out = tmp_path / "export" / name
    out.parent.mkdir()
    db.execute("SELECT kg_export('kg', ?, ?)", (fmt, str(out)))
    db.execute("CREATE VIRTUAL TABLE g2 USING samverkan(path='copy.kg')")
    db.execute("SELECT kg_import('g2', ?, ?)", (str(out), fmt))
    check(db, "g2")
    for other in ("gexf", "dot"):
        path = tmp_path / f"g.{other}"
        db.execute("SELECT kg_export('kg', ?, ?)", (other, str(path)))
        text = path.read_text()
        for date in ("0001-01-01", "1862-05-01", "1969-12-31", "9999-12-31"):
            assert date in text, (other, date)


@pytest.mark.parametrize("given, stored", [
    (("2019", "2019"), ("2019-01-01", "2019-12-31")),
    (("2019-12", "2019-12"), ("2019-12-01", "2019-12-31")),
    (("2020-02", "2020-02"), ("2020-02-01", "2020-02-29")),
    (("2019-02-03", "2019-02-05"), ("2019-02-03", "2019-02-05")),
])
def test_a_partial_valid_to_ends_with_its_period(db, tmp_path, connect, given, stored):
    # SQL
    db.execute("INSERT INTO kg_edges(src, type, dst, valid_from, valid_to) "
               "VALUES ('org:msi', 'partners_with', 'org:oru', ?, ?)", given)
    assert rows(db, "SELECT valid_from, valid_to FROM kg_edges WHERE type = 'partners_with'") \
        == [stored]
    # Every import format.
    f, t = given
    (tmp_path / "e.jsonl").write_text(json.dumps(
        {"src": "org:msi", "type": "p_jsonl", "dst": "org:oru", "valid_from": f, "valid_to": t})
        + "\n")
    (tmp_path / "e.csv").write_text(":START_ID,:END_ID,:TYPE,valid_from:date,valid_to:date\n"
                                    f"org:msi,org:oru,p_csv,{f},{t}\n")
    (tmp_path / "case.json").write_text(json.dumps(
        {"format": "samverkan-case/1", "relations": [
            {"src": "org:msi", "type": "p_case", "dst": "org:oru", "valid_from": f,
             "valid_to": t}]}))
    (tmp_path / "g.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="t" for="edge" attr.name="type" attr.type="string"/>'
        '<key id="f" for="edge" attr.name="valid_from" attr.type="string"/>'
        '<key id="u" for="edge" attr.name="valid_to" attr.type="string"/>'
        '<graph edgedefault="directed"><node id="org:msi"/><node id="org:oru"/>'
        f'<edge source="org:msi" target="org:oru"><data key="t">p_graphml</data>'
        f'<data key="f">{f}</data><data key="u">{t}</data></edge></graph></graphml>')
    for name, fmt in (("e.jsonl", "jsonl"), ("e.csv", "csv"), ("case.json", "case"),
                      ("g.graphml", "graphml")):
        db.execute("SELECT kg_import('kg', ?, ?)", (str(tmp_path / name), fmt))
        assert rows(db, "SELECT valid_from, valid_to FROM kg_edges WHERE type = ?",
                    (f"p_{fmt}",)) == [stored], fmt
