"""Running out of memory in the middle of a bulk import, whichever thread it
hits (the edges file is read in parts on both cores, and the loader sorts
and writes on both), is an error for the statement, never a crash of the
host: the sqlite3 shell prints it and carries on, and the graph is left as
it was. The same for reads: whatever statement memory runs out in, and
whatever runs while it fails (RocksDB, destructors, background threads)."""
import os
import random
import shutil
import subprocess

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("big")
    rng = random.Random(7)
    n = 100_000
    with open(d / "nodes.csv", "w") as f:
        f.write(":ID,:LABEL\n")
        f.writelines(f"n{i},actor\n" for i in range(n))
    with open(d / "edges.csv", "w") as f:
        f.write(":START_ID,:END_ID,:TYPE,note\n")
        f.writelines(f"n{rng.randrange(n)},n{rng.randrange(n)},knows,{'x' * 24}\n"
                     for _ in range(1_000_000))
    return d


@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="AddressSanitizer reserves more address space than any limit allows")
@pytest.mark.parametrize("limit_mb", [320, 450])
def test_out_of_memory_in_a_bulk_import_is_an_error(ext, tmp_path, big_files, limit_mb):
    script = (f"CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg');\n"
              f"SELECT kg_import('kg', '{big_files}', 'csv');\n"
              f"SELECT 'after', count(*) FROM kg_nodes;\n")
    r = subprocess.run(["bash", "-c", f"ulimit -v {limit_mb * 1024}; exec sqlite3 "
                        f"-cmd '.load {ext}' t.db"], input=script, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1), f"the shell died ({r.returncode}): {r.stderr[-500:]}"
    assert "out of memory" in r.stderr or "Cannot allocate memory" in r.stderr, r.stderr
    # The shell went on with the next statement, and the graph is empty.
    assert "after|0" in r.stdout, (r.stdout, r.stderr)


def run_shell_limited(ext, cwd, script, limit_mb):
    return subprocess.run(["bash", "-c", f"ulimit -v {limit_mb * 1024}; exec sqlite3 "
                           f"-cmd '.load {ext}' t.db"], input=script, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


# The limits are where the shell crashed before the graph's hash tables were
# made safe for running out of memory (samverkan/hash_table.h), on the
# project's machine; elsewhere memory runs out at other points, which the
# spread of limits covers.
@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="AddressSanitizer reserves more address space than any limit allows")
@pytest.mark.parametrize("limit_mb", [412, 428, 588, 604])
def test_out_of_memory_in_a_transaction_leaves_the_graph_as_it_was(ext, tmp_path, limit_mb):
    script = """
CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg');
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000000)
INSERT INTO kg_nodes(key, kind, props)
  SELECT 'n' || i, 'actor', json_object('x', printf('%.200c', 'x')) FROM c;
COMMIT;
SELECT 'after', count(*) FROM kg_nodes;
INSERT INTO kg_nodes(key, kind) VALUES ('written after', 'actor');
SELECT 'then', count(*) FROM kg_nodes;
"""
    r = run_shell_limited(ext, tmp_path, script, limit_mb)
    assert r.returncode in (0, 1), f"the shell died ({r.returncode}): {r.stderr[-500:]}"
    assert "out of memory" in r.stderr, r.stderr
    # None of the transaction's nodes, and the connection writes on.
    assert "after|0" in r.stdout and "then|1" in r.stdout, (r.stdout, r.stderr)


@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="AddressSanitizer reserves more address space than any limit allows")
@pytest.mark.parametrize("limit_mb", [580, 640, 700])
def test_out_of_memory_in_a_cypher_distinct_is_an_error(ext, tmp_path, limit_mb):
    script = """
CREATE VIRTUAL TABLE kg USING samverkan(path='g.kg');
SELECT * FROM kg_cypher('kg', 'UNWIND range(1, 6000000) AS x RETURN count(DISTINCT x) AS n');
SELECT * FROM kg_cypher('kg', 'UNWIND range(1, 1000) AS x RETURN count(DISTINCT x) AS n');
"""
    r = run_shell_limited(ext, tmp_path, script, limit_mb)
    assert r.returncode in (0, 1), f"the shell died ({r.returncode}): {r.stderr[-500:]}"
    assert "out of memory" in r.stderr, r.stderr
    assert r.stdout.strip().splitlines()[-1] == '{"n":1000}', (r.stdout, r.stderr)


# Reads of every kind over a graph with properties: Cypher aggregates and
# property maps, SQL scans of props and a join, an algorithm, a collect.
READS = """
CREATE VIRTUAL TABLE kg USING samverkan(path='{graph}');
SELECT 'q1', * FROM kg_cypher('kg', 'MATCH ()-[e:participates_in]->() RETURN count(e.role) AS n');
SELECT 'q2', * FROM kg_cypher('kg', 'MATCH (a:actor)-[e:participates_in]->(p) RETURN a.country AS c, count(*) AS n, sum(e.contribution) AS s ORDER BY n DESC, c LIMIT 3');
SELECT 'q3', count(props->>'role') FROM kg_edges WHERE type = 'participates_in';
SELECT 'q4', n.props->>'country' AS c, count(*) AS k FROM kg_edges e JOIN kg_nodes n ON n.key = e.src WHERE e.type = 'participates_in' GROUP BY c ORDER BY k DESC, c LIMIT 2;
SELECT 'q5', * FROM kg_cypher('kg', 'MATCH (a:actor) WHERE a.country STARTS WITH ''S'' RETURN a.country AS c, properties(a) AS p ORDER BY a.name LIMIT 2');
SELECT 'q6', count(*) FROM kg_pagerank('kg');
SELECT 'q7', * FROM kg_cypher('kg', 'MATCH (a:actor)-[e]->(p:project) WITH a, collect(e {{.*}}) AS es RETURN count(a) AS a, sum(size(es)) AS e');
"""


@pytest.fixture(scope="module")
def graph_with_props(tmp_path_factory):
    d = tmp_path_factory.mktemp("props")
    rng = random.Random(11)
    (d / "csv").mkdir()
    countries = ["SE", "SI", "NO", "FI", "DE", "PL", "RO", "ES"]
    regions, projects, actors = 60, 4000, 16000
    with open(d / "csv" / "nodes.csv", "w") as f:
        f.write(":ID,:LABEL,name,sector,props.country\n")
        f.writelines(f"r{i},region,Region {i},,\n" for i in range(regions))
        f.writelines(f"p{i},project,Project {i},,\n" for i in range(projects))
        f.writelines(f"a{i},actor,Actor {i},{rng.choice(['academia', 'business', 'public'])},"
                     f"{rng.choice(countries)}\n" for i in range(actors))
    with open(d / "csv" / "edges.csv", "w") as f:
        f.write(":START_ID,:END_ID,:TYPE,weight:double,props.role,props.contribution:double,"
                "valid_from:date,valid_to:date\n")
        f.writelines(f"a{i},r{rng.randrange(regions)},located_in,1.0,,,,\n" for i in range(actors))
        for _ in range(200_000):
            year = rng.randrange(2000, 2024)
            f.write(f"a{rng.randrange(actors)},p{rng.randrange(projects)},participates_in,1.0,"
                    f"{rng.choice(['coordinator', 'participant', 'partner'])},"
                    f"{rng.randrange(100000, 10000000) / 100},{year}-01-01,{year + 3}-12-31\n")
    cli = os.environ.get("SAMVERKAN_CLI") or str(REPO / "build" / "bin" / "samverkan")
    subprocess.run([cli, "import", str(d / "g.kg"), str(d / "csv"), "--bulk"], check=True,
                   capture_output=True)
    assert (d / "g.kg" / "snapshot" / "columns.svcol").exists()
    return d / "g.kg"


@pytest.fixture(scope="module")
def expected_reads(ext, graph_with_props, tmp_path_factory):
    d = tmp_path_factory.mktemp("unlimited")
    shutil.copytree(graph_with_props, d / "g.kg")
    r = run_shell_limited(ext, d, READS.format(graph=d / "g.kg"), 1 << 20)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    lines = r.stdout.splitlines()
    assert [line.split("|")[0] for line in lines] == ["q1", "q2", "q2", "q2", "q3", "q4", "q4",
                                                      "q5", "q5", "q6", "q7"], lines
    return set(lines)


# The C library's own ends, when it cannot allocate for itself (a new
# thread's thread-local storage; an internal error), are not covered
# (architecture.md, "Running out of memory"): such a run is an expected
# failure, shown as one. What the memory reserve exists for, std::terminate
# and RocksDB's assertions, fails the test.
GLIBC_GAVE_UP = ("cannot allocate memory for thread-local data", "Unexpected error.")


# Before the memory reserve (samverkan/memory_reserve.h) about one run in five
# over these limits ended the shell on the project's machine: a property map
# destroyed in Cypher (nlohmann's destructor allocates, noexcept), RocksDB
# meeting a failed allocation (an assertion on its reference counts), a
# background thread that could not start another. Where memory runs out
# moves with the machine; the spread of limits covers that.
@pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                    reason="AddressSanitizer reserves more address space than any limit allows")
@pytest.mark.parametrize("snapshot", ["mapped", "built"])
@pytest.mark.parametrize("limit_mb", range(216, 570, 16))
def test_out_of_memory_in_reads_is_an_error(ext, tmp_path, graph_with_props, expected_reads,
                                            limit_mb, snapshot):
    graph = tmp_path / "g.kg"
    shutil.copytree(graph_with_props, graph)
    if snapshot == "built":
        shutil.rmtree(graph / "snapshot")  # read from the store, the columns built
    r = run_shell_limited(ext, tmp_path, READS.format(graph=graph), limit_mb)
    # A statement either fails with a message or answers right.
    assert set(r.stdout.splitlines()) <= expected_reads, (r.stdout, r.stderr)
    for died in ("terminate called", "Assertion"):
        assert died not in r.stderr, r.stderr[-800:]
    if r.returncode not in (0, 1) and any(m in r.stderr for m in GLIBC_GAVE_UP):
        pytest.xfail(f"the C library ended the process ({r.returncode}), which no library "
                     f"can catch: {r.stderr[-300:]}")
    assert r.returncode in (0, 1), f"the shell died ({r.returncode}): {r.stderr[-800:]}"
    if r.returncode == 1:
        assert "out of memory" in r.stderr, r.stderr[-800:]
