// kuzu_cypher.js: the Kùzu side of cypher_bench.py.
//
//   node bench/kuzu_cypher.js <tables dir> <queries.json> <repeat> [timeout s]
//
// Loads the per-table CSV files cypher_bench.py wrote (actor, project,
// region; located_in, participates_in; their schema in ddl.json) into a fresh on-disk Kùzu database
// with COPY FROM, then runs each query `repeat` times and prints one JSON
// object: {"version", "load": seconds, "queries": {name: {"times": [...],
// "rows": [...]}}}. queries.json is [{"name", "cypher", "params", "once"}]; a
// query with "once" (set-up, such as CALL project_graph) runs once. A query
// that runs past the timeout is reported with "timeout": true.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const kuzu = require(path.join(__dirname, "node_modules", "kuzu"));

async function main() {
  const [tables, queriesFile, repeatText, timeoutText] = process.argv.slice(2);
  const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
  const repeat = parseInt(repeatText, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kuzu-bench-"));
  const db = new kuzu.Database(path.join(dir, "db"));
  const conn = new kuzu.Connection(db);
  const run = async (q, params) => {
    if (params && Object.keys(params).length) {
      const stmt = await conn.prepare(q);
      return conn.execute(stmt, params);
    }
    return conn.query(q);
  };
  const t0 = process.hrtime.bigint();
  // The schema comes with the tables (cypher_bench.py writes ddl.json).
  for (const ddl of JSON.parse(fs.readFileSync(path.join(tables, "ddl.json"), "utf8"))) {
    await run(ddl);
  }
  for (const t of ["actor", "project", "region", "located_in", "participates_in"]) {
    await run(`COPY ${t} FROM '${path.join(tables, t + ".csv")}' (HEADER=true)`);
  }
  const load = Number(process.hrtime.bigint() - t0) / 1e9;
  const out = { version: kuzu.VERSION, load, queries: {} };
  if (timeoutText) conn.setQueryTimeout(Math.round(parseFloat(timeoutText) * 1000));
  for (const q of queries) {
    const times = [];
    let rows = null;
    try {
      for (let i = 0; i < (q.once ? 1 : repeat); i++) {
        const t = process.hrtime.bigint();
        const result = await run(q.cypher, q.params);
        rows = await result.getAll();
        times.push(Number(process.hrtime.bigint() - t) / 1e9);
      }
      out.queries[q.name] = { times, rows };
    } catch (e) {
      const timeout = /interrupt|timeout/i.test(String(e));
      out.queries[q.name] = { times, rows, timeout, error: timeout ? undefined : String(e) };
    }
  }
  process.stdout.write(JSON.stringify(out) + "\n");
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
