"""Samverkan's SQLite extension for Python's sqlite3.

    import sqlite3, samverkan
    conn = sqlite3.connect("msi.db")
    conn.enable_load_extension(True)
    samverkan.load(conn)
    samverkan.cypher(conn, "MATCH (a:actor) RETURN a.name AS name LIMIT 2")
    # [{'name': 'MSI'}, {'name': 'Örebro universitet'}]

loadable_path() is the path to give sqlite3's load_extension (or the
sqlite3 shell's .load) yourself. cypher() and cypher_df() run a Cypher
query through kg_cypher() and return its rows as Python values, so that no
one has to parse JSON by hand.
"""
import json
import os
import re

__version__ = "0.1.0"
__all__ = ["load", "loadable_path", "cypher", "cypher_df", "__version__"]


def loadable_path():
    """The extension inside this package, without its .so suffix (as
    sqlite3_load_extension takes it)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "samverkan")


def load(conn):
    """Loads the extension into `conn`, a sqlite3.Connection whose extension
    loading has been enabled (conn.enable_load_extension(True))."""
    if not hasattr(conn, "load_extension"):
        raise RuntimeError("this Python's sqlite3 cannot load extensions "
                           "(it was built without SQLITE_ENABLE_LOAD_EXTENSION)")
    conn.load_extension(loadable_path())


def _rows(conn, query, params, graph):
    args = (graph, query, None if params is None else json.dumps(params))
    cur = conn.execute("SELECT row FROM kg_cypher(?, ?, ?)", args)
    return [json.loads(r[0]) for r in cur]


def cypher(conn, query, params=None, *, graph="kg"):
    """Runs the Cypher `query` on the graph table `graph` (the samverkan
    virtual table's name) of `conn`, with `params` (a dict) for its
    $parameters, and returns its rows: a list of dicts, one per row, with the
    RETURN columns as keys in their order. Values are as in kg_cypher's JSON:
    numbers, strings, booleans, None, lists, dicts; a node is a dict with id,
    key, labels and properties, a relationship one with id, type, start, end
    and properties, a path one with nodes and relationships. A query that
    writes does so through the connection's transaction. Errors are raised as
    sqlite3.Error with kg_cypher's message (class, code, place)."""
    return _rows(conn, query, params, graph)


def cypher_df(conn, query, params=None, *, graph="kg"):
    """cypher() as a pandas DataFrame, one column per RETURN column in order
    (also when there are no rows). Needs pandas (Debian: python3-pandas)."""
    try:
        import pandas
    except ImportError as e:
        raise ImportError("samverkan.cypher_df needs pandas (Debian: apt install "
                          "python3-pandas; or pip install pandas); samverkan.cypher "
                          "returns the same rows as a list of dicts") from e
    rows = _rows(conn, query, params, graph)
    columns = list(rows[0]) if rows else _columns(conn, query, params, graph)
    return pandas.DataFrame([list(r.values()) for r in rows], columns=columns)


def _columns(conn, query, params, graph):
    """The RETURN columns of a query that gave no rows: a stored query
    (samverkan_cypher) on it tells them without running it. A query that
    writes cannot be stored; its columns are then unknown (none)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", graph):
        return []
    name = "temp._samverkan_columns"
    quoted = "'" + query.replace("'", "''") + "'"
    try:
        conn.execute(f"CREATE VIRTUAL TABLE {name} USING samverkan_cypher({graph}, {quoted})")
    except Exception:
        return []
    try:
        # table_info leaves out the hidden columns (the $parameters).
        return [r[1] for r in conn.execute("PRAGMA temp.table_info(_samverkan_columns)")]
    finally:
        conn.execute(f"DROP TABLE {name}")
