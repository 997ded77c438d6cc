"""The Cypher versions of queries/ files (queries/*.cypher): each answers
its SQL sibling's question with the same rows, on the hand-built query graph
and on the sample graph, and its header documents the query like theirs."""
import json
import re

import pytest

from conftest import REPO
from test_queries import EXPECTED, QUERY_GRAPH, example_params, header, sample_db  # noqa: F401

CYPHER = sorted((REPO / "queries").glob("*.cypher"))


def cypher_header(path):
    text = path.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return text, "\n".join(lines)


def cypher_params(head):
    m = re.search(r"^Example:\s*(.*)$", head, re.M)
    assert m, "no Example: line"
    return {name: value[1:-1].replace("''", "'") if value.startswith("'") else json.loads(value)
            for name, value in re.findall(r"\$(\w+)\s*=\s*('(?:[^']|'')*'|-?[\d.]+)", m.group(1))}


def run_cypher(db, path, params=None):
    text, head = cypher_header(path)
    rows = db.execute("SELECT row FROM kg_cypher('kg', ?, ?)",
                      (text, json.dumps(params or cypher_params(head)))).fetchall()
    return [tuple(json.loads(r[0]).values()) for r in rows]


def run_sql(db, path, params):
    text, _ = header(path)
    return db.execute(text, params).fetchall()


def test_there_are_cypher_versions():
    assert len(CYPHER) >= 2
    for path in CYPHER:
        assert path.with_suffix(".sql").exists(), f"{path.name} has no SQL sibling"


@pytest.mark.parametrize("path", CYPHER, ids=[p.stem for p in CYPHER])
def test_header_documents_the_query(path):
    text, head = cypher_header(path)
    for field in ("Question:", "Parameters:", "Example:", "Columns:"):
        assert field in head, f"{path.name}: header lacks {field}"
    body = re.sub(r"^//.*$", "", text, flags=re.M)
    used = set(re.findall(r"\$(\w+)", body))
    documented = set(re.findall(r"\$(\w+)", head.split("Example:")[0]))
    assert used == documented
    assert set(cypher_params(head)) == used
    # The same parameters as the SQL sibling.
    _, sql_head = header(path.with_suffix(".sql"))
    assert set(example_params(sql_head)) == used


@pytest.fixture
def query_graph(connect):
    db = connect()
    db.executescript(QUERY_GRAPH)
    return db


@pytest.mark.parametrize("path", CYPHER, ids=[p.stem for p in CYPHER])
def test_same_rows_as_sql_on_the_query_graph(query_graph, path):
    # The parameters test_queries.py uses on this graph, and its answers.
    params, expected = EXPECTED[path.stem]
    got = run_cypher(query_graph, path, params)
    assert got == run_sql(query_graph, path.with_suffix(".sql"), params) == expected


@pytest.mark.parametrize("path", CYPHER, ids=[p.stem for p in CYPHER])
def test_same_rows_as_sql_on_the_sample_graph(sample_db, path):  # noqa: F811
    _, sql_head = header(path.with_suffix(".sql"))
    got = run_cypher(sample_db, path)
    assert got == run_sql(sample_db, path.with_suffix(".sql"), example_params(sql_head))
