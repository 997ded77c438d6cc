// Validation and merging of JSON property objects.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "samverkan/result.h"

namespace samverkan::storage {

// Parses `text` as a JSON object and returns it in compact form with keys
// sorted ("" when the object is empty, the stored form of {}). `what()`
// names the owner in errors: "properties of node 'org:x'" (called only then).
Result<std::string> NormalizeProps(std::string_view text,
                                   const std::function<std::string()>& what);

// Applies `patch` to `base` as an RFC 7386 merge patch. Both are normalised
// (as returned by NormalizeProps).
std::string MergeProps(std::string_view base, std::string_view patch);

// The number at a top-level key, if the object has one there.
std::optional<double> NumericProp(std::string_view props, std::string_view name);

}  // namespace samverkan::storage
