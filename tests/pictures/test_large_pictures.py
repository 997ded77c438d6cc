"""Large pictures (the slow tier, ctest label `slow`: scripts/test-slow.sh):
a collaboration network of 80,000 actors and 16,000 projects, dated, drawn
as SVG and HTML and reported on through the samverkan tool, and the HTML
pages opened in chromium. Each picture shows every node and tie it says it
does, and the pages load without an error."""
import json
import random
import re
import subprocess

import pytest

from test_browser import no_errors

ACTORS, PROJECTS = 80000, 16000
SECTORS = ["academia", "business", "public", "nonprofit"]


@pytest.fixture(scope="module")
def large(cli, tmp_path_factory):
    d = tmp_path_factory.mktemp("large")
    rng = random.Random(21)
    lines = [json.dumps({"key": f"a{i}", "kind": "actor", "name": f"Actor {i}",
                         "sector": rng.choice(SECTORS)}) for i in range(ACTORS)]
    lines += [json.dumps({"key": f"p{i}", "kind": "project", "name": f"Project {i}"})
              for i in range(PROJECTS)]
    for i in range(ACTORS):  # each actor in one to three projects
        for p in {rng.randrange(PROJECTS) for _ in range(rng.randint(1, 3))}:
            start = rng.randint(2005, 2020)
            lines.append(json.dumps({"src": f"a{i}", "type": "participates_in", "dst": f"p{p}",
                                     "valid_from": f"{start}-01-01",
                                     "valid_to": f"{start + rng.randint(0, 4)}-12-31"}))
    (d / "large.jsonl").write_text("\n".join(lines) + "\n")
    done = subprocess.run([cli, "import", str(d / "large.kg"), str(d / "large.jsonl"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return d


def run(cli, *args):
    done = subprocess.run([cli, *args, "--json"], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_large_svg_draws_every_node_and_tie(cli, large):
    summary = run(cli, "draw", str(large / "large.kg"), str(large / "large.svg"))
    assert summary["nodes"] == ACTORS + PROJECTS
    svg = (large / "large.svg").read_text()
    assert len(re.findall(r"<circle [^>]*data-key=", svg)) == summary["nodes"]
    assert len(re.findall(r"<line ", svg)) == summary["edges"]


def test_a_large_html_drawing_and_report_open_in_the_browser(cli, large, chromium):
    # --isolates: every actor, also the few that share no project (left out
    # by default), so that the page holds all 80,000.
    drawn = run(cli, "draw", str(large / "large.kg"), str(large / "large.html"),
                "--via", "project", "--isolates")
    assert drawn["nodes"] == ACTORS
    reported = run(cli, "report", str(large / "large.kg"), str(large / "report.html"),
                   "--via", "project", "--isolates")
    assert reported["nodes"] == ACTORS
    dom, console = chromium.dom((large / "large.html").as_uri(), budget_ms=60000)
    no_errors(console, dom)
    dom, console = chromium.dom((large / "report.html").as_uri(), budget_ms=60000)
    no_errors(console)
    for section in ["counts", "mixing", "years", "central", "brokers", "communities", "drawing"]:
        assert f'<section id="{section}">' in dom
    # The eight sector pairs (of ten) with the most ties, one line each.
    assert len(re.findall(r"<polyline class=\"series\"", dom)) == 8
