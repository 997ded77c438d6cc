#!/usr/bin/python3
"""How the HTML drawing behaves in a real browser: load time, and frame
times while the user pans and zooms.

Opens a drawing made by `samverkan draw GRAPH OUT.html` in Debian's
chromium (headless, WebGL through SwiftShader: the CPU draws what a GPU
would, so these are a slow machine's figures), driven over the DevTools
protocol on a pipe (no network port, no extra Python package):

  * load: from navigation to the first frame drawn (the viewer's
    data-ready), and the viewer's own split of it (window.samverkan.timings:
    JSON parse, graph building, sigma's set-up and first render);
  * pan: the mouse drags the drawing for --seconds; zoom: the wheel turns
    in and out for --seconds. Meanwhile a requestAnimationFrame loop in the
    page records every frame; the script reports the median, 95th
    percentile and worst frame interval, and frames per second;
  * hover and click: how long one redraw after a hover (the card) and after
    a click (neighbours highlighted) take.

    /usr/bin/python3 bench/browser_bench.py build/bench/medium.html --repeat 3

Make the drawing of the medium benchmark graph with bench/layout_bench.py's
loading (or `samverkan import` of its CSV with Neo4j-style headers) and
`samverkan draw medium.kg medium.html`; docs/pictures.md has the figures.
"""
import argparse
import fcntl
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
         "--remote-debugging-pipe"]
WIDTH, HEIGHT = 1400, 900


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands) and 4 (replies)."""

    def __init__(self, exe, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # The child gets the pipe ends as fds 3 and 4 (moved out of the way
        # first, in case either already is 3 or 4).
        def child_fds():
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}"],
            preexec_fn=child_fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})

    def eval(self, expression, timeout=600):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "timeout": timeout * 1000})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mouse(self, kind, x, y, **extra):
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, **extra})

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except RuntimeError:
            pass
        self.proc.wait(timeout=30)


RECORD = """(() => { window.__frames = []; window.__recording = true;
  const f = (t) => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(f); };
  requestAnimationFrame(f); return true; })()"""
STOP = """new Promise((done) => { window.__recording = false;
  requestAnimationFrame(() => done(window.__frames)); })"""


def frames(browser, gesture, seconds):
    """Frame intervals (ms) while `gesture` runs for `seconds`."""
    browser.eval(RECORD)
    gesture(browser, seconds)
    stamps = browser.eval(STOP)
    return [b - a for a, b in zip(stamps, stamps[1:])]


def graph_box(browser):
    return browser.eval("""(() => { const r = document.getElementById('graph')
      .getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()""")


def pan(browser, seconds):
    left, top, w, h = graph_box(browser)
    x, y = left + w / 2, top + h / 2
    browser.mouse("mousePressed", x, y, button="left", buttons=1, clickCount=1)
    end = time.monotonic() + seconds
    step = 0
    while time.monotonic() < end:
        step += 1
        dx = 120 * ((step // 40) % 2 * 2 - 1)  # back and forth
        x += dx / 40
        browser.mouse("mouseMoved", x, y + (step % 40) - 20, button="left", buttons=1)
        time.sleep(0.016)
    browser.mouse("mouseReleased", x, y, button="left", buttons=0, clickCount=1)


def zoom(browser, seconds):
    left, top, w, h = graph_box(browser)
    x, y = left + w / 2, top + h / 2
    end = time.monotonic() + seconds
    step = 0
    while time.monotonic() < end:
        step += 1
        delta = -120 if (step // 10) % 2 == 0 else 120  # in, then out
        browser.send("Input.dispatchMouseEvent",
                     {"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": delta})
        time.sleep(0.05)


def summary(intervals):
    intervals = sorted(intervals)
    if not intervals:
        return {"frames": 0}
    return {"frames": len(intervals) + 1,
            "median_ms": round(statistics.median(intervals), 1),
            "p95_ms": round(intervals[int(0.95 * (len(intervals) - 1))], 1),
            "max_ms": round(intervals[-1], 1),
            "fps": round(1000 * len(intervals) / sum(intervals), 1)}


def one_run(exe, url, seconds):
    profile = tempfile.mkdtemp(prefix="browser-bench-")
    browser = Browser(exe, profile)
    try:
        t = time.perf_counter()
        browser.open(url)
        while browser.eval("document.body && document.body.dataset.ready || ''") != "1":
            if browser.eval("document.getElementById('errors') && "
                            "document.getElementById('errors').textContent || ''"):
                raise RuntimeError(browser.eval("document.getElementById('errors').textContent"))
            time.sleep(0.05)
        out = {"load_s": round(time.perf_counter() - t, 2),
               "timings_ms": browser.eval("window.samverkan.timings"),
               "drawn": browser.eval("[document.body.dataset.nodes, document.body.dataset.edges]")}
        time.sleep(1)  # let the first frames settle
        out["pan"] = summary(frames(browser, pan, seconds))
        out["zoom"] = summary(frames(browser, zoom, seconds))
        out["hover_ms"] = browser.eval("""(() => { const s = window.samverkan;
          const node = s.graph.nodes()[0], t = performance.now();
          s.renderer.emit('enterNode', { node }); s.renderer.emit('leaveNode', { node });
          return Math.round(performance.now() - t); })()""")
        out["click_ms"] = browser.eval("""(() => { const s = window.samverkan;
          const node = s.graph.nodes()[0], t = performance.now();
          s.select(node); s.select(null); return Math.round(performance.now() - t); })()""")
        return out
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page", type=pathlib.Path, help="an HTML drawing")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = ap.parse_args()
    url = args.page.resolve().as_uri()
    runs = []
    for i in range(args.repeat):
        runs.append(one_run(args.chromium, url, args.seconds))
        print(json.dumps(runs[-1]), flush=True)
    def med(get):
        return statistics.median(get(r) for r in runs)
    print(f"\n{args.page.name} ({args.page.stat().st_size / 1e6:.1f} MB), median of {len(runs)}:")
    print(f"  load to first frame {med(lambda r: r['load_s']):.2f} s")
    for gesture in ("pan", "zoom"):
        print(f"  {gesture}: median frame {med(lambda r: r[gesture]['median_ms']):.1f} ms, "
              f"95th percentile {med(lambda r: r[gesture]['p95_ms']):.1f} ms, "
              f"worst {med(lambda r: r[gesture]['max_ms']):.1f} ms, "
              f"{med(lambda r: r[gesture]['fps']):.1f} frames/s")
    print(f"  hover redraw {med(lambda r: r['hover_ms']):.0f} ms, "
          f"click redraw {med(lambda r: r['click_ms']):.0f} ms")


if __name__ == "__main__":
    main()
