"""JSON with a key twice in one object is refused wherever JSON is read
(docs/formats.md, "JSON keys are unique"): parsers disagree on which value
such an object holds, so a database takes neither."""
import sqlite3

import pytest

from conftest import rows

TWICE = 'the key "x" appears twice in one JSON object (keys must be unique)'


@pytest.mark.parametrize("props", ['{"x": 1, "x": 2}', '{"x": 1, "\\u0078": 2}',
                                   '{"a": {"x": 1, "y": [{"x": 2, "x": 3}]}}',
                                   '{"y": "}", "x": [], "x": {}}',
                                   '{"y": "\\\\", "x": 1, "x": 2}'])
def test_properties_through_sql(db, props):
    before = rows(db, "SELECT * FROM kg_nodes ORDER BY rowid")
    for sql in ("INSERT INTO kg_nodes(key, kind, props) VALUES ('n', 'actor', ?)",
                "UPDATE kg_nodes SET props = ? WHERE key = 'org:msi'",
                "INSERT INTO kg_edges(src, type, dst, props) VALUES ('org:msi', 'knows', "
                "'org:oru', ?)"):
        with pytest.raises(sqlite3.Error) as e:
            db.execute(sql, (props,))
        assert TWICE in str(e.value), str(e.value)
    assert rows(db, "SELECT * FROM kg_nodes ORDER BY rowid") == before
    # The same keys in different objects are fine, and so is text that only
    # looks like a key.
    for i, ok in enumerate(['{"x": {"x": 1}, "y": [{"x": 2}, {"x": 3}]}',
                            '{"s": "{\\"x\\": 1, \\"x\\": 2}", "t": ["x", "x"], "x\\"": 1, "x": 2}',
                            '{"\\ud83d\\ude00": 1, "\\ud83d\\ude01": 2}',
                            '{"a\\"b": 1, "a\\\\": 2, "a": 3}']):
        db.execute("INSERT INTO kg_nodes(key, kind, props) VALUES (?, 'actor', ?)", (f"n{i}", ok))
    for twice, key in (('{"\\ud83d\\ude00": 1, "\U0001F600": 2}', "\U0001F600"),
                       ('{"a\\"b": 1, "a\\u0022b": 2}', 'a"b')):
        with pytest.raises(sqlite3.Error, match=f'the key "{key}" appears twice'):
            db.execute("INSERT INTO kg_nodes(key, kind, props) VALUES ('m', 'actor', ?)",
                       (twice,))


def test_cypher_parameters(db):
    with pytest.raises(sqlite3.Error) as e:
        db.execute("SELECT row FROM kg_cypher('kg', 'RETURN $x AS x', ?)",
                   ('{"x": 1, "x": 2}',)).fetchall()
    assert str(e.value).endswith("parameters: " + TWICE + " (at byte 9)"), str(e.value)
    assert rows(db, "SELECT row FROM kg_cypher('kg', 'RETURN $x AS x', ?)",
                ('{"x": {"x": 1}}',)) == [('{"x":{"x":1}}',)]


def test_imported_files_name_the_place(db, tmp_path):
    (tmp_path / "n.jsonl").write_text('{"key": "n", "kind": "actor", "props": {"x": 1, "x": 2}}\n')
    (tmp_path / "n.csv").write_text(':ID,:LABEL,p:json\nn,actor,"{""x"": 1, ""x"": 2}"\n')
    before = rows(db, "SELECT * FROM kg_nodes ORDER BY rowid")
    for name, where in (("n.jsonl", ":1:49: "), ("n.csv", ":2:9: p: ")):
        with pytest.raises(sqlite3.OperationalError) as e:
            db.execute("SELECT kg_import('kg', ?, NULL)", (str(tmp_path / name),))
        assert str(tmp_path / name) + where + TWICE in str(e.value), str(e.value)
    assert rows(db, "SELECT * FROM kg_nodes ORDER BY rowid") == before


def test_picture_options(db, tmp_path):
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute("SELECT kg_export('kg', 'svg', ?, ?)",
                   (str(tmp_path / "x.svg"), '{"depth": 1, "depth": 2}'))
    assert 'the key "depth" appears twice' in str(e.value), str(e.value)
    assert not (tmp_path / "x.svg").exists()


def test_sql_function_options(db):
    for sql, message in (
            ("SELECT row FROM kg_cypher('kg', 'RETURN 1 AS x', NULL, "
             "'{\"adjacency\": \"csr\", \"adjacency\": \"stored\"}')",
             'options: the key "adjacency" appears twice'),
            ("SELECT * FROM kg_pagerank WHERE graph = 'kg' AND "
             "personalization = '{\"org:msi\": 1, \"org:msi\": 2}'",
             'personalization: the key "org:msi" appears twice')):
        with pytest.raises(sqlite3.Error) as e:
            db.execute(sql).fetchall()
        assert message in str(e.value), str(e.value)
