// json_options.h: reading the members of an options object (the JSON that
// kg_import and kg_export take as their last argument), with errors that
// say which member is wrong and what it must be.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "samverkan/result.h"

namespace samverkan::options {

// InvalidArgument("options: <what>").
Status Bad(const std::string& what);

// A list of names: "a,b" or ["a", "b"] (blanks around names dropped).
Result<std::vector<std::string>> Names(const nlohmann::json& v, const std::string& member);
// A list of strings kept exactly: "x" or ["x", "y"].
Result<std::vector<std::string>> Strings(const nlohmann::json& v, const std::string& member);
Result<std::string> Text(const nlohmann::json& v, const std::string& member);
Result<int64_t> Integer(const nlohmann::json& v, const std::string& member, int64_t lo,
                        int64_t hi);
// A finite number >= 0.
Result<double> Number(const nlohmann::json& v, const std::string& member);
Result<bool> Boolean(const nlohmann::json& v, const std::string& member);

// The object in `text`, or "options: expected a JSON object" (also for
// text nested deeper than kMaxJsonDepth, refused before it is parsed).
Result<nlohmann::json> Object(std::string_view text);

}  // namespace samverkan::options
