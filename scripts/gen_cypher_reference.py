#!/usr/bin/python3
"""Generates docs/cypher.md by running every example against the built
extension, so the outputs shown are real and cannot drift.

    /usr/bin/python3 scripts/gen_cypher_reference.py --ext build/samverkan \\
        --out docs/cypher.md

tests/sqlite/test_docs.py regenerates it into a temporary file and compares.
Examples run on the graph of docs/sql-reference.md (gen_sql_reference.SETUP);
an example that writes runs inside a savepoint that is rolled back after it,
so that every example sees the same graph.
"""
import argparse
import json
import os
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_sql_reference import SETUP  # noqa: E402

# (title, text, [examples]); an example is a Cypher query (run with
# kg_cypher and shown as a table) or ("sql", statements) for SQL shown as is.
SECTIONS = [
    ("Cypher in SQL", """\
Samverkan answers Cypher queries inside SQL, over the same graph and in the same
transactions as its tables and functions. Two ways in:

- **`kg_cypher(graph, query, params, options)`**, a table-valued function: one row per
  result row, in a column `row` holding a JSON object keyed by the query's `RETURN`
  columns (SQLite's `->>` reads it). For ad-hoc questions, and for queries that write.
- **A stored query**, `CREATE VIRTUAL TABLE name USING samverkan_cypher(graph, query)`: a
  table whose columns are the query's `RETURN` columns, with SQL values (lists, maps,
  nodes, relationships and paths as JSON text), and whose `$parameters` are hidden
  columns, so that it is called like a function: `SELECT * FROM partners('academia')`.
  Stored in the database schema like the graph tables; it only reads.

Why two: SQLite fixes a table's columns when it connects the table, before any query
text can be seen, so one function cannot have the columns of every query. We rejected
a fixed set of generic columns (`c0`, `c1`, ...: positional, untyped and unnamed), a
function per column count, and creating a table per query on the fly (DDL inside a
SELECT, and a schema that fills with tables nobody named). A JSON row is complete and
needs no set-up; a stored query gives real columns, types and `WHERE` on them for the
queries people keep. From Python, `samverkan.cypher(conn, query, params, graph='kg')`
returns the rows as a list of dicts and `samverkan.cypher_df(...)` as a pandas
`DataFrame` ([python/README.md](../python/README.md)).

Every example below runs on the graph of the [SQL reference](sql-reference.md):

```sql
""" + SETUP + """
```

Examples show the query and its rows; `kg_cypher` returns each row as JSON, shown here
as a table.""", []),
    ("kg_cypher", """\
`kg_cypher(graph, query, params, options)`: `graph` is the name of a `samverkan` table
(`'kg'`, or `'aux.kg'` in an attached database), `query` the Cypher text, `params` a JSON
object of parameters (`'{"s": "academia"}'` for `$s`), `options` a JSON object with
`"adjacency": "csr"|"stored"|"auto"` to force where relationships are read from (for
tests and measurements; the default is `auto`) and `"memory_limit": <bytes>`, the query's
working memory (see [Working memory](#working-memory)). Arguments can also be named, as columns:
`... FROM kg_cypher WHERE graph = 'kg' AND query = '...'`.""", [
        ("sql", "SELECT row FROM kg_cypher('kg', 'MATCH (a:actor) RETURN a.name AS name, a.sector AS sector ORDER BY name')"),
        ("sql", "SELECT row ->> 'name' AS name FROM kg_cypher('kg', 'MATCH (a:actor {sector: $s}) RETURN a.name AS name', '{\"s\": \"public\"}')"),
    ]),
    ("Stored queries", """\
`CREATE VIRTUAL TABLE name USING samverkan_cypher(graph, query)` (or `graph=kg,
query='...'`). The query is checked when the table is created (errors point at it as
`kg_cypher`'s do) and planned anew at every `SELECT`. Its parameters become hidden
columns, in order of name; one named like a result column is called `param_<name>`. It
may not write: a table in a `.db` file someone sent must not change the graph when it
is read. It is `DIRECTONLY`, like the graph tables: views and triggers cannot use it.
SQLite connects the table (and the query is parsed, to learn its columns) before it
checks `DIRECTONLY`, even with `trusted_schema=OFF`: the nesting limit, linear-time
parsing and a limit of 1 MiB on a stored query's text keep that bounded, so a hostile
query text in a schema is an error, not a crash.""", [
        ("sql", "CREATE VIRTUAL TABLE partners USING samverkan_cypher(kg, 'MATCH (a:actor {sector: $s})-[:participates_in]->(p:project)<-[:participates_in]-(b:actor) RETURN a.name AS actor, b.name AS partner, b.sector AS sector, count(p) AS projects'); "
                "SELECT * FROM partners('academia')"),
        ("sql", "SELECT actor, partner FROM partners WHERE s = 'nonprofit' AND projects > 0"),
        ("sql", "CREATE VIRTUAL TABLE bad USING samverkan_cypher(kg, 'MATCH (n) DETACH DELETE n')"),
    ]),
    ("The data model in Cypher", """\
The graph reads in Cypher as it is:

- A node's **label** is its kind (`actor`, `project`, ...): one per node. Kind `node`,
  what a node gets when it is created without a label (as the importers give it when a
  file names none), reads as no label: `labels(n)` is `[]`, though `(n:node)` finds it.
- A node's **properties** are `key`, `name`, `sector` (when set), `aliases` and `sources`
  (as keys; when not empty), and the fields of its `props`.
- A **relationship**'s type is the edge type; its properties are `weight`, `valid_from`
  and `valid_to` (`DATE` values, shown as ISO text), `rank` (when not 0) and the fields of
  its `props`.
  Between two nodes, edges of one type differ by `rank`: `CREATE` gives a new one the next
  free rank, so that it does not replace one that is there.
- **Dates** are values of their own type, `DATE`, not text: compare them with dates,
  `e.valid_from >= date('2021-01-01')` (see [Dates and durations](#dates-and-durations)).
- **`CREATE` of a node without a key** gives it a *blank* key `_:<n>` (the next free
  number): the key is the node's identity (`elementId(n)`, and its `key` in `kg_nodes`),
  not a property, and its name, which the graph sets to the key, reads as no name until
  one is given. Without a label it gets kind `node`.
- What the graph refuses, Cypher refuses with an error: a second label (`SingleLabel`), a
  new key for a node (`ImmutableKey`), a node with a key that exists (`NodeKeyExists`;
  `MERGE` finds or creates), a sector not in the graph's list, an empty name, a map as a
  property value.""", [
        "MATCH (n {key: 'org:msi'}) RETURN labels(n) AS labels, properties(n) AS props",
        "MATCH (a)-[r:funds]->(p) RETURN type(r) AS type, r.weight, r.valid_from, r.sek",
        "CREATE (t:tag {name: 'sport'}), (x {topic: 'homework'}) RETURN elementId(t) AS t, labels(x) AS x_labels, x.name AS x_name",
        ("sql", "BEGIN; SELECT row FROM kg_cypher('kg', 'CREATE (:tag {name: ''sport''})'); SELECT key, kind, name FROM kg_nodes WHERE kind = 'tag'; ROLLBACK"),
        "MATCH (a {key: 'org:msi'}), (p {key: 'proj:mora'}) CREATE (a)-[r:participates_in {role: 'host'}]->(p) RETURN r.rank AS rank",
        "MATCH (n {key: 'org:msi'}) SET n:project",
    ]),
    ("Reading", """\
`MATCH` and `OPTIONAL MATCH` take node and relationship patterns with labels, types
(`[:a|b]`), property maps, either direction or none, variable length (`*`, `*2`,
`*1..3`, `*..3`), several comma-separated patterns, named paths (`p = ...`) and
`shortestPath`/`allShortestPaths`; within one `MATCH` a relationship is used once
(openCypher's relationship uniqueness). `WHERE`, `WITH` (with `DISTINCT`, `ORDER BY`,
`SKIP`, `LIMIT`, `WHERE`), `UNWIND`, `RETURN` (with `DISTINCT`, aliases, `*`, `ORDER BY`,
`SKIP`, `LIMIT`) and `UNION [ALL]` shape the rows.""", [
        "MATCH (a:actor)-[:participates_in]->(p:project)<-[:participates_in]-(b:actor) WHERE a.key < b.key RETURN a.name AS a, b.name AS b, p.name AS project",
        "MATCH (a:actor) OPTIONAL MATCH (a)-[:located_in]->(r:region) RETURN a.name AS actor, r.name AS region ORDER BY actor",
        "MATCH (v {key: 'org:vinnova'})-[*1..2]-(x) RETURN DISTINCT x.name AS reached ORDER BY reached",
        "MATCH p = shortestPath((a {key: 'org:vinnova'})-[*]-(b {key: 'reg:mora'})) RETURN [n IN nodes(p) | n.name] AS path, length(p) AS hops",
        "UNWIND ['academia', 'public', 'business'] AS s OPTIONAL MATCH (a:actor {sector: s}) WITH s, count(a) AS actors RETURN s, actors ORDER BY actors DESC, s",
        "MATCH (a:actor) RETURN a.name AS name ORDER BY name SKIP 1 LIMIT 1 UNION MATCH (r:region) RETURN r.name AS name",
    ]),
    ("Expressions and functions", """\
Literals (integers, floats, strings, booleans, `null`, lists, maps), parameters,
properties, `[i]` and `[a..b]`, comparison (`=`, `<>`, `<`, ..., chained `a < b < c`),
boolean logic with openCypher's three values (`AND`, `OR`, `XOR`, `NOT`), `IS [NOT] NULL`,
`STARTS WITH`, `ENDS WITH`, `CONTAINS`, `=~` (regular expressions), `IN`, arithmetic
(`+ - * / % ^`, `+` on strings and lists), `CASE`, list comprehensions, pattern
comprehensions, `all/any/none/single(x IN l WHERE ...)`, `reduce`, map projections
(`n {.name, .key}`), label tests (`n:actor`; on a relationship, its type), pattern
predicates (`WHERE (a)-->(b)`), and `EXISTS { }` and `COUNT { }` subqueries
([Subqueries](#subqueries)).
`reduce()` feeds each result back in, the one way a query can build
lists and maps nested deeper than its text: past 1,000 levels it stops with
`ArgumentError (NestingTooDeep)`.

Functions: `count`, `sum`, `avg`, `min`, `max`, `collect`, `stDev`, `stDevP`,
`percentileDisc`, `percentileCont` (with `DISTINCT`); `id`, `elementId`, `labels`,
`type`, `keys`, `properties`, `startNode`, `endNode`, `nodes`, `relationships`, `length`,
`exists`; `toUpper`, `toLower`, `trim`, `ltrim`, `rtrim`, `substring`, `left`, `right`,
`replace`, `split`, `reverse`, `size`, `toString`; `toInteger`, `toFloat`, `toBoolean`,
`abs`, `ceil`, `floor`, `round`, `sign`, `sqrt`, `exp`, `log`, `log10`, `sin`, `cos`,
`tan`, `asin`, `acos`, `atan`, `atan2`, `pi`, `e`, `rand`; `range`, `head`, `last`,
`tail`, `coalesce`, `isEmpty`; `date`, `date.truncate`, `duration`, `duration.between`,
`duration.inMonths`, `duration.inDays`, `duration.inSeconds` (see
[Dates and durations](#dates-and-durations)). Strings count characters, not bytes.""", [
        "RETURN 7 / 2 AS int_div, 7 / 2.0 AS div, 2 ^ 10 AS pow, 'ab' + 1 AS s, [1, 2] + 3 AS l, null = null AS nulls, 1 < 2 < 3 AS chained",
        "MATCH (a:actor) RETURN toUpper(a.name) AS name, size(a.name) AS chars, CASE a.sector WHEN 'public' THEN 'public body' ELSE 'other' END AS kind ORDER BY name",
        "MATCH (p:project) RETURN p.name AS project, [(a)-[:participates_in]->(p) | a.name] AS members, size([(a)-[:funds]->(p) | a]) AS funders",
        "MATCH (a:actor) WHERE a.name =~ '(?i)m.*' OR any(x IN coalesce(a.aliases, []) WHERE x CONTAINS 'Sport') RETURN a {.key, .name} AS actor",
        "MATCH (a:actor)-[e:participates_in]->() RETURN collect(a.name) AS names, avg(e.weight) AS avg_weight, max(e.valid_to) AS last_end",
    ]),
    ("Subqueries", """\
`EXISTS { ... }` is true when its body has a row, `COUNT { ... }` is the number of its
rows (an integer); both stand wherever an expression may (`WHERE`, `RETURN`, `WITH`,
`ORDER BY`, inside an aggregation). The body is a pattern with an optional `WHERE`
(`COUNT { (a)-->(p) WHERE p.year > 2020 }`), or a read-only query of its own
(`MATCH`, `OPTIONAL MATCH`, `UNWIND`, `WITH`, ending with `RETURN` or not) that sees the
outer variables and may aggregate in a `WITH`; `RETURN DISTINCT` counts distinct rows.
An `EXISTS` whose `RETURN` only aggregates always has a row and is refused
(`InvalidAggregation`); a write inside either is refused (`InvalidClauseComposition`).
Pattern predicates (`WHERE (a)-[:funds]->()`, `NOT (a)-->(:region)`) are short for
`EXISTS { }`.

`CALL { ... }` runs its body once per row. Outer variables are visible inside only
through a leading importing `WITH` (plain variables, or `WITH *`); the columns of the
body's `RETURN` extend the row, one row out for each row the body returns (none when it
returns none), and may not reuse an outer name (`VariableAlreadyBound`). A body without
`RETURN` must end with a write (`CREATE`, `MERGE`, `SET`, ...): a unit subquery, which
writes once per row and passes the rows on unchanged.""", [
        "MATCH (a:actor) RETURN a.name AS actor, COUNT { (a)-[:participates_in]->() } AS projects ORDER BY projects DESC, actor",
        "MATCH (a:actor) WHERE EXISTS { MATCH (a)-[r]->() WITH a, count(r) AS links WHERE links >= 2 } RETURN a.name AS actor",
        "MATCH (a:actor) WHERE NOT (a)-[:located_in]->() RETURN a.name AS unlocated",
        "MATCH (p:project) CALL { WITH p MATCH (p)<-[:participates_in]-(a:actor) RETURN collect(a.name) AS members } RETURN p.name AS project, members ORDER BY project",
    ]),
    ("Dates and durations", """\
Cypher has two temporal types here, openCypher's `DATE` and `DURATION`. A relationship's
`valid_from` and `valid_to` are dates; in JSON rows and in a stored query's columns a date
is its ISO text (`2021-01-01`), a duration its ISO 8601 period (`P1Y2M3DT4H`).

- **Making them**: `date('2019-05-01')`, also `'20190501'`, week dates `'2019-W18-3'`,
  ordinal dates `'2019-121'`, `'2019-05'` and `'2019'`; `date({year, month, day})`,
  `date({year, week, dayOfWeek})`, `date({year, ordinalDay})`,
  `date({year, quarter, dayOfQuarter})`, each also over a date, `date({date: d, day: 1})`;
  `date()` is today (UTC; so are `date.statement()`, `date.transaction()` and
  `date.realtime()`). `duration('P1Y2M10DT2H')` (or `'P2.5W'`, `'P2019-05-01T12:00:00'`) and
  `duration({years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds,
  microseconds, nanoseconds})`; fractions carry down (a month as 30.436875 days, a day as
  86,400 s). Dates run from 0001-01-01 to 9999-12-31; outside that is an `ArgumentError`.
- **Reading them**: `d.year`, `d.quarter`, `d.month`, `d.week`, `d.weekYear`, `d.day`,
  `d.ordinalDay`, `d.dayOfWeek` (`d.weekDay`; Monday is 1), `d.dayOfQuarter`; a duration's
  `years`, `quarters`, `months`, `weeks`, `days`, `hours`, `minutes`, `seconds`,
  `milliseconds`, `microseconds`, `nanoseconds` and `monthsOfYear`, `monthsOfQuarter`,
  `quartersOfYear`, `daysOfWeek`, `minutesOfHour`, `secondsOfMinute`,
  `millisecondsOfSecond`, `microsecondsOfSecond`, `nanosecondsOfSecond`. `toString(d)`
  gives the ISO text.
- **Computing**: `date ± duration` (months first, keeping the day or taking the month's
  last: `2020-01-31` plus a month is `2020-02-29`; then days; then the whole days of the
  seconds), `duration ± duration`, `duration * number`, `duration / number`, `-duration`;
  `duration.between(a, b)` (years, months and days from `a` to `b`), `duration.inMonths`,
  `duration.inDays`, `duration.inSeconds`; `date.truncate(unit, d [, map])` to the
  `millennium`, `century`, `decade`, `year`, `weekYear`, `quarter`, `month`, `week` or
  `day`. The difference of two dates is `duration.between`, not `-`.
- **Comparing**: dates compare in time order, equal dates are one value in `DISTINCT`,
  grouping and `IN`. Durations are equal part by part (`P1D` is not `PT24H`: a day is not
  always 24 hours) and have no `<` (it is null); `ORDER BY` orders them by length. In
  `ORDER BY` over mixed types, dates and then durations come after paths and before
  strings.
- **A date compared with a string is an error**, not null: openCypher makes
  `e.valid_from >= '2021-01-01'` null, which would silently empty the result of a query
  written when dates were text. Every comparison of the two (`=`, `<>`, `<`, ..., `IN`, and
  a pattern's `[e {valid_from: ...}]` in `MATCH` and `MERGE`) is refused, naming the fix:
  when the query is prepared where the text shows both types (a `date(...)` or a
  relationship's `valid_from`/`valid_to` against a string literal), and when it runs
  otherwise (a string from a parameter or a property). `CREATE` and `SET` still take ISO
  text for `valid_from` and `valid_to`.
- **Stored**: a date or duration set as a property (`SET n.since = date('2019-05-01')`)
  keeps its type: the property's JSON is `{"$date": "2019-05-01"}` (MongoDB's extended
  JSON) or `{"$duration": "P1M"}`, and a parameter written so is a date or duration too.
- **Not supported**: openCypher's `time`, `localtime`, `datetime` and `localdatetime` and
  time zones; of the TCK's temporal scenarios, the ones that use only dates and durations
  are run, the others are left out.""", [
        "MATCH (a:actor)-[e]->(p:project) WHERE e.valid_from >= date('2020-06-01') OR e.valid_to < date('2023-01-01') RETURN a.name AS actor, e.valid_from AS from, e.valid_to AS to, e.valid_from.year AS year, duration.between(e.valid_from, e.valid_to) AS span ORDER BY from",
        "MATCH (a:actor)-[e]->(p:project) WHERE e.valid_from >= '2021-01-01' RETURN a.name",
        "WITH date('2019-05-01') AS d RETURN d + duration('P1M') AS next_month, date.truncate('quarter', d) AS quarter, date({year: 2019, week: 18, dayOfWeek: 3}) AS week_date, d.week AS week, d.dayOfWeek AS weekday, duration.inDays(d, date('2020-05-01')) AS days",
        "RETURN date('2020-01-31') + duration({months: 1}) AS clamped, duration({days: 1.5}) AS fraction, duration('PT90M') * 2 AS twice, duration('P1D') = duration('PT24H') AS same",
        ("sql", "BEGIN; SELECT row FROM kg_cypher('kg', 'MATCH (n {key: ''org:msi''}) SET n.since = date(''2019-05-01'') RETURN n.since.year AS year'); SELECT props FROM kg_nodes WHERE key = 'org:msi'; ROLLBACK"),
    ]),
    ("Regular expressions", """\
`s =~ pattern` is true when the pattern matches **all** of `s` (as Java's
`String.matches`, which openCypher follows): `'Mora digital' =~ 'digital'` is false,
`=~ '.*digital'` true. Null on either side gives null; a non-string, null too.

Patterns are run by [RE2](https://github.com/google/re2/wiki/Syntax), whose syntax is
Perl's and Java's without what needs backtracking. It has `.`, classes (`[a-z]`, `\\d`,
`\\w`, `\\s`, `[[:alpha:]]`, Unicode's `\\p{L}`, `\\p{Lu}`), alternation, groups (`(...)`,
`(?:...)`, `(?P<name>...)`), the quantifiers `* + ? {n,m}` and their lazy forms, anchors
and `\\b`, `\\Q...\\E`, and flags at the start or in a group: `(?i)` (case, Unicode-aware),
`(?s)` (`.` matches a newline too), `(?m)` (`^` and `$` at lines), `(?U)`; Java's `(?u)` is
accepted and changes nothing. **Not supported**: backreferences (`\\1`), lookahead and
lookbehind (`(?=`, `(?!`, `(?<=`, `(?<!`), possessive quantifiers (`a*+`), atomic groups and
`(?x)`. Such a pattern is an `ArgumentError` that names it and says what is missing; so is
a pattern whose compiled form would take more than 8 MiB (a repetition count is at most
1000). In exchange a match takes time linear in the length of `s`, whatever the pattern:
`(a+)+b` against forty `a`s, or a 100,000-character string, answer at once.

In a Cypher string a backslash is written twice (`'\\\\d+'` is the pattern `\\d+`); a
pattern given as a parameter is taken as it is.""", [
        "RETURN 'Mora digital' =~ 'digital' AS part, 'Mora digital' =~ '.*digital' AS whole, 'MSI' =~ '(?i)msi' AS folded, 'Örebro' =~ '\\\\p{Lu}\\\\p{Ll}+' AS unicode",
        "RETURN 'aa' =~ '(a)\\\\1' AS backreference",
    ]),
    ("Writing", """\
`CREATE`, `MERGE` (with `ON CREATE SET` and `ON MATCH SET`), `SET` (a property,
`n = map`, `n += map`, a label), `REMOVE` and `DELETE`/`DETACH DELETE` write through the
connection's transaction on the graph: the same one `INSERT INTO kg_nodes` uses. Inside
`BEGIN` they are committed by `COMMIT` and undone by `ROLLBACK` or `ROLLBACK TO` a
savepoint, together with the SQL writes; outside, each statement commits on its own.
While another connection writes the graph, a query that writes waits for it up to the
busy timeout, as `INSERT` does ([sql-reference.md](sql-reference.md#transactions)). A
query that fails leaves nothing of itself behind. A query's writes all happen before its
first row is returned, whatever `LIMIT` the query or the SQL around it has. `DELETE` of a
node that still has relationships fails unless the query deletes them too
(`DeleteConnectedNode`); `DETACH DELETE` deletes them with it. Each clause sees the
writes of the clauses before it, labels and relationship types new to the graph
included, and `MERGE` also its own writes for earlier rows: `UNWIND [1, 1, 1] AS i
MERGE (t:tag {name: 'same'})` creates one node.""", [
        ("sql", "BEGIN; SELECT row FROM kg_cypher('kg', 'MERGE (r:region {key: ''reg:dalarna''}) ON CREATE SET r.name = ''Dalarna'' WITH r MATCH (m {key: ''reg:mora''}) MERGE (m)-[:part_of]->(r)'); SELECT src, type, dst FROM kg_edges WHERE type = 'part_of'; ROLLBACK; SELECT count(*) FROM kg_edges WHERE type = 'part_of'"),
        ("sql", "BEGIN; SELECT row FROM kg_cypher('kg', 'MATCH (n {key: ''org:msi''}) SET n.founded = 1999, n += {city: ''Mora''} REMOVE n.aliases RETURN n.founded AS founded, n.city AS city, n.aliases AS aliases'); ROLLBACK"),
        "MATCH (n {key: 'reg:mora'}) DELETE n",
        "MATCH (n {key: 'reg:mora'}) DETACH DELETE n RETURN count(*) AS deleted",
    ]),
    ("Procedures", """\
`CALL` runs a procedure. Every analytics function of SQL, `kg_<name>`, is a procedure
`samverkan.<name>` built from the same table of procedures in the engine, so the two take
the same options and give the same rows: `CALL samverkan.pagerank({damping: 0.85, kinds:
['actor']}) YIELD node, rank`. The one argument is a map of options, by the SQL function's
argument names (none, `{}` or `null` for the defaults); a list of names is a Cypher list
(or one string), a boolean `true`/`false`, `personalization` a list of keys or a map of
keys to shares. A column that is a node's key in SQL (`key`, `actor_a`, ...) is a node in
Cypher (SQL's `key` is called `node`), usable in a later `MATCH` as any node is.

`YIELD` picks columns (`YIELD rank AS r`), optionally with `WHERE`; a query that goes on
after `CALL` must say which columns it takes. A query that is only a `CALL` returns all
the procedure's columns (also with `YIELD *`), or those it yields; `CALL name` without
parentheses is allowed there. Besides the analytics, as in Neo4j:
`db.labels()` (the kinds that have nodes), `db.relationshipTypes()` (every edge type the
graph knows), `db.propertyKeys()` (every property key of a node or relationship; reads
the whole graph) and `dbms.procedures()`, which lists them all. A connection may declare
*table procedures* of its own, whose rows are given as a table (as the openCypher TCK
declares its test procedures): `kg_set('cypher_procedure', ...)`
([sql-reference.md](sql-reference.md#scalar-functions)).

A procedure runs once per incoming row, over the graph as the query sees it. After
`CREATE`, `MERGE`, `SET`, `REMOVE` or `DELETE`, a `CALL` needs a `WITH` between (as a
`MATCH` does), and then **sees the query's writes**, as `MATCH` does: the clauses before
it have run to the end, and the procedure reads the transaction's own state. Its result
rows are held while they are read and count against the [working memory](#working-memory)
limit; a long computation polls `sqlite3_interrupt`. A stored query may call procedures;
it stays `DIRECTONLY` (no view or trigger can run it) and obeys the memory limit and
interrupts like any other query.

Errors say what and where: an unknown procedure (`ProcedureNotFound`), an unknown option
(the message lists the procedure's options), a value of the wrong type or out of range
(the SQL function's message, after the procedure's name), a `YIELD` of a column the
procedure lacks (the message lists its columns).""", [
        "CALL dbms.procedures() YIELD name, signature, options WHERE name STARTS WITH 'samverkan.' RETURN name, signature, options",
        "CALL samverkan.pagerank() YIELD node, rank RETURN node.name AS name, rank ORDER BY rank DESC",
        "CALL samverkan.pagerank({damping: 0.9, kinds: ['actor', 'project'], personalization: ['org:msi']}) YIELD node, rank MATCH (node)-[:participates_in]->(p) RETURN p.name AS project, sum(rank) AS members_rank",
        "CALL samverkan.sector_mixing({via: 'project'})",
        "CALL samverkan.components({mode: 'strong'}) YIELD node, component WHERE node:actor RETURN node.key AS actor, component",
        "CALL db.labels()",
        "CALL db.relationshipTypes() YIELD relationshipType AS type RETURN collect(type) AS types",
        "CREATE (:actor {key: 'org:new', name: 'New'}) WITH count(*) AS created CALL samverkan.degree() YIELD node, degree WHERE degree = 0 RETURN node.key AS isolated",
        ("sql", "CREATE VIRTUAL TABLE ranks USING samverkan_cypher(kg, 'CALL samverkan.pagerank({damping: $d}) YIELD node, rank RETURN node.name AS name, rank'); SELECT * FROM ranks(0.5) ORDER BY rank DESC"),
        "CALL samverkan.pagerank({dampin: 0.9}) YIELD node RETURN node",
        "CALL samverkan.pagerank({damping: 1.5}) YIELD node RETURN node",
        "CALL samverkan.pagerank() YIELD score RETURN score",
    ]),
    ("Parameters, EXPLAIN and errors", """\
`$name` reads parameter `name` from the JSON object given as `params` (to a stored
query: its hidden columns); a missing one is an error. `EXPLAIN <query>` returns the plan
instead of running it: the operators from the result down to the first scan, with the
planner's row estimates, whether relationships are read from the CSR snapshot or from
the stored adjacency, and warnings about labels, types and sectors the graph has never
seen (which match nothing, as Cypher says).

Errors name openCypher's error class and code (as the TCK does), and for a place in the
query the line and column, with the line and a caret under it.

**Nesting limit.** A query's expressions may nest at most **1,000 levels** deep. Each
parenthesis, list, map, function call, `CASE`, `NOT`, sign (`-x`), subscript and property
access is a level, and so is each operator of a chain: `a + b + c` is two levels, a sum
of 1,000 terms or 1,000 `AND`s is too deep. Deeper text is refused when the query is
prepared, with `SyntaxError (NestingTooDeep)` at the line and column of the level past
the limit. No real query comes near it; it bounds the stack that checking, planning,
running and printing a query take: a query at the limit needs about 2 MiB of stack in a
release build (threads have 8 MiB on Linux). On a thread with less, parsing, checking and
evaluating stop with the same error when the stack is down to its last 256 KiB (or half
of it, for a small one), so no text can crash the program that runs it. A value a query
builds may nest deeper than its text (`reduce(acc = [], x IN range(1, 100000) | [acc])`):
printing or comparing one too deep for the stack fails with the same error. The JSON of `params` (and of
`options`) has the same limit of 1,000 levels, as the graph's properties do (the object
itself is level 1). Parsing takes time linear in the text, and polls `sqlite3_interrupt`
as running does.""", [
        "EXPLAIN MATCH (a:actor {sector: 'nonprofit'})-[:participates_in]->(p:project)<-[:participates_in]-(b:actor) WHERE b <> a RETURN b.name AS partner, count(*) AS shared ORDER BY shared DESC LIMIT 5",
        "EXPLAIN MATCH (o:organisation)-[:employs]->(p) RETURN p",
        "MATCH (a:actor)\nRETURN a.nmae, b",
        "MATCH (a:actor {sector: $s}) RETURN a",
        "RETURN 1 + 'one' AS x, [1] + {a: 1}",
    ]),
    ("Working memory", """\
What a query holds while it runs grows with the data, not with its text: the rows an
`ORDER BY` sorts, the groups of an aggregation and the lists `collect()` builds, what
`DISTINCT` and `UNION` remember, the rows of a query that writes, the matches `MERGE`
reads before it writes, the paths `allShortestPaths` finds, the trails a
variable-length pattern follows, and the lists and strings its expressions build
(`range()`, comprehensions, `+`; a `reduce()` accumulator, or a value returned, counts
every part it repeats, as printing it would walk them; comparing, ordering or hashing
such a value walks each shared part once). Each query may hold at most **2 GiB** of such working
memory, counted approximately (a large list shared by many rows counts once; the graph's
memory-mapped snapshot does not count). Past it the query stops with an error that names
the limit and how to raise it; the connection, its transaction and the graph are as they
were before the query (a query that writes leaves nothing of itself behind).

The limit is `memory_limit` in `kg_cypher`'s options, in bytes, for one query, or for
every Cypher query of the connection (`kg_cypher` without the option, and stored queries)
`kg_set('cypher_memory_limit', <bytes>)`, which returns the limit now in force;
`kg_set('cypher_memory_limit', NULL)` restores the default.""", [
        ("sql", "SELECT row FROM kg_cypher('kg', 'MATCH (a), (b), (c) RETURN collect([a.key, b.key, c.key]) AS triples', NULL, '{\"memory_limit\": 10000}')"),
        ("sql", "SELECT kg_set('cypher_memory_limit', 4294967296) AS limit_now"),
        ("sql", "SELECT kg_set('cypher_memory_limit', NULL) AS limit_now"),
    ]),
    ("How queries are planned", """\
Each `MATCH` is planned as a whole. The planner starts from the node it can find most
cheaply: one bound by an earlier clause; a lookup by `key` (one node), by internal id, or
by name (the folded name index, then the exact name checked); the kind + sector index;
the kind index; all nodes; it weighs them with the graph's counts (nodes per kind and
sector) and, for a node found by its key, the node's degree. From what is bound it
expands along relationships, preferring one that closes a cycle, then fixed-length ones,
then the one whose far node is most selective; labels and sectors of the far node are
tested on the CSR snapshot before a row is made, and each `WHERE` condition is placed
right after the last variable it reads is bound.

Relationships are read from the CSR snapshot of the committed graph when one is cached
or when the plan is expected to read many (more than 20,000) relationships, and from
the stored adjacency otherwise, and always inside a transaction with uncommitted writes,
which a snapshot of the committed graph would not show. Three short cuts keep results
from being built only to be counted:

- a variable-length pattern whose only use is which nodes it reaches (`count(DISTINCT
  b)`, `RETURN DISTINCT b`) runs as a breadth-first search that meets each node once
  (`VarLengthReach`), instead of enumerating paths;
- a last relationship that is only counted (`count(*)`, `count(p)`) is counted per node,
  once (`ExpandCount`), instead of making a row per relationship;
- grouping keys that are properties of nodes (`RETURN b.name, count(*)`) are read once per
  node: rows are grouped by the node first.

`LIMIT` stops reading as soon as it has its rows, and `ORDER BY ... LIMIT n` keeps only
`n` rows. A running query polls `sqlite3_interrupt` (Ctrl-C in the shell,
`conn.interrupt()` in Python) and stops within milliseconds with `interrupted`.""", [
        "EXPLAIN MATCH (v {key: 'org:vinnova'})-[*1..3]-(x) RETURN count(DISTINCT x) AS reached",
        "EXPLAIN MATCH (a:actor {sector: 'academia'})-[:participates_in]->(p:project)<-[:participates_in]-(b:actor {sector: 'nonprofit'}) RETURN count(*) AS pairs",
    ]),
    ("Conformance and limits", """\
The whole openCypher TCK (3,880 scenarios, `tests/tck/`) runs in the test suite
through `kg_cypher` (`tests/tck/run_tck.py`). 966 scenarios are left out as model
exclusions (`tests/tck/excluded.txt`): several labels on a node (37), the identity of a
second relationship of one type between one pair, which shows `rank: 1` (5), and time
types other than Date and Duration (924; a scenario that mixes a Date with one of them
counts as excluded). Of the other 2,914, 2,909 pass (99.8%; 75.0% of all 3,880); the
5 that do not are listed in `tests/tck/failing.txt` and count as failures.
Scenarios whose set-up gives a node an empty name run with the property renamed, so
that `STARTS WITH`, `ENDS WITH` and `CONTAINS` are covered. Not supported: `FOREACH`,
`LOAD CSV`, `COLLECT { }` subqueries, `UNION` inside a subquery, `CALL { } IN TRANSACTIONS`,
procedures other than
those of [Procedures](#procedures), quantified path patterns, schema commands (indexes and
constraints are the graph's own), time types other than Date and Duration, and points. Performance, beside Kùzu and the `kg_*` functions:
[performance.md](performance.md).""", []),
]


def render(v):
    if v is None:
        return "null"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        out.append("| " + " | ".join(render(v).replace("|", "\\|").replace("\n", "<br>")
                                     for v in row) + " |")
    if not rows:
        out.append("(no rows)")
    return out


def run_cypher(db, query):
    db.execute("SAVEPOINT example")
    try:
        rows = [json.loads(r[0]) for r in
                db.execute("SELECT row FROM kg_cypher('kg', ?)", (query,)).fetchall()]
        if not rows:
            return ["(no rows)"]
        header = list(rows[0].keys())
        if header == ["plan"]:
            return ["```"] + [r["plan"] for r in rows] + ["```"]
        return table(header, [[r[k] for k in header] for r in rows])
    except sqlite3.Error as e:
        return ["```", f"Error: {e}", "```"]
    finally:
        db.execute("ROLLBACK TO example")
        db.execute("RELEASE example")


def run_sql(db, sql):
    """Runs statements separated by "; " and shows each result with rows
    (and the last result, even without)."""
    out = []
    try:
        results = []
        for stmt in [s for s in sql.split("; ") if s.strip()]:
            cur = db.execute(stmt)
            rows = cur.fetchall()
            if cur.description:
                results.append(([d[0] for d in cur.description], [list(r) for r in rows]))
        shown = [r for r in results if r[1]] or results[-1:]
        for header, rows in shown:
            if out:
                out.append("")
            out += table(header, rows)
        return out or ["(no rows)"]
    except sqlite3.Error as e:
        if db.in_transaction:
            db.execute("ROLLBACK")
        return out + ["```", f"Error: {e}", "```"]


def generate(ext):
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(os.path.join(tmp, "cypher.db"), isolation_level=None)
        db.enable_load_extension(True)
        db.load_extension(ext)
        cwd = os.getcwd()
        os.chdir(tmp)
        db.executescript(SETUP)
        lines = ["# Cypher in Samverkan", "",
                 "<!-- Generated by scripts/gen_cypher_reference.py from the built extension."
                 " Do not edit. -->", ""]
        for title, text, examples in SECTIONS:
            lines += [f"## {title}", "", text, ""]
            for ex in examples:
                if isinstance(ex, tuple):
                    lines += ["```sql", ex[1] + ";", "```", ""] + run_sql(db, ex[1]) + [""]
                else:
                    lines += ["```cypher", ex, "```", ""] + run_cypher(db, ex) + [""]
        db.close()
        os.chdir(cwd)
    return "\n".join(lines).replace(tmp, "/data")


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
