// ParseImportOptions: kg_import's options object.
#include <nlohmann/json.hpp>

#include "json_options.h"
#include "samverkan/import.h"

namespace samverkan {

Result<ImportOptions> ParseImportOptions(std::string_view text) {
  using options::Bad;
  ImportOptions o;
  SV_ASSIGN_OR_RETURN(nlohmann::json j, options::Object(text));
  for (const auto& [name, v] : j.items()) {
    if (name == "null") {
      SV_ASSIGN_OR_RETURN(o.null_values, options::Strings(v, name));
    } else if (name == "mode") {
      SV_ASSIGN_OR_RETURN(std::string mode, options::Text(v, name));
      if (mode == "auto") {
        o.mode = ImportMode::kAuto;
      } else if (mode == "bulk") {
        o.mode = ImportMode::kBulk;
      } else if (mode == "transaction") {
        o.mode = ImportMode::kTransaction;
      } else {
        return Bad("mode must be 'auto', 'bulk' or 'transaction', not '" + mode + "'");
      }
    } else if (name == "max_problems") {
      SV_ASSIGN_OR_RETURN(int64_t n, options::Integer(v, name, 1, 1000000));
      o.max_problems = static_cast<size_t>(n);
    } else if (name == "default_kind") {
      SV_ASSIGN_OR_RETURN(o.default_kind, options::Text(v, name));
    } else if (name == "default_edge_type") {
      SV_ASSIGN_OR_RETURN(o.default_edge_type, options::Text(v, name));
    } else if (name == "add_sectors") {
      SV_ASSIGN_OR_RETURN(o.add_sectors, options::Names(v, name));
    } else if (name == "source") {
      SV_ASSIGN_OR_RETURN(o.source_key, options::Text(v, name));
    } else if (name == "source_title") {
      SV_ASSIGN_OR_RETURN(o.source_title, options::Text(v, name));
    } else {
      return Bad("unknown member '" + name + "'");
    }
  }
  return o;
}

}  // namespace samverkan
