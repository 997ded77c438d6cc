// nlohmann::json parse errors as our messages: the library's text without
// its "[json.exception...] parse error at line L, column C: " prefix (we
// report the location ourselves, as file:line:column).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace samverkan::importers {

inline std::string JsonErrorText(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  size_t col = what.find("column ");
  size_t colon = what.find(": ", col == std::string::npos ? 0 : col);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace samverkan::importers
