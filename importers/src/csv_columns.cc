#include "csv_columns.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "samverkan/types.h"
#include "json_limits.h"

namespace samverkan::importers {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<CsvType> TypeNamed(std::string_view name) {
  std::string t = Lower(name);
  if (t == "int" || t == "long" || t == "short" || t == "byte") return CsvType::kInt;
  if (t == "float" || t == "double") return CsvType::kFloat;
  if (t == "boolean") return CsvType::kBoolean;
  if (t == "string" || t == "char") return CsvType::kString;
  if (t == "date") return CsvType::kDate;
  if (t == "json") return CsvType::kJson;
  return std::nullopt;
}

// The reserved names of a file, and the types they allow.
std::optional<CsvRole> ReservedRole(std::string_view name, bool edges) {
  if (!edges) {
    if (name == "name") return CsvRole::kName;
    if (name == "sector") return CsvRole::kSector;
    if (name == "aliases") return CsvRole::kAliases;
    if (name == "sources") return CsvRole::kSources;
  } else {
    if (name == "rank") return CsvRole::kRank;
    if (name == "weight") return CsvRole::kWeight;
    if (name == "valid_from") return CsvRole::kValidFrom;
    if (name == "valid_to") return CsvRole::kValidTo;
    if (name == "sources") return CsvRole::kSources;
  }
  return std::nullopt;
}

Result<nlohmann::json> ParseScalar(std::string_view text, CsvType type,
                                   const CsvCellFormat& format) {
  switch (type) {
    case CsvType::kString:
      return nlohmann::json(std::string(text));
    case CsvType::kInt: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return Status::InvalidArgument("expected an integer, found '" + std::string(text) + "'");
      }
      return nlohmann::json(v);
    }
    case CsvType::kFloat: {
      SV_ASSIGN_OR_RETURN(double v, ParseCsvNumber(text, format.decimal_separator));
      return nlohmann::json(v);
    }
    case CsvType::kBoolean: {
      std::string t = Lower(text);
      if (t == "true") return nlohmann::json(true);
      if (t == "false") return nlohmann::json(false);
      return Status::InvalidArgument("expected true or false, found '" + std::string(text) + "'");
    }
    case CsvType::kDate: {
      if (format.date != nullptr) {
        SV_ASSIGN_OR_RETURN(Date d, format.date->Read(text));
        return nlohmann::json(d.ToString());
      }
      auto d = Date::Parse(text);
      if (!d.ok()) {
        return Status::InvalidArgument("expected a date (YYYY-MM-DD), found '" +
                                       std::string(text) + "'");
      }
      return nlohmann::json(std::string(text));
    }
    case CsvType::kJson: {
      if (JsonNestingExceeds(text, kMaxJsonDepth)) {
        return Status::InvalidArgument("expected a JSON value, found one " +
                                       TooDeepMessage(kMaxJsonDepth));
      }
      auto v = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (v.is_discarded()) {
        return Status::InvalidArgument("expected a JSON value, found '" + std::string(text) + "'");
      }
      if (auto duplicate = FindDuplicateJsonKey(text)) {
        return Status::InvalidArgument(DuplicateJsonKeyMessage(*duplicate));
      }
      return v;
    }
  }
  return Status::Internal("unknown CSV type");
}

}  // namespace

std::string_view CsvTypeName(CsvType type) {
  switch (type) {
    case CsvType::kString: return "string";
    case CsvType::kInt: return "long";
    case CsvType::kFloat: return "double";
    case CsvType::kBoolean: return "boolean";
    case CsvType::kDate: return "date";
    case CsvType::kJson: return "json";
  }
  return "string";
}

std::vector<std::string_view> SplitArray(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t semi = text.find(';', start);
    out.push_back(text.substr(start, semi == std::string_view::npos ? semi : semi - start));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return out;
}

Result<CsvColumn> ParseCsvColumn(std::string_view cell, bool edges) {
  CsvColumn col;
  std::string_view name = cell;
  std::string_view type;
  if (size_t colon = cell.rfind(':'); colon != std::string_view::npos) {
    name = cell.substr(0, colon);
    type = cell.substr(colon + 1);
  }
  if (!type.empty() || cell.ends_with(':')) {
    std::string_view special = type.substr(0, type.find('('));
    if (special == "ID" || special == "START_ID" || special == "END_ID") {
      if (special == "ID" && edges) {
        return Status::InvalidArgument("':ID' belongs in a nodes file, not an edges file");
      }
      if (special != "ID" && !edges) {
        return Status::InvalidArgument("':" + std::string(special) +
                                       "' belongs in an edges file, not a nodes file");
      }
      col.role = special == "ID" ? CsvRole::kKey
                 : special == "START_ID" ? CsvRole::kStart : CsvRole::kEnd;
      return col;
    }
    if (type == "LABEL" || type == "TYPE") {
      if ((type == "LABEL") == edges) {
        return Status::InvalidArgument(std::string(":") + std::string(type) + " belongs in " +
                                       (edges ? "a nodes file" : "an edges file"));
      }
      col.role = type == "LABEL" ? CsvRole::kLabel : CsvRole::kType;
      return col;
    }
    if (type == "IGNORE") {
      col.role = CsvRole::kIgnore;
      return col;
    }
    if (type.ends_with("[]")) {
      col.array = true;
      type.remove_suffix(2);
    }
    auto t = TypeNamed(type);
    if (!t) {
      return Status::InvalidArgument(
          "unknown type '" + std::string(type) + "' in column '" + std::string(cell) +
          "' (expected int, long, float, double, boolean, string, date, json, an array such as "
          "string[], or :ID, :LABEL, :START_ID, :END_ID, :TYPE, :IGNORE)");
    }
    col.type = *t;
  }
  if (name.empty()) return Status::InvalidArgument("column '" + std::string(cell) + "' has no name");
  if (name.starts_with("props.\"")) {
    // props."<JSON string>": any name, also one a CSV file cannot hold (NUL).
    auto quoted = nlohmann::json::parse(name.substr(6), nullptr, /*allow_exceptions=*/false);
    if (!quoted.is_string()) {
      return Status::InvalidArgument("column '" + std::string(cell) +
                                     "': after 'props.' a '\"' starts a JSON string, the "
                                     "property's name (a ':' in it needs the type written)");
    }
    col.prop = quoted.get<std::string>();
    return col;
  }
  if (name.starts_with("props.") && name.size() > 6) {
    col.prop = std::string(name.substr(6));
    return col;
  }
  auto role = ReservedRole(name, edges);
  if (!role) {
    col.prop = std::string(name);
    return col;
  }
  col.role = *role;
  // Reserved columns take the type they need; a declared type must agree.
  bool ok = true;
  switch (*role) {
    case CsvRole::kName:
    case CsvRole::kSector:
      ok = !col.array && (type.empty() || col.type == CsvType::kString);
      break;
    case CsvRole::kAliases:
    case CsvRole::kSources:
      ok = type.empty() || (col.array && col.type == CsvType::kString) ||
           (!col.array && col.type == CsvType::kJson);
      if (type.empty()) col.array = true;
      break;
    case CsvRole::kRank:
      ok = !col.array && (type.empty() || col.type == CsvType::kInt);
      col.type = CsvType::kInt;
      break;
    case CsvRole::kWeight:
      ok = !col.array && (type.empty() || col.type == CsvType::kFloat || col.type == CsvType::kInt);
      col.type = CsvType::kFloat;
      break;
    case CsvRole::kValidFrom:
    case CsvRole::kValidTo:
      ok = !col.array && (type.empty() || col.type == CsvType::kDate ||
                          col.type == CsvType::kString);
      col.type = CsvType::kDate;
      break;
    default:
      break;
  }
  if (!ok) {
    return Status::InvalidArgument("column '" + std::string(cell) + "': '" + std::string(name) +
                                   "' cannot have type '" + std::string(cell.substr(name.size() + 1)) +
                                   "'");
  }
  return col;
}

Result<double> ParseCsvNumber(std::string_view text, char decimal_separator) {
  const std::string_view written = text;
  std::string swapped;
  bool ok = true;
  if (decimal_separator != '.') {
    ok = text.find('.') == std::string_view::npos;
    swapped = std::string(text);
    std::replace(swapped.begin(), swapped.end(), decimal_separator, '.');
    text = swapped;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ok && ec == std::errc() && end == text.data() + text.size() && std::isfinite(v)) return v;
  return Status::InvalidArgument(
      std::string(decimal_separator == ',' ? "expected a number with a decimal comma"
                                           : "expected a number") +
      ", found '" + std::string(written) + "'");
}

Result<std::optional<nlohmann::json>> ParseCsvValue(std::string_view text, bool quoted,
                                                    const CsvColumn& column,
                                                    const CsvCellFormat& format) {
  if (text.empty() && !(quoted && column.type == CsvType::kString && !column.array)) {
    return std::optional<nlohmann::json>();
  }
  if (!column.array) {
    SV_ASSIGN_OR_RETURN(nlohmann::json v, ParseScalar(text, column.type, format));
    return std::optional<nlohmann::json>(std::move(v));
  }
  nlohmann::json arr = nlohmann::json::array();
  for (std::string_view item : SplitArray(text)) {
    SV_ASSIGN_OR_RETURN(nlohmann::json v, ParseScalar(item, column.type, format));
    arr.push_back(std::move(v));
  }
  return std::optional<nlohmann::json>(std::move(arr));
}

}  // namespace samverkan::importers
