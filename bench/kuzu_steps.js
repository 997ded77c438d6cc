// kuzu_steps.js: the Kùzu side of scaling_bench.py, one step per process.
//
//   node bench/kuzu_steps.js load <tables dir> <db dir>
//   node bench/kuzu_steps.js run <db dir> <queries.json>
//
// `load` creates an on-disk database in <db dir> from the per-table CSV files
// and ddl.json that cypher_bench.py's kuzu_tables() writes (COPY FROM).
// `run` opens the database and runs each query of queries.json
// ([{"name", "cypher", "params", "repeat"}]) `repeat` times in order. Both
// print one JSON object: {"version", "open": seconds to open and answer
// RETURN 1, "queries": {name: {"times": [...], "rows": [...]}}} (`load`:
// {"version", "load": seconds}). Peak memory is measured by the caller.
"use strict";
const fs = require("fs");
const path = require("path");
const kuzu = require(path.join(__dirname, "node_modules", "kuzu"));

const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

async function query(conn, q, params) {
  if (params && Object.keys(params).length) {
    return conn.execute(await conn.prepare(q), params);
  }
  return conn.query(q);
}

async function main() {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === "load") {
    const t = process.hrtime.bigint();
    const db = new kuzu.Database(b);
    const conn = new kuzu.Connection(db);
    for (const ddl of JSON.parse(fs.readFileSync(path.join(a, "ddl.json"), "utf8"))) {
      await query(conn, ddl);
    }
    for (const table of ["actor", "project", "region", "located_in", "participates_in"]) {
      await query(conn, `COPY ${table} FROM '${path.join(a, table + ".csv")}' (HEADER=true)`);
    }
    await db.close();
    process.stdout.write(JSON.stringify({ version: kuzu.VERSION, load: seconds(t) }) + "\n");
    return;
  }
  if (mode !== "run") throw new Error(`unknown mode ${mode}: load or run`);
  const queries = JSON.parse(fs.readFileSync(b, "utf8"));
  let t = process.hrtime.bigint();
  const db = new kuzu.Database(a);
  const conn = new kuzu.Connection(db);
  await (await query(conn, "RETURN 1")).getAll();
  const out = { version: kuzu.VERSION, open: seconds(t), queries: {} };
  for (const q of queries) {
    const times = [];
    let rows = null;
    for (let i = 0; i < (q.repeat || 1); i++) {
      t = process.hrtime.bigint();
      rows = await (await query(conn, q.cypher, q.params)).getAll();
      times.push(seconds(t));
    }
    out.queries[q.name] = { times, rows };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
