// The CSV header convention (Neo4j admin-import) and typed cell values.
//
// A header cell is "name", "name:type" or a special ":ID", ":LABEL",
// ":START_ID", ":END_ID", ":TYPE", ":IGNORE" (an ID space in parentheses,
// ":ID(Person)", is accepted and ignored: keys are global). Some names
// are fields of the node or edge rather than properties (nodes: name,
// sector, aliases, sources; edges: rank, weight, valid_from, valid_to,
// sources); "props.<name>" is always the property <name>, and
// props."<JSON string>" the property that string names (for names a CSV
// file cannot hold, such as one with a NUL). docs/formats.md has the full
// table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "date_format.h"
#include "samverkan/result.h"

namespace samverkan::importers {

enum class CsvRole {
  kKey, kLabel, kName, kSector, kAliases, kSources,      // nodes
  kStart, kEnd, kType, kRank, kWeight, kValidFrom, kValidTo,  // edges
  kProp, kIgnore,
};

enum class CsvType { kString, kInt, kFloat, kBoolean, kDate, kJson };

struct CsvColumn {
  CsvRole role = CsvRole::kProp;
  std::string prop;  // kProp: the property name
  CsvType type = CsvType::kString;
  bool array = false;  // "type[]": ';'-separated values
};

// Parses one header cell. `edges` says which reserved names apply.
// InvalidArgument says what was expected.
Result<CsvColumn> ParseCsvColumn(std::string_view cell, bool edges);

// How a file writes numbers and dates (CsvDialect).
struct CsvCellFormat {
  char decimal_separator = '.';
  const DateFormat* date = nullptr;  // null: ISO
};

// The cell of a typed value, as JSON: a string, number, boolean, array or
// (kJson) any JSON value. `quoted` cells keep an empty string. nullopt for
// an empty unquoted cell (no value). A date is kept as ISO text
// (YYYY-MM-DD; as written, when the file's dates are ISO). InvalidArgument
// says what was expected.
Result<std::optional<nlohmann::json>> ParseCsvValue(std::string_view text, bool quoted,
                                                    const CsvColumn& column,
                                                    const CsvCellFormat& format = {});

// A finite number written with `decimal_separator` ('.' or ','; with ',' a
// '.' is refused rather than misread as a thousands separator).
Result<double> ParseCsvNumber(std::string_view text, char decimal_separator);

// "long", "double", "boolean", "string", "date", "json" (for writers).
std::string_view CsvTypeName(CsvType type);

// Splits an array cell on ';'.
std::vector<std::string_view> SplitArray(std::string_view text);

}  // namespace samverkan::importers
