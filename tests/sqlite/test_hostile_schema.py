"""No schema object of a database someone else wrote reaches the file system
or a graph through the extension (docs/security.md), for every function and
module the extension registers.

What is tried is not a list kept by hand: it is what the extension itself
registers, read from pragma_function_list and pragma_module_list before and
after loading it, so a function or module added later is tried too. Each
is placed, with arguments that would do harm, in every part of a schema that
can call it (a CHECK constraint, a DEFAULT, a generated column, an index, a
trigger, a view), by an attacker's connection that writes the schema as it
likes (stand-in functions, writable_schema). Another connection, the
victim's, loads the extension and uses the database without naming any of
our functions, with trusted_schema OFF and ON. Each use must be refused by
SQLite as unsafe, and the directory holding the database, a graph, a file
to import and a file an export would overwrite must be exactly as it was:
no file written, created or replaced, no graph opened (opening a graph
writes RocksDB's log). A control run shows that each harmful call, made by
the user directly, does change that directory, so the check can fail.

The rule being proved: a function that opens a graph or touches a file is
SQLITE_DIRECTONLY (and deterministic, without which SQLite 3.40 lets a CHECK
constraint call it); only functions in PURE, which answer from the build
alone, may be callable from a schema."""
import functools
import os
import pathlib
import shutil
import sqlite3

import pytest

from conftest import REPO

# Functions that depend on nothing but the build, and so may be innocuous.
# Adding a name here is a security decision: see docs/security.md.
PURE = {"kg_version", "kg_debug"}
# Functions whose harm is to the victim's connection, not to its files
# (kg_set would raise or lift a limit): refused from a schema like the rest,
# but the control run, which looks for harm to files, cannot see theirs.
CONNECTION_SETTINGS = {"kg_set"}

SQLITE_DETERMINISTIC = 0x800
SQLITE_DIRECTONLY = 0x80000
SQLITE_INNOCUOUS = 0x200000

# Harmful arguments: each would open the graph 'kg' or write a file when
# called. A function or module missing here gets the graph and then the
# victim file as arguments; if those do no harm, the control test asks for
# an entry here.
FUNCTION_ARGS = {
    ("kg_import", 3): "'kg', '{payload}', 'jsonl'",
    ("kg_import", 4): "'kg', '{payload}', 'jsonl', '{{}}'",
    ("kg_export", 3): "'kg', 'jsonl', '{victim}'",
    ("kg_export", 4): "'kg', 'svg', '{victim}', '{{}}'",
}
TVF_ARGS = {
    "kg_neighbors": "'kg', 'a'",
    "kg_shortest_path": "'kg', 'a', 'b'",
    "kg_all_shortest_paths": "'kg', 'a', 'b'",
    "kg_find": "'kg', 'a'",
    "kg_cypher": "'kg', 'CREATE (:actor {{key: ''injected''}})'",
}
# Modules whose tables a schema declares, and the table the schema then uses:
# (CREATE VIRTUAL TABLE statement or None when the graph's own, table name).
TABLE_MODULES = {
    "samverkan": (None, "kg"),
    "samverkan_nodes": (None, "kg_nodes"),
    "samverkan_edges": (None, "kg_edges"),
    "samverkan_cypher": ("CREATE VIRTUAL TABLE q USING samverkan_cypher(kg, "
                         "'MATCH (n) RETURN n.key AS k')", "q"),
}
# What a trigger may do with a table: read it, or write it.
TABLE_WRITES = {
    "kg": ["INSERT INTO kg(kg) VALUES ('compact')"],
    "kg_nodes": ["INSERT INTO kg_nodes(key, kind) VALUES ('injected', 'actor')",
                 "DELETE FROM kg_nodes"],
    "kg_edges": ["DELETE FROM kg_edges"],
}

# Where a schema can call a scalar function ({call}).
FUNCTION_PLACES = {
    "check": ["CREATE TABLE t(x CHECK ({call} IS NOT NULL))"],
    "default": ["CREATE TABLE t(x, y DEFAULT ({call}))"],
    "generated": ["CREATE TABLE t(x, y AS ({call}))"],
    "generated stored": ["CREATE TABLE t(x, y AS ({call}) STORED)"],
    "index expression": ["CREATE TABLE t(x)", "CREATE INDEX i ON t(({call}))"],
    "partial index": ["CREATE TABLE t(x)", "CREATE INDEX i ON t(x) WHERE {call} IS NOT NULL"],
    "trigger": ["CREATE TABLE t(x)",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT {call}; END"],
    "view": ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT {call} AS r"],
}
# Where a schema can read a table or a table-valued function ({table}).
TABLE_PLACES = {
    "trigger": ["CREATE TABLE t(x)",
                "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT * FROM {table}; END"],
    "view": ["CREATE TABLE t(x)", "CREATE VIEW v AS SELECT * FROM {table}"],
    "view of a view": ["CREATE TABLE t(x)", "CREATE VIEW w AS SELECT * FROM {table}",
                       "CREATE VIEW v AS SELECT * FROM w"],
}
# What the victim does: nothing that names one of our functions or tables.
VICTIM = ["INSERT INTO t(x) VALUES (1)", "UPDATE t SET x = 2", "SELECT * FROM t",
          "SELECT * FROM v", "REINDEX"]
DB_FILES = {"evil.db", "evil.db-journal", "evil.db-wal", "evil.db-shm"}


@functools.lru_cache
def registered(ext):
    """(functions [(name, narg, flags)], modules [name]) the extension adds."""
    db = sqlite3.connect(":memory:")
    functions = "SELECT DISTINCT name, narg, flags FROM pragma_function_list"
    modules = "SELECT name FROM pragma_module_list"
    before = (set(db.execute(functions)), set(db.execute(modules)))
    db.enable_load_extension(True)
    try:
        db.load_extension(ext)
    except sqlite3.Error:
        return [], []  # not built: the ext fixture says so
    after = (set(db.execute(functions)), set(db.execute(modules)))
    db.close()
    return sorted(after[0] - before[0]), sorted(m for (m,) in after[1] - before[1])


def pytest_generate_tests(metafunc):
    # The extension as conftest's ext fixture finds it, read before fixtures run.
    path = (metafunc.config.getoption("--ext") or os.environ.get("SAMVERKAN_EXT")
            or str(REPO / "build" / "samverkan"))
    functions, modules = registered(str(pathlib.Path(path).resolve()))
    if "function" in metafunc.fixturenames:
        if metafunc.definition.name.startswith("test_control"):
            functions = [f for f in functions if f[0] not in PURE | CONNECTION_SETTINGS]
        metafunc.parametrize("function", functions, ids=[f"{n}/{a}" for n, a, _ in functions])
    if "module_name" in metafunc.fixturenames:
        metafunc.parametrize("module_name", modules)


@pytest.fixture(scope="module")
def template_graph(ext, tmp_path_factory):
    """A closed graph with nodes a and b, copied into each hostile setup."""
    where = tmp_path_factory.mktemp("template")
    db = sqlite3.connect(where / "made.db", isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"CREATE VIRTUAL TABLE kg USING samverkan(path='{where}/real.kg')")
    db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor'), ('b', 'actor')")
    db.execute("INSERT INTO kg_edges(src, type, dst) VALUES ('a', 'knows', 'b')")
    schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                        "WHERE sql IS NOT NULL").fetchall()
    db.close()
    return where / "real.kg", schema


def setup_dir(where, template_graph):
    """A directory with the graph real.kg, a victim file and a payload."""
    graph, _ = template_graph
    where.mkdir()
    shutil.copytree(graph, where / "real.kg")
    (where / "victim.txt").write_text("precious")
    (where / "payload.jsonl").write_text('{"key":"injected","kind":"actor"}\n')
    return {"victim": where / "victim.txt", "payload": where / "payload.jsonl"}


def build_hostile_db(ext, where, template_graph, statements):
    """evil.db in `where`: the graph tables kg, kg_nodes, kg_edges (and
    kg_commits) naming where/real.kg, plus `statements`, written without the
    extension as an attacker may: stand-ins for our functions, and
    sqlite_schema rows for virtual tables."""
    _, schema = template_graph
    db = sqlite3.connect(where / "evil.db", isolation_level=None)
    for name, narg, _ in registered(ext)[0]:
        db.create_function(name, narg, lambda *args: 1, deterministic=True)
    db.execute("PRAGMA writable_schema = ON")
    db.execute("PRAGMA trusted_schema = ON")  # the attacker's own connection trusts its stand-ins
    db.execute("BEGIN")
    for kind, name, tbl_name, sql in schema:
        sql = sql.replace(str(template_graph[0]), str(where / "real.kg"))
        if sql.upper().startswith("CREATE VIRTUAL TABLE"):
            db.execute("INSERT INTO sqlite_schema(type, name, tbl_name, rootpage, sql) "
                       "VALUES (?, ?, ?, 0, ?)", (kind, name, tbl_name, sql))
        else:
            db.execute(sql)
    for sql in statements:
        if sql.upper().startswith("CREATE VIRTUAL TABLE"):
            name = sql.split()[3]
            db.execute("INSERT INTO sqlite_schema(type, name, tbl_name, rootpage, sql) "
                       "VALUES ('table', ?, ?, 0, ?)", (name, name, sql))
        else:
            db.execute(sql)
    db.execute("COMMIT")
    db.close()
    return where / "evil.db"


def tree(where):
    """Every file under `where` but the database's own, with its size, time
    and content: what must not change."""
    state = {}
    for root, dirs, files in os.walk(where):
        for name in dirs + files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, where)
            if rel in DB_FILES:
                continue
            st = os.lstat(path)
            content = open(path, "rb").read() if os.path.isfile(path) else None
            state[rel] = (st.st_size, st.st_mtime_ns, content)
    return state


def use_as_victim(ext, path, trusted, statements=VICTIM):
    db = sqlite3.connect(path, isolation_level=None)
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.execute(f"PRAGMA trusted_schema = {trusted}")
    outcomes = []
    # synchronous = OFF for speed: nothing here is about durability.
    for sql in ["PRAGMA synchronous = OFF"] + list(statements):
        try:
            db.execute(sql).fetchall()
            outcomes.append("ok")
        except sqlite3.Error as e:
            outcomes.append(str(e))
    db.close()
    return outcomes


def function_call(name, narg, files):
    args = FUNCTION_ARGS.get((name, narg))
    if args is None:
        n = 2 if narg < 0 else narg
        args = ", ".join(["'kg'"] + ["'{victim}'"] * (n - 1)) if n > 0 else ""
    return f"{name}({args.format(**files)})"


def tables_of_module(module):
    """[(statements declaring it, the table or call a schema names)]: the
    module's own form (a table-valued function's call, a table module's
    table), and for a table-valued function also a table declared with it."""
    if module in TABLE_MODULES:
        create, table = TABLE_MODULES[module]
        return [([create] if create else [], table)]
    args = TVF_ARGS.get(module, "'kg'").format()
    return [([], f"{module}({args})"),
            ([f"CREATE VIRTUAL TABLE x USING {module}(kg)"], "x")]


def assert_refused_and_harmless(ext, where, template_graph, statements, refusal, context):
    path = build_hostile_db(ext, where, template_graph, statements)
    for trusted in ("OFF", "ON"):
        before = tree(where)
        outcomes = use_as_victim(ext, path, trusted)
        assert any(refusal in o for o in outcomes), (context, trusted, outcomes)
        assert tree(where) == before, (context, trusted, outcomes, "the schema touched files")


def test_the_extension_registers_something(ext):
    functions, modules = registered(ext)
    assert {"kg_export", "kg_import", "kg_version"} <= {name for name, _, _ in functions}
    assert {"samverkan", "samverkan_nodes", "kg_neighbors", "kg_cypher"} <= set(modules)


def test_only_pure_functions_may_be_called_from_a_schema(function):
    name, narg, flags = function
    if name in PURE:
        assert flags & SQLITE_INNOCUOUS and not flags & SQLITE_DIRECTONLY
    else:
        assert flags & SQLITE_DIRECTONLY, f"{name}/{narg} is not SQLITE_DIRECTONLY"
        assert flags & SQLITE_DETERMINISTIC, (
            f"{name}/{narg} is not deterministic: SQLite then runs it from a CHECK constraint")


def test_functions_in_every_schema_place(ext, tmp_path, template_graph, function):
    name, narg, _ = function
    for i, (place, statements) in enumerate(FUNCTION_PLACES.items()):
        where = tmp_path / f"p{i}"
        files = setup_dir(where, template_graph)
        call = function_call(name, narg, files)
        statements = [s.format(call=call) for s in statements]
        if name in PURE:
            # Allowed from the schema; it must still touch nothing.
            path = build_hostile_db(ext, where, template_graph, statements)
            for trusted in ("OFF", "ON"):
                before = tree(where)
                use_as_victim(ext, path, trusted)
                assert tree(where) == before, (call, place, trusted, "a pure function touched files")
        else:
            assert_refused_and_harmless(ext, where, template_graph, statements,
                                        f"unsafe use of {name}()", (call, place))


def test_modules_in_views_and_triggers(ext, tmp_path, template_graph, module_name):
    n = 0
    for declare, table in tables_of_module(module_name):
        places = dict(TABLE_PLACES)
        for j, write in enumerate(TABLE_WRITES.get(table, [])):
            places[f"trigger writing #{j}"] = [
                "CREATE TABLE t(x)", f"CREATE TRIGGER tr AFTER INSERT ON t BEGIN {write}; END"]
        for place, statements in places.items():
            n += 1
            where = tmp_path / f"p{n}"
            setup_dir(where, template_graph)
            statements = declare + [s.format(table=table) for s in statements]
            assert_refused_and_harmless(ext, where, template_graph, statements,
                                        "unsafe use of virtual table", (module_name, table, place))


def test_control_the_harmful_calls_do_harm_when_the_user_makes_them(
        ext, tmp_path, template_graph, function):
    name, narg, _ = function
    files = setup_dir(tmp_path / "d", template_graph)
    path = build_hostile_db(ext, tmp_path / "d", template_graph, [])
    before = tree(tmp_path / "d")
    outcomes = use_as_victim(ext, path, "OFF", [f"SELECT {function_call(name, narg, files)}"])
    assert tree(tmp_path / "d") != before, (
        f"{name}/{narg}: the arguments in FUNCTION_ARGS do no harm ({outcomes}); "
        "give this test arguments that open the graph or write a file")


def test_control_the_modules_do_harm_when_the_user_uses_them(ext, tmp_path, template_graph,
                                                             module_name):
    setup_dir(tmp_path / "d", template_graph)
    declare, table = tables_of_module(module_name)[0]
    path = build_hostile_db(ext, tmp_path / "d", template_graph, declare)
    before = tree(tmp_path / "d")
    outcomes = use_as_victim(ext, path, "OFF", [f"SELECT * FROM {table}"])
    assert tree(tmp_path / "d") != before, (
        f"{module_name}: using {table} does no harm ({outcomes}); "
        "give this test arguments (TVF_ARGS, TABLE_MODULES) that open the graph")
