"""bench/gen_stream.py makes the shared generator's graph shape (bench/gen_stream_check.py),
and the check tells a different shape apart.

    /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/test_gen_stream.py   (ctest: test_gen_stream)

Small graphs (40k nodes / 200k edges, a few seconds); the `medium` comparison is
`bench/gen_stream_check.py medium` (docs/performance.md, "Scaling curve").
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
import gen_stream  # noqa: E402
import gen_stream_check  # noqa: E402

SIZE = "40000:200000"


@pytest.fixture(scope="module")
def shared_stats(tmp_path_factory):
    if not gen_stream_check.SHARED.is_file():
        pytest.skip(f"the shared generator is not at {gen_stream_check.SHARED}")
    out = tmp_path_factory.mktemp("shared")
    subprocess.run([sys.executable, str(gen_stream_check.SHARED), SIZE, str(out), "--seed", "42"],
                   check=True, stdout=subprocess.DEVNULL)
    return gen_stream_check.degree_stats(out)


def test_same_shape_as_the_shared_generator(shared_stats, tmp_path):
    gen_stream.generate(SIZE, tmp_path, seed=42, quiet=True)
    assert gen_stream_check.compare(shared_stats, gen_stream_check.degree_stats(tmp_path)) == []


def test_other_exponents_are_told_apart(shared_stats, tmp_path, monkeypatch):
    monkeypatch.setattr(gen_stream, "ACTOR_ALPHA", 1.3)
    monkeypatch.setattr(gen_stream, "PROJECT_ALPHA", 2.0)
    gen_stream.generate(SIZE, tmp_path, seed=42, quiet=True)
    bad = gen_stream_check.compare(shared_stats, gen_stream_check.degree_stats(tmp_path))
    assert any(b.startswith("project") for b in bad) and any(b.startswith("actor") for b in bad)


def test_files_params_and_props(tmp_path):
    """No repeated pair, sorted as the shared generator writes them, every actor located once,
    params.json's hub the actor of highest degree, and --props adds columns, not edges."""
    plain, props = tmp_path / "plain", tmp_path / "props"
    # Small blocks, so that several blocks (and their dedup) are exercised.
    p = gen_stream.generate("5000:40000", plain, seed=3, quiet=True, block_edges=5000)
    gen_stream.generate("5000:40000", props, seed=3, props=True, quiet=True, block_edges=5000)
    with open(plain / "edges.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["src", "dst", "type", "weight"] and len(rows) - 1 == p["edges"] == 40000
    part = [(int(r[0]), int(r[1])) for r in rows[1:] if r[2] == "participates_in"]
    located = [int(r[0]) for r in rows[1:] if r[2] == "located_in"]
    assert part == sorted(set(part))
    assert sorted(located) == list(range(p["regions"] + p["projects"], p["nodes"]))
    deg = {}
    for r in rows[1:]:
        for v in (int(r[0]), int(r[1])):
            deg[v] = deg.get(v, 0) + 1
    assert deg[p["hub"]] == p["hub_degree"] == max(deg[v] for v in located)
    assert json.loads((props / "params.json").read_text()) == json.loads(
        (plain / "params.json").read_text())
    with open(props / "edges.csv", newline="") as f:
        prow = list(csv.reader(f))
    assert prow[0][4:] == ["role", "contribution", "valid_from", "valid_to"]
    assert [r[:4] for r in prow] == [rows[0]] + rows[1:]
    roles = {r[4] for r in prow[1:] if r[2] == "participates_in"}
    assert roles == set(gen_stream.ROLES)
    assert all(r[6] < r[7] for r in prow[1:] if r[2] == "participates_in")
