"""A SQL transaction that writes plain tables and graphs is one transaction.

The graph prepares in xSync and commits in xCommit, after SQLite's commit
(sqlite-ext/commit_log.h): a commit SQLite refuses leaves no graph writes,
and kill -9 at any instant leaves both or neither.
"""
import os
import random
import re
import signal
import sqlite3
import subprocess
import textwrap
import time

import pytest

from conftest import REPO, rows

SETUP = """
CREATE TABLE IF NOT EXISTS plain(i INTEGER PRIMARY KEY);
CREATE VIRTUAL TABLE IF NOT EXISTS kg USING samverkan(path='one.kg');
CREATE VIRTUAL TABLE IF NOT EXISTS kg2 USING samverkan(path='two.kg');
"""


def graph_keys(conn, graph="kg"):
    return {r[0] for r in rows(conn, f"SELECT key FROM {graph}_nodes")}


def commit_refused_for_a_lock(connect):
    """A writer whose COMMIT of a plain row and two graph nodes SQLite has just
    refused, and the reader whose SHARED lock refused it (rollback-journal
    mode; in WAL mode SQLite meets its lock at the first write of a table,
    virtual or not, before the graph has anything pending)."""
    writer = connect()
    writer.executescript(SETUP)
    writer.execute("PRAGMA busy_timeout = 0")
    reader = connect()
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM plain").fetchall()
    writer.execute("BEGIN")
    writer.execute("INSERT INTO plain VALUES (1)")
    writer.execute("INSERT INTO kg_nodes(key, kind) VALUES ('n', 'actor')")
    writer.execute("INSERT INTO kg2_nodes(key, kind) VALUES ('m', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        writer.execute("COMMIT")
    return writer, reader


def test_a_commit_refused_for_a_lock_then_rolled_back_leaves_no_graph_writes(connect):
    writer, reader = commit_refused_for_a_lock(connect)
    writer.execute("ROLLBACK")
    reader.execute("COMMIT")
    for conn in (writer, reader):
        assert rows(conn, "SELECT count(*) FROM plain") == [(0,)]
        assert graph_keys(conn) == set()
        assert graph_keys(conn, "kg2") == set()
    # And nothing is left half-done: the graph takes the next transaction.
    writer.execute("INSERT INTO kg_nodes(key, kind) VALUES ('later', 'actor')")
    assert graph_keys(reader) == {"later"}


def test_a_commit_refused_for_a_lock_succeeds_when_tried_again(connect):
    writer, reader = commit_refused_for_a_lock(connect)
    reader.execute("COMMIT")
    writer.execute("COMMIT")
    assert rows(reader, "SELECT i FROM plain") == [(1,)]
    assert graph_keys(reader) == {"n"}
    assert graph_keys(reader, "kg2") == {"m"}


def test_the_commit_log_holds_one_record_and_goes_with_the_graph(connect):
    conn = connect()
    conn.executescript(SETUP)
    for i in range(3):
        conn.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n{i}",))
    [(xid,)] = rows(conn, "SELECT xid FROM kg_commits")
    assert len(xid) == 32
    conn.execute("DROP TABLE kg")
    assert rows(conn, "SELECT name FROM sqlite_schema WHERE name LIKE 'kg\\_%' ESCAPE '\\'") == []
    # A table of the user's that happens to have the name is never dropped.
    conn.execute("DROP TABLE kg2_commits")
    conn.execute("CREATE TABLE kg2_commits(note)")
    conn.execute("DROP TABLE kg2")
    assert rows(conn, "SELECT name FROM sqlite_schema WHERE name = 'kg2_commits'") == \
        [("kg2_commits",)]


def test_a_read_only_database_cannot_write_its_graphs(connect, ext, tmp_path):
    conn = connect()
    conn.executescript(SETUP)
    conn.close()
    ro = sqlite3.connect(f"file:{tmp_path / 'test.db'}?mode=ro", uri=True, isolation_level=None)
    ro.enable_load_extension(True)
    ro.load_extension(ext)
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        ro.execute("INSERT INTO kg_nodes(key, kind) VALUES ('n', 'actor')")
    assert graph_keys(ro) == set()
    ro.close()


# Commits, until killed, transactions that each write row i of a plain table
# and node n-i into two graphs, rolling every fifth back; prints "ready"
# after its first commit, so that however slow the machine, each run
# commits something. Each run continues from the rows already there.
WRITER = textwrap.dedent("""
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(sys.argv[2])
    db.executescript(sys.argv[3])
    i = db.execute("SELECT coalesce(max(i), 0) + 1 FROM plain").fetchone()[0]
    first = True
    while True:
        db.execute("BEGIN")
        db.execute("INSERT INTO plain VALUES (?)", (i,))
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES (?, 'actor')", (f"n-{i}",))
        db.execute("INSERT INTO kg2_nodes(key, kind) VALUES (?, 'actor')", (f"n-{i}",))
        if i % 5 == 0:
            db.execute("ROLLBACK")
        else:
            db.execute("COMMIT")
            if first:
                print("ready", flush=True)
                first = False
        i += 1
""")

# SAMVERKAN_KILL_TRIALS: fewer in the quick tier's sanitizer run
# (scripts/test.sh), all of them in the -Werror run and the slow tier.
TRIALS = int(os.environ.get("SAMVERKAN_KILL_TRIALS", "100"))


def test_kill_9_at_random_instants_leaves_both_or_neither(connect, ext, tmp_path):
    rng = random.Random(11)
    db_path = tmp_path / "mixed.db"
    committed = 0
    for trial in range(TRIALS):
        writer = subprocess.Popen(["/usr/bin/python3", "-c", WRITER, str(db_path), ext, SETUP],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.random() * 0.05)
        writer.send_signal(signal.SIGKILL)
        assert writer.wait(timeout=20) == -signal.SIGKILL

        conn = connect(db_path.name)
        plain = {f"n-{r[0]}" for r in rows(conn, "SELECT i FROM plain")}
        assert graph_keys(conn) == plain, f"trial {trial}: graph kg disagrees with plain"
        assert graph_keys(conn, "kg2") == plain, f"trial {trial}: graph kg2 disagrees"
        assert not any(int(k.split("-")[1]) % 5 == 0 for k in plain), "a rollback committed"
        committed = len(plain)
        conn.close()
    assert committed >= TRIALS, "a writer was killed before its first commit"
    conn = connect(db_path.name)
    assert rows(conn, "SELECT kg_integrity_check('kg'), kg_integrity_check('kg2')") == \
        [("ok", "ok")]


@pytest.mark.parametrize("trigger", [
    "BEFORE INSERT ON kg_commits BEGIN SELECT RAISE(IGNORE); END",
    "AFTER INSERT ON kg_commits BEGIN DELETE FROM kg_commits; END",
    "AFTER INSERT ON kg_commits BEGIN UPDATE kg_commits SET xid = 'other'; END",
    "BEFORE DELETE ON kg_commits BEGIN SELECT RAISE(IGNORE); END",
    "BEFORE UPDATE ON kg_commits BEGIN SELECT RAISE(IGNORE); END",
])
@pytest.mark.parametrize("temp", ["", "TEMP"])
def test_no_trigger_can_change_the_commit_record(connect, trigger, temp):
    conn = connect()
    conn.executescript(SETUP)
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('before', 'actor')")
    conn.execute(f"CREATE {temp} TRIGGER meddle {trigger}")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO plain VALUES (1)")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('n', 'actor')")
    with pytest.raises(sqlite3.OperationalError, match="has a trigger \\('meddle'\\)"):
        conn.execute("COMMIT")
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    assert rows(conn, "SELECT count(*) FROM plain") == [(0,)]
    assert graph_keys(conn) == {"before"}
    conn.execute("DROP TRIGGER meddle")
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('after', 'actor')")
    assert graph_keys(conn) == {"before", "after"}
    assert len(rows(conn, "SELECT xid FROM kg_commits")) == 1


# Leaves graph kg of the .db argv[1] with a transaction prepared and
# undecided: SQLite refuses the COMMIT for a reader's lock after the graph
# prepared in xSync (rollback-journal mode), and the process dies.
UNDECIDED = textwrap.dedent("""
    import os, signal, sqlite3, sys
    def connect():
        db = sqlite3.connect(sys.argv[1], isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(sys.argv[2])
        return db
    writer, reader = connect(), connect()
    writer.executescript(sys.argv[3])
    writer.execute("PRAGMA busy_timeout = 0")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM plain").fetchall()
    writer.execute("BEGIN")
    writer.execute("INSERT INTO kg_nodes(key, kind) VALUES ('undecided', 'actor')")
    try:
        writer.execute("COMMIT")
    except sqlite3.OperationalError as e:
        assert "locked" in str(e), e
    os.kill(os.getpid(), signal.SIGKILL)
""")


def samverkan(*args):
    cli = os.environ.get("SAMVERKAN_CLI") or str(REPO / "build" / "bin" / "samverkan")
    if not os.path.exists(cli):
        pytest.skip("the samverkan command-line tool is not built")
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("decision", ["--commit", "--rollback"])
def test_an_undecided_transaction_whose_db_is_gone_is_reported_and_settled(
        connect, ext, tmp_path, decision):
    db_path = tmp_path / "gone.db"
    child = subprocess.run(["/usr/bin/python3", "-c", UNDECIDED, str(db_path), ext, SETUP],
                           timeout=60)
    assert child.returncode == -signal.SIGKILL
    for leftover in tmp_path.glob("gone.db*"):
        leftover.unlink()
    graph = str(tmp_path / "one.kg")

    # Another database that uses the graph cannot settle it, nor write.
    other = connect("other.db")
    other.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{graph}')")
    with pytest.raises(sqlite3.OperationalError, match="left undecided by a crash") as refused:
        other.execute("INSERT INTO kg_nodes(key, kind) VALUES ('x', 'actor')")
    assert f"samverkan check {graph}` names the transaction" in str(refused.value)
    other.close()

    checked = samverkan("check", graph)
    assert checked.returncode == 5, checked.stdout + checked.stderr
    found = re.search(r"undecided: transaction '([0-9a-f]{32})'", checked.stdout)
    assert found, checked.stdout
    xid = found.group(1)
    assert f"SQLite database '{db_path}'" in checked.stdout
    assert f"samverkan settle {graph} --commit|--rollback {xid}" in checked.stdout

    assert samverkan("settle", graph, "--commit", "--rollback").returncode == 2
    assert samverkan("settle", graph, "--rollback", "0" * 32).returncode == 1
    settled = samverkan("settle", graph, decision)
    assert (settled.returncode, settled.stderr) == (0, "")
    assert f"settled: transaction '{xid}'" in settled.stdout
    after = samverkan("check", graph)
    assert after.returncode == 0 and after.stdout.startswith("ok:"), after.stdout

    conn = connect("other.db")
    assert graph_keys(conn) == ({"undecided"} if decision == "--commit" else set())
    conn.execute("INSERT INTO kg_nodes(key, kind) VALUES ('x', 'actor')")
    assert "x" in graph_keys(conn)
    assert samverkan("settle", graph, "--rollback").returncode == 0  # nothing to settle
