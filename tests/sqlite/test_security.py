"""A database someone else wrote opens no graph until the user asks for it:
its graph table may name any directory, and merely using the database's
plain tables must not create or open it (docs/security.md).

Every function and module the extension registers, placed in every part of
a schema, is tried in test_hostile_schema.py."""
import sqlite3

import pytest

TABLES = ["kg", "kg_nodes", "kg_edges"]


def build_hostile_db(ext, tmp_path, statements):
    """evil.db: a graph table whose directory is in `tmp_path/never` (which
    must never be created), plus `statements`."""
    path = tmp_path / "evil.db"
    db = sqlite3.connect(path)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path}/made.kg')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
    db.commit()
    for sql in statements:
        db.execute(sql)
    # The graph table now names a directory that does not exist.
    db.execute("PRAGMA writable_schema = ON")
    for table in TABLES:
        db.execute("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE name = ?",
                   (f"{tmp_path}/made.kg", f"{tmp_path}/never/g.kg", table))
    db.commit()
    db.close()
    return path


def test_the_graph_of_a_hostile_db_is_opened_only_when_the_user_asks(ext, tmp_path):
    path = build_hostile_db(ext, tmp_path, ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT 1"])
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    # Opening the .db and using its plain tables opens no graph.
    db.execute("SELECT * FROM t").fetchall()
    assert not (tmp_path / "never").exists()
    # Asking for the graph fails (it does not exist) and creates nothing.
    with pytest.raises(sqlite3.OperationalError, match="no graph at"):
        db.execute("SELECT * FROM kg_nodes").fetchall()
    assert not (tmp_path / "never").exists()
