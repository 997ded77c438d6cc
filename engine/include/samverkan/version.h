// Samverkan's version and the on-disk format version this build writes.
#pragma once

#include <cstdint>
#include <string_view>

namespace samverkan {

inline constexpr std::string_view kVersion = "0.1.0";

// Bumped whenever the on-disk format changes incompatibly. A build refuses to
// open a graph with a larger number; a graph with a smaller one is upgraded
// at its first read-write open. See docs/on-disk-format.md.
// 2: the change log (meta "changes/<batch>").
// 3: edge weights that are short decimals written as digits and a scale.
inline constexpr uint32_t kFormatVersion = 3;

}  // namespace samverkan
