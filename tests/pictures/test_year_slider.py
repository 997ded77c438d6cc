"""The HTML drawing's year slider in chromium: on a generated network with
dated participations and partnerships (some undated), the ties sigma shows
for a year or a range of years are exactly those valid in it, worked out
here from the generated file alone (a tie is valid in a year when one of its
edges' validity overlaps it; through shared projects, when both
participations are valid in it), and the nodes shown are their ends."""
import json
import random
import re
import subprocess

import pytest

from test_browser import no_errors

ACTORS, PROJECTS, PARTNERSHIPS = 40, 14, 25
OPEN = (-10**9, 10**9)


@pytest.fixture(scope="module")
def dated(cli, tmp_path_factory):
    """The generated graph, its drawings, and its edges as (src, dst, type, years)."""
    d = tmp_path_factory.mktemp("years")
    rng = random.Random(2016)
    lines = [json.dumps({"key": f"a{i}", "kind": "actor", "name": f"Actor {i}",
                         "sector": rng.choice(["academia", "business", "public"])})
             for i in range(ACTORS)]
    lines += [json.dumps({"key": f"p{i}", "kind": "project", "name": f"Project {i}"})
              for i in range(PROJECTS)]
    edges = []

    def edge(src, type_, dst, dated_=True):
        e = {"src": src, "type": type_, "dst": dst}
        years = OPEN
        if dated_:
            start = rng.randint(2010, 2020)
            end = start + rng.randint(0, 3)
            e.update(valid_from=f"{start}-{rng.randint(1, 6):02d}-01", valid_to=f"{end}-{rng.randint(6, 12):02d}-28")
            years = (start, end)
        lines.append(json.dumps(e))
        edges.append((src, dst, type_, years))

    for i in range(ACTORS - 4):  # the last four actors are in no project
        for p in sorted({rng.randrange(PROJECTS) for _ in range(rng.randint(1, 3))}):
            edge(f"a{i}", "participates_in", f"p{p}")
    for _ in range(PARTNERSHIPS):
        a, b = rng.sample(range(ACTORS), 2)
        edge(f"a{a}", "partners_with", f"a{b}", dated_=rng.random() < 0.8)
    (d / "g.jsonl").write_text("\n".join(lines) + "\n")
    subprocess.run([cli, "import", str(d / "g.kg"), str(d / "g.jsonl"), "-q"], check=True)
    subprocess.run([cli, "draw", str(d / "g.kg"), str(d / "direct.html")], check=True,
                   capture_output=True)
    subprocess.run([cli, "draw", str(d / "g.kg"), str(d / "via.html"), "--via", "project"],
                   check=True, capture_output=True)
    return d, edges


def overlaps(years, lo, hi):
    return years[0] <= hi and years[1] >= lo


def expected_direct(edges, lo=OPEN[0], hi=OPEN[1]):
    return {frozenset((s, t)) for s, t, _, y in edges if s != t and overlaps(y, lo, hi)}


def expected_via(edges, lo=None, hi=None):
    """Actors tied through a project both take part in, in a common year in
    [lo, hi]; without years, whenever (the drawing with all years shows
    every projected tie, also those never valid together)."""
    members = {}
    for s, t, type_, y in edges:
        if type_ == "participates_in":
            members.setdefault(t, []).append((s, y))
    ties = set()
    for people in members.values():
        for i, (a, ya) in enumerate(people):
            for b, yb in people[i + 1:]:
                both = (max(ya[0], yb[0]), min(ya[1], yb[1]))
                if a != b and (lo is None or both[0] <= both[1] and overlaps(both, lo, hi)):
                    ties.add(frozenset((a, b)))
    return ties


def counted(ties, nodes):
    return (f"{ties} tie{'' if ties == 1 else 's'} and {nodes} node{'' if nodes == 1 else 's'} "
            "shown")


def drawn(chromium, page, years=None):
    """(nodes, ties, the #shown text) sigma shows on `page` with the slider at `years`."""
    url = page.as_uri() + "#list=1" + (f"&years={years}" if years else "")
    dom, console = chromium.dom(url)
    no_errors(console, dom)
    assert 'data-ready="1"' in dom, "sigma did not render"
    listed = re.search(r'<pre id="drawn" hidden="">(.*?)</pre>', dom, re.S).group(1).split("\n")
    nodes = {line for line in listed if line and " " not in line}
    ties = {frozenset(line.split(" ")) for line in listed if " " in line}
    shown = re.search(r'<p id="shown">([^<]*)</p>', dom).group(1)
    return nodes, ties, shown


@pytest.mark.parametrize("page,expect", [("direct.html", expected_direct),
                                         ("via.html", expected_via)])
def test_the_year_slider_shows_the_ties_valid_in_the_chosen_years(dated, chromium, page, expect):
    d, edges = dated
    every = expect(edges)
    nodes, ties, shown = drawn(chromium, d / page)
    assert ties == every  # all years: every drawn tie
    assert nodes == set().union(*every)
    assert shown == counted(len(every), len(nodes))
    for years, (lo, hi) in [("2011", (2011, 2011)), ("2016-2017", (2016, 2017)),
                            ("2022-2023", (2022, 2023))]:
        want = expect(edges, lo, hi)
        assert len(want) < len(every)  # the slider has something to hide
        nodes, ties, shown = drawn(chromium, d / page, years)
        assert ties == want, years
        assert nodes == set().union(*want), years
        label = years.replace("-", "\u2013")
        assert shown == f"{counted(len(want), len(nodes))} ({label})"
