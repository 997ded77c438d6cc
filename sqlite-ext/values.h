// values.h: conversions between graph records and SQL values, shared by the
// node and edge tables.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "samverkan/graph_view.h"
#include "vtab_base.h"

namespace samverkan::sql {

// ["a","b"] as compact JSON text.
std::string JsonStringArray(const std::vector<std::string>& items);

// The keys of `ids` as a JSON array, for the `sources` columns.
Result<std::string> SourceKeysJson(const GraphView& view, std::span<const NodeId> ids);

// A JSON array of strings from SQL; NULL or '' is the empty list.
// InvalidArgument: "<column> must be a JSON array of strings".
Result<std::vector<std::string>> ParseStringArray(sqlite3_value* value, std::string_view column);

// The `batch` column is written by the graph: an INSERT must leave it NULL
// (`stored` nullopt), an UPDATE must leave it as it is. InvalidArgument:
// "batch is set by the graph (the transaction that last wrote the row) and
// cannot be written".
Status CheckBatchUnchanged(sqlite3_value* given, std::optional<BatchId> stored);

// Properties as they are shown: "{}" for none.
std::string PropsText(const std::string& props);

// An optional ISO date from SQL; NULL is nullopt. A partial date is the
// first or last day of its period, as `partial` says.
// InvalidArgument: "<column>: <why>".
Result<std::optional<Date>> ParseOptionalDate(sqlite3_value* value, std::string_view column,
                                              Date::Partial partial);

}  // namespace samverkan::sql
