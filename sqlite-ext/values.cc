// values.cc: see values.h.
#include "values.h"

#include <nlohmann/json.hpp>

namespace samverkan::sql {

std::string JsonStringArray(const std::vector<std::string>& items) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& item : items) array.push_back(item);
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::string> SourceKeysJson(const GraphView& view, std::span<const NodeId> ids) {
  std::vector<std::string> keys;
  for (NodeId id : ids) {
    auto node = view.GetNode(id);
    if (!node.ok()) return node.status();
    keys.push_back(node->key);
  }
  return JsonStringArray(keys);
}

Result<std::vector<std::string>> ParseStringArray(sqlite3_value* value, std::string_view column) {
  if (IsNull(value) || ValueText(value).empty()) return std::vector<std::string>();
  return ParseJsonStringArray(ValueText(value), column);
}

Status CheckBatchUnchanged(sqlite3_value* given, std::optional<BatchId> stored) {
  const bool same = stored ? sqlite3_value_numeric_type(given) == SQLITE_INTEGER &&
                                 static_cast<BatchId>(sqlite3_value_int64(given)) == *stored
                           : IsNull(given);
  if (same) return Status::OK();
  return Status::InvalidArgument(
      "batch is set by the graph (the transaction that last wrote the row) and cannot be "
      "written");
}

std::string PropsText(const std::string& props) { return props.empty() ? "{}" : props; }

Result<std::optional<Date>> ParseOptionalDate(sqlite3_value* value, std::string_view column,
                                              Date::Partial partial) {
  if (IsNull(value)) return std::optional<Date>();
  auto date = Date::Parse(ValueText(value), partial);
  if (!date.ok()) return date.status().WithContext(column);
  return std::optional<Date>(*date);
}

}  // namespace samverkan::sql
