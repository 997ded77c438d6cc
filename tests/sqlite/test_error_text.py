"""Error messages quote the input they are about with anything that is not
text escaped: every client gets an error it can read (Python's sqlite3 would
raise UnicodeDecodeError on invalid UTF-8 instead of sqlite3.Error), and a
NUL byte does not cut the message short."""
import sqlite3
import subprocess

import pytest

BAD_VALUES = {
    "invalid UTF-8": b"org:\xff\xfe-x",
    "a NUL byte": b"org:a\x00tail",
    "a lone continuation byte": b"\x80\x80",
    "a control character": b"org:\x07bell",
}
CALLS = [
    "SELECT * FROM kg_neighbors('kg', CAST(? AS TEXT))",
    "SELECT * FROM kg_shortest_path('kg', 'org:msi', CAST(? AS TEXT))",
    "SELECT * FROM kg_neighbors('kg', 'org:msi', 1, CAST(? AS TEXT))",
    "SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', CAST(? AS TEXT))",
    "SELECT * FROM kg_pagerank WHERE graph = 'kg' AND personalization = CAST(? AS TEXT)",
    "SELECT * FROM kg_components('kg', CAST(? AS TEXT))",
    "SELECT kg_stats(CAST(? AS TEXT))",
    "SELECT kg_import('kg', CAST(? AS TEXT), 'case')",
    "SELECT kg_export('kg', CAST(? AS TEXT), 'x.jsonl')",
    "INSERT INTO kg_nodes(key, kind, sector) VALUES ('org:new', 'actor', CAST(? AS TEXT))",
    "INSERT INTO kg_edges(src, type, dst) VALUES (CAST(? AS TEXT), 'knows', 'org:msi')",
    "INSERT INTO kg_edges(src, type, dst, valid_from) VALUES ('org:msi', 'knows', 'org:oru', "
    "CAST(? AS TEXT))",
]


@pytest.mark.parametrize("value", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
@pytest.mark.parametrize("sql", CALLS)
def test_messages_quote_bad_bytes_escaped(db, sql, value):
    with pytest.raises(sqlite3.Error) as info:
        db.execute(sql, (value,)).fetchall()
    msg = str(info.value)
    assert "\\x" in msg, msg
    # The message goes on past where the bad bytes were.
    if b"tail" in value:
        assert "tail" in msg, msg
    for byte in (b"\xff", b"\x00", b"\x07", b"\x80"):
        assert byte.decode("latin-1") not in msg


def test_the_shell_prints_the_escaped_message(ext, tmp_path):
    script = ("CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg');\n"
              "SELECT * FROM kg_neighbors('kg', CAST(X'6F72673AFF' AS TEXT));\n")
    r = subprocess.run(["sqlite3", "-cmd", f".load {ext}", str(tmp_path / "t.db")],
                       input=script.encode(), capture_output=True)
    assert b"kg_neighbors: unknown node 'org:\\xFF'" in r.stderr, r.stderr
