// cypher_sql.cc: see cypher_sql.h.
#include "cypher_sql.h"

#include <nlohmann/json.hpp>

#include "samverkan/options.h"
#include "samverkan/text.h"
#include "samverkan/ignore_error.h"
#include "sql_interrupt.h"

namespace samverkan::sql {
namespace {

// Enlists the graph's table in SQLite's transaction (see cypher_sql.h).
int Enlist(sqlite3* db, sqlite3_vtab* vtab, const char* who, const GraphHandle& graph) {
  // It reads the table's one row, which makes the table open the graph (a
  // table that has not takes no part in commits), and deletes nothing. The
  // name is qualified with the graph's schema: unqualified, a TEMP table of
  // the user's with the graph's name would be the one written (and the
  // graph would not take part in the commit).
  std::string sql = "DELETE FROM " + QuoteIdentifier(graph.schema()) + "." +
                    QuoteIdentifier(graph.name()) + " WHERE rowid = 0";
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    SetError(vtab, "%s: %s", who, err ? err : sqlite3_errstr(rc));
  }
  sqlite3_free(err);
  return rc;
}

}  // namespace

std::unique_ptr<CypherRun> StartCypher(sqlite3* db, sqlite3_vtab* vtab, const char* who,
                                       std::string_view /*graph_name*/,
                                       const std::shared_ptr<GraphHandle>& graph,
                                       std::shared_ptr<const cypher::PreparedQuery> query,
                                       const cypher::Parameters& params,
                                       cypher::RunOptions options, int* rc) {
  *rc = SQLITE_OK;
  auto run = std::make_unique<CypherRun>();
  run->interrupt = std::make_unique<Interrupt>(InterruptPredicate(db));
  options.interrupt = run->interrupt.get();
  Result<std::unique_ptr<cypher::Cursor>> cursor = Status::Internal("not run");
  if (query->writes()) {
    const bool autocommit = sqlite3_get_autocommit(db) != 0;
    if (!autocommit && (*rc = Enlist(db, vtab, who, *graph)) != SQLITE_OK) return nullptr;
    Transaction* txn = graph->Writer(vtab, db, who, rc);
    if (txn == nullptr) return nullptr;
    run->read = graph->View();
    txn->SetSavepoint();
    cursor = cypher::Execute(query, cypher::Target{.view = txn, .txn = txn}, params, options);
    Status rendered;
    if (cursor.ok()) {
      run->rendered = true;
      for (;;) {
        auto more = (*cursor)->Next();
        if (!more.ok() || !*more) {
          rendered = more.status();
          break;
        }
        auto json = (*cursor)->RowJson();
        if (!json.ok()) {
          rendered = json.status();
          break;
        }
        run->rows_json.push_back(std::move(*json));
      }
      if (!rendered.ok()) cursor = rendered;
    }
    if (!cursor.ok()) {
      IgnoreError(txn->RollbackToSavepoint());
    }
    IgnoreError(txn->ReleaseSavepoint());
    if (cursor.ok() && autocommit && (*rc = Enlist(db, vtab, who, *graph)) != SQLITE_OK) {
      return nullptr;
    }
  } else {
    run->read = graph->View();
    cypher::Target target{.view = run->read.view};
    target.db = run->read.latest;
    cursor = cypher::Execute(query, target, params, options);
  }
  if (!cursor.ok()) {
    *rc = StatusError(vtab, who, cursor.status());
    return nullptr;
  }
  run->cursor = std::move(*cursor);
  *rc = NextCypherRow(vtab, who, run.get());
  if (*rc != SQLITE_OK) return nullptr;
  return run;
}

int NextCypherRow(sqlite3_vtab* vtab, const char* who, CypherRun* run) {
  if (run->rendered) {
    run->eof = static_cast<size_t>(run->rowid) >= run->rows_json.size();
    ++run->rowid;
    return SQLITE_OK;
  }
  auto more = run->cursor->Next();
  if (!more.ok()) {
    run->eof = true;
    return StatusError(vtab, who, more.status());
  }
  run->eof = !*more;
  ++run->rowid;
  return SQLITE_OK;
}

int ResultCypherRowJson(sqlite3_vtab* vtab, const char* who, sqlite3_context* ctx,
                        CypherRun* run) {
  if (run->rendered) {
    ResultText(ctx, run->rows_json[static_cast<size_t>(run->rowid - 1)]);
    return SQLITE_OK;
  }
  auto json = run->cursor->RowJson();
  if (!json.ok()) return StatusError(vtab, who, json.status());
  ResultText(ctx, *json);
  return SQLITE_OK;
}

int ResultCypherValue(sqlite3_vtab* vtab, const char* who, sqlite3_context* ctx, CypherRun* run,
                      const cypher::Value& v) {
  using T = cypher::Value::Type;
  switch (v.type()) {
    case T::kNull: sqlite3_result_null(ctx); return SQLITE_OK;
    case T::kBool: sqlite3_result_int(ctx, v.boolean() ? 1 : 0); return SQLITE_OK;
    case T::kInt: sqlite3_result_int64(ctx, v.integer()); return SQLITE_OK;
    case T::kFloat: sqlite3_result_double(ctx, v.floating()); return SQLITE_OK;
    case T::kString: ResultText(ctx, v.string()); return SQLITE_OK;
    case T::kDate: ResultText(ctx, cypher::DateText(v.date())); return SQLITE_OK;
    case T::kDuration: ResultText(ctx, cypher::DurationText(v.duration())); return SQLITE_OK;
    default: {
      auto json = run->cursor->Json(v);
      if (!json.ok()) return StatusError(vtab, who, json.status());
      ResultText(ctx, *json);
      return SQLITE_OK;
    }
  }
}

Result<cypher::Value> CypherValueOf(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return cypher::Value();
    case SQLITE_INTEGER: return cypher::Value::Int(sqlite3_value_int64(v));
    case SQLITE_FLOAT: return cypher::Value::Float(sqlite3_value_double(v));
    case SQLITE_TEXT: return cypher::Value::String(std::string(ValueText(v)));
    default: return Status::InvalidArgument("a parameter cannot be a BLOB");
  }
}

cypher::RunOptions ConnectionRunOptions(Connection& conn) {
  cypher::RunOptions options;
  options.memory_limit = conn.settings().cypher_memory_limit;
  options.memory_limit_hint =
      "raise it for the connection with SELECT kg_set('cypher_memory_limit', <bytes>)";
  return options;
}

Result<cypher::RunOptions> ParseCypherOptions(std::string_view json, Connection& conn) {
  using A = cypher::RunOptions::Adjacency;
  cypher::RunOptions options = ConnectionRunOptions(conn);
  options.memory_limit_hint =
      "raise it with kg_cypher's options ('{\"memory_limit\": <bytes>}') or for the "
      "connection with SELECT kg_set('cypher_memory_limit', <bytes>)";
  if (json.empty()) return options;
  const options::Reader in(options::Wording::JsonMembers());
  SV_ASSIGN_OR_RETURN(nlohmann::json j, in.Object(json, R"({"adjacency": "csr"})"));
  for (const auto& [name, v] : j.items()) {
    if (name == "memory_limit") {
      if (!v.is_number_unsigned() || v.get<uint64_t>() == 0) {
        return in.Refuse(name, "must be a positive integer (bytes), as in "
                               "'{\"memory_limit\": 4294967296}'");
      }
      options.memory_limit = v.get<uint64_t>();
    } else if (name == "adjacency") {
      SV_ASSIGN_OR_RETURN(std::string a, in.OneOf(v, name, {"auto", "csr", "stored"}));
      options.adjacency = a == "csr" ? A::kCsr : a == "stored" ? A::kStored : A::kAuto;
    } else {
      return in.Unknown(name, {"adjacency", "memory_limit"});
    }
  }
  return options;
}

}  // namespace samverkan::sql
