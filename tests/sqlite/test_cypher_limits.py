"""Cypher text cannot crash or stall the host (issue #18, items 7-9): query
text nested past the limit (1,000 levels, docs/cypher.md), parameters'
JSON nested past it, and a stored query (samverkan_cypher) of a hostile .db
each give a clear error; parsing stops when the statement is interrupted.

The deep inputs run in a child process (the sqlite3 shell), so that a crash
fails the test instead of ending the test run."""
import sqlite3
import subprocess

import pytest

from conftest import rows

DEEP = {
    "a list nested 7,000 deep": "RETURN " + "[" * 7000 + "]" * 7000,
    "a sum of 8,500 terms": "RETURN 1" + " + 1" * 8499,
    "10,000 parentheses": "RETURN " + "(" * 10000 + "1" + ")" * 10000,
    "100,000 NOT": "RETURN " + "NOT " * 100000 + "true",
    "100,000 unary minus": "RETURN " + "- " * 100000 + "1",
    "a chain of 20,000 AND": "RETURN true" + " AND true" * 20000,
    "a map nested 5,000 deep": "RETURN " + "{a: " * 5000 + "1" + "}" * 5000,
}


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def shell(ext, path, script):
    """Runs `script` in the sqlite3 shell with the extension loaded."""
    return subprocess.run(["sqlite3", "-cmd", f".load {ext}", str(path)], input=script,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_query_text_is_a_clear_error(ext, tmp_path, name):
    out = shell(ext, tmp_path / "t.db",
                "CREATE VIRTUAL TABLE kg USING samverkan(path='t.kg');\n"
                f"SELECT * FROM kg_cypher('kg', {quote(DEEP[name])});\n"
                "SELECT 'alive';\n")
    assert out.returncode >= 0, f"the shell died ({out.returncode}): {out.stderr[-300:]}"
    assert "kg_cypher: SyntaxError (NestingTooDeep) at line 1, column " in out.stderr
    # The limit; or, where frames are large (a sanitizer build), the stack
    # guard a little before it.
    assert "deeper than 1000 levels" in out.stderr or "too deeply for the stack" in out.stderr
    assert out.stdout == "alive\n"


def test_deep_parameters_are_a_clear_error(ext, tmp_path):
    deep = '{"p": ' + "[" * 100000 + "]" * 100000 + "}"
    out = shell(ext, tmp_path / "t.db",
                "CREATE VIRTUAL TABLE kg USING samverkan(path='t.kg');\n"
                f"SELECT * FROM kg_cypher('kg', 'RETURN $p', {quote(deep)});\n"
                f"SELECT * FROM kg_cypher('kg', 'RETURN 1', '{{}}', {quote(deep)});\n"
                "SELECT 'alive';\n")
    assert out.returncode >= 0, f"the shell died ({out.returncode}): {out.stderr[-300:]}"
    assert "kg_cypher: params: parameters nest deeper than 1000 levels (at byte 1005)" \
        in out.stderr
    assert "kg_cypher: options: nested deeper than 1000 levels (at byte 1005)" in out.stderr
    assert out.stdout == "alive\n"


def test_queries_at_the_limit_run(db):
    # 999 NOTs and the literal: 1,000 levels. (Each way of nesting is run at
    # the limit in tests/cypher, on a thread with the stack it needs.)
    query = "RETURN " + "NOT " * 999 + "true AS x"
    assert rows(db, "SELECT row FROM kg_cypher('kg', ?)", (query,)) == [('{"x":false}',)]
    with pytest.raises(sqlite3.OperationalError, match=r"NestingTooDeep\) at line 1, column 4004"):
        db.execute("SELECT row FROM kg_cypher('kg', ?)", ("RETURN " + "NOT " * 1000 + "true",))
    param = '{"p": ' + "[" * 999 + "]" * 999 + "}"
    [(row,)] = rows(db, "SELECT row FROM kg_cypher('kg', 'RETURN $p AS p', ?)", (param,))
    assert row == '{"p":' + "[" * 999 + "]" * 999 + "}"


HOSTILE = "RETURN " + "(" * 20000 + "1" + ")" * 20000 + " AS x"


@pytest.mark.parametrize("trusted", ["OFF", "ON"])
def test_a_hostile_stored_query_is_an_error_not_a_crash(connect, ext, tmp_path, trusted):
    # The attacker writes the stored query's text into the schema directly
    # (CREATE VIRTUAL TABLE would refuse it), and a view over it.
    made = connect("hostile.db")
    made.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='hostile.kg')")
    made.execute("CREATE VIRTUAL TABLE q USING samverkan_cypher(kg, 'RETURN 1 AS x')")
    made.execute("CREATE VIEW v AS SELECT * FROM q")
    made.execute("PRAGMA writable_schema = ON")
    made.execute("UPDATE sqlite_schema SET sql = ? WHERE name = 'q'",
                 (f"CREATE VIRTUAL TABLE q USING samverkan_cypher(kg, {quote(HOSTILE)})",))
    made.close()
    out = shell(ext, tmp_path / "hostile.db",
                f"PRAGMA trusted_schema = {trusted};\n"
                "SELECT count(*) FROM sqlite_schema;\n"
                "SELECT * FROM v;\n"
                "SELECT * FROM q;\n"
                "SELECT 'alive';\n")
    assert out.returncode >= 0, f"the shell died ({out.returncode}): {out.stderr[-300:]}"
    errors = [line for line in out.stderr.splitlines() if line.startswith(("Parse error",
                                                                           "Runtime error",
                                                                           "Error"))]
    assert len(errors) == 2, out.stderr[-600:]
    for e in errors:
        assert "samverkan_cypher: SyntaxError (NestingTooDeep) at line 1, column " in e, e
    count, alive = out.stdout.splitlines()
    assert count.isdigit() and alive == "alive"


def test_an_interrupt_stops_a_long_parse(db):
    # The statement is interrupted before kg_cypher starts (stop() runs as
    # its argument is computed): a parse that polls stops at once; one that
    # does not reads the whole text and reports the syntax error at its end.
    db.create_function("stop", 0, lambda: db.interrupt() or "")
    query = "RETURN [" + "1, " * 300000 + "1] +"
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        db.execute("SELECT * FROM kg_cypher('kg', stop() || ?)", (query,)).fetchall()
    # The connection goes on, and without the interrupt the text is parsed.
    with pytest.raises(sqlite3.OperationalError, match="UnexpectedSyntax"):
        db.execute("SELECT * FROM kg_cypher('kg', ?)", (query,)).fetchall()


def test_a_stored_query_has_at_most_a_mebibyte_of_text(db):
    big = "RETURN 1 AS x" + " " * (1 << 20)
    with pytest.raises(sqlite3.OperationalError,
                       match=r"samverkan_cypher: the query is 1048589 bytes; "
                             r"a stored query has at most 1048576"):
        db.execute("CREATE VIRTUAL TABLE q USING samverkan_cypher(kg, ?)".replace("?", quote(big)))
    db.execute("CREATE VIRTUAL TABLE q USING samverkan_cypher(kg, 'RETURN 1 AS x')")
    assert rows(db, "SELECT x FROM q") == [(1,)]
