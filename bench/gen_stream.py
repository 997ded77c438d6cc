#!/usr/bin/python3
"""The collaboration graph of ../shared/bench/gen_collab_graph.py, streamed.

Same model, same files (nodes.csv, edges.csv, params.json, same columns, `--props`
too), but the edges are made and written one block of actors at a time, so that
10M and 100M edges fit: the shared generator keeps every edge in a Python set
(about 150 bytes an edge), this one keeps one block (~4M edges) in numpy arrays
and a few arrays with one number per node (~40 bytes a node).

    bench/gen_stream.py medium OUT            # 100k nodes / 1M edges
    bench/gen_stream.py huge OUT --props      # 10M nodes / 100M edges
    bench/gen_stream.py 5000:20000 OUT --seed 7

Model (as the shared generator's docstring says): ids 0..N-1; regions ~sqrt(N)/2, projects
20% of nodes, actors the rest; every actor has one `located_in` edge to a region drawn with
Zipf-like weights 1/(i+1)^0.8; the other edges are actor -> project `participates_in`, both
ends drawn with Pareto weights (actors alpha 1.6, projects 1.4), duplicate pairs removed,
written sorted by (actor, project). Python's paretovariate(a) is Pareto I (>= 1); numpy's
pareto(a) is Lomax, so 1 is added.

How the dedup is streamed: actors are cut into blocks of about --block-edges expected
edges. Each block's share of the n_part participations is drawn once, multinomially by
its share of the actors' weight; then the block draws (actor, project) pairs until it has
that many distinct ones and keeps the first ones in draw order, as the shared generator
keeps the first n_part distinct pairs. A pair can only repeat within its actor's block, so
this is the shared generator's dedup, done per block. The one difference: there, each block
gets a share of the draws and loses its duplicates; here it gets a share of the distinct
pairs. Blocks of hot actors (which repeat pairs most) therefore keep slightly more edges;
bench/gen_stream_check.py measures how much on `medium`.

The random streams are numpy's (PCG64), not Python's, so a seed gives a graph of the
same shape, not the same graph as the shared generator. Properties come from their own
stream, so the graph is the same with and without --props.

Why chunked Python with numpy, not C++: numpy (python3-numpy) is already a dependency,
the model stays next to the shared one line by line, and generating is not the bottleneck
of the scaling run (loading is); writing the CSV text is most of its time.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

SIZES = {
    "small": (10_000, 50_000),
    "medium": (100_000, 1_000_000),
    "large": (1_000_000, 10_000_000),
    "huge": (10_000_000, 100_000_000),
}
SECTORS = ["academia", "business", "public", "nonprofit"]
SECTOR_W = [0.35, 0.35, 0.15, 0.15]
COUNTRIES = ["DE", "FR", "ES", "IT", "UK", "NL", "BE", "SE", "NO", "CH", "AT", "PL", "PT", "EL", "FI",
             "DK", "IE", "CZ", "HU", "RO", "SI", "EE", "LT", "LV", "MT", "CY", "LU", "SK", "BG", "HR"]
ROLES = ["participant", "coordinator", "partner", "third_party"]
ROLE_W = [0.78, 0.08, 0.10, 0.04]
MONTHS = [12, 24, 36, 36, 48, 60]
ACTOR_ALPHA = 1.6    # Pareto exponents of the shared generator
PROJECT_ALPHA = 1.4
REGION_ZIPF = 0.8
NODE_CHUNK = 1 << 20
LINE_CHUNK = 1 << 19


def probabilities(w):
    w = np.asarray(w, dtype=np.float64)
    return w / w.sum()


def write_nodes(f, a, layout, rng, prng):
    """nodes.csv, written in chunks; returns the actors' regions (their located_in edges)."""
    n_regions, n_projects, n_actors = layout
    region_p = probabilities(1.0 / np.arange(1, n_regions + 1) ** REGION_ZIPF)
    actor_region = rng.choice(n_regions, size=n_actors, p=region_p).astype(np.int32)
    actor_sector = rng.choice(len(SECTORS), size=n_actors, p=probabilities(SECTOR_W))
    project_region = rng.choice(n_regions, size=n_projects, p=region_p)
    extra = "," if a.props else ""
    f.write("id,label,name,sector,region" + (",country" if a.props else "") + "\n")
    f.write("".join(f"{r},region,region_{r},,region_{r}{extra}\n" for r in range(n_regions)))
    for lo in range(0, n_projects, NODE_CHUNK):
        regs = project_region[lo:lo + NODE_CHUNK].tolist()
        f.write("".join(f"{n_regions + lo + i},project,project_{n_regions + lo + i},,region_{r}{extra}\n"
                        for i, r in enumerate(regs)))
    a0 = n_regions + n_projects
    for lo in range(0, n_actors, NODE_CHUNK):
        regs = actor_region[lo:lo + NODE_CHUNK].tolist()
        secs = [SECTORS[s] for s in actor_sector[lo:lo + NODE_CHUNK].tolist()]
        if a.props:
            cs = [","+COUNTRIES[c] for c in prng.integers(0, len(COUNTRIES), size=len(regs)).tolist()]
        else:
            cs = [""] * len(regs)
        f.write("".join(f"{a0 + lo + i},actor,actor_{a0 + lo + i},{s},region_{r}{c}\n"
                        for i, (r, s, c) in enumerate(zip(regs, secs, cs))))
    return actor_region


def block_pairs(rng, cw, lo, hi, proj_cw, quota, n_projects):
    """`quota` distinct (actor, project) pairs of actors lo..hi-1 (indices into the actors),
    sorted; as the shared generator: draw, drop repeats, keep the first ones drawn."""
    base = cw[lo - 1] if lo else 0.0
    span = cw[hi - 1] - base
    keys = np.empty(0, dtype=np.int64)
    while True:
        need = quota - len(keys)
        k = need + need // 10 + 16
        xs = np.searchsorted(cw[lo:hi], base + rng.random(k) * span, side="right")
        np.minimum(xs, hi - lo - 1, out=xs)  # a draw of exactly the top edge
        ps = np.searchsorted(proj_cw, rng.random(k) * proj_cw[-1], side="right")
        np.minimum(ps, n_projects - 1, out=ps)
        drawn = np.concatenate([keys, xs.astype(np.int64) * n_projects + ps])
        _, first = np.unique(drawn, return_index=True)
        first.sort()  # distinct pairs in the order they were first drawn
        keys = drawn[first]
        if len(keys) >= quota:
            keys = np.sort(keys[:quota])
            return keys // n_projects + lo, keys % n_projects


def edge_props(prng, n):
    """role, contribution, valid_from, valid_to of n participations, as text."""
    roles = prng.choice(len(ROLES), size=n, p=probabilities(ROLE_W)).tolist()
    amounts = np.round(prng.lognormal(12.0, 1.1, size=n), 2).tolist()
    ys = prng.integers(2007, 2025, size=n)
    ms = prng.integers(1, 13, size=n)
    months = np.asarray(MONTHS)[prng.integers(0, len(MONTHS), size=n)]
    eys = ys + (ms - 1 + months) // 12
    ems = (ms - 1 + months) % 12 + 1
    return [f",{ROLES[r]},{amt},{y:04d}-{m:02d}-01,{ey:04d}-{em:02d}-01"
            for r, amt, y, m, ey, em in zip(roles, amounts, ys.tolist(), ms.tolist(),
                                            eys.tolist(), ems.tolist())]


def generate(size, outdir, seed=42, props=False, block_edges=4_000_000, quiet=False):
    """Writes the graph into outdir; returns params (as written to params.json)."""
    a = argparse.Namespace(props=props)
    n_nodes, n_edges = SIZES[size] if size in SIZES else (int(x) for x in size.split(":"))
    rng = np.random.default_rng(seed)
    prng = np.random.default_rng(seed * 7919 + 1)  # properties only
    os.makedirs(outdir, exist_ok=True)
    n_regions = max(10, round(math.sqrt(n_nodes) / 2))
    n_projects = n_nodes // 5
    n_actors = n_nodes - n_regions - n_projects
    p0, a0 = n_regions, n_regions + n_projects
    n_part = n_edges - n_actors
    if n_part <= 0:
        raise ValueError("need more edges than actors")

    with open(os.path.join(outdir, "nodes.csv"), "w", buffering=1 << 22) as f:
        actor_region = write_nodes(f, a, (n_regions, n_projects, n_actors), rng, prng)

    actor_cw = np.cumsum(rng.pareto(ACTOR_ALPHA, size=n_actors) + 1.0)
    proj_cw = np.cumsum(rng.pareto(PROJECT_ALPHA, size=n_projects) + 1.0)
    # Blocks of actors with about block_edges expected participations each.
    n_blocks = max(1, math.ceil(n_part / block_edges))
    cuts = np.searchsorted(actor_cw, actor_cw[-1] * np.arange(1, n_blocks) / n_blocks)
    bounds = np.unique(np.concatenate([[0], cuts, [n_actors]]))
    weight = np.diff(np.concatenate([[0.0], actor_cw[bounds[1:] - 1]]))
    quotas = rng.multinomial(n_part, weight / weight.sum())
    if np.any(quotas > (bounds[1:] - bounds[:-1]) * n_projects):
        raise ValueError("more edges asked than distinct actor-project pairs exist")

    deg = np.zeros(n_nodes, dtype=np.int64)
    with open(os.path.join(outdir, "edges.csv"), "w", buffering=1 << 22) as f:
        f.write("src,dst,type,weight" + (",role,contribution,valid_from,valid_to" if props else "") + "\n")
        none = ",,,," if props else ""
        for lo in range(0, n_actors, NODE_CHUNK):
            regs = actor_region[lo:lo + NODE_CHUNK].tolist()
            f.write("".join(f"{a0 + lo + i},{r},located_in,1.0{none}\n" for i, r in enumerate(regs)))
        deg[a0:] += 1
        deg[:n_regions] += np.bincount(actor_region, minlength=n_regions)
        for b in range(len(bounds) - 1):
            xs, ps = block_pairs(rng, actor_cw, int(bounds[b]), int(bounds[b + 1]), proj_cw,
                                 int(quotas[b]), n_projects)
            xs += a0
            ps += p0
            ws = rng.uniform(0.1, 1.0, size=len(xs))
            for lo in range(0, len(xs), LINE_CHUNK):  # the text of a few lines at a time
                hi = lo + LINE_CHUNK
                tail = edge_props(prng, len(xs[lo:hi])) if props else [""] * len(xs[lo:hi])
                f.write("".join(f"{x},{p},participates_in,{w:.3f}{t}\n" for x, p, w, t in
                                zip(xs[lo:hi].tolist(), ps[lo:hi].tolist(), ws[lo:hi].tolist(), tail)))
            deg += np.bincount(xs, minlength=n_nodes) + np.bincount(ps, minlength=n_nodes)
            if not quiet:
                print(f"block {b + 1}/{len(bounds) - 1}: {len(xs):,} edges", file=sys.stderr,
                      flush=True)

    actor_deg = deg[a0:]
    hub = a0 + int(np.argmax(actor_deg))  # the first actor of highest degree, as max() gives
    med_deg = int(np.sort(actor_deg)[n_actors // 2])
    median = a0 + int(rng.choice(np.flatnonzero(actor_deg == med_deg)))
    non_isolated = np.flatnonzero(deg > 0)
    pairs_q = [rng.choice(non_isolated, 2, replace=False).tolist() for _ in range(10)]
    params = {
        "size": size, "seed": seed, "nodes": n_nodes, "edges": n_actors + n_part,
        "regions": n_regions, "projects": n_projects, "actors": n_actors,
        "hub": hub, "hub_degree": int(deg[hub]), "median": median, "median_degree": med_deg,
        "max_degree_any": int(deg.max()), "isolated_nodes": n_nodes - len(non_isolated),
        "pairs": pairs_q, "generator": "gen_stream.py",
    }
    with open(os.path.join(outdir, "params.json"), "w") as f:
        json.dump(params, f, indent=1)
    return params


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", help=f"{', '.join(SIZES)} or N_NODES:N_EDGES")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--props", action="store_true", help="add country, role, contribution, dates")
    ap.add_argument("--block-edges", type=int, default=4_000_000,
                    help="expected participations per block of actors (memory ~ 100 B each)")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args()
    try:
        params = generate(a.size, a.outdir, a.seed, a.props, a.block_edges, a.quiet)
    except ValueError as e:
        sys.exit(f"gen_stream.py: {e}")
    print(json.dumps({k: v for k, v in params.items() if k != "pairs"}))


if __name__ == "__main__":
    main()
