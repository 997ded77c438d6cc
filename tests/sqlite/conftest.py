"""Fixtures for the SQL tests of the Samverkan extension.

The extension is found from --ext (a path without the .so suffix, as
sqlite3_load_extension takes it), else $SAMVERKAN_EXT, else build/samverkan
in the repository. Run with Debian's /usr/bin/python3, whose sqlite3 module
can load extensions:

    /usr/bin/python3 -m pytest -q tests/sqlite --ext build-sqlite/samverkan
"""
import os
import pathlib
import sqlite3

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    parser.addoption("--ext", default=None, help="path of the extension, without .so")


@pytest.fixture(scope="session")
def ext(request):
    path = (request.config.getoption("--ext") or os.environ.get("SAMVERKAN_EXT")
            or str(REPO / "build" / "samverkan"))
    path = str(pathlib.Path(path).resolve())
    if not pathlib.Path(path + ".so").exists():
        pytest.fail(f"extension not built: {path}.so")
    os.environ["SAMVERKAN_EXT"] = path  # for subprocesses
    return path


@pytest.fixture
def connect(ext, tmp_path):
    """connect(name='test.db') -> a connection with the extension loaded,
    in autocommit mode so that tests write BEGIN/COMMIT themselves."""
    opened = []

    def _connect(name="test.db", load=True):
        db = sqlite3.connect(str(tmp_path / name) if name != ":memory:" else name,
                             isolation_level=None)
        if load:
            db.enable_load_extension(True)
            db.load_extension(ext)
        opened.append(db)
        return db

    yield _connect
    for db in reversed(opened):
        db.close()


SMALL_GRAPH = """
CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');
INSERT INTO kg_nodes(key, kind, name, sector, aliases, props) VALUES
  ('org:msi', 'actor', 'MSI', 'nonprofit', '["Mora Sport Initiative"]', '{"founded":1998}'),
  ('org:oru', 'actor', 'Örebro universitet', 'academia', '[]', '{}'),
  ('org:vinnova', 'actor', 'Vinnova', 'public', '[]', '{}'),
  ('proj:mora', 'project', 'Mora digital', NULL, '[]', '{}'),
  ('reg:mora', 'region', 'Mora', NULL, '[]', '{}');
INSERT INTO kg_edges(src, type, dst, weight, valid_from, valid_to, props) VALUES
  ('org:msi', 'participates_in', 'proj:mora', 1.0, '2020-01-01', '2022-12-31', '{"role":"lead"}'),
  ('org:oru', 'participates_in', 'proj:mora', 5.0, NULL, NULL, '{"role":"partner"}'),
  ('org:vinnova', 'funds', 'proj:mora', 2.0, '2021-01-01', NULL, '{"sek":500000}'),
  ('org:msi', 'located_in', 'reg:mora', NULL, NULL, NULL, NULL);
"""


@pytest.fixture
def db(connect):
    """A connection with graph 'kg' holding SMALL_GRAPH."""
    conn = connect()
    conn.executescript(SMALL_GRAPH)
    return conn


def rows(conn, sql, params=()):
    return conn.execute(sql, params).fetchall()


def snapshot(conn, graph="kg"):
    """Everything in a graph, as comparable data."""
    return (rows(conn, f"SELECT rowid, * FROM {graph}_nodes ORDER BY rowid"),
            rows(conn, f"SELECT rowid, src, type, dst, rank, weight, valid_from, valid_to, "
                       f"props, sources FROM {graph}_edges ORDER BY rowid"))
