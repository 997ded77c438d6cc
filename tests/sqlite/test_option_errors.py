"""Option errors name the option, whichever front end reads it.

SQL functions' options objects, the arguments of table-valued functions and
graph tables, and kg_cypher's options all go through one reader
(samverkan/options.h); each says, for a value of the wrong type, an unknown
option, a bad yes/no and a bad list of names, which option is wrong, in the
words of the place it was given. (kg_cypher's options have no yes/no and no
list of names; the yes/no arguments of the functions are in
test_functions.py::test_errors, a graph table's arguments in
test_persistence.py, the command line's in tests/importers/test_cli*.py.)
"""
import json
import sqlite3

import pytest

NAMES = "must be a list of names, as in 'a,b' or '[\"a\",\"b\"]'"


@pytest.mark.parametrize("sql, message", [
    # kg_import's and kg_export's options objects
    ("SELECT kg_import('kg', 'x.csv', 'csv', '{\"max_problems\": \"many\"}')",
     "kg_import: options: max_problems must be an integer between 1 and 1000000"),
    ("SELECT kg_import('kg', 'x.csv', 'csv', '{\"shape\": 1}')",
     "kg_import: options: unknown member 'shape'"),
    ("SELECT kg_import('kg', 'x.csv', 'csv', '{\"add_sectors\": [\"a\", 1]}')",
     "kg_import: options: add_sectors[1] must be a name (a string), not 1"),
    ("SELECT kg_import('kg', 'x.csv', 'csv', '{\"mode\": 3}')",
     "kg_import: options: mode must be 'auto', 'bulk' or 'transaction', not '3'"),
    ("SELECT kg_export('kg', 'svg', 'x.svg', '{\"isolates\": \"maybe\"}')",
     "kg_export: options: isolates must be true or false"),
    ("SELECT kg_export('kg', 'svg', 'x.svg', '{\"kinds\": {\"a\": 1}}')",
     f"kg_export: options: kinds {NAMES}"),
    # the arguments of table-valued functions
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 'two')",
     "kg_neighbors: depth must be a non-negative integer, not 'two'"),
    ("SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'both', NULL, '[\"actor\", 2]')",
     "kg_neighbors: kinds[1] must be a name (a string), not 2"),
    ("SELECT * FROM kg_degree('kg', '[\"actor\"')",
     f"kg_degree: kinds {NAMES}"),
    # kg_cypher's options
    ("SELECT * FROM kg_cypher('kg', 'RETURN 1', NULL, '{\"memory_limit\": \"lots\"}')",
     "kg_cypher: options: memory_limit must be a positive integer (bytes), "
     "as in '{\"memory_limit\": 4294967296}'"),
    ("SELECT * FROM kg_cypher('kg', 'RETURN 1', NULL, '{\"adjacancy\": \"csr\"}')",
     "kg_cypher: options: unknown member 'adjacancy' (known: adjacency, memory_limit)"),
    ("SELECT * FROM kg_cypher('kg', 'RETURN 1', NULL, '{\"adjacency\": 3}')",
     "kg_cypher: options: adjacency must be 'auto', 'csr' or 'stored', not '3'"),
    ("SELECT * FROM kg_cypher('kg', 'RETURN 1', NULL, '[\"csr\"]')",
     "kg_cypher: options: expected a JSON object, as in '{\"adjacency\": \"csr\"}'"),
])
def test_an_option_error_names_the_option(db, sql, message):
    with pytest.raises(sqlite3.OperationalError) as info:
        db.execute(sql).fetchall()
    assert str(info.value) == message


@pytest.mark.parametrize("value, expected", [
    ("YES", 1), ("on", 1), ("true", 1), (1, 1), ("1", 1),
    ("No", 0), ("off", 0), ("FALSE", 0), (0, 0),
])
def test_every_yes_no_word_is_read_alike_by_functions_and_graph_tables(db, connect, value,
                                                                      expected):
    got = db.execute("SELECT count(*) FROM kg_neighbors('kg', 'org:msi', 0, 'both', NULL, NULL, "
                     "NULL, ?)", (value,)).fetchone()[0]
    assert got == expected  # with include_start, the start is the one row at depth 0
    ro = connect("ro.db")
    ro.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg', readonly={json.dumps(value)})")
    assert ro.execute("SELECT read_only FROM kg").fetchone()[0] == expected
