// JSON and Cypher values.
//
// Properties are stored as JSON objects; parameters arrive as a JSON object;
// rows leave as JSON. JSON integers become INTEGER (or FLOAT beyond int64),
// other numbers FLOAT, objects maps, arrays lists; the objects
// {"$date": "2021-01-01"} and {"$duration": "P1M"} are a DATE and a
// DURATION (how properties store them). In rows a date or a duration is
// its ISO text.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "samverkan/cypher_value.h"
#include "samverkan/text.h"  // AppendJsonString

namespace samverkan::cypher {

Value FromJson(const nlohmann::json& j);

// A property value as stored: null, booleans, numbers, strings, dates,
// durations and lists of them. Throws TypeError (InvalidPropertyType) for maps, nodes,
// relationships and paths.
nlohmann::json PropertyToJson(const Value& v, std::string_view key);

// Appends `v` as JSON text. Nodes, relationships and paths are written by
// `entity` (which knows the graph). Non-finite floats: NaN as null, the
// infinities as 1e999 and -1e999, which JSON readers take as infinite.
void AppendJson(const Value& v, std::string* out,
                const std::function<void(const Value&, std::string*)>& entity);
// A float as Cypher shows it: shortest round-trip form, with a ".0" for
// integral values ("1.0", "0.1", "1e+300").
std::string FormatFloat(double d);

}  // namespace samverkan::cypher
