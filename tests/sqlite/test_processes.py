"""A second process, and the real sqlite3 shell."""
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import REPO, rows

# A child that runs one SQL statement per input line and answers with one
# JSON line: {"rows": [...]} or {"error": "..."}.
CHILD = textwrap.dedent("""
    import json, sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(sys.argv[2])
    for line in sys.stdin:
        try:
            out = {"rows": db.execute(line).fetchall()}
        except sqlite3.Error as e:
            out = {"error": str(e)}
        print(json.dumps(out), flush=True)
""")


class Child:
    def __init__(self, db_path, ext):
        self.proc = subprocess.Popen(["/usr/bin/python3", "-c", CHILD, db_path, ext],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, sql):
        self.proc.stdin.write(sql.replace("\n", " ") + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        return self.proc.wait(timeout=20)


def test_two_processes_read_and_write_in_turns(db, ext, tmp_path):
    # As with plain tables: both read, either writes when the other is not
    # writing, and each sees the other's commits at its next statement.
    child = Child(str(tmp_path / "test.db"), ext)
    try:
        assert child.run("SELECT count(*) FROM kg_nodes") == {"rows": [[5]]}
        assert child.run("SELECT read_only FROM kg") == {"rows": [[0]]}
        assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')") == {"rows": []}
        assert child.run("INSERT INTO kg_edges(src, type, dst) VALUES ('p:1', 'knows', 'org:msi')") \
            == {"rows": []}
        assert rows(db, "SELECT key FROM kg_neighbors('kg', 'org:msi', 1, 'in')") == [("p:1",)]
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:2', 'person')")
        assert child.run("SELECT key FROM kg_nodes WHERE kind = 'person'") == {
            "rows": [["p:1"], ["p:2"]]}
        assert child.run("SELECT count(*) FROM kg_degree('kg')") == {"rows": [[7]]}
        assert child.run("INSERT INTO kg(kg) VALUES ('compact')") == {"rows": []}
        db.execute("DELETE FROM kg_nodes WHERE key = 'p:2'")
        assert child.run("SELECT count(*) FROM kg_nodes") == {"rows": [[6]]}
        assert json.loads(child.run("SELECT kg_stats('kg')")["rows"][0][0])["read_only"] is False
    finally:
        assert child.close() == 0
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(6,)]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


def test_a_writer_waits_for_another_process_then_gets_busy(db, ext, tmp_path):
    # Two .db files on one graph, so that SQLite's own lock is not met
    # first: the graph's write access is what the second writer waits for.
    db.execute("ATTACH ? AS other", (str(tmp_path / "other.db"),))
    db.execute("CREATE VIRTUAL TABLE other.g USING samverkan(path='msi.kg')")
    db.execute("DETACH other")
    child = Child(str(tmp_path / "other.db"), ext)
    try:
        assert child.run("PRAGMA busy_timeout = 300") == {"rows": [[300]]}
        assert child.run("SELECT count(*) FROM g_nodes") == {"rows": [[5]]}
        db.execute("BEGIN")
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')")
        started = time.monotonic()
        answer = child.run("INSERT INTO g_nodes(key, kind) VALUES ('p:2', 'person')")
        waited = time.monotonic() - started
        graph = str(tmp_path / "msi.kg")
        assert answer == {"error": f"g_nodes: graph '{graph}' is being written by another "
                                   f"process (pid {os.getpid()})"}
        assert waited >= 0.3
        assert child.run("SELECT count(*) FROM g_nodes") == {"rows": [[5]]}
        db.execute("COMMIT")
        # Free again: the child's write takes the graph over.
        assert child.run("INSERT INTO g_nodes(key, kind) VALUES ('p:2', 'person')") == {"rows": []}
        assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:1",), ("p:2",)]
    finally:
        assert child.close() == 0


def test_a_killed_writer_leaves_nobody_stuck(db, ext, tmp_path):
    child = Child(str(tmp_path / "test.db"), ext)
    assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')") == {"rows": []}
    assert child.run("BEGIN") == {"rows": []}
    assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:2', 'person')") == {"rows": []}
    child.proc.send_signal(signal.SIGKILL)
    assert child.proc.wait(timeout=20) == -signal.SIGKILL
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:3', 'person')")
    assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:1",), ("p:3",)]
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]


SHELL_SCRIPT = """
.load {ext}
CREATE VIRTUAL TABLE kg USING samverkan(path='shell.kg');
INSERT INTO kg_nodes(key, kind, name) VALUES ('a', 'actor', 'Ann'), ('b', 'actor', 'Bo');
INSERT INTO kg_edges(src, type, dst) VALUES ('a', 'knows', 'b');
BEGIN;
INSERT INTO kg_nodes(key, kind) VALUES ('c', 'actor');
ROLLBACK;
SELECT key, name FROM kg_nodes;
SELECT key, hops, edge_type FROM kg_neighbors('kg', 'a');
SELECT * FROM kg_neighbors('kg', 'zz');
"""


def test_sqlite3_shell(ext, tmp_path):
    def shell(script):
        return subprocess.run(["sqlite3", str(tmp_path / "shell.db")], input=script,
                              capture_output=True, text=True, timeout=30, cwd=tmp_path)

    out = shell(SHELL_SCRIPT.format(ext=ext))
    assert out.stdout == "a|Ann\nb|Bo\nb|1|knows\n"
    assert out.stderr == "Runtime error near line 11: kg_neighbors: unknown node 'zz'\n"
    # A new shell process: .load is all it takes.
    out = shell(f".load {ext}\nSELECT count(*) FROM kg_edges;\nSELECT kg_integrity_check('kg');\n")
    assert (out.stdout, out.stderr) == ("1\nok\n", "")


def test_a_graph_used_only_through_functions_stays_open(connect, ext, tmp_path):
    # Open between statements, not reopened by each: it keeps write access
    # until another process asks for it, and then reads what that one wrote.
    setup = connect()
    setup.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    setup.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor'), ('b', 'actor')")
    setup.close()
    db = connect()
    assert rows(db, "SELECT count(*) FROM kg_degree('kg')") == [(2,)]
    graph = str(tmp_path / "msi.kg")
    child = Child(str(tmp_path / "test.db"), ext)
    try:
        assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('c', 'actor')") == {"rows": []}
    finally:
        assert child.close() == 0
    assert rows(db, "SELECT count(*) FROM kg_degree('kg')") == [(3,)]


# Writes `count` transactions, each a row of a plain table and a node with an
# edge to the hub; prints the number of each commit.
TURNS = textwrap.dedent("""
    import sqlite3, sys
    path, ext, who, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.enable_load_extension(True)
    db.load_extension(ext)
    for i in range(count):
        db.execute("BEGIN")
        db.execute("INSERT INTO plain VALUES (?, ?)", (who, i))
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"{who}-{i}",))
        db.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'in', 'hub')", (f"{who}-{i}",))
        db.execute("COMMIT")
        print(i, flush=True)
""")


@pytest.mark.parametrize("processes", [2, 3])
def test_processes_writing_in_turns_survive_the_kill_of_one(connect, ext, tmp_path, processes):
    count = 25
    db = connect()
    db.execute("PRAGMA journal_mode = wal")
    db.executescript("""
        CREATE TABLE plain(who TEXT, i INTEGER);
        CREATE VIRTUAL TABLE kg USING samverkan(path='turns.kg');
        INSERT INTO kg_nodes(key, kind) VALUES ('hub', 'project');
    """)
    db.close()
    path = str(tmp_path / "test.db")
    writers = [subprocess.Popen(["/usr/bin/python3", "-c", TURNS, path, ext, f"w{k}", str(count)],
                                stdout=subprocess.PIPE, text=True) for k in range(processes)]
    victim = writers[random.Random(processes).randrange(processes)]
    for _ in range(5):  # the victim is killed mid-stream, having committed
        assert victim.stdout.readline()
    time.sleep(random.Random(7).random() * 0.05)
    victim.send_signal(signal.SIGKILL)
    for w in writers:
        out, _ = w.communicate(timeout=120)
        if w is victim:
            assert w.returncode == -signal.SIGKILL
        else:
            assert w.returncode == 0
            assert out.split()[-1] == str(count - 1), "a survivor did not finish"

    db = connect()
    plain = {f"{who}-{i}" for who, i in rows(db, "SELECT who, i FROM plain")}
    nodes = {k for (k,) in rows(db, "SELECT key FROM kg_nodes WHERE key <> 'hub'")}
    assert nodes == plain
    assert rows(db, "SELECT in_degree FROM kg_degree('kg') WHERE key = 'hub'") == [(len(plain),)]
    assert len(plain) >= count * (processes - 1) + 5
    assert rows(db, "SELECT kg_integrity_check('kg')") == [("ok",)]
    # Nobody is stuck: a new writer gets in at once.
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('last', 'actor')")


def test_the_command_line_tool_takes_its_turn(db, tmp_path):
    # `samverkan import` asks the shell holding the graph to let go, and
    # waits for it as SQLite waits for a lock (--wait).
    cli = os.environ.get("SAMVERKAN_CLI") or str(REPO / "build" / "bin" / "samverkan")
    if not os.path.exists(cli):
        pytest.skip("the samverkan command-line tool is not built")
    (tmp_path / "more.jsonl").write_text('{"key": "p:cli", "kind": "person"}\n')
    graph = str(tmp_path / "msi.kg")
    done = subprocess.run([cli, "import", graph, str(tmp_path / "more.jsonl"), "-q"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert rows(db, "SELECT key FROM kg_nodes WHERE kind = 'person'") == [("p:cli",)]
    db.execute("BEGIN")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:sql', 'person')")
    refused = subprocess.run([cli, "import", graph, str(tmp_path / "more.jsonl"), "-q",
                              "--wait", "300"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 3
    assert f"is being written by another process (pid {os.getpid()})" in refused.stderr
    db.execute("COMMIT")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(2,)]
    # A holder that is not writing lets go at once: not a lock to wait for,
    # so even --wait 0 gets its turn, as SQL writers do. (The write takes
    # the graph back from whoever holds it; then this process idles.)
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:sql2', 'person')")
    (tmp_path / "last.jsonl").write_text('{"key": "p:last", "kind": "person"}\n')
    idle = subprocess.run([cli, "import", graph, str(tmp_path / "last.jsonl"), "-q",
                           "--wait", "0"], capture_output=True, text=True, timeout=60)
    assert (idle.returncode, idle.stderr) == (0, "")
    assert rows(db, "SELECT count(*) FROM kg_nodes WHERE kind = 'person'") == [(4,)]


class Shell:
    """A real sqlite3 shell process, fed one statement at a time."""

    def __init__(self, db_path, ext):
        self.proc = subprocess.Popen(["sqlite3", "-batch", str(db_path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.run(f".load {ext}")

    def run(self, sql):
        """The lines the statement printed (errors included)."""
        self.proc.stdin.write(sql + "\n.print --done--\n")
        self.proc.stdin.flush()
        lines = []
        while (line := self.proc.stdout.readline()) != "--done--\n":
            assert line, "the shell ended"
            lines.append(line.rstrip("\n"))
        return lines

    def close(self):
        self.proc.stdin.close()
        return self.proc.wait(timeout=20)


def test_two_sqlite3_shells_share_a_graph_as_they_share_tables(db, ext, tmp_path):
    db.close()
    a, b = Shell(tmp_path / "test.db", ext), Shell(tmp_path / "test.db", ext)
    try:
        assert a.run("SELECT count(*) FROM kg_nodes;") == ["5"]
        assert b.run("SELECT count(*) FROM kg_nodes;") == ["5"]
        assert b.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:b', 'person');") == []
        assert a.run("SELECT key FROM kg_nodes WHERE kind = 'person';") == ["p:b"]
        assert a.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:a', 'person');") == []
        assert b.run("SELECT key FROM kg_nodes WHERE kind = 'person' ORDER BY key;") == \
            ["p:a", "p:b"]
        # While one is mid-write, the other waits its busy timeout, then is told.
        assert a.run("BEGIN; INSERT INTO kg_nodes(key, kind) VALUES ('p:c', 'person');") == []
        refused = b.run(".timeout 200\nINSERT INTO kg_nodes(key, kind) VALUES ('p:d', 'person');")
        assert len(refused) == 1 and refused[0].endswith("database is locked (5)"), refused
        assert a.run("COMMIT;") == []
        assert b.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:d', 'person');") == []
        assert a.run("SELECT count(*) FROM kg_nodes WHERE kind = 'person';") == ["4"]
    finally:
        assert a.close() == 0
        assert b.close() == 1  # the shell's status after an error: the one above


# A writer committing back to back, and a reader reading as fast as it can.
STEADY_WRITER = textwrap.dedent("""
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(sys.argv[2])
    db.execute("PRAGMA busy_timeout = 10000")
    for i in range(int(sys.argv[3])):
        db.execute("BEGIN")
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"w{i}",))
        db.execute("INSERT INTO kg_edges(src, type, dst) VALUES (?, 'knows', 'hub')", (f"w{i}",))
        db.execute("COMMIT")
        if i == 0:
            print("writing", flush=True)
    print("done", flush=True)
""")

STEADY_READER = textwrap.dedent("""
    import json, os, sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(sys.argv[2])
    db.execute("PRAGMA busy_timeout = 10000")
    reads, held, last = 0, 0, 0
    while not os.path.exists(sys.argv[3]):
        n = db.execute("SELECT in_degree FROM kg_degree('kg') WHERE key = 'hub'").fetchone()[0]
        assert n >= last, (n, last)  # never an older state than one read before
        last = n
        stats = json.loads(db.execute("SELECT kg_stats('kg')").fetchone()[0])
        held += stats["holds_write_access"]
        reads += 1
    print(json.dumps({"reads": reads, "held": held}), flush=True)
""")


def test_a_reader_beside_a_steady_writer_never_takes_write_access(connect, ext, tmp_path):
    # A commit is SQLite's first, then the graph's (two-phase): a reader that
    # came between saw a transaction SQLite had committed and the graph had
    # only prepared, and applied it itself, taking write access from the
    # writer, which then took it back; each move closed one side's writable
    # graph and made both rebuild their snapshots (reads of 0.4-2.5 s on
    # `medium`, docs/performance.md). The reader now waits for the writer.
    db = connect()
    db.executescript("""
        PRAGMA journal_mode = wal;
        CREATE VIRTUAL TABLE kg USING samverkan(path='steady.kg');
        INSERT INTO kg_nodes(key, kind) VALUES ('hub', 'project');
    """)
    db.close()
    path, stop = str(tmp_path / "test.db"), tmp_path / "stop"
    commits = 300
    writer = subprocess.Popen(["/usr/bin/python3", "-c", STEADY_WRITER, path, ext, str(commits)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        reader = subprocess.Popen(["/usr/bin/python3", "-c", STEADY_READER, path, ext, str(stop)],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "done"
    finally:
        stop.touch()
    out, _ = reader.communicate(timeout=60)
    assert writer.wait(timeout=60) == 0 and reader.returncode == 0
    seen = json.loads(out)
    assert seen["reads"] > 0
    assert seen["held"] == 0, f"the reader held write access after {seen['held']} of its reads"
    db = connect()
    assert rows(db, "SELECT in_degree FROM kg_degree('kg') WHERE key = 'hub'") == [(commits,)]
