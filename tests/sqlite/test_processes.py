"""A second process, and the real sqlite3 shell."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import rows

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


def test_second_process_reads_and_cannot_write(db, ext, tmp_path):
    child = Child(str(tmp_path / "test.db"), ext)
    try:
        assert child.run("SELECT count(*) FROM kg_nodes") == {"rows": [[5]]}
        assert child.run("SELECT read_only FROM kg") == {"rows": [[1]]}
        graph = str(tmp_path / "msi.kg")
        assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('p:1', 'person')") == {
            "error": f"kg_nodes: graph '{graph}' is locked by another process"}
        assert child.run("INSERT INTO kg_edges(src, type, dst) VALUES ('org:msi', 'x', 'org:oru')") == {
            "error": f"kg_edges: graph '{graph}' is locked by another process"}
        assert child.run("INSERT INTO kg(kg) VALUES ('compact')") == {
            "error": f"kg: cannot compact graph '{graph}': it is open read-only"}
        # The writer commits; the reader's next statement sees it.
        db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('p:2', 'person')")
        assert child.run("SELECT key FROM kg_nodes WHERE kind = 'person'") == {"rows": [["p:2"]]}
        assert child.run("SELECT key FROM kg_neighbors('kg', 'org:msi')") == {
            "rows": [["proj:mora"], ["reg:mora"]]}
        assert json.loads(child.run("SELECT kg_stats('kg')")["rows"][0][0])["read_only"] is True
    finally:
        assert child.close() == 0
    assert rows(db, "SELECT count(*) FROM kg_nodes") == [(6,)]


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
    # Open between statements, not reopened by each: another process that
    # tries to write in between finds it held, as after a use of kg_nodes.
    setup = connect()
    setup.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')")
    setup.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor'), ('b', 'actor')")
    setup.close()
    db = connect()
    assert rows(db, "SELECT count(*) FROM kg_degree('kg')") == [(2,)]
    child = Child(str(tmp_path / "test.db"), ext)
    try:
        graph = str(tmp_path / "msi.kg")
        assert child.run("INSERT INTO kg_nodes(key, kind) VALUES ('c', 'actor')") == {
            "error": f"kg_nodes: graph '{graph}' is locked by another process"}
    finally:
        assert child.close() == 0
    assert rows(db, "SELECT count(*) FROM kg_degree('kg')") == [(2,)]
