"""The pictures in a real browser (Debian's chromium, headless): each kind
of page opens without a console error, draws what it should, and searching
the HTML drawing for `orebro` finds Örebro universitet. Screenshots go to
--shots (the build directory's pictures/ under ctest)."""
import re

import pytest


def no_errors(console, page_dom=None):
    """A page without scripts must log nothing; the HTML drawing collects
    its errors (console.error, uncaught errors) into #errors."""
    uncaught = [line for line in console if "Uncaught" in line or "Error" in line]
    assert not uncaught, "\n".join(uncaught)
    if page_dom is not None:
        errors = re.search(r'<pre id="errors"[^>]*>(.*?)</pre>', page_dom, re.S)
        assert errors is not None and errors.group(1) == "", errors and errors.group(1)


def png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return data


def test_svg_drawing(sample, chromium, shots):
    url = (sample / "msi.svg").as_uri()
    dom, console = chromium.dom(url)
    assert console == []
    assert len(re.findall(r"<circle [^>]*data-key=", dom)) == 48
    assert len(re.findall(r"<line ", dom)) == 68
    assert re.findall(r'<g class="legend-entry">.*?<text[^>]*>([^<]*)</text>', dom) == [
        "academia (12)", "nonprofit (2)", "public (2)", "(none) (32)"]
    assert "Örebro universitet" in dom
    _, console = chromium.screenshot(url, shots / "drawing-svg.png", "1240,900")
    assert console == []
    png(shots / "drawing-svg.png")


@pytest.mark.parametrize("page,legend", [("msi.html", 4), ("community.html", 8)])
def test_html_drawing_draws_and_searches(sample, chromium, shots, page, legend):
    url = (sample / page).as_uri() + "#search=orebro"
    dom, console = chromium.dom(url)
    no_errors(console, dom)
    body = re.search(r"<body([^>]*)>", dom).group(1)
    assert 'data-ready="1"' in body, "sigma did not render"
    assert 'data-nodes="48"' in body and 'data-edges="68"' in body
    # The WebGL canvases sigma draws into.
    assert dom.count("<canvas") >= 2
    assert len(re.findall(r'<input type="checkbox"[^>]*id="group-', dom)) == legend
    found = re.findall(r'<li data-key="([^"]*)">([^<]*)</li>', dom)
    assert ("org:orebro-universitet", "Örebro universitet") in found
    shot = shots / page.replace(".html", "-html.png")
    _, console = chromium.screenshot(url, shot)
    no_errors(console)
    png(shot)


def test_report_prints(sample, chromium, shots):
    url = (sample / "report.html").as_uri()
    dom, console = chromium.dom(url, budget_ms=1000)
    assert console == []
    for section in ["counts", "mixing", "years", "central", "brokers", "communities", "drawing"]:
        assert f'<section id="{section}">' in dom
    assert "Mötesplats Social Innovation" in dom
    _, console = chromium.screenshot(url, shots / "report.png", "1100,2400", budget_ms=1000)
    png(shots / "report.png")
    _, console = chromium.pdf(url, shots / "report.pdf")
    pdf = (shots / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 8, pages
