"""Fixtures for the Python tests of the importers: the command-line tool
(--cli, else $SAMVERKAN_CLI, else build/bin/samverkan) and the real data the
repository carries (data/).

    /usr/bin/python3 -m pytest -q tests/importers --cli build/bin/samverkan
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def pytest_addoption(parser):
    parser.addoption("--cli", default=None, help="path of the samverkan binary")


@pytest.fixture(scope="session")
def cli(request):
    path = (request.config.getoption("--cli") or os.environ.get("SAMVERKAN_CLI")
            or str(REPO / "build" / "bin" / "samverkan"))
    path = str(pathlib.Path(path).resolve())
    if not pathlib.Path(path).exists():
        pytest.fail(f"samverkan binary not built: {path}")
    return path


@pytest.fixture
def run(cli, tmp_path):
    """run(*args) -> CompletedProcess of `samverkan args...` in tmp_path."""
    def _run(*args, **kwargs):
        return subprocess.run([cli, *map(str, args)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60, **kwargs)
    return _run
