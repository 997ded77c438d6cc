"""`samverkan`'s output beyond import: progress while drawing, export to
standard output, the unknown-command error, and help that matches the docs."""
import json
import os
import pathlib
import pty
import re
import subprocess

from test_cli import write_case

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


def on_a_terminal(cli, tmp_path, *args):
    """Runs `samverkan args` with stderr on a pseudo-terminal; (result, what stderr got)."""
    master, slave = pty.openpty()
    p = subprocess.run([cli, *args], cwd=tmp_path, stderr=slave, stdout=subprocess.PIPE,
                       text=True, timeout=60)
    os.close(slave)
    out = b""
    try:
        while chunk := os.read(master, 65536):
            out += chunk
    except OSError:  # the other end closed
        pass
    os.close(master)
    return p, out.decode()


def test_draw_and_report_show_their_stage_on_a_terminal_only(cli, run, tmp_path):
    write_case(tmp_path)
    assert run("import", "g.kg", "case.json").returncode == 0
    p, shown = on_a_terminal(cli, tmp_path, "draw", "g.kg", "g.svg")
    assert p.returncode == 0
    assert "draw: selecting" in shown
    assert "draw: laying out 2 nodes and 1 tie (stress)" in shown
    assert "draw: writing the SVG (2 nodes, " in shown  # the isolated third left out
    assert shown.endswith("\r" + " " * 80 + "\r")  # the line is erased at the end
    p, shown = on_a_terminal(cli, tmp_path, "report", "g.kg", "r.html")
    assert p.returncode == 0
    assert "report: computing the report's measures" in shown
    r = run("draw", "g.kg", "h.html")
    assert r.returncode == 0 and r.stderr == ""  # not a terminal: nothing drawn


def test_export_to_standard_output(run, tmp_path):
    write_case(tmp_path)
    assert run("import", "g.kg", "case.json").returncode == 0
    assert run("export", "g.kg", "g.jsonl").returncode == 0
    r = run("export", "g.kg", "-", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (tmp_path / "g.jsonl").read_text()
    assert r.stderr == "exported 3 nodes and 1 edges to standard output\n"
    # The pictures leave out the node with no tie, as drawings do by default.
    for fmt, start, nodes in [("graphml", "<?xml", 3), ("gexf", "<?xml", 3),
                              ("dot", "digraph", 3), ("svg", "<svg", 2),
                              ("html", "<!doctype html", 2)]:
        r = run("export", "g.kg", "-", "-f", fmt, "--json")
        assert r.returncode == 0, (fmt, r.stderr)
        assert start.lower() in r.stdout[:200].lower(), (fmt, r.stdout[:80])
        assert json.loads(r.stderr)["nodes"] == nodes, fmt
    assert not (tmp_path / "-").exists()
    r = run("export", "g.kg", "-")
    assert r.returncode == 2 and "needs --format" in r.stderr
    r = run("export", "g.kg", "-", "-f", "csv")
    assert r.returncode == 2 and "cannot go to standard output" in r.stderr


def test_an_unknown_command_is_named_with_the_commands(run):
    r = run("frobnicate", "x")
    assert r.returncode == 2
    assert r.stderr == ("samverkan: unknown command 'frobnicate'; commands are: import, export, "
                        "draw, report, stats, check, settle (samverkan --help)\n")


def test_the_docs_count_the_commands_and_agree_on_the_default_layout(run):
    commands = re.search(r"commands are: ([a-z, ]+)", run("frobnicate").stderr).group(1)
    count = len(commands.split(", "))
    words = {4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"One binary, {words[count]} subcommands" in (DOCS / "cli.md").read_text()
    help_text = " ".join(run("draw", "--help").stdout.split())
    assert "--layout TEXT auto (default:" in help_text
    assert "| `layout` | `--layout` | `auto` |" in (DOCS / "pictures.md").read_text()
