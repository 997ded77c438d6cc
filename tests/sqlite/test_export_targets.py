"""Exports create or replace regular files only: attacks through the target
path (links, FIFOs, devices, the open database, the graph's own files) are
refused with a clear error and leave everything as it was."""
import json
import os
import sqlite3
import stat
import subprocess

import pytest

from conftest import rows

EXPORT = "SELECT kg_export('kg', ?, ?)"


def refused(db, path, fmt="jsonl"):
    with pytest.raises(sqlite3.OperationalError) as e:
        db.execute(EXPORT, (fmt, str(path)))
    return str(e.value)


def leftovers(directory):
    return [p.name for p in directory.iterdir() if ".tmp-" in p.name]


def test_a_regular_file_is_replaced_whole(db, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    os.chmod(target, 0o600)
    db.execute(EXPORT, ("jsonl", str(target)))
    lines = target.read_text().splitlines()
    assert len(lines) == 9 and json.loads(lines[0])["key"]
    assert leftovers(tmp_path) == []
    # A new file gets the usual permissions (0666 less the umask), not 0600.
    fresh = tmp_path / "new.jsonl"
    db.execute(EXPORT, ("jsonl", str(fresh)))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_symbolic_links_are_refused_and_their_targets_kept(db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.jsonl"
    link.symlink_to(victim)
    msg = refused(db, link)
    assert msg == (f"kg_export: file: '{link}' exists and is a symbolic link; an export only "
                   f"creates or replaces regular files")
    assert link.is_symlink() and victim.read_text() == "precious"
    dangling = tmp_path / "dangling.jsonl"
    dangling.symlink_to(tmp_path / "nowhere")
    assert "is a symbolic link" in refused(db, dangling)
    assert not (tmp_path / "nowhere").exists()
    # /dev/stdout is a link too.
    assert "is a symbolic link" in refused(db, "/dev/stdout")


def test_a_temporary_name_planted_beside_the_target_is_not_followed(db, tmp_path):
    # The old exporter wrote "<target>.tmp" with O_TRUNC: a link planted
    # there truncated whatever it pointed at.
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.jsonl.tmp").symlink_to(victim)
    db.execute(EXPORT, ("jsonl", str(tmp_path / "out.jsonl")))
    assert victim.read_text() == "precious"
    assert (tmp_path / "out.jsonl.tmp").is_symlink()


def test_fifos_devices_and_directories_are_refused(db, tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert "is a FIFO" in refused(db, fifo)  # and does not block
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    if os.geteuid() == 0:
        device = tmp_path / "null"  # a /dev/null of our own
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = "/dev/null"
    assert "is a device" in refused(db, device)
    assert stat.S_ISCHR(os.stat(device).st_mode)
    (tmp_path / "adir").mkdir()
    assert "is a directory" in refused(db, tmp_path / "adir")
    # A CSV export writes a directory, but never through a link to one.
    (tmp_path / "real").mkdir()
    (tmp_path / "csvlink").symlink_to(tmp_path / "real")
    assert "is a symbolic link; this export creates or fills a directory" in refused(
        db, tmp_path / "csvlink", "csv")
    assert list((tmp_path / "real").iterdir()) == []
    assert leftovers(tmp_path) == []


def test_the_connections_database_files_are_refused(connect, tmp_path):
    db = connect("main.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg')")
    db.execute("CREATE TABLE notes(x)")
    db.execute("INSERT INTO notes VALUES ('kept')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    db.execute("ATTACH ? AS other", (str(tmp_path / "other.db"),))
    db.execute("CREATE TABLE other.t(y)")
    for name in ("main.db", "main.db-wal", "main.db-shm", "other.db", "other.db-journal"):
        msg = refused(db, tmp_path / name)
        assert "is a database file of this connection" in msg, msg
    # Also when named through a relative path or a link to the directory.
    (tmp_path / "here").symlink_to(tmp_path)
    assert "database file" in refused(db, tmp_path / "here" / "main.db")
    assert rows(db, "SELECT x FROM notes") == [("kept",)]
    db.close()
    again = connect("main.db")
    assert rows(again, "SELECT x FROM notes") == [("kept",)]
    assert rows(again, "SELECT key FROM kg_nodes") == [("a",)]


def test_the_graph_directory_is_refused(db, tmp_path, connect):
    graph = tmp_path / "msi.kg"
    for target in (graph / "CURRENT", graph / "new-file.jsonl", graph / "IDENTITY"):
        msg = refused(db, target)
        assert f"is inside graph directory '{graph}'" in msg, msg
    assert "is inside graph directory" in refused(db, graph / "sub", "csv")
    assert not (graph / "sub").exists() and not (graph / "new-file.jsonl").exists()
    # The graph still opens, and DROP TABLE works.
    db.close()
    again = connect()
    assert rows(again, "SELECT count(*) FROM kg_nodes") == [(5,)]
    again.execute("DROP TABLE kg")


def test_cli_refuses_the_same_targets(tmp_path):
    cli = os.environ["SAMVERKAN_EXT"].rsplit("/", 1)[0] + "/bin/samverkan"
    (tmp_path / "c.jsonl").write_text('{"key":"a","kind":"actor"}\n')
    assert subprocess.run([cli, "import", "g.kg", "c.jsonl"], cwd=tmp_path,
                          capture_output=True).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "link.jsonl").symlink_to(victim)
    os.mkfifo(tmp_path / "pipe.jsonl")
    # A refused target is a file that cannot be written: exit code 4 (docs/cli.md).
    for target in ("link.jsonl", "g.kg/CURRENT", "g.kg/x.graphml", "/dev/stdout", "pipe.jsonl"):
        r = subprocess.run([cli, "export", "g.kg", target], cwd=tmp_path, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 4, (target, r.returncode, r.stderr)
        assert "exists and is a symbolic link" in r.stderr or \
            "is inside graph directory" in r.stderr or "exists and is a FIFO" in r.stderr, r.stderr
    for command, target in (("draw", "pipe.svg"), ("report", "pipe.html")):
        os.mkfifo(tmp_path / target)
        r = subprocess.run([cli, command, "g.kg", target], cwd=tmp_path, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 4 and "exists and is a FIFO" in r.stderr, (command, r)
    assert victim.read_text() == "precious"
    assert subprocess.run([cli, "check", "g.kg"], cwd=tmp_path).returncode == 0
