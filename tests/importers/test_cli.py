"""The samverkan command-line tool: subcommands, exit codes, output."""
import json

BAD = __import__("pathlib").Path(__file__).parent / "bad"

CASE = {"format": "samverkan-case/1",
        "source": {"key": "src:t", "title": "T"},
        "actors": [{"key": "org:a", "name": "Å", "sector": "public", "region": "reg:r"}],
        "regions": [{"key": "reg:r", "name": "R", "level": "county"}]}


def write_case(tmp_path, name="case.json", case=CASE):
    (tmp_path / name).write_text(json.dumps(case), encoding="utf-8")
    return name


def test_help_lists_subcommands_and_exit_codes(run):
    r = run("--help")
    assert r.returncode == 0
    for word in ("import", "export", "stats", "check", "settle", "Exit codes"):
        assert word in r.stdout


def test_no_subcommand_is_a_usage_error(run):
    assert run().returncode == 2
    assert run("import").returncode == 2
    assert run("frobnicate", "x").returncode == 2


def test_import_stats_check_export(run, tmp_path):
    write_case(tmp_path)
    r = run("import", "g.kg", "case.json", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"nodes": 3, "edges": 1, "mode": "transaction",
                                    "graph_nodes": 3, "graph_edges": 1}
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    r = run("stats", "g.kg", "--json")
    stats = json.loads(r.stdout)
    assert (stats["nodes"], stats["edges"]) == (3, 1)
    assert stats["kinds"] == {"actor": 1, "region": 1, "source": 1}
    assert stats["sectors"] == {"public": 1}
    assert stats["edge_types"] == {"located_in": 1}
    r = run("check", "g.kg")
    assert r.returncode == 0 and r.stdout.startswith("ok")
    for out in ("g.graphml", "g.gexf", "g.dot", "g.jsonl", "csvdir"):
        r = run("export", "g.kg", out)
        assert r.returncode == 0, r.stderr
        assert "exported 3 nodes and 1 edges" in r.stdout
    assert (tmp_path / "csvdir" / "nodes.csv").exists()


def test_reimport_is_idempotent(run, tmp_path):
    write_case(tmp_path)
    run("import", "g.kg", "case.json")
    before = run("export", "g.kg", "a.jsonl")
    run("import", "g.kg", "case.json")
    run("export", "g.kg", "b.jsonl")
    assert before.returncode == 0
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()


def test_bad_input_exit_1_with_locations_and_graph_unchanged(run, tmp_path):
    write_case(tmp_path)
    run("import", "g.kg", "case.json")
    run("export", "g.kg", "before.jsonl")
    bad = dict(CASE, actors=[{"key": "org:b", "sector": "guild"}], relations=[{"src": "org:b"}])
    write_case(tmp_path, "bad.json", bad)
    r = run("import", "g.kg", "case.json", "bad.json")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == "samverkan: 3 problems; nothing was imported"
    assert all(line.startswith("bad.json:1:") for line in lines[1:])
    run("export", "g.kg", "after.jsonl")
    assert (tmp_path / "before.jsonl").read_text() == (tmp_path / "after.jsonl").read_text()


def test_exit_codes(run, tmp_path):
    assert run("stats", "missing.kg").returncode == 3
    assert run("import", "g.kg", "nope.json").returncode == 4
    (tmp_path / "x.txt").write_text("hello")
    assert run("import", "g.kg", "x.txt").returncode == 1  # format unknown from the name
    assert run("import", "g.kg", "x.txt", "--format", "pdf").returncode == 2
    r = run("import", "g.kg", str(BAD / "csv_bad_values.csv"))
    assert r.returncode == 1
    assert "csv_bad_values.csv:2:9: age: expected an integer, found 'x'" in r.stderr


def test_bulk_flags(run, tmp_path):
    (tmp_path / "n.csv").write_text(":ID,:LABEL\na,actor\nb,actor\n")
    (tmp_path / "e.csv").write_text(":START_ID,:END_ID,:TYPE\na,b,knows\n")
    r = run("import", "g.kg", "n.csv", "e.csv", "--json")
    assert json.loads(r.stdout)["mode"] == "bulk"
    r = run("import", "g.kg", "e.csv", "--bulk")
    assert r.returncode == 1
    assert "needs an empty graph" in r.stderr
    r = run("import", "h.kg", "n.csv", "--no-bulk", "--json")
    assert json.loads(r.stdout)["mode"] == "transaction"
    assert run("import", "h.kg", "n.csv", "--bulk", "--no-bulk").returncode == 2


def test_progress_bar_on_a_terminal(cli, tmp_path):
    import os
    import pty
    import subprocess
    rows = "".join(f"n{i},actor\n" for i in range(200000))
    (tmp_path / "n.csv").write_text(":ID,:LABEL\n" + rows)
    master, slave = pty.openpty()
    p = subprocess.run([cli, "import", "g.kg", "n.csv"], cwd=tmp_path, stderr=slave,
                       stdout=subprocess.PIPE, text=True, timeout=60)
    os.close(slave)
    out = b""
    try:
        while True:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    os.close(master)
    assert p.returncode == 0
    assert b"records/s" in out and b"ETA" in out


def test_add_sector_takes_one_name_each(run, tmp_path):
    (tmp_path / "n.csv").write_text(":ID,:LABEL,sector\na,actor,guild\nb,actor,church\n")
    r = run("import", "g.kg", "--add-sector", "guild", "n.csv", "--add-sector", "church", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(run("stats", "g.kg", "--json").stdout)["sectors"] == {"church": 1, "guild": 1}


def test_check_notes_a_damaged_snapshot_file_without_failing(run, tmp_path):
    # A snapshot file is a cache beside the store: a bad one is a note, and
    # the graph itself is ok (docs/on-disk-format.md, "Snapshot files").
    write_case(tmp_path)
    assert run("import", "g.kg", "case.json").returncode == 0
    (tmp_path / "g.kg" / "snapshot").mkdir(exist_ok=True)
    (tmp_path / "g.kg" / "snapshot" / "csr.svcsr").write_bytes(b"not a snapshot")
    r = run("check", "g.kg")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("note: snapshot file '") and "not a snapshot file" in lines[0]
    assert "rebuilt" in lines[0]
    assert lines[1].startswith("ok: 3 nodes")


def test_import_writes_the_snapshot_file_of_what_it_committed(run, tmp_path):
    # So that the first deep query after the next open maps the file instead
    # of reading the whole graph (docs/cli.md).
    write_case(tmp_path)
    assert run("import", "g.kg", "case.json").returncode == 0
    snapshot = tmp_path / "g.kg" / "snapshot" / "csr.svcsr"
    assert snapshot.is_file()
    first = snapshot.read_bytes()
    r = run("check", "g.kg")
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stdout  # whole and current: no note
    (tmp_path / "more.csv").write_text(":ID,:LABEL\nz,actor\n")
    r = run("import", "g.kg", "more.csv")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert snapshot.read_bytes() != first  # replaced by the snapshot of the second import
    assert run("check", "g.kg").stdout.startswith("ok: 4 nodes")


def test_dates_from_year_one_to_9999_round_trip(run, tmp_path):
    dates = [("0001-01-01", "9999-12-31"), ("1862-05-01", "1969-12-31"), ("1970-01-01", None)]
    lines = [json.dumps({"key": k, "kind": "actor"}) for k in ("a", "b", "c", "d")]
    for dst, (f, t) in zip("bcd", dates):
        e = {"src": "a", "type": "funds", "dst": dst, "valid_from": f}
        if t:
            e["valid_to"] = t
        lines.append(json.dumps(e))
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    for flag in ("--bulk", "--no-bulk"):
        graph = f"g{flag}.kg"
        r = run("import", graph, "in.jsonl", flag)
        assert r.returncode == 0, r.stderr
        assert run("check", graph).returncode == 0
        r = run("export", graph, f"out{flag}.jsonl")
        assert r.returncode == 0, r.stderr
        out = [json.loads(line) for line in (tmp_path / f"out{flag}.jsonl").read_text().split("\n")
               if line]
        got = [(e["dst"], e["valid_from"], e.get("valid_to")) for e in out if "src" in e]
        assert got == [(dst, f, t) for dst, (f, t) in zip("bcd", dates)]


def test_import_null_flag(run, tmp_path):
    (tmp_path / "nodes.csv").write_text("key:ID,:LABEL,name,founded:int\n"
                                        "org:a,actor,NA,NA\norg:b,actor,\"-\",-\n",
                                        encoding="utf-8")
    r = run("import", "g.kg", "nodes.csv", "--json")
    assert r.returncode == 1 and "nodes.csv:2:" in r.stderr and "founded" in r.stderr
    assert not (tmp_path / "g.kg").exists() or run("stats", "g.kg", "--json").returncode == 0
    r = run("import", "g.kg", "nodes.csv", "--null", "NA", "--null", "-", "--json")
    assert r.returncode == 0, r.stderr
    r = run("export", "g.kg", "g.jsonl")
    assert r.returncode == 0, r.stderr
    nodes = {n["key"]: n for n in map(json.loads, (tmp_path / "g.jsonl").read_text().splitlines())
             if "key" in n}
    assert nodes["org:a"]["name"] == "org:a" and not nodes["org:a"].get("props")  # key stands in
    assert nodes["org:b"]["name"] == "-" and not nodes["org:b"].get("props")


# draw and report: the flags are kg_export's picture options (docs/cli.md).

EGO = {"format": "samverkan-case/1",
       "source": {"key": "src:t", "title": "T"},
       "actors": [{"key": "org:a", "name": "Ålands ab", "sector": "business", "region": "reg:r"},
                  {"key": "org:b", "name": "Bygdegård", "sector": "nonprofit",
                   "region": "reg:r"},
                  {"key": "org:c", "name": "Cityhall", "sector": "public", "region": "reg:s"}],
       "regions": [{"key": "reg:r", "name": "R", "level": "county"},
                   {"key": "reg:s", "name": "S", "level": "county"}]}


def drawn_keys(path):
    import re
    return set(re.findall(r'<circle [^>]*data-key="([^"]*)"', path.read_text(encoding="utf-8")))


def test_draw_svg_html_and_report(run, tmp_path):
    write_case(tmp_path, case=EGO)
    assert run("import", "g.kg", "case.json").returncode == 0
    r = run("draw", "g.kg", "all.svg")
    assert r.returncode == 0, r.stderr
    # The source is a node too, but with no tie: left out unless --isolates.
    assert r.stdout == "drew 5 nodes and 3 ties to all.svg\n"
    assert drawn_keys(tmp_path / "all.svg") == {"org:a", "org:b", "org:c", "reg:r", "reg:s"}
    r = run("draw", "g.kg", "all.svg", "--isolates")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "drew 6 nodes and 3 ties to all.svg\n"
    assert drawn_keys(tmp_path / "all.svg") == {"org:a", "org:b", "org:c", "reg:r", "reg:s",
                                                "src:t"}
    r = run("draw", "g.kg", "ego.svg", "--start", "reg:r", "--depth", "1", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"nodes": 3, "edges": 2}
    assert drawn_keys(tmp_path / "ego.svg") == {"org:a", "org:b", "reg:r"}
    # depth 0 is the start alone: an explicit value, not "not given".
    r = run("draw", "g.kg", "alone.svg", "--start", "reg:r", "--depth", "0", "--json")
    assert json.loads(r.stdout) == {"nodes": 1, "edges": 0}
    r = run("draw", "g.kg", "g.html", "--color", "kind", "--labels", "0", "--seed", "0",
            "--title", "Kinds", "--layout", "forceatlas2", "--iterations", "20")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Kinds</title>" in html
    assert "layout: forceatlas2 (seed 0)" in html
    r = run("report", "g.kg", "report.html", "--from-year", "2014", "--to-year", "2020")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "reported on 5 nodes and 3 ties to report.html\n"
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<section id="mixing">' in report
    assert "1 selected node with no tie is left out of the drawing" in report


def test_draw_bad_options_are_usage_errors_naming_the_flag(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    for args, message in [
        (["--depth", "-1"], "--depth must be an integer between 0 and 1000"),
        (["--depth", "1001"], "--depth must be an integer between 0 and 1000"),
        (["--labels", "-1"], "--labels must be an integer between 0 and 100000"),
        (["--seed", "-1"], "--seed must be an integer between 0 and 9223372036854775807"),
        (["--iterations", "-5"], "--iterations must be an integer between 0 and 100000"),
        (["--year", "0"], "--year must be an integer between 1 and 9999"),
        (["--color", "blue"], "--color must be 'sector', 'kind' or 'community', not 'blue'"),
        (["--color", ""], "--color must be 'sector', 'kind' or 'community', not ''"),
        (["--size", "area"], "--size must be 'degree' or 'pagerank', not 'area'"),
        (["--layout", "spring"], "--layout must be 'auto', 'stress', 'forceatlas2' or "
                                 "'fruchterman-reingold', not 'spring'"),
        (["--valid-on", "2020-13-01"], "--valid-on: "),
    ]:
        r = run("draw", "g.kg", "out.svg", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("samverkan: " + message), (args, r.stderr)
        assert not (tmp_path / "out.svg").exists()
    r = run("report", "g.kg", "r.html", "--from-year", "2020", "--to-year", "2014")
    assert r.returncode == 2
    assert r.stderr == "samverkan: --from-year must not be after --to-year\n"
    # Not a number at all (the message: test_number_flags_are_decimal_integers...).
    assert run("draw", "g.kg", "out.svg", "--depth", "two").returncode == 2
    # report has no year-range flags for draw: an unknown flag is named.
    r = run("draw", "g.kg", "out.svg", "--from-year", "2014")
    assert r.returncode == 2
    assert "--from-year" in r.stderr
    assert not (tmp_path / "out.svg").exists()


def test_draw_exit_codes(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    r = run("draw", "g.kg", "out.png")
    assert r.returncode == 2
    assert "draw writes .svg or .html files, not 'out.png'" in r.stderr
    r = run("draw", "g.kg", "out.svg", "--start", "org:nobody")
    assert r.returncode == 1
    assert r.stderr == "samverkan: start: unknown node 'org:nobody'\n"
    assert run("draw", "missing.kg", "out.svg").returncode == 3
    assert run("report", "missing.kg", "r.html").returncode == 3
    (tmp_path / "dir.svg").mkdir()
    r = run("draw", "g.kg", "dir.svg")
    assert r.returncode == 4 and "directory" in r.stderr  # a file that cannot be written
    assert (tmp_path / "dir.svg").is_dir()
    assert run("draw", "g.kg").returncode == 2
    assert not (tmp_path / "out.svg").exists()


def test_draw_flags_given_empty_are_checked_not_defaults(run, tmp_path):
    # A flag given with an empty value is given: it is checked like the option
    # (an empty layout is no layout), not taken as "not given".
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    for args, message in [
        (["--layout", ""], "--layout must be 'auto', 'stress', 'forceatlas2' or "
                           "'fruchterman-reingold', not ''\n"),
        (["--size", ""], "--size must be 'degree' or 'pagerank', not ''\n"),
        (["--valid-on", ""], "--valid-on: "),
    ]:
        r = run("draw", "g.kg", "out.svg", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("samverkan: " + message), (args, r.stderr)
    assert not (tmp_path / "out.svg").exists()


def test_report_checks_the_flags_it_shares_with_draw(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    for args, message in [
        (["--depth", "-1"], "--depth must be an integer between 0 and 1000\n"),
        (["--labels", "-1"], "--labels must be an integer between 0 and 100000\n"),
        (["--from-year", "0"], "--from-year must be an integer between 1 and 9999\n"),
        (["--to-year", "-2020"], "--to-year must be an integer between 1 and 9999\n"),
        (["--color", "blue"], "--color must be 'sector', 'kind' or 'community', not 'blue'\n"),
    ]:
        r = run("report", "g.kg", "r.html", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr == "samverkan: " + message, (args, r.stderr)
    assert not (tmp_path / "r.html").exists()


def test_flag_names_are_not_put_into_quoted_values(run, tmp_path):
    # The message names the flag; the values it quotes are left as written,
    # even when a value is the name of another flag given.
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    r = run("draw", "g.kg", "out.svg", "--color", "size", "--size", "degree")
    assert r.returncode == 2
    assert r.stderr == "samverkan: --color must be 'sector', 'kind' or 'community', not 'size'\n"
    r = run("draw", "g.kg", "out.svg", "--layout", "start", "--start", "reg:r")
    assert r.returncode == 2
    assert r.stderr == ("samverkan: --layout must be 'auto', 'stress', 'forceatlas2' or "
                        "'fruchterman-reingold', not 'start'\n")


def test_draw_refuses_outputs_other_than_svg_and_html(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    # Unknown extensions, none, and the formats export writes but draw does not.
    for output in ["out.png", "out.pdf", "out", "out.graphml", "out.gexf", "out.dot"]:
        r = run("draw", "g.kg", output)
        assert r.returncode == 2, (output, r.stderr)
        assert r.stderr == f"samverkan: draw writes .svg or .html files, not '{output}'\n"
        assert not (tmp_path / output).exists()
    assert run("draw", "g.kg", "out.html").returncode == 0


def test_number_flags_are_decimal_integers_checked_like_their_option(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    # Too large for any integer, not a number, not decimal, not whole: each is
    # refused by its option, never read as another number.
    for args, message in [
        (["--seed", "99999999999999999999"],
         "--seed must be an integer between 0 and 9223372036854775807"),
        (["--seed", "18446744073709551615"],
         "--seed must be an integer between 0 and 9223372036854775807"),
        (["--depth", "two"], "--depth must be an integer between 0 and 1000"),
        (["--depth", "0x1"], "--depth must be an integer between 0 and 1000"),
        (["--labels", "2.5"], "--labels must be an integer between 0 and 100000"),
        (["--year", "2020 "], "--year must be an integer between 1 and 9999"),
    ]:
        r = run("draw", "g.kg", "out.svg", "--start", "reg:r", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr == f"samverkan: {message}\n", (args, r.stderr)
    assert not (tmp_path / "out.svg").exists()
    # A leading zero is decimal, not octal ("08" is eight); a plus sign is allowed.
    r = run("draw", "g.kg", "out.svg", "--start", "reg:r", "--depth", "08", "--seed", "+7",
            "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"nodes": 3, "edges": 2}


def test_a_value_quoting_a_flag_name_is_echoed_as_written(run, tmp_path):
    write_case(tmp_path, case=EGO)
    run("import", "g.kg", "case.json")
    r = run("draw", "g.kg", "out.svg", "--color", "x' size '", "--size", "degree")
    assert r.returncode == 2
    assert r.stderr == ("samverkan: --color must be 'sector', 'kind' or 'community', "
                        "not 'x' size ''\n")


def _graph_with_two_sessions(run, tmp_path):
    """A graph written by two processes: a bulk load, then a transaction."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nodes.csv").write_text(
        ":ID,:LABEL,name\n" + "".join(f"n{i},actor,Node {i}\n" for i in range(30)))
    (tmp_path / "in" / "edges.csv").write_text(
        ":START_ID,:END_ID,:TYPE\n" + "".join(f"n{i % 30},n{(i + 1 + i // 30) % 30},knows\n"
                                              for i in range(50)))
    (tmp_path / "more.jsonl").write_text(
        "".join(json.dumps({"key": f"m{i}", "kind": "actor"}) + "\n" for i in range(20)))
    assert run("import", "g.kg", "in", "-q").returncode == 0
    r = run("import", "g.kg", "more.jsonl", "--no-bulk", "-q")
    assert r.returncode == 0, r.stderr
    return tmp_path / "g.kg"


def test_manifest_that_lost_its_tail_is_damaged_and_repair_salvages(run, tmp_path):
    graph = _graph_with_two_sessions(run, tmp_path)
    manifest = graph / (graph / "CURRENT").read_text().strip()
    # The MANIFEST loses its last record: RocksDB would read an older state,
    # the graph without the second import, and delete that import's files.
    with open(manifest, "r+b") as f:
        f.truncate(manifest.stat().st_size - 1)
    tables = sorted(p.name for p in graph.glob("*.sst"))
    for args in (("check", "g.kg"), ("stats", "g.kg"), ("import", "g.kg", "more.jsonl")):
        r = run(*args)
        assert r.returncode == 3, (args, r.stdout, r.stderr)
        assert "graph 'g.kg' is damaged" in r.stderr and manifest.name in r.stderr, r.stderr
        assert sorted(p.name for p in graph.glob("*.sst")) == tables
    r = run("check", "g.kg", "--repair", "saved.kg")
    assert r.returncode == 0, r.stderr
    assert "ok: 50 nodes and 50 edges checked" in r.stdout, r.stdout
    stats = json.loads(run("stats", "saved.kg", "--json").stdout)
    assert (stats["nodes"], stats["edges"]) == (50, 50)
    assert sorted(p.name for p in graph.glob("*.sst")) == tables  # the damaged one is as it was
    # Never over an existing path.
    r = run("check", "g.kg", "--repair", "saved.kg")
    assert r.returncode == 4 and "exists" in r.stderr
