// sql_schema.cc: see sql_schema.h.
#include "sql_schema.h"

#include <functional>

#include <fmt/format.h>

namespace samverkan::sql {
namespace {

// Runs `sql` with text parameters `params`, calling `row` for each row.
Status Query(sqlite3* db, const std::string& sql, const std::vector<std::string_view>& params,
             const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  for (size_t i = 0; rc == SQLITE_OK && i < params.size(); ++i) {
    rc = sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].data(),
                           static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
  }
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) row(stmt);
  }
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE) return Status::OK();
  std::string message = fmt::format("cannot read the database schema: {}", error);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Busy(message);
  return Status::IOError(message);
}

std::string Text(sqlite3_stmt* stmt, int col) {
  const unsigned char* text = sqlite3_column_text(stmt, col);
  return text ? reinterpret_cast<const char*>(text) : "";
}

}  // namespace

Result<std::optional<SchemaObject>> FindSchemaObject(sqlite3* db, std::string_view schema,
                                                     std::string_view name) {
  std::optional<SchemaObject> found;
  auto first = [&](sqlite3_stmt* stmt) {
    if (!found) found = SchemaObject{Text(stmt, 0), Text(stmt, 1), Text(stmt, 2)};
  };
  SV_RETURN_IF_ERROR(Query(db,
                           "SELECT type, name, sql FROM " + QuoteIdentifier(schema) +
                               ".sqlite_schema WHERE lower(name) = lower(?1)",
                           {name}, first));
  return found;
}

Result<std::vector<std::string>> TriggersOn(sqlite3* db, std::string_view schema,
                                            std::string_view table) {
  std::vector<std::string> names;
  auto collect = [&](sqlite3_stmt* stmt) { names.push_back(Text(stmt, 0)); };
  const char* where = " WHERE type = 'trigger' AND lower(tbl_name) = lower(?1)";
  SV_RETURN_IF_ERROR(Query(
      db, "SELECT name FROM " + QuoteIdentifier(schema) + ".sqlite_schema" + where, {table},
      collect));
  if (schema != "temp") {
    SV_RETURN_IF_ERROR(Query(db, std::string("SELECT name FROM temp.sqlite_schema") + where,
                             {table}, collect));
  }
  return names;
}

}  // namespace samverkan::sql
