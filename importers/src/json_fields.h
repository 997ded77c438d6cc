// Reading typed fields out of parsed JSON objects, for the JSON Lines and
// case readers. Each helper reports a problem through `report` (which knows
// where the field is) and returns false on a bad value; a missing optional
// field leaves the output untouched.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "samverkan/types.h"

namespace samverkan::importers {

// report(field, message): field is the member name the problem is about.
using FieldReport = std::function<void(std::string_view field, const std::string& message)>;

// Unknown members are errors: they are usually typos.
bool CheckFields(const nlohmann::json& obj, std::initializer_list<std::string_view> allowed,
                 const FieldReport& report);

bool RequiredString(const nlohmann::json& obj, std::string_view name, std::string* out,
                    const FieldReport& report);
bool OptionalString(const nlohmann::json& obj, std::string_view name, std::string* out,
                    const FieldReport& report);
bool OptionalStringList(const nlohmann::json& obj, std::string_view name,
                        std::vector<std::string>* out, const FieldReport& report);
// A JSON object, compact; "" when absent.
bool OptionalProps(const nlohmann::json& obj, std::string_view name, nlohmann::json* out,
                   const FieldReport& report);
// A partial date ("2019", "2019-12") is the first day of its period, or the
// last with Partial::kLastDay (for valid_to).
bool OptionalDate(const nlohmann::json& obj, std::string_view name, std::optional<Date>* out,
                  const FieldReport& report,
                  Date::Partial partial = Date::Partial::kFirstDay);

// The fields an edge has in JSON Lines and in a case file's relations:
// src, type, dst (required), rank, weight, valid_from, valid_to, props,
// sources. Does not check for unknown fields.
bool ReadEdgeFields(const nlohmann::json& obj, EdgeInput* edge, const FieldReport& report);

// The JSON type of a value, for messages: "a string", "an array", ...
std::string_view JsonTypeName(const nlohmann::json& value);

}  // namespace samverkan::importers
