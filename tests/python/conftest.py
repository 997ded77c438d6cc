import sqlite3

import pytest


def pytest_addoption(parser):
    parser.addoption("--ext", required=True, help="the built extension, without .so")


@pytest.fixture()
def graph_conn(request, tmp_path):
    """A connection to a fresh database with the built extension loaded and an
    empty graph table `kg` (autocommit, as the package's users open it)."""
    c = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    c.enable_load_extension(True)
    c.load_extension(request.config.getoption("--ext"))
    c.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='t.kg')")
    return c
