// How deep the JSON documents the importers read may nest.
//
// A property object may nest samverkan::kMaxJsonDepth levels (text.h); a
// case file wraps it in three more (the root object, a section's array, the
// entry), a JSON Lines record in one. Documents deeper than that are refused
// before they are parsed, so that no reader spends time or stack on them;
// property values within the limit are then checked by the engine.
#pragma once

#include <string>

#include "samverkan/text.h"

namespace samverkan::importers {

inline constexpr int kMaxDocumentDepth = kMaxJsonDepth + 3;

// "nested deeper than 1003 levels"
inline std::string TooDeepMessage(int limit) {
  return "nested deeper than " + std::to_string(limit) + " levels";
}

}  // namespace samverkan::importers
