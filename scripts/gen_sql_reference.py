#!/usr/bin/python3
"""Generates docs/sql-reference.md by running every example against the
built extension, so the outputs shown are real and cannot drift.

    /usr/bin/python3 scripts/gen_sql_reference.py --ext build/samverkan \\
        --out docs/sql-reference.md

tests/sqlite/test_docs.py regenerates it into a temporary file and compares.
Outputs are normalised in one way only: the temporary directory the examples
run in is shown as /data.
"""
import argparse
import os
import sqlite3
import tempfile

SETUP = """\
CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg');
INSERT INTO kg_nodes(key, kind, name, sector, aliases, props) VALUES
  ('org:msi', 'actor', 'MSI', 'nonprofit', '["Mora Sport Initiative"]', '{"founded":1998}'),
  ('org:oru', 'actor', 'Örebro universitet', 'academia', '[]', '{}'),
  ('org:vinnova', 'actor', 'Vinnova', 'public', '[]', '{}'),
  ('proj:mora', 'project', 'Mora digital', NULL, '[]', '{}'),
  ('reg:mora', 'region', 'Mora', NULL, '[]', '{}');
INSERT INTO kg_edges(src, type, dst, weight, valid_from, valid_to, props) VALUES
  ('org:msi', 'participates_in', 'proj:mora', 1.0, '2020-01-01', '2022-12-31', '{"role":"lead"}'),
  ('org:oru', 'participates_in', 'proj:mora', 5.0, NULL, NULL, '{"role":"partner"}'),
  ('org:vinnova', 'funds', 'proj:mora', 2.0, '2021-01-01', NULL, '{"sek":500000}'),
  ('org:msi', 'located_in', 'reg:mora', NULL, NULL, NULL, NULL);"""

# (title, text, [(argument or column, meaning)], [example SQL])
SECTIONS = [
    ("Loading", """\
Load the extension with `.load ./build/samverkan` in the `sqlite3` shell, or
`conn.load_extension("build/samverkan")` in Python (Debian's `/usr/bin/python3`).
The entry point is `sqlite3_samverkan_init`; it is the only exported symbol.

Arguments and options are read alike everywhere (by one reader, shared with the
`samverkan` tool): a yes/no is `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off` in any
case; a list of names is `'a,b'` or `'["a","b"]'`; an options object is one JSON object
with each key once. A wrong value is an error that names the argument or option, as
`kg_neighbors: include_start must be 1 or 0 (true or false), not 'maybe'` or
`kg_import: options: max_problems must be an integer between 1 and 1000000`.

Every example below runs on this graph:""", [], []),
    ("samverkan (CREATE VIRTUAL TABLE)", """\
`CREATE VIRTUAL TABLE kg USING samverkan(path='msi.kg')` opens the graph in directory
`path`, creating it if missing, and creates the tables `kg_nodes` and `kg_edges` with it,
and `kg_commits`, where the graph's commits are recorded (see Transactions). It refuses
when anything (a table, view, index or trigger) named `kg_nodes`, `kg_edges` or
`kg_commits` already exists: a table of the user's is never adopted, written or dropped.
It refuses names of the extension's functions too (a table `kg_pagerank` would hide the
function). All three tables are stored in the database schema: reopen the `.db` and
`.load` the extension, and the graph is back. A relative `path` is resolved against the
directory of the database file the table is in: the main database, or an attached one
(for an in-memory or temporary database: the working directory).

Only `CREATE VIRTUAL TABLE` creates a graph. If the directory is gone when the `.db` is
opened again (the graph moved, the `.db` was copied or restored elsewhere), every use of
the tables fails with `no graph at '<path>' ...`, and never answers from a new empty graph;
`DROP TABLE kg` and `CREATE VIRTUAL TABLE kg USING samverkan(path='<its new place>')` point
the table at it. `DROP TABLE kg` drops `kg_nodes`, `kg_edges` and `kg_commits` too (only those
that are still the graph's own) and closes the graph; it never deletes the graph directory.
Inside a transaction that has written the graph, `DROP TABLE` of `kg` or its tables is
refused with SQLite's `database table is locked` (SQLite passes no message of a virtual
table on for `DROP`), and `ALTER TABLE kg RENAME` with `cannot rename graph table kg: it
has uncommitted writes in this transaction`: commit or roll back first. `ALTER TABLE kg RENAME TO kg2`
renames `kg_nodes`, `kg_edges` and `kg_commits` to `kg2_nodes`, `kg2_edges` and
`kg2_commits`, under the same checks of the new names as `CREATE`; `kg_nodes` and
`kg_edges` are not renamed on their own.
Several graphs can be open in one connection (`kg1`, `kg2`, ...); functions name one as
`'kg'` (looked up like a table: temp, main, then attached databases) or `'aux.kg'`.

A connection opens a graph at the first statement that uses it (a table or a function) and
keeps it open, with its in-memory snapshot for traversals and analytics, until the
connection closes or the table is dropped. Connections of one process that open the same
directory share one open graph. Several processes use a graph as they use a `.db` file:
all read, and the one that writes takes the write lock for its transaction (see
Transactions below). The tables are `DIRECTONLY`: they cannot be used from triggers or
views.

`SELECT * FROM kg` returns one row describing the graph. The hidden column named like the
table takes maintenance commands, FTS5-style:""",
     [("path", "required: the graph directory"),
      ("readonly", "optional, a yes/no (`1`, `true`, ...): never write"),
      ("path (column)", "the canonical path of the graph directory"),
      ("read_only (column)", "1 when writes are refused (readonly=1)"),
      ("nodes, edges (columns)", "how many nodes and edges this connection sees"),
      ("INSERT INTO kg(kg) VALUES('integrity-check')",
       "fails with the problems found, one per line, if any"),
      ("INSERT INTO kg(kg) VALUES('compact')", "compacts the graph's files"),
      ("INSERT INTO kg(kg) VALUES('refresh')", "read-only opens: catch up with the writer now")],
     ["SELECT * FROM kg",
      "SELECT type, name FROM sqlite_schema WHERE name LIKE 'kg%' ORDER BY name",
      "INSERT INTO kg(kg) VALUES ('integrity-check')",
      "INSERT INTO kg(kg) VALUES ('optimize')",
      "CREATE VIRTUAL TABLE kg2 USING samverkan(readonly=1)"]),
    ("kg_nodes", """\
The nodes of graph `kg`; `rowid` is the node's internal id. `key` is unique, and a
conflict is handled as by SQLite's own tables: `INSERT` of a key the graph has fails with
`UNIQUE constraint failed: kg_nodes.key ('org:ab')` (`SQLITE_CONSTRAINT_UNIQUE`), `INSERT
OR IGNORE` keeps the node as it is, and `INSERT OR REPLACE` (or `REPLACE`) replaces it,
keeping its id and edges. On a conflict `OR ABORT` (the default) undoes the statement, `OR
FAIL` keeps the rows it wrote before the conflict, `OR ROLLBACK` rolls the whole
transaction back. `ON CONFLICT ... DO UPDATE` is not available: SQLite has no UPSERT for
virtual tables (`INSERT OR REPLACE` or `UPDATE` instead). `OR IGNORE` also skips a row
that the table's other rules refuse (`UPDATE OR IGNORE` of the key, or of the kind to
NULL), as SQLite's own tables skip a row that fails NOT NULL or CHECK. **Changed:**
`INSERT` and every `OR` clause used to replace an existing node; write `INSERT OR REPLACE`
where that is meant. `kg_import` and `samverkan import` still merge into existing nodes.
`UPDATE` replaces the fields but cannot change `key`. `DELETE` removes the node and every
edge at it. Equality constraints on `key`, `rowid`, `name`, `kind` and `sector` use the
graph's indexes (`EXPLAIN QUERY PLAN` shows which). **`name =` is folded**: it matches the
name or an alias ignoring case, diacritics and spacing, so `'orebro universitet'` finds
`Örebro universitet`.""",
     [("rowid", "the node id (assigned by the graph)"),
      ("key", "the stable external key, e.g. `org:msi`; required"),
      ("kind", "`actor`, `project`, `region`, ... ; required for a new node"),
      ("name", "display name; defaults to the key"),
      ("sector", "NULL or one of the graph's sectors: academia, business, public, nonprofit"),
      ("aliases", "JSON array of other names"),
      ("props", "JSON object, nested at most 1000 levels, each key once; read it with `->>`"),
      ("sources", "JSON array of the keys of the nodes this node cites"),
      ("batch", "the engine transaction that last wrote the node (read-only)")],
     ["SELECT rowid, key, kind, name, sector, aliases FROM kg_nodes",
      "SELECT key, props ->> '$.founded' AS founded FROM kg_nodes WHERE key = 'org:msi'",
      "SELECT key, name FROM kg_nodes WHERE name = 'orebro UNIVERSITET'",
      "EXPLAIN QUERY PLAN SELECT * FROM kg_nodes WHERE kind = 'actor' AND sector = 'public'",
      "INSERT INTO kg_nodes(key, kind, name, sector) VALUES ('org:ab', 'actor', 'AB', 'business')",
      "INSERT INTO kg_nodes(key, kind, name) VALUES ('org:ab', 'actor', 'AB AB')",
      "INSERT OR IGNORE INTO kg_nodes(key, kind, name) VALUES ('org:ab', 'actor', 'AB AB'); "
      "SELECT rowid, name, sector FROM kg_nodes WHERE key = 'org:ab'",
      "INSERT OR REPLACE INTO kg_nodes(key, kind, name) VALUES ('org:ab', 'actor', 'AB AB'); "
      "SELECT rowid, name, sector FROM kg_nodes WHERE key = 'org:ab'",
      "INSERT INTO kg_nodes(key, kind) VALUES ('org:ab', 'actor') ON CONFLICT(key) DO NOTHING",
      "UPDATE kg_nodes SET name = 'AB Ltd' WHERE key = 'org:ab'",
      "UPDATE kg_nodes SET key = 'org:abc' WHERE key = 'org:ab'",
      "DELETE FROM kg_nodes WHERE key = 'org:ab'",
      "INSERT INTO kg_nodes(key, kind, sector) VALUES ('org:x', 'actor', 'space')"]),
    ("kg_edges", """\
The edges of graph `kg`; `rowid` is the edge id. `(src, type, dst, rank)` identifies an
edge and is unique, with conflicts handled as in `kg_nodes`: `INSERT` of an edge the graph
has fails (`UNIQUE constraint failed: kg_edges.src, kg_edges.type, kg_edges.dst,
kg_edges.rank (...)`), `INSERT OR IGNORE` keeps it, `INSERT OR REPLACE` replaces its
fields (keeping its rowid). **Changed:** `INSERT` used to replace an existing edge. An
`UPDATE` that changes any of the four replaces the edge (new rowid); if another edge has
the new identity, that is a conflict too (`UPDATE OR REPLACE` overwrites that edge).
Constraints `src =`, `dst =` (each optionally with `type =`), `type =` and `rowid =` use
the adjacency indexes. A scan of every edge, or of one `type`, in a statement that reads
the committed graph (no uncommitted writes of its own) reads the graph's CSR snapshot when
one is built: keys, types, ranks, weights and dates come from its arrays and columns, and
only `props`, `sources` and `batch` from the records. The same holds for `kg_nodes` scans
(all nodes, a `kind`, a `sector`; `props`, `aliases`, `sources`, `batch` from the records)
and for a join's repeated `key =` lookups. The rows, their values and their order are the
same either way ([architecture.md](architecture.md#sql-scans-over-the-snapshot)).""",
     [("rowid", "the edge id"),
      ("src, dst", "the keys of the nodes joined, src -> dst; both must exist"),
      ("type", "the edge type, e.g. `participates_in`"),
      ("rank", "integer, default 0: tells apart edges of one type between one pair"),
      ("weight", "NULL or a number"),
      ("valid_from, valid_to", "NULL or ISO dates, 0001-01-01 to 9999-12-31; inclusive. `YYYY` and `YYYY-MM` stand for their period: stored as its first day in valid_from, its last in valid_to"),
      ("props", "JSON object, nested at most 1000 levels, each key once"),
      ("sources", "JSON array of the keys of the nodes the edge cites"),
      ("batch", "the engine transaction that last wrote the edge (read-only)")],
     ["SELECT rowid, src, type, dst, weight, valid_from, valid_to, props FROM kg_edges",
      "SELECT dst, props ->> 'role' FROM kg_edges WHERE src = 'org:msi' AND type = 'participates_in'",
      "EXPLAIN QUERY PLAN SELECT * FROM kg_edges WHERE dst = 'proj:mora'",
      "INSERT INTO kg_edges(src, type, dst, props) VALUES ('org:oru', 'partners_with', 'org:msi', '{\"since\":2021}')",
      "INSERT INTO kg_edges(src, type, dst, props) VALUES ('org:oru', 'partners_with', 'org:msi', '{\"since\":2022}')",
      "INSERT OR REPLACE INTO kg_edges(src, type, dst, props) VALUES ('org:oru', 'partners_with', 'org:msi', '{\"since\":2022}'); "
      "SELECT rowid, props FROM kg_edges WHERE type = 'partners_with'",
      "INSERT INTO kg_edges(src, type, dst) VALUES ('org:msi', 'funds', 'org:x')",
      "INSERT INTO kg_edges(src, type, dst, valid_from) VALUES ('org:msi', 'funds', 'org:oru', '2021-02-30')",
      "DELETE FROM kg_edges WHERE type = 'partners_with'"]),
    ("Transactions", """\
`BEGIN`/`COMMIT`/`ROLLBACK`, `SAVEPOINT`/`ROLLBACK TO`/`RELEASE` are honoured: a SQL
transaction that writes plain tables and graphs is one transaction, all of it or none,
through a failed `COMMIT` or a crash at any instant (a statement outside `BEGIN` is its own
transaction). The graph commits with SQLite in two phases: at `COMMIT` it first makes its
writes durable but undecided, then SQLite commits, then the graph; the graph's transaction
id is recorded in the table `kg_commits` inside SQLite's transaction, and a graph left
undecided by a crash is settled from it when the `.db` next uses the graph. That record is
the decision, so nothing in the schema may change it: a `COMMIT` that would write it while
`kg_commits` has a trigger, or is not the table the extension made, fails and rolls back
(`cannot commit graph 'kg': table 'main.kg_commits' has a trigger ('t')...`), and the
record is read back before the graph commits. If the `.db` that prepared an undecided
transaction is gone (moved, deleted), the graph takes no writes until it is settled by
hand: `samverkan check` names it, and `samverkan settle GRAPH --commit|--rollback` decides
it ([cli.md](cli.md)). So a `COMMIT`
that fails (`database is locked`) leaves the graph's writes undone by the `ROLLBACK` that
follows, and a transaction that writes two graphs commits both or neither. A failing
statement leaves nothing of itself behind.

**Isolation.** Reads inside a transaction see its own writes. A transaction that has read a
graph keeps seeing it as it was at that first read, as SQLite keeps its tables at the
transaction's snapshot, until `COMMIT` or `ROLLBACK`; a statement outside `BEGIN` sees the
latest commits. In WAL mode other connections commit meanwhile, and this one sees their
commits at its next transaction; in rollback-journal mode they wait for it, as for plain
tables. SQLite fixes a transaction's snapshot at its first read of anything, and the graph
is pinned at the transaction's first read of the graph: when another connection has
committed to the graph through SQL in between, the graph's state would not match SQLite's
snapshot (a row missing from a plain table while its node is there), and the read fails
instead with `SQLITE_BUSY` (`graph '...' has a commit that this transaction's snapshot of
the database does not ...; roll back and try again`), as SQLite's own
`SQLITE_BUSY_SNAPSHOT`. (The graph's commit log `kg_commits` tells: the graph keeps the id
of the latest transaction of this table it committed, and SQLite's snapshot shows the one
it holds.) A graph commit that SQLite has made and the graph is still applying is waited
for, up to the busy timeout. A statement outside `BEGIN` reads the latest of each, which a
commit between the two reads can make disagree; read plain tables and graphs together in a
transaction for a consistent view. A graph written outside SQLite (`kg_import`, the `samverkan` tool) is seen from
the next statement outside a transaction, or the next transaction after the database
itself changed; a transaction that has read the graph and then writes it after such a
change fails with `SQLITE_BUSY` (`graph '...' has changed since this transaction first
read it; roll back and try again`), as SQLite's own `SQLITE_BUSY_SNAPSHOT`.

**Several writers.** One connection at a time writes a graph. Another one waits up to its
busy timeout (`PRAGMA busy_timeout`; Python's `sqlite3` sets 5 s), as SQLite waits for its
own locks, and then gets `SQLITE_BUSY`: `graph '...' is being written by another
connection in this process`, or `... by another process (pid N)`. Two connections to the
same `.db` file meet SQLite's own write lock first, and get SQLite's `database is locked`
after the same wait. Between processes, the write lock moves with the writes: the process
that writes asks the one holding the graph to let go, which it does as soon as it has no
write transaction open (in about 25 ms, on graphs of 1M or 10M edges alike), and nothing
waits on a process that has exited. Waiting for that hand-over is not waiting for a lock:
a writer waits up to a second for a process that holds the graph without writing, even
with a busy timeout of 0 (the `sqlite3` shell's default), as SQLite lets a writer in at
once when nobody writes.""", [],
     ["BEGIN; INSERT INTO kg_nodes(key, kind) VALUES ('p:anna', 'person'); "
      "SELECT count(*) FROM kg_nodes; ROLLBACK; SELECT count(*) FROM kg_nodes"]),
    ("kg_neighbors", """\
`kg_neighbors(graph, start, depth, direction, types, kinds, valid_on, include_start)`:
every node within `depth` edges of `start`, once, at its smallest distance, in
breadth-first order. Arguments are positional, or named as columns
(`WHERE graph = 'kg' AND start = 'org:msi' AND depth = 2`). The output column is `hops`
because `depth` is the argument.""",
     [("graph", "required: a samverkan table of this connection"),
      ("start", "required: the start node's key"),
      ("depth", "default 1"),
      ("direction", "`out`, `in` or `both` (default)"),
      ("types", "edge types to follow: `'a,b'` or a JSON array; default all"),
      ("kinds", "only return nodes of these kinds (the walk still passes through others)"),
      ("valid_on", "ISO date: only follow edges valid on it"),
      ("include_start", "1: return the start node too, at hops 0"),
      ("key, kind, name (columns)", "the node reached"),
      ("hops", "its distance from start"),
      ("parent, edge_type, edge_id", "the node and edge it was reached by")],
     ["SELECT * FROM kg_neighbors('kg', 'org:msi')",
      "SELECT key, hops, parent FROM kg_neighbors WHERE graph = 'kg' AND start = 'org:msi' AND depth = 2 AND kinds = 'actor'",
      "SELECT key FROM kg_neighbors('kg', 'proj:mora', 1, 'in', 'participates_in', NULL, '2023-01-01')",
      "SELECT * FROM kg_neighbors('kg')",
      "SELECT * FROM kg_neighbors('kg', 'org:x')",
      "SELECT * FROM kg_neighbors('kg', 'org:msi', 1, 'up')"]),
    ("kg_shortest_path", """\
`kg_shortest_path(graph, source, target, direction, types, valid_on, cost, max_depth)`:
one shortest path, one row per node; no rows when unreachable. With `cost` the search is
weighted (Dijkstra): `'weight'` uses the edge weight, `'props.<name>'` a numeric property;
an edge without one costs 1. The output column `distance` is the cumulative cost.""",
     [("graph, source, target", "required"),
      ("direction, types, valid_on", "as for kg_neighbors"),
      ("cost", "NULL (count edges), `'weight'` or `'props.<name>'`"),
      ("max_depth", "default 64: no longer paths"),
      ("step", "0 for the source, then 1, 2, ..."),
      ("key, name", "the node at this step"),
      ("edge_type, edge_id", "the edge that led here (NULL at step 0)"),
      ("distance", "cost from the source to here")],
     ["SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:vinnova')",
      "SELECT step, key, distance FROM kg_shortest_path('kg', 'org:oru', 'org:vinnova', 'both', NULL, NULL, 'weight')",
      "SELECT * FROM kg_shortest_path('kg', 'org:msi', 'org:oru', 'out')"]),
    ("kg_all_shortest_paths", """\
`kg_all_shortest_paths(graph, source, target, direction, types, valid_on, cost, max_depth,
max_paths)`: every shortest path (at most `max_paths`, default 1000), numbered by `path`.""",
     [("path", "0, 1, ...: which path"), ("other columns and arguments", "as kg_shortest_path")],
     ["SELECT path, step, key, edge_type FROM kg_all_shortest_paths('kg', 'org:msi', 'org:vinnova')"]),
    ("kg_find", """\
`kg_find(graph, query)`: nodes whose name or alias equals `query` once both are folded
(case, diacritics, spacing). The argument is `query` so it does not clash with the output
column `name`.""",
     [("graph, query", "required"), ("key, kind, name, sector", "the node found")],
     ["SELECT * FROM kg_find('kg', 'ÖREBRO  universitet')",
      "SELECT * FROM kg_find('kg', 'mora sport initiative')"]),
    ("kg_cypher", """\
`kg_cypher(graph, query, params, options)`: a Cypher query on the graph, one row per
result row as a JSON object in the column `row`. `params` is a JSON object of `$parameters`;
`options` a JSON object: `"adjacency"` (`"csr"`, `"stored"` or `"auto"`) forces where
relationships are read from, `"memory_limit"` (bytes) bounds the query's working memory
(sorts, groups, `collect()`, `DISTINCT`; default `kg_set('cypher_memory_limit')`, 2 GiB).
Queries that write (`CREATE`, `MERGE`, `SET`, `REMOVE`, `DELETE`) write
through the connection's transaction, as `INSERT INTO kg_nodes` does. `DIRECTONLY`. The
language, the data model in Cypher, EXPLAIN, errors and the planner:
[cypher.md](cypher.md).""",
     [("graph, query", "required"), ("params, options", "optional JSON objects (each key once)"),
      ("row", "the result row: {column: value}")],
     ["SELECT row FROM kg_cypher('kg', 'MATCH (a:actor)-[:participates_in]->(p) RETURN a.name AS actor, p.name AS project')",
      "SELECT row ->> 'n' FROM kg_cypher('kg', 'MATCH (a {sector: $s}) RETURN count(a) AS n', '{\"s\": \"academia\"}')",
      "SELECT * FROM kg_cypher('kg', 'MATCH (a:actor RETURN a')"]),
    ("samverkan_cypher (stored queries)", """\
`CREATE VIRTUAL TABLE name USING samverkan_cypher(graph, query)`: a stored Cypher query
as a table whose columns are the query's `RETURN` columns (SQL values; lists, maps and
graph values as JSON text) and whose `$parameters` are hidden columns, so that it is
called like a function. Checked when created; only reads; `DIRECTONLY`; stored in the
schema. See [cypher.md](cypher.md).""",
     [("graph, query", "by position or as graph=..., query='...'")],
     ["CREATE VIRTUAL TABLE funders USING samverkan_cypher(kg, 'MATCH (a:actor)-[f:funds]->(p:project {key: $project}) RETURN a.name AS funder, f.sek AS sek')",
      "SELECT * FROM funders('proj:mora')"]),
    ("Analytics functions", """\
Graph measures, computed on a cached in-memory snapshot of the graph (inside a
transaction with uncommitted writes, on one built from the transaction's view).
Each returns rows that join with `kg_nodes` on `key`. Definitions follow NetworkX, and
the test suite compares every function with NetworkX and igraph; see
[analytics.md](analytics.md) for formulas and references. Shared arguments, all optional
and all usable by name (`WHERE graph = 'kg' AND year = 2021`):""",
     [("kinds", "only nodes of these kinds (`'actor,project'` or a JSON array), with the edges between them"),
      ("types", "only edges of these types"),
      ("valid_on", "only edges valid on this ISO date"),
      ("year", "only edges valid at some time in this calendar year (edges without dates count in every year)"),
      ("direction", "`both` (default: edges as undirected ties), `out` (as stored), `in` (reversed)"),
      ("weight", "NULL (default: every edge counts 1) or `'weight'` (the edge weight; 1 when NULL)")],
     []),
    ("kg_pagerank", """\
`kg_pagerank(graph, damping, iterations, tolerance, personalization, direction, weight,
kinds, types, valid_on, year, convergence)`: nx.pagerank. Power iteration from 1/N until
the ranks change by less than `tolerance` (default 1e-10) in sum, which leaves them within
about 1e-9 of the exact solution (igraph's PRPACK), at most `iterations` (1000) rounds, else
an error; `tolerance = 0` runs exactly `iterations` rounds. `convergence = 'networkx'` stops
by NetworkX's rule instead (a change below N x `tolerance`, default 1e-6): quicker, but on
a graph of 100,000 nodes it stops after a few rounds, far from the answer. Dangling nodes
spread their rank like the teleport. `personalization` teleports only to the nodes listed
(`'a,b'`) or weighted (`'{"a": 2, "b": 1}'`).""",
     [("key, rank", "the node and its PageRank (ranks sum to 1)")],
     ["SELECT key, round(rank, 4) AS rank FROM kg_pagerank('kg') ORDER BY rank DESC",
      "SELECT key, round(rank, 4) AS rank FROM kg_pagerank WHERE graph = 'kg' AND personalization = 'org:msi' AND kinds = 'actor,project'",
      "SELECT * FROM kg_pagerank('kg', 1.5)",
      "SELECT * FROM kg_pagerank('kg', 0.85, 2)"]),
    ("kg_components", """\
`kg_components(graph, mode, kinds, types, valid_on, year)`: weakly (`mode = 'weak'`,
the default; edge direction ignored) or strongly (`'strong'`) connected components,
numbered 0, 1, ... by their first node.""",
     [("key, component, size", "the node, its component, the component's node count")],
     ["SELECT * FROM kg_components('kg')",
      "SELECT component, size FROM kg_components('kg', 'weak', NULL, 'participates_in') GROUP BY component"]),
    ("kg_betweenness", """\
`kg_betweenness(graph, normalized, samples, seed, direction, weight, kinds, types,
valid_on, year)`: nx.betweenness_centrality (Brandes). Normalised by (n-1)(n-2) unless
`normalized = 0`. `samples = k` estimates from k random sources (scaled by n/k): use it on
large graphs. With `weight`, edge weights are lengths.""",
     [("key, betweenness", "the node and its betweenness")],
     ["SELECT key, round(betweenness, 4) AS betweenness FROM kg_betweenness('kg') WHERE betweenness > 0"]),
    ("kg_closeness", """\
`kg_closeness(graph, wf_improved, direction, weight, kinds, types, valid_on, year)`:
nx.closeness_centrality, with the Wasserman-Faust scaling for disconnected graphs unless
`wf_improved = 0`. Distances follow `direction` from the node (NetworkX's directed
closeness is `direction = 'in'`).""",
     [("key, closeness", "the node and its closeness")],
     ["SELECT key, round(closeness, 4) AS closeness FROM kg_closeness('kg') ORDER BY closeness DESC"]),
    ("kg_degree", """\
`kg_degree(graph, kinds, types, valid_on, year)`: stored out- and in-degrees (parallel edges
each count), their sum, distinct neighbours, and nx.degree_centrality.""",
     [("key, out_degree, in_degree, degree", "edge counts"),
      ("neighbors, centrality", "distinct neighbours; neighbors / (n-1)")],
     ["SELECT * FROM kg_degree('kg') ORDER BY degree DESC"]),
    ("kg_kcore", """\
`kg_kcore(graph, kinds, types, valid_on, year)`: nx.core_number of the undirected graph.""",
     [("key, core", "the node and its core number")],
     ["SELECT * FROM kg_kcore('kg')"]),
    ("kg_clustering", """\
`kg_clustering(graph, kinds, types, valid_on, year)`: nx.clustering and nx.triangles of
the undirected graph; `avg(clustering)` is nx.average_clustering.""",
     [("key, clustering, triangles", "the node, its clustering coefficient, its triangles")],
     ["SELECT avg(clustering) FROM kg_clustering('kg')"]),
    ("kg_communities", """\
`kg_communities(graph, resolution, seed, weight, kinds, types, valid_on, year)`: Louvain
communities of the undirected graph (as nx.community.louvain_communities) and the
partition's modularity (nx.community.modularity). Deterministic for a given `seed`
(default 42).""",
     [("key, community, size", "the node, its community (0, 1, ...), the community's size"),
      ("modularity", "of the whole partition (the same on every row)")],
     ["SELECT c.community, n.key, n.sector, round(c.modularity, 4) AS q FROM kg_communities('kg') c JOIN kg_nodes n USING (key) ORDER BY 1, 2"]),
    ("kg_projection", """\
`kg_projection(graph, keep, via, types, valid_on, year)`: the bipartite projection of
`keep` nodes (default `actor`) through `via` nodes (default `project`): two actors are tied
when they share a project, weighted by how many (nx.bipartite.weighted_projected_graph).
One row per tie; `year` gives the collaboration network of one year.""",
     [("actor_a, actor_b, weight", "the two nodes and the number of `via` nodes they share")],
     ["SELECT * FROM kg_projection('kg')",
      "SELECT * FROM kg_projection('kg', 'actor', 'project', NULL, NULL, 2020)"]),
    ("kg_sector_mixing", """\
`kg_sector_mixing(graph, attribute, via, weight, kinds, types, valid_on, year, level)`: ties
between groups of nodes. `attribute` is `sector` (default), `kind`, `region` (the node's
`located_in` target) or `props.<name>`; nodes without it are left out. Ties are the
subgraph's edges (undirected) or, with `via` (e.g. `'project'`), the projection through
nodes of that kind. One row per ordered pair with ties: the matrix is symmetric.
`level` (with `attribute = 'region'`, in every group function) rolls regions up their
`part_of` edges to that level, named by the regions' `level` property or else their kind:
municipalities to `'county'`. A region with several parents at the level counts in each;
one with none stays itself, flagged as `'<key> (no <level>)'`; a cycle in `part_of` is an
error naming it ([analytics.md](analytics.md#cross-sector-measures)).""",
     [("attribute", "what groups nodes; `via`: the kind that ties them; `level`: a region "
                    "level; other arguments as above"),
      ("group_a, group_b", "the two groups"),
      ("ties", "ties between them (inside the group when equal), each counted once"),
      ("tie_weight", "the ties weighed: with `weight` = `'weight'` the sum of their edges' "
                     "weights (with `via`: of the numbers of shared `via` nodes); without it "
                     "each tie weighs 1, so `tie_weight` equals `ties`"),
      ("fraction", "nx.attribute_mixing_matrix(normalized=True) entry, from `tie_weight`")],
     ["SELECT group_a, group_b, ties, round(fraction, 4) AS fraction FROM kg_sector_mixing('kg', 'sector', 'project')",
      "SELECT group_a, group_b, ties, tie_weight FROM kg_sector_mixing('kg', 'sector', 'project', 'weight')",
      "BEGIN; INSERT INTO kg_nodes(key, kind, props) VALUES ('reg:dalarna', 'region', '{\"level\":\"county\"}'), "
      "('reg:orebro', 'region', '{\"level\":\"municipality\"}'); "
      "INSERT INTO kg_edges(src, type, dst) VALUES ('reg:mora', 'part_of', 'reg:dalarna'), "
      "('org:oru', 'located_in', 'reg:orebro'); "
      "SELECT group_a, group_b, ties FROM kg_sector_mixing WHERE graph = 'kg' AND attribute = 'region' "
      "AND level = 'county' AND via = 'project'; ROLLBACK",
      "SELECT * FROM kg_sector_mixing('kg', 'colour')"]),
    ("kg_ei_index", """\
`kg_ei_index(graph, attribute, via, weight, kinds, types, valid_on, year, level)`: Krackhardt and
Stern's E-I index, (E - I) / (E + I), per group and (row with `group_name` NULL) for the
whole graph: -1 when ties stay inside groups, +1 when they all cross.""",
     [("group_name, internal, external, ei_index", "the group (NULL: all), its I and E, the index")],
     ["SELECT * FROM kg_ei_index('kg', 'sector', 'project')"]),
    ("kg_assortativity", """\
`kg_assortativity(graph, attribute, via, weight, kinds, types, valid_on, year, level)`:
nx.attribute_assortativity_coefficient over the mixing matrix; one row, NULL when
undefined.""",
     [("assortativity, groups, ties", "the coefficient, the number of groups, the ties counted")],
     ["SELECT round(assortativity, 4) AS assortativity, groups, ties FROM kg_assortativity('kg', 'sector', 'project')"]),
    ("kg_brokerage", """\
`kg_brokerage(graph, attribute, via, direction, kinds, types, valid_on, year, level)`:
Gould and Fernandez brokerage roles. For each open two-path a -> b -> c (a, c not tied), b is a
`coordinator` (all in one group), `itinerant` (a, c in one group, b in another),
`representative` (b in a's group), `gatekeeper` (b in c's group) or `liaison` (three
groups). Undirected ties count each path both ways. One row per node and role.""",
     [("key, role, count", "the broker, the role, how many open paths")],
     ["SELECT * FROM kg_brokerage('kg', 'sector', 'project')",
      "SELECT * FROM kg_brokerage('kg', 'kind')"]),
    ("kg_conductance", """\
`kg_conductance(graph, attribute, via, weight, kinds, types, valid_on, year, level)`: per group S,
cut(S) / min(vol(S), vol(rest)) as nx.conductance: 0 for a group closed on itself.""",
     [("group_name, nodes, volume, cut, conductance", "the group and its measures")],
     ["SELECT * FROM kg_conductance('kg', 'sector', 'project')"]),
    ("kg_sector_ties_by_year", """\
`kg_sector_ties_by_year(graph, attribute, via, first_year, last_year, kinds, types, valid_on,
year)`: ties per year between groups, as `kg_sector_mixing` counts them in the graph of the
edges valid in that year (an edge without dates is valid in every year; several edges
between two nodes are one tie). With `via`, two nodes are tied in a year when they share a
`via` node by edges both valid then. Years run from `first_year` to `last_year`, by
default as far as the edges' dates reach (at most the latest 1000); `year` counts one
year. One row per year and unordered pair with ties, `group_a <= group_b`.""",
     [("attribute, via", "as for kg_sector_mixing"),
      ("first_year, last_year", "the years counted; default: the earliest and latest dates'"),
      ("calendar_year", "the year (`year` is the subgraph argument)"),
      ("group_a, group_b, ties", "the two groups and their ties that year")],
     ["SELECT * FROM kg_sector_ties_by_year('kg', 'sector', 'project')"]),
    ("Scalar functions", """\
`kg_version()`, `kg_debug()` (build information: version, format, compiler, RocksDB and
SQLite versions), `kg_stats(graph)` (JSON: nodes, edges, disk_bytes, path, read_only;
holds_write_access: whether this process holds the graph's write access now, which it
keeps after writing until another process asks for it;
counts include this connection's uncommitted writes; snapshot_reads: how many scans and
lookups of `kg_nodes`/`kg_edges` this connection answered from the graph's CSR snapshot
and its columns, and record_field_reads: how many `props`, `sources` and `batch` values
of such `kg_edges` scans were read in place from the records; held_props_reads: how many
`props` values such `kg_nodes`/`kg_edges` scans copied from the props held in memory with
the snapshot instead, and held_props_bytes: the memory those take in this process, see
[architecture.md](architecture.md#sql-scans-over-the-snapshot)), `kg_integrity_check(graph)`
(`'ok'` or the problems found in the committed graph, one per line) and
`kg_set(name, value)`, which changes a setting of this connection and returns the value now
in force (`NULL` restores the default). `cypher_memory_limit` is the
working memory, in bytes, each Cypher query of the connection may hold (default 2 GiB;
`kg_cypher`'s `memory_limit` option overrides it for one query; [cypher.md](cypher.md#working-memory)).
Past it a query fails with an error naming the limit. `cypher_procedure` declares a
*table procedure* that `kg_cypher`'s queries may `CALL`, as the openCypher TCK declares
its test procedures: `{"signature": "name(in :: TYPE, ...) :: (out :: TYPE, ...)", "rows":
[[inputs..., outputs...], ...]}`; a call returns the outputs of the rows whose inputs
equal its arguments. One of the same name is replaced; `NULL` removes them all; it returns
how many are declared. `DIRECTONLY`.""", [],
     ["SELECT kg_version()",
      "SELECT substr(kg_debug(), 1, instr(kg_debug(), char(10)) - 1)",
      "SELECT json_remove(kg_stats('kg'), '$.disk_bytes')",
      "SELECT kg_integrity_check('kg')",
      "SELECT kg_set('cypher_memory_limit', 512 * 1024 * 1024)",
      "SELECT kg_set('cypher_memory_limit', NULL)",
      "SELECT kg_set('cypher_procedure', '{\"signature\": \"my.capital(country :: STRING?) :: (city :: STRING?)\", \"rows\": [[\"SE\", \"Stockholm\"], [\"NO\", \"Oslo\"]]}'); "
      "SELECT row FROM kg_cypher('kg', 'CALL my.capital(''SE'')')",
      "SELECT kg_stats('nope')"]),
    ("kg_import, kg_export, kg_add_sector", """\
`kg_import(graph, file, format)` imports a file with the same code as `samverkan import`
(docs/formats.md): `case` (docs/case-format.md), `csv` (a file, or a directory holding
`nodes.csv` and `edges.csv`), `jsonl` or `graphml`; NULL or `'auto'` picks the format from
the file name. Nodes are upserted by key (merged), edges by (src, type, dst, rank), so
importing a file twice changes nothing. The import is atomic: on any problem nothing is
written and the error lists every problem found (up to 20) as `file:line:column: message`.
It commits on its own, independent of the SQL transaction, and refuses to run while this
connection has uncommitted writes to the graph. Into an empty graph, CSV and JSON Lines go
through the bulk loader. Returns a JSON summary. An optional fourth argument holds the
import's options as a JSON object, the same as `samverkan import`'s flags: `null` (or
`nullstr`; a text or a list: unquoted CSV cells that mean a missing value, e.g. `"NA"`),
the CSV dialect with DuckDB `read_csv`'s names: `delim` (or `sep`; one character, `"\\t"`
for a tab), `quote`, `encoding` (`utf-8` with or without a BOM, `cp1252`, `latin-1`),
`decimal_separator` (`.` or `,`), `dateformat` (e.g. `"%d.%m.%Y %H:%M"`; a time of day is
dropped; docs/formats.md); `mode` (`auto`, `bulk`, `transaction`), `max_problems`,
`default_kind`, `default_edge_type`, `add_sectors`, `source`, `source_title`. An unknown
member is an error. A sector the graph lacks is reported once, with the number of records
naming it.

`kg_export(graph, format, file [, options])` writes the committed graph as `graphml`,
`gexf`, `csv` (a directory), `jsonl` or `dot`, or draws it: `svg` (a drawing), `html` (an
interactive drawing in one offline file) or `report` (an HTML report with the sector
mixing matrix, ties per year, central actors, brokers, communities and the drawing). NULL
picks the format from the file's extension (`.svg` and `.html` draw; the report must be
named). It returns the counts written (for a picture: the nodes and ties drawn).
The pictures take a fourth argument, their options as a JSON object (docs/pictures.md):
`start` and `depth` (an ego network), `kinds`, `types`, `year`, `valid_on`, `via` and
`keep` (the projection through shared nodes of kind `via`), `color` (`sector`, `kind`,
`community`), `size` (`degree`, `pagerank`), `labels`, `title`, `layout` (`auto`, `stress`,
`forceatlas2`, `fruchterman-reingold`), `seed`, `iterations`, `gravity`, `scaling`,
`lin_log`, and for the report `from_year` and `to_year`. An unknown member or a bad value
is an error that names it; the other formats refuse options. A long layout stops at
`sqlite3_interrupt`. Relative file names are resolved against the working directory; an
export replaces only a regular file, and only once it is complete. Both functions are
`DIRECTONLY`: a view or trigger cannot read or write files on the user's behalf.

`kg_add_sector(graph, sector [, sector ...])` adds sectors to the graph's list (a controlled
vocabulary: a node may only name a sector on it; a new graph has `academia`, `business`,
`public` and `nonprofit`), for nodes written afterwards with `INSERT INTO kg_nodes`, Cypher
or `kg_import` (whose `add_sectors` option does the same within the import). A sector
already there is left as it is. It commits on its own, like `kg_import`, and returns the
graph's sectors as a JSON array.""",
     [("graph", "the name of a `samverkan` table of this connection"),
      ("file", "the file to read or write"),
      ("format", "as above; NULL or 'auto' to decide from the file name"),
      ("options", "kg_import: a JSON object (above); kg_export, pictures only: a JSON object "
                  "of drawing options")],
     ["SELECT kg_export('kg', 'graphml', 'msi.graphml')",
      "SELECT kg_export('kg', 'csv', 'msi-csv')",
      "SELECT kg_export('kg', 'svg', 'msi.svg', '{\"via\":\"project\",\"color\":\"sector\"}')",
      "SELECT kg_export('kg', 'html', 'ego.html', '{\"start\":\"org:msi\",\"depth\":2}')",
      "SELECT kg_export('kg', 'svg', 'msi.svg', '{\"colour\":\"blue\"}')",
      "SELECT kg_import('kg', 'msi-csv', 'csv')",
      "SELECT kg_import('kg', 'msi-csv', 'csv', '{\"null\": [\"NA\", \"-\"]}')",
      "SELECT kg_import('kg', 'msi-csv', 'csv', '{\"nul\": \"NA\"}')",
      "SELECT kg_import('kg', 'missing.json', NULL)",
      "SELECT kg_import('kg', 'msi-csv', 'csv', '{\"delim\": \";;\"}')",
      "SELECT kg_add_sector('kg', 'research_institute')"]),
    ("Errors", """\
User errors start with the table or function name and name the argument:
`kg_neighbors: unknown node 'org:x'`, `kg_edges: valid_from: invalid date ...`,
`samverkan: missing required argument 'path'`. Bugs start with `kg internal error: `.""",
     [], []),
]


def render_value(v):
    return "NULL" if v is None else str(v)


def run_example(db, sql, tmp):
    out = []
    try:
        result = None
        for stmt in [s for s in sql.split("; ") if s.strip()]:
            cur = db.execute(stmt)
            rows = cur.fetchall()
            if cur.description:
                result = ([d[0] for d in cur.description], rows)
        if result is None:
            out.append("(no rows)")
        else:
            header, rows = result
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            for row in rows:
                out.append("| " + " | ".join(render_value(v).replace("|", "\\|") for v in row) + " |")
            if not rows:
                out.append("(no rows)")
    except sqlite3.Error as e:
        out.append(f"Error: `{e}`")
    return "\n".join(out).replace(tmp, "/data")


def generate(ext):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        # kg_import/kg_export examples name files relative to the working directory.
        cwd = os.getcwd()
        os.chdir(tmp)
        db = sqlite3.connect(os.path.join(tmp, "reference.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(ext)
        db.executescript(SETUP)
        lines = ["# Samverkan SQL reference", "",
                 "<!-- Generated by scripts/gen_sql_reference.py from the built extension."
                 " Do not edit. -->", ""]
        for title, text, items, examples in SECTIONS:
            lines += [f"## {title}", "", text, ""]
            if title == "Loading":
                lines += ["```sql", SETUP, "```", ""]
            if items:
                lines += ["| name | meaning |", "|---|---|"]
                lines += [f"| `{n}` | {m} |" for n, m in items]
                lines.append("")
            for sql in examples:
                lines += ["```sql", sql + ";", "```", "", run_example(db, sql, tmp), ""]
        db.close()
        os.chdir(cwd)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ext", required=True, help="the extension, without .so")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    text = generate(os.path.abspath(args.ext))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
