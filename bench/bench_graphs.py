"""The generated collaboration graphs every benchmark runs on.

The generator, gen_collab_graph.py, is shared by the team and lives beside the
repository, in ../shared/bench/ (the brief's benchmark graphs: seed 42, `small`
10k nodes / 50k edges, `medium` 100k / 1M, `large` 1M / 10M). A size is
generated once and cached in a work directory (bench/data/ by default,
git-ignored); every script reads the same cached copy.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "bench" / "gen_collab_graph.py"
SIZES = ("small", "medium", "large")


def find_generator(explicit: str | Path | None = None) -> Path:
    """The generator script, or exit with a message saying where it was looked for."""
    path = Path(explicit) if explicit else GENERATOR
    if not path.is_file():
        where = "given with --generator" if explicit else \
            "expected beside the repository, in ../shared/bench/"
        sys.exit(f"graph generator not found: {path} ({where}); "
                 "pass --generator PATH to use another copy")
    return path


def resolve_graph(spec: str, workdir: Path, generator: str | Path | None = None,
                  props: bool = False) -> Path:
    """The directory holding nodes.csv, edges.csv and params.json for `spec`.

    `spec` is a directory that already holds them, one of SIZES, or
    N_NODES:N_EDGES. A size is generated once into workdir/<size> (seed 42;
    with `props`, into workdir/<size>-props by the generator's --props):
    into a temporary directory that is then renamed, so an interrupted run
    never leaves half a graph in the cache.
    """
    given = Path(spec)
    if (given / "params.json").exists():
        return given
    if spec not in SIZES and ":" not in spec:
        sys.exit(f"{spec!r} is neither a graph directory nor one of {', '.join(SIZES)} "
                 "(or N_NODES:N_EDGES)")
    target = workdir / (spec.replace(":", "_") + ("-props" if props else ""))
    if (target / "params.json").exists():
        return target
    gen = find_generator(generator)
    workdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".gen-{target.name}-", dir=workdir))
    print(f"generating the {spec} graph into {target} ...", file=sys.stderr, flush=True)
    try:
        subprocess.run([sys.executable, str(gen), spec, str(tmp), "--seed", "42",
                        *(["--props"] if props else [])], check=True, stdout=subprocess.DEVNULL)
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is not
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def with_headers(graph_dir: Path, out_dir: Path, nodes_header: str, edges_header: str) -> Path:
    """Copies of the graph's nodes.csv and edges.csv under other header lines
    (Samverkan's importer reads Neo4j-style headers); returns out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, header in (("nodes.csv", nodes_header), ("edges.csv", edges_header)):
        with open(graph_dir / name, "rb") as src, open(out_dir / name, "wb") as dst:
            src.readline()  # the generator's header
            dst.write(header.encode() + b"\n")
            shutil.copyfileobj(src, dst, 1 << 24)
    return out_dir
