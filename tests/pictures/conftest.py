"""Fixtures for the browser tests: the samverkan tool (--cli), Debian's
chromium, and the sample graph with its drawing and report."""
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    parser.addoption("--cli", default=str(REPO / "build" / "bin" / "samverkan"),
                     help="the samverkan tool")
    parser.addoption("--shots", default=None, help="directory for the screenshots")


@pytest.fixture(scope="session")
def cli(request):
    path = request.config.getoption("--cli")
    if not pathlib.Path(path).exists():
        pytest.fail(f"samverkan tool not built: {path}")
    return path


@pytest.fixture(scope="session")
def shots(request, tmp_path_factory):
    d = request.config.getoption("--shots")
    path = pathlib.Path(d) if d else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def sample(cli, tmp_path_factory):
    """The sample graph (data/sample) with its drawings and report."""
    d = tmp_path_factory.mktemp("sample")
    files = sorted(str(p) for p in (REPO / "data" / "sample").glob("[0-9]*.json"))
    subprocess.run([cli, "import", str(d / "msi.kg"), *files, "-q"], check=True)
    for args in (["draw", "msi.svg"], ["draw", "msi.html"], ["draw", "community.html", "--color",
                                                            "community"],
                 ["report", "report.html"]):
        subprocess.run([cli, args[0], str(d / "msi.kg"), str(d / args[1]), *args[2:]],
                       check=True, capture_output=True)
    return d


class Chromium:
    """Debian's chromium, headless, one fresh profile per run."""

    FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
             # WebGL without a GPU: SwiftShader, which must be asked for.
             "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]

    def __init__(self, exe, tmp):
        self.exe = exe
        self.tmp = tmp
        self.runs = 0

    def run(self, url, *args):
        """(stdout, console lines) of one run."""
        self.runs += 1
        profile = self.tmp / f"profile{self.runs}"
        p = subprocess.run([self.exe, *self.FLAGS, f"--user-data-dir={profile}", *args, url],
                           capture_output=True, text=True, timeout=120)
        console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
        return p.stdout, console

    # The budget is virtual time, which runs ahead while the page is idle, so
    # a generous one costs little; 5 s once ran out before sigma's first
    # frame on a loaded machine.
    def dom(self, url, budget_ms=20000):
        return self.run(url, f"--virtual-time-budget={budget_ms}", "--dump-dom")

    def screenshot(self, url, out, size="1400,900", budget_ms=20000):
        return self.run(url, f"--virtual-time-budget={budget_ms}", f"--screenshot={out}",
                        f"--window-size={size}")

    def pdf(self, url, out):
        return self.run(url, f"--print-to-pdf={out}", "--no-pdf-header-footer")


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed (scripts/install-deps.sh installs it)")
    return Chromium(exe, tmp_path_factory.mktemp("chromium"))
