"""Normalised stress: how well a drawing's distances match the graph's.

For every pair (i, j) of nodes in one component, with d_ij their distance in
hops and e_ij their distance in the drawing,

    stress = min over s of  sum (s * e_ij - d_ij)^2 / d_ij^2  /  (number of pairs)

The scale s that minimises it is found in closed form, so the measure does
not depend on the drawing's units (a drawing scaled to a canvas scores as
its layout does). 0 is perfect. Pairs in different components have no
distance and are left out. With `sources`, only pairs from that many
sources (drawn with a fixed seed) are counted: an unbiased estimate for
large graphs.

Used by bench/layout_bench.py and tests/sqlite/test_pictures.py; needs
python3-igraph for the distances.
"""
import random
import xml.etree.ElementTree as ET


def normalised_stress(graph, coords, sources=None):
    """graph: an igraph.Graph; coords: [(x, y)] per vertex."""
    n = graph.vcount()
    srcs = list(range(n))
    if sources is not None and n > sources:
        srcs = random.Random(1).sample(range(n), sources)
    a = b = 0.0
    pairs = 0
    for s, row in zip(srcs, graph.distances(source=srcs)):
        xs, ys = coords[s]
        for t, d in enumerate(row):
            if t == s or d == float("inf"):
                continue
            e = ((coords[t][0] - xs) ** 2 + (coords[t][1] - ys) ** 2) ** 0.5
            r = e / d
            a += r
            b += r * r
            pairs += 1
    if pairs == 0 or b == 0:
        return float("nan")
    scale = a / b
    return (scale * scale * b - 2 * scale * a + pairs) / pairs


def svg_positions(path):
    """{key: (x, y)} of the nodes of a Samverkan SVG drawing."""
    ns = "{http://www.w3.org/2000/svg}"
    out = {}
    for c in ET.parse(path).iter(ns + "circle"):
        key = c.get("data-key")
        if key is not None:
            out[key] = (float(c.get("cx")), float(c.get("cy")))
    return out
