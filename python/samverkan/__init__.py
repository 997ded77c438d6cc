"""Samverkan's SQLite extension for Python's sqlite3.

    import sqlite3, samverkan
    conn = sqlite3.connect("msi.db")
    conn.enable_load_extension(True)
    samverkan.load(conn)

loadable_path() is the path to give sqlite3's load_extension (or the
sqlite3 shell's .load) yourself.
"""
import os

__version__ = "0.1.0"
__all__ = ["load", "loadable_path", "__version__"]


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
