// Parsing a JSON document while remembering where each member and array
// element starts, so that a case file's problems can be reported with
// their line and column (nlohmann::json keeps no positions).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace samverkan::importers {

struct PositionedJson {
  nlohmann::json value;
  // Byte offset of each member's name and each array element, by path:
  // "/actors/0" (the element), "/actors/0/sector" (the member name).
  std::unordered_map<std::string, size_t> offsets;
  // Set when the text is not valid JSON.
  bool failed = false;
  size_t error_offset = 0;
  std::string error;

  // The offset recorded for `path`, or for the nearest enclosing path.
  size_t OffsetOf(std::string path) const;
};

PositionedJson ParseWithPositions(std::string_view text);

}  // namespace samverkan::importers
