"""Samverkan's SQLite extension for Python's sqlite3.

    import sqlite3, samverkan
    conn = sqlite3.connect("msi.db")
    conn.enable_load_extension(True)
    samverkan.load(conn)
    samverkan.cypher(conn, "MATCH (a:actor) RETURN a.name AS name LIMIT 2")
    # [{'name': 'MSI'}, {'name': 'Örebro universitet'}]
    g = samverkan.to_networkx(conn, via="project")   # the actors' collaboration ties

loadable_path() is the path to give sqlite3's load_extension (or the
sqlite3 shell's .load) yourself. cypher() and cypher_df() run a Cypher
query through kg_cypher() and return its rows as Python values, so that no
one has to parse JSON by hand. to_dataframe(), to_networkx() and
to_igraph() read a graph (or its projection onto actors) in bulk into the
structures analysts use; pandas, NetworkX and igraph are imported only by
the function that needs them.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

from .structures import to_dataframe, to_igraph, to_networkx

if TYPE_CHECKING:  # imported only by the function that uses it
    import pandas

__version__ = "0.1.0"
__all__ = ["load", "loadable_path", "cypher", "cypher_df", "to_dataframe", "to_networkx",
           "to_igraph", "MIN_SQLITE_VERSION", "__version__"]

#: The oldest SQLite the extension runs on. It calls sqlite3_db_name()
#: (SQLite 3.39), and its guard against a hostile .db's schema calling its
#: functions relies on how 3.40 treats non-deterministic functions in CHECK
#: constraints; 3.40 is Debian 12's, the one it is built and tested with.
#: An extension calling a routine its host SQLite lacks would crash the
#: process, so load() refuses an older one first.
MIN_SQLITE_VERSION: Tuple[int, int, int] = (3, 40, 0)

Params = Optional[Mapping[str, Any]]


def loadable_path() -> str:
    """The extension inside this package, without its .so suffix (as
    sqlite3_load_extension takes it)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "samverkan")


def load(conn: sqlite3.Connection) -> None:
    """Loads the extension into `conn`, a sqlite3.Connection whose extension
    loading has been enabled (conn.enable_load_extension(True)).

    Raises RuntimeError, saying what to do, when this Python's sqlite3 was
    built without extension loading or its SQLite is older than
    MIN_SQLITE_VERSION; sqlite3.OperationalError when loading has not been
    enabled on `conn`."""
    if not hasattr(conn, "load_extension") or not hasattr(conn, "enable_load_extension"):
        raise RuntimeError(
            "this Python's sqlite3 cannot load extensions (it was built without "
            "SQLITE_ENABLE_LOAD_EXTENSION, as macOS's system Python and some pyenv/"
            "python.org builds are): use a Python whose sqlite3 can, e.g. Debian's or "
            "Ubuntu's python3, conda's, or pyenv with "
            "PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions")
    text = conn.execute("SELECT sqlite_version()").fetchone()[0]
    running = tuple(int(x) for x in re.findall(r"\d+", text)[:3])
    if running < MIN_SQLITE_VERSION:
        need = ".".join(map(str, MIN_SQLITE_VERSION))
        raise RuntimeError(
            f"samverkan needs SQLite {need} or newer; this Python's sqlite3 runs SQLite "
            f"{text}. Use a Python built with a newer SQLite (Debian 12's python3 has 3.40)")
    try:
        conn.load_extension(loadable_path())
    except sqlite3.OperationalError as e:
        if "not authorized" in str(e):
            raise sqlite3.OperationalError(
                "extension loading is off on this connection: call "
                "conn.enable_load_extension(True) before samverkan.load(conn)") from e
        raise


def _rows(conn: sqlite3.Connection, query: str, params: Params,
          graph: str) -> List[Dict[str, Any]]:
    args = (graph, query, None if params is None else json.dumps(params))
    cur = conn.execute("SELECT row FROM kg_cypher(?, ?, ?)", args)
    return [json.loads(r[0]) for r in cur]


def cypher(conn: sqlite3.Connection, query: str, params: Params = None, *,
           graph: str = "kg") -> List[Dict[str, Any]]:
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


def cypher_df(conn: sqlite3.Connection, query: str, params: Params = None, *,
              graph: str = "kg") -> "pandas.DataFrame":
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


def _columns(conn: sqlite3.Connection, query: str, params: Params,
             graph: str) -> List[str]:
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

