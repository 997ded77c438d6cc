"""What the extension registers, and its introspection functions."""
import sqlite3
import subprocess

from conftest import rows

FUNCTIONS = ["kg_add_sector", "kg_debug", "kg_export", "kg_import", "kg_integrity_check",
             "kg_set", "kg_stats", "kg_version"]
MODULES = ["kg_all_shortest_paths", "kg_assortativity", "kg_betweenness", "kg_brokerage",
           "kg_closeness", "kg_clustering", "kg_communities", "kg_components",
           "kg_conductance", "kg_cypher", "kg_degree", "kg_ei_index", "kg_find", "kg_kcore",
           "kg_neighbors", "kg_pagerank", "kg_projection", "kg_sector_mixing",
           "kg_sector_ties_by_year", "kg_shortest_path",
           "samverkan", "samverkan_cypher", "samverkan_edges", "samverkan_nodes"]


def test_registers_exactly_these_functions_and_modules(connect, ext):
    db = connect(":memory:", load=False)
    funcs_before = {r[0] for r in rows(db, "SELECT name FROM pragma_function_list")}
    mods_before = {r[0] for r in rows(db, "SELECT name FROM pragma_module_list")}
    db.enable_load_extension(True)
    db.load_extension(ext)
    funcs_after = {r[0] for r in rows(db, "SELECT name FROM pragma_function_list")}
    mods_after = {r[0] for r in rows(db, "SELECT name FROM pragma_module_list")}
    assert sorted(funcs_after - funcs_before) == FUNCTIONS
    assert sorted(mods_after - mods_before) == MODULES


def test_only_the_entry_point_is_exported(ext):
    out = subprocess.run(["nm", "-D", "--defined-only", ext + ".so"], capture_output=True,
                         text=True, check=True).stdout
    exported = [line.split()[-1] for line in out.splitlines() if line.split()[1] in "TDBR"]
    assert exported == ["sqlite3_samverkan_init"]


def test_version(connect):
    db = connect(":memory:")
    assert rows(db, "SELECT kg_version()") == [("samverkan 0.1.0 (format 3)",)]


def test_debug_names_the_build(connect):
    text = connect(":memory:").execute("SELECT kg_debug()").fetchone()[0]
    lines = dict(line.split(": ", 1) for line in text.splitlines())
    assert lines["version"] == "0.1.0"
    assert lines["format"] == "3"
    assert lines["rocksdb"].count(".") == 2
    assert lines["sqlite (running)"] == sqlite3.sqlite_version
    assert "compiler" in lines


# RocksDB's background threads outlive a closed graph and may still run the
# extension's code (a logger or listener released by a finishing job), so the
# extension stays loaded when SQLite would unload it, at the close of the last
# connection that loaded it. (It was unloaded, and a process that went on
# after closing its connection died now and then in "rocksdb:low".)
def test_the_extension_stays_loaded_after_its_connection_closes(ext, tmp_path):
    script = f"""
import sqlite3
def mapped():
    return any("samverkan.so" in line for line in open("/proc/self/maps"))
db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension({ext!r})
db.execute("CREATE VIRTUAL TABLE kg USING samverkan(path='{tmp_path / 'g.kg'}')")
db.execute("INSERT INTO kg_nodes(key, kind) VALUES ('a', 'actor')")
assert mapped()
db.close()
print(mapped())
"""
    out = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["True"]


def test_loading_twice_is_harmless(connect, ext):
    db = connect(":memory:")
    db.load_extension(ext)
    assert rows(db, "SELECT kg_version()") == [("samverkan 0.1.0 (format 3)",)]
