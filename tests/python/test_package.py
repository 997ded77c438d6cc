"""The Python package (python/): built as a wheel around the built
extension, installed offline into a fresh venv, imported and used there."""
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def venv(request, tmp_path_factory):
    ext = pathlib.Path(request.config.getoption("--ext") + ".so")
    assert ext.exists(), f"extension not built: {ext}"
    tmp = tmp_path_factory.mktemp("pkg")
    out = subprocess.run([str(REPO / "python" / "build_wheel.sh"), str(ext), str(tmp / "dist")],
                         check=True, capture_output=True, text=True).stdout.split()
    wheel = out[-1]
    # Tagged for the glibc it was built against; py3-none: the .so is a SQLite
    # extension, not a CPython module.
    assert wheel.endswith("-py3-none-manylinux_2_36_x86_64.whl"), wheel
    subprocess.run(["/usr/bin/python3", "-m", "venv", str(tmp / "venv")], check=True)
    py = tmp / "venv" / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--no-index", "--no-deps", "-q", wheel],
                   check=True)
    return py, tmp


def test_import_load_and_use(venv):
    py, tmp = venv
    script = """
import os, sqlite3, samverkan
assert samverkan.loadable_path().startswith(os.path.dirname(samverkan.__file__))
assert os.path.exists(samverkan.loadable_path() + ".so")
conn = sqlite3.connect("t.db")
conn.enable_load_extension(True)
samverkan.load(conn)
conn.enable_load_extension(False)
conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='t.kg')")
conn.execute("INSERT INTO kg_nodes(key, kind, name) VALUES ('org:oru', 'actor', 'Örebro universitet')")
print(conn.execute("SELECT kg_version()").fetchone()[0])
print(conn.execute("SELECT key FROM kg_find('kg', 'orebro universitet')").fetchone()[0])
"""
    p = subprocess.run([str(py), "-c", script], cwd=tmp, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["samverkan 0.1.0 (format 3)", "org:oru"]
    # Outside the repository: the package, not the build tree, was used.
    assert not str(py).startswith(str(REPO))


def test_the_package_says_which_sqlite3_cannot_load(venv):
    py, tmp = venv
    script = "import samverkan\ntry:\n    samverkan.load(object())\nexcept RuntimeError as e:\n    print(e)"
    p = subprocess.run([str(py), "-c", script], capture_output=True, text=True, check=True)
    assert "cannot load extensions" in p.stdout


def test_cypher_rows_and_the_dataframe_without_pandas(venv):
    # The venv has no pandas: cypher() works, cypher_df() says what to install.
    py, tmp = venv
    script = """
import sqlite3, samverkan
conn = sqlite3.connect("c.db")
conn.enable_load_extension(True)
samverkan.load(conn)
conn.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='c.kg')")
conn.execute("INSERT INTO kg_nodes(key, kind, name) VALUES ('a', 'actor', 'Alpha')")
print(samverkan.cypher(conn, "MATCH (a:actor) RETURN a.name AS name, $x AS x", {"x": [1]}))
try:
    samverkan.cypher_df(conn, "RETURN 1 AS one")
except ImportError as e:
    print(e)
"""
    p = subprocess.run([str(py), "-c", script], cwd=tmp, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "[{'name': 'Alpha', 'x': [1]}]"
    assert lines[1].startswith("samverkan.cypher_df needs pandas (Debian: apt install python3-pandas")


def test_the_extension_takes_only_glibc_and_the_gcc_runtime_from_the_system(venv):
    py, tmp = venv
    pkg = next((tmp / "venv" / "lib").glob("python3*/site-packages/samverkan"))
    assert (pkg / "py.typed").exists()
    env = {"PATH": "/usr/bin:/bin"}  # no LD_LIBRARY_PATH
    out = subprocess.run(["ldd", str(pkg / "samverkan.so")], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert "not found" not in out, out
    system = set()
    for line in out.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where and not where.startswith(str(pkg / "libs") + "/"):
            system.add(name.split(".so")[0])
    # (libasan and libubsan only in the sanitizer build, whose runtime is preloaded.)
    allowed = {"libc", "libm", "libpthread", "libdl", "librt", "libstdc++", "libgcc_s"}
    if "LD_PRELOAD" in os.environ:
        allowed |= {"libasan", "libubsan"}
    assert system <= allowed, out
    bundled = {p.name.split("-")[0] for p in (pkg / "libs").iterdir()}
    assert {"librocksdb", "libsnappy", "liblz4", "libzstd", "libbz2", "libz", "libfmt",
            "libutf8proc", "libexpat", "libre2", "libabsl_hash"} <= bundled, bundled
