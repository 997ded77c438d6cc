"""No command reports success on input it could not read: a graph with a
data file missing, an input or output that is a FIFO (which must be refused
without waiting for the other end)."""
import csv
import os
import shutil

import pytest

FORMATS = ("out.graphml", "out.gexf", "out.dot", "out.jsonl", "outcsv")
PICTURES = (("draw", "out.svg"), ("draw", "out.html"), ("report", "report.html"))


def bulk_graph(run, tmp_path):
    """A graph of several SST files (one per column family), written by a bulk import."""
    with open(tmp_path / "nodes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([":ID", ":LABEL", "name"])
        w.writerows([f"n{i}", "actor", f"Node {i}"] for i in range(300))
    with open(tmp_path / "edges.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([":START_ID", ":END_ID", ":TYPE"])
        w.writerows([f"n{i}", f"n{(i * 7 + 1) % 300}", "knows"] for i in range(300))
    r = run("import", "g.kg", "nodes.csv", "edges.csv", "--bulk")
    assert r.returncode == 0, r.stderr
    ssts = sorted(p.name for p in (tmp_path / "g.kg").iterdir() if p.suffix == ".sst")
    assert len(ssts) >= 5, ssts
    return ssts


def contents(path):
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


def export_refused(run, graph, target):
    """Exports `graph` to `target` (which holds something already): True when
    the export failed as a damaged graph and left the target as it was."""
    if target.suffix:
        target.write_text("old")
    else:
        target.mkdir()
    before = contents(target)
    r = run("export", graph, target)
    if r.returncode == 0:
        return False
    assert r.returncode == 3, (target, r.returncode, r.stderr)
    assert "is damaged" in r.stderr or "not a Samverkan graph" in r.stderr, r.stderr
    assert contents(target) == before, target
    assert [p.name for p in target.parent.iterdir() if ".tmp-" in p.name] == []
    return True


def test_a_missing_data_file_fails_every_export_or_changes_nothing(run, tmp_path):
    ssts = bulk_graph(run, tmp_path)
    assert run("export", "g.kg", "whole.jsonl").returncode == 0
    whole = (tmp_path / "whole.jsonl").read_bytes()
    refused = []
    for sst in ssts:
        damaged = tmp_path / sst.replace(".sst", ".kg")
        shutil.copytree(tmp_path / "g.kg", damaged)
        (damaged / sst).unlink()
        work = tmp_path / ("w" + sst)
        work.mkdir()
        if not export_refused(run, damaged, work / "out.jsonl"):
            # The file held records an export does not read (the in-edges,
            # the name index): what it wrote is the whole graph.
            assert (work / "out.jsonl").read_bytes() == whole, sst
            continue
        refused.append(sst)
        # Every format, drawing and summary reads the same records.
        for out in FORMATS:
            if out != "out.jsonl":
                assert export_refused(run, damaged, work / out), (sst, out)
        for command, out in PICTURES:
            r = run(command, damaged, work / out)
            assert r.returncode == 3, (sst, command, r.returncode, r.stderr)
            assert not (work / out).exists()
        r = run("stats", damaged)
        assert r.returncode == 3, (sst, r.stdout, r.stderr)
    # At least the node records and the out-edges are each in a file of their own.
    assert len(refused) >= 2, refused


def test_import_refuses_a_fifo_without_waiting(run, tmp_path):
    os.mkfifo(tmp_path / "nodes.csv")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "dir" / "nodes.csv")
    for name in ("nodes.csv", "dir"):
        r = run("import", "g.kg", name)  # `run` times out after 60 s
        assert r.returncode == 4, (name, r.returncode, r.stderr)
        assert "it is a FIFO; an import reads regular files only" in r.stderr, r.stderr
    (tmp_path / "adir").mkdir()
    r = run("import", "g.kg", "adir", "--format", "case")
    assert r.returncode == 4 and "it is a directory" in r.stderr, r.stderr


@pytest.mark.parametrize("command,target", [("export", "pipe.jsonl"), ("export", "pipe.graphml"),
                                            ("draw", "pipe.svg"), ("report", "pipe.html")])
def test_an_output_that_is_a_fifo_is_refused_without_waiting(run, tmp_path, command, target):
    (tmp_path / "a.jsonl").write_text('{"key":"a","kind":"actor"}\n')
    assert run("import", "g.kg", "a.jsonl").returncode == 0
    os.mkfifo(tmp_path / target)
    r = run(command, "g.kg", target)
    assert r.returncode == 4, (r.returncode, r.stderr)
    assert f"'{target}' exists and is a FIFO" in r.stderr, r.stderr
