// sql_schema.h: what a database's schema holds under a name.
//
// The extension makes tables beside a graph table (kg_nodes, kg_edges,
// kg_commits) and must never take, write or drop one of the user's: these
// look-ups tell the user's objects from ours.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/result.h"
#include "vtab_base.h"

namespace samverkan::sql {

// An entry of sqlite_schema.
struct SchemaObject {
  std::string type;  // "table", "view", "index" or "trigger"
  std::string name;  // as stored
  std::string sql;   // the SQL that made it; empty for automatic indexes
};

// The object named `name` (in any case) in `schema`, or nullopt when there
// is none. An error when the schema cannot be read: callers that guard the
// user's objects must not take "cannot tell" for "nothing there".
Result<std::optional<SchemaObject>> FindSchemaObject(sqlite3* db, std::string_view schema,
                                                     std::string_view name);

// The names of the triggers on table `table` of `schema`: those stored in
// that schema and the TEMP triggers (which may name a table of any schema).
Result<std::vector<std::string>> TriggersOn(sqlite3* db, std::string_view schema,
                                            std::string_view table);

}  // namespace samverkan::sql
